//! Trend charts of the index page, laid out in Rust and drawn by templates
//! as inline SVG.
//!
//! Three charts: incidents per month stacked by severity, the median time to
//! resolve per quarter, and action items opened vs closed per month. This
//! module computes every shape's position (serialize-only structs, numbers
//! rounded to a tenth of a unit so output is byte-stable), the `<title>` and
//! `<desc>` text and a data table for each chart; templates only place them.
//! Colours are never chosen here: shapes carry CSS classes
//! (`chart-sev-1`, `chart-opened`, ...), so dark mode and print restyle them.
//!
//! Time comes from records and the build's "today" only: the month window
//! ends at the later of the newest incident and today's month, and spans at
//! most [`MAX_MONTHS`] months.

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use super::cx::ViewCx;
use super::listing::start_date;
use crate::analysis::median;
use crate::humanize as format;

/// The most months a chart shows (the newest ones).
pub const MAX_MONTHS: usize = 24;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

impl Month {
    /// The month a day falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    fn from_index(i: i32) -> Month {
        Month {
            year: i16::try_from(i.div_euclid(12)).unwrap_or(i16::MAX),
            month: i8::try_from(i.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    fn short(self) -> &'static str {
        let name = self.long();
        name.get(..3).unwrap_or(name)
    }

    fn long(self) -> &'static str {
        MONTHS
            .get(usize::try_from(self.month - 1).unwrap_or(0))
            .copied()
            .unwrap_or("")
    }

    /// `March 2026`.
    fn name(self) -> String {
        format!("{} {}", self.long(), self.year)
    }

    /// 1 to 4.
    fn quarter(self) -> i8 {
        (self.month - 1) / 3 + 1
    }
}

/// The months the charts cover: from the first dated incident (at most
/// [`MAX_MONTHS`] back) to the later of the newest incident and `today`.
/// Empty when no incident has a date.
pub fn month_window(dates: &[Date], today: Date) -> Vec<Month> {
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Vec::new();
    };
    let end = Month::of(*last).max(Month::of(today)).index();
    let max_back = i32::try_from(MAX_MONTHS).unwrap_or(24) - 1;
    let start = Month::of(*first).index().max(end - max_back);
    (start..=end).map(Month::from_index).collect()
}

/// Rounds to a tenth, never giving `-0.0`.
fn r1(x: f64) -> f64 {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A number as SVG attribute text: `12`, `12.5`.
fn num(x: f64) -> String {
    format!("{}", r1(x))
}

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

/// A line through consecutive points, as an SVG `points` list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// `x,y x,y ...`.
    pub points: String,
    /// CSS class.
    pub class: String,
}

/// A data point with an optional value label above it.
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
    /// Baseline of the label.
    pub label_y: f64,
}

/// A legend entry: a swatch of `class` and its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendItem {
    /// CSS class of the swatch.
    pub class: String,
    /// What it stands for.
    pub label: String,
}

/// The chart's numbers as a table, for screen readers and for anyone who
/// wants the figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataTable {
    /// Column headings; the first column holds row headings.
    pub head: Vec<String>,
    /// Rows of cells, as shown.
    pub rows: Vec<Vec<String>>,
}

/// One positioned chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Element id prefix, unique on the page.
    pub id: &'static str,
    /// Short title (the `<title>` and the caption).
    pub title: String,
    /// What the chart shows, in sentences (the `<desc>`).
    pub desc: String,
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
    /// Bars.
    pub bars: Vec<Bar>,
    /// Lines.
    pub lines: Vec<Line>,
    /// Points.
    pub points: Vec<Point>,
    /// Legend entries (shown as HTML beside the drawing).
    pub legend: Vec<LegendItem>,
    /// The figures.
    pub table: DataTable,
    /// Nothing to draw: the template says so instead of drawing axes.
    pub empty: bool,
}

/// The index page's trend charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    /// In page order.
    pub charts: Vec<Chart>,
    /// `March 2025 to November 2026`, or empty without dated incidents.
    pub period: String,
}

