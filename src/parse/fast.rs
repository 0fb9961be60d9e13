//! A fast path for record front matter, built on the layers `toml` itself
//! is built on: `toml_parser`'s lexer and push parser feed a small borrowed
//! tree (`tree.rs`), which is then deserialized through serde exactly as
//! `toml::from_str` would (`de.rs`).
//!
//! `toml::from_str` runs the same lexer and parser, collects their events in
//! a vector, walks them a second time into a `DeTable` (a map per table,
//! every key and string copied into a `Cow`), then deserializes that. The
//! fast path does one walk, as the events arrive, into vectors of borrowed
//! slices, and decodes every key and scalar with `toml_parser`'s own
//! decoders ([`Raw::decode_key`], [`Raw::decode_scalar`]) and datetimes with
//! `toml_datetime`'s `FromStr`, as toml does.
//!
//! [`from_str`] only ever answers "here is the value" or "not mine"
//! (`None`). It answers `None` for anything `toml_parser` reports an error
//! on, for what the tree leaves out (below), for a duplicate key or a
//! redefined table, and for every deserialization error (unknown key, wrong
//! type, ...): the caller then runs `toml::from_str`, so every error and
//! diagnostic is still toml's. When it answers `Some`, the value is the one
//! `toml::from_str` produces, spans included (`toml::Spanned`, datetimes in
//! `Spanned<toml::Value>`, `Spanned<String>` map keys): the differential
//! tests and the `fast_toml` fuzz target hold it to that.
//!
//! What the tree reads is all of TOML 1.1 but for what records never
//! write: dotted and quoted keys (in `key = value` lines and in headers),
//! floats (`inf` and `nan` included), integers that do not fit an `i64`,
//! arrays and inline tables nested more than [`MAX_DEPTH`] deep, and tables
//! of more than [`MAX_KEYS`] keys. Each of those leaves the document to
//! toml.
//!
//! Two ways the tree differs from toml's, neither visible in a result:
//! tables are visited in document order where toml's (a map) are visited
//! by key, which neither a struct nor a map can tell apart once duplicate
//! keys are refused; and errors carry no message, since they are never
//! shown.

use std::borrow::Cow;

use serde::Deserialize;
use toml_datetime::Datetime;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::{EventReceiver, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Raw, Source};

use de::ValueDe;
use tree::{Entry, Item, Origin, Span, Value};

pub use de::Bail;
pub use direct::{FromTree, Node};

mod de;
pub mod differential;
pub mod direct;
mod records;
mod tree;

/// How deep arrays and inline tables may nest before the fast path leaves
/// the document to toml (whose own limit is far higher).
pub const MAX_DEPTH: usize = 8;

/// How many keys one table may hold before the fast path leaves the
/// document to toml: duplicate keys are found by a linear scan, which must
/// stay cheap on any input.
pub const MAX_KEYS: usize = 128;

/// Deserializes `text` like `toml::from_str::<T>(text)` when the document is
/// one the fast path reads and deserializes without error; `None` ("not
/// mine") otherwise, and the caller runs `toml::from_str`.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    let root = read(text)?;
    // toml gives the document itself the span 0..0.
    T::deserialize(ValueDe {
        src: text,
        span: 0..0,
        value: Value::Table(root),
    })
    .ok()
}

/// Reads `text` as `toml::from_str::<T>(text)` does, when the tree reads
/// it and `T` takes it, building `T` from the tree directly ([`direct`]);
/// `None` ("not mine") otherwise.
pub fn direct_from_str<T: FromTree>(text: &str) -> Option<T> {
    let root = read(text)?;
    // toml gives the document itself the span 0..0.
    let item = Item {
        span: Span { start: 0, end: 0 },
        value: Value::Table(root),
    };
    direct::read(text, item)
}

/// The document's root table, or `None` when `toml_parser` reported any
/// error or the document holds what the tree leaves to toml.
fn read(text: &str) -> Option<Vec<Entry<'_>>> {
    // Spans are kept in 32 bits.
    u32::try_from(text.len()).ok()?;
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut builder = Builder::new(text);
    let mut reported = Reported(false);
    // Comments and line endings are checked by toml_parser's own validator,
    // as toml checks them.
    let mut receiver = ValidateWhitespace::new(&mut builder, source);
    toml_parser::parser::parse_document(&tokens, &mut receiver, &mut reported);
    if reported.0 {
        return None;
    }
    builder.finish()
}

