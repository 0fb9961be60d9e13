//! Rendering one record: the site made of the bytes as an incident (its
//! page, the index, listings, feeds, search index, action tracker), through
//! the built-in templates (`pm::check_record` with templates). A template
//! that fails to render a record pm accepted is a bug too.

#![no_main]

use std::sync::LazyLock;

use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;
use pm::render::Templates;

const TODAY: Date = Date::constant(2026, 11, 30);

static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| match Templates::load(&[]) {
    Ok(t) => t,
    Err(e) => panic!("the built-in templates do not compile: {e}"),
});

fuzz_target!(|data: &[u8]| {
    let rel = "incidents/2026-01-01-fuzz/index.md";
    let checked = match pm::check_record(rel, data, TODAY, Some(&TEMPLATES)) {
        Ok(checked) => checked,
        Err(e) => panic!("rendering `{rel}` failed: {e}"),
    };
    if let Some(d) = checked
        .diagnostics
        .items()
        .iter()
        .find(|d| d.code == "internal_error")
    {
        panic!("{}", d.message);
    }
});
