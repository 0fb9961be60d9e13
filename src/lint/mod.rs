//! Lints: one rule per file under `rules/`, a sorted registry, and level resolution.
//!
//! A rule reads the model and the analysis and emits findings; it never
//! picks its own level. Most rules look at one record at a time
//! ([`Scope::Record`]); the few that compare records read the [`Index`]
//! instead ([`Scope::Repository`]), so `pm lint` can lint each record on
//! its own and let it go, and run those few once at the end. Levels
//! resolve in order: the group's default, then `pm.toml [lints]`, then `-A/-W/-D` on the command line, then a record's
//! own `allow = [{ lint, reason }]`. A record whose timeline could not be
//! read whole gets only the findings of the lints that do not read the
//! timeline until it can. Lint never renders and never writes.
//!
//! Files, in order (each uses only earlier ones): `index`, `context`,
//! `rules` (one file per lint), `levels`, `run`.

mod context;
mod index;
mod levels;
mod rules;
mod run;

pub use context::{Findings, Group, Lint, LintCx, LintLevel, Scope};
pub(crate) use context::{
    body_line_span, incident_finding, milestone_expected, open_actions, playbook_finding,
};
pub use index::{Index, IndexedIncident, IndexedPlaybook};
pub use levels::{CliLevels, Levels, find, unknown_lint};
pub use rules::LINTS;
pub(crate) use rules::PLACEHOLDERS;
pub use run::{run, run_all};