/// An error sink that only notes that an error was reported.
struct Reported(bool);

impl ErrorSink for Reported {
    fn report_error(&mut self, _error: ParseError) {
        self.0 = true;
    }
}

// ---------------------------------------------------------------------------
// The tree, built as the parser's events arrive.

/// Where `key = value` lines go.
#[derive(Clone, Copy)]
enum Current {
    Root,
    /// The table at this index of the root.
    Table(usize),
    /// The last table of the array of tables at this index of the root.
    Tables(usize),
}

/// A `[table]` or `[[table]]` header between its brackets.
struct Header {
    start: u32,
    array: bool,
    key: Option<Span>,
}

/// An array or inline table between its brackets.
enum Open<'a> {
    Array {
        start: u32,
        items: Vec<Item<'a>>,
    },
    Table {
        start: u32,
        entries: Vec<Entry<'a>>,
        /// The key read, whose value has not come yet.
        key: Option<Span>,
    },
}

/// The [`EventReceiver`] that builds the tree. Once it has met what it
/// leaves to toml (`bail`), it ignores every later event: the parser still
/// runs to the end of the tokens, so the work stays linear in the text.
struct Builder<'a> {
    src: &'a str,
    root: Vec<Entry<'a>>,
    at: Current,
    header: Option<Header>,
    /// The key of a `key = value` line whose value has not come yet.
    key: Option<Span>,
    open: Vec<Open<'a>>,
    bail: bool,
}

