//! The shapes of a trend chart and the geometry shared by the three charts:
//! canvases, plot frames, axes (linear, and logarithmic for durations),
//! axis labels, bar columns with their printed values, and value labels
//! placed where neither the line nor another label runs through them.
//!
//! Every number is rounded to a tenth of a unit so output is byte-stable.
//! Colours are never chosen here: shapes carry CSS classes.

use serde::Serialize;

/// Rounds to a tenth, never giving `-0.0`.
pub(super) fn r1(x: f64) -> f64 {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A number as SVG attribute text: `12`, `12.5`.
pub(super) fn num(x: f64) -> String {
    format!("{}", r1(x))
}

/// The size a chart is drawn at, and the CSS class that shows it: every
/// chart has a wide drawing and a compact one for phones, and the style
/// sheet shows one of them by the screen's width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Canvas {
    /// `viewBox` width.
    pub width: f64,
    /// `viewBox` height.
    pub height: f64,
    /// `is-wide` or `is-compact`.
    pub class: &'static str,
}

/// The incidents-per-month chart, across the page.
pub const WIDE: Canvas = Canvas {
    width: 1100.0,
    height: 240.0,
    class: "is-wide",
};

/// The two charts side by side.
pub const NARROW: Canvas = Canvas {
    width: 560.0,
    height: 240.0,
    class: "is-wide",
};

/// Every chart on a phone: drawn about the size it is shown (a 390 px
/// screen leaves about 330 px), so 12 px text stays 11 px or more.
pub const COMPACT: Canvas = Canvas {
    width: 340.0,
    height: 220.0,
    class: "is-compact",
};

/// How many of the newest months a compact drawing shows; its note says
/// that the data table has every month.
pub const COMPACT_MONTHS: usize = 12;

const MARGIN_LEFT: f64 = 44.0;
const MARGIN_RIGHT: f64 = 12.0;
const MARGIN_TOP: f64 = 20.0;
const MARGIN_BOTTOM: f64 = 40.0;

/// The drawing area inside a chart's margins.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Frame {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Right edge (`x + width`).
    pub right: f64,
    /// Bottom edge (`y + height`), the zero line.
    pub bottom: f64,
}

/// The plot area of `canvas`.
pub(super) fn frame(canvas: Canvas) -> Frame {
    let width = canvas.width - MARGIN_LEFT - MARGIN_RIGHT;
    let height = canvas.height - MARGIN_TOP - MARGIN_BOTTOM;
    Frame {
        x: MARGIN_LEFT,
        y: MARGIN_TOP,
        width,
        height,
        right: MARGIN_LEFT + width,
        bottom: MARGIN_TOP + height,
    }
}

/// A horizontal grid line with its value label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tick {
    /// Vertical position.
    pub y: f64,
    /// Right end of the label (left of the plot).
    pub label_x: f64,
    /// The value it marks, as shown.
    pub label: String,
}

/// A label under the horizontal axis; `year` is a second line under the
/// first column and at every change of year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisLabel {
    /// Horizontal centre.
    pub x: f64,
    /// Baseline of the first line.
    pub y: f64,
    /// `Mar`, `Q2`.
    pub text: String,
    /// The year, when shown.
    pub year: Option<String>,
    /// Baseline of the year line.
    pub year_y: f64,
}

/// A rectangle: a bar or a stacked segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// CSS class (its colour).
    pub class: String,
    /// Tooltip: what the bar stands for, in words.
    pub title: String,
}

/// A bar, or a stack of bars, with its value printed above it: a reader
/// on a touch screen needs no hover to read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// The rectangles, bottom up.
    pub bars: Vec<Bar>,
    /// The value as printed.
    pub value: String,
    /// Horizontal centre of the value.
    pub value_x: f64,
    /// Baseline of the value.
    pub value_y: f64,
    /// The value is not printed: the column is too narrow beside its
    /// neighbours (see `thin_column_values`); the data table has it.
    pub thinned: bool,
}

/// A line through consecutive points, as an SVG `points` list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// `x,y x,y ...`.
    pub points: String,
    /// CSS class.
    pub class: String,
}

/// A data point with its value label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Radius.
    pub r: f64,
    /// CSS class.
    pub class: String,
    /// Tooltip.
    pub title: String,
    /// The value as shown next to the point.
    pub label: String,
    /// Horizontal centre of the label.
    pub label_x: f64,
    /// Baseline of the label.
    pub label_y: f64,
}

/// One drawing of a chart at one [`Canvas`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drawing {
    /// The canvas's CSS class (`is-wide`, `is-compact`).
    pub class: &'static str,
    /// `viewBox` width.
    pub width: f64,
    /// `viewBox` height.
    pub height: f64,
    /// The plot area.
    pub plot: Frame,
    /// Horizontal grid lines, bottom up.
    pub y_ticks: Vec<Tick>,
    /// Labels under the axis.
    pub x_labels: Vec<AxisLabel>,
    /// Bars with their values.
    pub columns: Vec<Column>,
    /// Lines.
    pub lines: Vec<Line>,
    /// Points.
    pub points: Vec<Point>,
    /// A sentence shown above the drawing (the scale, or what a compact
    /// drawing leaves out); empty for none.
    pub note: String,
}

