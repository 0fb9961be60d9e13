//! The timeline downwards, for narrow screens: one row per instant (or per
//! run of close plain events when there are many), a heading where the day
//! changes, gaps and long silences as rows of their own, every row of events
//! a link to its first event in the table.
//!
//! It is a list, not a drawing to scale: the template writes it as an `<ol>`
//! and the stylesheet draws the rail, the marks and the tint of the active
//! window, so the text keeps its font size on any phone and wraps. Texts are
//! cut at a word to about two lines of the narrowest phone ([`V_WIDTH`]
//! pixels of text column at [`FONT`] pixels); the whole text is in the event
//! table each row links to.

use jiff::Timestamp;
use jiff::civil::Date;

use super::input::{GapIn, Input, Instant};
use super::legend::{Shown, kinds};
use super::scale::seconds_between;
use super::shapes::{BREAK_MIN_SECS, LegendKey, VerticalItem, VerticalTimeline, text_width};
use crate::humanize::{day_in, duration, short_day, time_of_day_in};

/// The width, in CSS pixels, a row's text is cut to fill twice: a 360 px
/// phone's column, less the frame, the time and the rail.
pub(super) const V_WIDTH: f64 = 250.0;
/// The row text's font size in CSS pixels (0.8rem, as the stylesheet sets it).
pub(super) const FONT: f64 = 12.8;
/// Beyond this many rows, the closest runs of plain events share a row.
pub(super) const MAX_ROWS: usize = 16;
/// Advance of a bold letter, as a share of a regular one.
const BOLD: f64 = 1.1;

/// Instants that share a row, by index into the input's instants.
type Group = Vec<usize>;

/// The instants of `input` in rows: one each, then, while there are more
/// than [`MAX_ROWS`], the two closest neighbouring rows of plain events
/// (no milestone, same day, no gap or long silence between) share one.
fn groups(input: &Input) -> Vec<Group> {
    let mut groups: Vec<Group> = (0..input.instants.len()).map(|i| vec![i]).collect();
    let at = |i: usize| input.instants.get(i);
    let plain = |g: &Group| {
        g.iter()
            .all(|&i| at(i).is_some_and(|x| x.milestones.is_empty()))
    };
    let threshold = input.threshold.as_secs().min(BREAK_MIN_SECS);
    while groups.len() > MAX_ROWS {
        // The neighbours whose silence, times the instants they would
        // hold together, is smallest: close events first, small runs first.
        let best = groups
            .windows(2)
            .enumerate()
            .filter_map(|(n, w)| {
                let (a, b) = (at(*w[0].last()?)?, at(*w[1].first()?)?);
                let silence = seconds_between(a.at, b.at);
                let same_day = day_in(a.at, &input.tz) == day_in(b.at, &input.tz);
                let size = (w[0].len() + w[1].len()) as i64;
                (plain(&w[0]) && plain(&w[1]) && same_day && silence < threshold)
                    .then_some((silence.max(1).saturating_mul(size), n))
            })
            .min();
        let Some((_, n)) = best else { break };
        if n + 1 < groups.len() {
            let next = groups.remove(n + 1);
            if let Some(g) = groups.get_mut(n) {
                g.extend(next);
            }
        }
    }
    groups
}

