//! View structs: the only data templates see.
//!
//! Every field the templates may read is always present (Tera 2 treats an
//! unknown field as an error); strings are plain text, escaped by Tera,
//! except fields ending in `_html`, which pm produced from Markdown in safe
//! mode. The contract is documented in `docs/templates.md`.

use jiff::SignedDuration;
use serde::Serialize;

pub use super::cx::ViewCx;
use super::cx::{ActionView, FindingView};
use super::{history, timeline, urls};
use crate::analysis::{Analysis, Coverage, Evidence};
use crate::config::{Config, MILESTONES};
use crate::humanize as format;
use crate::model::{ActionKind, Incident, has_scheme, is_safe_url, mitigation_rank};

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
    pub impact: Option<ImpactView>,
    pub milestones: Vec<MilestoneView>,
    pub missing_milestones: Vec<StepLabel>,
    pub durations: Vec<DurationView>,
    pub duration_note: Option<String>,
    pub timeline: Vec<TimelineRow>,
    pub timeline_svg: Option<timeline::TimelineSvg>,
    pub gap_threshold: String,
    pub checklist: Vec<ChecklistRow>,
    pub checklist_done: usize,
    pub checklist_required: usize,
    pub actions_monitoring: Vec<ActionView>,
    pub actions_prevention: Vec<ActionView>,
    pub actions_other: Vec<ActionGroup>,
    pub triage: Option<TriageView>,
    pub changes: Vec<ChangeView>,
    pub hypotheses: Vec<HypothesisView>,
    pub mitigations: Vec<MitigationView>,
    pub rollback: Option<RollbackView>,
    pub updates: Vec<UpdateView>,
    pub body_html: String,
    pub attachments: Vec<AttachmentView>,
    pub findings: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ImpactView {
    pub summary: Option<String>,
    pub users: Option<String>,
    pub customer_facing: Option<bool>,
    pub slo: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct MilestoneView {
    pub step: &'static str,
    pub label: &'static str,
    pub at: String,
    pub at_iso: String,
    pub anchor: String,
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
}

/// A row of the timeline table: an event, or the silence before one.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TimelineRow {
    pub kind: &'static str,
    pub anchor: Option<String>,
    pub at: Option<String>,
    pub at_full: Option<String>,
    pub at_iso: Option<String>,
    pub day_change: bool,
    pub text_html: Option<String>,
    pub step: Option<String>,
    pub step_label: Option<String>,
    pub milestone: bool,
    pub who: Option<String>,
    pub source: Option<String>,
    pub evidence: Option<LinkView>,
    pub length: Option<String>,
    pub explained: bool,
    pub explanation: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LinkView {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ChecklistRow {
    pub id: String,
    pub title: String,
    pub state: &'static str,
    pub how: Option<String>,
    pub reason: Option<String>,
    pub anchor: Option<String>,
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
pub struct TriageView {
    pub error: Option<String>,
    pub symptoms: Vec<String>,
    pub system: Option<String>,
    pub stack_trace: Option<String>,
    pub logs: Vec<LogView>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LogView {
    pub label: String,
    pub url: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ChangeView {
    pub at: Option<String>,
    pub kind: Option<&'static str>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text_html: String,
    pub suspect: bool,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct HypothesisView {
    pub text_html: String,
    pub result: &'static str,
    pub evidence: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct MitigationView {
    pub option_html: String,
    pub speed: Option<&'static str>,
    pub risk: Option<&'static str>,
    pub effectiveness: Option<&'static str>,
    pub chosen: bool,
    pub outcome: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct RollbackView {
    pub possible: Option<&'static str>,
    pub decision: Option<&'static str>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct UpdateView {
    pub at: Option<String>,
    pub status: Option<&'static str>,
    pub audience: Option<&'static str>,
    pub text_html: String,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct AttachmentView {
    pub name: String,
    pub url: String,
}

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
                at: format::datetime(m.at, zone),
                at_iso: format::iso(m.at),
                anchor: urls::event_anchor(m.event),
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
        let origin = if d.from_detection {
            "detected"
        } else {
            "impact start"
        };
        let missing_note = |v: Option<SignedDuration>| {
            v.is_none()
                .then(|| "not measured: a milestone is missing or out of order".to_owned())
        };
        let durations = vec![
            DurationView {
                key: "time_to_detect",
                label: "Time to detect",
                value: d.detect.map(format::duration),
                from: "impact start → detected",
                note: missing_note(d.detect),
            },
            DurationView {
                key: "time_to_acknowledge",
                label: "Time to acknowledge",
                value: d.acknowledge.map(format::duration),
                from: "detected → acknowledged",
                note: missing_note(d.acknowledge),
            },
            DurationView {
                key: "time_to_mitigate",
                label: "Time to mitigate",
                value: d.mitigate.map(format::duration),
                from: if origin == "detected" {
                    "detected → mitigated"
                } else {
                    "impact start → mitigated"
                },
                note: missing_note(d.mitigate),
            },
            DurationView {
                key: "time_to_resolve",
                label: "Time to resolve",
                value: d.resolve.map(format::duration),
                from: if origin == "detected" {
                    "detected → resolved"
                } else {
                    "impact start → resolved"
                },
                note: missing_note(d.resolve),
            },
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
                    text_html: None,
                    step: None,
                    step_label: None,
                    milestone: false,
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
            let step = event.step.as_ref().map(|s| s.value.clone());
            let milestone = analysis.milestones.iter().any(|m| m.event == i);
            timeline.push(TimelineRow {
                kind: "event",
                anchor: Some(urls::event_anchor(i)),
                at: Some(format::time_of_day(event.at, zone)),
                at_full: Some(format::datetime(event.at, zone)),
                at_iso: Some(format::iso(event.at)),
                day_change,
                text_html: event_html.get_mut(i).map(std::mem::take),
                step_label: step.as_deref().map(|s| step_label(self.config, s)),
                step,
                milestone,
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

        let checklist: Vec<ChecklistRow> = analysis
            .checklist
            .iter()
            .map(|s| {
                let (state, how, reason, anchor_) = match &s.coverage {
                    Coverage::Done(e) => {
                        let (how, anchor_) = match e {
                            Evidence::Event(i) => (
                                format!(
                                    "timeline event at {}",
                                    format::time_of_day(incident.timeline[*i].at, zone)
                                ),
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

        let triage = incident.triage.as_ref().map(|t| TriageView {
            error: t.error.clone(),
            symptoms: t.symptoms.clone(),
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
        mitigations.sort_by_key(|m| (!m.chosen, mitigation_rank(m.effectiveness, m.speed, m.risk)));

        let mut updates: Vec<&crate::model::Update> = incident.updates.iter().collect();
        updates.sort_by_key(|u| u.at);

        let _ = milestone_steps;
        IncidentView {
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
            impact: incident.impact.as_ref().map(|i| ImpactView {
                summary: i.summary.clone(),
                users: i.users.map(format::count),
                customer_facing: i.customer_facing,
                slo: i.slo.clone(),
            }),
            milestones,
            missing_milestones,
            durations,
            duration_note,
            timeline,
            timeline_svg,
            gap_threshold: format::duration(analysis.gap_threshold),
            checklist,
            checklist_done,
            checklist_required,
            actions_monitoring: of_kind(ActionKind::Monitoring),
            actions_prevention: of_kind(ActionKind::Prevention),
            actions_other,
            triage,
            changes: incident
                .changes
                .iter()
                .map(|c| ChangeView {
                    at: c.at.map(|t| {
                        if c.whole_day {
                            format::day(t, None).to_string()
                        } else {
                            format::datetime(t, zone)
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
                    text_html: md.inline(&h.text),
                    result: h.result.as_str(),
                    evidence: h.evidence.clone(),
                })
                .collect(),
            mitigations: mitigations
                .into_iter()
                .map(|m| MitigationView {
                    option_html: md.inline(&m.option),
                    speed: m.speed.map(|r| r.as_str()),
                    risk: m.risk.map(|r| r.as_str()),
                    effectiveness: m.effectiveness.map(|r| r.as_str()),
                    chosen: m.chosen,
                    outcome: m.outcome.clone(),
                })
                .collect(),
            rollback: incident.rollback.as_ref().map(|r| RollbackView {
                possible: r.possible.map(|p| p.as_str()),
                decision: r.decision.map(|d| d.as_str()),
                reason: r.reason.clone(),
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
            body_html: md.html_of(&analysis.body, incident.origin.body()),
            attachments: incident
                .attachments
                .iter()
                .map(|a| AttachmentView {
                    name: a.name.clone(),
                    url: urls::attachment(&incident.id, &a.name),
                })
                .collect(),
            findings: self.findings(&incident.origin.file),
        }
    }
}
