//! `duplicate_timeline_events`: the same event written twice.

use std::collections::BTreeSet;

use crate::lint::{Findings, Group, Lint, LintCx, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "duplicate_timeline_events",
    group: Group::Suspicious,
    summary: "two timeline events have the same time and text",
    explanation: "### What it does\nFinds timeline events with the same instant and the same text (ignoring case \
and surrounding space).\n\n### Why is this bad\nUsually a paste from two sources (chat and pager) or a merge \
conflict resolved twice; it makes the timeline longer and can mark a milestone twice.\n\n### Example\n```toml\n\
[[timeline]]\nat = 2026-11-03T14:02:00Z\ntext = \"paged\"\n\n[[timeline]]\nat = 2026-11-03T14:02:00Z\n\
text = \"paged\"   # remove one\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let mut seen = BTreeSet::new();
        for event in &incident.timeline {
            if !seen.insert((event.at, event.text.trim().to_lowercase())) {
                out.push(
                    incident_finding(incident, "timeline event repeats an earlier one")
                        .at(event.at_span.clone())
                        .help("remove one of the two events, or say what differs"),
                );
            }
        }
    }
}