/// `text` cut to fill at most `max` lines of `width` pixels at `font`, the
/// first of which starts `indent` pixels in (after a label), as a browser
/// breaks it at spaces (a word wider than a line is broken where it must);
/// ends in `…` when the text does not fit. Widths are estimated
/// ([`text_width`]), on the generous side.
pub(super) fn cut(text: &str, width: f64, font: f64, max: usize, indent: f64) -> String {
    // A label that leaves no room for a word takes its line(s) whole.
    let mut indent = indent.max(0.0);
    let mut max = max;
    while indent > 0.0 && width - indent < 4.0 * text_width("m", font) {
        if max == 0 {
            break;
        }
        max -= 1;
        indent = (indent - width).max(0.0);
    }
    let line_width = |n: usize| if n == 0 { width - indent } else { width };
    let mut words: std::collections::VecDeque<String> =
        text.split_whitespace().map(str::to_owned).collect();
    let mut lines: Vec<String> = Vec::new();
    // The lines that go on with a word broken at the end of the one before.
    let mut broken: Vec<usize> = Vec::new();
    while !words.is_empty() && lines.len() < max {
        let w = line_width(lines.len());
        let fits = |s: &str| text_width(s, font) <= w;
        let mut line = String::new();
        while let Some(word) = words.pop_front() {
            let candidate = if line.is_empty() {
                word.clone()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
            } else if line.is_empty() {
                // One word wider than the line: as many letters as fit (at
                // least one), the rest on the next line.
                let mut rest = word.chars();
                for c in rest.by_ref() {
                    line.push(c);
                    if !fits(&line) && line.chars().count() > 1 {
                        line.pop();
                        words.push_front(format!("{c}{}", rest.as_str()));
                        broken.push(lines.len() + 1);
                        break;
                    }
                }
                break;
            } else {
                words.push_front(word);
                break;
            }
        }
        lines.push(line);
    }
    if !words.is_empty() {
        let w = line_width(lines.len().saturating_sub(1));
        let mut last = lines.pop().unwrap_or_default();
        let whole = last.len();
        while !last.is_empty() && text_width(&format!("{last}…"), font) > w {
            last.pop();
        }
        // Cut at a word: drop the part of a word the cut went through.
        if last.len() < whole
            && let Some(space) = last.rfind(' ')
        {
            last.truncate(space);
        }
        let kept = last
            .trim_end_matches([' ', ',', ';', ':', '.', '(', '-'])
            .len();
        last.truncate(kept);
        last.push('…');
        lines.push(last);
    }
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        if n > 0 && !broken.contains(&n) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The gap between two instants, if there is one.
fn gap_between(input: &Input, a: Timestamp, b: Timestamp) -> Option<&GapIn> {
    input.gaps.iter().find(|g| g.from >= a && g.to <= b)
}

/// The vertical timeline of `input`, or `None` when it has no instants.
pub(super) fn vertical(input: &Input, zone: &str) -> Option<VerticalTimeline> {
    let tz = &input.tz;
    let mut items: Vec<VerticalItem> = Vec::new();
    let mut shown_day: Option<Date> = None;
    let mut previous: Option<Timestamp> = None;
    let in_window =
        |a: Timestamp, b: Timestamp| input.window.is_some_and(|(s, e)| s < e && a >= s && b <= e);
    for group in groups(input) {
        let group: Vec<&Instant> = group
            .iter()
            .filter_map(|&i| input.instants.get(i))
            .collect();
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let between = previous.is_some_and(|before| in_window(before, first.at));
        if let Some(before) = previous
            && let Some(silence) = silence(input, before, first.at, between)
        {
            items.push(silence);
        }
        previous = Some(last.at);
        let day = day_in(first.at, tz);
        if shown_day != Some(day) {
            items.push(VerticalItem {
                kind: "day",
                anchor: None,
                time: None,
                label: None,
                text: short_day(day),
                count: 0,
                outside: false,
                window: between,
            });
            shown_day = Some(day);
        }
        items.push(row(input, &group));
    }
    if items.is_empty() {
        return None;
    }
    let shown = Shown {
        cluster: items.iter().any(|i| i.kind == "cluster"),
        milestone: items.iter().any(|i| i.kind == "milestone"),
        outside: items.iter().any(|i| i.outside),
        window: items.iter().any(|i| i.window),
        unexplained: items.iter().any(|i| i.kind == "gap-unexplained"),
        explained: items.iter().any(|i| i.kind == "gap-explained"),
        breaks: false,
    };
    Some(VerticalTimeline {
        zone: zone.to_owned(),
        items,
        legend: kinds(shown)
            .into_iter()
            .map(|(kind, label)| LegendKey {
                kind,
                label: if kind == "cluster" {
                    "several events"
                } else {
                    label
                },
            })
            .collect(),
    })
}

/// The row of a gap, or of a silence of an hour or more, between `a` and `b`.
fn silence(input: &Input, a: Timestamp, b: Timestamp, window: bool) -> Option<VerticalItem> {
    let length = duration(b.duration_since(a));
    let (kind, text) = match gap_between(input, a, b) {
        Some(GapIn {
            explanation: Some(_),
            ..
        }) => ("gap-explained", format!("Explained gap: {length}")),
        Some(_) => ("gap-unexplained", format!("Unexplained gap: {length}")),
        None if seconds_between(a, b) >= BREAK_MIN_SECS => {
            ("quiet", format!("{length} with no event"))
        }
        None => return None,
    };
    Some(VerticalItem {
        kind,
        anchor: None,
        time: None,
        label: None,
        text,
        count: 0,
        outside: false,
        window,
    })
}

/// One row of events from its instants (one, or a run of plain ones).
fn row(input: &Input, group: &[&Instant]) -> VerticalItem {
    let tz = &input.tz;
    let (first, last) = (group.first().copied(), group.last().copied());
    let at = first.map_or(Timestamp::UNIX_EPOCH, |i| i.at);
    let end = last.map_or(at, |i| i.at);
    let labels: Vec<&str> = group
        .iter()
        .flat_map(|i| i.milestones.iter().map(|(_, l)| *l))
        .collect();
    let count: usize = group.iter().map(|i| i.texts.len()).sum();
    let clustered = group.len() > 1;
    let label = (!labels.is_empty()).then(|| labels.join(" · "));
    let text = if clustered {
        format!("{count} events to {}", time_of_day_in(end, tz))
    } else {
        let first_text = first
            .and_then(|i| i.texts.first())
            .map_or("", String::as_str);
        let text = if count > 1 {
            format!("{count} events: {first_text}")
        } else {
            first_text.to_owned()
        };
        // The label, in bold, takes the first line's start.
        let indent = label
            .as_deref()
            .map_or(0.0, |l| text_width(&format!("{l} "), FONT * BOLD));
        cut(&text, V_WIDTH, FONT, 2, indent)
    };
    VerticalItem {
        kind: if label.is_some() {
            "milestone"
        } else if clustered {
            "cluster"
        } else {
            "event"
        },
        anchor: first.map(|i| i.anchor.clone()),
        time: Some(time_of_day_in(at, tz)),
        label,
        text,
        count,
        outside: group
            .iter()
            .all(|i| input.window.is_some_and(|(s, e)| i.at < s || i.at > e)),
        window: input
            .window
            .is_some_and(|(s, e)| s < e && at >= s && end <= e),
    }
}
