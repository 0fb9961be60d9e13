//! Time to x: the scale of the track, with the longest silences drawn as
//! fixed-width breaks when the events would otherwise crowd together.

use jiff::{SignedDuration, Timestamp};

use super::shapes::{
    BREAK_MIN_SECS, BREAK_SHARE, BREAK_W, LONE_HALF_SECS, PAD_X, TARGET_SPACING, TRACK,
};

pub(super) fn secs(d: SignedDuration) -> i64 {
    d.as_secs()
}

pub(super) fn seconds_between(a: Timestamp, b: Timestamp) -> i64 {
    secs(b.duration_since(a))
}

/// A stretch of time drawn to scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Piece {
    pub(super) from: Timestamp,
    pub(super) to: Timestamp,
    pub(super) x0: f64,
    pub(super) x1: f64,
}

/// Time to x: linear pieces with fixed-width breaks between them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scale {
    pub(super) pieces: Vec<Piece>,
    /// Units per second inside pieces.
    pub(super) k: f64,
    /// Whether all events share one instant, drawn in the middle of a
    /// window around it.
    pub(super) lone: bool,
}

impl Scale {
    /// Lays out the instants (sorted, distinct) on the track, breaking the
    /// longest silences while the events would otherwise be too crowded.
    pub(super) fn new(times: &[Timestamp], threshold: SignedDuration) -> Option<Scale> {
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
    pub(super) fn x(&self, t: Timestamp) -> f64 {
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
    pub(super) fn breaks(&self) -> Vec<(f64, f64, Timestamp, Timestamp)> {
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
pub(super) fn choose_breaks(silences: &[i64], threshold: i64) -> Vec<bool> {
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
