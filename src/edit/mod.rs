//! Format-preserving edits of a record's front matter: new `[[timeline]]`
//! and `[[updates]]` entries inserted as text, every other byte of the file
//! kept as it was (comments, blank lines, key order, the Markdown body).
//!
//! This stage is the only one that names `toml_edit`. It parses the front
//! matter with it to find where entries go (the byte spans of the existing
//! entries) and to write each new entry's TOML, then splices the new text
//! in; the record is never re-serialised. It decides nothing about times or
//! meaning: the caller says where each entry goes ([`Place`]) and how each
//! time is written ([`WrittenTime`], from [`written_time`]). It writes no
//! file (that is `output`). Files, in order: `written` (a time as the
//! format writes it), then this file.

mod written;

use std::ops::Range;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

pub use written::{WrittenTime, written_time};

use crate::parse;

/// One value of a new entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryValue {
    /// A string (escaped as TOML requires).
    Text(String),
    /// A datetime or bare time, unquoted.
    Time(WrittenTime),
}

/// A new entry of an array of tables (`[[timeline]]`, `[[updates]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A comment written on the line above the entry's header, if any
    /// (`# imported from slack:#inc-42 …`). One line; control characters
    /// are dropped.
    pub comment: Option<String>,
    /// The keys and values, in the order written.
    pub keys: Vec<(&'static str, EntryValue)>,
}

impl Entry {
    /// The entry as TOML, header first, one key per line, ending in a
    /// newline (`[[timeline]]\nat = 14:02:00\ntext = "…"\n`).
    pub fn to_toml(&self, array: &str) -> String {
        let mut table = Table::new();
        for (key, value) in &self.keys {
            let value = match value {
                EntryValue::Text(text) => text_value(text),
                EntryValue::Time(time) => toml_edit::value(time.datetime()),
            };
            table.insert(key, value);
        }
        let mut entries = ArrayOfTables::new();
        entries.push(table);
        let mut doc = DocumentMut::new();
        doc.insert(array, Item::ArrayOfTables(entries));
        let mut out = String::new();
        if let Some(comment) = &self.comment {
            let line: String = comment
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            out.push_str("# ");
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(&doc.to_string());
        out
    }
}

/// A string value. A multi-line string may be written across lines, but
/// never with a line that reads `+++`, which would end the front matter:
/// such a text is written on one line, its line breaks escaped.
fn text_value(text: &str) -> Item {
    if !text.lines().any(|l| l.trim_end() == parse::DELIMITER) {
        return toml_edit::value(text);
    }
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('"');
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if c.is_control() => escaped.push_str(&format!("\\u{:04X}", c as u32)),
            c => escaped.push(c),
        }
    }
    escaped.push('"');
    escaped
        .parse::<toml_edit::Value>()
        .map_or_else(|_| toml_edit::value(text), Item::Value)
}

/// Where new entries go, relative to the entries already in the array, in
/// the order they are written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Before the first entry; when the array has none, where a new array
    /// goes (before the first of the `before` tables the caller names, else
    /// at the end of the front matter).
    Start,
    /// After the entry at this position (0-based, in file order).
    After(usize),
}

/// Why a record could not be edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The front matter cannot be found or is not valid TOML; `pm lint`
    /// says why. The record is not edited.
    Unreadable,
    /// The key exists but is not an array of tables (`timeline = []`, or a
    /// `[timeline]` table), so an entry cannot be added without changing
    /// what is there.
    NotAnArray {
        /// The key (`timeline`).
        key: String,
        /// Its span in the file.
        span: Option<Range<usize>>,
    },
    /// A `Place::After` beyond the entries there are.
    NoSuchEntry(usize),
    /// The edited front matter did not read back as the same document plus
    /// the new entries: a bug, reported rather than written.
    Inconsistent(String),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Unreadable => write!(f, "the front matter cannot be read"),
            EditError::NotAnArray { key, .. } => write!(
                f,
                "`{key}` is not an array of tables (`[[{key}]]` entries), so pm cannot add one"
            ),
            EditError::NoSuchEntry(i) => write!(f, "there is no entry {}", i + 1),
            EditError::Inconsistent(why) => write!(f, "the edit did not read back: {why}"),
        }
    }
}

