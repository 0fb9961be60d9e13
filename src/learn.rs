//! Learning: what the incidents of one type teach its playbook.
//!
//! [`learn`] reads a type's incidents (drafts left out) and gathers, per
//! playbook section, what the records say: symptoms responders saw, the
//! checks that found the cause, the causes confirmed, the mitigations weighed
//! and how they fared, the steps that fixed and verified it, and the shell
//! commands the postmortems quote. Every item keeps the incidents it came
//! from. Items of different incidents merge only when their text is the same
//! after [`normalise`]: pm never guesses that two differently worded items
//! mean the same thing. [`unsaid`] keeps what a curated playbook does not say
//! yet; [`diff_text`] and [`diff_json`] print that for `pm playbook diff`.
//!
//! Pure: reads the model and the analysis (and bodies through
//! [`crate::markdown`]); renders no pages and writes nothing.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::analysis::Analyses;
use crate::humanize;
use crate::markdown::CodeBlock;
use crate::model::{Corpus, HypothesisResult, Incident, Playbook, Rating, Status, mitigation_rank};

/// A part of a playbook that incidents teach: the six sections, and commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// What responders saw.
    Symptoms,
    /// Checks made before the fix.
    FirstChecks,
    /// Causes confirmed.
    Causes,
    /// Options weighed.
    Mitigations,
    /// What fixed it.
    Resolution,
    /// How the fix was verified.
    Verification,
    /// Commands quoted in the postmortems.
    Commands,
}

impl Section {
    /// Every section, in playbook order (commands last).
    pub const ALL: [Section; 7] = [
        Section::Symptoms,
        Section::FirstChecks,
        Section::Causes,
        Section::Mitigations,
        Section::Resolution,
        Section::Verification,
        Section::Commands,
    ];

    /// The playbook key (`first_checks`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Symptoms => "symptoms",
            Section::FirstChecks => "first_checks",
            Section::Causes => "causes",
            Section::Mitigations => "mitigations",
            Section::Resolution => "resolution",
            Section::Verification => "verification",
            Section::Commands => "commands",
        }
    }

    /// The heading people read (`First checks`).
    pub fn title(self) -> &'static str {
        match self {
            Section::Symptoms => "Symptoms",
            Section::FirstChecks => "First checks",
            Section::Causes => "Common causes",
            Section::Mitigations => "Mitigations",
            Section::Resolution => "Resolution",
            Section::Verification => "Verification",
            Section::Commands => "Commands",
        }
    }
}

/// An incident an item was seen in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The incident's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it started (see [`crate::analysis::Analysis::start`]).
    pub start: Option<Timestamp>,
    /// The day it started, in the record's zone.
    pub date: Option<Date>,
}

/// One learned item and its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The text as first written (inline Markdown; for commands, the command).
    pub text: String,
    /// The text after [`normalise`] (or [`normalise_command`]): what merges.
    pub key: String,
    /// For causes, how the cause was confirmed; for commands, a label taken
    /// from the sentence before the command. The first one written wins.
    pub detail: Option<String>,
    /// The incidents it was seen in, each once, earliest first.
    pub seen_in: Vec<Seen>,
}

impl Item {
    /// In how many incidents it was seen.
    pub fn count(&self) -> usize {
        self.seen_in.len()
    }
}

/// How one mitigation fared in one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The incident.
    pub id: String,
    /// Whether the responders chose it.
    pub chosen: bool,
    /// Chosen in an incident that reached mitigation (status `mitigated` or
    /// `resolved`). pm does not read the outcome's words.
    pub worked: bool,
    /// The `outcome` as written.
    pub text: Option<String>,
}

/// A mitigation weighed in incidents, with its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MitigationLesson {
    /// The option and where it was weighed.
    pub item: Item,
    /// The most recent rating given.
    pub speed: Option<Rating>,
    /// The most recent rating given.
    pub risk: Option<Rating>,
    /// The most recent rating given.
    pub effectiveness: Option<Rating>,
    /// In how many incidents it was chosen.
    pub tried: usize,
    /// In how many of those it worked (see [`Outcome::worked`]).
    pub worked: usize,
    /// One per incident, in the order of [`Item::seen_in`].
    pub outcomes: Vec<Outcome>,
}

