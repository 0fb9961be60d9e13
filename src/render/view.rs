//! View structs: the only data templates see.
//!
//! Every field the templates may read is always present (Tera 2 treats an
//! unknown field as an error); strings are plain text, escaped by Tera,
//! except fields ending in `_html`, which pm produced from Markdown in safe
//! mode. The contract is documented in `docs/templates.md`.

use jiff::SignedDuration;
use serde::Serialize;

use super::action_sections::{ActionGroupRef, action_sections_html};
pub use super::cx::ViewCx;
use super::cx::{ActionView, FindingView};
pub use super::event_table::{LinkView, TimelineColumns, TimelineRow};
pub use super::notes::{
    ChangeView, ChecklistRow, HypothesisView, LogView, MitigationView, Notes, RollbackView,
    TriageView, UpdateView,
};
use super::{history, timeline, urls};
use crate::analysis::{Analysis, Coverage, Evidence};
use crate::config::{Config, MILESTONES};
use crate::humanize as format;
use crate::model::{ActionKind, Incident, Users, has_scheme, is_safe_url, mitigation_rank};

/// Facts every page shows.
/// The incident page's data.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct IncidentView {
    /// The record file's git history.
    pub history: Option<history::HistoryView>,
    pub id: String,
    pub title: String,
    pub severity: String,
    pub severity_rank: usize,
    #[serde(rename = "type")]
    pub kind: String,
    pub playbook_url: Option<String>,
    pub status: &'static str,
    pub draft: bool,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub commander: Option<String>,
    pub responders: Vec<String>,
    pub timezone: String,
    pub started: Option<String>,
    pub detected_by: Option<&'static str>,
    pub summary_html: Option<String>,
    /// The write-up's own top-level `Summary` section (its content, without
    /// the heading), taken out of `body_html` so the page tells it once, at
    /// the top; `None` when the write-up has no such section.
    pub story_html: Option<String>,
    /// The front-matter summary as plain text (the words a reader sees), for
    /// the page's `<meta name="description">`: link previews and search
    /// engines show the abstract that lists and feeds show.
    pub description: Option<String>,
    /// The duration from impact start (or detection) to resolution, for the
    /// page's header line.
    pub duration: Option<String>,
    pub impact: Option<ImpactView>,
    /// The stretches of impact read from the timeline (see `docs/format.md`).
    pub impact_intervals: Vec<IntervalView>,
    pub total_impact: Option<String>,
    pub recurred: bool,
    pub milestones: Vec<MilestoneView>,
    pub missing_milestones: Vec<StepLabel>,
    pub durations: Vec<DurationView>,
    pub duration_note: Option<String>,
    /// The event table's rows as data; templates print
    /// `timeline_rows_html` (session 12: the rows were a template loop).
    #[serde(skip)]
    pub timeline: Vec<TimelineRow>,
    /// The event table's `<tbody>` rows, written by pm
    /// ([`TimelineRow::rows_html`]): print it with `| safe`.
    pub timeline_rows_html: String,
    /// Which optional columns of the event table have a value in any row.
    pub timeline_columns: TimelineColumns,
    /// How many events and how many gaps the timeline has.
    pub event_count: usize,
    pub gap_count: usize,
    /// The drawing's shapes; templates print `timeline_figure_html`.
    #[serde(skip)]
    pub timeline_svg: Option<timeline::TimelineSvg>,
    /// The drawing and the vertical list for narrow screens, as one
    /// `<figure>` written by pm ([`timeline::TimelineSvg::html`]), or an
    /// "empty" note when there is nothing to draw: print it with `| safe`.
    pub timeline_figure_html: String,
    /// The active window's ends and length (`07:29 → 08:38 (1h 9m)`), when
    /// it has a length: gaps are counted inside it.
    pub timeline_window: Option<String>,
    pub gap_threshold: String,
    /// The working notes as data; templates print `notes_html` (session
    /// 12: the notes were template loops), as are `triage`, `changes`,
    /// `hypotheses`, `mitigations`, `rollback` and `updates`.
    #[serde(skip)]
    pub checklist: Vec<ChecklistRow>,
    pub checklist_done: usize,
    pub checklist_required: usize,
    /// The action items as data; templates print `actions_html`
    /// (session 12: the sections were a template loop).
    #[serde(skip)]
    pub actions_monitoring: Vec<ActionView>,
    #[serde(skip)]
    pub actions_prevention: Vec<ActionView>,
    #[serde(skip)]
    pub actions_other: Vec<ActionGroup>,
    /// The three sections of action items (`<div id="review-actions">`),
    /// written by pm (`render/action_sections.rs`): print it with `| safe`.
    pub actions_html: String,
    #[serde(skip)]
    pub triage: Option<TriageView>,
    #[serde(skip)]
    pub changes: Vec<ChangeView>,
    #[serde(skip)]
    pub hypotheses: Vec<HypothesisView>,
    #[serde(skip)]
    pub mitigations: Vec<MitigationView>,
    #[serde(skip)]
    pub rollback: Option<RollbackView>,
    #[serde(skip)]
    pub updates: Vec<UpdateView>,
    /// The working notes (`<section id="review-notes">`), written by pm
    /// ([`Notes::html`]): print it with `| safe`.
    pub notes_html: String,
    pub body_html: String,
    pub attachments: Vec<AttachmentView>,
    pub findings: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ImpactView {
    pub summary: Option<String>,
    pub summary_html: Option<String>,
    pub users: Option<String>,
    /// `users` is a description, not a count.
    pub users_described: bool,
    pub regions: Vec<String>,
    pub figures: Vec<FigureView>,
    pub customer_facing: Option<bool>,
    pub slo: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct FigureView {
    /// `≈19` for an approximate figure.
    pub value: String,
    pub unit: String,
    pub source: Option<String>,
    pub approx: bool,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct IntervalView {
    pub start: String,
    pub end: Option<String>,
    pub length: Option<String>,
    pub approx: bool,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct MilestoneView {
    pub step: &'static str,
    pub label: &'static str,
    pub at: String,
    pub at_iso: String,
    pub anchor: String,
    pub approx: bool,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct StepLabel {
    pub step: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct DurationView {
    pub key: &'static str,
    pub label: &'static str,
    pub value: Option<String>,
    pub from: &'static str,
    pub note: Option<String>,
    pub approx: bool,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ActionGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub items: Vec<ActionView>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct AttachmentView {
    pub name: String,
    pub url: String,
}

/// A day (`2026-11-02`) or an instant (`2026-11-03 14:02 CET`), as written.
/// A whole day was resolved at its start in the record's zone.
fn day_or_datetime(
    t: jiff::Timestamp,
    whole_day: bool,
    zone: Option<&crate::model::Zone>,
) -> String {
    if whole_day {
        format::day(t, zone).to_string()
    } else {
        format::datetime(t, zone)
    }
}

/// `≈06:34` for an approximate time or a duration computed from one.
fn step_label(config: &Config, step: &str) -> String {
    MILESTONES
        .iter()
        .find(|(id, _)| *id == step)
        .map(|(_, label)| (*label).to_owned())
        .or_else(|| {
            config
                .checklist
                .iter()
                .find(|s| s.id == step)
                .map(|s| s.title.clone())
        })
        .unwrap_or_else(|| step.to_owned())
}

impl ViewCx<'_> {
    /// Resolves an attachment-or-URL reference into a link, when it is safe.
    fn reference_link(&self, incident: &Incident, target: &str) -> Option<LinkView> {
        if has_scheme(target) {
            return is_safe_url(target).then(|| LinkView {
                label: target.to_owned(),
                url: target.to_owned(),
            });
        }
        let name = target.trim_start_matches("./");
        incident
            .attachments
            .iter()
            .find(|a| a.name == name)
            .map(|a| LinkView {
                label: a.name.clone(),
                url: urls::attachment(&incident.id, &a.name),
            })
    }

    /// The incident page's data.
    pub fn incident(&self, incident: &Incident) -> IncidentView {
        let default = Analysis::default();
        let analysis = self.analysis(&incident.id).unwrap_or(&default);
        let zone = incident.zone.as_ref();
        let md = self.markdown;
        let milestone_steps: Vec<&str> = MILESTONES.iter().map(|(s, _)| *s).collect();

        let milestones = analysis
            .milestones
            .iter()
            .map(|m| MilestoneView {
                step: m.step,
                label: MILESTONES
                    .iter()
                    .find(|(s, _)| *s == m.step)
                    .map_or("", |(_, l)| l),
                at: format::approx(m.approx, format::datetime(m.at, zone)),
                at_iso: format::iso(m.at),
                anchor: urls::event_anchor(m.event),
                approx: m.approx,
            })
            .collect();
        let missing_milestones = analysis
            .missing_milestones
            .iter()
            .map(|s| StepLabel {
                step: s,
                label: MILESTONES
                    .iter()
                    .find(|(id, _)| id == s)
                    .map_or("", |(_, l)| l),
            })
            .collect();
        let d = &analysis.durations;
        let missing_note = |v: Option<SignedDuration>| {
            v.is_none()
                .then(|| "not measured: a milestone is missing or out of order".to_owned())
        };
        let from_origin = |to: &'static str| match (d.from_detection, to) {
            (true, "mitigated") => "detected → mitigated",
            (true, _) => "detected → resolved",
            (false, "mitigated") => "impact start → mitigated",
            (false, _) => "impact start → resolved",
        };
        let duration =
            |key, label, value: Option<SignedDuration>, from, approx: bool| DurationView {
                key,
                label,
                value: value.map(|v| format::approx(approx, format::duration(v))),
                from,
                note: missing_note(value),
                approx: approx && value.is_some(),
            };
        let durations = vec![
            duration(
                "time_to_detect",
                "Time to detect",
                d.detect,
                "impact start → detected",
                d.approx.detect,
            ),
            duration(
                "time_to_acknowledge",
                "Time to acknowledge",
                d.acknowledge,
                "detected → acknowledged",
                d.approx.acknowledge,
            ),
            duration(
                "time_to_mitigate",
                "Time to mitigate",
                d.mitigate,
                from_origin("mitigated"),
                d.approx.mitigate,
            ),
            duration(
                "time_to_resolve",
                "Time to resolve",
                d.resolve,
                from_origin("resolved"),
                d.approx.resolve,
            ),
        ];
        let duration_note = d.from_detection.then(|| {
            "Impact start is not recorded: mitigate and resolve are measured from detection."
                .to_owned()
        });

        // Each event's text as HTML for the table (moved into it below:
        // `analysis.order` lists each event once) and as plain text for the
        // drawing, from one parse.
        let (mut event_html, event_text): (Vec<String>, Vec<String>) = incident
            .timeline
            .iter()
            .map(|e| md.inline_and_text(&e.text))
            .unzip();
        let timeline_svg = timeline::layout(incident, analysis, &event_text);
        // On an incident that spans days, a bare time is ambiguous: say the day.
        let spans_days = {
            let mut days = incident.timeline.iter().map(|e| format::day(e.at, zone));
            days.next().is_some_and(|first| days.any(|d| d != first))
        };
        // Where a checklist step's evidence sits: the day alone for a
        // day-only event, the day too when the incident spans days, and an
        // approximate time marked as one.
        let event_when = |event: &crate::model::Event| {
            let time = || format::approx(event.approx, format::time_of_day(event.at, zone));
            if event.day_only {
                format!("timeline event on {}", format::day(event.at, zone))
            } else if spans_days {
                format!(
                    "timeline event on {} {}",
                    format::short_day(format::day(event.at, zone)),
                    time()
                )
            } else {
                format!("timeline event at {}", time())
            }
        };
        let timeline_columns = TimelineColumns {
            step: incident.timeline.iter().any(|e| !e.steps.is_empty()),
            who: incident.timeline.iter().any(|e| e.who.is_some()),
            source: incident.timeline.iter().any(|e| e.source.is_some()),
            evidence: false,
        };
        let mut timeline = Vec::new();
        let mut last_day = None;
        for &i in &analysis.order {
            let event = &incident.timeline[i];
            if let Some(gap) = analysis.gaps.iter().find(|g| g.before == i) {
                timeline.push(TimelineRow {
                    kind: "gap",
                    anchor: None,
                    at: None,
                    at_full: None,
                    at_iso: None,
                    day_change: false,
                    approx: false,
                    day_only: false,
                    text_html: None,
                    step: None,
                    step_label: None,
                    milestone: false,
                    outside: false,
                    who: None,
                    source: None,
                    evidence: None,
                    length: Some(format::duration_over(gap.length, analysis.gap_threshold)),
                    explained: gap.explanation.is_some(),
                    explanation: gap.explanation.clone(),
                });
            }
            let day = format::day(event.at, zone);
            let day_change = last_day != Some(day);
            last_day = Some(day);
            let step = event.steps.first().map(|s| s.value.clone());
            let labels: Vec<String> = event
                .steps
                .iter()
                .map(|s| step_label(self.config, &s.value))
                .collect();
            let milestone = analysis.milestones.iter().any(|m| m.event == i);
            let (at, at_full) = if event.day_only {
                let day = day.to_string();
                (day.clone(), day)
            } else {
                (
                    format::time_of_day(event.at, zone),
                    format::datetime(event.at, zone),
                )
            };
            timeline.push(TimelineRow {
                kind: "event",
                anchor: Some(urls::event_anchor(i)),
                at: Some(format::approx(event.approx, at)),
                at_full: Some(format::approx(event.approx, at_full)),
                at_iso: Some(if event.day_only {
                    day.to_string()
                } else {
                    format::iso(event.at)
                }),
                day_change,
                approx: event.approx,
                day_only: event.day_only,
                text_html: event_html.get_mut(i).map(std::mem::take),
                step_label: (!labels.is_empty()).then(|| labels.join(" · ")),
                step,
                milestone,
                outside: !event.day_only
                    && analysis
                        .window
                        .is_some_and(|(s, e)| event.at < s || event.at > e),
                who: event.who.clone(),
                source: event.source.clone(),
                evidence: event
                    .evidence
                    .as_ref()
                    .and_then(|e| self.reference_link(incident, &e.value)),
                length: None,
                explained: false,
                explanation: None,
            });
        }

        let mut timeline_columns = timeline_columns;
        timeline_columns.evidence = timeline.iter().any(|r| r.evidence.is_some());

        let checklist: Vec<ChecklistRow> = analysis
            .checklist
            .iter()
            .map(|s| {
                let (state, how, reason, anchor_) = match &s.coverage {
                    Coverage::Done(e) => {
                        let (how, anchor_) = match e {
                            Evidence::Event(i) => (
                                event_when(&incident.timeline[*i]),
                                Some(urls::event_anchor(*i)),
                            ),
                            Evidence::Hypotheses => ("hypotheses recorded".to_owned(), None),
                            Evidence::TestedHypothesis => {
                                ("a hypothesis was confirmed or rejected".to_owned(), None)
                            }
                            Evidence::Changes => ("recent changes recorded".to_owned(), None),
                            Evidence::Update => ("stakeholder update sent".to_owned(), None),
                            Evidence::ResolvedUpdate => ("resolution update sent".to_owned(), None),
                            Evidence::Declared => ("marked done in [checklist]".to_owned(), None),
                        };
                        ("done", Some(how), None, anchor_)
                    }
                    Coverage::Skipped(r) => ("skipped", None, Some(r.clone()), None),
                    Coverage::Unknown(r) => ("unknown", None, Some(r.clone()), None),
                    Coverage::Missing if s.required => ("missing", None, None, None),
                    Coverage::Missing => ("not-required", None, None, None),
                };
                ChecklistRow {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    state,
                    how,
                    reason,
                    anchor: anchor_,
                }
            })
            .collect();
        let checklist_required = analysis.checklist.iter().filter(|s| s.required).count();
        let checklist_done = analysis
            .checklist
            .iter()
            .filter(|s| s.required && !matches!(s.coverage, Coverage::Missing))
            .count();

        let of_kind = |kind: ActionKind| -> Vec<ActionView> {
            incident
                .actions
                .iter()
                .filter(|a| a.kind == Some(kind))
                .map(|a| self.action(incident, a))
                .collect()
        };
        let mut actions_other: Vec<ActionGroup> = [
            ActionKind::Mitigation,
            ActionKind::Process,
            ActionKind::Documentation,
        ]
        .into_iter()
        .map(|k| ActionGroup {
            kind: k.as_str(),
            label: k.label(),
            items: of_kind(k),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
        let unkinded: Vec<ActionView> = incident
            .actions
            .iter()
            .filter(|a| a.kind.is_none())
            .map(|a| self.action(incident, a))
            .collect();
        if !unkinded.is_empty() {
            actions_other.push(ActionGroup {
                kind: "none",
                label: "No kind given",
                items: unkinded,
            });
        }

        let actions_monitoring = of_kind(ActionKind::Monitoring);
        let actions_prevention = of_kind(ActionKind::Prevention);
        let actions_html = action_sections_html(
            &actions_monitoring,
            &actions_prevention,
            &actions_other
                .iter()
                .map(|g| ActionGroupRef {
                    kind: g.kind,
                    label: g.label,
                    items: &g.items,
                })
                .collect::<Vec<_>>(),
        );

        let triage = incident.triage.as_ref().map(|t| TriageView {
            error: t.error.clone(),
            symptoms: t.symptoms.clone(),
            symptoms_html: t.symptoms.iter().map(|s| md.inline(s)).collect(),
            system: t.system.clone(),
            stack_trace: t.stack_trace.clone(),
            logs: t
                .logs
                .iter()
                .map(|l| match self.reference_link(incident, l.value.trim()) {
                    Some(link) => LogView {
                        label: link.label,
                        url: Some(link.url),
                        text: None,
                    },
                    None => LogView {
                        label: "log excerpt".to_owned(),
                        url: None,
                        text: Some(l.value.clone()),
                    },
                })
                .collect(),
        });

        let mut mitigations: Vec<&crate::model::Mitigation> = incident.mitigations.iter().collect();
        // Chosen first, then rated options best first, then the options
        // without any rating in the order written: pm cannot rank those.
        let rated = |m: &crate::model::Mitigation| {
            m.effectiveness.is_some() || m.speed.is_some() || m.risk.is_some()
        };
        mitigations.sort_by_key(|m| {
            (
                !m.chosen,
                !rated(m),
                mitigation_rank(m.effectiveness, m.speed, m.risk),
            )
        });
        let mut next_rank = 0;

        let mut updates: Vec<&crate::model::Update> = incident.updates.iter().collect();
        updates.sort_by_key(|u| u.at);

        let _ = milestone_steps;
        let whole_body = md.html_of(&analysis.body, incident.origin.body());
        let (story_html, body_html) = match take_section(&whole_body, "Summary") {
            Some((story, rest)) => (Some(story), rest),
            None => (None, whole_body),
        };
        let root = urls::root_of(&urls::incident(&incident.id));
        let mut view = IncidentView {
            history: history::history_view(self.history, &incident.origin.file),
            id: incident.id.clone(),
            title: incident.title.clone(),
            severity: incident.severity.value.clone(),
            severity_rank: self
                .config
                .severity_rank(&incident.severity.value)
                .unwrap_or(0),
            kind: incident.kind.value.clone(),
            playbook_url: self
                .has_playbook_page(&incident.kind.value)
                .then(|| urls::playbook(&incident.kind.value)),
            status: incident.status.value.as_str(),
            draft: incident.draft,
            services: incident.services.clone(),
            tags: incident.tags.clone(),
            commander: incident.commander.clone(),
            responders: incident.responders.clone(),
            timezone: zone.map_or_else(|| "UTC".to_owned(), |z| z.name.clone()),
            started: analysis.start.map(|s| format::datetime(s, zone)),
            detected_by: incident.detected_by.as_ref().map(|d| d.value.as_str()),
            summary_html: incident.summary.as_ref().map(|s| md.block(s)),
            story_html,
            description: incident.summary.as_ref().map(|s| md.inline_and_text(s).1),
            duration: d
                .resolve
                .map(|r| format::approx(d.approx.resolve, format::duration(r))),
            impact: incident.impact.as_ref().map(|i| ImpactView {
                summary: i.summary.clone(),
                summary_html: i.summary.as_deref().map(|s| md.inline(s)),
                users: i.users.as_ref().map(|u| match u {
                    Users::Count(n) => format::count(*n),
                    Users::Described(text) => text.clone(),
                }),
                users_described: matches!(i.users, Some(Users::Described(_))),
                regions: i.regions.clone(),
                figures: i
                    .figures
                    .iter()
                    .map(|f| FigureView {
                        value: format::approx(f.approx, f.value_text()),
                        unit: f.unit.clone(),
                        source: f.source.clone(),
                        approx: f.approx,
                    })
                    .collect(),
                customer_facing: i.customer_facing,
                slo: i.slo.clone(),
            }),
            impact_intervals: analysis
                .impact
                .iter()
                .map(|iv| IntervalView {
                    start: format::approx(iv.approx, format::datetime(iv.start, zone)),
                    end: iv.end.map(|e| format::datetime(e, zone)),
                    length: iv.end.map(|e| {
                        format::approx(iv.approx, format::duration(e.duration_since(iv.start)))
                    }),
                    approx: iv.approx,
                })
                .collect(),
            total_impact: analysis
                .total_impact()
                .map(|t| format::approx(analysis.total_impact_approx(), format::duration(t))),
            recurred: analysis.recurred(),
            milestones,
            missing_milestones,
            durations,
            duration_note,
            timeline_rows_html: TimelineRow::rows_html(
                &timeline,
                &timeline_columns,
                timeline_svg.as_ref().map_or(&[][..], |t| &t.gaps[..]),
                &format::duration(analysis.gap_threshold),
                &root,
            ),
            timeline_figure_html: timeline_svg.as_ref().map_or_else(
                || {
                    "\n<p class=\"empty\">Nothing to draw: the timeline has no events.</p>\n"
                        .to_owned()
                },
                timeline::TimelineSvg::html,
            ),
            timeline_window: timeline_svg
                .as_ref()
                .and_then(|t| t.window.as_ref())
                .map(|w| w.span.clone()),
            timeline,
            timeline_columns,
            event_count: incident.timeline.len(),
            gap_count: analysis.gaps.len(),
            timeline_svg,
            gap_threshold: format::duration(analysis.gap_threshold),
            checklist,
            checklist_done,
            checklist_required,
            actions_html,
            actions_monitoring,
            actions_prevention,
            actions_other,
            triage,
            changes: incident
                .changes
                .iter()
                .map(|c| ChangeView {
                    at: c.at.map(|t| {
                        let from = day_or_datetime(t, c.whole_day, zone);
                        match c.until {
                            Some(u) => {
                                format!("{from} – {}", day_or_datetime(u, c.until_whole_day, zone))
                            }
                            None => from,
                        }
                    }),
                    kind: c.kind.map(|k| k.as_str()),
                    reference: c.reference.clone(),
                    text_html: md.inline(&c.text),
                    suspect: c.suspect,
                })
                .collect(),
            hypotheses: incident
                .hypotheses
                .iter()
                .map(|h| HypothesisView {
                    at: h.at.map(|t| day_or_datetime(t, h.whole_day, zone)),
                    text_html: md.inline(&h.text),
                    result: h.result.as_str(),
                    evidence: h.evidence.clone(),
                    evidence_html: h.evidence.as_deref().map(|e| md.inline(e)),
                })
                .collect(),
            mitigations: mitigations
                .into_iter()
                .map(|m| MitigationView {
                    rank: rated(m).then(|| {
                        next_rank += 1;
                        next_rank
                    }),
                    option_html: md.inline(&m.option),
                    speed: m.speed.map(|r| r.as_str()),
                    risk: m.risk.map(|r| r.as_str()),
                    effectiveness: m.effectiveness.map(|r| r.as_str()),
                    chosen: m.chosen,
                    outcome: m.outcome.clone(),
                    outcome_html: m.outcome.as_deref().map(|o| md.inline(o)),
                })
                .collect(),
            rollback: incident.rollback.as_ref().map(|r| RollbackView {
                possible: r.possible.map(|p| p.as_str()),
                decision: r.decision.map(|d| d.as_str()),
                reason: r.reason.clone(),
                reason_html: r.reason.as_deref().map(|e| md.inline(e)),
            }),
            updates: updates
                .into_iter()
                .map(|u| UpdateView {
                    at: u.at.map(|t| format::datetime(t, zone)),
                    status: u.status.map(|s| s.as_str()),
                    audience: u.audience.map(|a| a.as_str()),
                    text_html: md.inline(&u.text),
                })
                .collect(),
            body_html,
            attachments: incident
                .attachments
                .iter()
                .map(|a| AttachmentView {
                    name: a.name.clone(),
                    url: urls::attachment(&incident.id, &a.name),
                })
                .collect(),
            findings: self.findings(&incident.origin.file),
            notes_html: String::new(),
        };
        view.notes_html = Notes {
            checklist: &view.checklist,
            checklist_done: view.checklist_done,
            checklist_required: view.checklist_required,
            triage: view.triage.as_ref(),
            changes: &view.changes,
            hypotheses: &view.hypotheses,
            mitigations: &view.mitigations,
            rollback: view.rollback.as_ref(),
            updates: &view.updates,
            root: &root,
        }
        .html();
        view
    }
}

/// Splits rendered write-up HTML into the content of its first top-level
/// section headed `name` (compared without case; the heading itself left
/// out) and the rest of the write-up, or `None` when there is no such
/// section. The HTML is pm's own Markdown output, whose headings carry no
/// attributes (`<h2>Summary</h2>`); a section runs to the next heading of
/// the same level or higher.
fn take_section(html: &str, name: &str) -> Option<(String, String)> {
    let level = (1..=6).find(|l| html.contains(&format!("<h{l}>")))?;
    let (open, close) = (format!("<h{level}>"), format!("</h{level}>"));
    let mut from = 0;
    while let Some(at) = html[from..].find(&open).map(|i| i + from) {
        let inner_start = at + open.len();
        let inner_end = html[inner_start..].find(&close)? + inner_start;
        let content_start = inner_end + close.len();
        if html[inner_start..inner_end]
            .trim()
            .eq_ignore_ascii_case(name)
        {
            let end = (1..=level)
                .filter_map(|l| html[content_start..].find(&format!("<h{l}>")))
                .min()
                .map_or(html.len(), |i| i + content_start);
            let story = html[content_start..end].trim().to_owned();
            let rest = format!("{}{}", &html[..at], &html[end..]);
            // A write-up that was only its Summary has nothing left to show.
            let rest = if rest.trim().is_empty() {
                String::new()
            } else {
                rest
            };
            return Some((story, rest));
        }
        from = content_start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::take_section;

    #[test]
    fn the_summary_section_is_taken_out_of_the_write_up() {
        let html = "<p>intro</p>\n<h2>Summary</h2>\n<p>It broke.</p>\n<h3>Detail</h3>\n<p>x</p>\n<h2>Root cause</h2>\n<p>y</p>\n";
        let (story, rest) = take_section(html, "summary").unwrap();
        assert_eq!(story, "<p>It broke.</p>\n<h3>Detail</h3>\n<p>x</p>");
        assert_eq!(rest, "<p>intro</p>\n<h2>Root cause</h2>\n<p>y</p>\n");
    }

    #[test]
    fn no_summary_section_leaves_the_write_up_alone() {
        assert_eq!(take_section("<h2>Impact</h2><p>x</p>", "Summary"), None);
        assert_eq!(take_section("<p>Summary</p>", "Summary"), None);
        // A lower-level heading named Summary is not the top-level section.
        assert_eq!(
            take_section("<h2>A</h2><h3>Summary</h3><p>x</p>", "Summary"),
            None
        );
    }

    #[test]
    fn a_write_up_that_is_only_its_summary_leaves_nothing() {
        let (story, rest) = take_section("<h2>Summary</h2>\n<p>s</p>\n", "Summary").unwrap();
        assert_eq!(story, "<p>s</p>");
        assert_eq!(rest, "");
    }

    #[test]
    fn a_summary_at_the_end_runs_to_the_end() {
        let (story, rest) =
            take_section("<h2>A</h2><p>a</p><h2>SUMMARY</h2><p>s</p>", "Summary").unwrap();
        assert_eq!(story, "<p>s</p>");
        assert_eq!(rest, "<h2>A</h2><p>a</p>");
    }
}
