//! An incident's `[[timeline]]`: each event's time resolved in the record's
//! zone (a bare time takes the previous event's date and offset), its step and its
//! evidence. Uses `cx`.

use crate::parse::Spanned;

use super::cx::Cx;
use crate::diag::{backticked, suggest_closest};
use crate::model::time::{self, Zone};
use crate::model::{Event, Located};
use crate::parse::{RawEvent, RawStr};

/// The events that could be read, in the order written. An event with an
/// error is reported and left out (the caller compares the counts).
pub(super) fn timeline(
    cx: &mut Cx<'_>,
    raw: &[Spanned<RawEvent>],
    zone: Option<&Zone>,
) -> Vec<Event> {
    let steps = cx.config.step_ids();
    let mut events = Vec::with_capacity(raw.len());
    let mut previous_date = None;
    for (index, entry) in raw.iter().enumerate() {
        if let Some(event) = event(cx, index, entry, zone, &steps, &mut previous_date) {
            events.push(event);
        }
    }
    events
}

/// One event; `previous_date` is what the last event with a time passes on
/// to a bare time (its date and offset as written), and becomes this one's.
fn event(
    cx: &mut Cx<'_>,
    index: usize,
    entry: &Spanned<RawEvent>,
    zone: Option<&Zone>,
    steps: &[&str],
    previous_date: &mut Option<time::BareTimeBase>,
) -> Option<Event> {
    let e = entry.get_ref();
    let Some(at_value) = &e.at else {
        cx.error(
            "missing_key",
            entry.span(),
            "missing required key `at` in timeline event".to_owned(),
            "add when it happened, e.g. `at = 2026-11-03T14:02:00Z`".to_owned(),
        );
        return None;
    };
    let text = cx.required(
        e.text.as_ref(),
        "text",
        Some(entry.span()),
        "\"what happened\"",
    );
    let dt = cx.datetime(at_value, "at")?;
    let (at, written, base) = match time::resolve_instant(dt, zone, *previous_date) {
        Ok(r) => r,
        Err(err) => {
            cx.time_error(at_value.span(), err);
            return None;
        }
    };
    *previous_date = Some(base);
    let step = e.step.as_ref().and_then(|s| step(cx, s, steps));
    let evidence = evidence(cx, e.evidence.as_ref());
    let text = text?;
    Some(Event {
        index,
        at,
        written,
        at_span: cx.span(at_value.span()),
        text: text.value,
        step,
        who: Cx::text(e.who.as_ref()),
        source: Cx::text(e.source.as_ref()),
        evidence,
        gap: Cx::text(e.gap.as_ref()),
    })
}

/// An event's `step`: a milestone or a checklist step.
fn step(cx: &mut Cx<'_>, s: &RawStr, steps: &[&str]) -> Option<Located<String>> {
    let value = s.get_ref().trim();
    if steps.contains(&value) {
        return Some(Located {
            value: value.to_owned(),
            span: cx.span(s.span()),
        });
    }
    let help = match suggest_closest(value, steps.iter().copied()) {
        Some(sugg) => format!("did you mean `\"{sugg}\"`?"),
        None => format!(
            "a step is a milestone or a checklist step: {}",
            backticked(steps)
        ),
    };
    cx.error(
        "invalid_value",
        s.span(),
        format!("unknown step `{value}`"),
        help,
    );
    None
}

/// An event's `evidence`: a path in the bundle or a link pm will publish.
fn evidence(cx: &mut Cx<'_>, raw: Option<&RawStr>) -> Option<Located<String>> {
    let evidence = raw.and_then(|v| {
        let value = v.get_ref().trim().to_owned();
        (!value.is_empty()).then(|| Located {
            value,
            span: cx.span(v.span()),
        })
    });
    if let Some(ev) = &evidence {
        cx.check_link(&ev.value, ev.span.clone(), "evidence");
    }
    evidence
}
