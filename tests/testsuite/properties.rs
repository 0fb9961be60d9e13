//! Property tests of the timeline analysis (issue 9, item 6), through the
//! library API on records written as text, as a user would:
//!
//! - gaps are exactly the silences longer than the threshold inside the
//!   incident's window (checked against an independent computation);
//! - durations are never negative, and equal the milestones' distance when
//!   they are given;
//! - the order in which records reach pm never changes its output: the same
//!   diagnostics and the same bytes on every page of the site.
//!
//! Case counts are small enough for CI (about ten seconds in a debug build);
//! `PROPTEST_CASES=10000 cargo test --test testsuite properties::` runs more.

use std::sync::LazyLock;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use pm::analysis::{self, Analysis};
use pm::config::Config;
use pm::diag::{self, Diagnostics};
use pm::lint::{self, CliLevels, Levels, LintCx};
use pm::markdown::{Depth, Markdown};
use pm::model;
use pm::parse;
use pm::render::view::ViewCx;
use pm::render::{Renderer, Templates};
use pm::source::{RecordKind, SourceFile};
use proptest::prelude::*;

const TODAY: Date = Date::constant(2026, 11, 30);
/// 2026-01-01T10:00:00Z: minute offsets are counted from here.
const BASE: i64 = 1_767_261_600;
const MILESTONES: [&str; 5] = [
    "impact-start",
    "detected",
    "acknowledge",
    "mitigate",
    "verify-resolution",
];

/// One generated timeline event: minutes after `BASE`, and maybe a milestone.
#[derive(Debug, Clone)]
struct Event {
    minute: i64,
    step: Option<&'static str>,
}

fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(BASE + minute * 60).expect("in range")
}

fn event() -> impl Strategy<Value = Event> {
    let step = prop_oneof![
        3 => Just(None),
        1 => proptest::sample::select(&MILESTONES[..]).prop_map(Some),
    ];
    (0..720_i64, step).prop_map(|(minute, step)| Event { minute, step })
}

/// A timeline in written order (times in any order, ties allowed).
fn timeline() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(event(), 1..14)
}

/// An incident record with `events`, as a file would hold it.
fn record(title: &str, severity: &str, status: &str, kind: &str, events: &[Event]) -> String {
    let mut text = format!(
        "+++\ntitle = \"{title}\"\nseverity = \"{severity}\"\ntype = \"{kind}\"\nstatus = \"{status}\"\n\
         services = [\"api\"]\nsummary = \"What happened to {title}.\"\n"
    );
    for (i, e) in events.iter().enumerate() {
        text.push_str(&format!(
            "\n[[timeline]]\nat = {}\ntext = \"Event {i} of {title}\"\n",
            at(e.minute)
        ));
        if let Some(step) = e.step {
            text.push_str(&format!("step = \"{step}\"\n"));
        }
    }
    text.push_str(&format!(
        "\n[[actions]]\ntext = \"Fix {title}\"\nowner = \"alex\"\nkind = \"prevention\"\n+++\n\n## Summary\n\n{title} broke.\n"
    ));
    text
}

fn incident_file(id: &str, text: String) -> SourceFile {
    SourceFile {
        kind: RecordKind::Incident,
        rel: format!("incidents/{id}.md"),
        stem: id.to_owned(),
        bytes: text.into_bytes(),
        attachments: None,
    }
}

/// Parses, validates and analyses one incident with the gap threshold `gap`.
fn analyse(events: &[Event], gap: SignedDuration) -> Analysis {
    let config = Config {
        gap,
        ..Config::default()
    };
    let file = incident_file(
        "2026-01-01-prop",
        record("Prop", "SEV3", "resolved", "x", events),
    );
    let mut diags = Diagnostics::new();
    let parsed = match parse::parse_file(file).1 {
        Ok(parsed) => parsed,
        Err(d) => panic!("generated record does not parse: {d:?}"),
    };
    let corpus = model::validate(vec![parsed], &config, &mut diags);
    let Some(incident) = corpus.incidents.get("2026-01-01-prop") else {
        panic!("generated record is not valid: {:?}", diags.items());
    };
    analysis::analyze_incident(incident, &config, &Markdown::new(), Depth::Outline)
}

