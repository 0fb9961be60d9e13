//! pm: postmortems and playbooks as code.
//!
//! The library behind the `pm` binary. A run is a pipeline of typed stages,
//! each using only the ones before it; docs/design-decisions.md ("One
//! package, a staged pipeline") lists them once, and a test holds the code
//! to that list:
//!
//! ```text
//! diag error isolate revisions → source → parse → config → humanize → markdown → model
//!   → edit → import → analysis → learn → stats → lint → report → render → output → scaffold
//!   → cli → pipeline → cmd
//! ```
//!
//! [`run`] parses nothing: it takes the command line ([`cli::Cli`]), runs the
//! command (`cmd`, one file per subcommand) through the pipeline
//! (`pipeline`: loading, settings, history, the lint passes, panic isolation
//! and the site job) and returns the exit code. Problems in records are
//! [`diag::Diagnostic`]s; failures to run at all are [`Error`]s.

pub mod analysis;
pub mod cli;
mod cmd;
pub mod config;
pub mod diag;
pub mod edit;
mod error;
pub mod humanize;
pub mod import;
pub mod isolate;
pub mod learn;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
mod pipeline;
pub mod render;
pub mod report;
pub mod revisions;
mod scaffold;
pub mod source;
pub mod stats;

pub use cmd::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, run};
pub use error::{Error, Result};
pub use pipeline::{Checked, check_record, resolve_today};
