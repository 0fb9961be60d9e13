//! The validated records: incidents, playbooks and their parts, as pm
//! understands them, and the few rules about links and rankings they carry.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::Timestamp;
use jiff::civil::Date;

use super::enums::{
    ActionKind, ActionStatus, Audience, ChangeKind, DetectedBy, HypothesisResult, Rating,
    RollbackDecision, RollbackPossible, Status, UpdateStatus,
};
use super::time::{Written, Zone};
use crate::diag::Text;
use crate::source::Attachment;

/// A byte range in a record's file.
pub type Span = Range<usize>;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the file.
    pub span: Span,
}

/// Every valid record of the repository.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Incidents by id.
    pub incidents: BTreeMap<String, Incident>,
    /// Playbooks by type.
    pub playbooks: BTreeMap<String, Playbook>,
}

/// Where a record came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Repo-relative path.
    pub file: String,
    /// The file's text.
    pub text: Text,
    /// The opening `+++` line, where whole-record diagnostics point.
    pub opening: Span,
    /// Where the Markdown body starts.
    pub body_offset: usize,
    /// Where each line of the body starts, built on first use.
    pub(crate) body_lines: std::sync::OnceLock<Vec<usize>>,
}

impl Origin {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or("")
    }

    /// The byte range in the file of 1-based `line` of the body, without its
    /// line ending (the last line when `line` is past the end). An index
    /// built on first use makes each call cheap, so a body with thousands of
    /// findings costs its length once, not once per finding.
    pub fn body_line(&self, line: usize) -> Span {
        let body = self.body();
        let starts = self.body_lines.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
                .collect()
        });
        let i = line.saturating_sub(1).min(starts.len() - 1);
        let start = starts[i];
        let mut end = starts.get(i + 1).map_or(body.len(), |next| next - 1);
        if body[start..end].ends_with('\r') {
            end -= 1;
        }
        self.body_offset + start..self.body_offset + end
    }
}

/// One incident.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Incident {
    pub id: String,
    pub origin: Origin,
    pub title: String,
    /// The title customers see (`pm status-update --audience customers`),
    /// when it differs from the internal one.
    pub public_title: Option<String>,
    pub severity: Located<String>,
    pub kind: Located<String>,
    pub status: Located<Status>,
    pub draft: bool,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub commander: Option<String>,
    pub responders: Vec<String>,
    pub zone: Option<Zone>,
    pub summary: Option<String>,
    pub detected_by: Option<Located<DetectedBy>>,
    pub impact: Option<Impact>,
    pub triage: Option<Triage>,
    pub timeline: Vec<Event>,
    pub checklist: BTreeMap<String, Located<CheckEntry>>,
    pub actions: Vec<Action>,
    pub changes: Vec<Change>,
    pub hypotheses: Vec<Hypothesis>,
    pub mitigations: Vec<Mitigation>,
    pub rollback: Option<Rollback>,
    pub updates: Vec<Update>,
    pub allows: Vec<Allow>,
    /// Files of the bundle, if the record is one.
    pub attachments: Vec<Attachment>,
    /// Files of the bundle that are not published (`unsafe_attachment`,
    /// `limit_exceeded`): already reported, so links to them are not.
    pub withheld: Vec<String>,
    /// Whether the record is a bundle (`<id>/index.md`).
    pub bundle: bool,
    /// Whether every `[[timeline]]` entry could be read. When one was dropped
    /// for an error, milestones and gaps computed from the rest would be
    /// wrong, so lints leave the record alone until the error is fixed.
    pub timeline_complete: bool,
}

/// `[impact]`.
#[derive(Debug, Clone, Default)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Impact {
    pub summary: Option<String>,
    pub users: Option<Users>,
    /// Regions, locations or sites affected, as written.
    pub regions: Vec<String>,
    pub figures: Vec<Figure>,
    pub customer_facing: Option<bool>,
    pub slo: Option<String>,
}

/// `[impact] users`: a count when one is known, else how the postmortem
/// describes who was affected. Only counts are summed or compared.
#[derive(Debug, Clone, PartialEq)]
pub enum Users {
    /// `users = 1200`.
    Count(u64),
    /// `users = "all S3 users in us-east-1"`.
    Described(String),
}

impl Users {
    /// The count, when the record gives one.
    pub fn count(&self) -> Option<u64> {
        match self {
            Users::Count(n) => Some(*n),
            Users::Described(_) => None,
        }
    }
}

