//! What the incidents taught, as the playbook page shows it.
//!
//! [`crate::learn`] gathers the lessons; this module turns them into view
//! structs: under each section of the page, what the incidents of the type
//! taught that the curated file does not say yet (everything, on a
//! generated page), the [`LEARNED_SHOWN`] most frequent items of each
//! section with the first [`SEEN_SHOWN`] incidents each was seen in, and the
//! record of every mitigation. Item texts are Markdown rendered in safe mode
//! (`_html` fields); every other string is plain text, escaped by Tera.

use jiff::SignedDuration;
use serde::Serialize;

use super::history;

use super::cx::{FindingView, IncidentSummary, ViewCx};
use super::urls;
use crate::analysis::median;
use crate::humanize as format;
use crate::learn::{Item, Lessons, MitigationLesson, Seen, unsaid};
use crate::markdown::Markdown;
use crate::model::{Incident, Playbook};

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
    /// `[playbooks] learned_min_incidents`: a section the curated file has
    /// written lists an item once this many incidents name it.
    pub min_incidents: usize,
    pub symptoms: Vec<LearnedItemView>,
    pub first_checks: Vec<LearnedItemView>,
    pub causes: Vec<LearnedItemView>,
    pub mitigations: Vec<LearnedMitigationView>,
    pub resolution: Vec<LearnedItemView>,
    pub verification: Vec<LearnedItemView>,
    pub commands: Vec<LearnedCommandView>,
    /// Items left out of each section: seen in too few incidents, or past
    /// the first [`LEARNED_SHOWN`].
    pub more: LearnedMore,
}

/// How many incidents a learned item, command or mitigation names on the
/// page; its `count` says how many there are in all. A lesson seen in a
/// thousand incidents must not make the page a thousand links longer.
pub const SEEN_SHOWN: usize = 10;

/// The learned items a section shows: those seen in at least `min`
/// incidents (all of them when `all`), the first [`LEARNED_SHOWN`].
fn pick<T>(
    items: &[T],
    count: impl Fn(&T) -> usize,
    all: bool,
    min: usize,
) -> impl Iterator<Item = &T> {
    items
        .iter()
        .filter(move |i| all || count(i) >= min)
        .take(LEARNED_SHOWN)
}

fn seen_views(seen: &[Seen]) -> Vec<SeenView> {
    seen.iter()
        .take(SEEN_SHOWN)
        .map(|s| SeenView {
            id: s.id.clone(),
            title: s.title.clone(),
            url: urls::incident(&s.id),
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
                url: urls::incident(&o.id),
                chosen: o.chosen,
                worked: o.worked,
                outcome_html: o.text.as_deref().map(|t| md.inline(t)),
            })
            .collect(),
    }
}

