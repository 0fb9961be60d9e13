//! The fast path's direct reading: the records' front matter types built
//! from the tree (`tree.rs`) by hand, with no serde in between.
//!
//! Through serde, each value of a record costs a visitor call per key and
//! value, and each `Spanned` a map of three private keys compared as
//! strings; each datetime was also parsed a second time from its text by
//! `toml::Value`'s visitor. [`FromTree`] builds the same values directly:
//! a string is moved out of the tree, a span taken from its item, a
//! datetime's value taken as the tree parsed it. The records' structs
//! implement it in `records.rs`.
//!
//! It answers `None` ("not mine", and toml reads the document) for whatever
//! the derived `Deserialize` would refuse (an unknown key, a wrong type, a
//! missing field without a default) and for what serde would accept in a
//! way this does not follow (a struct written as an array, which serde
//! reads field by field). When it answers `Some`, the value is the one
//! serde's derived code builds from the tree, and so toml's: the
//! differential tests and the `fast_toml` fuzz target compare it with
//! `toml::from_str` (see `differential::compare`).

use std::collections::BTreeMap;

use toml::Spanned;

use super::tree::{Item, Value};

/// A value of the fast path's tree, as [`FromTree`] takes it (opaque
/// outside the fast path).
pub struct Node<'a>(pub(super) Item<'a>);

/// A type the fast path builds from the tree directly.
pub trait FromTree: Sized {
    /// The value of `node` in `src`, as serde's derived (or toml's)
    /// `Deserialize` gives it; `None` where that would fail, or is left to
    /// toml.
    fn from_tree(src: &str, node: Node<'_>) -> Option<Self>;

    /// The value of a field the table leaves out: `None` for a required
    /// field (serde's "missing field" error).
    fn absent() -> Option<Self> {
        None
    }
}

/// Reads `item` as a `T`.
pub(super) fn read<T: FromTree>(src: &str, item: Item<'_>) -> Option<T> {
    T::from_tree(src, Node(item))
}

impl FromTree for String {
    fn from_tree(_src: &str, Node(item): Node<'_>) -> Option<Self> {
        match item.value {
            Value::Str(s) => Some(s.into_owned()),
            _ => None,
        }
    }
}

impl FromTree for bool {
    fn from_tree(_src: &str, Node(item): Node<'_>) -> Option<Self> {
        match item.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// As `toml::Value`'s `Deserialize`: every value the tree holds is one.
impl FromTree for toml::Value {
    fn from_tree(src: &str, Node(item): Node<'_>) -> Option<Self> {
        Some(match item.value {
            Value::Str(s) => toml::Value::String(s.into_owned()),
            Value::Int(i) => toml::Value::Integer(i),
            Value::Bool(b) => toml::Value::Boolean(b),
            Value::Datetime(_, datetime) => toml::Value::Datetime(datetime),
            Value::Array(items) => toml::Value::Array(
                items
                    .into_iter()
                    .map(|item| read(src, item))
                    .collect::<Option<_>>()?,
            ),
            // Keys are unique in the tree, as toml's visitor requires.
            Value::Table(entries) => {
                let mut table = toml::Table::new();
                for entry in entries {
                    let key = src.get(entry.key.range())?;
                    table.insert(key.to_owned(), read(src, entry.item)?);
                }
                toml::Value::Table(table)
            }
        })
    }
}

impl<T: FromTree> FromTree for Spanned<T> {
    fn from_tree(src: &str, Node(item): Node<'_>) -> Option<Self> {
        let span = item.span.range();
        read::<T>(src, item).map(|value| Spanned::new(span, value))
    }
}

/// TOML has no null: a key that is there is `Some`.
impl<T: FromTree> FromTree for Option<T> {
    fn from_tree(src: &str, Node(item): Node<'_>) -> Option<Self> {
        read::<T>(src, item).map(Some)
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// Every `Vec` field of the records is `#[serde(default)]`: absent, it is
/// empty.
impl<T: FromTree> FromTree for Vec<T> {
    fn from_tree(src: &str, Node(item): Node<'_>) -> Option<Self> {
        match item.value {
            Value::Array(items) => items.into_iter().map(|item| read::<T>(src, item)).collect(),
            _ => None,
        }
    }

    fn absent() -> Option<Self> {
        Some(Vec::new())
    }
}

/// A table with spanned keys (`checklist`), `#[serde(default)]` too.
impl<V: FromTree> FromTree for BTreeMap<Spanned<String>, V> {
    fn from_tree(src: &str, Node(item): Node<'_>) -> Option<Self> {
        let Value::Table(entries) = item.value else {
            return None;
        };
        let mut map = BTreeMap::new();
        for entry in entries {
            let key = src.get(entry.key.range())?;
            let key = Spanned::new(entry.key.range(), key.to_owned());
            map.insert(key, read::<V>(src, entry.item)?);
        }
        Some(map)
    }

    fn absent() -> Option<Self> {
        Some(BTreeMap::new())
    }
}
