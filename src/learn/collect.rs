//! Gathering what a type's incidents teach, section by section, merging
//! items whose normalised text is the same, or that say the same in other
//! words in different incidents (by `matching`'s stems, the rule a curated
//! item is matched by). Uses `matching`, `lessons` and `commands`.

use std::borrow::Cow;
use std::cmp::Reverse;

use jiff::Timestamp;

use super::commands::{command_of, label_from_lead};
use super::lessons::{
    Item, Lessons, MitigationLesson, Outcome, Seen, normalise, normalise_command,
};
use super::matching::{MIN_OVERLAP, Stems};
use crate::analysis::{Analyses, Analysis};
use crate::humanize;
use crate::model::{Corpus, HypothesisResult, Incident, Mitigation, Status, mitigation_rank};

/// The steps whose timeline events a playbook learns from (its first
/// checks, resolution and verification); an incident's other events teach
/// it nothing.
pub const LEARNED_STEPS: [&str; 4] = [
    "gather-evidence",
    "test-hypothesis",
    "mitigate",
    "verify-resolution",
];

/// The heading of the section whose first paragraph is a cause when no
/// hypothesis was confirmed (compared without case).
pub const ROOT_CAUSE_HEADING: &str = "Root cause";

/// Items of one section, merged by key (or by meaning, see
/// [`Collector::add_to`]), in first-seen order until sorted.
#[derive(Default)]
struct Collector {
    items: Vec<Item>,
    by_key: foldhash::HashMap<String, usize>,
    /// The stems of each item's first text, by the item's position; empty
    /// for items that merge by key only (commands).
    stems: Vec<Stems>,
    /// How many content words each item's current text has, by position:
    /// known from its stems when it has them (trimming a text changes no
    /// word), else counted when a merge first needs it; kept when the text
    /// changes.
    words: Vec<Option<usize>>,
}

