//! The fast path's deserializer: toml's `ValueDeserializer`,
//! `TableMapAccess`, `ArraySeqAccess` and `KeyDeserializer`, call for call,
//! over the tree the parser builds ([`super::tree`]).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_spanned::de::SpannedDeserializer;
use toml_datetime::Datetime;
use toml_datetime::de::DatetimeDeserializer;

use super::tree::{Entry, Item, Value};

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
pub(super) struct ValueDe<'a> {
    pub(super) src: &'a str,
    pub(super) span: Range<usize>,
    pub(super) value: Value<'a>,
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
            Value::Datetime(text, _) => visitor.visit_map(RawDatetime::new(text)),
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
        // A datetime (toml_datetime's own struct name) is visited as
        // `deserialize_any` visits it.
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

/// A datetime as toml's `DatetimeDeserializer` hands it over: one entry,
/// whose key is toml_datetime's private field name (taken from its own
/// deserializer, so this never spells it) and whose value is the text.
/// toml formats the `Datetime` it parsed back into a string for that
/// value; the text as written parses to the same `Datetime` (the
/// differential tests hold it to that) and spares the formatting, which
/// was a twentieth of `pm lint`'s instructions.
struct RawDatetime<'a> {
    key: DatetimeDeserializer<Bail>,
    text: Option<Cow<'a, str>>,
}

impl<'a> RawDatetime<'a> {
    fn new(text: Cow<'a, str>) -> Self {
        let none = Datetime {
            date: None,
            time: None,
            offset: None,
        };
        RawDatetime {
            key: DatetimeDeserializer::new(none),
            text: Some(text),
        }
    }
}

impl<'de> de::MapAccess<'de> for RawDatetime<'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        if self.text.is_none() {
            return Ok(None);
        }
        self.key.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        match self.text.take().ok_or(Bail)? {
            Cow::Borrowed(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
            Cow::Owned(text) => seed.deserialize(text.into_deserializer()),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.text.is_some()))
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
