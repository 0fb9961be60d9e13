//! Facts derived from records, computed once and shared by lint and render.
//!
//! Pure functions of the model and the config: milestones, the four
//! durations, gaps in the timeline, checklist coverage. Nothing here reports
//! diagnostics or formats text for people; lints and pages decide how to say it.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use rayon::prelude::*;

use crate::config::{Config, MILESTONES};
use crate::markdown::{Depth, Markdown, Rendered};
use crate::model::{CheckEntry, Corpus, HypothesisResult, Incident, Status, UpdateStatus};

/// A milestone reached: when, and by which event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milestone {
    /// The step id (`detected`, ...).
    pub step: &'static str,
    /// When.
    pub at: Timestamp,
    /// Index of the event in the record's timeline.
    pub event: usize,
    /// The event's time is approximate (`approx = true`).
    pub approx: bool,
}

/// The four durations of FORMAT.md; `None` when a milestone is missing or
/// the milestones are out of order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    /// detected − impact-start.
    pub detect: Option<SignedDuration>,
    /// acknowledge − detected.
    pub acknowledge: Option<SignedDuration>,
    /// mitigate − impact-start (else detected).
    pub mitigate: Option<SignedDuration>,
    /// verify-resolution − impact-start (else detected).
    pub resolve: Option<SignedDuration>,
    /// Mitigate and resolve were measured from detection: impact-start is missing.
    pub from_detection: bool,
    /// Which durations lean on an approximate milestone.
    pub approx: Approximate,
}

/// Which of the [`Durations`] are approximate: one of their two milestones
/// was written with `approx = true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[expect(missing_docs, reason = "one flag per field of Durations")]
pub struct Approximate {
    pub detect: bool,
    pub acknowledge: bool,
    pub mitigate: bool,
    pub resolve: bool,
}

/// A stretch of time users were hurt: from an `impact-start` event to the
/// next `mitigate` event. A later `impact-start` after a `mitigate` opens
/// another interval: the impact recurred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpactInterval {
    /// When the harm started (or started again).
    pub start: Timestamp,
    /// When it stopped: the next `mitigate`, else `verify-resolution`;
    /// `None` when the record does not say.
    pub end: Option<Timestamp>,
    /// One of its ends is approximate.
    pub approx: bool,
}

/// A silence in the timeline longer than the threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Index of the event before the silence.
    pub after: usize,
    /// Index of the event that ends it.
    pub before: usize,
    /// Start of the silence.
    pub from: Timestamp,
    /// End of the silence.
    pub to: Timestamp,
    /// How long.
    pub length: SignedDuration,
    /// The `gap = "..."` explanation on the later event.
    pub explanation: Option<String>,
}

/// What shows a checklist step was done.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// A timeline event carries the step.
    Event(usize),
    /// `[[hypotheses]]` exist.
    Hypotheses,
    /// A hypothesis was confirmed or rejected.
    TestedHypothesis,
    /// `[[changes]]` exist.
    Changes,
    /// An `[[updates]]` entry exists.
    Update,
    /// An update says `resolved`.
    ResolvedUpdate,
    /// `[checklist] step = true`.
    Declared,
}

/// Coverage of one checklist step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Coverage {
    /// Done, with the evidence.
    Done(Evidence),
    /// Skipped, with the reason.
    Skipped(String),
    /// Not known whether it was done (`"unknown: <reason>"`), with the reason.
    Unknown(String),
    /// No evidence.
    Missing,
}

/// One checklist step's coverage in one incident.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StepCoverage {
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// Whether the step is required: at the incident's severity, and at the
    /// stage the incident has reached (see [`step_due`]).
    pub required: bool,
    /// What the record shows.
    pub coverage: Coverage,
}

