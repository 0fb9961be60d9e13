//! What every view builder reads ([`ViewCx`]) and the views many pages
//! share: the site's facts, an incident as a list row, an action item, the
//! lint findings of a file, the summary figures and the playbook links.
//!
//! Every field the templates may read is always present (Tera 2 treats an
//! unknown field as an error); strings are plain text, escaped by Tera,
//! except fields ending in `_html`, which pm produced from Markdown in safe
//! mode. The contract is documented in `docs/templates.md`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use super::{history, urls};
use crate::analysis::{Analysis, Facts, median};
use crate::diag::Diagnostics;
use crate::humanize as format;
use crate::learn::Lessons;
use crate::model::{Action, ActionKind, Incident, Status, is_safe_url};

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
    pub commit: Option<history::RevisionView>,
}

/// One incident in a list.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct IncidentSummary {
    pub id: String,
    pub url: String,
    pub title: String,
    pub severity: String,
    pub severity_rank: usize,
    /// Written as `type`.
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

impl IncidentSummary {
    /// How many fields [`IncidentSummary::serialize_fields`] writes.
    pub const FIELDS: usize = 16;

    /// Writes the summary's fields into a struct being serialised: its
    /// own, or a list row's, which has them first (as `#[serde(flatten)]`
    /// had them, without the map of unknown length serde makes of a
    /// flattened struct, which Tera filled a key string at a time).
    pub fn serialize_fields<S: serde::ser::SerializeStruct>(
        &self,
        s: &mut S,
    ) -> Result<(), S::Error> {
        // Every field named: one added must be written here.
        let IncidentSummary {
            id,
            url,
            title,
            severity,
            severity_rank,
            kind,
            playbook_url,
            status,
            services,
            date,
            started,
            time_to_resolve,
            draft,
            summary,
            summary_html,
            open_actions,
        } = self;
        s.serialize_field("id", id)?;
        s.serialize_field("url", url)?;
        s.serialize_field("title", title)?;
        s.serialize_field("severity", severity)?;
        s.serialize_field("severity_rank", severity_rank)?;
        s.serialize_field("type", kind)?;
        s.serialize_field("playbook_url", playbook_url)?;
        s.serialize_field("status", status)?;
        s.serialize_field("services", services)?;
        s.serialize_field("date", date)?;
        s.serialize_field("started", started)?;
        s.serialize_field("time_to_resolve", time_to_resolve)?;
        s.serialize_field("draft", draft)?;
        s.serialize_field("summary", summary)?;
        s.serialize_field("summary_html", summary_html)?;
        s.serialize_field("open_actions", open_actions)
    }
}

impl Serialize for IncidentSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("IncidentSummary", Self::FIELDS)?;
        self.serialize_fields(&mut s)?;
        s.end()
    }
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

impl ActionView {
    /// How many fields [`ActionView::serialize_fields`] writes.
    pub const FIELDS: usize = 11;

    /// Writes the action's fields into a struct being serialised: its own,
    /// or a tracker item's, which has them first (see
    /// [`IncidentSummary::serialize_fields`]).
    pub fn serialize_fields<S: serde::ser::SerializeStruct>(
        &self,
        s: &mut S,
    ) -> Result<(), S::Error> {
        // Every field named: one added must be written here.
        let ActionView {
            kind,
            text_html,
            owner,
            due,
            status,
            link,
            overdue,
            closed,
            incident_id,
            incident_url,
            incident_title,
        } = self;
        s.serialize_field("kind", kind)?;
        s.serialize_field("text_html", text_html)?;
        s.serialize_field("owner", owner)?;
        s.serialize_field("due", due)?;
        s.serialize_field("status", status)?;
        s.serialize_field("link", link)?;
        s.serialize_field("overdue", overdue)?;
        s.serialize_field("closed", closed)?;
        s.serialize_field("incident_id", incident_id)?;
        s.serialize_field("incident_url", incident_url)?;
        s.serialize_field("incident_title", incident_title)
    }
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

/// Shared inputs of every view builder: the facts of the repository
/// (through `Deref`, so a view writes `cx.corpus`) and the findings pages
/// show.
pub struct ViewCx<'a> {
    /// The records, their analyses, settings, history and "today".
    pub facts: Facts<'a>,
    /// Lint findings, shown on pages.
    pub diagnostics: &'a Diagnostics,
    /// What each type's incidents teach, learned once for the playbook
    /// page and its prompt alike ([`ViewCx::lessons`]).
    pub lessons: LessonsByKind,
}

