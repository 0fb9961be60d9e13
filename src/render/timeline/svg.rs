//! The drawing written as markup: [`TimelineSvg::html`] turns the laid-out
//! shapes into the `<figure>` the incident page shows, every record text
//! through the site's one HTML escaper.
//!
//! The page wrote this with a template (`timeline-svg.html`) until session
//! 12, which copied each number into an attribute: converting the shapes to
//! template values and interpreting that loop cost about a tenth of a
//! build. Writing it here gives the same markup for a fraction of that. Uses
//! `shapes` only.

use super::shapes::{Line, Rect, TextAt, TimelineSvg, whole};
use crate::humanize::push_number;
use crate::markdown::escape_html_into as esc;

/// ` name="n"`: an attribute holding a coordinate as a whole number,
/// written straight into the page (`write!` goes through the formatter
/// for every number; session 15).
fn attr(out: &mut String, name: &str, v: f64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_number(out, whole(v));
    out.push('"');
}

/// ` x=".." y=".." width=".." height=".."` of a rectangle.
fn rect_attrs(out: &mut String, r: &Rect) {
    attr(out, "x", r.x);
    attr(out, "y", r.y);
    attr(out, "width", r.width);
    attr(out, "height", r.height);
}

/// ` x1=".." y1=".." x2=".." y2=".."` of a line.
fn line_attrs(out: &mut String, l: &Line) {
    attr(out, "x1", l.x1);
    attr(out, "y1", l.y1);
    attr(out, "x2", l.x2);
    attr(out, "y2", l.y2);
}

/// `<text{class} x y[ text-anchor]>text</text>`: the anchor is written only
/// where `with_anchor` and it is not the default (`start`).
fn text(out: &mut String, class: &str, t: &TextAt, with_anchor: bool) {
    out.push_str("\n<text");
    out.push_str(class);
    attr(out, "x", t.x);
    attr(out, "y", t.y);
    if with_anchor && t.anchor != "start" {
        out.push_str(" text-anchor=\"");
        out.push_str(t.anchor);
        out.push('"');
    }
    out.push('>');
    esc(out, &t.text);
    out.push_str("</text>");
}

/// `<text{class} x[ y]>text</text>` in a group moved down to `base`: `y`
/// is the text's distance below the base (in whole units, as every
/// coordinate), left out where it is 0.
fn text_below(out: &mut String, class: &str, t: &TextAt, base: f64) {
    out.push_str("\n<text");
    out.push_str(class);
    attr(out, "x", t.x);
    let y = whole(t.y) - whole(base);
    if y != 0 {
        out.push_str(" y=\"");
        push_number(out, y);
        out.push('"');
    }
    out.push('>');
    esc(out, &t.text);
    out.push_str("</text>");
}