/// Everything derived from one incident.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Event indexes in time order (ties keep file order).
    pub order: Vec<usize>,
    /// Milestones reached, in milestone order.
    pub milestones: Vec<Milestone>,
    /// Milestone steps with no event.
    pub missing_milestones: Vec<&'static str>,
    /// The four durations.
    pub durations: Durations,
    /// The stretches of impact, in time order; more than one when the
    /// impact recurred after a mitigation.
    pub impact: Vec<ImpactInterval>,
    /// Pairs of milestones written in an impossible order (later one first).
    pub inverted_milestones: Vec<(&'static str, &'static str)>,
    /// Start and end of the active window.
    pub window: Option<(Timestamp, Timestamp)>,
    /// Silences longer than the threshold inside the window.
    pub gaps: Vec<Gap>,
    /// The threshold used.
    pub gap_threshold: SignedDuration,
    /// Events written after an event that happened later: (the event, the
    /// latest event written before it), as positions in the timeline.
    pub out_of_order: Vec<(usize, usize)>,
    /// Checklist coverage, in checklist order. Shared: a streamed build
    /// keeps one copy of each distinct slim checklist for all the incidents
    /// that have it (`pipeline::stream`).
    pub checklist: std::sync::Arc<[StepCoverage]>,
    /// When the incident started (impact start, else detection, else first event).
    pub start: Option<Timestamp>,
    /// The body's outline, raw HTML, links and code blocks; its HTML and
    /// excerpt too when analysed at [`Depth::Page`].
    pub body: Rendered,
    /// The body's words as the search index counts them, when `pm build`
    /// counted them as the record streamed and let the body's plain text
    /// ([`Rendered::plain`]) go; `None` when the index is to count the
    /// plain text itself.
    pub body_terms: Option<PackedTerms>,
}

/// A text's search terms and how often each occurs, packed into one
/// allocation: each term's UTF-8 (letters and digits only, so never a 0
/// byte), a 0 byte, then its count in LEB128; each term once (a reader
/// still adds up the counts of a term given twice). About half the bytes of the
/// text it was counted from. The search index (`render::search`) packs and
/// reads it; here it is only kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedTerms {
    /// How many words the text has (stop words and overlong words left out).
    pub words: u32,
    /// The terms and their counts, in no particular order.
    pub packed: Box<[u8]>,
}

impl Analysis {
    /// The milestone for `step`, if reached.
    pub fn milestone(&self, step: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.step == step)
    }

    /// Whether the impact came back after a mitigation.
    pub fn recurred(&self) -> bool {
        self.impact.len() > 1
    }

    /// The sum of the impact intervals, when there is one and every one has
    /// an end.
    pub fn total_impact(&self) -> Option<SignedDuration> {
        self.impact
            .iter()
            .map(|i| Some(i.end?.duration_since(i.start)))
            .sum::<Option<SignedDuration>>()
            .filter(|_| !self.impact.is_empty())
    }

    /// Whether the total impact leans on an approximate time.
    pub fn total_impact_approx(&self) -> bool {
        self.impact.iter().any(|i| i.approx)
    }
}

/// Analyses of every record.
#[derive(Debug, Default)]
pub struct Analyses {
    /// By incident id.
    pub incidents: BTreeMap<String, Analysis>,
    /// Playbook bodies, digested at the same depth, by type.
    pub playbook_bodies: BTreeMap<String, Rendered>,
}

/// What lints and pages both read of a loaded repository: the records, the
/// facts derived from them, the settings, the Markdown stage, git history
/// and "today". The pipeline builds it once; `lint::LintCx` adds the index
/// the lints across records read, the render stage's `ViewCx` the findings
/// pages show, and both read these fields through it.
#[derive(Clone, Copy)]
pub struct Facts<'a> {
    /// The valid records.
    pub corpus: &'a Corpus,
    /// What was derived from them.
    pub analyses: &'a Analyses,
    /// Settings.
    pub config: &'a Config,
    /// The Markdown stage (outlines and links, HTML for pages).
    pub markdown: &'a Markdown,
    /// Git history, when it could be read.
    pub history: Option<&'a crate::revisions::History>,
    /// "Today": overdue items, events in the future.
    pub today: jiff::civil::Date,
}

/// Analyses every record of the corpus, in parallel. Each body is parsed
/// once, here, at `depth`: lints need its outline, pages its HTML too, so a
/// build asks for [`Depth::Page`] and never parses a body again.
pub fn analyze(corpus: &Corpus, config: &Config, markdown: &Markdown, depth: Depth) -> Analyses {
    let incidents = corpus
        .incidents
        .par_iter()
        .map(|(id, incident)| {
            (
                id.clone(),
                analyze_incident(incident, config, markdown, depth),
            )
        })
        .collect();
    let playbook_bodies = corpus
        .playbooks
        .par_iter()
        .map(|(kind, p)| (kind.clone(), markdown.digest(p.origin.body(), depth)))
        .collect();
    Analyses {
        incidents,
        playbook_bodies,
    }
}

/// Whether the incident has reached the stage where a step of the default
/// checklist is expected: an active incident is not mitigated yet, and only a
/// resolved one has verified and announced its resolution. Steps a team adds
/// in pm.toml are expected at every stage.
pub fn step_due(step: &str, status: Status) -> bool {
    match step {
        "mitigate" | "schedule-postmortem" => status != Status::Active,
        "verify-resolution" | "communicate-resolution" => status == Status::Resolved,
        _ => true,
    }
}

