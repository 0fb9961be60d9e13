//! The incident page's table of events and gaps: its rows as data
//! ([`TimelineRow`]) and as the HTML the page prints
//! ([`TimelineRow::rows_html`]).
//!
//! The rows are written here, not by a template loop: converting each row
//! into template values and interpreting the loop cost more than the rest of
//! the incident page (session 12). They are written light: the optional end
//! tags (`</th>`, `</td>`, `</tr>`) are left out, as HTML allows, with no
//! text between rows (a newline would become part of the last cell, and an
//! empty cell would no longer be `:empty`); an event's time carries its
//! instant (`<time datetime>`) on the first row of each day, where the day
//! is written too; the other rows show the time of that day. Uses
//! `timeline` only (the drawing's gaps give each gap's ends).

use serde::Serialize;

use super::timeline::GapShape;
use super::urls;
use crate::markdown::escape_html_into as esc;

/// The event table's optional columns: each is `true` when at least one
/// event fills it, so the table leaves out columns that would stay empty.
#[derive(Debug, Default, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TimelineColumns {
    pub step: bool,
    pub who: bool,
    pub source: bool,
    pub evidence: bool,
}

impl TimelineColumns {
    /// How many columns follow the time: the event's text and the
    /// optional ones shown.
    fn after_time(&self) -> usize {
        1 + [self.step, self.who, self.source, self.evidence]
            .iter()
            .filter(|c| **c)
            .count()
    }
}

/// A row of the timeline table: an event, or the silence before one.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TimelineRow {
    pub kind: &'static str,
    pub anchor: Option<String>,
    pub at: Option<String>,
    pub at_full: Option<String>,
    pub at_iso: Option<String>,
    pub day_change: bool,
    /// The event's time is approximate: `at` and `at_full` start with `≈`.
    pub approx: bool,
    /// The event has a date only: `at` and `at_full` are the day.
    pub day_only: bool,
    pub text_html: Option<String>,
    pub step: Option<String>,
    pub step_label: Option<String>,
    pub milestone: bool,
    /// The event is outside the active window (before its start or after
    /// its end): the drawing marks it hollow, and so does the table on a
    /// phone.
    pub outside: bool,
    pub who: Option<String>,
    pub source: Option<String>,
    pub evidence: Option<LinkView>,
    pub length: Option<String>,
    pub explained: bool,
    pub explanation: Option<String>,
}

/// A link a record gives: its label and URL (an absolute URL, or a site
/// path the page prefixes with its root).
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LinkView {
    pub label: String,
    pub url: String,
}

/// Appends `text` as a cell: `<td>` and the escaped text.
fn cell(out: &mut String, text: Option<&str>) {
    out.push_str("<td>");
    if let Some(text) = text {
        esc(out, text);
    }
}