/// The record after an edit: its new text, and the TOML of each inserted
/// block, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The whole record, edited.
    pub text: String,
    /// Each block of new entries as inserted (without the blank lines
    /// around it), in file order.
    pub blocks: Vec<String>,
}

/// How many entries `array` holds in the record `text`, or why it cannot
/// be edited.
pub fn count_entries(text: &str, array: &str) -> Result<usize, EditError> {
    let split = parse::split_front_matter(text).map_err(|_| EditError::Unreadable)?;
    let fm = &text[split.front_matter.clone()];
    let doc = toml_edit::Document::parse(fm).map_err(|_| EditError::Unreadable)?;
    Ok(entry_spans(&doc, array, split.front_matter.start)?.len())
}

/// Inserts `entries` (each with its place) into `array` of the record
/// `text`. Entries with the same place are written in the order given.
/// `before` says where a new array goes when there is none yet: before the
/// first of the tables it names (the tables the record template puts after
/// it), or before the first line starting with one of its items that start
/// with `#` (a comment the template writes after it), whichever comes first.
pub fn insert_entries(
    text: &str,
    array: &str,
    entries: &[(Place, Entry)],
    before: &[&str],
) -> Result<Edited, EditError> {
    let split = parse::split_front_matter(text).map_err(|_| EditError::Unreadable)?;
    let fm_range = split.front_matter.clone();
    let fm = &text[fm_range.clone()];
    let doc = toml_edit::Document::parse(fm).map_err(|_| EditError::Unreadable)?;
    let spans = entry_spans(&doc, array, fm_range.start)?;
    let crlf = fm.contains("\r\n");
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut places: Vec<Place> = entries.iter().map(|(p, _)| *p).collect();
    places.sort();
    places.dedup();
    // Each place becomes one block inserted at one byte offset.
    let mut splices: Vec<(usize, String, String)> = Vec::new();
    for place in places {
        let block: String = entries
            .iter()
            .filter(|(p, _)| *p == place)
            .map(|(_, e)| e.to_toml(array))
            .collect::<Vec<_>>()
            .join("\n");
        let block = if crlf {
            block.replace('\n', "\r\n")
        } else {
            block
        };
        let (offset, inserted) = match (place, spans.first()) {
            (Place::After(i), _) => {
                let span = spans.get(i).ok_or(EditError::NoSuchEntry(i))?;
                let end = line_end(text, span.content_end, fm_range.end);
                (end, format!("{newline}{block}"))
            }
            (Place::Start, Some(first)) => (first.header_line, format!("{block}{newline}")),
            (Place::Start, None) => {
                let fm_end = fm_range.end;
                let table = first_table_line(&doc, before, fm_range.start, text);
                let marker = marker_line(text, fm_range.clone(), before);
                let at = table.into_iter().chain(marker).min().unwrap_or(fm_end);
                let lead = if at > 0 && !text[..at].ends_with(&format!("{newline}{newline}")) {
                    newline
                } else {
                    ""
                };
                let close = if at < fm_range.end { newline } else { "" };
                (at, format!("{lead}{block}{close}"))
            }
        };
        splices.push((offset, inserted, block));
    }
    splices.sort_by_key(|(offset, _, _)| *offset);
    let mut out = String::with_capacity(text.len() + 256);
    let mut from = 0;
    let mut blocks = Vec::new();
    for (offset, inserted, block) in splices {
        out.push_str(&text[from..offset]);
        out.push_str(&inserted);
        from = offset;
        blocks.push(block.replace("\r\n", "\n"));
    }
    out.push_str(&text[from..]);
    check_read_back(&out, array, spans.len() + entries.len())?;
    Ok(Edited { text: out, blocks })
}

/// Where an existing entry is in the file.
#[derive(Debug, Clone, Copy)]
struct EntrySpan {
    /// The start of the line holding its `[[array]]` header.
    header_line: usize,
    /// The end of the last value written in it.
    content_end: usize,
}

