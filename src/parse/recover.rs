//! Reading a front matter past its value errors, so that one wrong value
//! does not hide the rest of the record.
//!
//! serde stops at the first value it cannot take (`severity = 3`, an
//! unknown key, an impossible date), and the whole front matter is lost
//! with it. [`read`] answers that error by blanking the `key = value` line
//! it is in (every byte but line endings becomes a space, so every later
//! span stays where it was), noting the key as [`Lost`], and reading again;
//! at most [`MAX_ERRORS`] times. An error in a table header (`[impacts]`)
//! blanks that table and every table of the same name.
//!
//! Only documents whose TOML *syntax* is sound are read this way:
//! `toml_parser` must report no error on them, so the lines and tables
//! found are the ones toml reads. Blanking a whole line-level `key = value`
//! or a whole table keeps such a document sound, so every later error is
//! one of the document as written. A syntax error, an error with no span or
//! outside any key and table, or more than [`MAX_ERRORS`] errors end the
//! reading without a value, as before.
//!
//! Uses `fast` (through [`front_matter`]); knows nothing of the record's
//! keys.

use std::borrow::Cow;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml_parser::decoder::Encoding;
use toml_parser::parser::{EventReceiver, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Raw, Source};

use super::fast;

/// How deep arrays and inline tables may nest for [`read`] to read past an
/// error: the parser descends as the receiver asks, and a record needs a
/// few levels at most. Deeper documents get their first error only.
const MAX_DEPTH: usize = 32;

/// How many errors one front matter may have before pm stops reading it:
/// each costs one more parse of the front matter.
pub const MAX_ERRORS: usize = 20;

/// Reads a front matter: through the [`fast`] path when it can, else (and
/// for every error) through `toml::from_str`, with the same result.
pub fn front_matter<T: DeserializeOwned + fast::FromTree>(fm: &str) -> Result<T, toml::de::Error> {
    match fast::direct_from_str(fm) {
        Some(value) => Ok(value),
        None => toml::from_str(fm),
    }
}

/// A key (or table) left out of a front matter because its value was an
/// error, which was reported: validation must not report it again as
/// missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Lost {
    /// The table it was in, as its header names it (`impact`, `timeline`);
    /// empty at the top level.
    pub table: String,
    /// The header of that table (`[[timeline]]`), where serde's span of
    /// the table is; `None` at the top level and for a lost table.
    pub header: Option<Range<usize>>,
    /// The key as written (dotted keys joined with `.`); for a lost table,
    /// its name.
    pub key: String,
    /// The key is not one of its table's: the known key closest to it
    /// (`severity` for `severty`), if any.
    pub meant: Option<String>,
    /// The key is not one of its table's keys (a typo, or a key below the
    /// wrong header).
    pub unknown: bool,
    /// The value as written, trimmed (empty for a table).
    pub written: String,
    /// The value, when it reads as TOML on its own (not an impossible date
    /// or an unquoted word).
    pub value: Option<toml::Value>,
    /// Where the `key = value` (or the table) was, in the front matter.
    pub range: Range<usize>,
    /// Whether a whole table was lost.
    pub whole_table: bool,
}

/// What [`read`] made of a front matter.
#[derive(Debug)]
pub struct Recovered<T> {
    /// The value read, without the lost keys; `None` when it could not be.
    pub value: Option<T>,
    /// Every error met, in the order met.
    pub errors: Vec<toml::de::Error>,
    /// The keys and tables left out.
    pub lost: Vec<Lost>,
}

/// Reads `fm`, leaving out each `key = value` (or table) an error is in and
/// reading again, up to [`MAX_ERRORS`] errors.
pub fn read<T: DeserializeOwned + fast::FromTree>(fm: &str) -> Recovered<T> {
    let mut errors = Vec::new();
    let mut lost: Vec<Lost> = Vec::new();
    let first = match front_matter::<T>(fm) {
        Ok(value) => {
            return Recovered {
                value: Some(value),
                errors,
                lost,
            };
        }
        Err(e) => e,
    };
    let Some(layout) = Layout::of(fm) else {
        errors.push(first);
        return Recovered {
            value: None,
            errors,
            lost,
        };
    };
    let mut text = Cow::Borrowed(fm);
    let mut error = first;
    loop {
        let unknown = unknown_key(error.message());
        let found = error
            .span()
            .map(|span| layout.lose(fm, span, &lost, unknown.as_ref()));
        errors.push(error);
        let Some(found) = found.filter(|f| !f.is_empty()) else {
            break;
        };
        if errors.len() >= MAX_ERRORS {
            break;
        }
        for one in &found {
            blank(text.to_mut(), one.range.clone());
        }
        lost.extend(found);
        match front_matter::<T>(&text) {
            Ok(value) => {
                return Recovered {
                    value: Some(value),
                    errors,
                    lost,
                };
            }
            Err(e) => error = e,
        }
    }
    Recovered {
        value: None,
        errors,
        lost,
    }
}

