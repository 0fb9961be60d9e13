//! `incidents.json`: the stable, versioned machine-readable view of the site.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cx::{ViewCx, is_overdue};
use super::tracker::{action_anchor, action_url};
use crate::analysis::Coverage;
use crate::error::{Error, Result};
use crate::humanize as format;
use crate::model::Incident;

/// Version of the `incidents.json` shape; bumped on any breaking change.
pub(super) const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a, 'c> {
    version: u32,
    incidents: Incidents<'a, 'c>,
}

/// Every incident, each made as it is written: the file is tens of MB at
/// 10,000 records, and the records' views would take several times that.
struct Incidents<'a, 'c>(&'a ViewCx<'c>);

impl Serialize for Incidents<'_, '_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let cx = self.0;
        serializer.collect_seq(cx.corpus.incidents.values().filter_map(|i| incident(cx, i)))
    }
}

#[derive(Serialize)]
struct IncidentJson<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    status: &'static str,
    draft: bool,
    services: &'a [String],
    started: Option<String>,
    milestones: BTreeMap<&'static str, String>,
    durations: BTreeMap<&'static str, i64>,
    gaps: Vec<GapJson>,
    checklist: BTreeMap<&'a str, &'static str>,
    actions: Vec<ActionJson<'a>>,
}

#[derive(Serialize)]
struct GapJson {
    from: String,
    to: String,
    seconds: i64,
    explained: bool,
}

#[derive(Serialize)]
struct ActionJson<'a> {
    /// Stable id: the item's anchor on the tracker (added in version 1).
    id: String,
    /// The item on the tracker, relative to the site root (added in version 1).
    url: String,
    kind: Option<&'static str>,
    text: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    status: &'static str,
    link: Option<&'a str>,
    closed: Option<String>,
    overdue: bool,
}

/// One incident with its derived facts, or `None` when it has no analysis.
fn incident<'a>(cx: &'a ViewCx<'_>, incident: &'a Incident) -> Option<IncidentJson<'a>> {
    let a = cx.analyses.incidents.get(&incident.id)?;
    let d = &a.durations;
    let durations = [
        ("time_to_detect", d.detect),
        ("time_to_acknowledge", d.acknowledge),
        ("time_to_mitigate", d.mitigate),
        ("time_to_resolve", d.resolve),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v.as_secs())))
    .collect();
    Some(IncidentJson {
        id: &incident.id,
        title: &incident.title,
        severity: &incident.severity.value,
        kind: &incident.kind.value,
        status: incident.status.value.as_str(),
        draft: incident.draft,
        services: &incident.services,
        started: a.start.map(format::iso),
        milestones: a
            .milestones
            .iter()
            .map(|m| (m.step, format::iso(m.at)))
            .collect(),
        durations,
        gaps: a
            .gaps
            .iter()
            .map(|g| GapJson {
                from: format::iso(g.from),
                to: format::iso(g.to),
                seconds: g.length.as_secs(),
                explained: g.explanation.is_some(),
            })
            .collect(),
        checklist: a
            .checklist
            .iter()
            .map(|s| {
                let state = match s.coverage {
                    Coverage::Done(_) => "done",
                    Coverage::Skipped(_) => "skipped",
                    Coverage::Missing => "missing",
                };
                (s.id.as_str(), state)
            })
            .collect(),
        actions: incident
            .actions
            .iter()
            .map(|act| ActionJson {
                id: action_anchor(&incident.id, act),
                url: action_url(&incident.id, act),
                kind: act.kind.map(|k| k.as_str()),
                text: &act.text,
                owner: act.owner.as_deref(),
                due: act.due.map(|d| d.to_string()),
                status: act.status.as_str(),
                link: act.link.as_deref(),
                closed: act.closed.map(|d| d.to_string()),
                overdue: is_overdue(act, cx.today),
            })
            .collect(),
    })
}

/// Serialises every incident with its derived facts.
pub(super) fn incidents_json(cx: &ViewCx<'_>) -> Result<Vec<u8>> {
    let doc = Document {
        version: JSON_VERSION,
        incidents: Incidents(cx),
    };
    let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| Error::Serialize {
        what: "incidents.json",
        message: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}
