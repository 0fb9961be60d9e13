//! What learning yields: the sections, the items with the incidents they
//! came from, the mitigations' records, and the normalised text items merge
//! on. Uses `matching`.

use jiff::Timestamp;
use jiff::civil::Date;

use super::matching::{MIN_OVERLAP, Stems};
use crate::model::Rating;

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

    /// The record of a curated mitigation: the option weighed with the same
    /// normalised text, or else the one closest in meaning ([`Stems`]),
    /// the most weighed on a tie.
    pub fn mitigation(&self, option: &str) -> Option<&MitigationLesson> {
        let key = normalise(option);
        if let Some(m) = self.mitigations.iter().find(|m| m.item.key == key) {
            return Some(m);
        }
        let wanted = Stems::of(option);
        self.mitigations
            .iter()
            .map(|m| (wanted.overlap(&Stems::of(&m.item.text)), m))
            .filter(|(score, _)| *score >= MIN_OVERLAP)
            // `max_by` keeps the last of equals: reversed, the first (most
            // weighed, as the list is sorted) wins a tie.
            .rev()
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, m)| m)
    }
}

/// The text two items must share to merge: lowercase, backticks dropped,
/// runs of whitespace as one space, trailing punctuation removed.
pub fn normalise(text: &str) -> String {
    // One pass: the runs of other than whitespace with their backticks
    // dropped (a backtick is no whitespace: dropping them first cuts the
    // same runs), one space apart, a run of backticks alone left out.
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c != '`' {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    let kept = out
        .trim_end_matches(['.', ',', ';', ':', '!', '?', '…'])
        .trim_end()
        .len();
    out.truncate(kept);
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
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