/// One `[[impact.figures]]` entry: a measured or estimated figure of the
/// harm, with its unit and where the number comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The number as TOML gave it (an integer or a float).
    pub value: f64,
    /// What is counted: `"Windows devices"`, `"% of compute"`.
    pub unit: String,
    /// Who measured or estimated it.
    pub source: Option<String>,
    /// `approx = true`: an estimate, shown with `≈`.
    pub approx: bool,
}

impl Figure {
    /// The value as people write it: `19`, `8.5`, never `19.0`.
    pub fn value_text(&self) -> String {
        format!("{}", self.value)
    }
}

/// `[triage]`.
#[derive(Debug, Clone, Default)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Triage {
    pub error: Option<String>,
    pub symptoms: Vec<String>,
    pub system: Option<String>,
    pub stack_trace: Option<String>,
    pub logs: Vec<Located<String>>,
}

/// One timeline event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Position in the file (0-based), for stable anchors.
    pub index: usize,
    /// When it happened; for a day-only event, the start of its day in
    /// the record's zone (so it sorts before that day's timed events).
    pub at: Timestamp,
    /// How the time was written.
    pub written: Written,
    /// Span of the `at` value.
    pub at_span: Span,
    /// `approx = true`: the time is approximate ("about 06:34").
    pub approx: bool,
    /// `at` is a date without a time: the event is placed in order but
    /// never sets a milestone or bounds a gap.
    pub day_only: bool,
    /// Inline Markdown.
    pub text: String,
    /// The milestones and checklist steps this event is evidence of, as
    /// written (`step = "x"` or `step = ["x", "y"]`).
    pub steps: Vec<Located<String>>,
    /// Who did or saw it.
    pub who: Option<String>,
    /// Where the fact came from.
    pub source: Option<String>,
    /// Attachment path or URL.
    pub evidence: Option<Located<String>>,
    /// Why the silence before this event is fine.
    pub gap: Option<String>,
}

impl Event {
    /// Whether the event is evidence of `step`.
    pub fn has_step(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.value == step)
    }

    /// The written step `step`, with its span.
    pub fn step(&self, step: &str) -> Option<&Located<String>> {
        self.steps.iter().find(|s| s.value == step)
    }
}

/// A `[checklist]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckEntry {
    /// `step = true`.
    Done,
    /// `step = "skipped: reason"`.
    Skipped(String),
    /// `step = "unknown: reason"`: whether it was done is not known (the
    /// source does not say); neither done nor skipped.
    Unknown(String),
}

/// One action item.
#[derive(Debug, Clone)]
pub struct Action {
    /// Position in the record.
    pub index: usize,
    /// Span of the whole `[[actions]]` entry.
    pub span: Span,
    /// What it is for.
    pub kind: Option<ActionKind>,
    /// Inline Markdown.
    pub text: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<Date>,
    /// `due` is written but could not be read (that error is reported):
    /// the item is not "undated".
    pub due_unread: bool,
    /// Progress.
    pub status: ActionStatus,
    /// Tracker URL (http or https).
    pub link: Option<String>,
    /// When it was closed.
    pub closed: Option<Date>,
}

/// A recent change considered during the incident.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Change {
    pub at: Option<Timestamp>,
    /// `at` named a whole day, not an instant.
    pub whole_day: bool,
    /// The end of a change rolled out over a while (`until`).
    pub until: Option<Timestamp>,
    /// `until` named a whole day.
    pub until_whole_day: bool,
    pub kind: Option<ChangeKind>,
    pub reference: Option<String>,
    pub text: String,
    pub suspect: bool,
}

/// A hypothesis and its outcome.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Hypothesis {
    /// When it was raised or settled, if the record says.
    pub at: Option<Timestamp>,
    /// `at` named a whole day.
    pub whole_day: bool,
    pub text: String,
    pub result: HypothesisResult,
    pub evidence: Option<String>,
}

/// A mitigation option weighed during the incident.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Mitigation {
    pub option: String,
    pub speed: Option<Rating>,
    pub risk: Option<Rating>,
    pub effectiveness: Option<Rating>,
    pub chosen: bool,
    pub outcome: Option<String>,
}

