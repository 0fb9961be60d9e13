//! The incident page's action items: the three follow-up questions
//! (monitoring, prevention, the others by kind), each a section with one
//! table per group, written as HTML ([`action_sections_html`]).
//!
//! Written here rather than by a template loop for the same reason as the
//! event table's rows (`event_table`): the template built the sections as a
//! literal list of maps on every page and converted each item into template
//! values. Rows are written light: the optional end tags are left out (the
//! head's and the body's too), with no text between rows or before
//! `</table>`, and a date is plain text (it is already a valid date string). Uses `cx` (the action item's view) only.

use super::cx::ActionView;
use crate::markdown::escape_html_into as esc;

/// One group of a section: the kind (an id suffix), the
/// heading (none for monitoring and prevention) and its items.
pub(super) struct ActionGroupRef<'a> {
    /// `monitoring`, `prevention`, `mitigation`, `process`,
    /// `documentation`, `none`.
    pub(super) kind: &'a str,
    /// The group's heading, empty for a section of one group.
    pub(super) label: &'a str,
    /// The group's items, record order.
    pub(super) items: &'a [ActionView],
}

/// The `<div id="review-actions">` of the three sections: `monitoring` and
/// `prevention` are one group each, `other` the rest by kind.
pub(super) fn action_sections_html(
    monitoring: &[ActionView],
    prevention: &[ActionView],
    other: &[ActionGroupRef<'_>],
) -> String {
    let mut out = String::with_capacity(4 * 1024);
    let o = &mut out;
    o.push_str("\n<div id=\"review-actions\" class=\"action-sections\">");
    let one = |kind, items| {
        vec![ActionGroupRef {
            kind,
            label: "",
            items,
        }]
    };
    section(
        o,
        "review-monitoring",
        "What monitoring would have caught this sooner",
        &one("monitoring", monitoring),
        "No monitoring action items recorded. Which alert, dashboard or check would have shown this before anyone noticed it by hand?",
    );
    section(
        o,
        "review-prevention",
        "What would have prevented this",
        &one("prevention", prevention),
        "No prevention action items recorded. What change would have stopped this from happening at all?",
    );
    section(
        o,
        "review-other-actions",
        "Other action items",
        other,
        "No other action items recorded.",
    );
    o.push_str("\n</div>");
    out
}

/// One section: its heading, then a table per group with items, or the
/// `empty` note when no group has any.
fn section(o: &mut String, id: &str, title: &str, groups: &[ActionGroupRef<'_>], empty: &str) {
    o.push_str("\n<section id=\"");
    o.push_str(id);
    o.push_str("\" aria-labelledby=\"");
    o.push_str(id);
    o.push_str("-title\">\n<h2 id=\"");
    o.push_str(id);
    o.push_str("-title\">");
    o.push_str(title);
    o.push_str("</h2>");
    let groups: Vec<&ActionGroupRef<'_>> = groups.iter().filter(|g| !g.items.is_empty()).collect();
    if groups.is_empty() {
        o.push_str("\n<p class=\"empty\">");
        o.push_str(empty);
        o.push_str("</p>");
    }
    for g in groups {
        let labelled_by = if g.label.is_empty() {
            format!("{id}-title")
        } else {
            o.push_str("\n<h3 id=\"");
            o.push_str(id);
            o.push('-');
            esc(o, g.kind);
            o.push_str("\">");
            esc(o, g.label);
            o.push_str("</h3>");
            format!("{id}-{}", g.kind)
        };
        o.push_str("\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"");
        esc(o, &labelled_by);
        o.push_str("\" tabindex=\"0\">\n<table class=\"data actions\">\n<thead><tr><th>Action<th>Owner<th>Due<th>Status<th>Tracker<tbody>");
        for a in g.items {
            row(o, a);
        }
        o.push_str("</table>\n</div>");
    }
    o.push_str("\n</section>");
}

/// One item's row: its text (a row heading: a `<th>` in a column of
/// `<th>`s, which the HTML table model makes the row's header without a
/// `scope`), owner, due date, status and tracker link. The due and status cells do not wrap (style.css, by
/// column).
fn row(o: &mut String, a: &ActionView) {
    let unowned = a.owner.is_none();
    o.push_str(match (a.overdue, unowned) {
        (true, true) => "<tr class=\"is-overdue is-unowned\">",
        (true, false) => "<tr class=\"is-overdue\">",
        (false, true) => "<tr class=\"is-unowned\">",
        (false, false) => "<tr>",
    });
    o.push_str("<th>");
    o.push_str(&a.text_html);
    match &a.owner {
        Some(owner) => {
            o.push_str("<td>");
            esc(o, owner);
        }
        None => o.push_str("<td><span class=\"flag flag-warn\">Unowned</span>"),
    }
    match &a.due {
        Some(due) => {
            o.push_str("<td>");
            esc(o, due);
        }
        None => o.push_str("<td><span class=\"muted\">no due date</span>"),
    }
    if a.overdue {
        o.push_str(" <span class=\"flag flag-overdue\">Overdue</span>");
    }
    o.push_str("<td><span class=\"badge state state-");
    esc(o, a.status);
    o.push_str("\">");
    o.push_str(match a.status {
        "in-progress" => "In progress",
        "wont-do" => "Won’t do",
        "open" => "Open",
        "done" => "Done",
        other => other,
    });
    o.push_str("</span>");
    if let Some(closed) = &a.closed {
        o.push_str(" <small>on ");
        esc(o, closed);
        o.push_str("</small>");
    }
    match &a.link {
        Some(link) => {
            o.push_str("<td><a href=\"");
            esc(o, link);
            o.push_str("\" rel=\"noopener noreferrer\">Tracker<span class=\"visually-hidden\"> for this action</span></a>");
        }
        None => o.push_str("<td><span class=\"muted\">—</span>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str, owner: Option<&str>) -> ActionView {
        ActionView {
            kind: Some("process"),
            text_html: text.to_owned(),
            owner: owner.map(str::to_owned),
            due: Some("2026-12-01".to_owned()),
            status: "done",
            link: None,
            overdue: false,
            closed: None,
            incident_id: "a".to_owned(),
            incident_url: "incidents/a/".to_owned(),
            incident_title: "A".to_owned(),
        }
    }

    #[test]
    fn action_rows_are_written_light() {
        let process = [item("Add <code>x</code> to the checklist", Some("sam"))];
        let other = [ActionGroupRef {
            kind: "process",
            label: "Process",
            items: &process,
        }];
        let html = action_sections_html(&[item("Alert on <b>y</b>", None)], &[], &other);
        // The head and body leave out the end tags HTML implies, and the
        // item's text is the row's <th> (a column of <th>s: no scope, no
        // class; style.css finds it as `.action-sections .actions tbody th`).
        assert!(
            html.contains("<table class=\"data actions\">\n<thead><tr><th>Action<th>Owner<th>Due<th>Status<th>Tracker<tbody><tr class=\"is-unowned\"><th>Alert on <b>y</b><td>"),
            "{html}"
        );
        assert!(
            html.contains("<tr><th>Add <code>x</code> to the checklist<td>sam<td>2026-12-01<td>"),
            "{html}"
        );
        assert!(html.contains("—</span></table>\n</div>"), "{html}");
        for heavy in [
            "scope=",
            "action-text",
            "action-kind",
            "</th>",
            "</tbody>",
            "</thead>",
        ] {
            assert!(!html.contains(heavy), "{heavy}: {html}");
        }
        // An empty question still asks.
        assert!(
            html.contains("No prevention action items recorded."),
            "{html}"
        );
    }
}
