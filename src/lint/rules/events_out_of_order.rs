//! `events_out_of_order`: a timeline event written after one that happened later.

use crate::humanize as format;
use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "events_out_of_order",
    group: Group::Correctness,
    scope: Scope::Record,
    summary: "timeline events written out of time order",
    explanation: "### What it does\nFinds timeline events written after an event that happened later.\n\n\
### Why is this bad\nThe timeline is read top to bottom by reviewers; an event out of place is usually a typo \
in its time (often a bare time after midnight, which keeps the previous event's day), and it makes gaps and \
durations wrong.\n\n### Example\n```toml\n[[timeline]]\nat = 2026-11-03T23:50:00Z\ntext = \"paged\"\n\n\
[[timeline]]\nat = 00:10:00   # still 2026-11-03: 23:50 -> 00:10 goes back in time\ntext = \"acknowledged\"\n```\n\
Use instead:\n```toml\n[[timeline]]\nat = 2026-11-04T00:10:00Z\ntext = \"acknowledged\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for &(i, before) in &analysis.out_of_order {
            let (Some(event), Some(earlier)) =
                (incident.timeline.get(i), incident.timeline.get(before))
            else {
                continue;
            };
            let time = |e: &crate::model::Event| format::time_of_day(e.at, incident.zone.as_ref());
            let line = incident.origin.text
                [..earlier.at_span.start.min(incident.origin.text.len())]
                .matches('\n')
                .count()
                + 1;
            out.push(
                incident_finding(
                    incident,
                    format!(
                        "timeline event at {} is written after an event at {}, which happened later",
                        time(event),
                        time(earlier)
                    ),
                )
                .at(event.at_span.clone())
                .note(format!("the event at {} is on line {line}", time(earlier)))
                .help("move each event to its place in time, or fix its time (after midnight, write the full datetime)"),
            );
        }
    }
}
