//! The record parser: front matter split and TOML into the `Raw*` mirrors,
//! for an incident and a playbook, and `pm.toml` parsing, on any bytes.
//!
//! ```text
//! cargo fuzz run parse_record fuzz/corpus/records
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use pm::diag::Diagnostics;
use pm::source::{RecordKind, SourceFile};

fuzz_target!(|data: &[u8]| {
    for (kind, rel, stem) in [
        (RecordKind::Incident, "incidents/2026-01-01-fuzz.md", "2026-01-01-fuzz"),
        (RecordKind::Playbook, "playbooks/fuzz.md", "fuzz"),
    ] {
        let records = vec![SourceFile {
            kind,
            rel: rel.to_owned(),
            stem: stem.to_owned(),
            bytes: data.to_vec(),
            attachments: None,
        }];
        let mut diags = Diagnostics::new();
        let _ = pm::parse::parse(records, &mut diags);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let mut diags = Diagnostics::new();
        let _ = pm::config::Config::parse(text, &mut diags);
    }
});
