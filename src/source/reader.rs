//! Where discovery reads from: the working tree, or (in [`super::git`]) a
//! commit's tree.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::content::Content;
use crate::error::{Error, Result};

/// What a folder entry is, as discovery sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// A symlink (or anything else pm does not follow).
    Other,
    /// A git submodule: a gitlink in a commit's tree, or in the working tree
    /// a folder with a `.git` file or folder of its own. Its files belong to
    /// another repository, so pm does not read them.
    Submodule,
}

/// Where discovery reads from: the working tree, or a commit's tree
/// (`--rev`, in [`super::git`]). Paths are relative to the records root.
pub trait Reader {
    /// The entries of a folder, sorted by name, hidden ones skipped;
    /// `None` when the folder does not exist.
    fn list(&self, rel: &Path) -> Result<Option<Vec<(String, EntryKind)>>>;
    /// What `rel` is, if it exists.
    fn kind(&self, rel: &Path) -> Option<EntryKind>;
    /// Reads one file.
    fn read(&self, rel: &Path) -> Result<Vec<u8>>;
    /// Reads many files; the results keep the order of `rels`.
    fn read_all(&self, rels: &[PathBuf]) -> Vec<Result<Vec<u8>>> {
        rels.iter().map(|rel| self.read(rel)).collect()
    }
    /// Where an attachment's bytes come from.
    fn content(&self, rel: &Path) -> Result<Content>;
}

/// The working tree at a root folder.
pub struct WorkTree<'a> {
    root: &'a Path,
}

impl<'a> WorkTree<'a> {
    /// Reads the repository at `root` from disk.
    pub fn new(root: &'a Path) -> Self {
        WorkTree { root }
    }
}

impl Reader for WorkTree<'_> {
    fn list(&self, rel: &Path) -> Result<Option<Vec<(String, EntryKind)>>> {
        let dir = self.root.join(rel);
        let Some(entries) = sorted_entries(&dir)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let file_type = entry
                .file_type()
                .map_err(|e| Error::io("cannot read", &entry.path(), e))?;
            let kind = if file_type.is_symlink() {
                EntryKind::Other
            } else if file_type.is_dir() {
                dir_kind(&entry.path())
            } else if file_type.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            };
            out.push((entry.file_name().to_string_lossy().into_owned(), kind));
        }
        Ok(Some(out))
    }

    fn kind(&self, rel: &Path) -> Option<EntryKind> {
        let path = self.root.join(rel);
        let meta = fs::symlink_metadata(&path).ok()?;
        Some(if meta.is_file() {
            EntryKind::File
        } else if meta.is_dir() {
            dir_kind(&path)
        } else {
            EntryKind::Other
        })
    }

    fn read(&self, rel: &Path) -> Result<Vec<u8>> {
        let path = self.root.join(rel);
        fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))
    }

    fn read_all(&self, rels: &[PathBuf]) -> Vec<Result<Vec<u8>>> {
        rels.par_iter().map(|rel| self.read(rel)).collect()
    }

    fn content(&self, rel: &Path) -> Result<Content> {
        Ok(Content::File(self.root.join(rel)))
    }
}

/// A folder of the working tree: a submodule checkout (or a repository of its
/// own) when it holds a `.git` file or folder, as git itself decides.
pub(super) fn dir_kind(path: &Path) -> EntryKind {
    if fs::symlink_metadata(path.join(".git")).is_ok() {
        EntryKind::Submodule
    } else {
        EntryKind::Dir
    }
}

/// Sorted entries of a folder, skipping hidden ones. `None` when it does not exist.
pub(super) fn sorted_entries(dir: &Path) -> Result<Option<Vec<fs::DirEntry>>> {
    let iter = match fs::read_dir(dir) {
        Ok(iter) => iter,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read folder", dir, e)),
    };
    let mut entries = Vec::new();
    for entry in iter {
        let entry = entry.map_err(|e| Error::io("cannot read folder", dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        entries.push(entry);
    }
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(Some(entries))
}
