//! The three trend charts of the index page, each computed once from the
//! records and drawn twice (wide, and compact for phones): incidents per
//! month stacked by severity, the median time to resolve per quarter, and
//! action items opened and closed per month. Every bar and point carries its
//! value as printed text, and every chart its figures as a data table.

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use super::draw::{
    COMPACT, COMPACT_MONTHS, Canvas, Drawing, Line, NARROW, Point, Segment, Tick, WIDE, column,
    column_labels, linear_ticks, nice_axis, num, place_point_labels, r1, thin_column_values,
};
use super::month::{Month, quarter_name, quarters};
use crate::analysis::median;
use crate::humanize as format;

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

/// One chart: what it shows, in words and figures, and its drawings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Element id prefix, unique on the page.
    pub id: &'static str,
    /// Short title (the `<title>` and the caption).
    pub title: String,
    /// What the chart shows, in sentences (the `<desc>`).
    pub desc: String,
    /// The wide drawing, then the compact one; the style sheet shows one.
    pub drawings: Vec<Drawing>,
    /// Legend entries (shown as HTML beside the drawing).
    pub legend: Vec<LegendItem>,
    /// The figures.
    pub table: DataTable,
    /// Nothing to draw: the template says so instead of drawing axes.
    pub empty: bool,
}

impl Chart {
    fn empty(id: &'static str, title: &str, head: Vec<String>) -> Chart {
        Chart {
            id,
            title: title.to_owned(),
            desc: "No dated incidents yet, so there is nothing to chart.".to_owned(),
            drawings: Vec::new(),
            legend: Vec::new(),
            table: DataTable {
                head,
                rows: Vec::new(),
            },
            empty: true,
        }
    }
}

/// How many of `len` columns a compact drawing leaves out (the oldest).
fn compact_skip(len: usize) -> usize {
    len.saturating_sub(COMPACT_MONTHS)
}

/// The note over a compact drawing that shows only the newest months.
fn compact_note(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!("The newest {COMPACT_MONTHS} months; the data table has every month.")
    }
}

/// The CSS class of a severity by its 1-based rank (5 and past share one).
fn severity_class(rank: usize) -> String {
    format!("chart-sev-{}", rank.clamp(1, 5))
}

/// Bars per month on `canvas`: `segments(i)` gives the stacked segments of
/// month `i`'s columns, `offsets` their centres as fractions of the band
/// and `width` their width as a fraction of it.
fn monthly_bars(
    canvas: Canvas,
    window: &[Month],
    top: f64,
    offsets: &[f64],
    width: f64,
    segments: impl Fn(usize, usize) -> Vec<(usize, String, String)>,
) -> Drawing {
    let mut d = Drawing::on(canvas);
    let band = d.plot.width / window.len().max(1) as f64;
    for i in 0..window.len() {
        for (k, offset) in offsets.iter().enumerate() {
            let centre = d.plot.x + band * (i as f64 + offset);
            if let Some(c) = column(&d.plot, centre, band * width, top, &segments(i, k)) {
                d.columns.push(c);
            }
        }
    }
    thin_column_values(&mut d.columns);
    d.x_labels = column_labels(&d.plot, window, band, |m| m.short().to_owned(), |m| m.year);
    let (top_axis, step) = (top, integer_step(top));
    d.y_ticks = linear_ticks(&d.plot, top_axis, step, |v| format!("{v}"));
    d
}

/// The step between grid lines of a count axis from 0 to `top`.
fn integer_step(top: f64) -> f64 {
    nice_axis(top, 4).1
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
    let Some(first) = window.first() else {
        return Chart::empty(id, title, head);
    };
    let mut counts = vec![vec![0usize; severities.len()]; window.len()];
    for (date, sev) in incidents {
        let i = Month::of(*date).index() - first.index();
        if let (Ok(i), true) = (usize::try_from(i), *sev < severities.len())
            && let Some(row) = counts.get_mut(i)
        {
            row[*sev] += 1;
        }
    }
    let totals: Vec<usize> = counts.iter().map(|r| r.iter().sum()).collect();
    let draw = |canvas: Canvas, skip: usize| {
        let months = &window[skip..];
        let max = totals[skip..].iter().copied().max().unwrap_or(0);
        let (top, _) = nice_axis(max as f64, 4);
        monthly_bars(canvas, months, top, &[0.5], 0.7, |i, _| {
            counts[skip + i]
                .iter()
                .enumerate()
                .map(|(s, n)| {
                    let title = format!("{}: {} {}", months[i].name(), n, severities[s]);
                    (*n, severity_class(s + 1), title)
                })
                .collect()
        })
    };
    let skip = compact_skip(window.len());
    let mut compact = draw(COMPACT, skip);
    compact.note = compact_note(skip);
    let total: usize = totals.iter().sum();
    let busiest = totals
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .filter(|(_, n)| **n > 0);
    let mut desc = format!(
        "Bar chart of incidents per month from {} to {}, each bar split by severity, worst at the bottom, with its total printed above it. {} in total",
        first.name(),
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
        drawings: vec![draw(WIDE, 0), compact],
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
        empty: false,
    }
}

