//! `unowned_action_items`: an open action item with no owner.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding, open_actions};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "unowned_action_items",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "an open action item has no owner",
    explanation: "### What it does\nFinds open or in-progress action items without `owner`.\n\n\
### Why is this bad\nAn action item nobody owns is not done: it sits in the tracker until the same incident \
happens again.\n\n### Example\n```toml\n[[actions]]\nkind = \"monitoring\"\n\
text = \"Alert when the connection pool is above 80 % for 5 minutes\"\nowner = \"bob\"\ndue = 2026-12-01\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for (incident, action) in open_actions(cx).filter(|(_, a)| a.owner.is_none()) {
        out.push(
            incident_finding(incident, "action item has no owner")
                .at(action.span.clone())
                .help("add `owner = \"<name or team>\"`: someone who will see it through"),
        );
    }
}
