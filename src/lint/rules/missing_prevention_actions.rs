//! `missing_prevention_actions`: a resolved incident at a severity that
//! requires it, with no prevention action item.

use crate::diag::listed;
use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};
use crate::model::{ActionKind, Status};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_prevention_actions",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a resolved incident at a severity listed in `[actions] prevention_for` has no action item with `kind = \"prevention\"`",
    explanation: "### What it does\nFinds resolved incidents whose severity is listed in `[actions] prevention_for` \
in pm.toml (default `[\"SEV1\", \"SEV2\"]`) and that have no action item with `kind = \"prevention\"`.\n\n\
### Why is this bad\nA postmortem of a serious incident that does not say what would have prevented it has \
fixed the symptom only. The review is the moment to name the change that removes the cause, even when it is \
large; an item marked `wont-do` with a reason is an honest answer, silence is not.\n\n\
### Example\n```toml\n[[actions]]\nkind = \"prevention\"\n\
text = \"Validate pool sizes in CI against the service's concurrency limit\"\nowner = \"platform\"\n\
due = 2027-01-15\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        if incident.status.value != Status::Resolved
            || !cx.config.prevention_for.contains(&incident.severity.value)
            || incident
                .actions
                .iter()
                .any(|a| a.kind == Some(ActionKind::Prevention))
        {
            continue;
        }
        out.push(
            incident_finding(
                incident,
                format!(
                    "resolved {} incident has no action item about prevention",
                    incident.severity.value
                ),
            )
            .at(incident.severity.span.clone())
            .note(format!(
                "`[actions] prevention_for` asks it of {} incidents",
                listed(&cx.config.prevention_for, "and")
            ))
            .help("add an `[[actions]]` entry with `kind = \"prevention\"`: the change that would have stopped this from happening"),
        );
    }
}