const HEIGHT: f64 = 240.0;
const MARGIN_LEFT: f64 = 44.0;
const MARGIN_RIGHT: f64 = 12.0;
const MARGIN_TOP: f64 = 18.0;
const MARGIN_BOTTOM: f64 = 40.0;
/// Width of the wide chart (incidents per month).
pub const WIDE: f64 = 1100.0;
/// Width of the two narrower charts.
pub const NARROW: f64 = 560.0;

fn frame(width: f64) -> Frame {
    let plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
    let plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
    Frame {
        x: MARGIN_LEFT,
        y: MARGIN_TOP,
        width: plot_w,
        height: plot_h,
        right: MARGIN_LEFT + plot_w,
        bottom: MARGIN_TOP + plot_h,
    }
}

/// A "nice" axis for values up to `max`: the top of the axis and the step
/// between grid lines, a 1, 2 or 5 times a power of ten, at least 1, giving
/// at most `target` steps.
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

fn ticks(plot: &Frame, top: f64, step: f64, label: impl Fn(f64) -> String) -> Vec<Tick> {
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
fn column_labels<T: Copy>(
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
    let mut out = Vec::new();
    let mut last_year = None;
    for (i, c) in columns.iter().enumerate().step_by(every) {
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

fn empty_chart(id: &'static str, title: &str, width: f64, head: Vec<String>) -> Chart {
    Chart {
        id,
        title: title.to_owned(),
        desc: "No dated incidents yet, so there is nothing to chart.".to_owned(),
        width,
        height: HEIGHT,
        plot: frame(width),
        y_ticks: Vec::new(),
        x_labels: Vec::new(),
        bars: Vec::new(),
        lines: Vec::new(),
        points: Vec::new(),
        legend: Vec::new(),
        table: DataTable {
            head,
            rows: Vec::new(),
        },
        empty: true,
    }
}

/// The CSS class of a severity by its 1-based rank (5 and past share one).
fn severity_class(rank: usize) -> String {
    format!("chart-sev-{}", rank.clamp(1, 5))
}

/// Incidents per month, stacked by severity (worst at the bottom).
/// `incidents` holds each dated incident's start day and 0-based severity
/// index into `severities`.
pub fn incidents_per_month(
    severities: &[String],
    incidents: &[(Date, usize)],
    window: &[Month],
) -> Chart {
    let id = "trend-incidents";
    let title = "Incidents per month, by severity";
    let mut head = vec!["Month".to_owned()];
    head.extend(severities.iter().cloned());
    head.push("Total".to_owned());
    if window.is_empty() {
        return empty_chart(id, title, WIDE, head);
    }
    let first = window[0].index();
    let mut counts = vec![vec![0usize; severities.len()]; window.len()];
    for (date, sev) in incidents {
        let i = Month::of(*date).index() - first;
        if let (Ok(i), true) = (usize::try_from(i), *sev < severities.len())
            && let Some(row) = counts.get_mut(i)
        {
            row[*sev] += 1;
        }
    }
    let totals: Vec<usize> = counts.iter().map(|r| r.iter().sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let plot = frame(WIDE);
    // At least 0..2: a lone 1 would otherwise fill the whole height.
    let (top, step) = nice_axis((max as f64).max(2.0), 4);
    let band = plot.width / window.len() as f64;
    let bar_w = band * 0.7;
    let mut bars = Vec::new();
    for (i, (month, row)) in window.iter().zip(&counts).enumerate() {
        let mut below = 0usize;
        for (s, n) in row.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let y0 = plot.bottom - below as f64 / top * plot.height;
            let y1 = plot.bottom - (below + n) as f64 / top * plot.height;
            bars.push(Bar {
                x: r1(plot.x + band * i as f64 + (band - bar_w) / 2.0),
                y: r1(y1),
                width: r1(bar_w),
                height: r1(y0 - y1),
                class: severity_class(s + 1),
                title: format!("{}: {} {}", month.name(), n, severities[s]),
            });
            below += n;
        }
    }
    let total: usize = totals.iter().sum();
    let busiest = totals
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .filter(|(_, n)| **n > 0);
    let mut desc = format!(
        "Bar chart of incidents per month from {} to {}, each bar split by severity, worst at the bottom. {} in total",
        window[0].name(),
        window[window.len() - 1].name(),
        format::plural(total, "incident"),
    );
    if let Some((i, n)) = busiest {
        desc.push_str(&format!(
            "; the busiest month was {} with {n}.",
            window[i].name()
        ));
    } else {
        desc.push('.');
    }
    let quiet = totals.iter().filter(|n| **n == 0).count();
    if quiet > 0 {
        desc.push_str(&format!(
            " {} without incidents.",
            format::plural(quiet, "month")
        ));
    }
    Chart {
        id,
        title: title.to_owned(),
        desc,
        width: WIDE,
        height: HEIGHT,
        y_ticks: ticks(&plot, top, step, |v| format!("{v}")),
        x_labels: column_labels(&plot, window, band, |m| m.short().to_owned(), |m| m.year),
        bars,
        lines: Vec::new(),
        points: Vec::new(),
        legend: severities
            .iter()
            .enumerate()
            .map(|(s, label)| LegendItem {
                class: severity_class(s + 1),
                label: label.clone(),
            })
            .collect(),
        table: DataTable {
            head,
            rows: window
                .iter()
                .zip(&counts)
                .zip(&totals)
                .map(|((m, row), t)| {
                    let mut cells = vec![m.name()];
                    cells.extend(row.iter().map(ToString::to_string));
                    cells.push(t.to_string());
                    cells
                })
                .collect(),
        },
        plot,
        empty: false,
    }
}

/// A quarter: its year and number (1 to 4).
type Quarter = (i16, i8);

/// `Q3 2026`.
fn name_of(q: Quarter) -> String {
    format!("Q{} {}", q.1, q.0)
}

fn quarters(window: &[Month]) -> Vec<Quarter> {
    let mut out: Vec<Quarter> = Vec::new();
    for m in window {
        let q = (m.year, m.quarter());
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    out
}

/// The unit a duration axis is labelled in: seconds per unit and suffix.
fn duration_unit(max_secs: f64) -> (f64, &'static str) {
    if max_secs < 2.0 * 3600.0 {
        (60.0, "m")
    } else if max_secs < 72.0 * 3600.0 {
        (3600.0, "h")
    } else {
        (86_400.0, "d")
    }
}

/// The median time to resolve per quarter, as points joined by a line
/// (broken where a quarter has no measured incident). `incidents` holds each
/// dated incident's start day and time to resolve, if measured.
pub fn resolve_per_quarter(
    incidents: &[(Date, Option<SignedDuration>)],
    window: &[Month],
) -> Chart {
    let id = "trend-resolve";
    let title = "Median time to resolve, per quarter";
    let head = vec![
        "Quarter".to_owned(),
        "Median time to resolve".to_owned(),
        "Measured".to_owned(),
    ];
    if window.is_empty() {
        return empty_chart(id, title, NARROW, head);
    }
    let qs = quarters(window);
    let mut values: Vec<Vec<SignedDuration>> = vec![Vec::new(); qs.len()];
    let mut counts = vec![0usize; qs.len()];
    for (date, resolve) in incidents {
        let m = Month::of(*date);
        if m < window[0] || m > window[window.len() - 1] {
            continue;
        }
        if let Some(i) = qs.iter().position(|q| *q == (m.year, m.quarter())) {
            counts[i] += 1;
            if let Some(d) = resolve {
                values[i].push(*d);
            }
        }
    }
    let medians: Vec<Option<SignedDuration>> = values
        .iter_mut()
        .map(|v| median(v).filter(|d| !d.is_negative()))
        .collect();
    // One quarter far above the rest (a multi-day cleanup, say) would
    // flatten every other point onto the zero line: with three or more
    // points, a largest value over three times the next is drawn clipped at
    // the top edge instead, and the scale follows the others.
    let mut sorted: Vec<f64> = medians
        .iter()
        .flatten()
        .map(|d| d.as_secs() as f64)
        .collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let max_secs = match sorted.as_slice() {
        [a, b, _, ..] if *a > 3.0 * *b => *b,
        [a, ..] => *a,
        [] => 0.0,
    };
    let (unit, suffix) = duration_unit(max_secs);
    let plot = frame(NARROW);
    let (top, step) = nice_axis(max_secs / unit, 4);
    let mut clipped: Vec<String> = Vec::new();
    let band = plot.width / qs.len() as f64;
    let mut points = Vec::new();
    let mut lines = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for (i, (q, m)) in qs.iter().zip(&medians).enumerate() {
        let Some(d) = m else {
            if run.len() > 1 {
                lines.push(Line {
                    points: run.join(" "),
                    class: "chart-line".to_owned(),
                });
            }
            run.clear();
            continue;
        };
        let x = r1(plot.x + band * (i as f64 + 0.5));
        let value = d.as_secs() as f64 / unit;
        let off_scale = value > top;
        let y = r1(plot.bottom - value.min(top) / top * plot.height);
        run.push(format!("{},{}", num(x), num(y)));
        let shown = format::duration(*d);
        if off_scale {
            clipped.push(format!("{} ({shown})", name_of(*q)));
        }
        points.push(Point {
            x,
            y,
            r: 4.0,
            class: if off_scale {
                "chart-point is-clipped".to_owned()
            } else {
                "chart-point".to_owned()
            },
            title: format!(
                "Q{} {}: median {shown}, {}",
                q.1,
                q.0,
                format::from_n_of_m(values[i].len(), counts[i])
            ),
            label: if off_scale {
                format!("↑ {shown}")
            } else {
                shown
            },
            label_y: r1(y - 9.0),
        });
    }
    if run.len() > 1 {
        lines.push(Line {
            points: run.join(" "),
            class: "chart-line".to_owned(),
        });
    }
    let measured: Vec<(usize, SignedDuration)> = medians
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|d| (i, d)))
        .collect();
    let name = |i: usize| qs.get(i).map_or_else(String::new, |q| name_of(*q));
    let first = qs
        .first()
        .map_or_else(String::new, |q| format!("Q{} {}", q.1, q.0));
    let last = qs
        .last()
        .map_or_else(String::new, |q| format!("Q{} {}", q.1, q.0));
    let mut desc = format!(
        "Line chart of the median time to resolve per quarter, {first} to {last}, counting incidents whose timeline records both ends. "
    );
    match (
        measured.iter().min_by_key(|(_, d)| *d),
        measured.iter().max_by_key(|(_, d)| *d),
    ) {
        (Some((lo, dlo)), Some((hi, dhi))) if measured.len() > 1 => desc.push_str(&format!(
            "Shortest: {} in {}; longest: {} in {}.",
            format::duration(*dlo),
            name(*lo),
            format::duration(*dhi),
            name(*hi)
        )),
        (Some((i, d)), _) => desc.push_str(&format!(
            "Only {} has a measured incident: {}.",
            name(*i),
            format::duration(*d)
        )),
        _ => desc.push_str("No quarter has a measured incident."),
    }
    if !clipped.is_empty() {
        desc.push_str(&format!(
            " Off the scale, drawn at the top edge: {}.",
            clipped.join(", ")
        ));
    }
    let gaps = qs.len() - measured.len();
    if gaps > 0 && !measured.is_empty() {
        desc.push_str(&format!(
            " {} without a measured incident {} no point.",
            format::plural(gaps, "quarter"),
            if gaps == 1 { "has" } else { "have" }
        ));
    }
    Chart {
        id,
        title: title.to_owned(),
        desc,
        width: NARROW,
        height: HEIGHT,
        y_ticks: ticks(&plot, top, step, |v| format!("{v}{suffix}")),
        x_labels: column_labels(&plot, &qs, band, |q| format!("Q{}", q.1), |q| q.0),
        bars: Vec::new(),
        lines,
        points,
        legend: Vec::new(),
        table: DataTable {
            head,
            rows: qs
                .iter()
                .zip(&medians)
                .enumerate()
                .map(|(i, (q, m))| {
                    vec![
                        format!("Q{} {}", q.1, q.0),
                        m.map_or_else(|| "—".to_owned(), format::duration),
                        format::from_n_of_m(values[i].len(), counts[i]),
                    ]
                })
                .collect(),
        },
        plot,
        empty: false,
    }
}

/// Action items opened and closed per month, as pairs of bars. An item
/// counts as opened in the month its incident started (records carry no
/// opening date) and as closed in the month of its `closed` date;
/// `undated_closed` closed items without one are mentioned, not drawn.
pub fn actions_per_month(
    opened: &[Date],
    closed: &[Date],
    undated_closed: usize,
    window: &[Month],
) -> Chart {
    let id = "trend-actions";
    let title = "Action items opened and closed, per month";
    let head = vec!["Month".to_owned(), "Opened".to_owned(), "Closed".to_owned()];
    if window.is_empty() {
        return empty_chart(id, title, NARROW, head);
    }
    let first = window[0].index();
    let per_month = |dates: &[Date]| {
        let mut v = vec![0usize; window.len()];
        for d in dates {
            if let Ok(i) = usize::try_from(Month::of(*d).index() - first)
                && let Some(n) = v.get_mut(i)
            {
                *n += 1;
            }
        }
        v
    };
    let open_n = per_month(opened);
    let closed_n = per_month(closed);
    let max = open_n.iter().chain(&closed_n).copied().max().unwrap_or(0);
    let plot = frame(NARROW);
    // At least 0..2: a lone 1 would otherwise fill the whole height.
    let (top, step) = nice_axis((max as f64).max(2.0), 4);
    let band = plot.width / window.len() as f64;
    let bar_w = band * 0.38;
    let mut bars = Vec::new();
    for (i, m) in window.iter().enumerate() {
        for (k, (n, class, what)) in [
            (open_n[i], "chart-opened", "opened"),
            (closed_n[i], "chart-closed", "closed"),
        ]
        .into_iter()
        .enumerate()
        {
            if n == 0 {
                continue;
            }
            let h = n as f64 / top * plot.height;
            bars.push(Bar {
                x: r1(plot.x + band * i as f64 + band * 0.1 + bar_w * k as f64),
                y: r1(plot.bottom - h),
                width: r1(bar_w),
                height: r1(h),
                class: class.to_owned(),
                title: format!("{}: {} {what}", m.name(), plural_items(n)),
            });
        }
    }
    let opened_total: usize = open_n.iter().sum();
    let closed_total: usize = closed_n.iter().sum();
    let mut desc = format!(
        "Bar chart of action items per month from {} to {}: a bar for items opened (counted in the month their incident started) beside a bar for items closed. {} opened and {} closed in this period.",
        window[0].name(),
        window[window.len() - 1].name(),
        plural_items(opened_total),
        plural_items(closed_total),
    );
    if undated_closed > 0 {
        desc.push_str(&format!(
            " {} closed without a closed date {} not shown.",
            plural_items(undated_closed),
            if undated_closed == 1 { "is" } else { "are" }
        ));
    }
    Chart {
        id,
        title: title.to_owned(),
        desc,
        width: NARROW,
        height: HEIGHT,
        y_ticks: ticks(&plot, top, step, |v| format!("{v}")),
        x_labels: column_labels(&plot, window, band, |m| m.short().to_owned(), |m| m.year),
        bars,
        lines: Vec::new(),
        points: Vec::new(),
        legend: vec![
            LegendItem {
                class: "chart-opened".to_owned(),
                label: "Opened".to_owned(),
            },
            LegendItem {
                class: "chart-closed".to_owned(),
                label: "Closed".to_owned(),
            },
        ],
        table: DataTable {
            head,
            rows: window
                .iter()
                .enumerate()
                .map(|(i, m)| vec![m.name(), open_n[i].to_string(), closed_n[i].to_string()])
                .collect(),
        },
        plot,
        empty: false,
    }
}

fn plural_items(n: usize) -> String {
    format::plural(n, "item")
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
    let dates: Vec<Date> = dated.iter().map(|(d, _)| *d).collect();
    let window = month_window(&dates, cx.today);
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
