//! View structs: the only data templates see.
//!
//! Every field the templates may read is always present (Tera 2 treats an
//! unknown field as an error); strings are plain text, escaped by Tera,
//! except fields ending in `_html`, which pm produced from Markdown in safe
//! mode. The contract is documented in `docs/templates.md`.

use std::collections::BTreeMap;

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use crate::analysis::{Analyses, Analysis, Coverage, Evidence, median};
use crate::config::{Config, MILESTONES};
use crate::diag::Diagnostics;
use crate::humanize as format;
use crate::markdown::Markdown;
use crate::model::{
    Action, ActionKind, Corpus, Incident, Playbook, Status, has_scheme, is_safe_url,
    mitigation_rank,
};

/// Facts every page shows.
#[derive(Debug, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Optional description.
    pub description: Option<String>,
    /// `pm <version>`.
    pub generator: String,
    /// The commit the site was built from, when git history was read.
    pub commit: Option<super::history::RevisionView>,
}

/// One incident in a list.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct IncidentSummary {
    pub id: String,
    pub url: String,
    pub title: String,
    pub severity: String,
    pub severity_rank: usize,
    #[serde(rename = "type")]
    pub kind: String,
    pub playbook_url: Option<String>,
    pub status: &'static str,
    pub services: Vec<String>,
    pub date: Option<String>,
    pub started: Option<String>,
    pub time_to_resolve: Option<String>,
    pub draft: bool,
    pub summary: Option<String>,
    /// The summary as inline HTML (from Markdown).
    pub summary_html: Option<String>,
    pub open_actions: usize,
}

/// One action item.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ActionView {
    pub kind: Option<&'static str>,
    pub text_html: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: &'static str,
    pub link: Option<String>,
    pub overdue: bool,
    pub closed: Option<String>,
    pub incident_id: String,
    pub incident_url: String,
    pub incident_title: String,
}

/// A review finding shown on a page.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct FindingView {
    pub level: &'static str,
    pub lint: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub line: usize,
}

/// Shared inputs of every view builder.
pub struct ViewCx<'a> {
    /// The records.
    pub corpus: &'a Corpus,
    /// Derived facts.
    pub analyses: &'a Analyses,
    /// Settings.
    pub config: &'a Config,
    /// The Markdown renderer.
    pub markdown: &'a Markdown,
    /// Lint findings, shown on pages.
    pub diagnostics: &'a Diagnostics,
    /// Git history, when it could be read.
    pub history: Option<&'a crate::source::git::History>,
    /// The date overdue items are measured against.
    pub today: Date,
}

/// The site-root-relative URL of an incident page.
pub fn incident_url(id: &str) -> String {
    format!("incidents/{id}/index.html")
}

/// The site-root-relative URL of a playbook page.
pub fn playbook_url(kind: &str) -> String {
    format!("playbooks/{kind}/index.html")
}

impl<'a> ViewCx<'a> {
    fn analysis(&self, id: &str) -> Option<&'a Analysis> {
        self.analyses.incidents.get(id)
    }

    /// Whether a type has a page (curated file or generated from incidents).
    fn has_playbook_page(&self, kind: &str) -> bool {
        self.corpus.playbooks.contains_key(kind) || crate::model::is_valid_id(kind)
    }

    /// One incident as a list row.
    pub fn summary(&self, incident: &Incident) -> IncidentSummary {
        let analysis = self.analysis(&incident.id);
        let zone = incident.zone.as_ref();
        let start = analysis.and_then(|a| a.start);
        IncidentSummary {
            id: incident.id.clone(),
            url: incident_url(&incident.id),
            title: incident.title.clone(),
            severity: incident.severity.value.clone(),
            severity_rank: self
                .config
                .severity_rank(&incident.severity.value)
                .unwrap_or(0),
            kind: incident.kind.value.clone(),
            playbook_url: self
                .has_playbook_page(&incident.kind.value)
                .then(|| playbook_url(&incident.kind.value)),
            status: incident.status.value.as_str(),
            services: incident.services.clone(),
            date: start.map(|s| format::day(s, zone).to_string()),
            started: start.map(|s| format::datetime(s, zone)),
            time_to_resolve: analysis
                .and_then(|a| a.durations.resolve)
                .map(format::duration),
            draft: incident.draft,
            summary: incident.summary.clone(),
            summary_html: incident.summary.as_ref().map(|s| self.markdown.inline(s)),
            open_actions: incident
                .actions
                .iter()
                .filter(|a| a.status.is_open())
                .count(),
        }
    }

    /// Incidents newest first (by start, then id).
    pub fn incidents_newest_first(&self) -> Vec<&'a Incident> {
        let mut list: Vec<&Incident> = self.corpus.incidents.values().collect();
        list.sort_by(|a, b| {
            let sa = self.analysis(&a.id).and_then(|x| x.start);
            let sb = self.analysis(&b.id).and_then(|x| x.start);
            sb.cmp(&sa).then_with(|| b.id.cmp(&a.id))
        });
        list
    }

    /// An action item as shown anywhere.
    pub fn action(&self, incident: &Incident, action: &Action) -> ActionView {
        ActionView {
            kind: action.kind.map(ActionKind::as_str),
            text_html: self.markdown.inline(&action.text),
            owner: action.owner.clone(),
            due: action.due.map(|d| d.to_string()),
            status: action.status.as_str(),
            link: action.link.clone().filter(|l| is_safe_url(l)),
            overdue: is_overdue(action, self.today),
            closed: action.closed.map(|d| d.to_string()),
            incident_id: incident.id.clone(),
            incident_url: incident_url(&incident.id),
            incident_title: incident.title.clone(),
        }
    }

    /// Findings for one file, for a page's review box.
    pub fn findings(&self, file: &str) -> Vec<FindingView> {
        let sources = &self.diagnostics.sources;
        self.diagnostics
            .of_file(file)
            .map(|d| FindingView {
                level: d.level.as_str(),
                lint: d.code,
                message: d.message.clone(),
                help: d.help.clone(),
                line: d
                    .span
                    .as_ref()
                    .map_or(1, |s| sources.line_col(file, s.start).0),
            })
            .collect()
    }
}