/// Grid lines of a logarithmic duration axis, seconds and label: steps of
/// about the same ratio (4 to 10), so the lines are about evenly spaced.
const LOG_TICKS: [(f64, &str); 8] = [
    (60.0, "1m"),
    (600.0, "10m"),
    (3600.0, "1h"),
    (21_600.0, "6h"),
    (86_400.0, "1d"),
    (604_800.0, "1w"),
    (2_592_000.0, "30d"),
    (31_536_000.0, "1y"),
];

/// How a duration axis maps seconds to heights.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DurationScale {
    /// From 0 to `top` units of `unit` seconds, a grid line every `step`.
    Linear {
        unit: f64,
        suffix: &'static str,
        top: f64,
        step: f64,
    },
    /// From `lo` to `hi` seconds, equal ratios at equal heights.
    Log { lo: f64, hi: f64 },
}

impl DurationScale {
    /// A linear axis while the largest value is at most ten times the
    /// smallest; past that a linear axis squashes the small values onto the
    /// zero line (or cuts the large one off), so the axis turns
    /// logarithmic and every value stays on the scale.
    fn fit(values: &[f64]) -> DurationScale {
        let max = values.iter().copied().fold(0.0, f64::max);
        let min = values
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
            .max(60.0);
        if max > 10.0 * min {
            let lo = LOG_TICKS
                .iter()
                .rev()
                .find(|t| t.0 <= min)
                .map_or(60.0, |t| t.0);
            let hi = LOG_TICKS.iter().find(|t| t.0 >= max).map_or(max, |t| t.0);
            return DurationScale::Log { lo, hi };
        }
        let (unit, suffix) = if max < 2.0 * 3600.0 {
            (60.0, "m")
        } else if max < 72.0 * 3600.0 {
            (3600.0, "h")
        } else {
            (86_400.0, "d")
        };
        let (top, step) = nice_axis(max / unit, 4);
        DurationScale::Linear {
            unit,
            suffix,
            top,
            step,
        }
    }

    /// Height of `secs` above the zero line, as a fraction of the plot.
    fn fraction(self, secs: f64) -> f64 {
        match self {
            DurationScale::Linear { unit, top, .. } => (secs / unit / top).clamp(0.0, 1.0),
            DurationScale::Log { lo, hi } => {
                ((secs.max(lo).ln() - lo.ln()) / (hi.ln() - lo.ln())).clamp(0.0, 1.0)
            }
        }
    }

    fn ticks(self, d: &Drawing) -> Vec<Tick> {
        match self {
            DurationScale::Linear {
                suffix, top, step, ..
            } => linear_ticks(&d.plot, top, step, |v| format!("{v}{suffix}")),
            DurationScale::Log { lo, hi } => {
                let shown: Vec<&(f64, &str)> = LOG_TICKS
                    .iter()
                    .filter(|t| t.0 >= lo && t.0 <= hi)
                    .collect();
                // Keep grid lines at least 16 px apart (every other one on
                // a short drawing), always the two ends.
                let gap = d.plot.height / shown.len().saturating_sub(1).max(1) as f64;
                let every = if gap >= 16.0 { 1 } else { 2 };
                shown
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % every == 0 || *i + 1 == shown.len())
                    .map(|(_, (secs, label))| Tick {
                        y: r1(d.plot.bottom - self.fraction(*secs) * d.plot.height),
                        label_x: r1(d.plot.x - 6.0),
                        label: (*label).to_owned(),
                    })
                    .collect()
            }
        }
    }
}