/// What the incidents of one type teach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lessons {
    /// The incident type.
    pub kind: String,
    /// The incidents learned from (drafts left out), earliest first.
    pub incidents: Vec<Seen>,
    /// `[triage] symptoms` and the `[triage] error` message.
    pub symptoms: Vec<Item>,
    /// `gather-evidence` and `test-hypothesis` events up to the first `mitigate`.
    pub first_checks: Vec<Item>,
    /// Confirmed hypotheses (with their evidence); for an incident without
    /// one, the first paragraph of its `## Root cause`.
    pub causes: Vec<Item>,
    /// `[[mitigations]]`, best first.
    pub mitigations: Vec<MitigationLesson>,
    /// `mitigate` events.
    pub resolution: Vec<Item>,
    /// `verify-resolution` events.
    pub verification: Vec<Item>,
    /// Shell commands quoted in the bodies.
    pub commands: Vec<Item>,
}

impl Lessons {
    /// The items of a section; mitigations as their options.
    pub fn items(&self, section: Section) -> Vec<&Item> {
        match section {
            Section::Symptoms => self.symptoms.iter().collect(),
            Section::FirstChecks => self.first_checks.iter().collect(),
            Section::Causes => self.causes.iter().collect(),
            Section::Mitigations => self.mitigations.iter().map(|m| &m.item).collect(),
            Section::Resolution => self.resolution.iter().collect(),
            Section::Verification => self.verification.iter().collect(),
            Section::Commands => self.commands.iter().collect(),
        }
    }

    /// How many items in all sections.
    pub fn total(&self) -> usize {
        Section::ALL.iter().map(|&s| self.items(s).len()).sum()
    }

    /// The record of a mitigation, found by its option's normalised text.
    pub fn mitigation(&self, option: &str) -> Option<&MitigationLesson> {
        let key = normalise(option);
        self.mitigations.iter().find(|m| m.item.key == key)
    }
}

/// The text two items must share to merge: lowercase, backticks dropped,
/// runs of whitespace as one space, trailing punctuation removed.
pub fn normalise(text: &str) -> String {
    let joined = text
        .replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    joined
        .trim_end_matches(['.', ',', ';', ':', '!', '?', '…'])
        .trim_end()
        .to_lowercase()
}

/// The text two commands must share to merge: each line's runs of
/// whitespace as one space, blank lines dropped. Case and punctuation are
/// kept: in a shell they change the meaning.
pub fn normalise_command(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Info strings of code blocks that hold commands to run, whole.
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "zsh"];
/// Info strings of terminal sessions: only the `$ ` lines are commands.
const SESSION_LANGS: &[&str] = &["console", "shell-session", ""];

/// The command a code block holds: a `sh`/`bash`/`shell`/`zsh` block whole
/// (a leading `$ ` prompt dropped from each line), or the `$ ` lines of a
/// `console` block or a block without a language (the rest is output, logs
/// or a stack trace, and is left out). Other languages (`sql`, `text`,
/// `diff`) are not commands to paste into a shell.
pub fn command_of(block: &CodeBlock) -> Option<String> {
    let lang = block.lang.as_str();
    let lines: Vec<String> = if SHELL_LANGS.contains(&lang) {
        block
            .literal
            .lines()
            .map(|l| l.strip_prefix("$ ").unwrap_or(l).trim_end().to_owned())
            .collect()
    } else if SESSION_LANGS.contains(&lang) {
        block
            .literal
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("$ "))
            .map(|l| l.trim_end().to_owned())
            .collect()
    } else {
        return None;
    };
    let text = lines.join("\n").trim_matches('\n').to_owned();
    (!text.trim().is_empty()).then_some(text)
}

/// A label for a command from the sentence that introduces it: the lead
/// paragraph's last sentence, without its colon and Markdown code marks.
fn label_from_lead(lead: &str) -> Option<String> {
    let lead = lead
        .replace('`', "")
        .trim()
        .trim_end_matches([':', '.', ' '])
        .to_owned();
    let start = [". ", "? ", "! "]
        .iter()
        .filter_map(|sep| lead.rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0);
    let sentence = lead.get(start..).unwrap_or("").trim();
    if sentence.is_empty() {
        return None;
    }
    const MAX: usize = 120;
    if sentence.chars().count() <= MAX {
        return Some(sentence.to_owned());
    }
    let cut: String = sentence.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    Some(format!("{}…", cut.trim_end_matches([',', ';', ' '])))
}

/// Items of one section, merged by key, in first-seen order until sorted.
#[derive(Default)]
struct Collector {
    items: Vec<Item>,
    by_key: HashMap<String, usize>,
}

