//! A fast path for record front matter: a strict subset of TOML read into a
//! small borrowed tree, then deserialized through serde exactly as
//! `toml::from_str` would.
//!
//! [`from_str`] only ever answers "here is the value" or "not mine"
//! (`None`). It answers `None` for anything outside the subset below, for
//! any syntax it is not sure of, for a duplicate key or a redefined table,
//! and for every deserialization error (unknown key, wrong type, ...): the
//! caller then runs `toml::from_str`, so every error and diagnostic is still
//! toml's. When it answers `Some`, the value is the one `toml::from_str`
//! produces, spans included (`toml::Spanned`, datetimes in
//! `Spanned<toml::Value>`, `Spanned<String>` map keys): the differential
//! tests and the `fast_toml` fuzz target hold it to that.
//!
//! The subset, which is what records use:
//!
//! - comments, blank lines, indentation, LF and CRLF line endings;
//! - `key = value` with a bare key (`A-Za-z0-9_-`), `[table]` and
//!   `[[array.of.tables]]` headers of one bare key, written without
//!   whitespace inside the brackets, each table defined once;
//! - basic strings with every TOML escape, literal strings, multi-line basic
//!   strings (line-ending backslashes included) and multi-line literal
//!   strings, with TOML's first-newline trimming;
//! - decimal integers without `+` or `_` that fit an `i64`; `true`, `false`;
//! - offset and local datetimes, local dates and local times, read by
//!   `toml::value::Datetime`'s `FromStr`, as toml reads them;
//! - arrays of all of these (multi-line, comments inside, trailing comma)
//!   and one-line inline tables, nested at most [`MAX_DEPTH`] deep.
//!
//! Not in the subset: dotted and quoted keys, floats, `inf` and `nan`,
//! hexadecimal, octal and binary integers, inline tables over several lines
//! or with a trailing comma, tables of more than [`MAX_KEYS`] keys.
//!
//! Two ways the tree differs from toml's, neither visible in a result:
//! tables are visited in document order where toml's (a `BTreeMap`) are
//! visited by key, which neither a struct nor a map can tell apart once
//! duplicate keys are refused; and errors carry no message, since they are
//! never shown.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use toml::value::Datetime;

use de::{ValueDe, usual_datetime};
use tree::{Entry, Item, Origin, Span, Value};

pub use de::Bail;

mod de;
pub mod differential;
mod tree;

/// How deep arrays and inline tables may nest before the fast path leaves
/// the document to toml (whose own limit is far higher).
pub const MAX_DEPTH: usize = 8;

/// How many keys one table may hold before the fast path leaves the
/// document to toml: duplicate keys are found by a linear scan, which must
/// stay cheap on any input.
pub const MAX_KEYS: usize = 128;

/// Deserializes `text` like `toml::from_str::<T>(text)` when the document is
/// in the fast path's subset and deserializes without error; `None` ("not
/// mine") otherwise, and the caller runs `toml::from_str`.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    // Spans are kept in 32 bits.
    u32::try_from(text.len()).ok()?;
    let root = Parser::new(text).document()?;
    // toml gives the document itself the span 0..0.
    T::deserialize(ValueDe {
        src: text,
        span: 0..0,
        value: Value::Table(root),
    })
    .ok()
}

// ---------------------------------------------------------------------------
// The tree.

/// Adds `entry` to `table`, or `None` when its key is already there (or the
/// table is over [`MAX_KEYS`]).
fn insert<'a>(src: &str, table: &mut Vec<Entry<'a>>, entry: Entry<'a>) -> Option<()> {
    let key = src.get(entry.key.range())?;
    if table.len() >= MAX_KEYS || table.iter().any(|e| src.get(e.key.range()) == Some(key)) {
        return None;
    }
    table.push(entry);
    Some(())
}

/// Where `key = value` lines go.
#[derive(Clone, Copy)]
enum Current {
    Root,
    /// The table at this index of the root.
    Table(usize),
    /// The last table of the array of tables at this index of the root.
    Tables(usize),
}

