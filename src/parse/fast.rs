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
use std::cell::Cell;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_spanned::de::SpannedDeserializer;
use toml::value::Datetime;

pub mod differential;

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

/// A value, borrowed from the text where it can be.
#[derive(Debug)]
enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    /// As written; `Datetime`'s `FromStr` accepted it.
    Datetime(&'a str),
    Array(Vec<Item<'a>>),
    Table(Vec<Entry<'a>>),
}

/// A value and its span, as toml spans it: a string with its quotes, an
/// array or inline table from bracket to bracket, a `[table]` or each
/// `[[table]]` element by its header line's brackets.
#[derive(Debug)]
struct Item<'a> {
    span: Span,
    value: Value<'a>,
}

/// A byte range of the text, in 32 bits to keep the tree small ([`from_str`]
/// leaves texts over 4 GiB to toml).
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How a key of the root table was defined, for toml's rules on redefining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// `key = value`, inline tables and arrays included.
    Value,
    /// A `[key]` header.
    Table,
    /// `[[key]]` headers.
    Tables,
}

/// One key of a table: a bare key, so its span is its text.
#[derive(Debug)]
struct Entry<'a> {
    key: Span,
    origin: Origin,
    item: Item<'a>,
}

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

// ---------------------------------------------------------------------------
// The deserializer: toml's `ValueDeserializer`, `TableMapAccess`,
// `ArraySeqAccess` and `KeyDeserializer`, call for call, over the tree.

/// "Not mine": the one error of the fast path, never shown to anyone.
#[derive(Debug)]
pub struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the fast path's subset")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Bail
    }
}

/// A value and its span (and the text, where its keys are).
struct ValueDe<'a> {
    src: &'a str,
    span: Range<usize>,
    value: Value<'a>,
}

impl<'a> ValueDe<'a> {
    fn new(src: &'a str, item: Item<'a>) -> Self {
        ValueDe {
            src,
            span: item.span.range(),
            value: item.value,
        }
    }
}

impl<'de> IntoDeserializer<'de, Bail> for ValueDe<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.value {
            Value::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Value::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Value::Int(i) => visitor.visit_i64(i),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Datetime(raw) => visitor.visit_map(DatetimeMap::new(raw)?),
            Value::Array(items) => visitor.visit_seq(Seq {
                src: self.src,
                items: items.into_iter(),
            }),
            Value::Table(entries) => visitor.visit_map(Map {
                src: self.src,
                entries: entries.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Bail> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        if serde_spanned::de::is_spanned(name) {
            let span = self.span.clone();
            return visitor.visit_map(SpannedDeserializer::new(self, span));
        }
        if let Value::Datetime(raw) = self.value
            && DATETIME_PROTOCOL.is_some_and(|(datetime, _)| name == datetime)
        {
            return visitor.visit_map(DatetimeMap::new(raw)?);
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        match self.value {
            Value::Str(s) => visitor.visit_enum(s.into_deserializer()),
            // toml reads a table as a variant holding a value; not needed here.
            _ => Err(Bail),
        }
    }

    serde::forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map unit ignored_any unit_struct tuple_struct tuple identifier
    }
}

/// A datetime as toml_datetime's protocol hands it to a visitor: a map of
/// one private key, whose value is the datetime as `Datetime`'s `Display`
/// writes it.
struct DatetimeMap<'a> {
    field: &'static str,
    text: Option<Cow<'a, str>>,
}

impl<'a> DatetimeMap<'a> {
    /// The map for the datetime written `raw` (already read by `FromStr`).
    fn new(raw: &'a str) -> Result<Self, Bail> {
        let (_, field) = DATETIME_PROTOCOL.ok_or(Bail)?;
        let text = if usual_datetime(raw.as_bytes()).is_some() {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(raw.parse::<Datetime>().map_err(|_| Bail)?.to_string())
        };
        Ok(DatetimeMap {
            field,
            text: Some(text),
        })
    }
}

impl<'de> de::MapAccess<'de> for DatetimeMap<'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(self.field))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        seed.deserialize(self.text.take().ok_or(Bail)?.into_deserializer())
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.text.is_some()))
    }
}