/// Lessons learned so far, by incident type. Two pages that ask at once
/// may both learn; they learn the same, and the first kept wins.
#[derive(Default)]
pub struct LessonsByKind(Mutex<BTreeMap<String, Arc<Lessons>>>);

impl LessonsByKind {
    /// The lessons of `kind`, learned by `learn` the first time.
    pub fn get_or_learn(&self, kind: &str, learn: impl FnOnce() -> Lessons) -> Arc<Lessons> {
        let map = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = map().get(kind) {
            return Arc::clone(known);
        }
        let learned = Arc::new(learn());
        Arc::clone(map().entry(kind.to_owned()).or_insert(learned))
    }
}

impl<'a> std::ops::Deref for ViewCx<'a> {
    type Target = Facts<'a>;

    fn deref(&self) -> &Facts<'a> {
        &self.facts
    }
}

impl<'a> ViewCx<'a> {
    pub(super) fn analysis(&self, id: &str) -> Option<&'a Analysis> {
        self.analyses.incidents.get(id)
    }

    /// Whether a type has a page (curated file or generated from incidents).
    pub(super) fn has_playbook_page(&self, kind: &str) -> bool {
        self.corpus.playbooks.contains_key(kind) || crate::model::is_valid_id(kind)
    }

    /// One incident as a list row.
    pub fn summary(&self, incident: &Incident) -> IncidentSummary {
        let analysis = self.analysis(&incident.id);
        let zone = incident.zone.as_ref();
        let start = analysis.and_then(|a| a.start);
        IncidentSummary {
            id: incident.id.clone(),
            url: urls::incident(&incident.id),
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
            incident_url: urls::incident(&incident.id),
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

/// The bytes serde_json's output is gathered in before it is written on
/// (`incidents.json`, `actions-index.js`).
pub const WRITE_BUFFER: usize = 64 * 1024;

/// A value serialised as its text (`Display`): a date as `YYYY-MM-DD`.
/// serde_json writes the text straight into its output, where a `String`
/// made first (`to_string`) cost an allocation per date of every action
/// item in `incidents.json` and `actions-index.js`.
#[derive(Debug, Clone, Copy)]
pub struct Shown<T>(pub T);

impl<T: std::fmt::Display> Serialize for Shown<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
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
        // Each incident's analysis looked up once, not once per figure and
        // severity.
        let analysed: Vec<(&Incident, Option<&Analysis>)> = (incidents.iter())
            .map(|i| (*i, self.analysis(&i.id)))
            .collect();
        let by_severity = self
            .config
            .severities
            .iter()
            .map(|sev| {
                let of_sev = || analysed.iter().filter(|(i, _)| &i.severity.value == sev);
                let count = of_sev().count();
                let mut detect = durations(of_sev(), |a| a.durations.detect);
                let mut resolve = durations(of_sev(), |a| a.durations.resolve);
                SeverityRow {
                    severity: sev.clone(),
                    rank: self.config.severity_rank(sev).unwrap_or(0),
                    count,
                    detect_from: format::from_n_of_m(detect.len(), count),
                    resolve_from: format::from_n_of_m(resolve.len(), count),
                    median_detect: median(&mut detect).map(format::duration),
                    median_resolve: median(&mut resolve).map(format::duration),
                }
            })
            .collect();
        let mut detect = durations(analysed.iter(), |a| a.durations.detect);
        let mut resolve = durations(analysed.iter(), |a| a.durations.resolve);
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
                url: urls::playbook(kind),
                incidents: n,
                generated: !self.corpus.playbooks.contains_key(kind),
            })
            .collect()
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

/// The durations `f` gives of these incidents' analyses, where known.
fn durations<'x>(
    analysed: impl Iterator<Item = &'x (&'x Incident, Option<&'x Analysis>)>,
    f: fn(&Analysis) -> Option<SignedDuration>,
) -> Vec<SignedDuration> {
    analysed.filter_map(|(_, a)| a.and_then(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_date_is_written_as_its_text() {
        let date: Date = "2026-03-04".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&Shown(date)).unwrap(),
            serde_json::to_string(&date.to_string()).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&Some(Shown(date))).unwrap(),
            "\"2026-03-04\""
        );
        assert_eq!(
            tera::Value::from_serializable(&Shown(date)),
            tera::Value::from("2026-03-04")
        );
    }
}
