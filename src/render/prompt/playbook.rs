//! What the `playbook` prompt template reads ([`PlaybookPrompt`]): per
//! section, what the type's playbook file says (or a placeholder naming the
//! key to add) and what its incidents teach (`crate::learn`). Uses `kinds`
//! and `write`.

use serde::Serialize;

use super::kinds::{Format, Kind};
use super::write::{Inputs, Writer, list_item, placeholder, ratings};
use crate::learn::{Lessons, Section};
use crate::model::Playbook;

/// Everything the `playbook` prompt template reads.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct PlaybookPrompt {
    pub markdown: bool,
    pub b: &'static str,
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub kind_of_incident: String,
    pub title: String,
    pub file: String,
    pub incidents: Vec<String>,
    pub sections: Vec<SectionPrompt>,
}

/// One playbook section: what the file says and what the incidents taught.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct SectionPrompt {
    pub key: &'static str,
    pub title: &'static str,
    pub curated: Vec<String>,
    pub learned: Vec<String>,
}

/// Fills the `playbook` prompt of incident type `kind` from its playbook
/// file (if any) and what its incidents teach.
pub fn playbook_prompt(
    inputs: Inputs<'_>,
    kind: &str,
    lessons: &Lessons,
    format: Format,
) -> PlaybookPrompt {
    let w = Writer {
        markdown: inputs.markdown,
        format,
        zone: inputs.config.timezone.as_ref(),
    };
    let playbook = inputs.corpus.playbooks.get(kind);
    let file = format!("playbooks/{kind}.md");
    let incidents = lessons
        .incidents
        .iter()
        .map(|s| match s.date {
            Some(date) => format!("{} ({date}): {}", s.id, w.inline(&s.title)),
            None => format!("{}: {}", s.id, w.inline(&s.title)),
        })
        .collect();
    let sections = Section::ALL
        .iter()
        .map(|&section| {
            let curated = playbook
                .map(|p| curated(&w, p, section))
                .unwrap_or_default();
            SectionPrompt {
                key: section.key(),
                title: section.title(),
                curated: w.items(curated, &format!("{} to {file}", section_key(section))),
                learned: learned(&w, lessons, section)
                    .iter()
                    .map(|l| list_item(l))
                    .collect(),
            }
        })
        .collect();
    PlaybookPrompt {
        markdown: format == Format::Markdown,
        b: w.bold(),
        kind: Kind::Playbook.name(),
        kind_of_incident: kind.to_owned(),
        title: playbook.map_or_else(|| placeholder(&file), |p| w.inline(&p.title)),
        file: file.clone(),
        incidents: w.items(incidents, &format!("an incident with type = \"{kind}\"")),
        sections,
    }
}

/// A section's key as the playbook file writes it: `[[mitigations]]` and
/// `[[commands]]` are arrays of tables.
fn section_key(section: Section) -> String {
    match section {
        Section::Mitigations | Section::Commands => format!("[[{}]]", section.key()),
        _ => section.key().to_owned(),
    }
}

/// What the playbook file says in one section.
fn curated(w: &Writer<'_>, p: &Playbook, section: Section) -> Vec<String> {
    let texts = |items: &Option<Vec<String>>| -> Vec<String> {
        items.iter().flatten().map(|t| w.inline(t)).collect()
    };
    match section {
        Section::Symptoms => texts(&p.symptoms),
        Section::FirstChecks => texts(&p.first_checks),
        Section::Causes => texts(&p.causes),
        Section::Resolution => texts(&p.resolution),
        Section::Verification => texts(&p.verification),
        Section::Mitigations => p
            .mitigations
            .iter()
            .flatten()
            .map(|m| {
                let rated = ratings(m.speed, m.risk, m.effectiveness);
                let mut line = w.inline(&m.option);
                if !rated.is_empty() {
                    line.push_str(&format!(" ({rated})"));
                }
                if let Some(notes) = &m.notes {
                    line.push_str(&format!(": {}", w.inline(notes)));
                }
                line
            })
            .collect(),
        Section::Commands => p
            .commands
            .iter()
            .map(|c| w.command(&c.label, &c.run))
            .collect(),
    }
}

/// What the incidents taught in one section, with how often it was seen.
fn learned(w: &Writer<'_>, lessons: &Lessons, section: Section) -> Vec<String> {
    let seen = |n: usize| match n {
        1 => "seen in 1 incident".to_owned(),
        n => format!("seen in {n} incidents"),
    };
    match section {
        Section::Mitigations => lessons
            .mitigations
            .iter()
            .map(|m| {
                let rated = ratings(m.speed, m.risk, m.effectiveness);
                let rated = if rated.is_empty() {
                    String::new()
                } else {
                    format!("{rated}; ")
                };
                format!(
                    "{} ({rated}{}, tried {}, worked {})",
                    w.inline(&m.item.text),
                    seen(m.item.count()),
                    m.tried,
                    m.worked
                )
            })
            .collect(),
        Section::Commands => lessons
            .commands
            .iter()
            .map(|c| {
                let label = c.detail.clone().unwrap_or_else(|| seen(c.count()));
                w.command(&label, &c.text)
            })
            .collect(),
        _ => lessons
            .items(section)
            .into_iter()
            .map(|item| {
                let detail = item
                    .detail
                    .as_ref()
                    .map(|d| format!(": {}", w.inline(d)))
                    .unwrap_or_default();
                format!("{}{detail} ({})", w.inline(&item.text), seen(item.count()))
            })
            .collect(),
    }
}
