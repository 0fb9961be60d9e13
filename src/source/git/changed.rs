//! `--changed-since`: the files that differ between a revision and the
//! working tree. Uses `open`.

use std::collections::BTreeSet;
use std::path::Path;

use git2::DiffOptions;

use super::open::{open, prefix_in_workdir};
use crate::error::{Error, Result};
use crate::source::rel_string;

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
    if repo.is_bare() {
        return Err(Error::Usage(format!(
            "`--changed-since {rev}` compares with a working tree, and the repository at `{}` is bare\n  help: run pm in a clone with a working tree, or lint a commit with `--rev`",
            root.display()
        )));
    }
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
            changed.insert(rel_string(rel));
        }
    }
    Ok(changed)
}
