//! The history of record files, read in one walk over the commits (see
//! docs/design-decisions.md, "History in one walk"). Uses `open`, `links`,
//! `raw_tree` and `folder_diff`.

use std::collections::BTreeSet;
use std::path::Path;

use git2::{ErrorCode, Oid, Repository, Sort};

use super::folder_diff::{Pending, changed_files};
use super::links::links;
use super::open::prefix_in_workdir;
use super::raw_tree::TreeCache;
use crate::revisions::{FileHistory, History, Revision};
use crate::source::{INCIDENTS_DIR, PLAYBOOKS_DIR, rel_string};

/// Why history is missing, with the fix; pm warns once and carries on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoHistory {
    /// The records are not in a git repository at all (nothing to fix when
    /// that is on purpose).
    pub no_repository: bool,
    /// What is wrong, lowercase.
    pub reason: String,
    /// How to fix it.
    pub help: String,
}

fn revision(mailmap: Option<&git2::Mailmap>, commit: &git2::Commit<'_>) -> Revision {
    let sig = commit.author();
    let resolved = mailmap.and_then(|m| m.resolve_signature(&sig).ok());
    let author = resolved.as_ref().map_or_else(
        || String::from_utf8_lossy(sig.name_bytes()).into_owned(),
        |s| String::from_utf8_lossy(s.name_bytes()).into_owned(),
    );
    Revision {
        id: commit.id().to_string(),
        time: commit.time().seconds(),
        author,
        summary: commit
            .summary()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Opens the repository for history, or says why not.
fn open_for_history(root: &Path) -> std::result::Result<Repository, NoHistory> {
    let repo = Repository::discover(root).map_err(|e| {
        if e.code() == ErrorCode::Owner {
            NoHistory {
                no_repository: false,
                reason: format!(
                    "git refuses to open the repository at `{}`: it is owned by another user",
                    root.display()
                ),
                help: format!(
                    "trust it with `git config --global --add safe.directory {}`",
                    root.display()
                ),
            }
        } else {
            NoHistory {
                no_repository: true,
                reason: if root == Path::new(".") {
                    "the current folder is not inside a git repository".to_owned()
                } else {
                    format!("`{}` is not inside a git repository", root.display())
                },
                help: "run pm in a clone of the records repository to show history".to_owned(),
            }
        }
    })?;
    if repo.is_shallow() {
        return Err(NoHistory {
            no_repository: false,
            reason: "this clone is shallow, so first-recorded dates and authors would be wrong".to_owned(),
            help: "fetch the full history: `fetch-depth: 0` for actions/checkout, `GIT_DEPTH: 0` in GitLab CI, or `git fetch --unshallow`".to_owned(),
        });
    }
    Ok(repo)
}

/// The history of `files` (root-relative paths), read in one walk from
/// `rev` (default HEAD) back to the commit that added the oldest of them.
///
/// A file's history is the commits that changed it, newest first, back to
/// the one that added it under its current path: a rename starts a new
/// history, and so does deleting and adding a file again. Merges are
/// skipped (each side's own commits count). The walk (described in
/// docs/design-decisions.md) visits commits newest first, compares the
/// records folders' tree ids with the parent's, enters only folders that
/// changed and still hold files whose first commit has not been seen, and
/// stops when every file has one. Objects are read without libgit2
/// re-hashing each of them, as `git log` reads them (this turns off
/// libgit2's strict hash verification for the process). `repository`
/// (from pm.toml) overrides the URL of the `origin` remote for links.
pub fn history(
    root: &Path,
    rev: Option<&str>,
    files: &BTreeSet<String>,
    repository: Option<&str>,
) -> std::result::Result<History, NoHistory> {
    let repo = open_for_history(root)?;
    let start = match rev {
        Some(r) => repo.revparse_single(r).and_then(|o| o.peel_to_commit()),
        None => repo.head().and_then(|h| h.peel_to_commit()),
    }
    .map_err(|e| {
        if rev.is_none() && e.code() == ErrorCode::UnbornBranch {
            // A new repository: the usual case right after `git init`.
            return NoHistory {
                no_repository: false,
                reason: "the repository has no commits yet".to_owned(),
                help: "commit the records (`git add -A && git commit -m \"First records\"`); pages show each record's history from then on".to_owned(),
            };
        }
        no_commits(format!(
            "cannot read the commit to start from: {}",
            e.message()
        ))
    })?;
    let prefix = prefix_in_workdir(&repo, root)
        .map(|p| {
            let s = rel_string(&p);
            if s.is_empty() { s } else { format!("{s}/") }
        })
        .unwrap_or_default();
    let mailmap = repo.mailmap().ok();
    let head = revision(mailmap.as_ref(), &start);
    let links = links(&repo, repository, &prefix);
    let paths: Vec<String> = files.iter().map(|f| format!("{prefix}{f}")).collect();
    let revisions = walk(&repo, &start, mailmap.as_ref(), &prefix, &paths)?;
    let by_path = paths
        .iter()
        .zip(revisions)
        .filter(|(_, revisions)| !revisions.is_empty())
        .map(|(path, revisions)| {
            let rel = path.strip_prefix(&prefix).unwrap_or(path).to_owned();
            (rel, FileHistory { revisions })
        })
        .collect();
    Ok(History {
        files: by_path,
        head: Some(head),
        links,
    })
}

/// History is missing because a commit or object could not be read.
fn no_commits(reason: String) -> NoHistory {
    NoHistory {
        no_repository: false,
        reason,
        help: "check that the repository has commits, or pass `--rev` with a commit it has"
            .to_owned(),
    }
}

/// The revisions of each of `paths` (full paths in the repository), in the
/// walk's order from `start`: the walk itself.
fn walk(
    repo: &Repository,
    start: &git2::Commit<'_>,
    mailmap: Option<&git2::Mailmap>,
    prefix: &str,
    paths: &[String],
) -> std::result::Result<Vec<Vec<Revision>>, NoHistory> {
    let no = |e: git2::Error| no_commits(e.message().to_owned());
    // Re-hashing every object read costs more than inflating it (SHA-1 with
    // collision detection on each version of a 10,000-entry folder); git
    // does not verify on reads either.
    git2::opts::strict_hash_verification(false);
    let odb = repo.odb().map_err(no)?;
    let mut cache = TreeCache::new(&odb);
    let roots: Vec<(Vec<&str>, String)> = [INCIDENTS_DIR, PLAYBOOKS_DIR]
        .iter()
        .map(|d| {
            let path = format!("{prefix}{d}/");
            let components = prefix.split('/').filter(|c| !c.is_empty()).chain([*d]);
            (components.collect(), path)
        })
        .collect();
    let mut pending = Pending::new(paths);
    let mut revisions: Vec<Vec<Revision>> = vec![Vec::new(); paths.len()];

    let mut walk = repo.revwalk().map_err(no)?;
    walk.set_sorting(Sort::TIME | Sort::TOPOLOGICAL)
        .map_err(no)?;
    walk.push(start.id()).map_err(no)?;
    let mut changed = Vec::new();
    let mut path = String::new();
    for oid in walk {
        if pending.left == 0 {
            break;
        }
        let Ok(commit) = oid.and_then(|o| repo.find_commit(o)) else {
            continue;
        };
        if commit.parent_count() > 1 {
            continue;
        }
        cache.next_commit();
        let parent_tree = commit
            .parent_id(0)
            .ok()
            .and_then(|p| repo.find_commit(p).ok())
            .map(|p| p.tree_id());
        changed.clear();
        let trees = (commit.tree_id(), parent_tree);
        changed_in_commit(
            &mut cache,
            &mut pending,
            &roots,
            trees,
            &mut path,
            &mut changed,
        );
        if changed.is_empty() {
            continue;
        }
        let rev = revision(mailmap, &commit);
        for &i in &changed {
            if let Some(list) = revisions.get_mut(i) {
                list.push(rev.clone());
            }
        }
    }
    Ok(revisions)
}

/// Adds to `changed` the undated files that differ between a commit's
/// tree and its parent's (`trees`), below each of the records `roots`
/// (their path components and their path ending in `/`). `path` is a
/// buffer kept from commit to commit.
fn changed_in_commit(
    cache: &mut TreeCache<'_>,
    pending: &mut Pending,
    roots: &[(Vec<&str>, String)],
    (tree, parent_tree): (Oid, Option<Oid>),
    path: &mut String,
    changed: &mut Vec<usize>,
) {
    for (components, root_path) in roots {
        if !pending.wants_folder(root_path) {
            continue;
        }
        let Some(new) = cache.folder(tree, components) else {
            continue;
        };
        let old = parent_tree.and_then(|t| cache.folder(t, components));
        if old == Some(new) {
            continue;
        }
        path.clear();
        path.push_str(root_path);
        changed_files(cache, pending, old, new, path, changed);
    }
}
