//! Views that many pages list, turned into Tera values once per build.
//!
//! An incident's row is listed on the index and on each of its listing
//! pages (severity, type, status, year, every service), and the index's
//! figures, charts and facets are the same on each of its pages. Turning a
//! view into a Tera value copies every string of it; doing that again for
//! each page that shows it was about 8 % of the CPU of a 10,000-record
//! build.
//! [`Shared`] keeps the value made the first time: Tera's serializer takes
//! a [`tera::Value`] it meets inside a context as it is (arrays, maps and
//! long strings are reference-counted), so a page's context holds the
//! shared value at the cost of a reference count. Any other serializer
//! (`serde_json`) writes the same fields as the view itself would.

use std::marker::PhantomData;

use serde::{Serialize, Serializer};

/// The Tera value of a view of type `T`, made once; it serializes as the
/// view did. The view itself is not kept: pages only need its value.
///
/// A value takes several times the memory of its view (a hash map per
/// struct), so this pays where a view is shown on many pages. Action items
/// (50,000 at 10,000 records, each on three pages) cost more to keep as
/// values (+100 MB, and more CPU in page faults) than they saved.
#[derive(Debug)]
pub struct Shared<T> {
    value: tera::Value,
    view: PhantomData<fn() -> T>,
}

impl<T: Serialize> Shared<T> {
    /// Makes the view's Tera value.
    pub fn new(view: &T) -> Shared<T> {
        Shared {
            value: tera::Value::from_serializable(view),
            view: PhantomData,
        }
    }

    /// The value, to read a field of the view.
    pub fn value(&self) -> &tera::Value {
        &self.value
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        title: String,
        count: u32,
        url: Option<String>,
        tags: Vec<&'static str>,
    }

    fn row() -> Row {
        Row {
            title: "Checkout <down> & \"out\"".to_owned(),
            count: 3,
            url: None,
            tags: vec!["a", "b"],
        }
    }

    #[derive(Serialize)]
    struct Page<'a, T> {
        rows: Vec<&'a T>,
        n: usize,
    }

    #[test]
    fn a_page_holding_shared_rows_gets_the_same_value_and_json_as_with_the_rows() {
        let plain = row();
        let shared = Shared::new(&row());
        assert_eq!(
            shared.value().get_from_path("count"),
            Some(&tera::Value::from(3u32))
        );
        let with_plain = Page {
            rows: vec![&plain, &plain],
            n: 2,
        };
        let with_shared = Page {
            rows: vec![&shared, &shared],
            n: 2,
        };
        assert_eq!(
            tera::Value::from_serializable(&with_shared),
            tera::Value::from_serializable(&with_plain)
        );
        assert_eq!(
            serde_json::to_string(&with_shared).ok(),
            serde_json::to_string(&with_plain).ok()
        );
    }

    #[test]
    fn a_template_renders_shared_rows_as_the_rows() -> tera::TeraResult<()> {
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "t.html",
            "{% for r in rows %}{{ r.title }} {{ r.count }} {{ r.url }} {{ r.tags | join(sep=\",\") }};{% endfor %}",
        )?;
        let plain = row();
        let shared = Shared::new(&row());
        let render = |c: tera::Context| tera.render("t.html", &c);
        let mut a = tera::Context::new();
        a.insert("rows", &vec![&plain]);
        let mut b = tera::Context::new();
        b.insert("rows", &vec![&shared]);
        assert_eq!(render(b)?, render(a)?);
        Ok(())
    }
}
