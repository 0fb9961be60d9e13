//! `unkinded_action_items`: an action item that does not say what it is for.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};
use crate::model::ActionKind;

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "unkinded_action_items",
    group: Group::Style,
    scope: Scope::Record,
    summary: "an action item has no `kind`",
    explanation: "### What it does\nFinds action items without `kind`.\n\n### Why is this bad\nThe postmortem page \
answers \"what monitoring would have caught this sooner\" and \"what would have prevented this\" from the \
`monitoring` and `prevention` items; an item without a kind answers neither.\n\n### Example\n```toml\n\
[[actions]]\nkind = \"monitoring\"\ntext = \"Page on replication lag above 30 s\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        for action in incident.actions.iter().filter(|a| a.kind.is_none()) {
            out.push(
                incident_finding(incident, "action item has no `kind`")
                    .at(action.span.clone())
                    .help(format!(
                        "add `kind = ...`, one of {}",
                        crate::diag::backticked(ActionKind::ALL)
                    )),
            );
        }
    }
}
