//! The incident timeline drawn as inline SVG: the geometry, not the markup.
//!
//! [`layout`] is a pure function from one incident's events and analysis to
//! a [`TimelineSvg`] of shapes that already have their coordinates: the axis
//! and its ticks, a marker for each instant, milestone flags with their
//! labels, a shaded rectangle for every gap, and the legend. The template
//! `timeline-svg.html` only copies these numbers into SVG elements, so the
//! drawing is tested here, in Rust, and a site can restyle it with CSS alone.
//!
//! Coordinates are viewBox units (the drawing is [`WIDTH`] wide and scales to
//! the page), rounded to a tenth of a unit so the page is byte-stable. Text
//! widths are estimated from the character count: the layout keeps labels
//! apart with a margin rather than measuring fonts it cannot see.
//!
//! Long silences squeeze everything else into a sliver, so when the events
//! would otherwise sit too close together the longest silences are drawn as
//! fixed-width breaks in the axis (still labelled with their true length, and
//! still shaded when they are gaps). Nothing here reads the disk or formats
//! HTML; record text reaches the template as plain strings for Tera to escape.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::config::MILESTONES;
use crate::humanize::{duration, plural};
use crate::model::Incident;

/// Width of the drawing in viewBox units.
pub const WIDTH: f64 = 1000.0;
/// Space left and right of the track, for labels centred on its ends.
const PAD_X: f64 = 40.0;
/// Width of the track the events are placed on.
const TRACK: f64 = WIDTH - 2.0 * PAD_X;
/// Width of a silence drawn shorter than to scale.
const BREAK_W: f64 = 72.0;
/// Breaks may take at most this share of the track.
const BREAK_SHARE: f64 = 0.55;
/// A silence is only drawn as a break when it is at least this long.
const BREAK_MIN_SECS: i64 = 3600;
/// Breaks are added until the typical distance between events (the lower
/// quartile) is this wide.
const TARGET_SPACING: f64 = 24.0;
/// Ticks are at least this far apart.
const MIN_TICK_GAP: f64 = 80.0;
/// A lone instant is drawn in the middle of a window this long each side.
const LONE_HALF_SECS: i64 = 30 * 60;
/// Space above the label lanes.
const PAD_TOP: f64 = 6.0;
/// Height of one lane of labels above the track.
const LANE_H: f64 = 18.0;
/// At most this many lanes; beyond, labels share the top lane.
const MAX_LANES: usize = 12;
/// Height of the band events sit on.
const BAND_H: f64 = 48.0;
/// Font size of milestone and gap labels.
const LABEL_FONT: f64 = 12.0;
/// Font size of tick labels, the legend and the zone caption.
const SMALL_FONT: f64 = 11.0;
/// Average advance of a character, as a share of the font size.
const CHAR_EM: f64 = 0.6;
/// Space between a flag's pole and its text.
const FLAG_GAP: f64 = 4.0;
/// Half the size of a milestone diamond.
const DIAMOND: f64 = 7.0;
/// Radius of an event dot.
const DOT: f64 = 4.5;

/// The whole drawing: every shape already placed.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineSvg {
    /// viewBox width.
    pub width: f64,
    /// viewBox height.
    pub height: f64,
    /// `0 0 <width> <height>`.
    pub view_box: String,
    /// Short name of the drawing, for `<title>`.
    pub title: String,
    /// What the drawing shows, in a sentence or two, for `<desc>`.
    pub desc: String,
    /// The band events sit on.
    pub band: Rect,
    /// Vertical centre of the band: where markers sit.
    pub center_y: f64,
    /// The active window (impact start, else detection, to resolution),
    /// where gaps are counted.
    pub window: Option<WindowShape>,
    /// The axis line, in pieces (interrupted at breaks).
    pub axis: Vec<Line>,
    /// Ticks on the axis, with their labels.
    pub ticks: Vec<Tick>,
    /// Silences drawn shorter than to scale.
    pub breaks: Vec<Break>,
    /// Gaps: silences longer than the threshold inside the active window.
    pub gaps: Vec<GapShape>,
    /// One marker per instant with events.
    pub events: Vec<EventMark>,
    /// Milestone flags: pole and label.
    pub milestones: Vec<MilestoneFlag>,
    /// The time zone line under the axis.
    pub zone: TextAt,
    /// Legend entries.
    pub legend: Vec<LegendItem>,
}

/// A rectangle.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[expect(missing_docs, reason = "SVG attributes")]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A line segment.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[expect(missing_docs, reason = "SVG attributes")]
pub struct Line {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// A text and where it goes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TextAt {
    /// The text (plain; Tera escapes it).
    pub text: String,
    /// Anchor point.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
}

/// The active window: a tint behind the events.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WindowShape {
    /// The tinted area.
    pub rect: Rect,
    /// Tooltip: its ends and length.
    pub title: String,
}

/// A tick on the axis: mark, faint grid line through the band, and label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tick {
    /// Position on the axis.
    pub x: f64,
    /// The tick mark below the axis.
    pub mark: Line,
    /// The grid line through the band.
    pub grid: Line,
    /// `09:30`, or the day (`12 Nov`) for ticks a day or more apart.
    pub label: TextAt,
    /// The day, on a second line, where it changes (and on the first tick).
    pub date: Option<TextAt>,
}

/// A silence drawn shorter than to scale: the axis is broken.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Break {
    /// The stretch of the band the silence takes.
    pub area: Rect,
    /// The two slanted strokes that mark the break on the axis.
    pub marks: [Line; 2],
    /// Whether the silence is a gap (then the gap carries the label).
    pub gap: bool,
    /// The silence's length, for a silence that is not a gap.
    pub label: Option<TextAt>,
    /// Tooltip.
    pub title: String,
}

/// A gap's shaded rectangle and its label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GapShape {
    /// The shaded area.
    pub rect: Rect,
    /// Whether the record explains the silence (`gap = "..."`).
    pub explained: bool,
    /// The explanation, as written.
    pub explanation: Option<String>,
    /// `45m`.
    pub length: String,
    /// `14:12 → 14:57`, with days when they differ.
    pub span: String,
    /// Start of the silence: `14:12`, or `11 Nov 21:14` when it ends on another day.
    pub from: String,
    /// End of the silence: `14:57`, or `12 Nov 09:05`.
    pub to: String,
    /// The label: inside the rectangle, or in a lane above with a pole.
    pub label: TextAt,
    /// The pole from a label in a lane down to the rectangle.
    pub leader: Option<Line>,
    /// Tooltip: length, span, and the explanation or the warning.
    pub title: String,
    /// The timeline anchor of the event that ends the gap (`event-7`), so
    /// the table's gap row can find its span.
    pub before_anchor: String,
    /// Whether the gap is drawn shorter than to scale.
    pub compressed: bool,
}

/// One instant with events.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventMark {
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Radius of the dot.
    pub r: f64,
    /// Whether a milestone is at this instant (drawn as a diamond instead).
    pub milestone: bool,
    /// The diamond's corners, for a milestone.
    pub points: String,
    /// Whether the instant is outside the active window (drawn muted).
    pub outside: bool,
    /// Tooltip: the time and the events' text.
    pub title: String,
}

/// A milestone's flag: a pole from the marker up to its label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MilestoneFlag {
    /// The step id (`detected`).
    pub step: &'static str,
    /// The pole.
    pub pole: Line,
    /// `Detected 09:05`.
    pub label: TextAt,
}