impl Drawing {
    /// A drawing on `canvas` with nothing in it yet.
    pub fn on(canvas: Canvas) -> Drawing {
        Drawing {
            class: canvas.class,
            width: canvas.width,
            height: canvas.height,
            plot: frame(canvas),
            y_ticks: Vec::new(),
            x_labels: Vec::new(),
            columns: Vec::new(),
            lines: Vec::new(),
            points: Vec::new(),
            note: String::new(),
        }
    }

    /// Every bar, in column order.
    pub fn bars(&self) -> impl Iterator<Item = &Bar> {
        self.columns.iter().flat_map(|c| &c.bars)
    }
}

/// A "nice" axis for values up to `max`: the top of the axis and the step
/// between grid lines, a 1, 2 or 5 times a power of ten, at least 1, giving
/// at most `target` steps. Counts get integer steps, and an axis no higher
/// than its largest value rounded up to a step (every bar at 1 gives 0..1).
pub fn nice_axis(max: f64, target: usize) -> (f64, f64) {
    let target = target.max(1) as f64;
    if !max.is_finite() || max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / target;
    let mut step = 1.0_f64;
    'search: for exp in 0..12 {
        let p = 10f64.powi(exp);
        for m in [1.0, 2.0, 5.0] {
            if m * p >= raw {
                step = m * p;
                break 'search;
            }
        }
    }
    let top = (max / step).ceil() * step;
    (top.max(step), step)
}

/// Grid lines from 0 to `top` every `step`.
pub(super) fn linear_ticks(
    plot: &Frame,
    top: f64,
    step: f64,
    label: impl Fn(f64) -> String,
) -> Vec<Tick> {
    let n = (top / step).round() as i64;
    (0..=n.clamp(0, 20))
        .map(|i| {
            let v = i as f64 * step;
            Tick {
                y: r1(plot.bottom - v / top * plot.height),
                label_x: r1(plot.x - 6.0),
                label: label(v),
            }
        })
        .collect()
}

/// Labels under columns of width `band`: thinned to every k-th column when
/// columns are narrow; the year under the first label shown and under the
/// first label of each new year.
pub(super) fn column_labels<T: Copy>(
    plot: &Frame,
    columns: &[T],
    band: f64,
    text: impl Fn(T) -> String,
    year: impl Fn(T) -> i16,
) -> Vec<AxisLabel> {
    let every = if band >= 26.0 {
        1
    } else {
        (26.0 / band).ceil().max(1.0) as usize
    };
    // Thin from the newest column back, so the newest month is labelled.
    let offset = columns.len().saturating_sub(1) % every;
    let mut out = Vec::new();
    let mut last_year = None;
    for (i, c) in columns.iter().enumerate().skip(offset).step_by(every) {
        let y = year(*c);
        let new_year = last_year != Some(y);
        last_year = Some(y);
        out.push(AxisLabel {
            x: r1(plot.x + band * (i as f64 + 0.5)),
            y: r1(plot.bottom + 15.0),
            text: text(*c),
            year: new_year.then(|| y.to_string()),
            year_y: r1(plot.bottom + 30.0),
        });
    }
    out
}

/// A column of stacked `(value, class, title)` segments centred in band
/// `i`, `width` wide, on an axis from 0 to `top`, with `value` printed
/// above it. Zero segments draw nothing; a zero column prints nothing.
pub(super) fn column(
    plot: &Frame,
    centre: f64,
    width: f64,
    top: f64,
    segments: &[(usize, String, String)],
) -> Option<Column> {
    let total: usize = segments.iter().map(|s| s.0).sum();
    if total == 0 {
        return None;
    }
    let mut below = 0usize;
    let mut bars = Vec::new();
    for (n, class, title) in segments {
        if *n == 0 {
            continue;
        }
        let y0 = plot.bottom - below as f64 / top * plot.height;
        let y1 = plot.bottom - (below + n) as f64 / top * plot.height;
        bars.push(Bar {
            x: r1(centre - width / 2.0),
            y: r1(y1),
            width: r1(width),
            height: r1(y0 - y1),
            class: class.clone(),
            title: title.clone(),
        });
        below += n;
    }
    let top_y = plot.bottom - total as f64 / top * plot.height;
    Some(Column {
        bars,
        value: total.to_string(),
        value_x: r1(centre),
        value_y: r1(top_y - 4.0),
        thinned: false,
    })
}

/// A straight piece of a drawn line, from one point to the next.
pub(super) type Segment = ((f64, f64), (f64, f64));

/// A box a label takes, `(left, top, right, bottom)`.
type Rect = (f64, f64, f64, f64);

