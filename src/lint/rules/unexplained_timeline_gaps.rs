//! `unexplained_timeline_gaps`: a silence in the timeline longer than the threshold.

use crate::humanize::{duration, duration_over};
use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "unexplained_timeline_gaps",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a silence between events, inside the incident, longer than the gap threshold",
    explanation: "### What it does\nWalks the timeline in time order between impact start (else detection) and \
resolution, and flags every pair of consecutive events further apart than the threshold (`[timeline] gap` in \
pm.toml, 30 minutes by default, overridable per severity), unless the later event says why with `gap = \"...\"`.\n\n\
### Why is this bad\nA silence during an incident is either missing events (what was tried, who was paged) or a \
real wait that the review should see. Unexplained, it hides the slowest part of the response.\n\n### Example\n\
```toml\n[[timeline]]\nat = 2026-11-03T14:12:00Z\ntext = \"opened a ticket with the vendor\"\n\n[[timeline]]\n\
at = 2026-11-03T15:20:00Z\ntext = \"vendor confirmed the outage\"\n```\nUse instead:\n```toml\n[[timeline]]\n\
at = 2026-11-03T15:20:00Z\ntext = \"vendor confirmed the outage\"\ngap = \"waiting for the vendor; nothing to do on our side\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for gap in analysis.gaps.iter().filter(|g| g.explanation.is_none()) {
            let Some(event) = incident.timeline.get(gap.before) else {
                continue;
            };
            out.push(
                incident_finding(
                    incident,
                    format!(
                        "{} with no event before this one (threshold {})",
                        duration_over(gap.length, analysis.gap_threshold),
                        duration(analysis.gap_threshold)
                    ),
                )
                .at(event.at_span.clone())
                .help("add the events of that time (what was tried, who was paged), or explain the silence with `gap = \"...\"` on this event"),
            );
        }
    }
}