/// A legend entry: a swatch and a word.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LegendItem {
    /// `event`, `milestone`, `gap-unexplained`, `gap-explained`, `break`.
    pub kind: &'static str,
    /// The swatch's box.
    pub swatch: Rect,
    /// Centre of the swatch (for the event dot).
    pub cx: f64,
    /// Centre of the swatch.
    pub cy: f64,
    /// The diamond's corners (for the milestone swatch).
    pub points: String,
    /// Two strokes (for the break swatch).
    pub marks: [Line; 2],
    /// The word.
    pub label: TextAt,
}

/// One instant as the layout sees it.
#[derive(Debug, Clone)]
struct Instant {
    at: Timestamp,
    /// Plain text of each event at this instant.
    texts: Vec<String>,
    /// Milestones reached at this instant: step and label.
    milestones: Vec<(&'static str, &'static str)>,
}

/// A gap as the layout sees it.
#[derive(Debug, Clone)]
struct GapIn {
    from: Timestamp,
    to: Timestamp,
    explanation: Option<String>,
    before_anchor: String,
}

/// Everything the layout needs, free of the model's types so tests can
/// write it by hand.
#[derive(Debug, Clone)]
struct Input {
    tz: TimeZone,
    zone_name: String,
    instants: Vec<Instant>,
    events: usize,
    gaps: Vec<GapIn>,
    window: Option<(Timestamp, Timestamp)>,
    threshold: SignedDuration,
}

/// The drawing of one incident's timeline, or `None` when it has no events.
/// `event_html` holds each event's text as the event table shows it (inline
/// Markdown rendered to HTML), by position in the record; tooltips keep the
/// text a reader sees there.
pub fn layout(
    incident: &Incident,
    analysis: &Analysis,
    event_html: &[String],
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
        let Some(event) = incident.timeline.get(i) else {
            continue;
        };
        let milestones: Vec<(&'static str, &'static str)> = analysis
            .milestones
            .iter()
            .filter(|m| m.event == i)
            .map(|m| (m.step, milestone_label(m.step)))
            .collect();
        let text = html_text(event_html.get(i).map_or("", String::as_str));
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
            before_anchor: event_anchor(g.before),
        })
        .collect();
    draw(&Input {
        tz,
        zone_name,
        instants,
        events: incident.timeline.len(),
        gaps,
        window: analysis.window,
        threshold: analysis.gap_threshold,
    })
}

/// The text of a fragment of HTML as a browser shows it: tags dropped,
/// the entities pm's Markdown renderer writes decoded, spaces collapsed.
/// (Tera escapes it again in the `<title>`.)
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => {
                let entity = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
                    let decoded = match &rest[1..end] {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" | "#39" | "#x27" => Some('\''),
                        num => num
                            .strip_prefix("#x")
                            .or_else(|| num.strip_prefix("#X"))
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .or_else(|| num.strip_prefix('#').and_then(|d| d.parse().ok()))
                            .and_then(char::from_u32),
                    };
                    decoded.map(|ch| (ch, end + 1))
                });
                match entity {
                    Some((ch, consumed)) => {
                        out.push(ch);
                        len = consumed;
                    }
                    None => out.push('&'),
                }
            }
            _ => out.push(c),
        }
        rest = &rest[len..];
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The table's anchor for the event at timeline index `i` (as in view.rs).
fn event_anchor(i: usize) -> String {
    format!("event-{}", i + 1)
}

fn milestone_label(step: &str) -> &'static str {
    MILESTONES
        .iter()
        .find(|(s, _)| *s == step)
        .map_or("Milestone", |(_, l)| l)
}

/// Rounds to a tenth of a unit; never `-0`, never NaN.
fn r1(v: f64) -> f64 {
    if !v.is_finite() {
        return 0.0;
    }
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Estimated width of a text at a font size. Symbols such as `⚠` are
/// about twice as wide as a letter.
fn text_width(text: &str, font: f64) -> f64 {
    let units: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    units as f64 * font * CHAR_EM
}

fn secs(d: SignedDuration) -> i64 {
    d.as_secs()
}

fn seconds_between(a: Timestamp, b: Timestamp) -> i64 {
    secs(b.duration_since(a))
}

/// A stretch of time drawn to scale.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    from: Timestamp,
    to: Timestamp,
    x0: f64,
    x1: f64,
}

/// Time to x: linear pieces with fixed-width breaks between them.
#[derive(Debug, Clone, PartialEq)]
struct Scale {
    pieces: Vec<Piece>,
    /// Units per second inside pieces.
    k: f64,
    /// Whether all events share one instant, drawn in the middle of a
    /// window around it.
    lone: bool,
}

impl Scale {
    /// Lays out the instants (sorted, distinct) on the track, breaking the
    /// longest silences while the events would otherwise be too crowded.
    fn new(times: &[Timestamp], threshold: SignedDuration) -> Option<Scale> {
        let (&first, &last) = (times.first()?, times.last()?);
        if first == last {
            let from = first
                .checked_sub(SignedDuration::from_secs(LONE_HALF_SECS))
                .ok()?;
            let to = first
                .checked_add(SignedDuration::from_secs(LONE_HALF_SECS))
                .ok()?;
            return Some(Scale {
                pieces: vec![Piece {
                    from,
                    to,
                    x0: PAD_X,
                    x1: PAD_X + TRACK,
                }],
                k: TRACK / (2 * LONE_HALF_SECS) as f64,
                lone: true,
            });
        }
        let silences: Vec<i64> = times
            .windows(2)
            .map(|w| seconds_between(w[0], w[1]))
            .collect();
        let broken = choose_breaks(&silences, secs(threshold));
        let linear: i64 = silences
            .iter()
            .zip(&broken)
            .filter(|(_, b)| !**b)
            .map(|(s, _)| *s)
            .sum();
        let n_breaks = broken.iter().filter(|b| **b).count();
        let k = (TRACK - n_breaks as f64 * BREAK_W) / linear.max(1) as f64;
        let mut pieces = Vec::new();
        let mut x = PAD_X;
        let mut start = first;
        let mut start_x = x;
        for (i, w) in times.windows(2).enumerate() {
            let s = silences.get(i).copied().unwrap_or(0);
            if broken.get(i).copied().unwrap_or(false) {
                pieces.push(Piece {
                    from: start,
                    to: w[0],
                    x0: start_x,
                    x1: x,
                });
                x += BREAK_W;
                start = w[1];
                start_x = x;
            } else {
                x += s as f64 * k;
            }
        }
        pieces.push(Piece {
            from: start,
            to: last,
            x0: start_x,
            x1: x,
        });
        Some(Scale {
            pieces,
            k,
            lone: false,
        })
    }

    /// Where an instant goes. Instants inside a break are spread across it.
    fn x(&self, t: Timestamp) -> f64 {
        let mut prev: Option<&Piece> = None;
        for p in &self.pieces {
            if t < p.from {
                return match prev {
                    Some(q) => {
                        let span = seconds_between(q.to, p.from).max(1) as f64;
                        q.x1 + (p.x0 - q.x1) * seconds_between(q.to, t) as f64 / span
                    }
                    None => p.x0,
                };
            }
            if t <= p.to {
                let span = seconds_between(p.from, p.to);
                if span == 0 {
                    return p.x0;
                }
                return p.x0 + (p.x1 - p.x0) * seconds_between(p.from, t) as f64 / span as f64;
            }
            prev = Some(p);
        }
        prev.map_or(PAD_X, |p| p.x1)
    }

    /// The breaks: end of one piece, start of the next, and the times.
    fn breaks(&self) -> Vec<(f64, f64, Timestamp, Timestamp)> {
        self.pieces
            .windows(2)
            .map(|w| (w[0].x1, w[1].x0, w[0].to, w[1].from))
            .collect()
    }
}