impl Collector {
    /// Adds one occurrence. An item seen twice in one incident counts once.
    fn add(&mut self, text: &str, key: String, detail: Option<String>, seen: &Seen) {
        if key.is_empty() {
            return;
        }
        match self.by_key.get(&key) {
            Some(&i) => {
                let item = &mut self.items[i];
                if item.seen_in.last().map(|s| s.id.as_str()) != Some(seen.id.as_str()) {
                    item.seen_in.push(seen.clone());
                }
                if item.detail.is_none() {
                    item.detail = detail;
                }
            }
            None => {
                self.by_key.insert(key.clone(), self.items.len());
                self.items.push(Item {
                    text: text.trim().to_owned(),
                    key,
                    detail,
                    seen_in: vec![seen.clone()],
                });
            }
        }
    }

    fn add_text(&mut self, text: &str, detail: Option<String>, seen: &Seen) {
        self.add(text, normalise(text), detail, seen);
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

/// Learns what the non-draft incidents of type `kind` teach.
pub fn learn(kind: &str, corpus: &Corpus, analyses: &Analyses) -> Lessons {
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
    // Oldest first, so the first occurrence of an item is its first-seen one.
    incidents.sort_by(|(_, a), (_, b)| {
        (a.start.is_none(), a.start, &a.id).cmp(&(b.start.is_none(), b.start, &b.id))
    });

    let mut symptoms = Collector::default();
    let mut first_checks = Collector::default();
    let mut causes = Collector::default();
    let mut resolution = Collector::default();
    let mut verification = Collector::default();
    let mut commands = Collector::default();
    let mut mitigations = MitigationCollector::default();

    for (incident, seen) in &incidents {
        if let Some(triage) = &incident.triage {
            for s in &triage.symptoms {
                symptoms.add_text(s, None, seen);
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
                symptoms.add_text(&text, None, seen);
            }
        }

        let analysis = analyses.incidents.get(&incident.id);
        let order: Vec<usize> = match analysis {
            Some(a) if a.order.len() == incident.timeline.len() => a.order.clone(),
            _ => (0..incident.timeline.len()).collect(),
        };
        let mitigated_at = analysis.and_then(|a| a.milestone("mitigate")).map(|m| m.at);
        for &i in &order {
            let Some(event) = incident.timeline.get(i) else {
                continue;
            };
            let Some(step) = event.step.as_ref().map(|s| s.value.as_str()) else {
                continue;
            };
            match step {
                "gather-evidence" | "test-hypothesis"
                    if mitigated_at.is_none_or(|m| event.at <= m) =>
                {
                    first_checks.add_text(&event.text, None, seen);
                }
                "mitigate" => resolution.add_text(&event.text, None, seen),
                "verify-resolution" => verification.add_text(&event.text, None, seen),
                _ => {}
            }
        }

        let confirmed: Vec<_> = incident
            .hypotheses
            .iter()
            .filter(|h| h.result == HypothesisResult::Confirmed)
            .collect();
        for h in &confirmed {
            causes.add_text(&h.text, h.evidence.clone(), seen);
        }
        let body = analyses.incidents.get(&incident.id).map(|a| &a.body);
        if confirmed.is_empty()
            && let Some(paragraph) = body.and_then(|b| b.lead_of("Root cause"))
        {
            causes.add_text(paragraph, None, seen);
        }

        for m in &incident.mitigations {
            mitigations.add(incident, m, seen);
        }

        for block in body.map_or(&[][..], |b| &b.code_blocks[..]) {
            if let Some(command) = command_of(block) {
                let label = block
                    .lead
                    .as_deref()
                    .and_then(label_from_lead)
                    .unwrap_or_else(|| format!("From the postmortem of {}", seen.id));
                let key = normalise_command(&command);
                commands.add(&command, key, Some(label), seen);
            }
        }
    }

    Lessons {
        kind: kind.to_owned(),
        incidents: incidents.into_iter().map(|(_, s)| s).collect(),
        symptoms: symptoms.finish(),
        first_checks: first_checks.finish(),
        causes: causes.finish(),
        mitigations: mitigations.finish(),
        resolution: resolution.finish(),
        verification: verification.finish(),
        commands: commands.finish(),
    }
}

/// Mitigations merged by option, with their record.
#[derive(Default)]
struct MitigationCollector {
    options: Collector,
    record: HashMap<String, MitigationLesson>,
}

impl MitigationCollector {
    fn add(&mut self, incident: &Incident, m: &crate::model::Mitigation, seen: &Seen) {
        let key = normalise(&m.option);
        if key.is_empty() {
            return;
        }
        self.options.add(&m.option, key.clone(), None, seen);
        let worked =
            m.chosen && matches!(incident.status.value, Status::Mitigated | Status::Resolved);
        let lesson = self.record.entry(key).or_insert_with(|| MitigationLesson {
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
    fn finish(mut self) -> Vec<MitigationLesson> {
        let mut out: Vec<MitigationLesson> = self
            .options
            .items
            .into_iter()
            .filter_map(|item| {
                let mut lesson = self.record.remove(&item.key)?;
                lesson.item = item;
                Some(lesson)
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

/// What `lessons` teach that `playbook` does not say yet: per section, the
/// items whose normalised text matches none of the section's curated items.
/// Without a playbook, everything is unsaid.
pub fn unsaid(lessons: &Lessons, playbook: Option<&Playbook>) -> Lessons {
    let Some(p) = playbook else {
        return lessons.clone();
    };
    let keys = |items: Option<&Vec<String>>| -> HashSet<String> {
        items
            .map(|v| v.iter().map(|s| normalise(s)).collect())
            .unwrap_or_default()
    };
    let keep = |items: &[Item], said: &HashSet<String>| -> Vec<Item> {
        items
            .iter()
            .filter(|i| !said.contains(&i.key))
            .cloned()
            .collect()
    };
    let options: HashSet<String> = p
        .mitigations
        .iter()
        .flatten()
        .map(|m| normalise(&m.option))
        .collect();
    let runs: HashSet<String> = p
        .commands
        .iter()
        .map(|c| normalise_command(&c.run))
        .collect();
    Lessons {
        kind: lessons.kind.clone(),
        incidents: lessons.incidents.clone(),
        symptoms: keep(&lessons.symptoms, &keys(p.symptoms.as_ref())),
        first_checks: keep(&lessons.first_checks, &keys(p.first_checks.as_ref())),
        causes: keep(&lessons.causes, &keys(p.causes.as_ref())),
        mitigations: lessons
            .mitigations
            .iter()
            .filter(|m| !options.contains(&m.item.key))
            .cloned()
            .collect(),
        resolution: keep(&lessons.resolution, &keys(p.resolution.as_ref())),
        verification: keep(&lessons.verification, &keys(p.verification.as_ref())),
        commands: lessons
            .commands
            .iter()
            .filter(|c| !runs.contains(&c.key))
            .cloned()
            .collect(),
    }
}

/// `seen in 2 incidents: a, b`.
pub fn seen_in_line(item: &Item) -> String {
    let ids: Vec<&str> = item.seen_in.iter().map(|s| s.id.as_str()).collect();
    format!(
        "seen in {}: {}",
        humanize::plural(ids.len(), "incident"),
        ids.join(", ")
    )
}

/// `tried 2 times, worked 1`.
pub fn record_line(m: &MitigationLesson) -> String {
    let times = if m.tried == 1 { "time" } else { "times" };
    format!("tried {} {times}, worked {}", m.tried, m.worked)
}

/// `effectiveness high, speed high, risk low` (the ratings given).
pub fn ratings_line(m: &MitigationLesson) -> String {
    [
        ("effectiveness", m.effectiveness),
        ("speed", m.speed),
        ("risk", m.risk),
    ]
    .iter()
    .filter_map(|(name, r)| r.map(|r| format!("{name} {}", r.as_str())))
    .collect::<Vec<_>>()
    .join(", ")
}

/// `pm playbook diff` as plain text: `unsaid` section by section.
/// `playbook_file` is the curated file's path, when there is one.
pub fn diff_text(unsaid: &Lessons, playbook_file: Option<&str>) -> String {
    let mut out = String::new();
    let n = humanize::plural(unsaid.incidents.len(), "incident");
    let kind = &unsaid.kind;
    let _ = match playbook_file {
        Some(file) => writeln!(
            out,
            "What {n} of type `{kind}` taught that {file} does not say yet"
        ),
        None => writeln!(
            out,
            "What {n} of type `{kind}` taught; there is no playbooks/{kind}.md yet (`pm playbook draft {kind}` writes one)"
        ),
    };
    let _ = writeln!(
        out,
        "(drafts left out; items merge only when their text is the same after normalisation)"
    );
    for section in Section::ALL {
        let items = unsaid.items(section);
        out.push('\n');
        if items.is_empty() {
            let _ = writeln!(out, "{}: nothing new", section.title());
            continue;
        }
        let _ = writeln!(out, "{}: {} new", section.title(), items.len());
        match section {
            Section::Mitigations => {
                for m in &unsaid.mitigations {
                    let ratings = ratings_line(m);
                    let ratings = if ratings.is_empty() {
                        String::new()
                    } else {
                        format!(" [{ratings}]")
                    };
                    let _ = writeln!(out, "  - {}{ratings}", one_line(&m.item.text));
                    let _ = writeln!(out, "    {}; {}", record_line(m), seen_in_line(&m.item));
                    for o in &m.outcomes {
                        let what = match (o.chosen, o.worked) {
                            (true, true) => "chosen, worked",
                            (true, false) => "chosen, not mitigated",
                            (false, _) => "not chosen",
                        };
                        let text = o
                            .text
                            .as_deref()
                            .map(|t| format!(": {}", one_line(t)))
                            .unwrap_or_default();
                        let _ = writeln!(out, "      {}: {what}{text}", o.id);
                    }
                }
            }
            Section::Commands => {
                for c in items {
                    let label = c.detail.as_deref().unwrap_or("Command");
                    let _ = writeln!(out, "  - {label}");
                    for line in c.text.lines() {
                        let _ = writeln!(out, "      $ {line}");
                    }
                    let _ = writeln!(out, "    {}", seen_in_line(c));
                }
            }
            _ => {
                for item in items {
                    let _ = writeln!(out, "  - {}", one_line(&item.text));
                    if let Some(detail) = &item.detail {
                        let _ = writeln!(out, "    confirmed by: {}", one_line(detail));
                    }
                    let _ = writeln!(out, "    {}", seen_in_line(item));
                }
            }
        }
    }
    out
}

/// `pm playbook diff --format json`: the same as [`diff_text`], version 1.
pub fn diff_json(unsaid: &Lessons, playbook_file: Option<&str>) -> serde_json::Value {
    use serde_json::{Value, json};
    fn ids(item: &Item) -> Vec<&str> {
        item.seen_in.iter().map(|s| s.id.as_str()).collect()
    }
    let plain = |items: &[Item]| -> Value {
        items
            .iter()
            .map(|i| json!({ "text": i.text, "count": i.count(), "incidents": ids(i) }))
            .collect()
    };
    json!({
        "version": 1,
        "type": unsaid.kind,
        "playbook": playbook_file,
        "incidents": unsaid.incidents.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        "sections": {
            "symptoms": plain(&unsaid.symptoms),
            "first_checks": plain(&unsaid.first_checks),
            "causes": unsaid.causes.iter().map(|i| json!({
                "text": i.text, "evidence": i.detail, "count": i.count(), "incidents": ids(i),
            })).collect::<Value>(),
            "mitigations": unsaid.mitigations.iter().map(|m| json!({
                "option": m.item.text,
                "speed": m.speed,
                "risk": m.risk,
                "effectiveness": m.effectiveness,
                "tried": m.tried,
                "worked": m.worked,
                "count": m.item.count(),
                "incidents": ids(&m.item),
                "outcomes": m.outcomes.iter().map(|o| json!({
                    "incident": o.id, "chosen": o.chosen, "worked": o.worked, "outcome": o.text,
                })).collect::<Value>(),
            })).collect::<Value>(),
            "resolution": plain(&unsaid.resolution),
            "verification": plain(&unsaid.verification),
            "commands": unsaid.commands.iter().map(|c| json!({
                "label": c.detail, "run": c.text, "count": c.count(), "incidents": ids(c),
            })).collect::<Value>(),
        }
    })
}

/// Text on one line: runs of whitespace (newlines too) as one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diag::Diagnostics;
    use crate::markdown::{Depth, Markdown};
    use crate::source::{RecordKind, SourceFile, SourceSet};

    /// A corpus from `(id, front matter after the required keys, body)`;
    /// every record is of type `cache`.
    fn corpus(records: &[(&str, &str, &str)]) -> (Corpus, Analyses) {
        corpus_of(records, "")
    }

    fn corpus_of(records: &[(&str, &str, &str)], playbook: &str) -> (Corpus, Analyses) {
        let mut files: Vec<SourceFile> = records
            .iter()
            .map(|(id, front, body)| {
                let text = format!(
                    "+++\ntitle = \"{id}\"\nseverity = \"SEV2\"\ntype = \"cache\"\n{front}\n+++\n{body}"
                );
                SourceFile {
                    kind: RecordKind::Incident,
                    rel: format!("incidents/{id}.md"),
                    stem: (*id).to_owned(),
                    bytes: text.into_bytes(),
                    attachments: None,
                }
            })
            .collect();
        if !playbook.is_empty() {
            files.push(SourceFile {
                kind: RecordKind::Playbook,
                rel: "playbooks/cache.md".into(),
                stem: "cache".into(),
                bytes: format!("+++\ntitle = \"Cache\"\n{playbook}\n+++\n").into_bytes(),
                attachments: None,
            });
        }
        let set = SourceSet {
            records: files,
            ..SourceSet::default()
        };
        let mut d = Diagnostics::new();
        let parsed = crate::parse::parse(set.records, &mut d);
        let corpus = crate::model::validate(parsed, &Config::default(), &mut d);
        assert!(d.items().is_empty(), "{:?}", d.items());
        let analyses =
            crate::analysis::analyze(&corpus, &Config::default(), &Markdown::new(), Depth::Page);
        (corpus, analyses)
    }

    fn event(at: &str, step: &str, text: &str) -> String {
        format!("[[timeline]]\nat = {at}\nstep = \"{step}\"\ntext = \"{text}\"\n")
    }

    fn texts(items: &[Item]) -> Vec<(&str, Vec<&str>)> {
        items
            .iter()
            .map(|i| {
                (
                    i.text.as_str(),
                    i.seen_in.iter().map(|s| s.id.as_str()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn normalisation_ignores_case_space_backticks_and_trailing_punctuation() {
        assert_eq!(
            normalise("  `Redis` evictions   above\n zero. "),
            "redis evictions above zero"
        );
        assert_eq!(normalise("Evictions?!"), "evictions");
        assert_eq!(normalise("p99 > 2 s"), normalise("P99 >  2 s;"));
        assert_ne!(normalise("p99 > 2 s"), normalise("p99 > 3 s"));
        assert_eq!(
            normalise_command("  redis-cli   INFO stats\n\n"),
            "redis-cli INFO stats"
        );
        assert_ne!(normalise_command("ls -C"), normalise_command("ls -c"));
    }

    #[test]
    fn symptoms_merge_after_normalisation_and_keep_their_provenance() {
        let (c, a) = corpus(&[
            (
                "2026-01-05-a",
                "status = \"resolved\"\n[triage]\nerror = \"OOM command not allowed\"\nsymptoms = [\"Checkout p99 above 2 s\", \"Cache hit rate falls\"]\n[[timeline]]\nat = 2026-01-05T10:00:00Z\ntext = \"start\"\nstep = \"impact-start\"\n",
                "",
            ),
            (
                "2026-02-10-b",
                "status = \"resolved\"\n[triage]\nsymptoms = [\"checkout p99 above 2 s.\", \"`evicted_keys` climbing\"]\n[[timeline]]\nat = 2026-02-10T10:00:00Z\ntext = \"start\"\nstep = \"impact-start\"\n",
                "",
            ),
            (
                "2026-03-15-c",
                "status = \"resolved\"\n[triage]\nerror = \"`OOM command not allowed`\"\nsymptoms = [\"Checkout  p99 above 2 s\", \"Checkout p99 above 2 s\"]\n[[timeline]]\nat = 2026-03-15T10:00:00Z\ntext = \"start\"\nstep = \"impact-start\"\n",
                "",
            ),
        ]);
        let lessons = learn("cache", &c, &a);
        assert_eq!(
            texts(&lessons.symptoms),
            vec![
                // Three incidents; c's two spellings count once.
                (
                    "Checkout p99 above 2 s",
                    vec!["2026-01-05-a", "2026-02-10-b", "2026-03-15-c"]
                ),
                // The error message, as code; merged with c's backticked one.
                (
                    "`OOM command not allowed`",
                    vec!["2026-01-05-a", "2026-03-15-c"]
                ),
                // One incident each: first seen first, then by text.
                ("Cache hit rate falls", vec!["2026-01-05-a"]),
                ("`evicted_keys` climbing", vec!["2026-02-10-b"]),
            ]
        );
        assert_eq!(lessons.symptoms[0].count(), 3);
        let dates: Vec<String> = lessons
            .incidents
            .iter()
            .map(|s| s.date.map(|d| d.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(dates, ["2026-01-05", "2026-02-10", "2026-03-15"]);
    }

    #[test]
    fn drafts_and_other_types_teach_nothing() {
        let (c, a) = corpus(&[
            (
                "a",
                "status = \"resolved\"\n[triage]\nsymptoms = [\"seen\"]\n",
                "",
            ),
            (
                "b",
                "status = \"resolved\"\ndraft = true\n[triage]\nsymptoms = [\"draft only\"]\n",
                "",
            ),
        ]);
        let lessons = learn("cache", &c, &a);
        assert_eq!(texts(&lessons.symptoms), vec![("seen", vec!["a"])]);
        assert_eq!(lessons.incidents.len(), 1);
        assert_eq!(
            learn("database", &c, &a),
            Lessons {
                kind: "database".into(),
                ..Lessons::default()
            }
        );
    }

    #[test]
    fn checks_before_the_fix_resolution_and_verification_come_from_steps() {
        let timeline = [
            event("2026-01-05T10:00:00Z", "impact-start", "start"),
            event(
                "2026-01-05T10:05:00Z",
                "gather-evidence",
                "Looked at `INFO stats`",
            ),
            event(
                "2026-01-05T10:10:00Z",
                "test-hypothesis",
                "Evictions match the errors",
            ),
            event("2026-01-05T10:20:00Z", "mitigate", "Raised maxmemory"),
            event(
                "2026-01-05T10:25:00Z",
                "gather-evidence",
                "After the fix: hit rate back",
            ),
            event(
                "2026-01-05T10:40:00Z",
                "verify-resolution",
                "Hit rate normal for 15 minutes",
            ),
        ]
        .concat();
        let (c, a) = corpus(&[("a", &format!("status = \"resolved\"\n{timeline}"), "")]);
        let lessons = learn("cache", &c, &a);
        let plain = |items: &[Item]| items.iter().map(|i| i.text.clone()).collect::<Vec<_>>();
        // Same count and incident: by text.
        assert_eq!(
            plain(&lessons.first_checks),
            ["Evictions match the errors", "Looked at `INFO stats`"]
        );
        assert_eq!(plain(&lessons.resolution), ["Raised maxmemory"]);
        assert_eq!(
            plain(&lessons.verification),
            ["Hit rate normal for 15 minutes"]
        );
    }

    #[test]
    fn causes_are_confirmed_hypotheses_else_the_root_cause_paragraph() {
        let (c, a) = corpus(&[
            (
                "a",
                "status = \"resolved\"\n[[hypotheses]]\ntext = \"maxmemory too low\"\nresult = \"confirmed\"\nevidence = \"evicted_keys rose with the errors\"\n[[hypotheses]]\ntext = \"network\"\nresult = \"rejected\"\n",
                "## Root cause\n\nIgnored: a confirmed hypothesis exists.\n",
            ),
            (
                "b",
                "status = \"resolved\"\n",
                "## Summary\n\nx\n\n## Root cause\n\nThe cache node was\nhalf the size.\n\nMore.\n",
            ),
        ]);
        let lessons = learn("cache", &c, &a);
        assert_eq!(
            texts(&lessons.causes),
            // No start to order by: by text, without case.
            vec![
                ("maxmemory too low", vec!["a"]),
                ("The cache node was half the size.", vec!["b"]),
            ]
        );
        assert_eq!(
            lessons.causes[0].detail.as_deref(),
            Some("evicted_keys rose with the errors")
        );
    }

    #[test]
    fn mitigations_rank_by_effectiveness_speed_risk_with_their_record() {
        let m = |option: &str, eff: &str, speed: &str, risk: &str, chosen: bool| {
            format!(
                "[[mitigations]]\noption = \"{option}\"\neffectiveness = \"{eff}\"\nspeed = \"{speed}\"\nrisk = \"{risk}\"\nchosen = {chosen}\noutcome = \"{option} outcome\"\n"
            )
        };
        let (c, a) = corpus(&[
            (
                "2026-01-05-a",
                &format!(
                    "status = \"resolved\"\n{}{}{}",
                    event("2026-01-05T10:00:00Z", "impact-start", "s"),
                    m("Flush the cache", "high", "high", "medium", true),
                    m("Fail over", "high", "medium", "low", false),
                ),
                "",
            ),
            (
                "2026-02-10-b",
                &format!(
                    "status = \"active\"\n{}{}{}",
                    event("2026-02-10T10:00:00Z", "impact-start", "s"),
                    m("flush the cache.", "high", "high", "low", true),
                    m("Restart clients", "low", "high", "low", true),
                ),
                "",
            ),
            (
                "2026-03-15-c",
                &format!(
                    "status = \"mitigated\"\n{}{}",
                    event("2026-03-15T10:00:00Z", "impact-start", "s"),
                    m("Fail over", "high", "medium", "low", true),
                ),
                "",
            ),
        ]);
        let lessons = learn("cache", &c, &a);
        let rows: Vec<_> = lessons
            .mitigations
            .iter()
            .map(|m| {
                (
                    m.item.text.as_str(),
                    m.item.count(),
                    m.tried,
                    m.worked,
                    m.risk.map(Rating::as_str),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                // Effectiveness high, speed high; the later rating (risk low) wins.
                // Chosen twice; worked once (b is still active).
                ("Flush the cache", 2, 2, 1, Some("low")),
                ("Fail over", 2, 1, 1, Some("low")),
                ("Restart clients", 1, 1, 0, Some("low")),
            ]
        );
        let flush = &lessons.mitigations[0];
        assert_eq!(
            flush
                .outcomes
                .iter()
                .map(|o| (o.id.as_str(), o.chosen, o.worked))
                .collect::<Vec<_>>(),
            vec![("2026-01-05-a", true, true), ("2026-02-10-b", true, false)]
        );
        assert_eq!(record_line(flush), "tried 2 times, worked 1");
        assert_eq!(
            ratings_line(flush),
            "effectiveness high, speed high, risk low"
        );
        assert!(lessons.mitigation("`Fail over`.").is_some());
    }

    #[test]
    fn commands_come_from_shell_blocks_and_prompt_lines() {
        let body = "## Root cause\n\nWe looked. Count the evictions:\n\n```bash\n$ redis-cli INFO stats | grep evicted\n```\n\n```sql\nselect 1;\n```\n\n```\n$ redis-cli   INFO stats | grep evicted\nevicted_keys:120\n```\n\n```text\n$ not a command\n```\n\n```\nplain log line\n```\n";
        let (c, a) = corpus(&[
            ("a", "status = \"resolved\"\n", body),
            (
                "b",
                "status = \"resolved\"\n",
                "```console\n$ redis-cli INFO memory\nused_memory:1G\n```\n",
            ),
        ]);
        let lessons = learn("cache", &c, &a);
        assert_eq!(
            texts(&lessons.commands),
            // No timeline, so no start to order by: by text.
            vec![
                ("redis-cli INFO memory", vec!["b"]),
                ("redis-cli INFO stats | grep evicted", vec!["a"]),
            ]
        );
        assert_eq!(
            lessons.commands[0].detail.as_deref(),
            Some("From the postmortem of b")
        );
        assert_eq!(
            lessons.commands[1].detail.as_deref(),
            Some("Count the evictions")
        );
    }

    #[test]
    fn labels_take_the_last_sentence_of_the_lead() {
        assert_eq!(
            label_from_lead("We lost time. The `awk` command counts 429s by route:").as_deref(),
            Some("The awk command counts 429s by route")
        );
        assert_eq!(label_from_lead(":"), None);
        let long = format!("{} end", "word ".repeat(40));
        let label = label_from_lead(&long).unwrap();
        assert!(
            label.ends_with('…') && label.chars().count() <= 121,
            "{label}"
        );
    }

    #[test]
    fn unsaid_keeps_what_the_playbook_does_not_say() {
        let (c, a) = corpus_of(
            &[(
                "a",
                "status = \"resolved\"\n[triage]\nsymptoms = [\"Hit rate falls\", \"Errors rise\"]\n[[mitigations]]\noption = \"Flush the cache\"\nchosen = true\n[[mitigations]]\noption = \"Fail over\"\n",
                "```sh\nredis-cli INFO stats\n```\n",
            )],
            "symptoms = [\"hit rate falls.\"]\n[[mitigations]]\noption = \"`Flush` the cache\"\n[[commands]]\nlabel = \"x\"\nrun = \"redis-cli  INFO stats\"\n",
        );
        let lessons = learn("cache", &c, &a);
        let rest = unsaid(&lessons, c.playbooks.get("cache"));
        assert_eq!(texts(&rest.symptoms), vec![("Errors rise", vec!["a"])]);
        assert_eq!(
            rest.mitigations
                .iter()
                .map(|m| m.item.text.as_str())
                .collect::<Vec<_>>(),
            ["Fail over"]
        );
        assert!(rest.commands.is_empty());
        assert_eq!(unsaid(&lessons, None), lessons);
        let text = diff_text(&rest, Some("playbooks/cache.md"));
        assert!(
            text.contains("Symptoms: 1 new\n  - Errors rise\n    seen in 1 incident: a\n"),
            "{text}"
        );
        assert!(text.contains("Commands: nothing new"), "{text}");
        let json = diff_json(&rest, Some("playbooks/cache.md"));
        assert_eq!(json["sections"]["mitigations"][0]["option"], "Fail over");
        assert_eq!(json["sections"]["mitigations"][0]["tried"], 0);
    }
}
