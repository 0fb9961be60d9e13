//! pm's integration tests: one binary, one module per command or concern.
//! See `tests/README.md` for how the harness works and how to add a case.

#![allow(missing_docs, reason = "test code")]
#![allow(
    unreachable_pub,
    reason = "the harness's items are shared by the test modules"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed test may panic"
)]

mod support;

mod accessibility;
mod browser;
mod build;
mod changed_since;
mod ci_recipes;
mod codes;
mod dogfood;
mod event;
mod fast_toml;
mod first_record;
mod format_docs;
mod format_v2;
mod formats;
mod hardening;
mod hardening_attachments;
mod hardening_discovery;
mod hardening_disk;
mod hardening_output;
mod hardening_panics;
mod hardening_serve;
mod hardening_shapes;
mod history;
mod import;
mod init;
mod layering;
mod leave_out;
mod lints;
mod malformed;
mod new;
mod page_layout;
mod playbooks;
mod prompt;
mod properties;
mod real_records;
mod search;
mod security_docs;
mod seeds;
mod serve;
mod serve_incremental;
mod site;
mod stats;
mod timeline_svg;
mod times;
