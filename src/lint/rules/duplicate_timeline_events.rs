//! `duplicate_timeline_events`: the same event written twice.

use std::collections::BTreeSet;

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};
use crate::model::Event;

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "duplicate_timeline_events",
    group: Group::Suspicious,
    scope: Scope::Record,
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
        // Only events at the same instant can repeat each other: order them
        // by time and compare texts within each run of equal times.
        let mut by_time: Vec<&Event> = incident.timeline.iter().collect();
        by_time.sort_by_key(|e| (e.at, e.index));
        let mut repeats = Vec::new();
        for same_time in by_time.chunk_by(|a, b| a.at == b.at) {
            if same_time.len() < 2 {
                continue;
            }
            let mut seen = BTreeSet::new();
            for event in same_time {
                if !seen.insert(event.text.trim().to_lowercase()) {
                    repeats.push(*event);
                }
            }
        }
        repeats.sort_by_key(|e| e.index);
        for event in repeats {
            out.push(
                incident_finding(incident, "timeline event repeats an earlier one")
                    .at(event.at_span.clone())
                    .help("remove one of the two events, or say what differs"),
            );
        }
    }
}
