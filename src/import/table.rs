//! Generic exports, one message per row: CSV with a header row, or JSON
//! Lines (`{"time": …, "who": …, "text": …}` per line). Column and key
//! names are matched without regard to case, with the usual synonyms
//! (`timestamp`, `user`, `message`…).

use std::sync::Arc;

use serde_json::Value;

use super::export::{Failure, Message, failure, instant, line_span};
use crate::diag::{Diagnostic, Text};
use crate::model::time::Zone;

/// Names a time column may have.
const TIME: &[&str] = &[
    "time",
    "timestamp",
    "at",
    "date",
    "datetime",
    "created_at",
    "created",
];
/// Names a who column may have.
const WHO: &[&str] = &[
    "who", "user", "author", "name", "from", "sender", "username",
];
/// Names a text column may have.
const TEXT: &[&str] = &[
    "text",
    "message",
    "body",
    "description",
    "summary",
    "content",
];

/// The index of the first header among `names`.
fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    })
}

/// A diagnostic at line `line` of `text`.
fn at_line(text: &Text, shown: &str, line: usize, message: String, help: String) -> Box<Failure> {
    failure(
        Diagnostic::error("malformed_export", shown, message)
            .at(line_span(text, line))
            .help(help),
        Some(Arc::clone(text)),
    )
}

/// Reads a CSV export.
pub(super) fn read_csv(
    text: &Text,
    shown: &str,
    zone: Option<&Zone>,
) -> Result<Vec<Message>, Box<Failure>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        at_line(
            text,
            shown,
            line,
            format!("not valid CSV: {e}"),
            "check the quoting on this line".to_owned(),
        )
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_owned)
        .collect();
    let (Some(time), Some(body)) = (column(&headers, TIME), column(&headers, TEXT)) else {
        return Err(at_line(
            text,
            shown,
            1,
            "the header row has no time or no text column".to_owned(),
            format!(
                "name the columns `time`, `who` and `text` (found {})",
                crate::diag::backticked(&headers)
            ),
        ));
    };
    let who = column(&headers, WHO);
    let mut messages = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(row + 2, |p| p.line() as usize);
        let field = |i: usize| record.get(i).map(str::trim).filter(|s| !s.is_empty());
        let Some(when) = field(time) else {
            return Err(at_line(
                text,
                shown,
                line,
                format!("row {} has no time", row + 1),
                format!(
                    "fill the `{}` column, or delete the row",
                    headers[time].trim()
                ),
            ));
        };
        let at = instant(when, zone).map_err(|(message, help)| {
            at_line(
                text,
                shown,
                line,
                format!("row {}: {message}", row + 1),
                help,
            )
        })?;
        let Some(said) = field(body) else { continue };
        messages.push(Message {
            at,
            who: who.and_then(field).map(str::to_owned),
            text: said.to_owned(),
        });
    }
    Ok(messages)
}

/// The first of `names` present in `object` as a string (numbers are
/// written as they are).
fn key(object: &serde_json::Map<String, Value>, names: &[&str]) -> Option<String> {
    object.iter().find_map(|(k, v)| {
        if !names.iter().any(|n| k.eq_ignore_ascii_case(n)) {
            return None;
        }
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    })
}

/// Reads a JSON Lines export; blank lines are skipped.
pub(super) fn read_json_lines(
    text: &Text,
    shown: &str,
    zone: Option<&Zone>,
) -> Result<Vec<Message>, Box<Failure>> {
    let mut messages = Vec::new();
    for (i, line_text) in text.lines().enumerate() {
        let line = i + 1;
        if line_text.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line_text).map_err(|e| {
            let what = format!("line {line} is not valid JSON: {e}");
            let mut failure = at_line(text, shown, line, what, "each line holds one JSON object: `{\"time\": \"2026-12-06T14:02:00Z\", \"who\": \"alice\", \"text\": \"…\"}`".to_owned());
            // Point at the column serde_json stopped at, on that line.
            let span = line_span(text, line);
            let at = (span.start + e.column().saturating_sub(1)).min(span.end);
            failure.diagnostic.span = Some(at..at);
            failure
        })?;
        let Value::Object(object) = value else {
            return Err(at_line(
                text,
                shown,
                line,
                format!("line {line} is not a JSON object"),
                "each line holds one object with `time`, `who` and `text`".to_owned(),
            ));
        };
        let Some(when) = key(&object, TIME) else {
            return Err(at_line(
                text,
                shown,
                line,
                format!("line {line} has no time"),
                "add `\"time\": \"2026-12-06T14:02:00Z\"`, or delete the line".to_owned(),
            ));
        };
        let at = instant(&when, zone).map_err(|(message, help)| {
            at_line(text, shown, line, format!("line {line}: {message}"), help)
        })?;
        let Some(said) = key(&object, TEXT) else {
            continue;
        };
        messages.push(Message {
            at,
            who: key(&object, WHO),
            text: said,
        });
    }
    Ok(messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Arc::new(s.to_owned())
    }

    #[test]
    fn csv_rows_become_messages() {
        let t = text(
            "Time,Who,Message\n2026-12-06T14:02:00Z,alice,\"paged, acked\"\n2026-12-06 15:05:00+01:00,,no who\n2026-12-06T14:09:00Z,bob,\n",
        );
        let m = read_csv(&t, "x.csv", None).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].text, "paged, acked");
        assert_eq!(m[0].who.as_deref(), Some("alice"));
        assert_eq!(m[1].at.to_string(), "2026-12-06T14:05:00Z");
        assert_eq!(m[1].who, None);
    }

    #[test]
    fn a_csv_row_without_a_time_names_its_row_and_line() {
        let t = text("time,who,text\n2026-12-06T14:02:00Z,alice,ok\n,bob,lost\n");
        let f = read_csv(&t, "x.csv", None).unwrap_err();
        assert_eq!(f.diagnostic.message, "row 2 has no time");
        assert_eq!(f.diagnostic.span, Some(line_span(&t, 3)));
        let f = read_csv(&text("when,what\n"), "x.csv", None).unwrap_err();
        assert!(f.diagnostic.message.contains("no time or no text column"));
    }

    #[test]
    fn json_lines_are_read_and_broken_lines_located() {
        let t = text(
            "{\"time\":\"2026-12-06T14:02:00Z\",\"who\":\"a\",\"text\":\"x\"}\n\n{\"time\": \"2026-12-06T14:03:00Z\", \"text\": }\n",
        );
        let f = read_json_lines(&t, "x.jsonl", None).unwrap_err();
        assert!(
            f.diagnostic.message.starts_with("line 3 is not valid JSON"),
            "{}",
            f.diagnostic.message
        );
        let ok = read_json_lines(
            &text("{\"time\":\"2026-12-06T14:02:00Z\",\"who\":\"a\",\"text\":\"x\"}\n"),
            "x.jsonl",
            None,
        )
        .unwrap();
        assert_eq!(ok[0].who.as_deref(), Some("a"));
    }
}
