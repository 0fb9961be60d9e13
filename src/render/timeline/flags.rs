//! Labels above the band: flags on poles, stacked in lanes so that no two
//! texts overlap.

use super::shapes::{FLAG_GAP, WIDTH};

/// A label that wants a lane above the band: a pole at `x`, text to its
/// right (or left, near the right edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Flag {
    pub(super) x: f64,
    pub(super) width: f64,
}

impl Flag {
    /// Whether the text runs left of the pole (it would leave the drawing).
    pub(super) fn flipped(&self) -> bool {
        self.x + FLAG_GAP + self.width > WIDTH - 2.0
    }

    /// The span the text covers, with a margin.
    pub(super) fn text_span(&self) -> (f64, f64) {
        let m = 6.0;
        if self.flipped() {
            (self.x - FLAG_GAP - self.width - m, self.x - FLAG_GAP + m)
        } else {
            (self.x + FLAG_GAP - m, self.x + FLAG_GAP + self.width + m)
        }
    }

    pub(super) fn anchor(&self) -> &'static str {
        if self.flipped() { "end" } else { "start" }
    }

    pub(super) fn text_x(&self) -> f64 {
        if self.flipped() {
            self.x - FLAG_GAP
        } else {
            self.x + FLAG_GAP
        }
    }
}

pub(super) fn overlaps(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Lanes for flags, lane 0 nearest the band. Flags are placed right to
/// left, each in the lowest lane where its text overlaps no text in that
/// lane, its pole crosses no text in a lane below, and no pole from a lane
/// above crosses its text. When no lane meets all three (two flags facing
/// each other), the pole may cross. There is no limit on lanes: two texts
/// never share one span of a lane.
pub(super) fn assign_lanes(flags: &[Flag]) -> Vec<usize> {
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
        // A lane above every placed flag always takes the text (no text
        // there, no pole from above), so texts never overlap: the drawing
        // grows taller instead.
        let top = placed.len();
        let lane = (0..=top)
            .find(|&l| ok(l, true))
            .or_else(|| (0..=top).find(|&l| ok(l, false)))
            .unwrap_or(top);
        if let Some(slot) = lanes.get_mut(i) {
            *slot = lane;
        }
        placed.push(i);
    }
    lanes
}
