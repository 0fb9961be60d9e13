//! An incident's `[[timeline]]`: each event's time resolved in the record's
//! zone (a bare time takes the previous event's date and offset), its step and its
//! evidence. Uses `cx`.

use crate::parse::Spanned;

use super::cx::Cx;
use crate::diag::{backticked, suggest_closest};
use crate::model::time::{self, Zone};
use crate::model::{Event, Located};
use crate::parse::{RawEvent, RawStr, RawValue, TomlValue};

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
        if cx.lost("at", Some(entry.span())) {
            return None;
        }
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
    // A date without a time is a day-only event (`at = 2024-02-28`): the
    // source gives no time, and pm will not invent one. A bare time below it
    // takes its day, read in the record's zone.
    let day_only = dt.date.is_some() && dt.time.is_none();
    let resolved = if day_only {
        time::resolve_day_or_instant(dt, zone).map(|(ts, _)| {
            let base = time::BareTimeBase {
                date: time::date_in(ts, zone),
                offset: None,
            };
            (ts, time::Written::Local, base)
        })
    } else {
        time::resolve_instant(dt, zone, *previous_date)
    };
    let (at, written, base) = match resolved {
        Ok(r) => r,
        Err(err) => {
            cx.time_error(at_value.span(), err);
            return None;
        }
    };
    *previous_date = Some(base);
    let steps = e
        .step
        .as_ref()
        .map_or_else(Vec::new, |s| event_steps(cx, s, steps));
    let evidence = evidence(cx, e.evidence.as_ref());
    let text = text?;
    Some(Event {
        index,
        at,
        written,
        at_span: cx.span(at_value.span()),
        approx: e.approx.unwrap_or(false),
        day_only,
        text: text.value,
        steps,
        who: Cx::text(e.who.as_ref()),
        source: Cx::text(e.source.as_ref()),
        evidence,
        gap: Cx::text(e.gap.as_ref()),
    })
}

/// An event's `step`: one step as a string, or several as an array of
/// strings ("Incident declared" is both `detected` and `acknowledge`).
/// Each unknown or repeated step is reported and left out.
fn event_steps(cx: &mut Cx<'_>, raw: &RawValue, steps: &[&str]) -> Vec<Located<String>> {
    let span = raw.span();
    let items: Vec<&TomlValue> = match raw.get_ref() {
        TomlValue::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let mut out: Vec<Located<String>> = Vec::with_capacity(items.len());
    for item in items {
        let TomlValue::String(text) = item else {
            cx.error(
                "wrong_type",
                span.clone(),
                format!(
                    "wrong type for `step`: expected a string or an array of strings, found {}",
                    super::cx::a_type(item)
                ),
                "write `step = \"detected\"`, or `step = [\"detected\", \"acknowledge\"]` for an event that is several steps".to_owned(),
            );
            continue;
        };
        let Some(found) = step(cx, text, span.clone(), steps) else {
            continue;
        };
        if out.iter().any(|s| s.value == found.value) {
            cx.error(
                "invalid_value",
                span.clone(),
                format!("step `{}` is listed twice", found.value),
                "list each step once".to_owned(),
            );
            continue;
        }
        out.push(found);
    }
    out
}

/// An event's `step`: a milestone or a checklist step.
fn step(
    cx: &mut Cx<'_>,
    text: &str,
    span: std::ops::Range<usize>,
    steps: &[&str],
) -> Option<Located<String>> {
    let value = text.trim();
    if steps.contains(&value) {
        return Some(Located {
            value: value.to_owned(),
            span: cx.span(span),
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
        span,
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
