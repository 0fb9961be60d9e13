//! An attachment's bytes in a commit, read when they are needed.

use std::path::PathBuf;

use git2::{Oid, Repository};

use crate::error::{Error, Result};

/// An attachment's bytes in a commit, not read yet: the repository, the
/// blob's id and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub(super) repo: PathBuf,
    pub(super) id: String,
    pub(super) size: u64,
}

impl Blob {
    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Reads its bytes, opening the repository again (a `Repository` is not
    /// shared between threads).
    pub fn read(&self) -> Result<Vec<u8>> {
        let fail = |e: git2::Error| {
            Error::Usage(format!(
                "cannot read blob {} from the git repository at `{}`: {}",
                self.id,
                self.repo.display(),
                e.message()
            ))
        };
        let repo = Repository::open(&self.repo).map_err(fail)?;
        let id = Oid::from_str(&self.id).map_err(fail)?;
        let blob = repo.find_blob(id).map_err(fail)?;
        Ok(blob.content().to_vec())
    }
}
