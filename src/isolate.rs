//! Panic isolation: one record's processing that panics becomes an
//! `internal_error` diagnostic naming the record, and the other records go
//! on.
//!
//! A panic is a bug in pm or in a library it uses, never the record's fault;
//! but it must not take the other records down with it, nor end the run
//! without saying which file to report. The stages call [`record`] at their
//! per-record boundaries (parsing and validating one file, analysing,
//! linting and rendering one record). This module owns `catch_unwind` and
//! the test failpoint; it does not decide what a stage does with a failed
//! record. It cannot catch what is not a panic: a stack overflow aborts the
//! process, which is why no walk over a record's structure recurses and the
//! `[limits]` bound every record's size.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::diag::Diagnostic;

/// Runs `work`, one stage's processing of the record in `file`. A panic in
/// it becomes an `internal_error` diagnostic naming `file`; `stage` says
/// what pm was doing, as a gerund ("parsing", "rendering").
///
/// `work` may leave state half-updated when it panics (hence
/// `AssertUnwindSafe`): callers give it only that one record's state, and
/// drop it when it fails.
pub fn record<T>(
    stage: &'static str,
    file: &str,
    work: impl FnOnce() -> T,
) -> Result<T, Box<Diagnostic>> {
    catch_unwind(AssertUnwindSafe(|| {
        failpoint(stage, file);
        work()
    }))
    .map_err(|payload| Box::new(internal_error(stage, file, payload.as_ref())))
}

/// [`record`] for work on several records at once (a lint over the whole
/// corpus): the failpoint fires when any of `files` is named.
pub fn records<'a, T>(
    stage: &'static str,
    files: impl IntoIterator<Item = &'a str>,
    work: impl FnOnce() -> T,
) -> Result<T, Box<dyn Any + Send>> {
    catch_unwind(AssertUnwindSafe(|| {
        for file in files {
            failpoint(stage, file);
        }
        work()
    }))
}

/// The diagnostic for a panic while `stage` was processing `file`.
pub fn internal_error(stage: &str, file: &str, payload: &(dyn Any + Send)) -> Diagnostic {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic with no message");
    // `<pm>`: a panic no single record shows.
    let whose = if file.starts_with('<') {
        "the records"
    } else {
        "this record"
    };
    Diagnostic::error(
        "internal_error",
        file,
        format!("pm failed while {stage} {whose}: {what}"),
    )
    .note("this is a bug in pm, not a mistake in the record; the other records were processed")
    .help("please report it with this record attached (or a copy that still fails); until it is fixed, pm cannot process this record")
}

/// The environment variable that makes [`record`] panic, in debug builds
/// only: `<stage>:<file>` (several separated by `,`), for example
/// `PM_FAILPOINT=rendering:incidents/2026-01-01-a.md`. Tests use it to prove
/// the isolation holds; release builds ignore it.
pub const FAILPOINT_VAR: &str = "PM_FAILPOINT";

/// Panics when [`FAILPOINT_VAR`] names `stage` and `file`.
#[cfg(debug_assertions)]
fn failpoint(stage: &str, file: &str) {
    static SPEC: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let Some(spec) = SPEC.get_or_init(|| std::env::var(FAILPOINT_VAR).ok()) else {
        return;
    };
    let hit = spec
        .split(',')
        .filter_map(|item| item.trim().split_once(':'))
        .any(|(s, f)| s == stage && f == file);
    if hit {
        panic!("failpoint `{stage}:{file}` ({FAILPOINT_VAR})");
    }
}

/// Release builds have no failpoint.
#[cfg(not(debug_assertions))]
fn failpoint(_stage: &str, _file: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_diagnostic_naming_the_file() {
        let d = record("parsing", "incidents/a.md", || -> u8 {
            panic!("boom {}", 1)
        })
        .unwrap_err();
        assert_eq!(d.code, "internal_error");
        assert_eq!(d.file, "incidents/a.md");
        assert_eq!(d.message, "pm failed while parsing this record: boom 1");
        assert_eq!(record("parsing", "incidents/a.md", || 7).ok(), Some(7));
        let d = record("linting", "x.md", || std::panic::panic_any(3_u8)).unwrap_err();
        assert!(d.message.ends_with("a panic with no message"));
    }
}
