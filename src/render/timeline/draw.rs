//! The drawing itself: from an [`Input`] to a [`TimelineSvg`], one part of
//! the picture per function.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::axis::ticks;
use super::flags::{Flag, assign_lanes, overlaps};
use super::input::{GapIn, Input};
use super::legend::{Shown, kinds, legend};
use super::scale::Scale;
use super::shapes::*;
use crate::config::MILESTONES;
use crate::humanize::{
    datetime_in, day_in, duration, plural, short_day, time_of_day_in, zone_abbreviation,
};

/// The ends of a stretch: `21:14` and `23:05`, or `11 Nov 21:14` and
/// `12 Nov 09:05` across midnight.
fn span_ends(tz: &TimeZone, from: Timestamp, to: Timestamp) -> (String, String) {
    let (a, b) = (day_in(from, tz), day_in(to, tz));
    if a == b {
        (time_of_day_in(from, tz), time_of_day_in(to, tz))
    } else {
        (day_and_time(tz, a, from), day_and_time(tz, b, to))
    }
}

/// `11 Nov 21:14`: the day of `at` (given) and its time.
fn day_and_time(tz: &TimeZone, day: Date, at: Timestamp) -> String {
    let mut out = short_day(day);
    out.push(' ');
    out.push_str(&time_of_day_in(at, tz));
    out
}

/// `21:14 → 23:05`, or `11 Nov 21:14 → 12 Nov 09:05` across midnight.
fn span_label(tz: &TimeZone, from: Timestamp, to: Timestamp) -> String {
    let (mut a, b) = span_ends(tz, from, to);
    a.push_str(" → ");
    a.push_str(&b);
    a
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

/// The vertical layout, known once every flag has its lane.
struct Rows {
    /// Each flag's lane, lane 0 nearest the band.
    lanes: Vec<usize>,
    /// Top of the band the events sit on.
    band_top: f64,
    /// The events' centre line.
    center: f64,
    /// The axis, at the bottom of the band.
    axis_y: f64,
}

impl Rows {
    fn new(flags: &[Flag]) -> Rows {
        let lanes = assign_lanes(flags);
        let n_lanes = if flags.is_empty() {
            0
        } else {
            lanes.iter().max().map_or(0, |m| m + 1)
        };
        let band_top = PAD_TOP + n_lanes as f64 * LANE_H + 4.0;
        Rows {
            lanes,
            band_top,
            center: band_top + BAND_H / 2.0 + 4.0,
            axis_y: band_top + BAND_H,
        }
    }

    /// The baseline of flag `i`'s text.
    fn flag_y(&self, i: usize) -> f64 {
        let lane = self.lanes.get(i).copied().unwrap_or(0);
        self.band_top - 8.0 - lane as f64 * LANE_H
    }

    /// A rectangle across the band from `x0` to `x1`.
    fn band_rect(&self, x0: f64, x1: f64) -> Rect {
        Rect {
            x: r1(x0),
            y: r1(self.band_top),
            width: r1(x1 - x0),
            height: BAND_H,
        }
    }
}

/// Flag `i`'s text and its pole from the text down to `pole_end`.
fn flag_shapes(
    flags: &[Flag],
    rows: &Rows,
    i: usize,
    text: String,
    pole_end: f64,
) -> (TextAt, Line) {
    let f = flags.get(i).copied().unwrap_or(Flag {
        x: PAD_X,
        width: 0.0,
    });
    let y = rows.flag_y(i);
    (
        TextAt {
            text,
            x: r1(f.text_x()),
            y: r1(y),
            anchor: f.anchor(),
        },
        Line {
            x1: r1(f.x),
            y1: r1(y - LABEL_FONT + 1.0),
            x2: r1(f.x),
            y2: r1(pole_end),
        },
    )
}

pub(super) fn draw(input: &Input) -> Option<TimelineSvg> {
    let times: Vec<Timestamp> = input.instants.iter().map(|i| i.at).collect();
    let (first, last) = (times.first().copied()?, times.last().copied()?);
    let scale = Scale::new(&times, input.threshold)?;
    let breaks = scale.breaks();

    // Flags first (milestones, then gap labels that do not fit inside
    // their gap), then the lanes they need, then everything else.
    let (mut flags, flag_texts) = milestone_flags(input, &scale);
    let plans = plan_gaps(input, &scale, &breaks, &mut flags);
    let rows = Rows::new(&flags);

    let milestones: Vec<MilestoneFlag> = flag_texts
        .into_iter()
        .enumerate()
        .map(|(i, (text, step))| {
            let (label, pole) = flag_shapes(&flags, &rows, i, text, rows.center - DIAMOND);
            MilestoneFlag { step, pole, label }
        })
        .collect();
    let gaps: Vec<GapShape> = plans
        .into_iter()
        .map(|p| gap_shape(input, p, &flags, &rows))
        .collect();
    let (axis, break_shapes) = axis_and_breaks(input, &breaks, &rows);
    let ticks = ticks(&input.tz, &scale, rows.band_top, rows.axis_y);
    let window = window_shape(input, &scale, &rows);
    let events = event_marks(input, &scale, &rows);

    // The zone line and the legend share the row under the tick labels.
    let foot_y = rows.axis_y + 56.0;
    let zone = zone_caption(input, first, last, foot_y);
    let shown = Shown {
        cluster: events.iter().any(|e| e.count_label.is_some()),
        milestone: !milestones.is_empty(),
        outside: events.iter().any(|e| e.outside),
        window: window.is_some(),
        unexplained: gaps.iter().any(|g| !g.explained),
        explained: gaps.iter().any(|g| g.explained),
        breaks: !break_shapes.is_empty(),
    };
    let (legend, legend_y) = legend(
        kinds(shown),
        WIDTH,
        text_width(&zone.text, SMALL_FONT),
        foot_y,
    );
    let height = r1(legend_y + 8.0);

    let unexplained = gaps.iter().filter(|g| !g.explained).count();
    let desc = describe(
        input,
        first,
        last,
        gaps.len(),
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
            y: r1(rows.band_top),
            width: TRACK + 16.0,
            height: BAND_H,
        },
        center_y: r1(rows.center),
        window,
        paths: Paths::of(&axis, &ticks, &break_shapes, &milestones),
        axis,
        ticks,
        breaks: break_shapes,
        stripes: gaps.iter().any(|g| !g.explained),
        gaps,
        events,
        milestones,
        zone,
        legend,
    })
}