/// Whether an open item is past its due date.
pub fn is_overdue(action: &Action, today: Date) -> bool {
    action.status.is_open() && action.due.is_some_and(|d| d < today)
}

/// The index page's figures.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct SummaryView {
    pub incidents: usize,
    pub resolved: usize,
    pub open_actions: usize,
    pub overdue_actions: usize,
    pub by_severity: Vec<SeverityRow>,
    pub median_detect: Option<String>,
    pub median_resolve: Option<String>,
    pub detect_from: String,
    pub resolve_from: String,
    pub open_actions_in: String,
    pub overdue_actions_in: String,
}

/// One row of the per-severity table.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct SeverityRow {
    pub severity: String,
    pub rank: usize,
    pub count: usize,
    pub median_detect: Option<String>,
    pub median_resolve: Option<String>,
    pub detect_from: String,
    pub resolve_from: String,
}

/// A playbook in the index list.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct PlaybookLink {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub url: String,
    pub incidents: usize,
    pub generated: bool,
}

impl ViewCx<'_> {
    /// Figures for the index.
    pub fn summary_view(&self) -> SummaryView {
        let incidents: Vec<&Incident> = self.corpus.incidents.values().collect();
        self.summary_of(&incidents)
    }

    /// Figures for any set of incidents (the index, a listing page).
    pub fn summary_of(&self, incidents: &[&Incident]) -> SummaryView {
        let actions = incidents.iter().flat_map(|i| i.actions.iter());
        let open_actions = actions.clone().filter(|a| a.status.is_open()).count();
        let overdue_actions = actions.filter(|a| is_overdue(a, self.today)).count();
        let by_severity = self
            .config
            .severities
            .iter()
            .map(|sev| {
                let of_sev: Vec<&Incident> = incidents
                    .iter()
                    .copied()
                    .filter(|i| &i.severity.value == sev)
                    .collect();
                let collect = |f: fn(&Analysis) -> Option<SignedDuration>| -> Vec<SignedDuration> {
                    of_sev
                        .iter()
                        .filter_map(|i| self.analysis(&i.id).and_then(f))
                        .collect()
                };
                let mut detect = collect(|a| a.durations.detect);
                let mut resolve = collect(|a| a.durations.resolve);
                SeverityRow {
                    severity: sev.clone(),
                    rank: self.config.severity_rank(sev).unwrap_or(0),
                    count: of_sev.len(),
                    detect_from: format::from_n_of_m(detect.len(), of_sev.len()),
                    resolve_from: format::from_n_of_m(resolve.len(), of_sev.len()),
                    median_detect: median(&mut detect).map(format::duration),
                    median_resolve: median(&mut resolve).map(format::duration),
                }
            })
            .collect();
        let all = |f: fn(&Analysis) -> Option<SignedDuration>| -> Vec<SignedDuration> {
            incidents
                .iter()
                .filter_map(|i| self.analysis(&i.id).and_then(f))
                .collect()
        };
        let mut detect = all(|a| a.durations.detect);
        let mut resolve = all(|a| a.durations.resolve);
        let with_actions = |f: &dyn Fn(&Action) -> bool| {
            let n = incidents.iter().filter(|i| i.actions.iter().any(f)).count();
            format!("in {n} of {}", format::plural(incidents.len(), "incident"))
        };
        SummaryView {
            incidents: incidents.len(),
            resolved: incidents
                .iter()
                .filter(|i| i.status.value == Status::Resolved)
                .count(),
            open_actions,
            overdue_actions,
            by_severity,
            detect_from: format::from_n_of_m(detect.len(), incidents.len()),
            resolve_from: format::from_n_of_m(resolve.len(), incidents.len()),
            median_detect: median(&mut detect).map(format::duration),
            median_resolve: median(&mut resolve).map(format::duration),
            open_actions_in: with_actions(&|a| a.status.is_open()),
            overdue_actions_in: with_actions(&|a| is_overdue(a, self.today)),
        }
    }

    /// Every type with a page: curated playbooks and types seen in incidents.
    pub fn playbook_links(&self) -> Vec<PlaybookLink> {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for kind in self.corpus.playbooks.keys() {
            kinds.entry(kind).or_insert(0);
        }
        for incident in self.corpus.incidents.values() {
            if crate::model::is_valid_id(&incident.kind.value) {
                *kinds.entry(&incident.kind.value).or_insert(0) += 1;
            }
        }
        kinds
            .into_iter()
            .map(|(kind, n)| PlaybookLink {
                kind: kind.to_owned(),
                title: self
                    .corpus
                    .playbooks
                    .get(kind)
                    .map_or_else(|| format!("{kind} incidents"), |p| p.title.clone()),
                url: playbook_url(kind),
                incidents: n,
                generated: !self.corpus.playbooks.contains_key(kind),
            })
            .collect()
    }
}