/// An incident as the views across records see it: its id, type, whether
/// it is a draft and when it started. Playbook lints and pages ask this of
/// every incident; `pm lint` keeps only this of each incident it has linted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glance<'a> {
    /// The incident id.
    pub id: &'a str,
    /// Its type.
    pub kind: &'a str,
    /// Whether it is a draft.
    pub draft: bool,
    /// When it started ([`Analysis::start`]).
    pub start: Option<Timestamp>,
}

impl<'a> Glance<'a> {
    /// The glance of an analysed incident.
    pub fn of(incident: &'a Incident, analyses: &Analyses) -> Glance<'a> {
        Glance {
            id: &incident.id,
            kind: &incident.kind.value,
            draft: incident.draft,
            start: analyses.incidents.get(&incident.id).and_then(|a| a.start),
        }
    }
}

/// Incidents of type `kind` that started after its playbook (`file`) was
/// last revised in git, oldest first: what it may not have learned yet.
pub fn stale_since<'a>(
    incidents: impl IntoIterator<Item = Glance<'a>>,
    history: &crate::revisions::History,
    file: &str,
    kind: &str,
) -> Vec<&'a str> {
    let Some(revised) = history
        .files
        .get(file)
        .and_then(|h| h.last())
        .and_then(|r| Timestamp::from_second(r.time).ok())
    else {
        return Vec::new();
    };
    let mut since: Vec<(Timestamp, &str)> = incidents
        .into_iter()
        .filter(|i| i.kind == kind && !i.draft)
        .filter_map(|i| Some((i.start?, i.id)).filter(|(start, _)| *start > revised))
        .collect();
    since.sort();
    since.into_iter().map(|(_, id)| id).collect()
}

/// Analyses one incident.
pub fn analyze_incident(
    incident: &Incident,
    config: &Config,
    markdown: &Markdown,
    depth: Depth,
) -> Analysis {
    let events = &incident.timeline;
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].at, i));

    // Each event written before one that happened earlier: (event, the
    // latest event written before it), both as positions in the timeline.
    // Day-only events have no time to compare; they are placed by their day.
    let mut out_of_order = Vec::new();
    let mut latest: Option<usize> = None;
    for (i, event) in events.iter().enumerate().filter(|(_, e)| !e.day_only) {
        match latest {
            Some(l) if event.at < events[l].at => out_of_order.push((i, l)),
            Some(l) if events[l].at >= event.at => {}
            _ => latest = Some(i),
        }
    }
    // Milestones, durations and gaps are measured between instants: an
    // event known only by its day takes no part in them.
    let timed: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| !events[i].day_only)
        .collect();

    let mut milestones = Vec::new();
    let mut missing_milestones = Vec::new();
    for (step, _) in MILESTONES {
        // The first event in time carrying the step, not the first written.
        let hit = timed
            .iter()
            .map(|&i| (i, &events[i]))
            .find(|(_, e)| e.has_step(step));
        match hit {
            Some((i, e)) => milestones.push(Milestone {
                step,
                at: e.at,
                event: i,
                approx: e.approx,
            }),
            None => missing_milestones.push(step),
        }
    }
    let find = |step: &str| milestones.iter().find(|m| m.step == step);
    let at = |step: &str| find(step).map(|m| m.at);
    let approx =
        |a: &str, b: &str| find(a).is_some_and(|m| m.approx) || find(b).is_some_and(|m| m.approx);
    // Milestones must follow their order; each one that happened before an
    // earlier milestone is paired with the latest such milestone.
    let mut inverted = Vec::new();
    let mut latest: Option<&Milestone> = None;
    for m in &milestones {
        match latest {
            Some(l) if m.at < l.at => inverted.push((l.step, m.step)),
            _ => latest = Some(m),
        }
    }
    let span = |from: &'static str, to: &'static str| -> Option<SignedDuration> {
        let d = at(to)?.duration_since(at(from)?);
        (!d.is_negative()).then_some(d)
    };
    let origin = if at("impact-start").is_some() {
        "impact-start"
    } else {
        "detected"
    };
    let durations = Durations {
        detect: span("impact-start", "detected"),
        acknowledge: span("detected", "acknowledge"),
        mitigate: span(origin, "mitigate"),
        resolve: span(origin, "verify-resolution"),
        from_detection: origin == "detected" && at("detected").is_some(),
        approx: Approximate {
            detect: approx("impact-start", "detected"),
            acknowledge: approx("detected", "acknowledge"),
            mitigate: approx(origin, "mitigate"),
            resolve: approx(origin, "verify-resolution"),
        },
    };
    let impact = impact_intervals(events, &timed, at("verify-resolution"));

    let first = timed.first().or(order.first()).map(|&i| events[i].at);
    let last = timed.last().map(|&i| events[i].at);
    let start = at("impact-start").or(at("detected")).or(first);
    let end = at("verify-resolution").or(last);
    let window = match (start, end) {
        (Some(s), Some(e)) if s <= e => Some((s, e)),
        _ => None,
    };
    let gap_threshold = config.gap_for(&incident.severity.value);
    let mut gaps = Vec::new();
    if let Some((s, e)) = window {
        let inside: Vec<usize> = timed
            .iter()
            .copied()
            .filter(|&i| events[i].at >= s && events[i].at <= e)
            .collect();
        for pair in inside.windows(2) {
            let (a, b) = (&events[pair[0]], &events[pair[1]]);
            let length = b.at.duration_since(a.at);
            if length > gap_threshold {
                gaps.push(Gap {
                    after: pair[0],
                    before: pair[1],
                    from: a.at,
                    to: b.at,
                    length,
                    explanation: b.gap.clone(),
                });
            }
        }
    }

    let checklist = config
        .checklist
        .iter()
        .map(|step| StepCoverage {
            id: step.id.clone(),
            title: step.title.clone(),
            required: step.required_at(&incident.severity.value)
                && step_due(&step.id, incident.status.value),
            coverage: coverage(incident, &order, &step.id),
        })
        .collect();

    Analysis {
        order,
        milestones,
        missing_milestones,
        durations,
        impact,
        inverted_milestones: inverted,
        window,
        gaps,
        gap_threshold,
        out_of_order,
        checklist,
        start,
        body: markdown.digest(incident.origin.body(), depth),
        body_terms: None,
    }
}