/// The rollback decision.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Rollback {
    pub possible: Option<RollbackPossible>,
    pub decision: Option<RollbackDecision>,
    pub reason: Option<String>,
}

/// A stakeholder or customer update.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Update {
    pub at: Option<Timestamp>,
    pub status: Option<UpdateStatus>,
    pub audience: Option<Audience>,
    pub text: String,
}

/// A record's own `allow = [{ lint, reason }]` entry.
#[derive(Debug, Clone)]
pub struct Allow {
    /// The lint silenced.
    pub lint: Located<String>,
    /// Why (required).
    pub reason: String,
}

/// One playbook.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Playbook {
    /// The incident type, from the file stem.
    pub kind: String,
    pub origin: Origin,
    pub title: String,
    pub owner: Option<String>,
    /// The six sections; `None` when the key is absent.
    pub symptoms: Option<Vec<String>>,
    pub first_checks: Option<Vec<String>>,
    pub causes: Option<Vec<String>>,
    pub mitigations: Option<Vec<PlaybookMitigation>>,
    pub resolution: Option<Vec<String>>,
    pub verification: Option<Vec<String>>,
    /// Where each section present in the file is written (its value), by key.
    pub section_spans: BTreeMap<&'static str, Span>,
    pub commands: Vec<Command>,
    pub allows: Vec<Allow>,
}

/// A ranked mitigation of a playbook.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct PlaybookMitigation {
    pub option: String,
    pub speed: Option<Rating>,
    pub risk: Option<Rating>,
    pub effectiveness: Option<Rating>,
    pub notes: Option<String>,
}

/// A copyable command of a playbook.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "fields are the record keys of docs/format.md")]
pub struct Command {
    pub label: String,
    pub run: String,
}

/// Whether a URL's scheme is one pm will link to.
/// Whitespace and control characters are skipped and case is ignored, as
/// browsers do, so ` JaVa\tScript:` is not mistaken for a path.
pub fn is_safe_url(url: &str) -> bool {
    ["https://", "http://", "mailto:"].iter().any(|scheme| {
        let mut seen = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .flat_map(char::to_lowercase);
        scheme.chars().all(|c| seen.next() == Some(c))
    })
}

/// Whether a link target has a scheme (as opposed to a relative path).
pub fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme.chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') || c.is_whitespace()
                })
        }
        None => false,
    }
}

/// Orders mitigations best first: effectiveness, then speed, then lowest risk.
pub fn mitigation_rank(
    effectiveness: Option<Rating>,
    speed: Option<Rating>,
    risk: Option<Rating>,
) -> (u8, u8, u8) {
    let score = |r: Option<Rating>| r.map_or(0, |r| r.score() + 1);
    (
        3 - score(effectiveness),
        3 - score(speed),
        risk.map_or(3, |r| r.score()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes() {
        assert!(is_safe_url("https://tracker.example/OPS-1"));
        assert!(is_safe_url("mailto:sre@example.com"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JaVa\tScRiPt:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(has_scheme("java\tscript:x"));
        assert!(!has_scheme("graphs/p99.svg"));
        assert!(!has_scheme("./a:b"));
    }

    /// The span of a body line found by walking the lines, as lints did
    /// before the index.
    fn walked(origin: &Origin, line: usize) -> Span {
        let body = origin.body();
        let mut start = 0;
        for _ in 1..line {
            match body[start..].find('\n') {
                Some(i) => start += i + 1,
                None => break,
            }
        }
        let mut end = body[start..].find('\n').map_or(body.len(), |i| start + i);
        if body[..end].ends_with('\r') {
            end -= 1;
        }
        origin.body_offset + start..origin.body_offset + end
    }

    #[test]
    fn body_lines_by_index_match_a_walk() {
        for (text, body_offset) in [
            ("+++\n+++\n", 8),
            ("+++\n+++\none\ntwo", 8),
            ("+++\n+++\r\na\r\n\r\nb\r\n", 9),
            ("+++\n+++\n\n\né\n", 8),
        ] {
            let origin = Origin {
                file: "x.md".to_owned(),
                text: std::sync::Arc::new(text.to_owned()),
                opening: 0..3,
                body_offset,
                body_lines: std::sync::OnceLock::new(),
            };
            for line in 0..8 {
                assert_eq!(
                    origin.body_line(line),
                    walked(&origin, line),
                    "{text:?} line {line}"
                );
            }
        }
    }
}