impl Collector {
    /// Adds one occurrence of `text` to the item at `key` (its
    /// [`normalise`]d text), else to the one `stems` (the stems of `text`)
    /// says means the same, else as a new item, and returns the position of
    /// the item it went to (`None` for an empty key). Without `stems` it
    /// merges by key only. An item seen twice in one incident counts once.
    ///
    /// The occurrences of one incident come one after another, incidents
    /// each once (see [`learn`]): an item seen in `seen` has it last.
    fn add_to(
        &mut self,
        text: &str,
        key: &str,
        stems: Option<&Stems>,
        detail: Option<String>,
        seen: &Seen,
    ) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        let by_key = self.by_key.get(key).copied();
        let found = by_key.or_else(|| stems.and_then(|s| self.same_meaning(s, seen)));
        match found {
            Some(i) => {
                // Of two wordings of one meaning, the one with fewer content
                // words names the item: it is the more general one (an
                // incident's own names and figures are what the other adds).
                let shorter = match stems {
                    Some(new) => !new.is_empty() && new.len() < self.words_of(i),
                    None => false,
                };
                if shorter && let (Some(new), Some(words)) = (stems, self.words.get_mut(i)) {
                    // `stems` are the stems of `text`, trimmed or not.
                    *words = Some(new.len());
                }
                let item = self.items.get_mut(i)?;
                if shorter {
                    text.trim().clone_into(&mut item.text);
                }
                if item.seen_in.last().map(|s| s.id.as_str()) != Some(seen.id.as_str()) {
                    item.seen_in.push(seen.clone());
                }
                if item.detail.is_none() {
                    item.detail = detail;
                }
                if by_key.is_none() {
                    // The next occurrence of this very wording merges at once.
                    self.by_key.insert(key.to_owned(), i);
                }
                Some(i)
            }
            None => {
                let i = self.items.len();
                self.by_key.insert(key.to_owned(), i);
                // The stems of `text` are those of `text.trim()`.
                self.words.push(stems.map(Stems::len));
                self.stems.push(stems.cloned().unwrap_or_default());
                self.items.push(Item {
                    text: text.trim().to_owned(),
                    key: key.to_owned(),
                    detail,
                    seen_in: vec![seen.clone()],
                });
                Some(i)
            }
        }
    }

    /// How many content words item `i`'s current text has (0 past the end).
    fn words_of(&mut self, i: usize) -> usize {
        if let Some(Some(n)) = self.words.get(i) {
            return *n;
        }
        let n = self
            .items
            .get(i)
            .map_or(0, |item| Stems::of(&item.text).len());
        if let Some(slot) = self.words.get_mut(i) {
            *slot = Some(n);
        }
        n
    }

    /// The item of another incident that says what `stems` says (by
    /// [`Stems::matches`], as a curated item is matched): the closest, the
    /// first seen among equals. Never an item of the same incident: two
    /// things one postmortem wrote apart stay apart (an item seen in
    /// `seen` has it last, see [`Collector::add_to`]).
    fn same_meaning(&self, stems: &Stems, seen: &Seen) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (i, (item, theirs)) in self.items.iter().zip(&self.stems).enumerate() {
            if item.seen_in.last().is_some_and(|s| s.id == seen.id) {
                continue;
            }
            let overlap = theirs.overlap(stems);
            if overlap >= MIN_OVERLAP && best.is_none_or(|(b, _)| overlap > b) {
                best = Some((overlap, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// The items by count (most first), then first-seen incident start, then text.
    fn finish(self) -> Vec<Item> {
        let mut items = self.items;
        items.sort_by(|a, b| item_order(a).cmp(&item_order(b)));
        items
    }
}

/// The order of learned items: seen most often first, then seen earliest,
/// then by text (normalised, so case and backticks do not decide).
fn item_order(item: &Item) -> (Reverse<usize>, bool, Option<Timestamp>, &str, &str) {
    let first = item.seen_in.first().and_then(|s| s.start);
    (
        Reverse(item.count()),
        first.is_none(),
        first,
        item.key.as_str(),
        item.text.as_str(),
    )
}

/// How many incidents [`learn`] reads at a time: what they say, with its
/// keys and stems, is let go before the next ones are read. Two in unit
/// tests, so that their small corpora cross from one batch to the next.
const AT_ONCE: usize = if cfg!(test) { 2 } else { 256 };

/// Learns what the non-draft incidents of type `kind` teach.
///
/// A few hundred incidents at a time, in two passes: what each incident
/// says is gathered, each text's key and stems are made (pure functions of
/// the text, in parallel: the one thing here whose work grows with every
/// word), then the collectors take them one by one in the order gathered,
/// so the lessons are the same whatever the number of threads. (Never
/// inlined: a profile shows it whole.)
#[inline(never)]
pub fn learn(kind: &str, corpus: &Corpus, analyses: &Analyses) -> Lessons {
    let incidents = seen_incidents(kind, corpus, analyses);
    let mut sections = Sections::default();
    for some in incidents.chunks(AT_ONCE) {
        sections.learn(some, analyses);
    }
    Lessons {
        kind: kind.to_owned(),
        incidents: incidents.into_iter().map(|(_, s)| s).collect(),
        symptoms: sections.symptoms.finish(),
        first_checks: sections.first_checks.finish(),
        causes: sections.causes.finish(),
        mitigations: sections.mitigations.finish(),
        resolution: sections.resolution.finish(),
        verification: sections.verification.finish(),
        commands: sections.commands.finish(),
    }
}

/// A section learned from texts that merge by meaning too.
#[derive(Debug, Clone, Copy)]
enum Part {
    Symptoms,
    FirstChecks,
    Causes,
    Resolution,
    Verification,
}

/// One thing an incident says, in the order learning meets it.
enum Said<'a> {
    /// A text of a section, with its detail (a cause's evidence).
    Text(Part, Cow<'a, str>, Option<String>),
    /// A mitigation weighed.
    Mitigation(&'a Mitigation),
    /// A shell command, and its label.
    Command(String, String),
}

impl Said<'_> {
    /// Whether it is a command, and the text it merges on (see [`key_of`]).
    fn text(&self) -> (bool, &str) {
        match self {
            Said::Text(_, text, _) => (false, text.as_ref()),
            Said::Mitigation(m) => (false, m.option.as_str()),
            Said::Command(command, _) => (true, command.as_str()),
        }
    }
}

/// What a `text` merges on: its key ([`normalise`]d, or for a `command`
/// [`normalise_command`]ed) and the stems it means the same by (none for
/// a command: commands merge only as written, in a shell a word changes
/// the meaning).
fn key_of(command: bool, text: &str) -> (String, Option<Stems>) {
    if command {
        (normalise_command(text), None)
    } else {
        (normalise(text), Some(Stems::of(text)))
    }
}

/// The non-draft incidents of type `kind`, oldest first, so the first
/// occurrence of an item is its first-seen one.
fn seen_incidents<'c>(
    kind: &str,
    corpus: &'c Corpus,
    analyses: &Analyses,
) -> Vec<(&'c Incident, Seen)> {
    let mut incidents: Vec<(&Incident, Seen)> = corpus
        .incidents
        .values()
        .filter(|i| i.kind.value == kind && !i.draft)
        .map(|i| {
            let start = analyses.incidents.get(&i.id).and_then(|a| a.start);
            let seen = Seen {
                id: i.id.clone(),
                title: i.title.clone(),
                start,
                date: start.map(|s| humanize::day(s, i.zone.as_ref())),
            };
            (i, seen)
        })
        .collect();
    incidents.sort_by(|(_, a), (_, b)| {
        (a.start.is_none(), a.start, &a.id).cmp(&(b.start.is_none(), b.start, &b.id))
    });
    incidents
}

/// One collector per section, filled incident by incident.
#[derive(Default)]
struct Sections {
    symptoms: Collector,
    first_checks: Collector,
    causes: Collector,
    resolution: Collector,
    verification: Collector,
    commands: Collector,
    mitigations: MitigationCollector,
}

impl Sections {
    /// Adds what `incidents` say, in their order.
    fn learn(&mut self, incidents: &[(&Incident, Seen)], analyses: &Analyses) {
        use rayon::prelude::*;
        let mut said = Vec::new();
        for (n, (incident, seen)) in incidents.iter().enumerate() {
            let analysis = analyses.incidents.get(&incident.id);
            let mut say = |what| said.push((n, what));
            symptoms_of(incident, &mut say);
            steps_of(incident, analysis, &mut say);
            causes_of(incident, analysis, &mut say);
            for m in &incident.mitigations {
                say(Said::Mitigation(m));
            }
            commands_of(analysis, seen, &mut say);
        }
        // Incidents of a type say the same texts again and again (1,000
        // generated ones: 13,715 texts, 3,253 of them different): each
        // different text's key and stems are made once.
        let mut distinct: foldhash::HashMap<(bool, &str), usize> = Default::default();
        let mut texts: Vec<(bool, &str)> = Vec::new();
        let slots: Vec<usize> = (said.iter())
            .map(|(_, what)| {
                let text = what.text();
                *distinct.entry(text).or_insert_with(|| {
                    texts.push(text);
                    texts.len() - 1
                })
            })
            .collect();
        // A text takes a few thousand instructions: in chunks of a few
        // dozen, handing work to another thread costs little beside it.
        let keys: Vec<(String, Option<Stems>)> = texts
            .par_iter()
            .with_min_len(32)
            .map(|&(command, text)| key_of(command, text))
            .collect();
        drop((distinct, texts));
        for ((n, what), slot) in said.into_iter().zip(slots) {
            let (Some((incident, seen)), Some((key, stems))) = (incidents.get(n), keys.get(slot))
            else {
                continue;
            };
            self.add(incident, what, key, stems.as_ref(), seen);
        }
    }

    /// Adds what `incident` said, with its `key` and `stems` (see
    /// [`key_of`]).
    fn add(
        &mut self,
        incident: &Incident,
        what: Said<'_>,
        key: &str,
        stems: Option<&Stems>,
        seen: &Seen,
    ) {
        match what {
            Said::Text(part, text, detail) => {
                let collector = match part {
                    Part::Symptoms => &mut self.symptoms,
                    Part::FirstChecks => &mut self.first_checks,
                    Part::Causes => &mut self.causes,
                    Part::Resolution => &mut self.resolution,
                    Part::Verification => &mut self.verification,
                };
                collector.add_to(&text, key, stems, detail, seen);
            }
            Said::Mitigation(m) => self.mitigations.add(incident, m, key, stems, seen),
            Said::Command(command, label) => {
                self.commands.add_to(&command, key, None, Some(label), seen);
            }
        }
    }
}

/// `[triage]`'s symptoms, and its error in code marks.
fn symptoms_of<'a>(incident: &'a Incident, say: &mut impl FnMut(Said<'a>)) {
    let Some(triage) = &incident.triage else {
        return;
    };
    for s in &triage.symptoms {
        say(Said::Text(Part::Symptoms, Cow::Borrowed(s), None));
    }
    if let Some(error) = triage
        .error
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let error = error.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = if error.contains('`') {
            error
        } else {
            format!("`{error}`")
        };
        say(Said::Text(Part::Symptoms, Cow::Owned(text), None));
    }
}

/// Timeline events by step, in time order: checks before the fix, the fix,
/// and its verification.
fn steps_of<'a>(
    incident: &'a Incident,
    analysis: Option<&Analysis>,
    say: &mut impl FnMut(Said<'a>),
) {
    let order: Vec<usize> = match analysis {
        Some(a) if a.order.len() == incident.timeline.len() => a.order.clone(),
        _ => (0..incident.timeline.len()).collect(),
    };
    let mitigated_at = analysis.and_then(|a| a.milestone("mitigate")).map(|m| m.at);
    for &i in &order {
        let Some(event) = incident.timeline.get(i) else {
            continue;
        };
        // An event that is several steps teaches each of them.
        for step in event.steps.iter().map(|s| s.value.as_str()) {
            let part = match step {
                "gather-evidence" | "test-hypothesis"
                    if mitigated_at.is_none_or(|m| event.at <= m) =>
                {
                    Part::FirstChecks
                }
                "mitigate" => Part::Resolution,
                "verify-resolution" => Part::Verification,
                _ => continue,
            };
            say(Said::Text(part, Cow::Borrowed(&event.text), None));
        }
    }
}

/// Confirmed hypotheses, else the body's root-cause paragraph.
fn causes_of<'a>(
    incident: &'a Incident,
    analysis: Option<&'a Analysis>,
    say: &mut impl FnMut(Said<'a>),
) {
    let confirmed: Vec<_> = incident
        .hypotheses
        .iter()
        .filter(|h| h.result == HypothesisResult::Confirmed)
        .collect();
    for h in &confirmed {
        say(Said::Text(
            Part::Causes,
            Cow::Borrowed(&h.text),
            h.evidence.clone(),
        ));
    }
    if confirmed.is_empty()
        && let Some(paragraph) = analysis.and_then(|a| a.body.lead_of(ROOT_CAUSE_HEADING))
    {
        say(Said::Text(Part::Causes, Cow::Borrowed(paragraph), None));
    }
}

/// The shell commands the body quotes, labelled by their lead sentence.
fn commands_of<'a>(analysis: Option<&Analysis>, seen: &Seen, say: &mut impl FnMut(Said<'a>)) {
    let blocks = analysis.map_or(&[][..], |a| &a.body.code_blocks[..]);
    for block in blocks {
        if let Some(command) = command_of(block) {
            let label = block
                .lead
                .as_deref()
                .and_then(label_from_lead)
                .unwrap_or_else(|| format!("From the postmortem of {}", seen.id));
            say(Said::Command(command, label));
        }
    }
}