fn current<'t, 'a>(root: &'t mut [Entry<'a>], at: Current) -> Option<&'t mut Vec<Entry<'a>>> {
    let item = match at {
        Current::Root => return None,
        Current::Table(i) => &mut root.get_mut(i)?.item,
        Current::Tables(i) => match &mut root.get_mut(i)?.item.value {
            Value::Array(tables) => tables.last_mut()?,
            _ => return None,
        },
    };
    match &mut item.value {
        Value::Table(entries) => Some(entries),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The parser. Every method returns `None` for "not mine".

/// Bytes that end an unquoted token (toml's lexer: an "atom" runs until one
/// of these; a `.` inside one is joined back by its parser).
fn ends_atom(b: u8) -> bool {
    matches!(
        b,
        b'=' | b',' | b'[' | b']' | b'{' | b'}' | b' ' | b'\t' | b'#' | b'\r' | b'\n'
    )
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A character TOML allows in a comment or a string as it is: tab, printable
/// ASCII, anything not ASCII (the text is UTF-8 already).
fn is_plain(b: u8) -> bool {
    (b >= 0x20 || b == b'\t') && b != 0x7f
}

/// Whether every byte of `bytes` [`is_plain`], or is a line feed when
/// `lf` is true. Written without an early exit inside each chunk, so the
/// compiler checks many bytes at once: this is the loop strings go through.
fn all_plain(bytes: &[u8], lf: bool) -> bool {
    bytes.chunks(64).all(|chunk| {
        chunk
            .iter()
            .fold(true, |ok, &b| ok & (is_plain(b) | (lf & (b == b'\n'))))
    })
}

/// Whether `bytes`, the text of a multi-line string, holds only what such a
/// string may hold as it is: [`is_plain`] characters and LF or CRLF line
/// endings.
fn all_multi_line(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(cr) = memchr::memchr(b'\r', rest) {
        if !all_plain(&rest[..cr], true) || rest.get(cr + 1) != Some(&b'\n') {
            return false;
        }
        rest = &rest[cr + 2..];
    }
    all_plain(rest, true)
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at(&self, s: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.pos += 1)
    }

    fn slice(&self, range: Range<usize>) -> Option<&'a str> {
        self.src.get(range)
    }

    /// From `start` to here (both within the text, whose length fits 32 bits).
    fn span(&self, start: usize) -> Span {
        Span {
            start: start as u32,
            end: self.pos as u32,
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// A `#` comment up to (not including) the line ending.
    fn comment(&mut self) -> Option<()> {
        let rest = self.bytes.get(self.pos..)?;
        let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        if !all_plain(rest.get(1..len)?, false) {
            return None;
        }
        self.pos += len;
        Some(())
    }

    /// A line ending (LF or CRLF); true at the end of the text too.
    fn newline(&mut self) -> Option<()> {
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                Some(())
            }
            Some(b'\r') if self.bytes.get(self.pos + 1) == Some(&b'\n') => {
                self.pos += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// What may follow a key/value pair or a header: whitespace, a comment,
    /// then the end of the line.
    fn line_end(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        self.newline()
    }

    /// Whitespace, comments and line endings, as allowed inside an array.
    fn skip_blank(&mut self) -> Option<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'#') => self.comment()?,
                Some(b'\n' | b'\r') => self.newline()?,
                _ => return Some(()),
            }
        }
    }

    fn document(mut self) -> Option<Vec<Entry<'a>>> {
        let mut root = Vec::with_capacity(32);
        let mut at = Current::Root;
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Some(root),
                Some(b'\n' | b'\r' | b'#') => self.line_end()?,
                Some(b'[') => {
                    at = self.header(&mut root)?;
                    self.line_end()?;
                }
                Some(_) => {
                    let entry = self.key_value(0)?;
                    match at {
                        Current::Root => insert(self.src, &mut root, entry)?,
                        _ => insert(self.src, current(&mut root, at)?, entry)?,
                    }
                    self.line_end()?;
                }
            }
        }
    }

    /// A bare key's span.
    fn key(&mut self) -> Option<Span> {
        let start = self.pos;
        while self.peek().is_some_and(is_key_byte) {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.span(start))
    }

    /// `key = value`, at `depth` (0 for a table's own keys).
    fn key_value(&mut self, depth: usize) -> Option<Entry<'a>> {
        let key = self.key()?;
        self.skip_ws();
        self.eat(b'=')?;
        self.skip_ws();
        let item = self.value(depth)?;
        Some(Entry {
            key,
            origin: Origin::Value,
            item,
        })
    }

    /// `[key]` or `[[key]]`: adds the table to the root and says where the
    /// keys that follow go.
    fn header(&mut self, root: &mut Vec<Entry<'a>>) -> Option<Current> {
        let start = self.pos;
        let array = self.at(b"[[");
        self.pos += if array { 2 } else { 1 };
        let key = self.key()?;
        if array {
            self.eat(b']')?;
        }
        self.eat(b']')?;
        // Sized for a typical record's table, to spare a few reallocations.
        let table = Item {
            span: self.span(start),
            value: Value::Table(Vec::with_capacity(8)),
        };
        let name = self.slice(key.range())?;
        let existing = root
            .iter()
            .position(|e| self.src.get(e.key.range()) == Some(name));
        match (array, existing) {
            (false, None) => {
                insert(
                    self.src,
                    root,
                    Entry {
                        key,
                        origin: Origin::Table,
                        item: table,
                    },
                )?;
                Some(Current::Table(root.len() - 1))
            }
            (true, None) => {
                // The array takes the span of its first header.
                let span = table.span;
                insert(
                    self.src,
                    root,
                    Entry {
                        key,
                        origin: Origin::Tables,
                        item: Item {
                            span,
                            value: Value::Array(vec![table]),
                        },
                    },
                )?;
                Some(Current::Tables(root.len() - 1))
            }
            (true, Some(i)) => {
                let entry = root.get_mut(i)?;
                match (&mut entry.item.value, entry.origin) {
                    (Value::Array(tables), Origin::Tables) => tables.push(table),
                    _ => return None,
                }
                Some(Current::Tables(i))
            }
            // A table defined twice, or over a key.
            (false, Some(_)) => None,
        }
    }

    /// Any value; `depth` counts the arrays and inline tables around it.
    fn value(&mut self, depth: usize) -> Option<Item<'a>> {
        let start = self.pos;
        let value = match self.peek()? {
            b'"' if self.at(b"\"\"\"") => self.ml_basic()?,
            b'"' => self.basic()?,
            b'\'' if self.at(b"'''") => self.ml_literal()?,
            b'\'' => self.literal()?,
            b'[' => self.array(depth + 1)?,
            b'{' => self.inline_table(depth + 1)?,
            _ => self.bare()?,
        };
        Some(Item {
            span: self.span(start),
            value,
        })
    }

    fn array(&mut self, depth: usize) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank()?;
            if self.eat(b']').is_some() {
                return Some(Value::Array(items));
            }
            items.push(self.value(depth)?);
            self.skip_blank()?;
            if self.eat(b']').is_some() {
                return Some(Value::Array(items));
            }
            self.eat(b',')?;
        }
    }

    /// A one-line inline table without a trailing comma (TOML 1.0's).
    fn inline_table(&mut self, depth: usize) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_ws();
        if self.eat(b'}').is_some() {
            return Some(Value::Table(entries));
        }
        loop {
            self.skip_ws();
            let entry = self.key_value(depth)?;
            insert(self.src, &mut entries, entry)?;
            self.skip_ws();
            if self.eat(b'}').is_some() {
                return Some(Value::Table(entries));
            }
            self.eat(b',')?;
        }
    }

    /// An unquoted value: integer, boolean or datetime. Like toml, a token
    /// runs on over whitespace into the next token (`1979-05-27 07:32:00`),
    /// and the whole run is then read as one value.
    fn bare(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        self.atom();
        if self.pos == start {
            return None;
        }
        loop {
            let end = self.pos;
            self.skip_ws();
            match self.peek() {
                Some(b) if self.pos > end && !ends_atom(b) && !matches!(b, b'.' | b'"' | b'\'') => {
                    self.atom();
                }
                _ => {
                    self.pos = end;
                    break;
                }
            }
        }
        scalar(self.slice(start..self.pos)?)
    }

    fn atom(&mut self) {
        while self.peek().is_some_and(|b| !ends_atom(b)) {
            self.pos += 1;
        }
    }

    /// `"..."`: a slice of the text, unless it holds escapes.
    fn basic(&mut self) -> Option<Value<'a>> {
        self.pos += 1;
        let mut owned: Option<String> = None;
        loop {
            let rest = self.bytes.get(self.pos..)?;
            let len = memchr::memchr2(b'"', b'\\', rest)?;
            if !all_plain(rest.get(..len)?, false) {
                return None;
            }
            let text = self.slice(self.pos..self.pos + len)?;
            self.pos += len + 1;
            if rest.get(len) == Some(&b'"') {
                return Some(Value::Str(match owned {
                    None => Cow::Borrowed(text),
                    Some(mut s) => {
                        s.push_str(text);
                        Cow::Owned(s)
                    }
                }));
            }
            let out = owned.get_or_insert_with(String::new);
            out.push_str(text);
            let (c, len) = escape(self.bytes.get(self.pos..)?)?;
            out.push(c);
            self.pos += len;
        }
    }

    /// `'...'`.
    fn literal(&mut self) -> Option<Value<'a>> {
        self.pos += 1;
        let rest = self.bytes.get(self.pos..)?;
        let len = memchr::memchr2(b'\'', b'\n', rest)?;
        if rest.get(len) != Some(&b'\'') || !all_plain(rest.get(..len)?, false) {
            return None;
        }
        let text = self.slice(self.pos..self.pos + len)?;
        self.pos += len + 1;
        Some(Value::Str(Cow::Borrowed(text)))
    }

    /// `'''...'''`, kept as written (CRLF included, as toml keeps it) but
    /// for a newline right after the opening delimiter.
    fn ml_literal(&mut self) -> Option<Value<'a>> {
        self.pos += 3;
        let start = self.pos;
        self.pos += memchr::memmem::find(self.bytes.get(start..)?, b"'''")?;
        let end = self.close_ml(b'\'');
        let body = strip_first_newline(self.slice(start..end)?);
        if !all_multi_line(body.as_bytes()) {
            return None;
        }
        Some(Value::Str(Cow::Borrowed(body)))
    }

    /// At the closing delimiter of a multi-line string: steps over it and
    /// returns where the string's text ends. As in toml's lexer, one or two
    /// quotes right after the delimiter still belong to the text
    /// (`'''it's''''` holds `it's'`).
    fn close_ml(&mut self, quote: u8) -> usize {
        let mut end = self.pos;
        self.pos += 3;
        for _ in 0..2 {
            if self.peek() == Some(quote) {
                self.pos += 1;
                end += 1;
            }
        }
        end
    }

    /// `"""..."""`: found as toml's lexer finds its end (a backslash skips a
    /// following backslash or quote), then decoded.
    fn ml_basic(&mut self) -> Option<Value<'a>> {
        self.pos += 3;
        let start = self.pos;
        loop {
            let rest = self.bytes.get(self.pos..)?;
            self.pos += memchr::memchr2(b'"', b'\\', rest)?;
            if self.at(b"\"\"\"") {
                break;
            }
            if self.peek() == Some(b'\\')
                && matches!(self.bytes.get(self.pos + 1), Some(b'\\' | b'"'))
            {
                self.pos += 2;
            } else {
                self.pos += 1;
            }
        }
        let end = self.close_ml(b'"');
        ml_basic_body(self.slice(start..end)?).map(Value::Str)
    }
}

