//! The SVG cleaner on arbitrary text: it never panics, and whatever it
//! publishes, cleaned again, is published unchanged. Cleaning refuses every
//! element and attribute off its lists and every handler and script link, so
//! a copy that cleans to itself holds nothing else: a published drawing that
//! could run script would be a crash here.
//!
//! ```text
//! cargo fuzz run -s none svg_clean corpus/svg_clean ../tests/fixtures
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use pm::model::attachment::svg::clean;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(published) = clean(text) {
        match clean(&published) {
            Ok(again) => assert_eq!(again, published, "cleaning is not idempotent"),
            Err(problem) => panic!("pm published a drawing it refuses: {problem:?}\n{published}"),
        }
    }
});