/// A span of the parser's in 32 bits (the text's length fits, see [`read`]).
fn span(span: toml_parser::Span) -> Span {
    Span {
        start: span.start() as u32,
        end: span.end() as u32,
    }
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        Builder {
            src,
            root: Vec::with_capacity(32),
            at: Current::Root,
            header: None,
            key: None,
            open: Vec::new(),
            bail: false,
        }
    }

    /// The root table, if the document was read whole.
    fn finish(self) -> Option<Vec<Entry<'a>>> {
        let whole =
            !self.bail && self.header.is_none() && self.key.is_none() && self.open.is_empty();
        whole.then_some(self.root)
    }

    /// Marks the document as toml's; `None` so callers can `?` it.
    fn leave(&mut self) -> Option<()> {
        self.bail = true;
        None
    }

    /// Runs one step of building; any `None` leaves the document to toml.
    fn step(&mut self, f: impl FnOnce(&mut Self) -> Option<()>) {
        if !self.bail && f(self).is_none() {
            self.bail = true;
        }
    }

    /// Adds a finished value where the parser is: to the array or inline
    /// table open, else under the pending key of the current table.
    fn value(&mut self, item: Item<'a>) -> Option<()> {
        let src = self.src;
        match self.open.last_mut() {
            Some(Open::Array { items, .. }) => {
                items.push(item);
                Some(())
            }
            Some(Open::Table { entries, key, .. }) => insert(src, entries, key.take()?, item),
            None => {
                let key = self.key.take()?;
                let table = match self.at {
                    Current::Root => &mut self.root,
                    at => current(&mut self.root, at)?,
                };
                insert(src, table, key, item)
            }
        }
    }

    /// A header's closing bracket(s): adds the table to the root and says
    /// where the keys that follow go.
    fn close_header(&mut self, close: Span) -> Option<()> {
        let header = self.header.take()?;
        let key = header.key?;
        // Sized for a typical record's table, to spare a few reallocations.
        let table = Item {
            span: Span {
                start: header.start,
                end: close.end,
            },
            value: Value::Table(Vec::with_capacity(8)),
        };
        let src = self.src;
        // `[[timeline]]` follows `[[timeline]]`: the last key first.
        let last = self.root.len().checked_sub(1);
        let existing = match last.and_then(|i| self.root.get(i)) {
            Some(e) if same_key(src, e.key, key) => last,
            _ => self.root.iter().position(|e| same_key(src, e.key, key)),
        };
        self.at = match (header.array, existing) {
            (false, None) => {
                add(&mut self.root, key, Origin::Table, table)?;
                Current::Table(self.root.len() - 1)
            }
            (true, None) => {
                // The array takes the span of its first header. Sized for
                // a typical record's timeline, to spare a few reallocations.
                let mut tables = Vec::with_capacity(16);
                let span = table.span;
                tables.push(table);
                let array = Item {
                    span,
                    value: Value::Array(tables),
                };
                add(&mut self.root, key, Origin::Tables, array)?;
                Current::Tables(self.root.len() - 1)
            }
            (true, Some(i)) => {
                let entry = self.root.get_mut(i)?;
                match (&mut entry.item.value, entry.origin) {
                    (Value::Array(tables), Origin::Tables) => tables.push(table),
                    _ => return None,
                }
                Current::Tables(i)
            }
            // A table defined twice, or over a key.
            (false, Some(_)) => return None,
        };
        Some(())
    }

    /// A scalar, decoded as toml decodes it.
    fn scalar(&mut self, at: toml_parser::Span, encoding: Option<Encoding>) -> Option<()> {
        if self.header.is_some() {
            return None;
        }
        let text = self.src.get(at.start()..at.end())?;
        if let Some(plain) = plain_basic_string(text, encoding) {
            return self.value(Item {
                span: span(at),
                value: Value::Str(Cow::Borrowed(plain)),
            });
        }
        let raw = Raw::new_unchecked(text, encoding, at);
        let mut decoded = Cow::Borrowed("");
        let mut reported = Reported(false);
        let value = match raw.decode_scalar(&mut decoded, &mut reported) {
            ScalarKind::String => Value::Str(decoded),
            ScalarKind::Boolean(b) => Value::Bool(b),
            // As toml's `DeInteger::to_i64`; larger integers are toml's.
            ScalarKind::Integer(radix) => {
                Value::Int(i64::from_str_radix(&decoded, radix.value()).ok()?)
            }
            // Parsed here, as toml parses it; kept as text and value (see
            // `tree::Value`).
            ScalarKind::DateTime => {
                let value = decoded.parse::<Datetime>().ok()?;
                Value::Datetime(decoded, value)
            }
            ScalarKind::Float => return None,
        };
        if reported.0 {
            return None;
        }
        self.value(Item {
            span: span(at),
            value,
        })
    }

    /// A key: a bare one, checked by toml_parser's decoder; a second key
    /// before a value (a dotted key) is toml's.
    fn key(&mut self, at: toml_parser::Span, encoding: Option<Encoding>) -> Option<()> {
        if encoding.is_some() {
            return None;
        }
        let text = self.src.get(at.start()..at.end())?;
        // Letters, digits, `_` and `-` make a bare key in every TOML
        // version; anything else is for toml_parser's decoder to judge.
        let plain = !text.is_empty() && text.bytes().all(|b| BARE[usize::from(b)]);
        if !plain {
            let mut reported = Reported(false);
            let mut decoded: &str = "";
            Raw::new_unchecked(text, None, at).decode_key(&mut decoded, &mut reported);
            if reported.0 {
                return None;
            }
        }
        let slot = match (&mut self.header, self.open.last_mut()) {
            (Some(header), _) => &mut header.key,
            (None, Some(Open::Table { key, .. })) => key,
            (None, Some(Open::Array { .. })) => return None,
            (None, None) => &mut self.key,
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(span(at));
        Some(())
    }

    /// An array or inline table opens; false (and the document is toml's)
    /// past [`MAX_DEPTH`].
    fn open(&mut self, open: Open<'a>) -> bool {
        if self.bail || self.header.is_some() || self.open.len() >= MAX_DEPTH {
            self.bail = true;
            return false;
        }
        self.open.push(open);
        true
    }

    /// An array or inline table closes at `close`.
    fn close(&mut self, close: Span) -> Option<()> {
        let (start, value) = match self.open.pop()? {
            Open::Array { start, items } => (start, Value::Array(items)),
            Open::Table {
                start,
                entries,
                key: None,
            } => (start, Value::Table(entries)),
            Open::Table { key: Some(_), .. } => return None,
        };
        self.value(Item {
            span: Span {
                start,
                end: close.end,
            },
            value,
        })
    }
}