/// The impact intervals of a timeline (`timed`: its timed events in time
/// order): each `impact-start` with no interval open opens one, each
/// `mitigate` closes the open one. An interval still open at the end closes
/// at `resolved` (verify-resolution) when that is later, else stays open.
fn impact_intervals(
    events: &[crate::model::Event],
    timed: &[usize],
    resolved: Option<Timestamp>,
) -> Vec<ImpactInterval> {
    let mut out = Vec::new();
    let mut open: Option<ImpactInterval> = None;
    for event in timed.iter().map(|&i| &events[i]) {
        if open.is_none() && event.has_step("impact-start") {
            open = Some(ImpactInterval {
                start: event.at,
                end: None,
                approx: event.approx,
            });
        }
        if let Some(mut interval) = open.take_if(|_| event.has_step("mitigate")) {
            interval.end = Some(event.at);
            interval.approx |= event.approx;
            out.push(interval);
        }
    }
    if let Some(mut interval) = open {
        interval.end = resolved.filter(|r| *r >= interval.start);
        out.push(interval);
    }
    out
}

/// The evidence rules of FORMAT.md, strongest first: an event, then
/// structured data, then the `[checklist]` table.
fn coverage(incident: &Incident, order: &[usize], step: &str) -> Coverage {
    if let Some(&i) = order.iter().find(|&&i| incident.timeline[i].has_step(step)) {
        return Coverage::Done(Evidence::Event(i));
    }
    let structured = match step {
        "form-hypothesis" if !incident.hypotheses.is_empty() => Some(Evidence::Hypotheses),
        "test-hypothesis"
            if incident
                .hypotheses
                .iter()
                .any(|h| h.result != HypothesisResult::Untested) =>
        {
            Some(Evidence::TestedHypothesis)
        }
        "check-recent-changes" if !incident.changes.is_empty() => Some(Evidence::Changes),
        "notify-stakeholders" if !incident.updates.is_empty() => Some(Evidence::Update),
        "communicate-resolution"
            if incident
                .updates
                .iter()
                .any(|u| u.status == Some(UpdateStatus::Resolved)) =>
        {
            Some(Evidence::ResolvedUpdate)
        }
        _ => None,
    };
    if let Some(e) = structured {
        return Coverage::Done(e);
    }
    match incident.checklist.get(step).map(|e| &e.value) {
        Some(CheckEntry::Done) => Coverage::Done(Evidence::Declared),
        Some(CheckEntry::Skipped(reason)) => Coverage::Skipped(reason.clone()),
        Some(CheckEntry::Unknown(reason)) => Coverage::Unknown(reason.clone()),
        None => Coverage::Missing,
    }
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(values: &mut [SignedDuration]) -> Option<SignedDuration> {
    if values.is_empty() {
        return None;
    }
    values.sort();
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        Some(values[mid])
    } else {
        let sum = values[mid - 1].as_secs() + values[mid].as_secs();
        Some(SignedDuration::from_secs(sum / 2))
    }
}

