//! A commit's tree read as the records root (`--rev`), and an attachment's
//! blob in it, read when needed. Uses `open`.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use super::blob::Blob;
use super::open::{open, prefix_in_workdir};
use crate::error::{Error, Result};
use crate::source::{Content, EntryKind, Reader};

/// A commit's tree read as the records root: what `--rev` builds from.
pub struct RevTree {
    repo: Repository,
    tree: Oid,
    prefix: PathBuf,
}

impl RevTree {
    /// Resolves `rev` in the repository holding `root`.
    pub fn open(root: &Path, rev: &str) -> Result<RevTree> {
        let repo = open(root, &format!("`--rev {rev}` reads records from git"))?;
        let tree = repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_tree())
            .map_err(|e| {
                let help = if repo.is_shallow() {
                    "this clone is shallow: fetch the full history (`fetch-depth: 0`, `GIT_DEPTH: 0`, or `git fetch --unshallow`)"
                } else {
                    "give a branch, tag or commit this clone has (`git branch -a` lists them)"
                };
                Error::Usage(format!("unknown revision `{rev}`: {}\n  help: {help}", e.message()))
            })?
            .id();
        let prefix = prefix_in_workdir(&repo, root)?;
        Ok(RevTree { repo, tree, prefix })
    }

    fn entry(&self, rel: &Path) -> Option<(Oid, i32)> {
        let tree = self.repo.find_tree(self.tree).ok()?;
        let full = self.prefix.join(rel);
        if full.as_os_str().is_empty() {
            return Some((self.tree, 0o040000));
        }
        let entry = tree.get_path(&full).ok()?;
        Some((entry.id(), entry.filemode()))
    }
}

fn kind_of(mode: i32) -> EntryKind {
    match mode {
        0o040000 => EntryKind::Dir,
        0o100644 | 0o100755 | 0o100664 => EntryKind::File,
        0o160000 => EntryKind::Submodule,
        _ => EntryKind::Other,
    }
}

impl Reader for RevTree {
    fn list(&self, rel: &Path) -> Result<Option<Vec<(String, EntryKind)>>> {
        let Some((id, mode)) = self.entry(rel) else {
            return Ok(None);
        };
        if kind_of(mode) != EntryKind::Dir {
            return Ok(None);
        }
        let tree = self.repo.find_tree(id).map_err(|e| {
            Error::Usage(format!(
                "cannot read `{}` from git: {}",
                rel.display(),
                e.message()
            ))
        })?;
        let mut out: Vec<(String, EntryKind)> = tree
            .iter()
            .filter_map(|e| {
                let name = String::from_utf8_lossy(e.name_bytes()).into_owned();
                (!name.starts_with('.')).then(|| (name, kind_of(e.filemode())))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Some(out))
    }

    fn kind(&self, rel: &Path) -> Option<EntryKind> {
        self.entry(rel).map(|(_, mode)| kind_of(mode))
    }

    fn read(&self, rel: &Path) -> Result<Vec<u8>> {
        let (id, _) = self
            .entry(rel)
            .ok_or_else(|| Error::Usage(format!("`{}` is not in the revision", rel.display())))?;
        self.repo
            .find_blob(id)
            .map(|b| b.content().to_vec())
            .map_err(|e| {
                Error::Usage(format!(
                    "cannot read `{}` from git: {}",
                    rel.display(),
                    e.message()
                ))
            })
    }

    fn content(&self, rel: &Path) -> Result<Content> {
        let (id, _) = self
            .entry(rel)
            .ok_or_else(|| Error::Usage(format!("`{}` is not in the revision", rel.display())))?;
        // Its size from the object's header: the bytes are read only when
        // the attachment is checked or published, one at a time.
        let size = self
            .repo
            .odb()
            .and_then(|odb| odb.read_header(id))
            .map(|(size, _)| size as u64)
            .map_err(|e| {
                Error::Usage(format!(
                    "cannot read `{}` from git: {}",
                    rel.display(),
                    e.message()
                ))
            })?;
        Ok(Content::Blob(Blob {
            repo: self.repo.path().to_path_buf(),
            id: id.to_string(),
            size,
        }))
    }
}