/// The spans of the entries of `array`, in file offsets (`offset` is where
/// the front matter starts). No array is no entries.
fn entry_spans(
    doc: &toml_edit::Document<&str>,
    array: &str,
    offset: usize,
) -> Result<Vec<EntrySpan>, EditError> {
    let Some(item) = doc.as_table().get(array) else {
        return Ok(Vec::new());
    };
    let Item::ArrayOfTables(tables) = item else {
        let span = doc
            .as_table()
            .key(array)
            .and_then(toml_edit::Key::span)
            .map(|s| s.start + offset..s.end + offset);
        return Err(EditError::NotAnArray {
            key: array.to_owned(),
            span,
        });
    };
    let raw = doc.raw();
    let mut spans = Vec::with_capacity(tables.len());
    for table in tables.iter() {
        let header = table
            .span()
            .ok_or_else(|| EditError::Inconsistent("an entry has no position".to_owned()))?;
        let header_line = raw[..header.start].rfind('\n').map_or(0, |i| i + 1);
        let content_end = table_end(table).max(header.end);
        spans.push(EntrySpan {
            header_line: header_line + offset,
            content_end: content_end + offset,
        });
    }
    Ok(spans)
}

/// The end of the last value (or sub-table) written in `table`.
fn table_end(table: &Table) -> usize {
    table
        .iter()
        .map(|(_, item)| match item {
            Item::Table(t) => table_end(t).max(t.span().map_or(0, |s| s.end)),
            Item::ArrayOfTables(a) => a
                .iter()
                .map(|t| table_end(t).max(t.span().map_or(0, |s| s.end)))
                .max()
                .unwrap_or(0),
            other => other.span().map_or(0, |s| s.end),
        })
        .max()
        .unwrap_or(0)
}

/// The offset just past the line ending of the line holding `at` (a comment
/// after the value stays on its line), or `limit`.
fn line_end(text: &str, at: usize, limit: usize) -> usize {
    text[at..limit].find('\n').map_or(limit, |i| at + i + 1)
}

/// The start of the header line of the first top-level table named in
/// `before`, in file offsets.
fn first_table_line(
    doc: &toml_edit::Document<&str>,
    before: &[&str],
    offset: usize,
    text: &str,
) -> Option<usize> {
    let start = before
        .iter()
        .filter_map(|name| match doc.as_table().get(name)? {
            Item::Table(t) => t.span().map(|s| s.start),
            Item::ArrayOfTables(a) => a.iter().filter_map(|t| t.span()).map(|s| s.start).min(),
            _ => None,
        })
        .min()?;
    let at = start + offset;
    let mut line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    // Comment lines right above the header introduce that table: the new
    // array goes above them, not between them and their table.
    while line > offset {
        let previous = text[..line - 1]
            .rfind('\n')
            .map_or(0, |i| i + 1)
            .max(offset);
        if !text[previous..line].trim_start().starts_with('#') {
            break;
        }
        line = previous;
    }
    Some(line)
}

/// The start of the first line of the front matter (`fm`) that starts with
/// one of the `#` items of `before`.
fn marker_line(text: &str, fm: Range<usize>, before: &[&str]) -> Option<usize> {
    let mut start = fm.start;
    for line in text[fm].split_inclusive('\n') {
        if before
            .iter()
            .any(|m| m.starts_with('#') && line.starts_with(m))
        {
            return Some(start);
        }
        start += line.len();
    }
    None
}

/// Checks that the edited record still parses and holds `expected` entries.
fn check_read_back(text: &str, array: &str, expected: usize) -> Result<(), EditError> {
    let split = parse::split_front_matter(text)
        .map_err(|_| EditError::Inconsistent("the front matter no longer splits".to_owned()))?;
    let fm = &text[split.front_matter];
    let doc = toml_edit::Document::parse(fm)
        .map_err(|e| EditError::Inconsistent(format!("the front matter no longer parses: {e}")))?;
    let found = match doc.as_table().get(array) {
        Some(Item::ArrayOfTables(a)) => a.len(),
        _ => 0,
    };
    if found == expected {
        Ok(())
    } else {
        Err(EditError::Inconsistent(format!(
            "expected {expected} `{array}` entries, found {found}"
        )))
    }
}

#[cfg(test)]
mod tests;
