//! The repository's layout: its folders and files by name, and paths as
//! diagnostics print them.

use std::path::{Path, PathBuf};

/// Folder holding incident records.
pub const INCIDENTS_DIR: &str = "incidents";

/// The configuration file at the repository root.
pub const CONFIG_FILE: &str = "pm.toml";

/// Folder holding playbooks.
pub const PLAYBOOKS_DIR: &str = "playbooks";

/// Folder whose files override the built-in templates.
pub const TEMPLATES_DIR: &str = "site-template";

/// A folder holding this file is an incident bundle.
pub const BUNDLE_INDEX: &str = "index.md";

/// What a record file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// An incident (`incidents/**/<id>.md` or `incidents/**/<id>/index.md`).
    Incident,
    /// A playbook (`playbooks/<type>.md`).
    Playbook,
}

/// `/`-joined relative path.
pub(super) fn join_rel(rel: &Path, name: &str) -> PathBuf {
    rel.join(name)
}

/// A relative path as the `/`-separated string diagnostics print.
pub fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
