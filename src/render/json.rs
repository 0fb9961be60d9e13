//! `incidents.json`: the stable, versioned machine-readable view of the site.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cx::{Shown, ViewCx, WRITE_BUFFER, is_overdue};
use super::tracker::action_anchor;
use crate::analysis::Coverage;
use crate::error::{Error, Result};
use crate::humanize as format;
use crate::model::{Incident, Users};

/// Version of the `incidents.json` shape; bumped on any breaking change.
/// Version 2 (issue 18): `checklist` may say `unknown`, `mitigate` is the
/// moment the harm stopped, and `impact` may describe users in words.
/// Version 3 (issue 21): a key whose value carries nothing is left out
/// (`null`, an empty list or map, a flag that is `false`: see [`nothing`]),
/// and an action item's `url` is given once, as the file's `action_url`.
pub(super) const JSON_VERSION: u32 = 3;

/// Where an action item's row is, relative to the site root: its `id` in
/// the slot. Written once in the file, not with each of the items.
const ACTION_URL: &str = "actions/index.html#{id}";

#[derive(Serialize)]
struct Document<'a, 'c> {
    version: u32,
    action_url: &'static str,
    incidents: Incidents<'a, 'c>,
}

/// Whether a value carries nothing, and its key is left out (version 3):
/// at 10,000 records the `null`s, `false`s and `[]`s of version 2 were
/// 2.2 MB of a 30 MB file. A tool reads a missing key as that value.
trait Nothing {
    fn nothing(&self) -> bool;
}

impl<T> Nothing for Option<T> {
    fn nothing(&self) -> bool {
        self.is_none()
    }
}

