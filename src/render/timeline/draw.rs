//! The drawing itself: from an [`Input`] to a [`TimelineSvg`], one part of
//! the picture per function.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::axis::ticks;
use super::flags::{Flag, assign_lanes, overlaps};
use super::input::{GapIn, Input};
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
        (
            format!("{} {}", short_day(a), time_of_day_in(from, tz)),
            format!("{} {}", short_day(b), time_of_day_in(to, tz)),
        )
    }
}

/// `21:14 → 23:05`, or `11 Nov 21:14 → 12 Nov 09:05` across midnight.
fn span_label(tz: &TimeZone, from: Timestamp, to: Timestamp) -> String {
    let (a, b) = span_ends(tz, from, to);
    format!("{a} → {b}")
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

pub(super) fn draw(input: &Input) -> Option<TimelineSvg> {
    let tz = &input.tz;
    let times: Vec<Timestamp> = input.instants.iter().map(|i| i.at).collect();
    let scale = Scale::new(&times, input.threshold)?;
    let breaks = scale.breaks();
    let is_broken =
        |from: Timestamp, to: Timestamp| breaks.iter().any(|(_, _, a, b)| *a == from && *b == to);

    // Flags: milestones first (in milestone order within an instant).
    let mut flags: Vec<Flag> = Vec::new();
    let mut flag_texts: Vec<(String, &'static str)> = Vec::new();
    let mut previous_day = times.first().map(|t| day_in(*t, tz));
    let mut reached: Vec<(&'static str, &'static str, Timestamp)> = input
        .instants
        .iter()
        .flat_map(|i| i.milestones.iter().map(move |(s, l)| (*s, *l, i.at)))
        .collect();
    reached.sort_by_key(|(s, _, at)| (*at, MILESTONES.iter().position(|(m, _)| m == s)));
    for (step, label, at) in &reached {
        let day = day_in(*at, tz);
        let text = if Some(day) == previous_day {
            format!("{label} {}", time_of_day_in(*at, tz))
        } else {
            format!("{label} {} {}", short_day(day), time_of_day_in(*at, tz))
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
            let mut title = datetime_in(i.at, tz);
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
    let abbr = |t: Timestamp| zone_abbreviation(t, tz);
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