/// A flag for each milestone reached, in time order (milestone order
/// within an instant), with its text: the label and the time, and the day
/// when it differs from the previous flag's (or the first event's).
fn milestone_flags(input: &Input, scale: &Scale) -> (Vec<Flag>, Vec<(String, &'static str)>) {
    let tz = &input.tz;
    let mut flags: Vec<Flag> = Vec::new();
    let mut flag_texts: Vec<(String, &'static str)> = Vec::new();
    // On a drawing that spans days, the first label carries its day too.
    let first_day = input.instants.first().map(|i| day_in(i.at, tz));
    let last_day = input.instants.last().map(|i| day_in(i.at, tz));
    let mut previous_day = if first_day == last_day {
        first_day
    } else {
        None
    };
    let mut reached: Vec<(&'static str, &'static str, Timestamp)> = input
        .instants
        .iter()
        .flat_map(|i| i.milestones.iter().map(move |(s, l)| (*s, *l, i.at)))
        .collect();
    reached.sort_by_key(|(s, _, at)| (*at, MILESTONES.iter().position(|(m, _)| m == s)));
    for (step, label, at) in &reached {
        let day = day_in(*at, tz);
        let mut text = String::from(*label);
        text.push(' ');
        if Some(day) == previous_day {
            text.push_str(&time_of_day_in(*at, tz));
        } else {
            text.push_str(&day_and_time(tz, day, *at));
        }
        previous_day = Some(day);
        flags.push(Flag {
            x: scale.x(*at),
            width: text_width(&text, LABEL_FONT),
        });
        flag_texts.push((text, step));
    }
    (flags, flag_texts)
}

/// Where each gap goes on the track, and its label: inside the rectangle
/// when it fits, else on a new flag.
fn plan_gaps(
    input: &Input,
    scale: &Scale,
    breaks: &[(f64, f64, Timestamp, Timestamp)],
    flags: &mut Vec<Flag>,
) -> Vec<GapPlan> {
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
        // Room for the marks at the gap's ends (a cluster's count included).
        let fits =
            w + 2.0 * (CLUSTER_R + 2.0) <= x1 - x0 && !inside.iter().any(|s| overlaps(*s, span));
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
            compressed: breaks
                .iter()
                .any(|(_, _, a, b)| *a == gap.from && *b == gap.to),
        });
    }
    plans
}

