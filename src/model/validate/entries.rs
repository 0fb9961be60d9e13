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
use crate::parse::{RawAction, RawChange, RawHypothesis, RawStr, RawUpdate, RawValue};
use jiff::Timestamp;

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
            due_unread: due.is_none() && (a.due.is_some() || cx.lost("due", Some(entry.span()))),
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
            let (at, whole_day) = day_or_instant(cx, c.at.as_ref(), zone);
            let (until, until_whole_day) = day_or_instant(cx, c.until.as_ref(), zone);
            if let (Some(from), Some(to), Some(v)) = (at, until, c.until.as_ref())
                && to < from
            {
                cx.error(
                    "invalid_value",
                    v.span(),
                    "`until` is before `at`".to_owned(),
                    "`at` is when the change started and `until` when it was complete".to_owned(),
                );
            }
            Some(Change {
                at,
                whole_day,
                until,
                until_whole_day,
                kind: cx.keyword(c.kind.as_ref(), "kind", ChangeKind::parse, ChangeKind::ALL),
                reference: Cx::text(c.reference.as_ref()),
                text: text.value,
                suspect: c.suspect.unwrap_or(false),
            })
        })
        .collect()
}

/// An optional `at` that may be a whole day (`2026-11-02`) or an instant:
/// the instant and whether it was a day. A wrong value is reported.
fn day_or_instant(
    cx: &mut Cx<'_>,
    value: Option<&RawValue>,
    zone: Option<&Zone>,
) -> (Option<Timestamp>, bool) {
    let Some(v) = value else {
        return (None, false);
    };
    let key = "at";
    let Some(dt) = cx.datetime(v, key) else {
        return (None, false);
    };
    match time::resolve_day_or_instant(dt, zone) {
        Ok((ts, day)) => (Some(ts), day),
        Err(e) => {
            cx.time_error(v.span(), e);
            (None, false)
        }
    }
}

/// `[[hypotheses]]`; `result` defaults to untested, and an unknown one
/// leaves the entry out.
pub(super) fn hypotheses(
    cx: &mut Cx<'_>,
    raw: &[Spanned<RawHypothesis>],
    zone: Option<&Zone>,
) -> Vec<Hypothesis> {
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
            let (at, whole_day) = day_or_instant(cx, h.at.as_ref(), zone);
            Some(Hypothesis {
                at,
                whole_day,
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
                audience: audience(cx, u.audience.as_ref()),
                text: text.value,
            })
        })
        .collect()
}

/// An update's `audience`: the keyword or a usual synonym (`public`,
/// `status page`); anything else is reported with the accepted words.
fn audience(cx: &mut Cx<'_>, raw: Option<&RawStr>) -> Option<Audience> {
    let raw = raw?;
    if let Some(a) = Audience::understand(raw.get_ref()) {
        return Some(a);
    }
    let synonyms: Vec<String> = Audience::SYNONYMS
        .iter()
        .map(|(word, a)| format!("`{word}` ({})", a.as_str()))
        .collect();
    cx.error(
        "invalid_value",
        raw.span(),
        format!("unknown audience `{}`", raw.get_ref().trim()),
        format!(
            "`audience` is `customers` (anyone outside: status page, email, social media) or `internal` (inside the company); also understood: {}",
            synonyms.join(", ")
        ),
    );
    None
}
