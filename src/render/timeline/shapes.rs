//! The drawing's units, sizes and shapes: what the template copies into SVG
//! elements, every coordinate already rounded ([`r1`]).

use serde::Serialize;

use crate::humanize::push_number;

/// Width of the drawing in viewBox units.
pub const WIDTH: f64 = 1000.0;
/// Space left and right of the track, for labels centred on its ends.
pub(super) const PAD_X: f64 = 40.0;
/// Width of the track the events are placed on.
pub(super) const TRACK: f64 = WIDTH - 2.0 * PAD_X;
/// Width of a silence drawn shorter than to scale.
pub(super) const BREAK_W: f64 = 72.0;
/// Breaks may take at most this share of the track.
pub(super) const BREAK_SHARE: f64 = 0.55;
/// A silence is only drawn as a break when it is at least this long.
pub(super) const BREAK_MIN_SECS: i64 = 3600;
/// Breaks are added until the typical distance between events (the lower
/// quartile) is this wide.
pub(super) const TARGET_SPACING: f64 = 24.0;
/// Ticks are at least this far apart.
pub(super) const MIN_TICK_GAP: f64 = 80.0;
/// A lone instant is drawn in the middle of a window this long each side.
pub(super) const LONE_HALF_SECS: i64 = 30 * 60;
/// Space above the label lanes.
pub(super) const PAD_TOP: f64 = 6.0;
/// Height of one lane of labels above the track.
pub(super) const LANE_H: f64 = 18.0;
/// Height of the band events sit on.
pub(super) const BAND_H: f64 = 48.0;
/// Font size of milestone and gap labels.
pub(super) const LABEL_FONT: f64 = 12.0;
/// Font size of tick labels, the legend and the zone caption.
pub(super) const SMALL_FONT: f64 = 11.0;
/// Average advance of a character, as a share of the font size.
pub(super) const CHAR_EM: f64 = 0.6;
/// Space between a flag's pole and its text.
pub(super) const FLAG_GAP: f64 = 4.0;
/// Half the size of a milestone diamond.
pub(super) const DIAMOND: f64 = 7.0;
/// Radius of an event dot.
pub(super) const DOT: f64 = 4.5;
/// Marks closer than this are drawn as one mark with a count: two diamonds
/// this far apart just touch.
pub(super) const CLUSTER_GAP: f64 = 2.0 * DIAMOND;
/// Radius of a mark that stands for several close events (room for a count).
pub(super) const CLUSTER_R: f64 = 8.0;
/// Font size of a cluster's count.
pub(super) const COUNT_FONT: f64 = 11.0;

/// The whole drawing: every shape already placed.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineSvg {
    /// viewBox width.
    #[serde(serialize_with = "number")]
    pub width: f64,
    /// viewBox height.
    #[serde(serialize_with = "number")]
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
    #[serde(serialize_with = "number")]
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
    /// The same lines as one SVG path each, for a lighter page: `grid`
    /// (every tick's grid line), `axis` (the axis pieces and the tick
    /// marks) and `breaks` (the strokes of every break).
    pub paths: Paths,
    /// Gaps: silences longer than the threshold inside the active window.
    pub gaps: Vec<GapShape>,
    /// Whether a gap is unexplained: only then does the drawing need the
    /// stripes it fills such gaps with.
    pub stripes: bool,
    /// One marker per instant with events.
    pub events: Vec<EventMark>,
    /// Milestone flags: pole and label.
    pub milestones: Vec<MilestoneFlag>,
    /// The time zone line under the axis.
    pub zone: TextAt,
    /// Legend entries.
    pub legend: Vec<LegendItem>,
}

/// Lines of one style as SVG path data (`M40 82V130M112 82V130`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Paths {
    /// The ticks' grid lines through the band.
    pub grid: String,
    /// The axis, broken at breaks, and the tick marks under it.
    pub axis: String,
    /// The two strokes of each break.
    pub breaks: String,
    /// The poles of the milestone flags, from each label down to its mark.
    pub poles: String,
}

impl Paths {
    /// The paths of these lines.
    pub(super) fn of(
        axis: &[Line],
        ticks: &[Tick],
        breaks: &[Break],
        flags: &[MilestoneFlag],
    ) -> Paths {
        // Each path is written into one string, each number straight into
        // it (`write!` goes through the formatter, about 900 instructions a
        // segment, session 15): a command letter or a space, then a whole number.
        let put = |o: &mut String, before: char, v: f64| {
            o.push(before);
            push_number(o, whole(v));
        };
        let line = |o: &mut String, l: &Line| {
            put(o, 'M', l.x1);
            put(o, ' ', l.y1);
            put(o, 'L', l.x2);
            put(o, ' ', l.y2);
        };
        let vertical = |o: &mut String, l: &Line| {
            put(o, 'M', l.x1);
            put(o, ' ', l.y1);
            put(o, 'V', l.y2);
        };
        let horizontal = |o: &mut String, l: &Line| {
            put(o, 'M', l.x1);
            put(o, ' ', l.y1);
            put(o, 'H', l.x2);
        };
        let mut paths = Paths::default();
        ticks
            .iter()
            .for_each(|t| vertical(&mut paths.grid, &t.grid));
        axis.iter().for_each(|l| horizontal(&mut paths.axis, l));
        ticks
            .iter()
            .for_each(|t| vertical(&mut paths.axis, &t.mark));
        (breaks.iter().flat_map(|b| &b.marks)).for_each(|l| line(&mut paths.breaks, l));
        flags
            .iter()
            .for_each(|f| vertical(&mut paths.poles, &f.pole));
        paths
    }
}

