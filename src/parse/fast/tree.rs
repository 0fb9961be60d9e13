//! The tree the fast path builds: values borrowed from the text, with toml's
//! spans, and how each root key was defined.

use std::borrow::Cow;
use std::ops::Range;

use toml_datetime::Datetime;

/// A value, borrowed from the text where it can be.
#[derive(Debug)]
pub(super) enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    /// A datetime's text, as written, and its value: parsed once with
    /// `toml_datetime`'s `FromStr` when read (as toml parses it). The serde
    /// path hands the text to the deserializer, which is what toml hands it
    /// after formatting the value it parsed (see `de::RawDatetime`); the
    /// direct path (`direct.rs`) takes the value as it is.
    Datetime(Cow<'a, str>, Datetime),
    Array(Vec<Item<'a>>),
    Table(Vec<Entry<'a>>),
}

/// A value and its span, as toml spans it: a string with its quotes, an
/// array or inline table from bracket to bracket, a `[table]` or each
/// `[[table]]` element by its header line's brackets.
#[derive(Debug)]
pub(super) struct Item<'a> {
    pub(super) span: Span,
    pub(super) value: Value<'a>,
}

/// A byte range of the text, in 32 bits to keep the tree small (the fast
/// path leaves texts over 4 GiB to toml).
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) end: u32,
}

impl Span {
    pub(super) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How a key of the root table was defined, for toml's rules on redefining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// `key = value`, inline tables and arrays included.
    Value,
    /// A `[key]` header.
    Table,
    /// `[[key]]` headers.
    Tables,
}

/// One key of a table: a bare key, so its span is its text.
#[derive(Debug)]
pub(super) struct Entry<'a> {
    pub(super) key: Span,
    pub(super) origin: Origin,
    pub(super) item: Item<'a>,
}
