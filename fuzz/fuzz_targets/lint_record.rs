//! The whole lint pipeline on one record: parse, validate, analyse and every
//! lint, as `pm lint` runs them, for the bytes as an incident and as a
//! playbook (`pm::check_record`).

#![no_main]

use jiff::civil::Date;
use libfuzzer_sys::fuzz_target;

const TODAY: Date = Date::constant(2026, 11, 30);

fuzz_target!(|data: &[u8]| {
    for rel in ["incidents/2026-01-01-fuzz.md", "playbooks/fuzz.md"] {
        let checked = match pm::check_record(rel, data, TODAY, None) {
            Ok(checked) => checked,
            Err(e) => panic!("linting `{rel}` failed: {e}"),
        };
        // A panic caught by pm's isolation is still a bug.
        if let Some(d) = checked
            .diagnostics
            .items()
            .iter()
            .find(|d| d.code == "internal_error")
        {
            panic!("{}", d.message);
        }
    }
});