/// Mitigations merged by option, with their record.
#[derive(Default)]
struct MitigationCollector {
    options: Collector,
    /// Each option's record, by the option's position.
    record: Vec<MitigationLesson>,
}

impl MitigationCollector {
    /// Adds mitigation `m` of `incident`, with its option's `key` and
    /// `stems` (see [`key_of`]).
    fn add(
        &mut self,
        incident: &Incident,
        m: &Mitigation,
        key: &str,
        stems: Option<&Stems>,
        seen: &Seen,
    ) {
        // The option merges with the same option of another incident in
        // other words; its record follows it.
        let Some(i) = self.options.add_to(&m.option, key, stems, None, seen) else {
            return;
        };
        let worked =
            m.chosen && matches!(incident.status.value, Status::Mitigated | Status::Resolved);
        if i == self.record.len() {
            // A new option.
            self.record.push(MitigationLesson {
                item: Item {
                    text: String::new(),
                    key: String::new(),
                    detail: None,
                    seen_in: Vec::new(),
                },
                speed: None,
                risk: None,
                effectiveness: None,
                tried: 0,
                worked: 0,
                outcomes: Vec::new(),
            });
        }
        let Some(lesson) = self.record.get_mut(i) else {
            return;
        };
        // Incidents come oldest first: a later rating replaces an earlier one.
        lesson.speed = m.speed.or(lesson.speed);
        lesson.risk = m.risk.or(lesson.risk);
        lesson.effectiveness = m.effectiveness.or(lesson.effectiveness);
        match lesson.outcomes.last_mut() {
            // The same option twice in one incident: one outcome, chosen if either was.
            Some(last) if last.id == seen.id => {
                if m.chosen && !last.chosen {
                    last.chosen = true;
                    last.worked = worked;
                    lesson.tried += 1;
                    lesson.worked += usize::from(worked);
                }
                if last.text.is_none() {
                    last.text = m.outcome.clone();
                }
            }
            _ => {
                lesson.tried += usize::from(m.chosen);
                lesson.worked += usize::from(worked);
                lesson.outcomes.push(Outcome {
                    id: seen.id.clone(),
                    chosen: m.chosen,
                    worked,
                    text: m.outcome.clone(),
                });
            }
        }
    }

    /// Best first: effectiveness, then speed, then lowest risk; then the
    /// better record, then the order of other items.
    fn finish(self) -> Vec<MitigationLesson> {
        let mut out: Vec<MitigationLesson> = self
            .options
            .items
            .into_iter()
            .zip(self.record)
            .map(|(item, mut lesson)| {
                lesson.item = item;
                lesson
            })
            .collect();
        out.sort_by(|a, b| {
            let key = |m: &MitigationLesson| {
                (
                    mitigation_rank(m.effectiveness, m.speed, m.risk),
                    Reverse(m.worked),
                    Reverse(m.tried),
                )
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| item_order(&a.item).cmp(&item_order(&b.item)))
        });
        out
    }
}