/// Which silences to draw as breaks: the longest first, while the typical
/// distance between events (the lower quartile) is narrower than
/// [`TARGET_SPACING`]; only
/// silences of an hour or more (and longer than the gap threshold), never
/// the last silence drawn to scale, and at most [`BREAK_SHARE`] of the track.
fn choose_breaks(silences: &[i64], threshold: i64) -> Vec<bool> {
    let mut broken = vec![false; silences.len()];
    let mut sorted: Vec<i64> = silences.iter().copied().filter(|s| *s > 0).collect();
    sorted.sort_unstable();
    // The distance most events are at least this far apart: the lower
    // quartile, so one tight cluster among long silences still counts.
    let Some(&typical) = sorted.get(sorted.len() / 4) else {
        return broken;
    };
    let mut by_length: Vec<usize> = (0..silences.len()).collect();
    by_length.sort_by_key(|&i| (std::cmp::Reverse(silences.get(i).copied().unwrap_or(0)), i));
    let mut linear: i64 = silences.iter().sum();
    // `n` silences are already breaks when the `n`th longest is considered.
    for (n, i) in by_length.into_iter().enumerate() {
        let k = (TRACK - n as f64 * BREAK_W) / linear.max(1) as f64;
        if typical as f64 * k >= TARGET_SPACING {
            break;
        }
        let s = silences.get(i).copied().unwrap_or(0);
        let fits = ((n + 1) as f64 * BREAK_W) <= TRACK * BREAK_SHARE;
        if s < BREAK_MIN_SECS || s <= threshold || linear - s <= 0 || !fits {
            break;
        }
        if s as f64 * k <= BREAK_W {
            break;
        }
        if let Some(b) = broken.get_mut(i) {
            *b = true;
        }
        linear -= s;
    }
    broken
}

/// Tick steps in minutes, smallest first.
const STEPS_MIN: [i64; 10] = [5, 10, 15, 30, 60, 120, 360, 1440, 2880, 10080];

/// The smallest step whose ticks are at least [`MIN_TICK_GAP`] apart at
/// `k` units per second.
fn tick_step(k: f64) -> i64 {
    STEPS_MIN
        .iter()
        .copied()
        .find(|m| (*m * 60) as f64 * k >= MIN_TICK_GAP)
        .unwrap_or(STEPS_MIN[STEPS_MIN.len() - 1])
}

/// Ticks at round local times (every `step` minutes from local midnight)
/// between `from` and `to`, inclusive.
fn round_times(tz: &TimeZone, from: Timestamp, to: Timestamp, step: i64) -> Vec<Timestamp> {
    let local = tz.to_datetime(from);
    let start = if step >= 1440 {
        local.date().to_datetime(jiff::civil::Time::midnight())
    } else {
        let minutes = i64::from(local.hour()) * 60 + i64::from(local.minute());
        let floored = minutes - minutes % step;
        let Ok(time) = jiff::civil::Time::new((floored / 60) as i8, (floored % 60) as i8, 0, 0)
        else {
            return Vec::new();
        };
        local.date().to_datetime(time)
    };
    let mut out: Vec<Timestamp> = Vec::new();
    let mut civil: DateTime = start;
    // A bound on the loop: ticks are at least MIN_TICK_GAP apart, so a
    // track holds a few dozen.
    for _ in 0..2000 {
        let Ok(ts) = tz.to_ambiguous_timestamp(civil).compatible() else {
            break;
        };
        if ts > to {
            break;
        }
        if ts >= from && out.last().is_none_or(|l| *l < ts) {
            out.push(ts);
        }
        let next = if step >= 1440 {
            civil.checked_add((step / 1440).days())
        } else {
            civil.checked_add(step.minutes())
        };
        match next {
            Ok(n) => civil = n,
            Err(_) => break,
        }
    }
    out
}

/// `12 Nov`.
fn short_day(date: Date) -> String {
    date.strftime("%-d %b").to_string()
}

/// `21:14` in the zone.
fn hm(tz: &TimeZone, t: Timestamp) -> String {
    tz.to_datetime(t).strftime("%H:%M").to_string()
}

fn day_of(tz: &TimeZone, t: Timestamp) -> Date {
    tz.to_datetime(t).date()
}

/// `2026-11-12 09:05 EST`.
fn full(tz: &TimeZone, t: Timestamp) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// The ends of a stretch: `21:14` and `23:05`, or `11 Nov 21:14` and
/// `12 Nov 09:05` across midnight.
fn span_ends(tz: &TimeZone, from: Timestamp, to: Timestamp) -> (String, String) {
    let (a, b) = (day_of(tz, from), day_of(tz, to));
    if a == b {
        (hm(tz, from), hm(tz, to))
    } else {
        (
            format!("{} {}", short_day(a), hm(tz, from)),
            format!("{} {}", short_day(b), hm(tz, to)),
        )
    }
}

/// `21:14 → 23:05`, or `11 Nov 21:14 → 12 Nov 09:05` across midnight.
fn span_label(tz: &TimeZone, from: Timestamp, to: Timestamp) -> String {
    let (a, b) = span_ends(tz, from, to);
    format!("{a} → {b}")
}

/// A label that wants a lane above the band: a pole at `x`, text to its
/// right (or left, near the right edge).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Flag {
    x: f64,
    width: f64,
}

impl Flag {
    /// Whether the text runs left of the pole (it would leave the drawing).
    fn flipped(&self) -> bool {
        self.x + FLAG_GAP + self.width > WIDTH - 2.0
    }

    /// The span the text covers, with a margin.
    fn text_span(&self) -> (f64, f64) {
        let m = 6.0;
        if self.flipped() {
            (self.x - FLAG_GAP - self.width - m, self.x - FLAG_GAP + m)
        } else {
            (self.x + FLAG_GAP - m, self.x + FLAG_GAP + self.width + m)
        }
    }

    fn anchor(&self) -> &'static str {
        if self.flipped() { "end" } else { "start" }
    }

    fn text_x(&self) -> f64 {
        if self.flipped() {
            self.x - FLAG_GAP
        } else {
            self.x + FLAG_GAP
        }
    }
}

fn overlaps(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Lanes for flags, lane 0 nearest the band. Flags are placed right to
/// left, each in the lowest lane where its text overlaps no text in that
/// lane, its pole crosses no text in a lane below, and no pole from a lane
/// above crosses its text. When no lane meets all three (two flags facing
/// each other), the pole may cross.
fn assign_lanes(flags: &[Flag]) -> Vec<usize> {
    let mut lanes = vec![0usize; flags.len()];
    let mut order: Vec<usize> = (0..flags.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (flags[a].x, flags[b].x);
        // At one x, the later flag goes lower, so flags read top-down in time.
        fb.total_cmp(&fa).then(b.cmp(&a))
    });
    let mut placed: Vec<usize> = Vec::new();
    for &i in &order {
        let f = flags[i];
        let span = f.text_span();
        let ok = |lane: usize, strict: bool| {
            placed.iter().all(|&j| {
                let g = flags[j];
                let lj = lanes[j];
                let g_span = g.text_span();
                let same = lj == lane && overlaps(span, g_span);
                let my_pole_crosses = strict && lj < lane && g_span.0 < f.x && f.x < g_span.1;
                let their_pole_crosses = lj > lane && span.0 < g.x && g.x < span.1;
                !(same || my_pole_crosses || their_pole_crosses)
            })
        };
        let lane = (0..MAX_LANES)
            .find(|&l| ok(l, true))
            .or_else(|| (0..MAX_LANES).find(|&l| ok(l, false)))
            .unwrap_or(MAX_LANES - 1);
        if let Some(slot) = lanes.get_mut(i) {
            *slot = lane;
        }
        placed.push(i);
    }
    lanes
}

