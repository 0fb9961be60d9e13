//! Timeline events read from what responders already have: a Slack channel
//! export, or a CSV or JSON Lines file with a time, who and text per row
//! (what most chat, paging and ticket tools can export).
//!
//! This stage reads an export into plain [`Message`]s with absolute
//! instants; it knows nothing of records (the command places the messages in
//! a record with `edit`). A malformed export is one located [`crate::diag::Diagnostic`]
//! naming the file, line and what is wrong, with the file's text so it can
//! be shown; nothing is half-read. The only module that names `csv`. Files,
//! in order: `export` (what the readers make), `slack`, `table` (CSV and
//! JSON Lines), then this file.

mod export;
mod slack;
mod table;

use std::path::Path;

use crate::model::time::Zone;

use export::read_text;
pub use export::{Export, Failure, Message};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Slack export folder (`channels.json`, `users.json`, per-channel
    /// folders of per-day files).
    Slack,
    /// A CSV file with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// How to read an export.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The format; by default a folder is a Slack export, `.csv` is CSV
    /// and anything else JSON Lines.
    pub kind: Option<Kind>,
    /// The Slack channel (needed when the export holds several).
    pub channel: Option<String>,
    /// The zone of times written without an offset (CSV, JSON Lines).
    pub zone: Option<Zone>,
}

/// Reads the export at `path` (`shown` is how messages name it).
pub fn read(path: &Path, shown: &str, options: &Options) -> Result<Export, Box<Failure>> {
    let kind = options.kind.unwrap_or_else(|| {
        if path.is_dir() {
            Kind::Slack
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            Kind::Csv
        } else {
            Kind::JsonLines
        }
    });
    let name = path
        .file_name()
        .map_or_else(|| shown.to_owned(), |n| n.to_string_lossy().into_owned());
    let mut export = match kind {
        Kind::Slack => slack::read(path, shown, options.channel.as_deref())?,
        Kind::Csv => Export {
            messages: table::read_csv(&read_text(path, shown)?, shown, options.zone.as_ref())?,
            source: format!("csv:{name}"),
        },
        Kind::JsonLines => Export {
            messages: table::read_json_lines(
                &read_text(path, shown)?,
                shown,
                options.zone.as_ref(),
            )?,
            source: format!("jsonl:{name}"),
        },
    };
    export.messages.sort_by_key(|m| m.at);
    Ok(export)
}