/// The incident page's data.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct IncidentView {
    /// The record file's git history.
    pub history: Option<super::history::HistoryView>,
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
    pub timeline_svg: Option<super::timeline::TimelineSvg>,
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

/// `event-3` for the event at timeline index 3 (file order, stable).
fn anchor(index: usize) -> String {
    format!("event-{}", index + 1)
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
                url: format!("incidents/{}/{}", incident.id, a.name),
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
                anchor: anchor(m.event),
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

        // Each event's text as HTML, made once for the drawing and then
        // moved into the table (`analysis.order` lists each event once).
        let mut event_html: Vec<String> = incident
            .timeline
            .iter()
            .map(|e| md.inline(&e.text))
            .collect();
        let timeline_svg = super::timeline::layout(incident, analysis, &event_html);
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
                    length: Some(format::duration(gap.length)),
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
                anchor: Some(anchor(i)),
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
                                Some(anchor(*i)),
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
            history: super::history::history_view(self.history, &incident.origin.file),
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
                .then(|| playbook_url(&incident.kind.value)),
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
                    url: format!("incidents/{}/{}", incident.id, a.name),
                })
                .collect(),
            findings: self.findings(&incident.origin.file),
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
    pub learned: super::playbook::LearnedView,
    /// The playbook file's git history.
    pub history: Option<super::history::HistoryView>,
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
    pub record: Option<super::playbook::RecordView>,
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
            history: playbook
                .and_then(|p| super::history::history_view(self.history, &p.origin.file)),
            stale_since,
            stale_count: stale_ids.len(),
            kind: kind.to_owned(),
            title: playbook.map_or_else(|| format!("{kind} incidents"), |p| p.title.clone()),
            owner: playbook.and_then(|p| p.owner.clone()),
            generated: playbook.is_none(),
            url: playbook_url(kind),
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
                .map(|u| super::paging::page_url(u, 2)),
            incidents_url: listing_url,
            median_resolve: median(&mut resolve).map(format::duration),
            resolve_from,
            findings: playbook.map_or_else(Vec::new, |p| self.findings(&p.origin.file)),
            learned: self.learned(&lessons, playbook),
        }
    }
}

/// The action tracker's data.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ActionsView {
    pub open: Vec<ActionView>,
    pub closed: Vec<ActionView>,
    pub open_count: usize,
    pub overdue_count: usize,
    pub closed_count: usize,
}

impl ViewCx<'_> {
    /// Every action item of every incident.
    pub fn actions(&self) -> ActionsView {
        let mut open = Vec::new();
        let mut closed = Vec::new();
        for incident in self.corpus.incidents.values() {
            for action in &incident.actions {
                let view = self.action(incident, action);
                if action.status.is_open() {
                    open.push((action.due, view));
                } else {
                    closed.push((action.closed, view));
                }
            }
        }
        open.sort_by(|(da, a), (db, b)| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| da.is_none().cmp(&db.is_none()))
                .then_with(|| da.cmp(db))
                .then_with(|| a.incident_id.cmp(&b.incident_id))
        });
        closed
            .sort_by(|(ca, a), (cb, b)| cb.cmp(ca).then_with(|| a.incident_id.cmp(&b.incident_id)));
        let overdue_count = open.iter().filter(|(_, a)| a.overdue).count();
        ActionsView {
            open_count: open.len(),
            closed_count: closed.len(),
            overdue_count,
            open: open.into_iter().map(|(_, a)| a).collect(),
            closed: closed.into_iter().map(|(_, a)| a).collect(),
        }
    }
}