impl TimelineRow {
    /// The `<tbody>` rows of `rows` for a page whose root is `root`:
    /// `columns` says which optional columns the table has, `gaps` (the
    /// drawing's) where each gap starts and ends. Each row's text is
    /// `text_html` as it is (Markdown pm rendered in safe mode); every
    /// other text is escaped.
    pub fn rows_html(
        rows: &[TimelineRow],
        columns: &TimelineColumns,
        gaps: &[GapShape],
        gap_threshold: &str,
        root: &str,
    ) -> String {
        let mut out = String::with_capacity(rows.len() * 320);
        let o = &mut out;
        let ncols = columns.after_time();
        for (n, row) in rows.iter().enumerate() {
            if row.kind == "gap" {
                // The gap's ends come from the drawing, matched by the event
                // that ends the gap (the next row).
                let next = rows.get(n + 1).and_then(|r| r.anchor.as_deref());
                let span = gaps
                    .iter()
                    .filter(|g| Some(g.before_anchor.as_str()) == next)
                    .collect::<Vec<_>>();
                let length = row.length.as_deref().unwrap_or_default();
                o.push_str(if row.explained {
                    "<tr class=\"gap gap-explained\">"
                } else {
                    "<tr class=\"gap gap-unexplained\">"
                });
                o.push_str(
                    "<td class=\"gap-length\"><span class=\"visually-hidden\">Gap of </span>",
                );
                esc(o, length);
                o.push_str("<td colspan=\"");
                o.push_str(&ncols.to_string());
                o.push_str(if row.explained {
                    "\"><span class=\"gap-label\">Explained gap:</span> "
                } else {
                    "\"><span class=\"gap-label\"><span aria-hidden=\"true\">⚠ </span>Unexplained gap:</span> "
                });
                esc(o, length);
                o.push_str(" with no event");
                for g in span {
                    o.push_str(", <span class=\"gap-span\">from ");
                    esc(o, &g.from);
                    o.push_str(" to ");
                    esc(o, &g.to);
                    o.push_str("</span>");
                }
                if row.explained {
                    if let Some(why) = row.explanation.as_deref().filter(|w| !w.is_empty()) {
                        o.push_str(": ");
                        esc(o, why);
                    }
                } else {
                    o.push_str(" (longer than ");
                    esc(o, gap_threshold);
                    o.push(')');
                }
                continue;
            }
            let anchor = row.anchor.as_deref().unwrap_or_default();
            o.push_str("<tr id=\"");
            esc(o, anchor);
            o.push('"');
            let classes = [
                (row.milestone, "is-milestone"),
                (row.day_change, "day-change"),
                (row.outside, "is-outside"),
            ];
            let mut first = true;
            for (_, class) in classes.iter().filter(|(on, _)| *on) {
                o.push_str(if first { " class=\"" } else { " " });
                o.push_str(class);
                first = false;
            }
            if !first {
                o.push('"');
            }
            o.push_str("><th scope=\"row\"><a href=\"#");
            esc(o, anchor);
            o.push_str("\">");
            if row.day_change {
                o.push_str("<time datetime=\"");
                esc(o, row.at_iso.as_deref().unwrap_or_default());
                o.push_str("\">");
                esc(o, row.at_full.as_deref().unwrap_or_default());
                o.push_str("</time>");
            } else {
                esc(o, row.at.as_deref().unwrap_or_default());
            }
            o.push_str("</a><td>");
            o.push_str(row.text_html.as_deref().unwrap_or_default());
            if columns.step {
                o.push_str("<td>");
                let label = row.step_label.as_deref().or(row.step.as_deref());
                if let Some(label) = label.filter(|l| !l.is_empty()) {
                    // The step's badge: the cell's <b> (style.css draws it).
                    o.push_str("<b>");
                    if row.milestone {
                        o.push_str("<span class=\"visually-hidden\">Milestone: </span>");
                    }
                    esc(o, label);
                    o.push_str("</b>");
                }
            }
            if columns.who {
                cell(o, row.who.as_deref());
            }
            if columns.source {
                cell(o, row.source.as_deref());
            }
            if columns.evidence {
                o.push_str("<td>");
                if let Some(link) = &row.evidence {
                    o.push_str("<a href=\"");
                    urls::href_into(o, root, &link.url);
                    o.push_str("\">");
                    esc(o, &link.label);
                    o.push_str("</a>");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize, day_change: bool) -> TimelineRow {
        TimelineRow {
            kind: "event",
            anchor: Some(format!("event-{n}")),
            at: Some("10:04".to_owned()),
            at_full: Some("2026-11-02 10:04 UTC".to_owned()),
            at_iso: Some("2026-11-02T10:04:00Z".to_owned()),
            day_change,
            approx: false,
            day_only: false,
            text_html: Some("Alert <code>x</code>".to_owned()),
            step: None,
            step_label: None,
            milestone: false,
            outside: n == 3,
            who: Some("<script>alert(1)</script>".to_owned()),
            source: None,
            evidence: Some(LinkView {
                label: "log".to_owned(),
                url: "incidents/a/log.txt".to_owned(),
            }),
            length: None,
            explained: false,
            explanation: None,
        }
    }

    #[test]
    fn rows_escape_record_text_and_give_the_instant_on_a_days_first_event() {
        let columns = TimelineColumns {
            step: false,
            who: true,
            source: true,
            evidence: true,
        };
        let gap = TimelineRow {
            kind: "gap",
            length: Some("45m".to_owned()),
            explained: false,
            ..event(0, false)
        };
        let rows = [event(1, true), gap, event(3, false)];
        let html = TimelineRow::rows_html(&rows, &columns, &[], "30m", "../../");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        // The instant on the day's first event only; the others its time.
        assert_eq!(html.matches("<time datetime=").count(), 1, "{html}");
        assert!(html.contains("<a href=\"#event-3\">10:04</a>"), "{html}");
        assert!(
            html.contains("<tr id=\"event-3\" class=\"is-outside\">"),
            "{html}"
        );
        // A gap spans the columns after the time: text, who, source, evidence.
        assert!(html.contains("<td colspan=\"4\">"), "{html}");
        assert!(html.contains("(longer than 30m)"), "{html}");
        // A site path is prefixed with the page's root.
        assert!(
            html.contains("href=\"../../incidents/a/log.txt\""),
            "{html}"
        );
        // The step is the cell's <b>, a milestone's saying so to screen
        // readers; no span with a class.
        let mut milestone = event(4, false);
        milestone.step_label = Some("Detected".to_owned());
        milestone.milestone = true;
        let steps = TimelineColumns {
            step: true,
            ..TimelineColumns::default()
        };
        let with_step = TimelineRow::rows_html(&[milestone], &steps, &[], "30m", "");
        assert!(
            with_step
                .contains("<td><b><span class=\"visually-hidden\">Milestone: </span>Detected</b>"),
            "{with_step}"
        );
        assert!(!with_step.contains("badge"), "{with_step}");
        // No text between rows: an empty last cell stays `:empty`.
        assert!(!html.contains('\n'), "{html}");
    }
}
