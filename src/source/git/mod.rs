//! The repository's history: the only module that uses git2.
//!
//! pm reads records from the working tree; git is asked only for what the
//! working tree cannot tell, such as which records a pull request changed.
//! Every failure carries the fix a CI user needs (a shallow clone, a
//! checkout owned by another user).
//!
//! Its files, each using only those before it in this list:
//! `open` (opening the repository), `changed` (`--changed-since`), `links`
//! (web addresses of commits and edits), `raw_tree` (tree objects as
//! stored), `folder_diff` (what one commit changed), `history` (the walk),
//! `blob` (an attachment's bytes in a commit), `rev_tree` (`--rev`: a
//! commit's tree as the records root). This file
//! only names them.

mod blob;
mod changed;
mod folder_diff;
mod history;
mod links;
mod open;
mod raw_tree;
mod rev_tree;

pub use crate::revisions::{FileHistory, Forge, History, RepoLinks, Revision};
pub use blob::Blob;
pub use changed::changed_since;
pub use history::{NoHistory, history};
pub use links::{forge_of, web_url};
pub use rev_tree::RevTree;
