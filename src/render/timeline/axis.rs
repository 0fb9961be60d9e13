//! The axis: ticks at round local times, labelled with the time or the day.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::scale::Scale;
use super::shapes::{LONE_HALF_SECS, Line, MIN_TICK_GAP, SMALL_FONT, TextAt, Tick, r1, text_width};
use crate::humanize::{day_in, short_day, time_of_day_in};

/// Tick steps in minutes, smallest first.
pub(super) const STEPS_MIN: [i64; 10] = [5, 10, 15, 30, 60, 120, 360, 1440, 2880, 10080];

/// The smallest step whose ticks are at least [`MIN_TICK_GAP`] apart at
/// `k` units per second.
pub(super) fn tick_step(k: f64) -> i64 {
    STEPS_MIN
        .iter()
        .copied()
        .find(|m| (*m * 60) as f64 * k >= MIN_TICK_GAP)
        .unwrap_or(STEPS_MIN[STEPS_MIN.len() - 1])
}

/// Ticks at round local times (every `step` minutes from local midnight)
/// between `from` and `to`, inclusive.
pub(super) fn round_times(
    tz: &TimeZone,
    from: Timestamp,
    to: Timestamp,
    step: i64,
) -> Vec<Timestamp> {
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

/// A tick before the vertical layout: where, and what it says.
pub(super) struct TickPlan {
    at: Timestamp,
    x: f64,
    /// Whether it is a whole day (its label is the day).
    day: bool,
}

/// Ticks at round times inside each piece, then each piece's ends where
/// they fit, then days on the first tick and wherever the day changes.
pub(super) fn ticks(tz: &TimeZone, scale: &Scale, band_top: f64, axis_y: f64) -> Vec<Tick> {
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
            let d = day_in(p.at, tz);
            let text = if p.day {
                short_day(d)
            } else {
                time_of_day_in(p.at, tz)
            };
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