/// A SEV2 `database` incident, id `a`, whose front matter ends with `front`,
/// read the way `pm build` reads it; for tests of this and later stages.
#[cfg(test)]
pub(crate) fn test_incident(front: &str) -> Incident {
    use crate::diag::Diagnostics;
    use crate::source::{RecordKind, SourceFile, SourceSet};
    let text = format!(
        "+++\ntitle = \"t\"\nseverity = \"SEV2\"\ntype = \"database\"\nstatus = \"resolved\"\n{front}\n+++\n## Summary\n"
    );
    let set = SourceSet {
        records: vec![SourceFile {
            kind: RecordKind::Incident,
            rel: "incidents/a.md".into(),
            stem: "a".into(),
            bytes: text.into_bytes(),
            attachments: None,
        }],
        ..SourceSet::default()
    };
    let mut d = Diagnostics::new();
    let parsed = crate::parse::parse(set.records, &mut d);
    let mut corpus = crate::model::validate(parsed, &Config::default(), &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    corpus.incidents.remove("a").expect("the record reads")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(front: &str) -> Incident {
        test_incident(front)
    }

    const TIMELINE: &str = r#"
[[timeline]]
at = 2026-11-03T14:00:00Z
text = "impact starts"
step = "impact-start"
[[timeline]]
at = 2026-11-03T14:10:00Z
text = "page"
step = "detected"
[[timeline]]
at = 2026-11-03T14:12:00Z
text = "ack"
step = "acknowledge"
[[timeline]]
at = 2026-11-03T14:50:00Z
text = "silence was 38 minutes"
[[timeline]]
at = 2026-11-03T15:30:00Z
text = "explained 40 minutes"
gap = "waited for the vendor"
step = "mitigate"
[[timeline]]
at = 2026-11-03T15:45:00Z
text = "verified"
step = "verify-resolution"
[[timeline]]
at = 2026-11-03T17:00:00Z
text = "after the window: no gap counted"
"#;

    #[test]
    fn durations_follow_the_definitions() {
        let a = analyze_incident(
            &incident(TIMELINE),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        let mins = |d: Option<SignedDuration>| d.map(|d| d.as_secs() / 60);
        assert_eq!(mins(a.durations.detect), Some(10));
        assert_eq!(mins(a.durations.acknowledge), Some(2));
        assert_eq!(mins(a.durations.mitigate), Some(90));
        assert_eq!(mins(a.durations.resolve), Some(105));
        assert!(!a.durations.from_detection);
        assert!(a.missing_milestones.is_empty());
    }

    #[test]
    fn gaps_inside_the_window_only_and_strictly_longer() {
        let a = analyze_incident(
            &incident(TIMELINE),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        let gaps: Vec<_> = a
            .gaps
            .iter()
            .map(|g| {
                (
                    g.after,
                    g.before,
                    g.length.as_secs() / 60,
                    g.explanation.is_some(),
                )
            })
            .collect();
        assert_eq!(gaps, vec![(2, 3, 38, false), (3, 4, 40, true)]);
    }

    #[test]
    fn a_gap_of_exactly_the_threshold_is_not_a_gap() {
        let tl = r#"
[[timeline]]
at = 2026-11-03T14:00:00Z
text = "a"
step = "detected"
[[timeline]]
at = 2026-11-03T14:30:00Z
text = "b"
step = "verify-resolution"
"#;
        let a = analyze_incident(
            &incident(tl),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        assert!(a.gaps.is_empty());
        assert!(a.durations.from_detection);
        assert_eq!(a.durations.resolve.map(|d| d.as_secs()), Some(1800));
        assert_eq!(a.durations.detect, None);
    }

    #[test]
    fn checklist_evidence_rules() {
        let extra = r#"
[checklist]
schedule-postmortem = true
assess-severity = "skipped: obvious SEV2"
[[hypotheses]]
text = "pool"
result = "confirmed"
[[updates]]
at = 2026-11-03T15:00:00Z
status = "resolved"
audience = "customers"
text = "fixed"
"#;
        let a = analyze_incident(
            &incident(&format!("{TIMELINE}{extra}")),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        let state = |id: &str| {
            a.checklist
                .iter()
                .find(|s| s.id == id)
                .unwrap()
                .coverage
                .clone()
        };
        assert_eq!(state("acknowledge"), Coverage::Done(Evidence::Event(2)));
        assert_eq!(
            state("form-hypothesis"),
            Coverage::Done(Evidence::Hypotheses)
        );
        assert_eq!(
            state("test-hypothesis"),
            Coverage::Done(Evidence::TestedHypothesis)
        );
        assert_eq!(
            state("notify-stakeholders"),
            Coverage::Done(Evidence::Update)
        );
        assert_eq!(
            state("communicate-resolution"),
            Coverage::Done(Evidence::ResolvedUpdate)
        );
        assert_eq!(
            state("schedule-postmortem"),
            Coverage::Done(Evidence::Declared)
        );
        assert_eq!(
            state("assess-severity"),
            Coverage::Skipped("obvious SEV2".into())
        );
        assert_eq!(state("check-recent-changes"), Coverage::Missing);
    }

    #[test]
    fn out_of_order_events_and_inverted_milestones() {
        let tl = r#"
[[timeline]]
at = 2026-11-03T14:30:00Z
text = "page"
step = "detected"
[[timeline]]
at = 2026-11-03T14:00:00Z
text = "ack before detection"
step = "acknowledge"
"#;
        let a = analyze_incident(
            &incident(tl),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        assert_eq!(a.out_of_order, vec![(1, 0)]);
        assert_eq!(a.inverted_milestones, vec![("detected", "acknowledge")]);
        assert_eq!(a.durations.acknowledge, None);
    }

    #[test]
    fn impact_intervals_recur_and_day_only_events_are_not_measured() {
        let tl = r#"
[[timeline]]
at = 2026-11-02
text = "a day-only event carrying a milestone is not the milestone"
step = "impact-start"
[[timeline]]
at = 2026-11-03T14:00:00Z
approx = true
text = "impact"
step = "impact-start"
[[timeline]]
at = 2026-11-03T14:10:00Z
text = "contained"
step = "mitigate"
[[timeline]]
at = 2026-11-03T14:30:00Z
text = "back again"
step = "impact-start"
[[timeline]]
at = 2026-11-03T14:50:00Z
text = "never mitigated again: ends at the resolution"
step = ["detected", "verify-resolution"]
"#;
        let a = analyze_incident(
            &incident(tl),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        let mins = |d: SignedDuration| d.as_secs() / 60;
        assert_eq!(a.milestone("impact-start").map(|m| m.event), Some(1));
        assert_eq!(a.impact.len(), 2);
        assert!(a.recurred());
        assert!(a.impact[0].approx && !a.impact[1].approx);
        assert_eq!(
            a.impact[1].end,
            a.milestone("verify-resolution").map(|m| m.at)
        );
        assert_eq!(a.total_impact().map(mins), Some(30));
        assert_eq!(a.durations.mitigate.map(mins), Some(10));
        assert!(a.durations.approx.mitigate && a.durations.approx.detect);
        assert!(!a.durations.approx.acknowledge);
        // The day-only event bounds no gap: the window starts at 14:00.
        assert_eq!(
            a.window.map(|w| w.0),
            a.milestone("impact-start").map(|m| m.at)
        );
        assert!(a.gaps.is_empty());
        assert!(a.out_of_order.is_empty());
    }

    #[test]
    fn an_interval_without_an_end_leaves_the_total_unmeasured() {
        let tl = r#"
[[timeline]]
at = 2026-11-03T14:00:00Z
text = "impact"
step = "impact-start"
[[timeline]]
at = 2026-11-03T14:20:00Z
text = "still going"
"#;
        let a = analyze_incident(
            &incident(tl),
            &Config::default(),
            &Markdown::new(),
            Depth::Outline,
        );
        assert_eq!(a.impact.len(), 1);
        assert_eq!(a.impact[0].end, None);
        assert_eq!(a.total_impact(), None);
        assert!(!a.recurred());
    }

    #[test]
    fn median_of_even_and_odd() {
        let s = SignedDuration::from_secs;
        assert_eq!(median(&mut [s(3), s(1), s(2)]), Some(s(2)));
        assert_eq!(median(&mut [s(4), s(1), s(2), s(3)]), Some(s(2)));
        assert_eq!(median(&mut []), None);
    }
}