impl ViewCx<'_> {
    /// What the non-draft incidents of `kind` teach, learned once a run.
    pub fn lessons(&self, kind: &str) -> std::sync::Arc<Lessons> {
        (self.lessons).get_or_learn(kind, || {
            crate::learn::learn(kind, self.corpus, self.analyses)
        })
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
        let min = self.config.learned_min_incidents;
        // A generated page, or a section the curated file leaves out or
        // empty, asks for every learned item: there is nothing to swamp.
        let asks = |written: Option<usize>| playbook.is_none() || written.is_none_or(|n| n == 0);
        let asks_for = |items: Option<&Vec<String>>| asks(items.map(Vec::len));
        let items = |items: &[Item], all: bool| -> (Vec<LearnedItemView>, usize) {
            let views: Vec<LearnedItemView> = pick(items, Item::count, all, min)
                .map(|i| LearnedItemView {
                    text_html: md.inline(&i.text),
                    detail_html: i.detail.as_deref().map(|d| md.inline(d)),
                    count: i.count(),
                    seen_in: seen_views(&i.seen_in),
                })
                .collect();
            let more = items.len() - views.len();
            (views, more)
        };
        let (symptoms, more_symptoms) = items(
            &rest.symptoms,
            asks_for(playbook.and_then(|p| p.symptoms.as_ref())),
        );
        let (first_checks, more_first_checks) = items(
            &rest.first_checks,
            asks_for(playbook.and_then(|p| p.first_checks.as_ref())),
        );
        let (causes, more_causes) = items(
            &rest.causes,
            asks_for(playbook.and_then(|p| p.causes.as_ref())),
        );
        let (resolution, more_resolution) = items(
            &rest.resolution,
            asks_for(playbook.and_then(|p| p.resolution.as_ref())),
        );
        let (verification, more_verification) = items(
            &rest.verification,
            asks_for(playbook.and_then(|p| p.verification.as_ref())),
        );
        let all_mitigations = asks(playbook.and_then(|p| p.mitigations.as_ref()).map(Vec::len));
        let mitigations: Vec<LearnedMitigationView> =
            pick(&rest.mitigations, |m| m.item.count(), all_mitigations, min)
                .map(|m| LearnedMitigationView {
                    option_html: md.inline(&m.item.text),
                    speed: m.speed.map(|r| r.as_str()),
                    risk: m.risk.map(|r| r.as_str()),
                    effectiveness: m.effectiveness.map(|r| r.as_str()),
                    record: record_view(m, md),
                })
                .collect();
        let all_commands = asks(playbook.map(|p| p.commands.len()));
        let commands: Vec<LearnedCommandView> =
            pick(&rest.commands, Item::count, all_commands, min)
                .map(|c| LearnedCommandView {
                    label: c.detail.clone().unwrap_or_default(),
                    run: c.text.clone(),
                    count: c.count(),
                    seen_in: seen_views(&c.seen_in),
                })
                .collect();
        LearnedView {
            more: LearnedMore {
                symptoms: more_symptoms,
                first_checks: more_first_checks,
                causes: more_causes,
                mitigations: rest.mitigations.len() - mitigations.len(),
                resolution: more_resolution,
                verification: more_verification,
                commands: rest.commands.len() - commands.len(),
            },
            from: rest.incidents.len(),
            total: rest.total(),
            min_incidents: min,
            symptoms,
            first_checks,
            causes,
            mitigations,
            resolution,
            verification,
            commands,
        }
    }
}

/// The playbook page's data.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct PlaybookView {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub owner: Option<String>,
    pub generated: bool,
    pub url: String,
    pub symptoms_html: Vec<String>,
    pub first_checks_html: Vec<String>,
    pub causes_html: Vec<String>,
    pub mitigations: Vec<PlaybookMitigationView>,
    pub resolution_html: Vec<String>,
    pub verification_html: Vec<String>,
    pub commands: Vec<CommandView>,
    pub body_html: String,
    /// The newest incidents of the type, at most a page of them.
    pub incidents: Vec<IncidentSummary>,
    /// How many incidents the type has.
    pub incident_count: usize,
    /// Page 1 of the type's listing: all its incidents, paginated.
    pub incidents_url: Option<String>,
    /// Page 2 of that listing, where the list goes on, when this page does
    /// not show every incident.
    pub incidents_next_url: Option<String>,
    pub median_resolve: Option<String>,
    pub resolve_from: String,
    pub findings: Vec<FindingView>,
    /// What the incidents taught that the curated file does not say yet.
    pub learned: LearnedView,
    /// The playbook file's git history.
    pub history: Option<history::HistoryView>,
    /// Incidents of this type that started after the playbook was last
    /// revised: the first [`STALE_SHOWN`] of them, oldest first.
    pub stale_since: Vec<IncidentSummary>,
    /// How many incidents started after the last revision.
    pub stale_count: usize,
}