/// The median time to resolve per quarter, as points joined by a line
/// (broken where a quarter has no measured incident), each with its value
/// printed beside it. `incidents` holds each dated incident's start day and
/// time to resolve, if measured.
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
    let (Some(first_month), Some(last_month)) = (window.first(), window.last()) else {
        return Chart::empty(id, title, head);
    };
    let qs = quarters(window);
    let mut values: Vec<Vec<SignedDuration>> = vec![Vec::new(); qs.len()];
    let mut counts = vec![0usize; qs.len()];
    for (date, resolve) in incidents {
        let m = Month::of(*date);
        if m < *first_month || m > *last_month {
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
    let tooltip = |i: usize, shown: &str| {
        format!(
            "{}: median {shown}, {}",
            quarter_name(qs[i]),
            format::from_n_of_m(values[i].len(), counts[i])
        )
    };
    let draw = |canvas: Canvas, skip: usize| {
        let shown_qs = &qs[skip..];
        let shown = &medians[skip..];
        let secs: Vec<f64> = shown.iter().flatten().map(|d| d.as_secs() as f64).collect();
        let scale = DurationScale::fit(&secs);
        let mut d = Drawing::on(canvas);
        let band = d.plot.width / shown_qs.len().max(1) as f64;
        let mut segments: Vec<Segment> = Vec::new();
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut flush = |run: &mut Vec<(f64, f64)>, lines: &mut Vec<Line>| {
            if run.len() > 1 {
                segments.extend(run.windows(2).map(|w| (w[0], w[1])));
                lines.push(Line {
                    points: run
                        .iter()
                        .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                        .collect::<Vec<_>>()
                        .join(" "),
                    class: "chart-line".to_owned(),
                });
            }
            run.clear();
        };
        for (i, m) in shown.iter().enumerate() {
            let Some(value) = m else {
                flush(&mut run, &mut d.lines);
                continue;
            };
            let x = r1(d.plot.x + band * (i as f64 + 0.5));
            let y = r1(d.plot.bottom - scale.fraction(value.as_secs() as f64) * d.plot.height);
            run.push((x, y));
            let label = format::duration(*value);
            d.points.push(Point {
                x,
                y,
                r: 4.0,
                class: "chart-point".to_owned(),
                title: tooltip(skip + i, &label),
                label,
                label_x: x,
                label_y: y,
            });
        }
        flush(&mut run, &mut d.lines);
        place_point_labels(&mut d.points, &segments, canvas.width, &d.plot);
        d.y_ticks = scale.ticks(&d);
        d.x_labels = column_labels(&d.plot, shown_qs, band, |q| format!("Q{}", q.1), |q| q.0);
        if let DurationScale::Log { .. } = scale {
            d.note =
                "Logarithmic scale: each grid line is four to ten times the one below.".to_owned();
        }
        (d, scale)
    };
    // The compact drawing shows the quarters of its newest months.
    let compact_quarters = quarters(&window[compact_skip(window.len())..]).len();
    let skip = qs.len() - compact_quarters.min(qs.len());
    let (wide, scale) = draw(NARROW, 0);
    let (mut compact, _) = draw(COMPACT, skip);
    if skip > 0 {
        compact.note = [compact_note(skip), compact.note]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    let measured: Vec<(usize, SignedDuration)> = medians
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|d| (i, d)))
        .collect();
    let name = |i: usize| qs.get(i).map_or_else(String::new, |q| quarter_name(*q));
    let mut desc = format!(
        "Line chart of the median time to resolve per quarter, {} to {}, counting incidents whose timeline records both ends{}. ",
        name(0),
        name(qs.len() - 1),
        if let DurationScale::Log { .. } = scale {
            ", on a logarithmic scale"
        } else {
            ""
        }
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
        drawings: vec![wide, compact],
        legend: vec![LegendItem {
            class: "chart-line-swatch".to_owned(),
            label: "Median of the quarter's incidents".to_owned(),
        }],
        table: DataTable {
            head,
            rows: qs
                .iter()
                .zip(&medians)
                .enumerate()
                .map(|(i, (q, m))| {
                    vec![
                        quarter_name(*q),
                        m.map_or_else(|| "—".to_owned(), format::duration),
                        format::from_n_of_m(values[i].len(), counts[i]),
                    ]
                })
                .collect(),
        },
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
    let Some(first) = window.first() else {
        return Chart::empty(id, title, head);
    };
    let per_month = |dates: &[Date]| {
        let mut v = vec![0usize; window.len()];
        for d in dates {
            if let Ok(i) = usize::try_from(Month::of(*d).index() - first.index())
                && let Some(n) = v.get_mut(i)
            {
                *n += 1;
            }
        }
        v
    };
    let open_n = per_month(opened);
    let closed_n = per_month(closed);
    let draw = |canvas: Canvas, skip: usize| {
        let months = &window[skip..];
        let max = open_n[skip..]
            .iter()
            .chain(&closed_n[skip..])
            .copied()
            .max()
            .unwrap_or(0);
        let (top, _) = nice_axis(max as f64, 4);
        monthly_bars(canvas, months, top, &[0.3, 0.7], 0.38, |i, k| {
            let (n, class, what) = if k == 0 {
                (open_n[skip + i], "chart-opened", "opened")
            } else {
                (closed_n[skip + i], "chart-closed", "closed")
            };
            let title = format!("{}: {} {what}", months[i].name(), plural_items(n));
            vec![(n, class.to_owned(), title)]
        })
    };
    let skip = compact_skip(window.len());
    let mut compact = draw(COMPACT, skip);
    compact.note = compact_note(skip);
    let opened_total: usize = open_n.iter().sum();
    let closed_total: usize = closed_n.iter().sum();
    let mut desc = format!(
        "Bar chart of action items per month from {} to {}: a bar for items opened (counted in the month their incident started) beside a bar for items closed, each with its count printed above it. {} opened and {} closed in this period.",
        first.name(),
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
        drawings: vec![draw(NARROW, 0), compact],
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
        empty: false,
    }
}

fn plural_items(n: usize) -> String {
    format::plural(n, "item")
}
