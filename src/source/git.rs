//! The repository's history: the only module that uses git2.
//!
//! pm reads records from the working tree; git is asked only for what the
//! working tree cannot tell, such as which records a pull request changed.
//! Every failure carries the fix a CI user needs (a shallow clone, a
//! checkout owned by another user).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use git2::{DiffOptions, ErrorCode, Repository};

use crate::error::{Error, Result};

/// Opens the repository that holds `root` (searching parent folders, so the
/// records may live in a subfolder of a larger repository).
fn open(root: &Path, why: &str) -> Result<Repository> {
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
/// `docs/incidents-repo/` or empty when they are the same folder.
fn prefix_in_workdir(repo: &Repository, root: &Path) -> Result<PathBuf> {
    let workdir = repo.workdir().ok_or_else(|| {
        Error::Usage("the git repository is bare: pm needs a working tree".to_owned())
    })?;
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

/// Files (root-relative, `/`-separated) that differ between `rev` and the
/// working tree: committed since, staged, unstaged or untracked.
pub fn changed_since(root: &Path, rev: &str) -> Result<BTreeSet<String>> {
    let repo = open(
        root,
        &format!("`--changed-since {rev}` compares with git history"),
    )?;
    let object = repo.revparse_single(rev).map_err(|e| {
        if repo.is_shallow() {
            Error::Usage(format!(
                "`{rev}` is not in this clone: it is shallow and has only recent history\n  help: fetch the full history (`fetch-depth: 0` for actions/checkout, `GIT_DEPTH: 0` in GitLab CI, or `git fetch --unshallow`)"
            ))
        } else {
            Error::Usage(format!(
                "unknown revision `{rev}`: {}\n  help: give a branch, tag or commit this clone has (`git branch -a` lists them); in CI, fetch the base branch first, e.g. `git fetch origin main`",
                e.message()
            ))
        }
    })?;
    let tree = object
        .peel_to_tree()
        .map_err(|e| Error::Usage(format!("`{rev}` does not name a commit: {}", e.message())))?;
    let prefix = prefix_in_workdir(&repo, root)?;
    let mut options = DiffOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .ignore_submodules(true);
    if !prefix.as_os_str().is_empty() {
        options.pathspec(prefix.to_string_lossy().replace('\\', "/"));
    }
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(|e| {
            Error::Usage(format!(
                "cannot compare `{rev}` with the working tree: {}",
                e.message()
            ))
        })?;
    let mut changed = BTreeSet::new();
    for delta in diff.deltas() {
        if delta.status() == git2::Delta::Deleted {
            continue;
        }
        let Some(path) = delta.new_file().path() else {
            continue;
        };
        if let Ok(rel) = path.strip_prefix(&prefix) {
            changed.insert(super::rel_string(rel));
        }
    }
    Ok(changed)
}
