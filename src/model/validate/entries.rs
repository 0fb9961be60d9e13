//! An incident's lists of tables besides the timeline and mitigations:
//! `[[actions]]`, `[[changes]]`, `[[hypotheses]]` and `[[updates]]`. An
//! entry without its required text is reported and left out. Uses `cx`.

use crate::parse::Spanned;

use super::cx::Cx;
use crate::model::time::{self, Zone};
use crate::model::{
    Action, ActionKind, ActionStatus, Audience, Change, ChangeKind, Hypothesis, HypothesisResult,
    Update, UpdateStatus, has_scheme, is_safe_url,
};
use crate::parse::{RawAction, RawChange, RawHypothesis, RawStr, RawUpdate};

/// `[[actions]]`; `status` defaults to open.
pub(super) fn actions(cx: &mut Cx<'_>, raw: &[Spanned<RawAction>]) -> Vec<Action> {
    let mut out = Vec::new();
    for (index, entry) in raw.iter().enumerate() {
        let a = entry.get_ref();
        let text = cx.required(
            a.text.as_ref(),
            "text",
            Some(entry.span()),
            "\"what will be done\"",
        );
        let kind = cx.keyword(a.kind.as_ref(), "kind", ActionKind::parse, ActionKind::ALL);
        let status = match a.status.as_ref() {
            Some(s) => cx.keyword(Some(s), "status", ActionStatus::parse, ActionStatus::ALL),
            None => Some(ActionStatus::Open),
        };
        let due = cx.date(a.due.as_ref(), "due");
        let closed = cx.date(a.closed.as_ref(), "closed");
        let link = a.link.as_ref().and_then(|l| tracker_link(cx, l));
        let (Some(text), Some(status)) = (text, status) else {
            continue;
        };
        out.push(Action {
            index,
            span: cx.span(entry.span()),
            kind,
            text: text.value,
            owner: Cx::text(a.owner.as_ref()),
            due,
            status,
            link,
            closed,
        });
    }
    out
}

/// An action's `link`: an http or https URL, or nothing when empty.
fn tracker_link(cx: &mut Cx<'_>, l: &RawStr) -> Option<String> {
    let value = l.get_ref().trim().to_owned();
    if value.is_empty() {
        return None;
    }
    if is_safe_url(&value) && has_scheme(&value) {
        Some(value)
    } else {
        cx.error(
            "invalid_url",
            l.span(),
            "`link` must be an http or https URL".to_owned(),
            "link to the tracker item, e.g. `link = \"https://tracker.example/OPS-123\"`"
                .to_owned(),
        );
        None
    }
}

/// `[[changes]]`; `at` is an instant or a whole day.
pub(super) fn changes(
    cx: &mut Cx<'_>,
    raw: &[Spanned<RawChange>],
    zone: Option<&Zone>,
) -> Vec<Change> {
    raw.iter()
        .filter_map(|entry| {
            let c = entry.get_ref();
            let text = cx.required(
                c.text.as_ref(),
                "text",
                Some(entry.span()),
                "\"what changed\"",
            )?;
            let mut at = None;
            let mut whole_day = false;
            if let Some(v) = &c.at
                && let Some(dt) = cx.datetime(v, "at")
            {
                match time::resolve_day_or_instant(dt, zone) {
                    Ok((ts, day)) => {
                        at = Some(ts);
                        whole_day = day;
                    }
                    Err(e) => cx.time_error(v.span(), e),
                }
            }
            Some(Change {
                at,
                whole_day,
                kind: cx.keyword(c.kind.as_ref(), "kind", ChangeKind::parse, ChangeKind::ALL),
                reference: Cx::text(c.reference.as_ref()),
                text: text.value,
                suspect: c.suspect.unwrap_or(false),
            })
        })
        .collect()
}

/// `[[hypotheses]]`; `result` defaults to untested, and an unknown one
/// leaves the entry out.
pub(super) fn hypotheses(cx: &mut Cx<'_>, raw: &[Spanned<RawHypothesis>]) -> Vec<Hypothesis> {
    raw.iter()
        .filter_map(|entry| {
            let h = entry.get_ref();
            let text = cx.required(
                h.text.as_ref(),
                "text",
                Some(entry.span()),
                "\"the pool is exhausted\"",
            )?;
            let result = match h.result.as_ref() {
                Some(r) => cx.keyword(
                    Some(r),
                    "result",
                    HypothesisResult::parse,
                    HypothesisResult::ALL,
                )?,
                None => HypothesisResult::Untested,
            };
            Some(Hypothesis {
                text: text.value,
                result,
                evidence: Cx::text(h.evidence.as_ref()),
            })
        })
        .collect()
}

/// `[[updates]]`.
pub(super) fn updates(
    cx: &mut Cx<'_>,
    raw: &[Spanned<RawUpdate>],
    zone: Option<&Zone>,
) -> Vec<Update> {
    raw.iter()
        .filter_map(|entry| {
            let u = entry.get_ref();
            let text = cx.required(
                u.text.as_ref(),
                "text",
                Some(entry.span()),
                "\"We are investigating ...\"",
            )?;
            let at = u.at.as_ref().and_then(|v| {
                let dt = cx.datetime(v, "at")?;
                match time::resolve_instant(dt, zone, None) {
                    Ok((ts, _, _)) => Some(ts),
                    Err(e) => {
                        cx.time_error(v.span(), e);
                        None
                    }
                }
            });
            Some(Update {
                at,
                status: cx.keyword(
                    u.status.as_ref(),
                    "status",
                    UpdateStatus::parse,
                    UpdateStatus::ALL,
                ),
                audience: cx.keyword(
                    u.audience.as_ref(),
                    "audience",
                    Audience::parse,
                    Audience::ALL,
                ),
                text: text.value,
            })
        })
        .collect()
}