/// A datetime in one of the usual shapes: `1979-05-27`, `07:32:00`,
/// `1979-05-27T07:32:00`, the last with `Z` or an offset other than
/// `-00:00`. `None` for any other shape; else whether `Datetime`'s `FromStr`
/// accepts it, decided by the same range checks without its lexer.
///
/// `Datetime`'s `Display` writes a datetime of these shapes back digit for
/// digit, so its text can be handed on as written (`-00:00` it writes
/// `+00:00`). Both claims are checked against toml_datetime by the tests.
fn usual_datetime(raw: &[u8]) -> Option<bool> {
    let number = |at: usize, len: usize| -> Option<u32> {
        raw.get(at..at + len)?.iter().try_fold(0, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let is = |at: usize, b: u8| raw.get(at) == Some(&b);
    let date = || -> Option<bool> {
        let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
        if !(is(4, b'-') && is(7, b'-')) {
            return None;
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        Some((1..=12).contains(&month) && (1..=days).contains(&day))
    };
    let time = |at: usize| -> Option<bool> {
        let (hour, minute, second) = (number(at, 2)?, number(at + 3, 2)?, number(at + 6, 2)?);
        if !(is(at + 2, b':') && is(at + 5, b':')) {
            return None;
        }
        Some(hour <= 23 && minute <= 59 && second <= 60)
    };
    match raw.len() {
        8 => time(0),
        10 => date(),
        19 | 20 | 25 if is(10, b'T') => {
            let valid = date()? & time(11)?;
            match raw.len() {
                19 => Some(valid),
                20 => is(19, b'Z').then_some(valid),
                _ => {
                    let (hours, minutes) = (number(20, 2)?, number(23, 2)?);
                    let shape = (is(19, b'+') || is(19, b'-'))
                        && is(22, b':')
                        && raw.get(19..) != Some(b"-00:00".as_slice());
                    shape.then_some(valid && hours <= 23 && minutes <= 59)
                }
            }
        }
        _ => None,
    }
}

/// The struct name and field through which `Datetime` asks a deserializer
/// for a datetime, read once from `Datetime`'s own `Deserialize`
/// (toml_datetime keeps them private). `None` if it did not say: the fast
/// path then leaves every datetime to toml.
static DATETIME_PROTOCOL: LazyLock<Option<(&'static str, &'static str)>> = LazyLock::new(|| {
    let seen = Cell::new(None);
    let _ = Datetime::deserialize(ProtocolRecorder(&seen));
    seen.get()
});

/// A deserializer that only notes the struct name and first field asked for.
struct ProtocolRecorder<'c>(&'c Cell<Option<(&'static str, &'static str)>>);

impl<'de> de::Deserializer<'de> for ProtocolRecorder<'_> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        if let [field] = fields {
            self.0.set(Some((name, field)));
        }
        Err(Bail)
    }

    serde::forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map unit ignored_any unit_struct tuple_struct tuple identifier
        option newtype_struct enum
    }
}

