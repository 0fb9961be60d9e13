//! Finding and reading the repository's files: the first stage.
//!
//! Discovery walks `incidents/`, `playbooks/` and `site-template/` in sorted
//! order (so results never depend on directory order), reads record files in
//! parallel, and reports files it will not use. It never follows a symlink
//! (not even one standing for a whole folder such as `incidents/`), never
//! enters a git submodule, and never reads outside the root; the working tree
//! and a commit's tree (`--rev`) agree on all of it. It does not parse anything.
//!
//! Files, in order (each uses only earlier ones): `paths`, `git` (commits,
//! history and blobs), `content`, `reader`, `discover`.

mod content;
mod discover;
pub mod git;
mod paths;
mod reader;

pub use content::{Attachment, Content};
pub use discover::{
    Found, Listing, SourceFile, SourceSet, TemplateFile, Unread, discover, discover_in, list_in,
};
pub use paths::{
    BUNDLE_INDEX, CONFIG_FILE, INCIDENTS_DIR, PLAYBOOKS_DIR, RecordKind, TEMPLATES_DIR, rel_string,
};
pub use reader::{EntryKind, Reader, WorkTree};