/// Everything placed on the track before the vertical layout is known.
struct GapPlan {
    x0: f64,
    x1: f64,
    label: String,
    /// Index into the flags, when the label does not fit inside.
    flag: Option<usize>,
    gap: GapIn,
    compressed: bool,
}

fn draw(input: &Input) -> Option<TimelineSvg> {
    let tz = &input.tz;
    let times: Vec<Timestamp> = input.instants.iter().map(|i| i.at).collect();
    let scale = Scale::new(&times, input.threshold)?;
    let breaks = scale.breaks();
    let is_broken =
        |from: Timestamp, to: Timestamp| breaks.iter().any(|(_, _, a, b)| *a == from && *b == to);

    // Flags: milestones first (in milestone order within an instant).
    let mut flags: Vec<Flag> = Vec::new();
    let mut flag_texts: Vec<(String, &'static str)> = Vec::new();
    let mut previous_day = times.first().map(|t| day_of(tz, *t));
    let mut reached: Vec<(&'static str, &'static str, Timestamp)> = input
        .instants
        .iter()
        .flat_map(|i| i.milestones.iter().map(move |(s, l)| (*s, *l, i.at)))
        .collect();
    reached.sort_by_key(|(s, _, at)| (*at, MILESTONES.iter().position(|(m, _)| m == s)));
    for (step, label, at) in &reached {
        let day = day_of(tz, *at);
        let text = if Some(day) == previous_day {
            format!("{label} {}", hm(tz, *at))
        } else {
            format!("{label} {} {}", short_day(day), hm(tz, *at))
        };
        previous_day = Some(day);
        flags.push(Flag {
            x: scale.x(*at),
            width: text_width(&text, LABEL_FONT),
        });
        flag_texts.push((text, step));
    }

    // Gaps: the label goes inside the rectangle when it fits, else on a flag.
    let mut plans: Vec<GapPlan> = Vec::new();
    let mut inside: Vec<(f64, f64)> = Vec::new();
    for gap in &input.gaps {
        let (x0, x1) = (scale.x(gap.from), scale.x(gap.to));
        let length = duration(gap.to.duration_since(gap.from));
        let label = if gap.explanation.is_some() {
            length
        } else {
            format!("⚠ {length}")
        };
        let w = text_width(&label, SMALL_FONT);
        let c = (x0 + x1) / 2.0;
        let span = (c - w / 2.0 - 3.0, c + w / 2.0 + 3.0);
        let fits = w + 8.0 <= x1 - x0 && !inside.iter().any(|s| overlaps(*s, span));
        let flag = if fits {
            inside.push(span);
            None
        } else {
            flags.push(Flag { x: c, width: w });
            Some(flags.len() - 1)
        };
        plans.push(GapPlan {
            x0,
            x1,
            label,
            flag,
            gap: gap.clone(),
            compressed: is_broken(gap.from, gap.to),
        });
    }

    let lanes = assign_lanes(&flags);
    let n_lanes = if flags.is_empty() {
        0
    } else {
        lanes.iter().max().map_or(0, |m| m + 1)
    };
    let band_top = PAD_TOP + n_lanes as f64 * LANE_H + 4.0;
    let lane_y = |lane: usize| band_top - 8.0 - lane as f64 * LANE_H;
    let center = band_top + BAND_H / 2.0 + 4.0;
    let axis_y = band_top + BAND_H;

    let milestones: Vec<MilestoneFlag> = flag_texts
        .into_iter()
        .enumerate()
        .map(|(i, (text, step))| {
            let f = flags.get(i).copied().unwrap_or(Flag {
                x: PAD_X,
                width: 0.0,
            });
            let y = lane_y(lanes.get(i).copied().unwrap_or(0));
            MilestoneFlag {
                step,
                pole: Line {
                    x1: r1(f.x),
                    y1: r1(y - LABEL_FONT + 1.0),
                    x2: r1(f.x),
                    y2: r1(center - DIAMOND),
                },
                label: TextAt {
                    text,
                    x: r1(f.text_x()),
                    y: r1(y),
                    anchor: f.anchor(),
                },
            }
        })
        .collect();

    let gaps: Vec<GapShape> = plans
        .into_iter()
        .map(|p| {
            let length = duration(p.gap.to.duration_since(p.gap.from));
            let span = span_label(tz, p.gap.from, p.gap.to);
            let (from, to) = span_ends(tz, p.gap.from, p.gap.to);
            let scale_note = if p.compressed {
                " (drawn shorter than to scale)"
            } else {
                ""
            };
            let title = match &p.gap.explanation {
                Some(e) => format!("Explained gap of {length}, {span}{scale_note}: {e}"),
                None => format!(
                    "Unexplained gap of {length}, {span}{scale_note}: no event recorded for longer than {}",
                    duration(input.threshold)
                ),
            };
            let c = (p.x0 + p.x1) / 2.0;
            let (label, leader) = match p.flag {
                Some(i) => {
                    let f = flags.get(i).copied().unwrap_or(Flag { x: c, width: 0.0 });
                    let y = lane_y(lanes.get(i).copied().unwrap_or(0));
                    (
                        TextAt {
                            text: p.label,
                            x: r1(f.text_x()),
                            y: r1(y),
                            anchor: f.anchor(),
                        },
                        Some(Line {
                            x1: r1(f.x),
                            y1: r1(y - LABEL_FONT + 1.0),
                            x2: r1(f.x),
                            y2: r1(band_top),
                        }),
                    )
                }
                None => (
                    TextAt {
                        text: p.label,
                        x: r1(c),
                        y: r1(center + 4.0),
                        anchor: "middle",
                    },
                    None,
                ),
            };
            GapShape {
                rect: Rect {
                    x: r1(p.x0),
                    y: r1(band_top),
                    width: r1(p.x1 - p.x0),
                    height: BAND_H,
                },
                explained: p.gap.explanation.is_some(),
                explanation: p.gap.explanation,
                length,
                span,
                from,
                to,
                label,
                leader,
                title,
                before_anchor: p.gap.before_anchor,
                compressed: p.compressed,
            }
        })
        .collect();

    // Breaks, and the axis between them.
    let hole = 10.0;
    let mut axis = Vec::new();
    let mut axis_start = PAD_X;
    let mut break_shapes = Vec::new();
    for (x1, x2, from, to) in &breaks {
        let mid = (x1 + x2) / 2.0;
        axis.push(Line {
            x1: r1(axis_start),
            y1: r1(axis_y),
            x2: r1(mid - hole / 2.0),
            y2: r1(axis_y),
        });
        axis_start = mid + hole / 2.0;
        let stroke = |x: f64| Line {
            x1: r1(x - 3.0),
            y1: r1(axis_y + 6.0),
            x2: r1(x + 3.0),
            y2: r1(axis_y - 6.0),
        };
        let is_gap = input.gaps.iter().any(|g| g.from == *from && g.to == *to);
        let length = duration(to.duration_since(*from));
        break_shapes.push(Break {
            area: Rect {
                x: r1(*x1),
                y: r1(band_top),
                width: r1(x2 - x1),
                height: BAND_H,
            },
            marks: [stroke(mid - hole / 2.0), stroke(mid + hole / 2.0)],
            gap: is_gap,
            label: (!is_gap).then(|| TextAt {
                text: length.clone(),
                x: r1(mid),
                y: r1(center + 4.0),
                anchor: "middle",
            }),
            title: format!(
                "{length} with no event, {} (drawn shorter than to scale)",
                span_label(tz, *from, *to)
            ),
        });
    }
    axis.push(Line {
        x1: r1(axis_start),
        y1: r1(axis_y),
        x2: r1(PAD_X + TRACK),
        y2: r1(axis_y),
    });

    let ticks = ticks(tz, &scale, band_top, axis_y);

    let window_shape = input.window.filter(|(s, e)| s < e).map(|(s, e)| {
        let (x0, x1) = (scale.x(s), scale.x(e));
        WindowShape {
            rect: Rect {
                x: r1(x0),
                y: r1(band_top),
                width: r1(x1 - x0),
                height: BAND_H,
            },
            title: format!(
                "Active window, {} ({}): gaps are counted inside it",
                span_label(tz, s, e),
                duration(e.duration_since(s))
            ),
        }
    });

    let window = input.window;
    let events: Vec<EventMark> = input
        .instants
        .iter()
        .map(|i| {
            let x = scale.x(i.at);
            let milestone = !i.milestones.is_empty();
            let outside = window.is_some_and(|(s, e)| i.at < s || i.at > e);
            let mut title = full(tz, i.at);
            for (_, label) in &i.milestones {
                title.push_str(" · ");
                title.push_str(label);
            }
            for t in &i.texts {
                title.push_str("\n– ");
                title.push_str(t);
            }
            EventMark {
                x: r1(x),
                y: r1(center),
                r: DOT,
                milestone,
                points: if milestone {
                    diamond(x, center, DIAMOND)
                } else {
                    String::new()
                },
                outside,
                title,
            }
        })
        .collect();

    // The zone line and the legend share the row under the tick labels.
    let foot_y = axis_y + 56.0;
    let (first, last) = (times.first().copied()?, times.last().copied()?);
    let abbr = |t: Timestamp| t.to_zoned_datetime(tz.clone()).strftime("%Z").to_string();
    let (a0, a1) = (abbr(first), abbr(last));
    let abbrs = if a0 == a1 {
        a0.clone()
    } else {
        format!("{a0}, then {a1}")
    };
    let zone_text = if input.zone_name == a0 && a0 == a1 {
        format!("Times in {}", input.zone_name)
    } else {
        format!("Times in {} ({abbrs})", input.zone_name)
    };
    let zone_end = text_width(&zone_text, SMALL_FONT);
    let zone = TextAt {
        text: zone_text,
        x: 0.0,
        y: r1(foot_y),
        anchor: "start",
    };
    let mut kinds: Vec<(&'static str, &'static str)> = vec![("event", "event")];
    if !milestones.is_empty() {
        kinds.push(("milestone", "milestone"));
    }
    if window_shape.is_some() {
        kinds.push(("window", "active window"));
    }
    if gaps.iter().any(|g| !g.explained) {
        kinds.push(("gap-unexplained", "unexplained gap"));
    }
    if gaps.iter().any(|g| g.explained) {
        kinds.push(("gap-explained", "explained gap"));
    }
    if !break_shapes.is_empty() {
        kinds.push(("break", "not to scale"));
    }
    let widths: Vec<f64> = kinds
        .iter()
        .map(|(_, l)| 14.0 + text_width(l, SMALL_FONT) + 16.0)
        .collect();
    let total: f64 = widths.iter().sum();
    let (mut lx, legend_y) = if WIDTH - total >= zone_end + 24.0 {
        (WIDTH - total, foot_y)
    } else {
        (0.0, foot_y + 18.0)
    };
    let mut legend = Vec::new();
    for ((kind, label), w) in kinds.into_iter().zip(widths) {
        let (cx, cy) = (lx + 5.0, legend_y - 4.0);
        let stroke = |x: f64| Line {
            x1: r1(x - 2.0),
            y1: r1(cy + 5.0),
            x2: r1(x + 2.0),
            y2: r1(cy - 5.0),
        };
        legend.push(LegendItem {
            kind,
            swatch: Rect {
                x: r1(lx),
                y: r1(cy - 5.0),
                width: 10.0,
                height: 10.0,
            },
            cx: r1(cx),
            cy: r1(cy),
            points: diamond(cx, cy, 6.0),
            marks: [stroke(cx - 2.5), stroke(cx + 2.5)],
            label: TextAt {
                text: label.to_owned(),
                x: r1(lx + 14.0),
                y: r1(legend_y),
                anchor: "start",
            },
        });
        lx += w;
    }
    let height = r1(legend_y + 8.0);

    let n_gaps = gaps.len();
    let unexplained = gaps.iter().filter(|g| !g.explained).count();
    let desc = describe(
        input,
        first,
        last,
        n_gaps,
        unexplained,
        !break_shapes.is_empty(),
    );

    Some(TimelineSvg {
        width: WIDTH,
        height,
        view_box: format!("0 0 {WIDTH} {height}"),
        title: "Incident timeline".to_owned(),
        desc,
        band: Rect {
            x: PAD_X - 8.0,
            y: r1(band_top),
            width: TRACK + 16.0,
            height: BAND_H,
        },
        center_y: r1(center),
        window: window_shape,
        axis,
        ticks,
        breaks: break_shapes,
        gaps,
        events,
        milestones,
        zone,
        legend,
    })
}

/// The corners of a diamond around a centre, as SVG `points`.
fn diamond(x: f64, y: f64, half: f64) -> String {
    format!(
        "{},{} {},{} {},{} {},{}",
        r1(x),
        r1(y - half),
        r1(x + half),
        r1(y),
        r1(x),
        r1(y + half),
        r1(x - half),
        r1(y)
    )
}

/// The `<desc>`: what a reader would see at a glance.
fn describe(
    input: &Input,
    first: Timestamp,
    last: Timestamp,
    gaps: usize,
    unexplained: usize,
    compressed: bool,
) -> String {
    let tz = &input.tz;
    let abbr = last
        .to_zoned_datetime(tz.clone())
        .strftime("%Z")
        .to_string();
    let events = plural(input.events, "event");
    let mut out = if first == last {
        format!(
            "Timeline of {events} at {} {abbr} on {}",
            hm(tz, first),
            day_of(tz, first)
        )
    } else if day_of(tz, first) == day_of(tz, last) {
        format!(
            "Timeline of {events} on {} from {} to {} {abbr}",
            day_of(tz, first),
            hm(tz, first),
            hm(tz, last)
        )
    } else {
        format!(
            "Timeline of {events} from {} to {}",
            full(tz, first),
            full(tz, last)
        )
    };
    let threshold = duration(input.threshold);
    out.push_str(&match (gaps, unexplained) {
        (0, _) => format!("; no gap longer than {threshold}"),
        (1, 1) => format!("; 1 unexplained gap longer than {threshold}"),
        (1, _) => format!("; 1 explained gap longer than {threshold}"),
        (n, 0) => format!("; {n} gaps longer than {threshold}, all explained"),
        (n, u) if u == n => format!("; {n} gaps longer than {threshold}, none explained"),
        (n, u) => format!("; {n} gaps longer than {threshold}, {u} of them unexplained"),
    });
    if compressed {
        out.push_str("; long silences are drawn shorter than to scale");
    }
    out.push('.');
    out
}

/// A tick before the vertical layout: where, and what it says.
struct TickPlan {
    at: Timestamp,
    x: f64,
    /// Whether it is a whole day (its label is the day).
    day: bool,
}

/// Ticks at round times inside each piece, then each piece's ends where
/// they fit, then days on the first tick and wherever the day changes.
fn ticks(tz: &TimeZone, scale: &Scale, band_top: f64, axis_y: f64) -> Vec<Tick> {
    let step = tick_step(scale.k);
    let lone = scale.lone;
    let mut plans: Vec<TickPlan> = Vec::new();
    let label_w = |day: bool| text_width(if day { "12 Nov" } else { "00:00" }, SMALL_FONT);
    let free = |plans: &[TickPlan], x: f64, w: f64| {
        plans.iter().all(|p| {
            let pw = label_w(p.day);
            (p.x - x).abs() >= (pw + w) / 2.0 + 10.0
        })
    };
    if lone {
        // The one instant is the label that matters.
        if let Some(p) = scale.pieces.first() {
            let at = p
                .from
                .checked_add(SignedDuration::from_secs(LONE_HALF_SECS));
            if let Ok(at) = at {
                plans.push(TickPlan {
                    at,
                    x: scale.x(at),
                    day: false,
                });
            }
        }
    }
    for piece in &scale.pieces {
        for at in round_times(tz, piece.from, piece.to, step) {
            let x = scale.x(at);
            let day = step >= 1440;
            if free(&plans, x, label_w(day)) {
                plans.push(TickPlan { at, x, day });
            }
        }
    }
    if !lone {
        for piece in &scale.pieces {
            for at in [piece.from, piece.to] {
                let x = scale.x(at);
                if free(&plans, x, label_w(false)) {
                    plans.push(TickPlan { at, x, day: false });
                }
            }
        }
    }
    plans.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut shown_day: Option<Date> = None;
    let mut last_date_end = f64::NEG_INFINITY;
    plans
        .into_iter()
        .map(|p| {
            let d = day_of(tz, p.at);
            let text = if p.day { short_day(d) } else { hm(tz, p.at) };
            let mut date = None;
            if !p.day && shown_day != Some(d) {
                let s = short_day(d);
                let w = text_width(&s, SMALL_FONT);
                if p.x - w / 2.0 >= last_date_end + 6.0 {
                    last_date_end = p.x + w / 2.0;
                    date = Some(TextAt {
                        text: s,
                        x: r1(p.x),
                        y: r1(axis_y + 34.0),
                        anchor: "middle",
                    });
                    shown_day = Some(d);
                }
            } else if p.day {
                shown_day = Some(d);
            }
            Tick {
                x: r1(p.x),
                mark: Line {
                    x1: r1(p.x),
                    y1: r1(axis_y),
                    x2: r1(p.x),
                    y2: r1(axis_y + 5.0),
                },
                grid: Line {
                    x1: r1(p.x),
                    y1: r1(band_top),
                    x2: r1(p.x),
                    y2: r1(axis_y),
                },
                label: TextAt {
                    text,
                    x: r1(p.x),
                    y: r1(axis_y + 19.0),
                    anchor: "middle",
                },
                date,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Events as (time, milestone step), gaps as (from, to, explanation).
    fn input(
        events: &[(&str, Option<&'static str>)],
        gaps: &[(&str, &str, Option<&str>)],
    ) -> Input {
        let mut instants: Vec<Instant> = Vec::new();
        for (at, step) in events {
            let at = ts(at);
            let milestones: Vec<_> = step.iter().map(|s| (*s, milestone_label(s))).collect();
            match instants.last_mut() {
                Some(last) if last.at == at => {
                    last.texts.push("e".into());
                    last.milestones.extend(milestones);
                }
                _ => instants.push(Instant {
                    at,
                    texts: vec!["e".into()],
                    milestones,
                }),
            }
        }
        Input {
            tz: TimeZone::UTC,
            zone_name: "UTC".into(),
            events: events.len(),
            window: instants
                .first()
                .zip(instants.last())
                .map(|(a, b)| (a.at, b.at)),
            instants,
            gaps: gaps
                .iter()
                .enumerate()
                .map(|(i, (from, to, why))| GapIn {
                    from: ts(from),
                    to: ts(to),
                    explanation: why.map(str::to_owned),
                    before_anchor: format!("event-{}", i + 2),
                })
                .collect(),
            threshold: SignedDuration::from_mins(30),
        }
    }

    fn xs(svg: &TimelineSvg) -> Vec<f64> {
        svg.events.iter().map(|e| e.x).collect()
    }

    /// Every number in the drawing, for the rounding and bounds checks.
    fn numbers(svg: &TimelineSvg) -> Vec<f64> {
        fn walk(v: &serde_json::Value, out: &mut Vec<f64>) {
            match v {
                serde_json::Value::Number(n) => out.extend(n.as_f64()),
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&serde_json::to_value(svg).unwrap(), &mut out);
        out
    }

    fn texts_overlap(a: &TextAt, b: &TextAt, font: f64) -> bool {
        let span = |t: &TextAt| {
            let w = text_width(&t.text, font);
            match t.anchor {
                "end" => (t.x - w, t.x),
                "middle" => (t.x - w / 2.0, t.x + w / 2.0),
                _ => (t.x, t.x + w),
            }
        };
        a.y == b.y && overlaps(span(a), span(b))
    }

    #[test]
    fn tick_steps_grow_with_the_span() {
        // k is units per second; a step is chosen so ticks are >= 80 apart.
        let per_hour = |units: f64| units / 3600.0;
        assert_eq!(tick_step(per_hour(1000.0)), 5); // 5m = 83 units
        assert_eq!(tick_step(per_hour(920.0)), 10); // 5m = 77: too tight
        assert_eq!(tick_step(per_hour(920.0 / 2.0)), 15);
        assert_eq!(tick_step(per_hour(920.0 / 5.0)), 30);
        assert_eq!(tick_step(per_hour(920.0 / 10.0)), 60);
        assert_eq!(tick_step(per_hour(920.0 / 20.0)), 120);
        assert_eq!(tick_step(per_hour(920.0 / 48.0)), 360);
        assert_eq!(tick_step(per_hour(920.0 / 200.0)), 1440);
        assert_eq!(tick_step(per_hour(920.0 / 10_000.0)), 10080);
        assert_eq!(tick_step(0.0), 10080);
    }

    #[test]
    fn a_hand_worked_example_places_events_by_time() {
        // 10:00 to 11:00 on a 920-unit track from x = 40: 15 minutes is 230.
        let svg = draw(&input(
            &[
                ("2026-11-03T10:00:00Z", None),
                ("2026-11-03T10:15:00Z", None),
                ("2026-11-03T11:00:00Z", None),
            ],
            &[],
        ))
        .unwrap();
        assert_eq!(xs(&svg), vec![40.0, 270.0, 960.0]);
        assert!(svg.breaks.is_empty());
        assert_eq!(svg.width, 1000.0);
        // No flags: the band starts under the top padding.
        assert_eq!(svg.band.y, 10.0);
        assert_eq!(svg.center_y, 38.0);
        assert!(svg.events.iter().all(|e| e.y == 38.0 && !e.milestone));
        // 10-minute ticks (5m would be 77 units apart), the day on the first.
        let ticks: Vec<(&str, f64)> = svg
            .ticks
            .iter()
            .map(|t| (t.label.text.as_str(), t.x))
            .collect();
        assert_eq!(
            ticks,
            vec![
                ("10:00", 40.0),
                ("10:10", 193.3),
                ("10:20", 346.7),
                ("10:30", 500.0),
                ("10:40", 653.3),
                ("10:50", 806.7),
                ("11:00", 960.0)
            ]
        );
        assert_eq!(
            svg.ticks[0].date.as_ref().map(|d| d.text.as_str()),
            Some("3 Nov")
        );
        assert!(svg.ticks[1..].iter().all(|t| t.date.is_none()));
        assert_eq!(svg.zone.text, "Times in UTC");
        assert_eq!(svg.view_box, format!("0 0 1000 {}", svg.height));
    }

    #[test]
    fn gap_rectangles_span_the_silence_and_carry_their_length() {
        let svg = draw(&input(
            &[
                ("2026-11-03T10:00:00Z", None),
                ("2026-11-03T10:15:00Z", None),
                ("2026-11-03T11:00:00Z", None),
            ],
            &[("2026-11-03T10:15:00Z", "2026-11-03T11:00:00Z", None)],
        ))
        .unwrap();
        let g = &svg.gaps[0];
        assert_eq!(
            g.rect,
            Rect {
                x: 270.0,
                y: 10.0,
                width: 690.0,
                height: BAND_H
            }
        );
        assert!(!g.explained);
        assert_eq!(g.length, "45m");
        assert_eq!((g.from.as_str(), g.to.as_str()), ("10:15", "11:00"));
        // The label fits inside, centred on the silence, on the marker line.
        assert_eq!(g.label.text, "⚠ 45m");
        assert_eq!(
            (g.label.x, g.label.y, g.label.anchor),
            (615.0, 42.0, "middle")
        );
        assert!(g.leader.is_none());
        assert_eq!(
            g.title,
            "Unexplained gap of 45m, 10:15 → 11:00: no event recorded for longer than 30m"
        );
        assert_eq!(g.before_anchor, "event-2");
        assert!(svg.desc.contains("1 unexplained gap longer than 30m"));
        assert!(svg.legend.iter().any(|l| l.kind == "gap-unexplained"));
    }

    #[test]
    fn explained_gaps_keep_their_reason() {
        // 10:00, 10:31 (a 31-minute gap), 10:40, then 18:00: the long
        // silence becomes a break.
        let svg = draw(&input(
            &[
                ("2026-11-03T10:00:00Z", None),
                ("2026-11-03T10:31:00Z", None),
                ("2026-11-03T10:40:00Z", None),
                ("2026-11-03T18:00:00Z", None),
            ],
            &[
                (
                    "2026-11-03T10:00:00Z",
                    "2026-11-03T10:31:00Z",
                    Some("vendor & <co>"),
                ),
                (
                    "2026-11-03T10:40:00Z",
                    "2026-11-03T18:00:00Z",
                    Some("overnight"),
                ),
            ],
        ))
        .unwrap();
        assert!(svg.gaps.iter().all(|g| g.explained));
        assert_eq!(svg.gaps[0].explanation.as_deref(), Some("vendor & <co>"));
        assert_eq!(
            svg.gaps[0].title,
            "Explained gap of 31m, 10:00 → 10:31: vendor & <co>"
        );
        assert!(svg.desc.contains("2 gaps longer than 30m, all explained"));
        // The 7h 20m silence is drawn as a break.
        assert_eq!(svg.breaks.len(), 1);
        assert!(svg.breaks[0].gap && svg.breaks[0].label.is_none());
        assert!(svg.gaps[1].compressed);
        assert!(svg.gaps[1].title.contains("drawn shorter than to scale"));
        assert_eq!(svg.gaps[1].rect.width, BREAK_W);
    }

    #[test]
    fn a_gap_too_narrow_for_its_label_gets_a_flag() {
        // Events every 25 minutes for 12 hours (no silence long enough to
        // break), with one 31-minute gap: 40 units, too narrow for "⚠ 31m".
        let mut events = vec!["2026-11-03T10:00:00Z".to_owned()];
        let mut t = ts("2026-11-03T10:31:00Z");
        while t <= ts("2026-11-03T22:00:00Z") {
            events.push(t.to_string());
            t = t.checked_add(SignedDuration::from_mins(25)).unwrap();
        }
        let events: Vec<(&str, Option<&'static str>)> =
            events.iter().map(|e| (e.as_str(), None)).collect();
        let svg = draw(&input(
            &events,
            &[("2026-11-03T10:00:00Z", "2026-11-03T10:31:00Z", None)],
        ))
        .unwrap();
        assert!(svg.breaks.is_empty());
        let g = &svg.gaps[0];
        assert!(g.rect.width < text_width(&g.label.text, SMALL_FONT) + 8.0);
        // The label sits in the lane above the band, on a pole from the
        // middle of the rectangle down to its top.
        let leader = g.leader.unwrap();
        assert_eq!(leader.x1, r1(g.rect.x + g.rect.width / 2.0));
        assert_eq!(leader.y2, svg.band.y);
        assert_eq!(g.label.y, svg.band.y - 8.0);
        assert_eq!(g.label.anchor, "start");
    }

    #[test]
    fn long_silences_become_breaks_and_the_rest_is_to_scale() {
        // A busy hour, three days of quiet, a busy half hour.
        let svg = draw(&input(
            &[
                ("2026-11-03T10:00:00Z", Some("impact-start")),
                ("2026-11-03T10:10:00Z", Some("detected")),
                ("2026-11-03T10:20:00Z", None),
                ("2026-11-03T11:00:00Z", Some("mitigate")),
                ("2026-11-06T09:00:00Z", None),
                ("2026-11-06T09:30:00Z", Some("verify-resolution")),
            ],
            &[(
                "2026-11-03T11:00:00Z",
                "2026-11-06T09:00:00Z",
                Some("waiting for the weekly batch"),
            )],
        ))
        .unwrap();
        assert_eq!(svg.breaks.len(), 1);
        // 90 minutes to scale share 920 - 72 = 848 units.
        let x = xs(&svg);
        assert_eq!(x[0], 40.0);
        assert_eq!(x[1], r1(40.0 + 848.0 / 9.0));
        assert_eq!(x[3], r1(40.0 + 848.0 * 60.0 / 90.0));
        assert_eq!(x[4], r1(x[3] + BREAK_W));
        assert_eq!(x[5], 960.0);
        // The days show where they change, on both sides of the break.
        let days: Vec<&str> = svg
            .ticks
            .iter()
            .filter_map(|t| t.date.as_ref().map(|d| d.text.as_str()))
            .collect();
        assert_eq!(days, vec!["3 Nov", "6 Nov"]);
        assert!(svg.desc.contains("drawn shorter than to scale"));
        assert!(svg.legend.iter().any(|l| l.kind == "break"));
        // Milestone flags across days name the day where it changes.
        let labels: Vec<&str> = svg
            .milestones
            .iter()
            .map(|m| m.label.text.as_str())
            .collect();
        assert_eq!(
            labels,
            vec![
                "Impact started 10:00",
                "Detected 10:10",
                "Mitigated 11:00",
                "Resolved 6 Nov 09:30"
            ]
        );
    }

    #[test]
    fn flags_never_overlap_and_poles_cross_no_text_below() {
        // Five milestones within four minutes: a staircase of lanes.
        let svg = draw(&input(
            &[
                ("2026-11-03T10:00:00Z", Some("impact-start")),
                ("2026-11-03T10:01:00Z", Some("detected")),
                ("2026-11-03T10:02:00Z", Some("acknowledge")),
                ("2026-11-03T10:03:00Z", Some("mitigate")),
                ("2026-11-03T10:04:00Z", Some("verify-resolution")),
                ("2026-11-03T10:30:00Z", None),
            ],
            &[],
        ))
        .unwrap();
        let m = &svg.milestones;
        assert_eq!(m.len(), 5);
        for (i, a) in m.iter().enumerate() {
            for b in &m[i + 1..] {
                assert!(
                    !texts_overlap(&a.label, &b.label, LABEL_FONT),
                    "{a:?} / {b:?}"
                );
            }
            // A pole from a higher lane passes no label below it.
            for b in m.iter().filter(|b| b.label.y > a.label.y) {
                let w = text_width(&b.label.text, LABEL_FONT);
                let (l, r) = (b.label.x, b.label.x + w);
                assert!(!(l < a.pole.x1 && a.pole.x1 < r), "{a:?} crosses {b:?}");
            }
        }
        // Earlier milestones sit higher.
        assert!(m.windows(2).all(|w| w[0].label.y < w[1].label.y));
        // Poles run from the label down to the diamond.
        assert!(m.iter().all(|f| f.pole.y2 == r1(svg.center_y - DIAMOND)));
    }

    #[test]
    fn lanes_stagger_only_what_collides() {
        let flags = [
            Flag {
                x: 100.0,
                width: 100.0,
            },
            Flag {
                x: 150.0,
                width: 100.0,
            },
            Flag {
                x: 600.0,
                width: 100.0,
            },
        ];
        assert_eq!(assign_lanes(&flags), vec![1, 0, 0]);
        // Near the right edge a flag's text runs left of its pole.
        let edge = Flag {
            x: 990.0,
            width: 100.0,
        };
        assert!(edge.flipped());
        assert_eq!(edge.anchor(), "end");
        assert_eq!(assign_lanes(&[]), Vec::<usize>::new());
    }

    #[test]
    fn a_single_event_sits_in_the_middle_of_an_hour() {
        let svg = draw(&input(&[("2026-11-03T14:02:00Z", Some("detected"))], &[])).unwrap();
        assert_eq!(xs(&svg), vec![500.0]);
        assert!(svg.events[0].milestone);
        assert!(
            svg.ticks
                .iter()
                .any(|t| t.label.text == "14:02" && t.x == 500.0)
        );
        assert_eq!(
            svg.desc,
            "Timeline of 1 event at 14:02 UTC on 2026-11-03; no gap longer than 30m."
        );
        assert!(svg.gaps.is_empty() && svg.breaks.is_empty());
    }

    #[test]
    fn events_at_one_instant_share_one_marker() {
        let svg = draw(&input(
            &[
                ("2026-11-03T14:02:00Z", Some("impact-start")),
                ("2026-11-03T14:02:00Z", Some("detected")),
                ("2026-11-03T14:02:00Z", None),
            ],
            &[],
        ))
        .unwrap();
        assert_eq!(svg.events.len(), 1);
        assert_eq!(svg.events[0].title.matches("\n– ").count(), 3);
        assert_eq!(svg.milestones.len(), 2);
        assert!(svg.desc.starts_with("Timeline of 3 events at 14:02 UTC"));
    }

    #[test]
    fn no_events_no_drawing() {
        assert!(draw(&input(&[], &[])).is_none());
    }

    #[test]
    fn numbers_are_rounded_and_inside_the_drawing() {
        let svg = draw(&input(
            &[
                ("2026-11-03T10:00:00Z", Some("impact-start")),
                ("2026-11-03T10:07:13Z", Some("detected")),
                ("2026-11-03T10:19:59Z", None),
                ("2026-11-04T03:00:01Z", Some("verify-resolution")),
            ],
            &[("2026-11-03T10:19:59Z", "2026-11-04T03:00:01Z", None)],
        ))
        .unwrap();
        for n in numbers(&svg) {
            assert_eq!(
                (n * 10.0).round(),
                n * 10.0,
                "{n} has more than one decimal"
            );
            assert!((-0.0..=WIDTH).contains(&n) || n <= svg.height, "{n}");
        }
        let x = xs(&svg);
        assert!(x.windows(2).all(|w| w[0] < w[1]));
        assert!(x.iter().all(|x| (PAD_X..=PAD_X + TRACK).contains(x)));
    }

    #[test]
    fn local_ticks_and_days_follow_the_zone() {
        let mut i = input(
            &[
                ("2026-11-03T22:00:00Z", None),
                ("2026-11-03T23:30:00Z", None),
            ],
            &[],
        );
        i.tz = TimeZone::get("Europe/Berlin").unwrap();
        i.zone_name = "Europe/Berlin".into();
        let svg = draw(&i).unwrap();
        // 23:00 to 00:30 in Berlin: the day changes at the 00:00 tick.
        let labelled: Vec<(String, Option<String>)> = svg
            .ticks
            .iter()
            .map(|t| {
                (
                    t.label.text.clone(),
                    t.date.as_ref().map(|d| d.text.clone()),
                )
            })
            .collect();
        assert!(labelled.contains(&("23:00".into(), Some("3 Nov".into()))));
        assert!(labelled.contains(&("00:00".into(), Some("4 Nov".into()))));
        assert_eq!(svg.zone.text, "Times in Europe/Berlin (CET)");
    }

    #[test]
    fn choose_breaks_takes_the_longest_silences_first_and_stops() {
        let h = 3600;
        // Ten-minute steps around a 3-day silence: only it is broken.
        let s = [600, 600, 600, 72 * h, 600, 600];
        assert_eq!(
            choose_breaks(&s, 1800),
            vec![false, false, false, true, false, false]
        );
        // Short silences are never broken, however crowded.
        assert_eq!(choose_breaks(&[60, 60, 50 * 60], 1800), vec![false; 3]);
        // Never the last silence drawn to scale.
        assert_eq!(choose_breaks(&[10 * h], 1800), vec![false]);
        assert_eq!(choose_breaks(&[], 1800), Vec::<bool>::new());
    }

    /// An incident read the way `pm build` reads it, with its analysis.
    fn analysed(front: &str) -> (Incident, Analysis) {
        let incident = crate::analysis::test_incident(front);
        let analysis = crate::analysis::analyze_incident(
            &incident,
            &crate::config::Config::default(),
            &crate::markdown::Markdown::new(),
            crate::markdown::Depth::Outline,
        );
        (incident, analysis)
    }

    #[test]
    fn events_written_out_of_order_are_drawn_in_time_order() {
        let (incident, analysis) = analysed(
            r#"
[[timeline]]
at = 2026-11-03T10:00:00Z
text = "impact"
step = "impact-start"
[[timeline]]
at = 2026-11-03T10:40:00Z
text = "**fixed**"
step = "mitigate"
[[timeline]]
at = 2026-11-03T10:10:00Z
text = "paged, written late"
step = "detected"
"#,
        );
        let md = crate::markdown::Markdown::new();
        let html: Vec<String> = incident
            .timeline
            .iter()
            .map(|e| md.inline(&e.text))
            .collect();
        let svg = layout(&incident, &analysis, &html).unwrap();
        assert_eq!(svg.events.len(), 3);
        let x = xs(&svg);
        assert!(x.windows(2).all(|w| w[0] < w[1]), "{x:?}");
        assert!(svg.events[1].title.ends_with("paged, written late"));
        assert!(svg.events[2].title.contains("Mitigated"));
        assert!(svg.events[2].title.ends_with("fixed"));
        // The 30-minute silence is not longer than the threshold: no gap.
        assert!(svg.gaps.is_empty());
        let steps: Vec<&str> = svg.milestones.iter().map(|m| m.step).collect();
        assert_eq!(steps, vec!["impact-start", "detected", "mitigate"]);
    }

    #[test]
    fn an_incident_without_events_has_no_drawing() {
        let (incident, analysis) = analysed("");
        assert!(layout(&incident, &analysis, &[]).is_none());
    }

    #[test]
    fn tooltips_keep_the_text_a_reader_sees() {
        assert_eq!(
            html_text(
                "Pool at <code>20</code> &amp; <strong>falling</strong> &lt;b&gt; &#39;x&#39;"
            ),
            "Pool at 20 & falling <b> 'x'"
        );
        assert_eq!(html_text("a &unknown; b & c &#x41;"), "a &unknown; b & c A");
        assert_eq!(html_text("<a href=\"x\">link</a>\n text"), "link text");
        assert_eq!(html_text("&#xD800; &"), "&#xD800; &");
    }
}
