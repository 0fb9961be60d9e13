//! The oracle that holds the fast path to toml: [`compare`] runs both on one
//! text and fails when the fast path says yes where toml says no, or when
//! their values differ in anything, spans included. The unit tests, the
//! differential and property tests of the suite and the `fast_toml` fuzz
//! target all judge through it.
//!
//! It compares three targets: [`RawIncident`] and [`RawPlaybook`] (what pm
//! reads) and a generic spanned [`Tree`] that keeps every value, every key
//! and every span of the document, so constructs the records' types do not
//! reach are compared too.

use std::cell::Cell;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use crate::parse::{RawIncident, RawPlaybook};

/// Which targets the fast path accepted (and found equal to toml's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// As an incident's front matter.
    pub incident: bool,
    /// As a playbook's front matter.
    pub playbook: bool,
    /// As a generic tree of spanned values.
    pub tree: bool,
    /// As an incident's front matter, read directly (not through serde).
    pub direct_incident: bool,
    /// As a playbook's front matter, read directly.
    pub direct_playbook: bool,
}

/// Runs the fast path and `toml::from_str` on `text` for each target. `Err`
/// describes a disagreement: the fast path accepted a text toml refuses, or
/// produced another value or span.
///
/// The records' types are read both ways the fast path reads them: through
/// serde ([`super::from_str`]) and directly ([`super::direct_from_str`]);
/// each must agree with toml wherever it answers.
pub fn compare(text: &str) -> Result<Verdict, String> {
    Ok(Verdict {
        incident: same::<RawIncident>(text)?,
        playbook: same::<RawPlaybook>(text)?,
        tree: same::<Tree>(text)?,
        direct_incident: direct::<RawIncident>(text)?,
        direct_playbook: direct::<RawPlaybook>(text)?,
    })
}

/// Whether the direct path read `text` as a `T`, which toml must read the
/// same.
fn direct<T: DeserializeOwned + super::FromTree + fmt::Debug>(text: &str) -> Result<bool, String> {
    let Some(fast) = super::direct_from_str::<T>(text) else {
        return Ok(false);
    };
    agree(text, &fast, "directly")
}

fn same<T: DeserializeOwned + fmt::Debug>(text: &str) -> Result<bool, String> {
    let Some(fast) = super::from_str::<T>(text) else {
        return Ok(false);
    };
    agree(text, &fast, "through serde")
}

/// Whether toml reads `text` as `fast`, which the fast path read `how`.
fn agree<T: DeserializeOwned + fmt::Debug>(
    text: &str,
    fast: &T,
    how: &str,
) -> Result<bool, String> {
    let name = format!("{} ({how})", std::any::type_name::<T>());
    match toml::from_str::<T>(text) {
        Err(e) => Err(format!(
            "the fast path accepted as {name} a text toml refuses: {e}"
        )),
        Ok(slow) => {
            // `Spanned`'s `Debug` shows the span; its `PartialEq` ignores it.
            let (fast, slow) = (format!("{fast:#?}"), format!("{slow:#?}"));
            if fast == slow {
                Ok(true)
            } else {
                let line = fast
                    .lines()
                    .zip(slow.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                Err(format!(
                    "as {name}, the fast path and toml differ from line {line} of their Debug:\nfast:\n{}\ntoml:\n{}",
                    excerpt(&fast, line),
                    excerpt(&slow, line)
                ))
            }
        }
    }
}

fn excerpt(text: &str, line: usize) -> String {
    text.lines()
        .skip(line.saturating_sub(3))
        .take(8)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A TOML document as spanned values: keys with their spans, tables sorted
/// by key (toml's order), datetimes as their text.
#[derive(Debug)]
pub enum Tree {
    /// A string.
    Str(String),
    /// An integer within `i64`.
    Int(i64),
    /// An integer above `i64`.
    UInt(u64),
    /// An integer beyond 64 bits, as text.
    Big(String),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A datetime's value. (Its text as handed over differs: toml formats
    /// the value it parsed, the fast path hands over the text as written.)
    Datetime(toml::value::Datetime),
    /// An array.
    Array(Vec<Spanned<Tree>>),
    /// A table.
    Table(Vec<(Spanned<String>, Spanned<Tree>)>),
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any TOML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::UInt(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Tree, E> {
        Ok(Tree::Big(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Tree, E> {
        Ok(Tree::Big(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Str(v.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                // Only a datetime's map has a key without a span.
                Key::Plain => {
                    let text: String = map.next_value()?;
                    let datetime = text.parse().map_err(de::Error::custom)?;
                    return Ok(Tree::Datetime(datetime));
                }
                Key::Spanned(key) => entries.push((key, map.next_value()?)),
            }
        }
        entries.sort_by(|(a, _), (b, _)| a.get_ref().cmp(b.get_ref()));
        Ok(Tree::Table(entries))
    }
}

/// A map key: with its span (a table's), or without (a datetime's marker).
enum Key {
    Plain,
    Spanned(Spanned<String>),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        const FIELDS: &[&str] = &["start", "end", "value"];
        deserializer.deserialize_struct(spanned_struct_name(), FIELDS, KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, _v: &str) -> Result<Key, E> {
        Ok(Key::Plain)
    }

    /// `Spanned`'s protocol: its start, end and value fields.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
        let (mut start, mut end, mut value) = (None, None, None);
        while let Some(field) = map.next_key::<String>()? {
            if field.ends_with("start") {
                start = Some(map.next_value::<usize>()?);
            } else if field.ends_with("end") {
                end = Some(map.next_value::<usize>()?);
            } else {
                value = Some(map.next_value::<String>()?);
            }
        }
        match (start, end, value) {
            (Some(start), Some(end), Some(value)) => {
                Ok(Key::Spanned(Spanned::new(start..end, value)))
            }
            _ => Err(de::Error::custom("an incomplete spanned key")),
        }
    }
}

/// The struct name through which `Spanned` asks a deserializer for a span,
/// read from `Spanned`'s own `Deserialize` (serde_spanned keeps it private).
fn spanned_struct_name() -> &'static str {
    let name = Cell::new("");
    let _ = Spanned::<String>::deserialize(NameRecorder(&name));
    name.get()
}

struct NameRecorder<'c>(&'c Cell<&'static str>);

impl<'de> de::Deserializer<'de> for NameRecorder<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only records a struct name"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.set(name);
        Err(de::Error::custom("only records a struct name"))
    }

    serde::forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map unit ignored_any unit_struct tuple_struct tuple identifier
        option newtype_struct enum
    }
}
