//! What the layout reads, free of the model's types so tests can write it
//! by hand.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::config::MILESTONES;

/// One instant as the layout sees it.
#[derive(Debug, Clone)]
pub(super) struct Instant {
    pub(super) at: Timestamp,
    /// Plain text of each event at this instant.
    pub(super) texts: Vec<String>,
    /// Milestones reached at this instant: step and label.
    pub(super) milestones: Vec<(&'static str, &'static str)>,
}

/// A gap as the layout sees it.
#[derive(Debug, Clone)]
pub(super) struct GapIn {
    pub(super) from: Timestamp,
    pub(super) to: Timestamp,
    pub(super) explanation: Option<String>,
    pub(super) before_anchor: String,
}

/// Everything the layout needs, free of the model's types so tests can
/// write it by hand.
#[derive(Debug, Clone)]
pub(super) struct Input {
    pub(super) tz: TimeZone,
    pub(super) zone_name: String,
    pub(super) instants: Vec<Instant>,
    pub(super) events: usize,
    pub(super) gaps: Vec<GapIn>,
    pub(super) window: Option<(Timestamp, Timestamp)>,
    pub(super) threshold: SignedDuration,
}

pub(super) fn milestone_label(step: &str) -> &'static str {
    MILESTONES
        .iter()
        .find(|(s, _)| *s == step)
        .map_or("Milestone", |(_, l)| l)
}
