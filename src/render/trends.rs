//! Trend charts of the index page, laid out in Rust and drawn by templates
//! as inline SVG.
//!
//! Three charts: incidents per month stacked by severity, the median time to
//! resolve per quarter, and action items opened vs closed per month. The
//! files, in the order they use each other: `month` (months, quarters and
//! the window), `draw` (shapes, axes, label placement), `charts` (the three
//! charts, each drawn wide and compact, with its `<desc>` and data table).
//! Colours are never chosen here: shapes carry CSS classes
//! (`chart-sev-1`, `chart-opened`, ...), so dark mode and print restyle them.
//!
//! Time comes from the records only, never the clock: the charts cover
//! every month from the first dated incident to the newest incident or
//! closed action item, or the newest `[site] trend_months` of them.

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use super::cx::ViewCx;
use super::listing::start_date;

mod charts;
mod draw;
mod month;

pub use charts::{
    Chart, DataTable, LegendItem, actions_per_month, incidents_per_month, resolve_per_quarter,
};
pub use draw::{
    AxisLabel, Bar, COMPACT, COMPACT_MONTHS, Canvas, Column, Drawing, Frame, Line, NARROW, Point,
    Tick, WIDE, nice_axis,
};
pub use month::{Month, month_window};

/// The index page's trend charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    /// In page order.
    pub charts: Vec<Chart>,
    /// `March 2025 to November 2026`, or empty without dated incidents.
    pub period: String,
}

/// The three charts for the site's incidents.
pub fn trends(cx: &ViewCx<'_>) -> Trends {
    let mut dated: Vec<(Date, &crate::model::Incident)> = cx
        .corpus
        .incidents
        .values()
        .filter_map(|i| start_date(cx, i).map(|d| (d, i)))
        .collect();
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let mut span: Vec<Date> = dated.iter().map(|(d, _)| *d).collect();
    let severities = &cx.config.severities;
    let by_severity: Vec<(Date, usize)> = dated
        .iter()
        .filter_map(|(d, i)| {
            severities
                .iter()
                .position(|s| *s == i.severity.value)
                .map(|s| (*d, s))
        })
        .collect();
    let resolve: Vec<(Date, Option<SignedDuration>)> = dated
        .iter()
        .map(|(d, i)| {
            let r = cx
                .analyses
                .incidents
                .get(&i.id)
                .and_then(|a| a.durations.resolve);
            (*d, r)
        })
        .collect();
    let mut opened = Vec::new();
    let mut closed = Vec::new();
    let mut undated_closed = 0;
    for incident in cx.corpus.incidents.values() {
        let start = start_date(cx, incident);
        for a in &incident.actions {
            if let Some(d) = start {
                opened.push(d);
            }
            if !a.status.is_open() {
                match a.closed {
                    Some(d) => closed.push(d),
                    None => undated_closed += 1,
                }
            }
        }
    }
    // Closing an item is part of the records' span too: a window ending
    // at the newest incident would hide the items closed after it.
    if !span.is_empty() {
        span.extend(&closed);
    }
    let window = month_window(&span, cx.config.trend_months);
    let period = match (window.first(), window.last()) {
        (Some(a), Some(b)) => format!("{} to {}", a.name(), b.name()),
        _ => String::new(),
    };
    Trends {
        charts: vec![
            incidents_per_month(severities, &by_severity, &window),
            resolve_per_quarter(&resolve, &window),
            actions_per_month(&opened, &closed, undated_closed, &window),
        ],
        period,
    }
}

#[cfg(test)]
mod tests;
