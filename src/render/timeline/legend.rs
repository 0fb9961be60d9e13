//! The legend: which kinds of mark a drawing has, and their swatches laid
//! out in rows of a given width (the wide drawing's, or the narrow one's).

use super::shapes::{LegendItem, Line, Rect, SMALL_FONT, TextAt, diamond, r1, text_width};

/// What a drawing shows, for its legend.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shown {
    /// Marks that stand for several events.
    pub(super) cluster: bool,
    /// Milestones.
    pub(super) milestone: bool,
    /// Marks outside the active window.
    pub(super) outside: bool,
    /// The active window.
    pub(super) window: bool,
    /// Gaps with no explanation.
    pub(super) unexplained: bool,
    /// Gaps with one.
    pub(super) explained: bool,
    /// Silences drawn shorter than to scale.
    pub(super) breaks: bool,
}

/// The kinds of shape a drawing has, each with its word in the legend.
pub(super) fn kinds(shown: Shown) -> Vec<(&'static str, &'static str)> {
    let mut kinds: Vec<(&'static str, &'static str)> = vec![("event", "event")];
    let all = [
        (shown.cluster, "cluster", "events close together"),
        (shown.milestone, "milestone", "milestone"),
        (shown.outside, "outside", "outside the active window"),
        (shown.window, "window", "active window"),
        (shown.unexplained, "gap-unexplained", "unexplained gap"),
        (shown.explained, "gap-explained", "explained gap"),
        (shown.breaks, "break", "not to scale"),
    ];
    kinds.extend(all.iter().filter(|k| k.0).map(|k| (k.1, k.2)));
    kinds
}

/// The legend in a drawing `width` wide: right-aligned on the row of
/// `foot_y` when it fits beside `zone_end` (the zone caption's end), else
/// on rows of its own below (wrapping where a row is full); and the last
/// row's baseline.
pub(super) fn legend(
    kinds: Vec<(&'static str, &'static str)>,
    width: f64,
    zone_end: f64,
    foot_y: f64,
) -> (Vec<LegendItem>, f64) {
    let widths: Vec<f64> = kinds
        .iter()
        .map(|(_, l)| 14.0 + text_width(l, SMALL_FONT) + 16.0)
        .collect();
    let total: f64 = widths.iter().sum();
    let (mut lx, first_y) = if width - total >= zone_end + 24.0 {
        (width - total, foot_y)
    } else {
        (0.0, foot_y + 18.0)
    };
    let mut legend_y = first_y;
    let mut legend = Vec::new();
    for ((kind, label), w) in kinds.into_iter().zip(widths) {
        if lx > 0.0 && lx + w > width {
            lx = 0.0;
            legend_y += 18.0;
        }
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
            points: if kind == "milestone" {
                diamond(cx, cy, 6.0)
            } else {
                String::new()
            },
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
    (legend, legend_y)
}
