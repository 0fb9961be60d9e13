//! What the incidents taught, as the playbook page shows it.
//!
//! [`crate::learn`] gathers the lessons; this module turns them into view
//! structs: under each section of the page, what the incidents of the type
//! taught that the curated file does not say yet (everything, on a
//! generated page), the [`LEARNED_SHOWN`] most frequent items of each
//! section with the first [`SEEN_SHOWN`] incidents each was seen in, and the
//! record of every mitigation. Item texts are Markdown rendered in safe mode
//! (`_html` fields); every other string is plain text, escaped by Tera.

use serde::Serialize;

use super::view::{ViewCx, incident_url};
use crate::learn::{Item, Lessons, MitigationLesson, Seen, unsaid};
use crate::markdown::Markdown;
use crate::model::Playbook;

/// An incident a lesson was seen in.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct SeenView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: Option<String>,
}

/// One learned item of a section.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LearnedItemView {
    pub text_html: String,
    /// How a cause was confirmed.
    pub detail_html: Option<String>,
    pub count: usize,
    pub seen_in: Vec<SeenView>,
}

/// How a mitigation fared in one incident.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct OutcomeView {
    pub id: String,
    pub url: String,
    pub chosen: bool,
    pub worked: bool,
    pub outcome_html: Option<String>,
}

/// A mitigation's record in the incidents of the type.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct RecordView {
    /// Chosen in this many incidents.
    pub tried: usize,
    /// Chosen in this many incidents that were mitigated.
    pub worked: usize,
    /// Weighed in this many incidents.
    pub count: usize,
    pub seen_in: Vec<SeenView>,
    pub outcomes: Vec<OutcomeView>,
}

/// A mitigation the incidents weighed that the playbook does not list.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LearnedMitigationView {
    pub option_html: String,
    pub speed: Option<&'static str>,
    pub risk: Option<&'static str>,
    pub effectiveness: Option<&'static str>,
    pub record: RecordView,
}

/// A command quoted in the postmortems.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LearnedCommandView {
    pub label: String,
    pub run: String,
    pub count: usize,
    pub seen_in: Vec<SeenView>,
}

/// How many learned items a section of a playbook page shows: the most
/// frequent ones. A type with thousands of incidents teaches thousands of
/// one-off lessons; the page shows what recurs and counts the rest.
pub const LEARNED_SHOWN: usize = 20;

/// Per section, how many learned items the page leaves out.
#[derive(Debug, Default, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LearnedMore {
    pub symptoms: usize,
    pub first_checks: usize,
    pub causes: usize,
    pub mitigations: usize,
    pub resolution: usize,
    pub verification: usize,
    pub commands: usize,
}

/// What the incidents taught that the playbook does not say yet, by section.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LearnedView {
    /// The incidents learned from (drafts are left out).
    pub from: usize,
    /// How many items in all sections.
    pub total: usize,
    pub symptoms: Vec<LearnedItemView>,
    pub first_checks: Vec<LearnedItemView>,
    pub causes: Vec<LearnedItemView>,
    pub mitigations: Vec<LearnedMitigationView>,
    pub resolution: Vec<LearnedItemView>,
    pub verification: Vec<LearnedItemView>,
    pub commands: Vec<LearnedCommandView>,
    /// Items left out of each section (it shows the first [`LEARNED_SHOWN`]).
    pub more: LearnedMore,
}

/// How many incidents a learned item, command or mitigation names on the
/// page; its `count` says how many there are in all. A lesson seen in a
/// thousand incidents must not make the page a thousand links longer.
pub const SEEN_SHOWN: usize = 10;

fn seen_views(seen: &[Seen]) -> Vec<SeenView> {
    seen.iter()
        .take(SEEN_SHOWN)
        .map(|s| SeenView {
            id: s.id.clone(),
            title: s.title.clone(),
            url: incident_url(&s.id),
            date: s.date.map(|d| d.to_string()),
        })
        .collect()
}

fn record_view(m: &MitigationLesson, md: &Markdown) -> RecordView {
    RecordView {
        tried: m.tried,
        worked: m.worked,
        count: m.item.count(),
        seen_in: seen_views(&m.item.seen_in),
        outcomes: m
            .outcomes
            .iter()
            .take(SEEN_SHOWN)
            .map(|o| OutcomeView {
                id: o.id.clone(),
                url: incident_url(&o.id),
                chosen: o.chosen,
                worked: o.worked,
                outcome_html: o.text.as_deref().map(|t| md.inline(t)),
            })
            .collect(),
    }
}

impl ViewCx<'_> {
    /// What the non-draft incidents of `kind` teach.
    pub fn lessons(&self, kind: &str) -> Lessons {
        crate::learn::learn(kind, self.corpus, self.analyses)
    }

    /// The record of a curated mitigation in the incidents, if any weighed it.
    pub fn mitigation_record(&self, lessons: &Lessons, option: &str) -> Option<RecordView> {
        lessons
            .mitigation(option)
            .map(|m| record_view(m, self.markdown))
    }

    /// What `lessons` add to `playbook` (all of them without one).
    pub fn learned(&self, lessons: &Lessons, playbook: Option<&Playbook>) -> LearnedView {
        let md = self.markdown;
        let rest = unsaid(lessons, playbook);
        let items = |items: &[Item]| -> Vec<LearnedItemView> {
            items
                .iter()
                .take(LEARNED_SHOWN)
                .map(|i| LearnedItemView {
                    text_html: md.inline(&i.text),
                    detail_html: i.detail.as_deref().map(|d| md.inline(d)),
                    count: i.count(),
                    seen_in: seen_views(&i.seen_in),
                })
                .collect()
        };
        let more = |n: usize| n.saturating_sub(LEARNED_SHOWN);
        LearnedView {
            more: LearnedMore {
                symptoms: more(rest.symptoms.len()),
                first_checks: more(rest.first_checks.len()),
                causes: more(rest.causes.len()),
                mitigations: more(rest.mitigations.len()),
                resolution: more(rest.resolution.len()),
                verification: more(rest.verification.len()),
                commands: more(rest.commands.len()),
            },
            from: rest.incidents.len(),
            total: rest.total(),
            symptoms: items(&rest.symptoms),
            first_checks: items(&rest.first_checks),
            causes: items(&rest.causes),
            mitigations: rest
                .mitigations
                .iter()
                .take(LEARNED_SHOWN)
                .map(|m| LearnedMitigationView {
                    option_html: md.inline(&m.item.text),
                    speed: m.speed.map(|r| r.as_str()),
                    risk: m.risk.map(|r| r.as_str()),
                    effectiveness: m.effectiveness.map(|r| r.as_str()),
                    record: record_view(m, md),
                })
                .collect(),
            resolution: items(&rest.resolution),
            verification: items(&rest.verification),
            commands: rest
                .commands
                .iter()
                .take(LEARNED_SHOWN)
                .map(|c| LearnedCommandView {
                    label: c.detail.clone().unwrap_or_default(),
                    run: c.text.clone(),
                    count: c.count(),
                    seen_in: seen_views(&c.seen_in),
                })
                .collect(),
        }
    }
}
