//! `actions.csv`: every action item for spreadsheets, one row per item.
//! Nothing here reads or writes files.

use super::cx::{ViewCx, is_overdue};
use super::urls;
use crate::model::ActionKind;
use crate::stats::push_csv_cell;

/// `actions.csv`: one row per action item, by incident id and position,
/// RFC 4180 (CRLF line ends, fields quoted when needed, cells that would
/// start a spreadsheet formula prefixed with `'`). `site_url` is the
/// site's absolute URL when there is one, for the `url` column.
pub fn actions_csv(cx: &ViewCx<'_>, site_url: Option<&str>) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a vector cannot fail.
    let _ = write_actions_csv(cx, site_url, &mut out);
    out
}

/// [`actions_csv`], written into `out` a row at a time.
pub fn write_actions_csv(
    cx: &ViewCx<'_>,
    site_url: Option<&str>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut row = String::new();
    let header = [
        "id",
        "incident",
        "incident_title",
        "kind",
        "text",
        "owner",
        "due",
        "status",
        "closed",
        "overdue",
        "link",
        "url",
    ];
    push_row(&mut row, header);
    let mut due = String::new();
    let mut closed = String::new();
    let mut url = String::new();
    for incident in cx.corpus.incidents.values() {
        for a in &incident.actions {
            out.write_all(row.as_bytes())?;
            row.clear();
            let anchor = urls::action_anchor(&incident.id, a.index);
            fill(&mut due, a.due);
            fill(&mut closed, a.closed);
            url.clear();
            url.push_str(site_url.unwrap_or(""));
            url.push_str(&urls::action(&incident.id, a.index));
            push_row(
                &mut row,
                [
                    anchor.as_str(),
                    incident.id.as_str(),
                    incident.title.as_str(),
                    a.kind.map(ActionKind::as_str).unwrap_or(""),
                    a.text.as_str(),
                    a.owner.as_deref().unwrap_or(""),
                    due.as_str(),
                    a.status.as_str(),
                    closed.as_str(),
                    if is_overdue(a, cx.today) {
                        "true"
                    } else {
                        "false"
                    },
                    a.link.as_deref().unwrap_or(""),
                    url.as_str(),
                ],
            );
        }
    }
    out.write_all(row.as_bytes())
}

/// `date` written into `buf` (`YYYY-MM-DD`), or nothing.
fn fill(buf: &mut String, date: Option<jiff::civil::Date>) {
    use std::fmt::Write as _;
    buf.clear();
    if let Some(d) = date {
        // Writing into a string cannot fail.
        let _ = write!(buf, "{d}");
    }
}

/// A CSV row of `cells`, each as [`crate::stats::csv_cell`] writes it.
fn push_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_csv_cell(out, cell);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::csv_cell;

    #[test]
    fn a_row_is_written_as_csv_cell_writes_each_cell() {
        let cells = [
            "plain",
            "",
            "with, comma",
            "semi;colon",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "=SUM(A1)",
            "+1",
            "-x",
            "@here",
            "\tTab",
            "=a,b",
            "ünïcode – dash",
            "https://example.com/a?b=c&d=e",
        ];
        let mut row = String::new();
        push_row(&mut row, cells);
        let expected = cells.map(csv_cell).join(",") + "\r\n";
        assert_eq!(row, expected);
    }

    #[test]
    fn dates_fill_the_buffer_or_empty_it() {
        let mut buf = "old".to_owned();
        fill(&mut buf, "2026-03-04".parse().ok());
        assert_eq!(buf, "2026-03-04");
        fill(&mut buf, None);
        assert_eq!(buf, "");
    }
}