impl EventReceiver for Builder<'_> {
    fn std_table_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.header_open(at, false);
    }

    fn array_table_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.header_open(at, true);
    }

    fn std_table_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.step(|b| b.close_header(span(at)));
    }

    fn array_table_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.step(|b| b.close_header(span(at)));
    }

    fn inline_table_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(Open::Table {
            start: span(at).start,
            entries: Vec::new(),
            key: None,
        })
    }

    fn inline_table_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.step(|b| b.close(span(at)));
    }

    fn array_open(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(Open::Array {
            start: span(at).start,
            items: Vec::new(),
        })
    }

    fn array_close(&mut self, at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.step(|b| b.close(span(at)));
    }

    fn simple_key(
        &mut self,
        at: toml_parser::Span,
        encoding: Option<Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        self.step(|b| b.key(at, encoding));
    }

    fn key_sep(&mut self, _at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        // A dotted key.
        self.step(Self::leave);
    }

    fn scalar(
        &mut self,
        at: toml_parser::Span,
        encoding: Option<Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        self.step(|b| b.scalar(at, encoding));
    }

    fn error(&mut self, _at: toml_parser::Span, _error: &mut dyn ErrorSink) {
        self.step(Self::leave);
    }
}

impl Builder<'_> {
    fn header_open(&mut self, at: toml_parser::Span, array: bool) {
        self.step(|b| {
            if b.header.is_some() || b.key.is_some() || !b.open.is_empty() {
                return None;
            }
            b.header = Some(Header {
                start: span(at).start,
                array,
                key: None,
            });
            Some(())
        });
    }
}

/// The table that `key = value` lines go to, for a header's [`Current`].
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

/// Adds `key = item` to `table`, or `None` when the key is already there
/// (or the table is over [`MAX_KEYS`]).
fn insert<'a>(src: &str, table: &mut Vec<Entry<'a>>, key: Span, item: Item<'a>) -> Option<()> {
    if table.iter().any(|e| same_key(src, e.key, key)) {
        return None;
    }
    add(table, key, Origin::Value, item)
}

/// The bytes of a bare key in every TOML version: letters, digits, `_`
/// and `-`, looked up rather than tested in turn.
static BARE: [bool; 256] = {
    let mut bare = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        bare[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    bare
};

/// Whether two bare keys of `src` are the same key. Lengths first, then
/// the first byte: most keys of a table differ in one or the other, and
/// this runs for every key against every key before it (a whole compare
/// is a call to `memcmp`).
fn same_key(src: &str, a: Span, b: Span) -> bool {
    let bytes = src.as_bytes();
    let (a, b) = (a.range(), b.range());
    a.len() == b.len() && bytes.get(a.start) == bytes.get(b.start) && bytes.get(a) == bytes.get(b)
}

/// Adds an entry whose key is known to be new, or `None` past [`MAX_KEYS`].
fn add<'a>(table: &mut Vec<Entry<'a>>, key: Span, origin: Origin, item: Item<'a>) -> Option<()> {
    if table.len() >= MAX_KEYS {
        return None;
    }
    table.push(Entry { key, origin, item });
    Some(())
}

/// The content of a basic string (`"..."`) that has nothing to decode: no
/// escape and no character TOML forbids in one (a control character other
/// than tab). Most strings of a record are such, and the decoder walks
/// each character; the others go to it.
fn plain_basic_string(text: &str, encoding: Option<Encoding>) -> Option<&str> {
    if encoding != Some(Encoding::BasicString) {
        return None;
    }
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    // Every byte is looked at, with no early exit, so the compiler checks
    // many bytes at a time.
    let refused = inner.as_bytes().iter().fold(false, |refused, &b| {
        refused | ((b < 0x20 && b != b'\t') | (b == 0x7f) | (b == b'\\') | (b == b'"'))
    });
    (!refused).then_some(inner)
}

#[cfg(test)]
mod tests;