/// A gap's rectangle, its label (inside, or on its flag with a leader down
/// to the band) and its tooltip.
fn gap_shape(input: &Input, p: GapPlan, flags: &[Flag], rows: &Rows) -> GapShape {
    let tz = &input.tz;
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
    let (label, leader) = match p.flag {
        Some(i) => {
            let (label, leader) = flag_shapes(flags, rows, i, p.label, rows.band_top);
            (label, Some(leader))
        }
        None => (
            TextAt {
                text: p.label,
                x: r1((p.x0 + p.x1) / 2.0),
                y: r1(rows.center + 4.0),
                anchor: "middle",
            },
            None,
        ),
    };
    GapShape {
        rect: rows.band_rect(p.x0, p.x1),
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
}

/// The axis, broken at each silence drawn shorter than to scale, and the
/// shape of each break.
fn axis_and_breaks(
    input: &Input,
    breaks: &[(f64, f64, Timestamp, Timestamp)],
    rows: &Rows,
) -> (Vec<Line>, Vec<Break>) {
    let tz = &input.tz;
    let axis_y = rows.axis_y;
    let hole = 10.0;
    let mut axis = Vec::new();
    let mut axis_start = PAD_X;
    let mut shapes = Vec::new();
    for (x1, x2, from, to) in breaks {
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
        shapes.push(Break {
            area: rows.band_rect(*x1, *x2),
            marks: [stroke(mid - hole / 2.0), stroke(mid + hole / 2.0)],
            gap: is_gap,
            label: (!is_gap).then(|| TextAt {
                text: length.clone(),
                x: r1(mid),
                y: r1(rows.center + 4.0),
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
    (axis, shapes)
}

/// The active window's tint, when it has a length.
fn window_shape(input: &Input, scale: &Scale, rows: &Rows) -> Option<WindowShape> {
    let tz = &input.tz;
    input.window.filter(|(s, e)| s < e).map(|(s, e)| {
        let span = format!(
            "{} ({})",
            span_label(tz, s, e),
            duration(e.duration_since(s))
        );
        WindowShape {
            rect: rows.band_rect(scale.x(s), scale.x(e)),
            title: format!("Active window, {span}: gaps are counted inside it"),
            span,
        }
    })
}

/// A marker for each instant: a dot, or a diamond for a milestone (its
/// `title`, the time, milestones and the events' text, is for tests: the
/// page's event table gives them). Instants closer
/// than [`CLUSTER_GAP`] would draw one blob, so they share one larger mark
/// with their count written inside.
fn event_marks(input: &Input, scale: &Scale, rows: &Rows) -> Vec<EventMark> {
    let center = rows.center;
    let mut groups: Vec<Vec<(f64, &super::input::Instant)>> = Vec::new();
    for i in &input.instants {
        let x = scale.x(i.at);
        match groups.last_mut() {
            Some(g) if g.first().is_some_and(|(x0, _)| x - x0 < CLUSTER_GAP) => g.push((x, i)),
            _ => groups.push(vec![(x, i)]),
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let (x0, x1) = (
                group.first().map_or(0.0, |(x, _)| *x),
                group.last().map_or(0.0, |(x, _)| *x),
            );
            let x = (x0 + x1) / 2.0;
            let milestone = group.iter().any(|(_, i)| !i.milestones.is_empty());
            let outside = group
                .iter()
                .all(|(_, i)| input.window.is_some_and(|(s, e)| i.at < s || i.at > e));
            let count: usize = group.iter().map(|(_, i)| i.texts.len()).sum();
            let clustered = group.len() > 1;
            let r = if clustered { CLUSTER_R } else { DOT };
            EventMark {
                x: r1(x),
                y: r1(center),
                r,
                milestone,
                points: if milestone {
                    diamond(x, center, if clustered { CLUSTER_R + 2.0 } else { DIAMOND })
                } else {
                    String::new()
                },
                outside,
                count,
                count_label: clustered.then(|| TextAt {
                    text: count.to_string(),
                    x: r1(x),
                    y: r1(center + COUNT_FONT * 0.35),
                    anchor: "middle",
                }),
                #[cfg(test)]
                title: mark_title(input, &group, count),
            }
        })
        .collect()
}

/// A mark's `title`: the time, milestones and the events' text of each
/// instant it stands for.
#[cfg(test)]
fn mark_title(input: &Input, group: &[(f64, &super::input::Instant)], count: usize) -> String {
    let mut title = if group.len() > 1 {
        format!("{count} events close together:\n")
    } else {
        String::new()
    };
    for (n, (_, i)) in group.iter().enumerate() {
        if n > 0 {
            title.push('\n');
        }
        title.push_str(&datetime_in(i.at, &input.tz));
        for (_, label) in &i.milestones {
            title.push_str(" · ");
            title.push_str(label);
        }
        for t in &i.texts {
            title.push_str("\n– ");
            title.push_str(t);
        }
    }
    title
}

/// `Times in Europe/Berlin (CET)`, or `(CET, then CEST)` across a change.
fn zone_caption(input: &Input, first: Timestamp, last: Timestamp, foot_y: f64) -> TextAt {
    let (a0, a1) = (
        zone_abbreviation(first, &input.tz),
        zone_abbreviation(last, &input.tz),
    );
    let abbrs = if a0 == a1 {
        a0.clone()
    } else {
        format!("{a0}, then {a1}")
    };
    let text = if input.zone_name == a0 && a0 == a1 {
        format!("Times in {}", input.zone_name)
    } else {
        format!("Times in {} ({abbrs})", input.zone_name)
    };
    TextAt {
        text,
        x: 0.0,
        y: r1(foot_y),
        anchor: "start",
    }
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
    let abbr = zone_abbreviation(last, tz);
    let events = plural(input.events, "event");
    let mut out = if first == last {
        format!(
            "Timeline of {events} at {} {abbr} on {}",
            time_of_day_in(first, tz),
            day_in(first, tz)
        )
    } else if day_in(first, tz) == day_in(last, tz) {
        format!(
            "Timeline of {events} on {} from {} to {} {abbr}",
            day_in(first, tz),
            time_of_day_in(first, tz),
            time_of_day_in(last, tz)
        )
    } else {
        format!(
            "Timeline of {events} from {} to {}",
            datetime_in(first, tz),
            datetime_in(last, tz)
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