impl<T> Nothing for Vec<T> {
    fn nothing(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Nothing for &[T] {
    fn nothing(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> Nothing for BTreeMap<K, V> {
    fn nothing(&self) -> bool {
        self.is_empty()
    }
}

impl Nothing for bool {
    fn nothing(&self) -> bool {
        !*self
    }
}

/// `skip_serializing_if` for every key that may carry nothing.
fn nothing<T: Nothing>(value: &T) -> bool {
    value.nothing()
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
    #[serde(skip_serializing_if = "nothing")]
    draft: bool,
    services: &'a [String],
    #[serde(skip_serializing_if = "nothing")]
    started: Option<String>,
    #[serde(skip_serializing_if = "nothing")]
    milestones: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "nothing")]
    durations: BTreeMap<&'static str, i64>,
    /// Milestones and durations that lean on an approximate time (v2).
    #[serde(skip_serializing_if = "nothing")]
    approximate: Vec<&'static str>,
    /// The stretches of impact, in time order (v2).
    #[serde(skip_serializing_if = "nothing")]
    impact_intervals: Vec<IntervalJson>,
    /// Whether the impact came back after a mitigation (v2).
    #[serde(skip_serializing_if = "nothing")]
    recurred: bool,
    /// `[impact]` as written (v2).
    #[serde(skip_serializing_if = "nothing")]
    impact: Option<ImpactJson<'a>>,
    #[serde(skip_serializing_if = "nothing")]
    gaps: Vec<GapJson>,
    #[serde(skip_serializing_if = "nothing")]
    checklist: BTreeMap<&'a str, &'static str>,
    #[serde(skip_serializing_if = "nothing")]
    actions: Vec<ActionJson<'a>>,
}

#[derive(Serialize)]
struct IntervalJson {
    start: String,
    #[serde(skip_serializing_if = "nothing")]
    end: Option<String>,
    #[serde(skip_serializing_if = "nothing")]
    seconds: Option<i64>,
    #[serde(skip_serializing_if = "nothing")]
    approximate: bool,
}

#[derive(Serialize)]
struct ImpactJson<'a> {
    #[serde(skip_serializing_if = "nothing")]
    summary: Option<&'a str>,
    /// A number when the record counts, a string when it describes.
    #[serde(skip_serializing_if = "nothing")]
    users: Option<UsersJson<'a>>,
    #[serde(skip_serializing_if = "nothing")]
    regions: &'a [String],
    #[serde(skip_serializing_if = "nothing")]
    figures: Vec<FigureJson<'a>>,
    #[serde(skip_serializing_if = "nothing")]
    customer_facing: Option<bool>,
    #[serde(skip_serializing_if = "nothing")]
    slo: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum UsersJson<'a> {
    Count(u64),
    Described(&'a str),
}

#[derive(Serialize)]
struct FigureJson<'a> {
    value: f64,
    unit: &'a str,
    #[serde(skip_serializing_if = "nothing")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "nothing")]
    approximate: bool,
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
    /// Stable id: the item's anchor on the tracker (added in version 1);
    /// the file's `action_url` makes it the item's address (version 3; a
    /// `url` per item until version 2).
    id: String,
    #[serde(skip_serializing_if = "nothing")]
    kind: Option<&'static str>,
    text: &'a str,
    #[serde(skip_serializing_if = "nothing")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "nothing")]
    due: Option<Shown<jiff::civil::Date>>,
    status: &'static str,
    #[serde(skip_serializing_if = "nothing")]
    link: Option<&'a str>,
    #[serde(skip_serializing_if = "nothing")]
    closed: Option<Shown<jiff::civil::Date>>,
    #[serde(skip_serializing_if = "nothing")]
    overdue: bool,
}

/// One incident with its derived facts, or `None` when it has no analysis.
fn incident<'a>(cx: &'a ViewCx<'_>, incident: &'a Incident) -> Option<IncidentJson<'a>> {
    let a = cx.analyses.incidents.get(&incident.id)?;
    let d = &a.durations;
    let measured = [
        ("time_to_detect", d.detect, d.approx.detect),
        ("time_to_acknowledge", d.acknowledge, d.approx.acknowledge),
        ("time_to_mitigate", d.mitigate, d.approx.mitigate),
        ("time_to_resolve", d.resolve, d.approx.resolve),
        ("total_impact", a.total_impact(), a.total_impact_approx()),
    ];
    let durations = measured
        .iter()
        .filter_map(|(k, v, _)| v.map(|v| (*k, v.as_secs())))
        .collect();
    let approximate = a
        .milestones
        .iter()
        .filter(|m| m.approx)
        .map(|m| m.step)
        .chain(
            measured
                .iter()
                .filter(|(_, v, approx)| v.is_some() && *approx)
                .map(|(k, _, _)| *k),
        )
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
        approximate,
        impact_intervals: a
            .impact
            .iter()
            .map(|i| IntervalJson {
                start: format::iso(i.start),
                end: i.end.map(format::iso),
                seconds: i.end.map(|e| e.duration_since(i.start).as_secs()),
                approximate: i.approx,
            })
            .collect(),
        recurred: a.recurred(),
        impact: incident.impact.as_ref().map(|i| ImpactJson {
            summary: i.summary.as_deref(),
            users: i.users.as_ref().map(|u| match u {
                Users::Count(n) => UsersJson::Count(*n),
                Users::Described(text) => UsersJson::Described(text),
            }),
            regions: &i.regions,
            figures: i
                .figures
                .iter()
                .map(|f| FigureJson {
                    value: f.value,
                    unit: &f.unit,
                    source: f.source.as_deref(),
                    approximate: f.approx,
                })
                .collect(),
            customer_facing: i.customer_facing,
            slo: i.slo.as_deref(),
        }),
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
                    Coverage::Unknown(_) => "unknown",
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
                kind: act.kind.map(|k| k.as_str()),
                text: &act.text,
                owner: act.owner.as_deref(),
                due: act.due.map(Shown),
                status: act.status.as_str(),
                link: act.link.as_deref(),
                closed: act.closed.map(Shown),
                overdue: is_overdue(act, cx.today),
            })
            .collect(),
    })
}

/// Serialises every incident with its derived facts.
pub(super) fn incidents_json(cx: &ViewCx<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_incidents_json(cx, &mut out)?;
    Ok(out)
}

/// Writes `incidents.json` into `out` as it is serialised, incident by
/// incident: at 10,000 records the file is tens of MB, and a buffer grown
/// to hold it whole would take twice that.
pub(super) fn write_incidents_json(cx: &ViewCx<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let doc = Document {
        version: JSON_VERSION,
        action_url: ACTION_URL,
        incidents: Incidents(cx),
    };
    let error = |message: String| Error::Serialize {
        what: "incidents.json",
        message,
    };
    // serde_json writes a token at a time (a quote, a comma, a key): into
    // a buffer of its own type each is a copy, where `out`, behind `dyn`,
    // made each a call through a table.
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, &mut *out);
    serde_json::to_writer(&mut buffered, &doc).map_err(|e| error(e.to_string()))?;
    buffered
        .write_all(b"\n")
        .map_err(|e| error(e.to_string()))?;
    buffered
        .into_inner()
        .map_err(|e| error(e.error().to_string()))?;
    Ok(())
}