/// A rectangle.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[expect(missing_docs, reason = "SVG attributes")]
pub struct Rect {
    #[serde(serialize_with = "number")]
    pub x: f64,
    #[serde(serialize_with = "number")]
    pub y: f64,
    #[serde(serialize_with = "number")]
    pub width: f64,
    #[serde(serialize_with = "number")]
    pub height: f64,
}

/// A line segment.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[expect(missing_docs, reason = "SVG attributes")]
pub struct Line {
    #[serde(serialize_with = "number")]
    pub x1: f64,
    #[serde(serialize_with = "number")]
    pub y1: f64,
    #[serde(serialize_with = "number")]
    pub x2: f64,
    #[serde(serialize_with = "number")]
    pub y2: f64,
}

/// A text and where it goes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TextAt {
    /// The text (plain; Tera escapes it).
    pub text: String,
    /// Anchor point.
    #[serde(serialize_with = "number")]
    pub x: f64,
    /// Baseline.
    #[serde(serialize_with = "number")]
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
    /// Its ends and length alone (`07:29 → 08:38 (1h 9m)`), which the
    /// event table's caption gives.
    pub span: String,
}

/// A tick on the axis: mark, faint grid line through the band, and label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tick {
    /// Position on the axis.
    #[serde(serialize_with = "number")]
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

/// One instant with events, or several instants too close to tell apart,
/// drawn as one mark with a count.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventMark {
    /// Centre.
    #[serde(serialize_with = "number")]
    pub x: f64,
    /// Centre.
    #[serde(serialize_with = "number")]
    pub y: f64,
    /// Radius of the dot.
    #[serde(serialize_with = "number")]
    pub r: f64,
    /// Whether a milestone is at this instant (drawn as a diamond instead).
    pub milestone: bool,
    /// The diamond's corners, for a milestone.
    pub points: String,
    /// Whether the instant is outside the active window (drawn muted).
    pub outside: bool,
    /// How many events the mark stands for.
    pub count: usize,
    /// The count, written inside the mark, when it stands for more than one
    /// instant.
    pub count_label: Option<TextAt>,
    /// The time and the events' text, for tests only. Not on the page: the
    /// event table under the drawing gives every event in full; a tooltip
    /// per mark repeated it all, and building it for nothing was a tenth
    /// of the drawing's work (session 15).
    #[cfg(test)]
    #[serde(skip)]
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
    /// `event`, `cluster`, `milestone`, `outside`, `window`,
    /// `gap-unexplained`, `gap-explained`, `break`.
    pub kind: &'static str,
    /// The swatch's box.
    pub swatch: Rect,
    /// Centre of the swatch (for the event dot).
    #[serde(serialize_with = "number")]
    pub cx: f64,
    /// Centre of the swatch.
    #[serde(serialize_with = "number")]
    pub cy: f64,
    /// The diamond's corners (for the milestone swatch; empty for the
    /// others).
    pub points: String,
    /// Two strokes (for the break swatch).
    pub marks: [Line; 2],
    /// The word.
    pub label: TextAt,
}

/// Writes a coordinate as the page prints it: a whole number of viewBox
/// units (`40`, never `40.5`). The drawing is 1000 units wide and shown at
/// most about 1300 px wide, so half a unit is under a pixel, and a drawing
/// holds a few hundred numbers: every incident page carries them.
fn number<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(whole(*v))
}

/// Rounds to a whole unit, as the page prints coordinates; `0` for NaN or
/// infinities.
pub(super) fn whole(v: f64) -> i64 {
    if v.is_finite() && v.abs() < 1e15 {
        v.round() as i64
    } else {
        0
    }
}

/// Rounds to a tenth of a unit; never `-0`, never NaN.
pub(super) fn r1(v: f64) -> f64 {
    if !v.is_finite() {
        return 0.0;
    }
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Estimated width of a text at a font size. Symbols such as `⚠` are
/// about twice as wide as a letter.
pub(super) fn text_width(text: &str, font: f64) -> f64 {
    let units: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    units as f64 * font * CHAR_EM
}

/// The corners of a diamond around a centre, as SVG `points`.
pub(super) fn diamond(x: f64, y: f64, half: f64) -> String {
    // Through r1 first, as the mark's other numbers are: a count written
    // in the diamond sits on the same whole unit.
    let (x, y, h) = (whole(r1(x)), whole(r1(y)), whole(half));
    let mut out = String::with_capacity(32);
    let corners = [(x, y - h), (x + h, y), (x, y + h), (x - h, y)];
    for (i, (cx, cy)) in corners.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_number(&mut out, cx);
        out.push(',');
        push_number(&mut out, cy);
    }
    out
}
