//! What an export reads into: [`Message`]s with absolute instants, or one
//! located [`Failure`]; and what every reader shares to get there (a file's
//! text, a line's span, an instant written in the export's zone).

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use crate::diag::{Diagnostic, Text};
use crate::model::time::{self, Zone};
use crate::parse::TomlDatetime;

/// One message of an export, as a timeline event to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// When it was sent.
    pub at: Timestamp,
    /// Who sent it, when the export says.
    pub who: Option<String>,
    /// What it says, as inline Markdown.
    pub text: String,
}

/// What was read from an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The messages, in time order.
    pub messages: Vec<Message>,
    /// Where they come from, for the events' `source` (`slack:#inc-42`,
    /// `csv:pager.csv`).
    pub source: String,
}

/// A malformed export: the diagnostic, and the text of the file it points
/// into (to draw the line), when there is one.
#[derive(Debug, Clone)]
pub struct Failure {
    /// What is wrong, where, and how to fix it.
    pub diagnostic: Diagnostic,
    /// The file's text, keyed by `diagnostic.file`.
    pub text: Option<Text>,
}

/// A file of the export, as text.
pub(super) fn read_text(path: &Path, shown: &str) -> Result<Text, Box<Failure>> {
    std::fs::read_to_string(path).map(Arc::new).map_err(|e| {
        failure(
            Diagnostic::error(
                "malformed_export",
                shown,
                format!("cannot read `{shown}`: {e}"),
            )
            .help("check the path and that the file is UTF-8 text"),
            None,
        )
    })
}

/// A failure, boxed (the error path is rare; the success path stays small).
pub(super) fn failure(diagnostic: Diagnostic, text: Option<Text>) -> Box<Failure> {
    Box::new(Failure { diagnostic, text })
}

/// The byte range of line `line` (1-based) of `text`, without its ending.
pub(super) fn line_span(text: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}

/// An instant written in an export: RFC 3339 with an offset
/// (`2026-12-06T14:02:00Z`, `…+01:00`), or a local datetime (`T` or a space
/// between date and time, seconds optional) read in `zone`. A local time
/// the zone skipped or repeated is refused, as in records.
pub(super) fn instant(text: &str, zone: Option<&Zone>) -> Result<Timestamp, (String, String)> {
    let trimmed = text.trim();
    let normal = match trimmed.as_bytes().get(10) {
        Some(b' ') => format!("{}T{}", &trimmed[..10], &trimmed[11..]),
        _ => trimmed.to_owned(),
    };
    let Ok(dt) = normal.parse::<TomlDatetime>() else {
        return Err((
            format!("`{trimmed}` is not a date and time"),
            "write times as `2026-12-06T14:02:00Z`, `2026-12-06 15:02:00+01:00`, or `2026-12-06 14:02` with `--zone`".to_owned(),
        ));
    };
    if dt.date.is_none() || dt.time.is_none() {
        return Err((
            format!("`{trimmed}` is not a full date and time"),
            "give both the day and the time, e.g. `2026-12-06T14:02:00Z`".to_owned(),
        ));
    }
    if dt.offset.is_none() && zone.is_none() {
        return Err((
            format!("`{trimmed}` has no UTC offset, and no zone was given"),
            "pass `--zone <IANA name>` (the zone the tool exported in, e.g. `--zone Europe/Berlin`), or export times with an offset".to_owned(),
        ));
    }
    time::resolve_instant(&dt, zone, None)
        .map(|(at, ..)| at)
        .map_err(|e| (e.message, e.help))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Zone {
        Zone {
            tz: jiff::tz::TimeZone::get("Europe/Berlin").unwrap(),
            name: "Europe/Berlin".to_owned(),
        }
    }

    #[test]
    fn instants_with_offsets_or_in_the_zone() {
        let utc = "2026-12-06T13:02:00Z".parse::<Timestamp>().unwrap();
        assert_eq!(instant("2026-12-06T13:02:00Z", None), Ok(utc));
        assert_eq!(instant(" 2026-12-06 14:02:00+01:00 ", None), Ok(utc));
        assert_eq!(instant("2026-12-06 14:02", Some(&berlin())), Ok(utc));
        assert!(
            instant("2026-12-06 14:02", None)
                .unwrap_err()
                .1
                .contains("--zone")
        );
        let gap = instant("2026-03-29 02:30", Some(&berlin())).unwrap_err();
        assert!(gap.0.contains("does not exist in Europe/Berlin"), "{gap:?}");
        assert!(instant("yesterday", None).is_err());
        assert!(instant("14:02", Some(&berlin())).is_err());
    }

    #[test]
    fn line_spans() {
        assert_eq!(line_span("a\r\nbc\nd", 2), 3..5);
        assert_eq!(line_span("a\nbc\nd", 3), 5..6);
    }
}
