//! Opening the repository that holds the records root, and where the root
//! sits in its work tree. Uses nothing else of `git/`.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository};

use crate::error::{Error, Result};

/// Opens the repository that holds `root` (searching parent folders, so the
/// records may live in a subfolder of a larger repository).
pub(super) fn open(root: &Path, why: &str) -> Result<Repository> {
    Repository::discover(root).map_err(|e| {
        if e.code() == ErrorCode::Owner {
            Error::Usage(format!(
                "{why}, but git refuses to open the repository at `{}`: it is owned by another user\n  help: trust it with `git config --global --add safe.directory {}`",
                root.display(),
                root.display()
            ))
        } else {
            Error::Usage(format!(
                "{why}, and `{}` is not inside a git repository\n  help: run pm inside a clone of the records repository, or drop the option",
                root.display()
            ))
        }
    })
}

/// The records root as a path inside the repository's work tree, e.g.
/// `docs/incidents-repo/` or empty when they are the same folder. A bare
/// repository has no work tree: its commits hold the records at their root
/// (`--root` names the repository itself), so the prefix is empty.
pub(super) fn prefix_in_workdir(repo: &Repository, root: &Path) -> Result<PathBuf> {
    let Some(workdir) = repo.workdir() else {
        return Ok(PathBuf::new());
    };
    let canon = |p: &Path| {
        p.canonicalize()
            .map_err(|e| Error::io("cannot resolve", p, e))
    };
    let (workdir, root) = (canon(workdir)?, canon(root)?);
    Ok(root
        .strip_prefix(&workdir)
        .map(Path::to_path_buf)
        .unwrap_or_default())
}
