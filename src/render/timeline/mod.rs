//! The incident timeline drawn as inline SVG: the geometry, not the markup.
//!
//! [`layout`] is a pure function from one incident's events and analysis to
//! a [`TimelineSvg`] of shapes that already have their coordinates: the axis
//! and its ticks, a marker for each instant, milestone flags with their
//! labels, a shaded rectangle for every gap, and the legend.
//! [`TimelineSvg::html`] only copies these numbers into SVG elements, so the
//! drawing is tested here, in Rust, and a site can restyle it with CSS alone.
//!
//! Coordinates are viewBox units (the drawing is [`WIDTH`] wide and scales to
//! the page), computed to a tenth of a unit and printed as whole units (half
//! a unit is under a pixel; the page is byte-stable and lighter). Text
//! widths are estimated from the character count: the layout keeps labels
//! apart with a margin rather than measuring fonts it cannot see.
//!
//! Long silences squeeze everything else into a sliver, so when the events
//! would otherwise sit too close together the longest silences are drawn as
//! fixed-width breaks in the axis (still labelled with their true length, and
//! still shaded when they are gaps). Nothing here reads the disk; record text
//! is escaped by the site's one HTML escaper as the markup is written.
//!
//! Narrow screens get the event table instead of the drawing, stacked by the
//! stylesheet into a vertical timeline and shown open (session 12): until
//! then a third form of the events, a list laid out here, served phones,
//! and every page carried it.
//!
//! The files, in order: `shapes` (units and the shapes placed), `input`
//! (what the layout reads), `scale` (time to x), `axis` (ticks), `flags`
//! (labels in lanes), `legend` (the legend's rows), `draw` (the drawing),
//! `svg` (the drawing written as markup); each names only earlier ones.

mod axis;
mod draw;
mod flags;
mod input;
mod legend;
mod scale;
mod shapes;
mod svg;
#[cfg(test)]
mod tests;

use jiff::tz::TimeZone;

use super::urls;
use crate::analysis::Analysis;
use crate::model::Incident;
use input::{GapIn, Input, Instant, milestone_label};

pub use shapes::{
    Break, EventMark, GapShape, LegendItem, Line, MilestoneFlag, Paths, Rect, TextAt, Tick,
    TimelineSvg, WIDTH, WindowShape,
};

/// The drawing of one incident's timeline, or `None` when it has no events.
/// `event_text` holds each event's text as a reader sees it in the event
/// table, as plain text ([`crate::markdown::Markdown::inline_and_text`]), by
/// position in the record: the marks' descriptions quote them.
pub fn layout(
    incident: &Incident,
    analysis: &Analysis,
    event_text: &[String],
) -> Option<TimelineSvg> {
    let (tz, zone_name) = match &incident.zone {
        Some(z) => (z.tz.clone(), z.name.clone()),
        None => (TimeZone::UTC, "UTC".to_owned()),
    };
    let mut instants: Vec<Instant> = Vec::new();
    // Analysis order is time order, ties in file order; fall back to file
    // order if the analysis is missing.
    let order: Vec<usize> = if analysis.order.len() == incident.timeline.len() {
        analysis.order.clone()
    } else {
        let mut o: Vec<usize> = (0..incident.timeline.len()).collect();
        o.sort_by_key(|&i| incident.timeline.get(i).map(|e| e.at));
        o
    };
    for &i in &order {
        // A day-only event has no instant to draw: it stays in the table.
        let Some(event) = incident.timeline.get(i).filter(|e| !e.day_only) else {
            continue;
        };
        let milestones: Vec<(&'static str, &'static str)> = analysis
            .milestones
            .iter()
            .filter(|m| m.event == i)
            .map(|m| (m.step, milestone_label(m.step)))
            .collect();
        let text = event_text.get(i).cloned().unwrap_or_default();
        match instants.last_mut() {
            Some(last) if last.at == event.at => {
                last.texts.push(text);
                last.milestones.extend(milestones);
            }
            _ => instants.push(Instant {
                at: event.at,
                texts: vec![text],
                milestones,
            }),
        }
    }
    let gaps = analysis
        .gaps
        .iter()
        .map(|g| GapIn {
            from: g.from,
            to: g.to,
            explanation: g.explanation.clone(),
            before_anchor: urls::event_anchor(g.before),
        })
        .collect();
    draw::draw(&Input {
        tz,
        zone_name,
        instants,
        events: incident.timeline.len(),
        gaps,
        window: analysis.window,
        threshold: analysis.gap_threshold,
    })
}