/// When a milestone was reached: the earliest event carrying it.
fn milestone(events: &[Event], step: &str) -> Option<i64> {
    events
        .iter()
        .filter(|e| e.step == Some(step))
        .map(|e| e.minute)
        .min()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Gaps are exactly the silences longer than the threshold between
    /// consecutive events (in time) inside the window: from impact start
    /// (else detection, else the first event) to the verified resolution
    /// (else the last event).
    #[test]
    fn gaps_are_exactly_the_silences_over_the_threshold(
        events in timeline(),
        threshold in 1..120_i64,
    ) {
        let analysis = analyse(&events, SignedDuration::from_mins(threshold));
        let first = events.iter().map(|e| e.minute).min().unwrap_or_default();
        let last = events.iter().map(|e| e.minute).max().unwrap_or_default();
        let start = milestone(&events, "impact-start")
            .or(milestone(&events, "detected"))
            .unwrap_or(first);
        let end = milestone(&events, "verify-resolution").unwrap_or(last);
        let mut inside: Vec<i64> = events
            .iter()
            .map(|e| e.minute)
            .filter(|m| start <= *m && *m <= end)
            .collect();
        inside.sort_unstable();
        let expected: Vec<(Timestamp, Timestamp)> = inside
            .windows(2)
            .filter(|w| w[1] - w[0] > threshold)
            .map(|w| (at(w[0]), at(w[1])))
            .collect();
        let found: Vec<(Timestamp, Timestamp)> =
            analysis.gaps.iter().map(|g| (g.from, g.to)).collect();
        prop_assert_eq!(found, expected);
        for g in &analysis.gaps {
            prop_assert_eq!(g.length, g.to.duration_since(g.from));
            prop_assert!(g.length > SignedDuration::from_mins(threshold));
        }
    }

    /// No duration is ever negative; each one given is the distance between
    /// its two milestones, and it is missing only when a milestone is, or
    /// they are in the wrong order.
    #[test]
    fn durations_are_never_negative(events in timeline()) {
        let analysis = analyse(&events, SignedDuration::from_mins(30));
        let d = analysis.durations;
        let origin = if milestone(&events, "impact-start").is_some() {
            "impact-start"
        } else {
            "detected"
        };
        for (duration, from, to) in [
            (d.detect, "impact-start", "detected"),
            (d.acknowledge, "detected", "acknowledge"),
            (d.mitigate, origin, "mitigate"),
            (d.resolve, origin, "verify-resolution"),
        ] {
            let expected = match (milestone(&events, from), milestone(&events, to)) {
                (Some(a), Some(b)) if b >= a => Some(SignedDuration::from_mins(b - a)),
                _ => None,
            };
            prop_assert_eq!(duration, expected, "{} -> {}", from, to);
            if let Some(duration) = duration {
                prop_assert!(!duration.is_negative());
            }
        }
        if let Some((start, end)) = analysis.window {
            prop_assert!(start <= end);
        }
    }
}

static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| match Templates::load(&[]) {
    Ok(t) => t,
    Err(e) => panic!("templates: {e}"),
});

/// Everything pm outputs for a set of records, read in the order given:
/// the diagnostics as JSON lines, then every file of the site.
fn output_of(records: &[SourceFile]) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let config = Config::default();
    let mut diags = Diagnostics::new();
    let parsed = parse::parse(records.to_vec(), &mut diags);
    let corpus = model::validate(parsed, &config, &mut diags);
    let markdown = Markdown::new();
    let analyses = analysis::analyze(&corpus, &config, &markdown, Depth::Page);
    let levels = Levels::resolve(&config, &CliLevels::default(), &mut diags);
    let index = lint::Index::new(&corpus, &analyses);
    let cx = LintCx {
        facts: pm::analysis::Facts {
            corpus: &corpus,
            analyses: &analyses,
            config: &config,
            markdown: &markdown,
            history: None,
            today: TODAY,
        },
        index: &index,
    };
    lint::run_all(&cx, &levels, &mut diags);
    diags.sort();
    let lines = diags
        .items()
        .iter()
        .map(|d| diag::render_json_line(d, &diags.sources))
        .collect();
    let renderer = Renderer {
        cx: ViewCx {
            facts: pm::analysis::Facts {
                corpus: &corpus,
                analyses: &analyses,
                config: &config,
                markdown: &markdown,
                history: None,
                today: TODAY,
            },
            diagnostics: &diags,
            lessons: Default::default(),
        },
        templates: &TEMPLATES,
    };
    let pages = renderer
        .pages()
        .into_iter()
        .map(|(path, page)| match renderer.render(&page) {
            Ok(bytes) => (path, bytes),
            Err(e) => panic!("rendering {path}: {e}"),
        })
        .collect();
    (lines, pages)
}

/// A few incidents of different severities, statuses and types, on
/// possibly the same days, with a playbook for one of the types.
fn records() -> impl Strategy<Value = Vec<SourceFile>> {
    let one = (
        1..28_u8,
        proptest::sample::select(&["SEV1", "SEV2", "SEV3", "SEV4"][..]),
        proptest::sample::select(&["active", "mitigated", "resolved"][..]),
        proptest::sample::select(&["database", "network"][..]),
        timeline(),
    );
    prop::collection::vec(one, 1..5).prop_map(|incidents| {
        let mut files: Vec<SourceFile> = incidents
            .into_iter()
            .enumerate()
            .map(|(i, (day, severity, status, kind, events))| {
                let id = format!("2026-01-{day:02}-incident-{i}");
                incident_file(
                    &id,
                    record(&format!("Incident {i}"), severity, status, kind, &events),
                )
            })
            .collect();
        files.push(SourceFile {
            kind: RecordKind::Playbook,
            rel: "playbooks/database.md".to_owned(),
            stem: "database".to_owned(),
            bytes: b"+++\ntitle = \"Database\"\nowner = \"dba\"\n+++\n\n## Symptoms\n\nSlow.\n"
                .to_vec(),
            attachments: None,
        });
        files
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Records reach pm in directory order, which differs between machines;
    /// none of its output may depend on it.
    #[test]
    fn the_order_of_records_never_changes_the_output(
        (files, order) in records().prop_flat_map(|files| {
            let order: Vec<usize> = (0..files.len()).collect();
            (Just(files), Just(order).prop_shuffle())
        })
    ) {
        let shuffled: Vec<SourceFile> = order.iter().map(|&i| files[i].clone()).collect();
        let (lines, pages) = output_of(&files);
        let (shuffled_lines, shuffled_pages) = output_of(&shuffled);
        prop_assert_eq!(lines, shuffled_lines);
        prop_assert_eq!(pages.len(), shuffled_pages.len());
        for ((path, a), (other, b)) in pages.iter().zip(&shuffled_pages) {
            prop_assert_eq!(path, other);
            prop_assert!(a == b, "{} differs when the records come in another order", path);
        }
    }
}
