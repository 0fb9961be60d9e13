//! An incident: its keys checked in the order they are written, each table
//! by its own function. Uses `cx`, `mitigation`, `header`, `tables`,
//! `timeline` and `entries`.

use super::cx::Cx;
use super::{entries, header, mitigation, tables, timeline};
use crate::model::Incident;
use crate::parse::RawIncident;
use crate::source::Attachment;

/// The files of a bundle, moved from the parsed file into the incident.
pub(super) struct Bundle {
    /// The bundle's files, `None` when the record is a single file.
    pub(super) attachments: Option<Vec<Attachment>>,
    /// The bundle's files that are not published.
    pub(super) withheld: Vec<String>,
}

/// The incident, when every required key is valid; every problem found is
/// in `cx.diags` either way.
pub(super) fn incident(cx: &mut Cx<'_>, raw: &RawIncident, bundle: Bundle) -> Option<Incident> {
    let id = cx.id();
    let title = cx
        .required(
            raw.title.as_ref(),
            "title",
            None,
            "\"Checkout latency after deploy\"",
        )
        .or_else(|| cx.stand_in("title"));
    let severity = header::severity(cx, raw);
    let kind = header::kind(cx, raw);
    let status = header::status(cx, raw);
    let zone = header::zone(cx, raw);
    let detected_by = header::detected_by(cx, raw);
    let impact = raw.impact.as_ref().map(|i| tables::impact(cx, i));
    let triage = raw.triage.as_ref().map(|t| tables::triage(cx, t));
    let timeline = timeline::timeline(cx, &raw.timeline, zone.as_ref());
    // An event, or a key of one, left out for an error would show up as a
    // missing milestone or a gap that is not there.
    let timeline_complete = timeline.len() == raw.timeline.len() && !cx.lost_in("timeline");
    let checklist = tables::checklist(cx, &raw.checklist);
    let actions = entries::actions(cx, &raw.actions);
    let changes = entries::changes(cx, &raw.changes, zone.as_ref());
    let hypotheses = entries::hypotheses(cx, &raw.hypotheses, zone.as_ref());
    let mitigations = mitigation::weighed_in_incident(cx, &raw.mitigations);
    let rollback = raw.rollback.as_ref().map(|r| tables::rollback(cx, r));
    let updates = entries::updates(cx, &raw.updates, zone.as_ref());
    let allows = cx.allows(&raw.allow);
    Some(Incident {
        id: id?,
        origin: cx.origin(),
        title: title?.value,
        public_title: Cx::text(raw.public_title.as_ref()),
        severity: severity?,
        kind: kind?,
        status: status?,
        draft: raw.draft.unwrap_or(false),
        services: Cx::texts(&raw.services),
        tags: Cx::texts(&raw.tags),
        commander: Cx::text(raw.commander.as_ref()),
        responders: Cx::texts(&raw.responders),
        zone,
        summary: Cx::text(raw.summary.as_ref()),
        detected_by,
        impact,
        triage,
        timeline,
        checklist,
        actions,
        changes,
        hypotheses,
        mitigations,
        rollback,
        updates,
        allows,
        bundle: bundle.attachments.is_some(),
        attachments: bundle.attachments.unwrap_or_default(),
        withheld: bundle.withheld,
        timeline_complete,
    })
}
