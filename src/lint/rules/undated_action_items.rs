//! `undated_action_items`: an open action item with no due date.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding, open_actions};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "undated_action_items",
    group: Group::Style,
    scope: Scope::Record,
    summary: "an open action item has no due date",
    explanation: "### What it does\nFinds open or in-progress action items without `due`.\n\n\
### Why is this bad\nWithout a date an item is never overdue, so the tracker cannot tell a stalled item from \
one that is on time.\n\n### Example\n```toml\n[[actions]]\nkind = \"prevention\"\n\
text = \"Add a statement timeout to the reporting role\"\nowner = \"dba-team\"\ndue = 2026-12-15\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for (incident, action) in open_actions(cx).filter(|(_, a)| a.due.is_none() && !a.due_unread) {
        out.push(
            incident_finding(incident, "action item has no due date")
                .at(action.span.clone())
                .help("add `due = YYYY-MM-DD` (unquoted)"),
        );
    }
}
