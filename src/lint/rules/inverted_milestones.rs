//! `inverted_milestones`: milestones in an impossible order (a negative duration).

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "inverted_milestones",
    group: Group::Correctness,
    scope: Scope::Record,
    summary: "a milestone happens before the one it must follow, giving a negative duration",
    explanation: "### What it does\nChecks that impact start ≤ detected ≤ acknowledge, and that mitigation and resolution \
come after the start.\n\n### Why is this bad\nTime to detect, acknowledge, mitigate and resolve would be negative; \
pm leaves them out of the page and of every aggregate, so the incident silently drops out of the trends.\n\n\
### Example\n```toml\n[[timeline]]\nat = 2026-11-03T14:10:00Z\ntext = \"paged\"\nstep = \"detected\"\n\n[[timeline]]\n\
at = 2026-11-03T14:05:00Z\ntext = \"acknowledged\"\nstep = \"acknowledge\"   # before detection\n```\n\
Use instead: fix the time of one of the two events, or move the `step` to the event that really marks it.\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for (from, to) in &analysis.inverted_milestones {
            let Some(later) = analysis.milestone(to) else {
                continue;
            };
            let Some(event) = incident.timeline.get(later.event) else {
                continue;
            };
            out.push(
                incident_finding(incident, format!("milestone `{to}` is earlier than `{from}`"))
                    .at(event.step(to).map_or(event.at_span.clone(), |s| s.span.clone()))
                    .label("this makes a duration negative")
                    .help(format!("fix the time of the `{from}` or `{to}` event, or move the `step` to the event that really marks it")),
            );
        }
    }
}