/// Roughly how wide a value label is at the charts' 11.5 px bold type.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.8
}

/// Whether the segment from `a` to `b` crosses `rect` (Liang–Barsky).
fn segment_hits(a: (f64, f64), b: (f64, f64), rect: Rect) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0_f64;
    let mut t1 = 1.0_f64;
    for (p, q) in [
        (-dx, a.0 - rect.0),
        (dx, rect.2 - a.0),
        (-dy, a.1 - rect.1),
        (dy, rect.3 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// Leaves out the printed values of columns too close to fit them: from
/// the newest column back, a value whose box would touch the last one kept
/// is dropped and its column marked `thinned` (the chart's data table still
/// gives it). A long window of narrow columns then reads as bars with the
/// values that fit, never as overlapping digits.
pub(super) fn thin_column_values(columns: &mut [Column]) {
    let mut kept: Option<Rect> = None;
    for c in columns.iter_mut().rev() {
        let w = text_width(&c.value);
        let r = (
            c.value_x - w / 2.0 - 1.0,
            c.value_y - 11.0,
            c.value_x + w / 2.0 + 1.0,
            c.value_y + 3.0,
        );
        if kept.is_some_and(|k| overlaps(k, r)) {
            c.value.clear();
            c.thinned = true;
        } else {
            kept = Some(r);
        }
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Places each point's label above, below or beside it, taking the
/// first place that no line segment, point and already placed label runs
/// through and that stays inside the drawing; above when none is free.
pub(super) fn place_point_labels(
    points: &mut [Point],
    segments: &[Segment],
    width: f64,
    plot: &Frame,
) {
    let centres: Vec<(f64, f64, f64)> = points.iter().map(|p| (p.x, p.y, p.r)).collect();
    let mut placed: Vec<Rect> = Vec::new();
    for p in points.iter_mut() {
        let w = text_width(&p.label);
        let side = w / 2.0 + 4.0;
        let candidates = [
            (p.x, p.y - 9.0),
            (p.x, p.y + 19.0),
            (p.x - side, p.y - 7.0),
            (p.x + side, p.y + 17.0),
            (p.x + side, p.y - 7.0),
            (p.x - side, p.y + 17.0),
            (p.x + side + 4.0, p.y + 4.0),
            (p.x - side - 4.0, p.y + 4.0),
            (p.x, p.y - 22.0),
            (p.x, p.y + 32.0),
        ];
        let rect_of = |(cx, base): (f64, f64)| {
            (
                cx - w / 2.0 - 2.0,
                base - 11.0,
                cx + w / 2.0 + 2.0,
                base + 3.0,
            )
        };
        let free = |(cx, base): (f64, f64)| {
            let r = rect_of((cx, base));
            r.0 >= plot.x
                && r.2 <= width
                && r.1 >= 0.0
                && r.3 <= plot.bottom
                && !segments.iter().any(|(a, b)| segment_hits(*a, *b, r))
                && !placed.iter().any(|o| overlaps(*o, r))
                && !centres
                    .iter()
                    .any(|(x, y, rad)| overlaps((x - rad, y - rad, x + rad, y + rad), r))
        };
        let (cx, base) = candidates
            .into_iter()
            .find(|c| free(*c))
            .unwrap_or_else(|| {
                let left = plot.x + w / 2.0 + 2.0;
                (
                    p.x.clamp(left, (width - w / 2.0 - 2.0).max(left)),
                    p.y - 9.0,
                )
            });
        placed.push(rect_of((cx, base)));
        p.label_x = r1(cx);
        p.label_y = r1(base);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// [`segment_hits`], for the chart tests.
    pub(in crate::render::trends) fn hits(a: (f64, f64), b: (f64, f64), rect: Rect) -> bool {
        segment_hits(a, b, rect)
    }

    #[test]
    fn values_of_columns_too_close_are_left_out_from_the_newest_back() {
        let col = |x: f64| Column {
            bars: Vec::new(),
            value: "14".to_owned(),
            value_x: x,
            value_y: 50.0,
            thinned: false,
        };
        let mut columns = vec![col(10.0), col(15.0), col(40.0), col(45.0)];
        thin_column_values(&mut columns);
        let printed: Vec<bool> = columns.iter().map(|c| !c.value.is_empty()).collect();
        assert_eq!(printed, [false, true, false, true]);
        assert!(columns[0].thinned && !columns[1].thinned);
    }

    #[test]
    fn a_segment_through_a_box_hits_it_and_one_beside_it_does_not() {
        let r = (10.0, 10.0, 20.0, 20.0);
        assert!(segment_hits((0.0, 0.0), (30.0, 30.0), r));
        assert!(segment_hits((15.0, 15.0), (40.0, 0.0), r));
        assert!(!segment_hits((0.0, 25.0), (30.0, 25.0), r));
        assert!(!segment_hits((0.0, 0.0), (5.0, 30.0), r));
    }
}