/// How many of the incidents newer than a playbook's last revision its page names.
pub const STALE_SHOWN: usize = 10;

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct PlaybookMitigationView {
    pub option_html: String,
    pub speed: Option<&'static str>,
    pub risk: Option<&'static str>,
    pub effectiveness: Option<&'static str>,
    pub notes_html: Option<String>,
    /// How the option fared in the incidents of the type, if any weighed it.
    pub record: Option<RecordView>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct CommandView {
    pub label: String,
    pub run: String,
}

impl ViewCx<'_> {
    /// The playbook page for a type, curated or generated. `incidents` are
    /// the type's incidents, newest first; the page lists the first `shown`,
    /// and `listing_url` is page 1 of the type's listing, where they all are.
    pub fn playbook(
        &self,
        kind: &str,
        playbook: Option<&Playbook>,
        incidents: &[&Incident],
        shown: usize,
        listing_url: Option<String>,
    ) -> PlaybookView {
        let md = self.markdown;
        let inline_all = |items: Option<&Vec<String>>| -> Vec<String> {
            items.map_or_else(Vec::new, |v| v.iter().map(|s| md.inline(s)).collect())
        };
        let mut resolve: Vec<SignedDuration> = incidents
            .iter()
            .filter_map(|i| self.analysis(&i.id).and_then(|a| a.durations.resolve))
            .collect();
        let resolve_from = format::from_n_of_m(resolve.len(), incidents.len());
        let lessons = self.lessons(kind);
        let stale_ids = match (playbook, self.history) {
            (Some(p), Some(h)) => {
                let glances = self.corpus.incidents.values();
                let glances = glances.map(|i| crate::analysis::Glance::of(i, self.analyses));
                crate::analysis::stale_since(glances, h, &p.origin.file, &p.kind)
            }
            _ => Vec::new(),
        };
        let stale_since = stale_ids
            .iter()
            .take(STALE_SHOWN)
            .filter_map(|id| self.corpus.incidents.get(*id))
            .map(|i| self.summary(i))
            .collect();
        PlaybookView {
            history: playbook.and_then(|p| history::history_view(self.history, &p.origin.file)),
            stale_since,
            stale_count: stale_ids.len(),
            kind: kind.to_owned(),
            title: playbook.map_or_else(|| format!("{kind} incidents"), |p| p.title.clone()),
            owner: playbook.and_then(|p| p.owner.clone()),
            generated: playbook.is_none(),
            url: urls::playbook(kind),
            symptoms_html: inline_all(playbook.and_then(|p| p.symptoms.as_ref())),
            first_checks_html: inline_all(playbook.and_then(|p| p.first_checks.as_ref())),
            causes_html: inline_all(playbook.and_then(|p| p.causes.as_ref())),
            mitigations: playbook.and_then(|p| p.mitigations.as_ref()).map_or_else(
                Vec::new,
                |ms| {
                    ms.iter()
                        .map(|m| PlaybookMitigationView {
                            option_html: md.inline(&m.option),
                            speed: m.speed.map(|r| r.as_str()),
                            risk: m.risk.map(|r| r.as_str()),
                            effectiveness: m.effectiveness.map(|r| r.as_str()),
                            notes_html: m.notes.as_ref().map(|n| md.inline(n)),
                            record: self.mitigation_record(&lessons, &m.option),
                        })
                        .collect()
                },
            ),
            resolution_html: inline_all(playbook.and_then(|p| p.resolution.as_ref())),
            verification_html: inline_all(playbook.and_then(|p| p.verification.as_ref())),
            commands: playbook.map_or_else(Vec::new, |p| {
                p.commands
                    .iter()
                    .map(|c| CommandView {
                        label: c.label.clone(),
                        run: c.run.clone(),
                    })
                    .collect()
            }),
            body_html: playbook.map_or_else(String::new, |p| {
                let body = p.origin.body();
                match self.analyses.playbook_bodies.get(kind) {
                    Some(rendered) => md.html_of(rendered, body),
                    None => md.render(body).html,
                }
            }),
            incidents: incidents
                .iter()
                .take(shown)
                .map(|i| self.summary(i))
                .collect(),
            incident_count: incidents.len(),
            incidents_next_url: listing_url
                .as_deref()
                .filter(|_| incidents.len() > shown)
                .map(|u| urls::page(u, 2)),
            incidents_url: listing_url,
            median_resolve: median(&mut resolve).map(format::duration),
            resolve_from,
            findings: playbook.map_or_else(Vec::new, |p| self.findings(&p.origin.file)),
            learned: self.learned(&lessons, playbook),
        }
    }
}
