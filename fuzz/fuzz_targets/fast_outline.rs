//! The outline fast path against comrak: on any text, wherever the fast
//! path answers, comrak must find the same headings, links and raw-HTML
//! lines (`pm::markdown::outline::compare` is the judge).
//!
//! ```text
//! cargo fuzz run -s none fast_outline corpus/fast_outline ../incidents ../playbooks
//! ```

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pm::markdown::Markdown;

static MARKDOWN: LazyLock<Markdown> = LazyLock::new(Markdown::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A record's body when it has front matter (what the fast path sees in
    // pm), else the whole text.
    let body = pm::parse::split_front_matter(text)
        .ok()
        .and_then(|split| text.get(split.body_start..))
        .unwrap_or(text);
    if let Err(disagreement) = pm::markdown::outline::compare(&MARKDOWN, body) {
        panic!("{disagreement}");
    }
});
