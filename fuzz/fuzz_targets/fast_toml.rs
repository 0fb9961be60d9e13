//! The front-matter fast path against toml: on any text, whatever the fast
//! path accepts (as an incident, a playbook or a generic spanned tree) toml
//! must accept too, with the same value and the same spans
//! (`pm::parse::fast::differential::compare` is the judge).
//!
//! ```text
//! cargo fuzz run -s none fast_toml corpus/fast_toml ../incidents ../playbooks
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Records are read from their front matter when they have one (what
    // the fast path sees in pm), else as the whole text, so the seed corpus
    // of records and bare TOML both reach it.
    let front_matter = pm::parse::split_front_matter(text)
        .ok()
        .and_then(|split| text.get(split.front_matter))
        .unwrap_or(text);
    if let Err(disagreement) = pm::parse::fast::differential::compare(front_matter) {
        panic!("{disagreement}");
    }
});