/// The key of an "unknown field" error and the known key closest to it,
/// as the diagnostic suggests it.
fn unknown_key(message: &str) -> Option<(String, Option<String>)> {
    let rest = message.trim().strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
    let candidates = expected.split('`').skip(1).step_by(2);
    let meant = crate::diag::suggest(key, candidates).map(str::to_owned);
    Some((key.to_owned(), meant))
}

/// Replaces every character of `range` but line endings with spaces, byte
/// for byte, so the text keeps its length and its lines.
fn blank(text: &mut String, range: Range<usize>) {
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = range.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for b in bytes.get_mut(start..end).into_iter().flatten() {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
    // Whole characters were replaced by ASCII spaces: still UTF-8.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// Where a front matter's line-level `key = value` entries and tables are.
#[derive(Debug, Default)]
struct Layout {
    entries: Vec<Entry>,
    tables: Vec<Table>,
}

/// A `key = value` outside any array or inline table.
#[derive(Debug)]
struct Entry {
    table: String,
    header: Option<Range<usize>>,
    key: String,
    range: Range<usize>,
    value: Range<usize>,
}

/// A `[table]` or `[[table]]`, from its header to the next header.
#[derive(Debug)]
struct Table {
    name: String,
    header: Range<usize>,
    range: Range<usize>,
}

impl Layout {
    /// The layout of `fm`, or `None` when `toml_parser` reports an error
    /// (the lines cannot be trusted to be what toml reads).
    fn of(fm: &str) -> Option<Layout> {
        let source = Source::new(fm);
        let tokens = source.lex().into_vec();
        let mut scan = Scan {
            src: fm,
            layout: Layout::default(),
            table: String::new(),
            table_header: None,
            header: None,
            entry: None,
            depth: 0,
            broken: false,
        };
        let mut errors = Broken(false);
        let mut receiver = ValidateWhitespace::new(&mut scan, source);
        toml_parser::parser::parse_document(&tokens, &mut receiver, &mut errors);
        if errors.0 || scan.broken || scan.entry.is_some() || scan.header.is_some() {
            return None;
        }
        if let Some(last) = scan.layout.tables.last_mut() {
            last.range.end = fm.len();
        }
        Some(scan.layout)
    }

    /// What an error at `span` loses: the entry it is in, or the tables of
    /// the header it is in; nothing when it is in neither, or in what was
    /// lost already.
    fn lose(
        &self,
        fm: &str,
        span: Range<usize>,
        lost: &[Lost],
        unknown: Option<&(String, Option<String>)>,
    ) -> Vec<Lost> {
        let within = |r: &Range<usize>| r.start <= span.start && span.end <= r.end;
        let taken = |r: &Range<usize>| {
            lost.iter()
                .any(|l| l.range.start < r.end && r.start < l.range.end)
        };
        if let Some(entry) = self.entries.iter().find(|e| within(&e.range)) {
            if taken(&entry.range) {
                return Vec::new();
            }
            let written = fm.get(entry.value.clone()).unwrap_or("").trim();
            // A scalar is read on its own; an array or table never stands
            // in for anything, and reading one again could nest deep.
            let scalar = !written.starts_with(['[', '{']);
            let value = fm
                .get(entry.range.clone())
                .filter(|_| scalar)
                .and_then(|line| line.parse::<toml::Table>().ok())
                .and_then(|t| t.into_iter().next())
                .map(|(_, v)| v);
            return vec![Lost {
                table: entry.table.clone(),
                header: entry.header.clone(),
                key: entry.key.clone(),
                meant: unknown.and_then(|u| u.1.clone()),
                unknown: unknown.is_some_and(|u| u.0 == entry.key),
                written: written.to_owned(),
                value: value.filter(|_| !entry.key.contains('.')),
                range: entry.range.clone(),
                whole_table: false,
            }];
        }
        let Some(table) = self.tables.iter().find(|t| within(&t.header)) else {
            return Vec::new();
        };
        let name = &table.name;
        let nested = |other: &str| {
            other == name
                || other
                    .strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        };
        let out: Vec<Lost> = self
            .tables
            .iter()
            .filter(|t| nested(&t.name) && !taken(&t.range))
            .map(|t| Lost {
                table: String::new(),
                header: None,
                key: t.name.clone(),
                meant: unknown.and_then(|u| u.1.clone()),
                unknown: unknown.is_some(),
                written: String::new(),
                value: None,
                range: t.range.clone(),
                whole_table: true,
            })
            .collect();
        out
    }
}

/// An error sink that notes whether `toml_parser` reported anything.
struct Broken(bool);

impl ErrorSink for Broken {
    fn report_error(&mut self, _error: ParseError) {
        self.0 = true;
    }
}

/// The [`EventReceiver`] that finds a [`Layout`].
struct Scan<'a> {
    src: &'a str,
    layout: Layout,
    /// The name of the table `key = value` lines go to, and its header.
    table: String,
    table_header: Option<Range<usize>>,
    /// A header being read: where it opened and its keys so far.
    header: Option<(usize, Vec<String>)>,
    /// A `key = value` being read: its keys, where it started, and where
    /// its value starts once the `=` is read.
    entry: Option<(Vec<String>, usize, Option<usize>)>,
    /// How deep in arrays and inline tables the parser is.
    depth: usize,
    broken: bool,
}

impl Scan<'_> {
    fn key_text(&self, at: toml_parser::Span, encoding: Option<Encoding>) -> String {
        let raw = self.src.get(at.start()..at.end()).unwrap_or("");
        let mut decoded: Cow<'_, str> = Cow::Borrowed("");
        let mut errors = Broken(false);
        Raw::new_unchecked(raw, encoding, at).decode_key(&mut decoded, &mut errors);
        decoded.into_owned()
    }

    /// A value of the entry being read ends at `end`, at depth 0.
    fn value_end(&mut self, start: usize, end: usize) {
        match self.entry.take() {
            Some((keys, key_start, value_start)) => {
                self.layout.entries.push(Entry {
                    table: self.table.clone(),
                    header: self.table_header.clone(),
                    key: keys.join("."),
                    range: key_start..end,
                    value: value_start.unwrap_or(start)..end,
                });
            }
            None => self.broken = true,
        }
    }

    fn header_open(&mut self, at: toml_parser::Span) {
        if self.header.is_some() || self.entry.is_some() || self.depth > 0 {
            self.broken = true;
        }
        if let Some(last) = self.layout.tables.last_mut() {
            last.range.end = at.start();
        }
        self.header = Some((at.start(), Vec::new()));
    }

    fn header_close(&mut self, at: toml_parser::Span) {
        let Some((start, keys)) = self.header.take() else {
            self.broken = true;
            return;
        };
        let name = keys.join(".");
        self.layout.tables.push(Table {
            name: name.clone(),
            header: start..at.end(),
            range: start..at.end(),
        });
        self.table = name;
        self.table_header = Some(start..at.end());
    }

    /// An array or inline table opens; false past [`MAX_DEPTH`], which
    /// stops the parser descending (and the layout is not trusted).
    fn open(&mut self, at: toml_parser::Span) -> bool {
        if self.depth >= MAX_DEPTH {
            self.broken = true;
            return false;
        }
        if self.depth == 0 {
            match &mut self.entry {
                Some((_, _, value)) if value.is_none() => *value = Some(at.start()),
                _ => self.broken = true,
            }
        }
        self.depth += 1;
        true
    }

    fn close(&mut self, at: toml_parser::Span) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.value_end(at.start(), at.end());
        }
    }
}

impl EventReceiver for Scan<'_> {
    fn std_table_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.header_open(at);
    }

    fn array_table_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.header_open(at);
    }

    fn std_table_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.header_close(at);
    }

    fn array_table_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.header_close(at);
    }

    fn inline_table_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(at)
    }

    fn inline_table_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.close(at);
    }

    fn array_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(at)
    }

    fn array_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.close(at);
    }

    fn simple_key(
        &mut self,
        at: toml_parser::Span,
        encoding: Option<Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        if self.depth > 0 {
            return;
        }
        let key = self.key_text(at, encoding);
        if let Some((_, keys)) = &mut self.header {
            keys.push(key);
            return;
        }
        match &mut self.entry {
            None => self.entry = Some((vec![key], at.start(), None)),
            Some((keys, _, None)) => keys.push(key),
            Some(_) => self.broken = true,
        }
    }

    fn scalar(
        &mut self,
        at: toml_parser::Span,
        _encoding: Option<Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        if self.depth == 0 {
            self.value_end(at.start(), at.end());
        }
    }

    fn error(&mut self, _at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.broken = true;
    }
}

#[cfg(test)]
mod tests;