fn strip_first_newline(s: &str) -> &str {
    s.strip_prefix('\n')
        .or_else(|| s.strip_prefix("\r\n"))
        .unwrap_or(s)
}

/// The escape after a backslash at the start of `rest`: the character and
/// how many bytes it took.
fn escape(rest: &[u8]) -> Option<(char, usize)> {
    let c = match rest.first()? {
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b'"' => '"',
        b'\\' => '\\',
        b'x' => return hex(rest, 2),
        b'u' => return hex(rest, 4),
        b'U' => return hex(rest, 8),
        _ => return None,
    };
    Some((c, 1))
}

/// `xHH`, `uHHHH`, `UHHHHHHHH`: exactly `digits` hex digits after the letter,
/// naming a Unicode scalar value.
fn hex(rest: &[u8], digits: usize) -> Option<(char, usize)> {
    let hex = rest.get(1..=digits)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let code = hex
        .iter()
        .try_fold(0u32, |acc, &b| Some(acc * 16 + char::from(b).to_digit(16)?))?;
    Some((char::from_u32(code)?, digits + 1))
}

/// The text of a multi-line basic string between its delimiters.
fn ml_basic_body(body: &str) -> Option<Cow<'_, str>> {
    let body = strip_first_newline(body);
    let bytes = body.as_bytes();
    let Some(mut i) = memchr::memchr(b'\\', bytes) else {
        return all_multi_line(bytes).then_some(Cow::Borrowed(body));
    };
    let mut out = String::with_capacity(body.len());
    let mut segment = 0;
    loop {
        // `segment..i` is text as written; a backslash is at `i`.
        let text = body.get(segment..i)?;
        if !all_multi_line(text.as_bytes()) {
            return None;
        }
        out.push_str(text);
        i += 1;
        if matches!(bytes.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            // A line-ending backslash: whitespace, one line ending, then
            // every whitespace and line ending after it go.
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            i += newline_len(bytes.get(i..)?)?;
            loop {
                match bytes.get(i) {
                    Some(b' ' | b'\t' | b'\n') => i += 1,
                    Some(b'\r') => i += newline_len(bytes.get(i..)?)?,
                    _ => break,
                }
            }
        } else {
            let (c, len) = escape(bytes.get(i..)?)?;
            out.push(c);
            i += len;
        }
        segment = i;
        match memchr::memchr(b'\\', bytes.get(i..)?) {
            Some(n) => i += n,
            None => break,
        }
    }
    let tail = body.get(segment..)?;
    if !all_multi_line(tail.as_bytes()) {
        return None;
    }
    out.push_str(tail);
    Some(Cow::Owned(out))
}

/// The length of the LF or CRLF at the start of `rest`.
fn newline_len(rest: &[u8]) -> Option<usize> {
    match rest {
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

/// An unquoted token, read as toml's decoder reads it, within the subset:
/// decimal integers, booleans, and anything starting with digits then `-`
/// or `:` as a datetime.
fn scalar(token: &str) -> Option<Value<'_>> {
    let bytes = token.as_bytes();
    match bytes.first()? {
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                None if digits > 1 && bytes.first() == Some(&b'0') => None,
                None => token.parse().ok().map(Value::Int),
                Some(b'-' | b':') => {
                    let valid =
                        usual_datetime(bytes).unwrap_or_else(|| token.parse::<Datetime>().is_ok());
                    valid.then_some(Value::Datetime(token))
                }
                Some(_) => None,
            }
        }
        b'-' => {
            let digits = bytes.get(1..)?;
            let decimal = !digits.is_empty()
                && digits.iter().all(u8::is_ascii_digit)
                && (digits.len() == 1 || digits.first() != Some(&b'0'));
            if decimal {
                token.parse().ok().map(Value::Int)
            } else {
                None
            }
        }
        _ => match token {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests;
