//! Findings in the formats CI systems read: JSON lines, GitHub workflow
//! commands and job summary, SARIF 2.1.0, GitLab Code Quality.
//!
//! Every format is built from the same [`crate::diag::DiagnosticRecord`]s (resolved lines
//! and columns, stable field order), so they can never disagree. This module
//! only formats text; the command layer decides where it goes, and writes
//! go through `output`. Human output is [`crate::diag::render_human`].

//!
//! Files, in order: `records` (what every format reads), then one per format.

mod github;
mod gitlab;
mod json;
mod records;
mod sarif;

pub use github::{annotations as github, summary as github_summary};
pub use gitlab::code_quality as gitlab;
pub use json::json_lines;
pub use sarif::log as sarif;