/// The elements of an array.
struct Seq<'a> {
    src: &'a str,
    items: std::vec::IntoIter<Item<'a>>,
}

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Bail> {
        match self.items.next() {
            Some(item) => seed.deserialize(ValueDe::new(self.src, item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The keys and values of a table.
struct Map<'a> {
    src: &'a str,
    entries: std::vec::IntoIter<Entry<'a>>,
    value: Option<Item<'a>>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        match self.entries.next() {
            Some(entry) => {
                self.value = Some(entry.item);
                seed.deserialize(KeyDe {
                    key: self.src.get(entry.key.range()).ok_or(Bail)?,
                    span: entry.key.range(),
                })
                .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        let item = self.value.take().ok_or(Bail)?;
        seed.deserialize(ValueDe::new(self.src, item))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Deserializer methods that leave the document to toml.
macro_rules! not_mine {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Bail> {
            Err(Bail)
        }
    )*};
}

/// A bare key and its span. Keys read as numbers, booleans, characters or
/// enum variants are left to toml.
struct KeyDe<'a> {
    key: &'a str,
    span: Range<usize>,
}

impl<'de> de::Deserializer<'de> for KeyDe<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        // As toml: its keys are `Cow`s, whose deserializer visits `str`.
        let key: Cow<'de, str> = Cow::Borrowed(self.key);
        key.into_deserializer().deserialize_any(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_borrowed_str(self.key)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        if serde_spanned::de::is_spanned(name) {
            let key: Cow<'de, str> = Cow::Borrowed(self.key);
            return visitor.visit_map(SpannedDeserializer::new(key, self.span));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Bail> {
        visitor.visit_newtype_struct(self)
    }

    not_mine! {
        deserialize_bool deserialize_char deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    serde::forward_to_deserialize_any! {
        f32 f64 seq string bytes byte_buf map option unit ignored_any unit_struct
        tuple_struct tuple identifier
    }
}

#[cfg(test)]
mod tests {
    use super::differential::{Tree, compare};
    use super::*;
    use crate::parse::RawIncident;

    /// The fast path accepts `fm` as a generic tree, with toml's value and spans.
    #[track_caller]
    fn accepted(fm: &str) {
        match compare(fm) {
            Ok(v) => assert!(v.tree, "the fast path declined:\n{fm}"),
            Err(e) => panic!("{e}\n--- for:\n{fm}"),
        }
    }

    /// The fast path accepts `fm` as an incident, with toml's value and spans.
    #[track_caller]
    fn accepted_incident(fm: &str) {
        match compare(fm) {
            Ok(v) => assert!(v.incident, "the fast path declined:\n{fm}"),
            Err(e) => panic!("{e}\n--- for:\n{fm}"),
        }
    }

    /// The fast path says "not mine" (and agrees with toml where toml reads it).
    #[track_caller]
    fn declined(fm: &str) {
        assert!(from_str::<Tree>(fm).is_none(), "accepted:\n{fm}");
        assert!(from_str::<RawIncident>(fm).is_none(), "accepted:\n{fm}");
        if let Err(e) = compare(fm) {
            panic!("{e}");
        }
    }

    #[test]
    fn comments_blank_lines_and_line_endings() {
        accepted("");
        accepted("\n\n# a comment\n\n");
        accepted("a = 1 # trailing\r\nb = 2\r\n\r\n# é\r\n");
        accepted("  a = 1\n\t b = \"x\"\n");
        accepted("a = 1");
        accepted("#");
    }

    #[test]
    fn strings_and_their_spans() {
        accepted(r#"a = "plain""#);
        accepted(r#"a = "tab\tquote\" back\\ nl\n u\u00e9 U\U0001F600 b\b f\f r\r e\e x\x41""#);
        accepted("a = ''\nb = 'C:\\path \"as is\"'\n");
        accepted("a = \"\"\nb = \"é ü 日本\"\n");
    }

    #[test]
    fn multi_line_strings_trim_their_first_newline() {
        accepted("a = '''\nline 1\n  line 2\n'''\n");
        accepted("a = '''no newline'''\nb = '''\r\ncrlf\r\nkept\r\n'''\n");
        accepted("a = '''it's ''quoted'' '''\n");
        accepted("a = '''\n'''\nb = ''''''\n");
        // One or two quotes before the closing delimiter belong to the text.
        accepted("a = '''it's''''\nb = '''x'''''\nc = \"\"\"q\"\"\"\"\"\n");
        accepted("a = \"\"\"\nbasic \\\"esc\\\" \\u00e9\n\"\"\"\n");
        accepted("a = \"\"\"one \"two\" \"\"three\"\"\"\n");
        accepted("a = \"\"\"\\\"\"\"\"\n");
    }

    #[test]
    fn line_ending_backslashes() {
        accepted("a = \"\"\"\nThe quick \\\n   brown \\   \n\n  fox.\"\"\"\n");
        accepted("a = \"\"\"\\\r\n  x\\\r\n\"\"\"\n");
    }

    #[test]
    fn integers_booleans_datetimes() {
        accepted(
            "a = 0\nb = -0\nc = 42\nd = -17\ne = 9223372036854775807\nf = -9223372036854775808\n",
        );
        accepted("t = true\nf = false\n");
        accepted(
            "a = 2026-11-03T14:02:00Z\nb = 2026-11-03T14:02:00+01:00\nc = 2026-11-03T14:02:00\n\
             j = 2026-11-03T14:02:00-00:00\nk = 2026-11-03T14:02:00.5-00:30\nl = 1979-05-27T00:32:00.999999\n\
             d = 2026-11-03\ne = 14:02:00\nf = 2026-11-03T14:02:00.123456Z\ng = 2026-11-03 14:02:00\n\
             h = 14:02\ni = 2026-11-03t14:02:00z\n",
        );
    }

    #[test]
    fn arrays_over_lines_with_comments_and_trailing_commas() {
        accepted("a = []\nb = [ ]\nc = [1, 2, 3]\nd = [\"x\", 'y',]\n");
        accepted("a = [\n  \"one\", # first\n  # between\n  \"two\",\n]\n");
        accepted("a = [[1, 2], [\"x\"], []]\nb = [2026-01-01, 10:00:00, true]\n");
        accepted("a = [\r\n  1,\r\n  2\r\n]\r\n");
    }

    #[test]
    fn tables_and_arrays_of_tables_span_their_headers() {
        accepted(
            "top = 1\n[impact]\nusers = 3\n[[timeline]]\nat = 10:00:00\n\n[[timeline]]\ntext = 'x'\n[other]\n",
        );
        accepted("[a] # comment\n[[b]]\n[[b]]\nx = 1\n");
        accepted("[a]\n[b]\n");
    }

    #[test]
    fn inline_tables() {
        accepted("a = {}\nb = { x = 1, y = \"z\" }\nc = [{ lint = \"l\", reason = \"r\" }, {}]\n");
        accepted("a = { b = { c = [1, { d = 2 }] } }\n");
    }

    #[test]
    fn incident_records_with_their_spans() {
        accepted_incident(
            "title = \"Checkout latency\"\nseverity = \"SEV2\"\nservices = [\"api\", \"db\"]\n\
             allow = [{ lint = \"x\", reason = \"y\" }]\n\n\
             [impact]\nusers = 1200\ncustomer_facing = true\n\n[checklist]\nassess-severity = true\n\
             check-recent-changes = \"skipped: known\"\n\n[[timeline]]\nat = 2026-11-03T14:02:00Z\n\
             text = \"Pager\"\n\n[[actions]]\ndue = 2026-12-01\nclosed = 2026-11-20\n",
        );
    }

    #[test]
    fn what_is_not_in_the_subset_is_left_to_toml() {
        for fm in [
            // Keys: dotted, quoted, unicode, empty, missing `=`.
            "a.b = 1\n",
            "\"a\" = 1\n",
            "'a' = 1\n",
            "é = 1\n",
            "= 1\n",
            "a 1\n",
            "a = \n",
            "a =\n",
            // Headers: dotted, quoted, spaced, unclosed, junk after.
            "[a.b]\n",
            "[\"a\"]\n",
            "[ a ]\n",
            "[[ a ]]\n",
            "[a\n",
            "[[a]\n",
            "[a]]\n",
            "[a] x\n",
            // Numbers outside the subset.
            "a = 1.5\n",
            "a = 1e3\n",
            "a = +1\n",
            "a = 1_000\n",
            "a = 0x1F\n",
            "a = 0o7\n",
            "a = 0b1\n",
            "a = 01\n",
            "a = -01\n",
            "a = inf\n",
            "a = nan\n",
            "a = 9223372036854775808\n",
            // Invalid values.
            "a = True\n",
            "a = truex\n",
            "a = bare\n",
            "a = 1 2\n",
            "a = 2026-11-31\n",
            "a = 2026-11-03 14:02:00 Z\n",
            "a = 25:00:00\n",
            // Strings: unterminated, bad escapes, control characters.
            "a = \"open\n",
            "a = 'open\n",
            "a = '''open\n",
            "a = \"\"\"open\n",
            "a = \"\\q\"\n",
            "a = \"\\u12\"\n",
            "a = \"\\uD800\"\n",
            "a = \"\\U00110000\"\n",
            "a = \"\\ \"\n",
            "a = \"nul\u{0}\"\n",
            "a = 'del\u{7f}'\n",
            "a = \"\"\"x\\ y\"\"\"\n",
            "a = \"\"\"x\ry\"\"\"\n",
            "a = '''x\ry'''\n",
            "a = '''x''''''\n",
            "a = \"\"\"x\"\"\"\"\"\"\n",
            "a = \"x\" \"y\"\n",
            // Line endings and comments.
            "a = 1\rb = 2\n",
            "# bell \u{7}\n",
            "a = 1 # \u{0}\n",
            // Arrays and inline tables.
            "a = [,]\n",
            "a = [1,,2]\n",
            "a = [1 2]\n",
            "a = [1\n",
            "a = { x = 1, }\n",
            "a = { x = 1\n}\n",
            "a = { x.y = 1 }\n",
            "a = { x = 1, x = 2 }\n",
            "a = [[[[[[[[[1]]]]]]]]]\n",
            // Redefinitions.
            "a = 1\na = 2\n",
            "[a]\n[a]\n",
            "a = 1\n[a]\n",
            "[a]\n[[a]]\n",
            "[[a]]\n[a]\n",
            "a = []\n[[a]]\n",
            "[t]\nx = 1\nx = 2\n",
            "[[t]]\nx = 1\nx = 2\n",
        ] {
            declined(fm);
        }
    }

    #[test]
    fn deserialize_errors_are_left_to_toml() {
        for fm in [
            "severty = \"SEV1\"\n",
            "title = 1\n",
            "draft = \"yes\"\n",
            "services = \"api\"\n",
            "[impact]\nusers = \"many\"\n",
            "[[timeline]]\nwhen = 10:00:00\n",
            "timeline = 1\n",
            "[impact]\nusers = -1\nstatus = \"x\"\n",
        ] {
            assert!(from_str::<RawIncident>(fm).is_none(), "accepted:\n{fm}");
            assert!(
                toml::from_str::<RawIncident>(fm).is_err(),
                "toml reads:\n{fm}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_left_to_toml_before_any_recursion() {
        let deep = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(from_str::<Tree>(&deep).is_none());
        let deep = format!("a = {}1{}\n", "{ b = ".repeat(50), " }".repeat(50));
        assert!(from_str::<Tree>(&deep).is_none());
    }

    #[test]
    fn tables_over_the_key_limit_are_left_to_toml() {
        let keys = |n: usize| (0..n).map(|i| format!("k{i} = {i}\n")).collect::<String>();
        accepted(&keys(MAX_KEYS));
        declined(&keys(MAX_KEYS + 1));
    }

    #[test]
    fn usual_datetimes_are_judged_and_written_as_toml_datetime_does() {
        let check = |raw: &str| {
            let usual = usual_datetime(raw.as_bytes());
            assert!(usual.is_some(), "{raw} has a usual shape");
            let parsed = raw.parse::<Datetime>();
            assert_eq!(usual, Some(parsed.is_ok()), "{raw}");
            if let Ok(datetime) = parsed {
                assert_eq!(datetime.to_string(), raw);
            }
        };
        for year in [0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999] {
            for month in 0..100 {
                for day in 0..100 {
                    check(&format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        for hour in 0..100 {
            for minute in 0..100 {
                for second in [0, 1, 30, 59, 60, 61, 99] {
                    check(&format!("{hour:02}:{minute:02}:{second:02}"));
                    check(&format!("2024-02-29T{hour:02}:{minute:02}:{second:02}Z"));
                }
            }
        }
        for sign in ['+', '-'] {
            for hours in 0..100 {
                for minutes in 0..100 {
                    if sign == '-' && hours == 0 && minutes == 0 {
                        continue;
                    }
                    check(&format!("2026-11-03T14:02:00{sign}{hours:02}:{minutes:02}"));
                }
            }
        }
        for other in [
            "2026-11-03T14:02:00-00:00",
            "2026-11-03 14:02:00",
            "2026-11-03t14:02:00",
            "2026-11-03T14:02:00z",
            "2026-11-03T14:02:00.5Z",
            "14:02",
            "2026-11-3",
            "+2026-11-03",
            "2026-11-03T14:02:00+0100",
        ] {
            assert_eq!(usual_datetime(other.as_bytes()), None, "{other}");
        }
        assert!(DATETIME_PROTOCOL.is_some());
    }

    #[test]
    fn spanned_map_keys_and_datetime_values() {
        let raw: RawIncident =
            from_str("[checklist]\nstep-a = true\n\n[[timeline]]\nat = 2026-11-03 14:02:00\n")
                .expect("in the subset");
        let (key, value) = raw.checklist.iter().next().expect("one entry");
        assert_eq!((key.get_ref().as_str(), key.span()), ("step-a", 12..18));
        assert_eq!(value.span(), 21..25);
        let at = raw.timeline[0].get_ref().at.as_ref().expect("at");
        assert_eq!(at.span(), 45..64);
        assert_eq!(raw.timeline[0].span(), 27..39);
    }
}
