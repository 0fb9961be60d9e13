//! The pipeline: what every command runs the stages through.
//!
//! Commands (`crate::cmd`) never call the stages one by one: they ask this
//! module to load a repository ([`load::load`]), lint it (record by record
//! for `pm lint`, [`lint::lint_repository`], or in one pass with the
//! site), and render its site (`pm build` streams it,
//! [`stream::build_site`]; `pm serve` passes records one by one with
//! [`lint::LintEnv`] and renders with [`site::produce`]). This module
//! owns the order of the stages, the settings that hold for a whole run,
//! reading git history, panic isolation around each stage, and where output
//! may go ([`location`]). Its files, in order (each uses only earlier ones):
//! `today`, `ui`, `load`, `lint`, `site`, `slim`, `stream`, `check`, `location`.

mod check;
pub(crate) mod lint;
pub(crate) mod load;
pub(crate) mod location;
pub(crate) mod site;
pub(crate) mod slim;
pub(crate) mod stream;
mod today;
pub(crate) mod ui;

pub use check::{Checked, check_record};
pub use today::resolve_today;
pub(crate) use today::{given_today, records_today};
pub(crate) use ui::{Ui, shown};