impl TimelineSvg {
    /// The `<figure>` of the drawing, each element on a line of its own,
    /// each line after a newline.
    /// Colours come from CSS classes only (the page's CSP forbids style
    /// attributes), so dark mode and print restyle the drawing. The `<svg>`
    /// is one image to assistive technology, named by its `<title>` and
    /// `<desc>`; the events and gaps themselves are in the table below it.
    pub fn html(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        let o = &mut out;
        o.push_str("\n<figure class=\"tl-figure\">\n<div class=\"tl-scroll\" role=\"region\" aria-labelledby=\"review-timeline-svg-title\" tabindex=\"0\">\n<svg class=\"tl\" viewBox=\"");
        esc(o, &self.view_box);
        o.push_str("\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-labelledby=\"review-timeline-svg-title review-timeline-svg-desc\">\n<title id=\"review-timeline-svg-title\">");
        esc(o, &self.title);
        o.push_str("</title>\n<desc id=\"review-timeline-svg-desc\">");
        esc(o, &self.desc);
        o.push_str("</desc>");
        if self.stripes {
            o.push_str("\n<defs>\n<pattern id=\"tl-stripes\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\n<rect class=\"tl-stripes-bg\" width=\"8\" height=\"8\"/>\n<line class=\"tl-stripes-line\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\"/>\n</pattern>\n</defs>");
        }
        if let Some(w) = &self.window {
            o.push_str("\n<rect class=\"tl-window\"");
            rect_attrs(o, &w.rect);
            o.push_str("><title>");
            esc(o, &w.title);
            o.push_str("</title></rect>");
        }
        if !self.paths.grid.is_empty() {
            o.push_str("\n<path class=\"tl-grid\" d=\"");
            esc(o, &self.paths.grid);
            o.push_str("\"/>");
        }
        // A break that is a gap is drawn by the gap below; only quiet
        // stretches outside the window get their own box.
        for b in self.breaks.iter().filter(|b| !b.gap) {
            o.push_str("\n<g class=\"tl-break\">\n<title>");
            esc(o, &b.title);
            o.push_str("</title>\n<rect class=\"tl-break-area\"");
            rect_attrs(o, &b.area);
            o.push_str("/>");
            if let Some(label) = &b.label {
                text(o, " class=\"tl-break-label\"", label, false);
            }
            o.push_str("\n</g>");
        }
        for g in &self.gaps {
            o.push_str(if g.explained {
                "\n<g class=\"tl-gap tl-gap-explained\">\n<title>"
            } else {
                "\n<g class=\"tl-gap tl-gap-unexplained\">\n<title>"
            });
            esc(o, &g.title);
            o.push_str("</title>\n<rect");
            rect_attrs(o, &g.rect);
            o.push_str("/>");
            if let Some(leader) = &g.leader {
                o.push_str("\n<line class=\"tl-leader\"");
                line_attrs(o, leader);
                o.push_str("/>");
                text(o, " class=\"tl-gap-label tl-gap-flag\"", &g.label, true);
            } else {
                text(o, " class=\"tl-gap-label\"", &g.label, false);
            }
            o.push_str("\n</g>");
        }
        o.push_str("\n<path class=\"tl-axis\" d=\"");
        esc(o, &self.paths.axis);
        o.push_str("\"/>");
        if !self.paths.breaks.is_empty() {
            o.push_str("\n<path class=\"tl-break-mark\" d=\"");
            esc(o, &self.paths.breaks);
            o.push_str("\"/>");
        }
        // The tick labels share a baseline: the group is moved down to it,
        // and each text gives its `y` only where it differs (a date's).
        let base = self.ticks.first().map_or(0.0, |k| k.label.y);
        o.push_str("\n<g class=\"tl-ticks\" transform=\"translate(0 ");
        push_number(o, whole(base));
        o.push_str(")\">");
        for k in &self.ticks {
            text_below(o, "", &k.label, base);
            if let Some(date) = &k.date {
                text_below(o, " class=\"tl-tick-date\"", date, base);
            }
        }
        o.push_str("\n</g>");
        if !self.milestones.is_empty() {
            o.push_str("\n<path class=\"tl-poles\" d=\"");
            esc(o, &self.paths.poles);
            o.push_str("\"/>\n<g class=\"tl-flags\">");
            for m in &self.milestones {
                text(o, "", &m.label, true);
            }
            o.push_str("\n</g>");
        }
        // A dot is a plain event, a diamond a milestone (style.css styles
        // them by element).
        o.push_str("\n<g class=\"tl-events\">");
        for e in &self.events {
            if e.milestone {
                o.push_str(if e.outside {
                    "\n<polygon class=\"tl-outside\" points=\""
                } else {
                    "\n<polygon points=\""
                });
                esc(o, &e.points);
                o.push_str("\"/>");
            } else {
                o.push_str(match (e.count_label.is_some(), e.outside) {
                    (true, true) => "\n<circle class=\"tl-cluster tl-outside\"",
                    (true, false) => "\n<circle class=\"tl-cluster\"",
                    (false, true) => "\n<circle class=\"tl-outside\"",
                    (false, false) => "\n<circle",
                });
                attr(o, "cx", e.x);
                attr(o, "cy", e.y);
                attr(o, "r", e.r);
                o.push_str("/>");
            }
            if let Some(count) = &e.count_label {
                text(o, " class=\"tl-count\"", count, false);
            }
        }
        o.push_str("\n</g>");
        text(o, " class=\"tl-zone\"", &self.zone, false);
        o.push_str("\n<g class=\"tl-legend\">");
        for l in &self.legend {
            let circle = |o: &mut String, class: &str, r: f64| {
                o.push_str("\n<circle class=\"");
                o.push_str(class);
                o.push('"');
                attr(o, "cx", l.cx);
                attr(o, "cy", l.cy);
                attr(o, "r", r);
                o.push_str("/>");
            };
            match l.kind {
                "event" => circle(o, "tl-event", 4.0),
                "outside" => circle(o, "tl-event tl-outside", 4.0),
                "cluster" => circle(o, "tl-cluster", 6.0),
                "milestone" => {
                    o.push_str("\n<polygon class=\"tl-milestone\" points=\"");
                    esc(o, &l.points);
                    o.push_str("\"/>");
                }
                "break" => {
                    for m in &l.marks {
                        o.push_str("\n<line class=\"tl-break-mark\"");
                        line_attrs(o, m);
                        o.push_str("/>");
                    }
                }
                kind => {
                    o.push_str("\n<rect class=\"tl-key-");
                    o.push_str(kind);
                    o.push('"');
                    rect_attrs(o, &l.swatch);
                    o.push_str("/>");
                }
            }
            text(o, "", &l.label, false);
        }
        o.push_str("\n</g>\n</svg>\n</div>\n</figure>\n");
        out
    }
}
