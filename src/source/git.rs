//! The repository's history: the only module that uses git2.
//!
//! pm reads records from the working tree; git is asked only for what the
//! working tree cannot tell, such as which records a pull request changed.
//! Every failure carries the fix a CI user needs (a shallow clone, a
//! checkout owned by another user).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use git2::{DiffOptions, ErrorCode, ObjectType, Oid, Repository, Sort, Tree};

use super::{Content, EntryKind, INCIDENTS_DIR, PLAYBOOKS_DIR, Reader};
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

/// One commit, as pages and `pm log` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The full commit id (hex).
    pub id: String,
    /// Commit time, seconds since 1970 (UTC).
    pub time: i64,
    /// Author name, after `.mailmap`.
    pub author: String,
    /// The first line of the message.
    pub summary: String,
}

impl Revision {
    /// The first 7 hex digits of the id.
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }
}

/// A record's history: its revisions, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHistory {
    /// Every commit that added or changed the file, newest first (merges skipped).
    pub revisions: Vec<Revision>,
}

impl FileHistory {
    /// The commit that first recorded the file.
    pub fn first(&self) -> Option<&Revision> {
        self.revisions.last()
    }

    /// The commit that last changed it.
    pub fn last(&self) -> Option<&Revision> {
        self.revisions.first()
    }

    /// Authors in the order they first touched the file.
    pub fn authors(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self.revisions.iter().rev() {
            if !out.contains(&r.author.as_str()) {
                out.push(&r.author);
            }
        }
        out
    }
}

/// Where the repository is published, for links to commits and edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoLinks {
    /// `https://github.com/org/records`.
    pub web: String,
    /// Which forge shape the URLs take.
    pub forge: Forge,
    /// The branch "edit this page" links open.
    pub branch: String,
    /// The records root inside the repository (`` or `ops/records/`).
    pub prefix: String,
}

/// URL shapes of the forges pm knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    /// github.com and GitHub Enterprise.
    GitHub,
    /// gitlab.com and self-hosted GitLab.
    GitLab,
    /// Anything else (Gitea, Forgejo and cgit use `/commit/<id>` too).
    Other,
}

impl RepoLinks {
    /// The page of a commit.
    pub fn commit_url(&self, id: &str) -> String {
        match self.forge {
            Forge::GitLab => format!("{}/-/commit/{id}", self.web),
            Forge::GitHub | Forge::Other => format!("{}/commit/{id}", self.web),
        }
    }

    /// The "edit this file" page of a root-relative path, where the forge has one.
    pub fn edit_url(&self, rel: &str) -> Option<String> {
        let path = format!("{}{rel}", self.prefix);
        match self.forge {
            Forge::GitHub => Some(format!("{}/edit/{}/{path}", self.web, self.branch)),
            Forge::GitLab => Some(format!("{}/-/edit/{}/{path}", self.web, self.branch)),
            Forge::Other => None,
        }
    }
}

/// Turns a remote URL (https, ssh or scp-like) into the repository's web
/// address: `git@github.com:org/r.git` → `https://github.com/org/r`.
pub fn web_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host, path) = if let Some(rest) = remote
        .strip_prefix("https://")
        .or_else(|| remote.strip_prefix("http://"))
    {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        rest.split_once('/')?
    } else if let Some(rest) = remote.strip_prefix("ssh://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        // `ssh://git@host:2222/org/r.git`: the port is not the web's.
        (host.split(':').next()?, path)
    } else if remote.contains("://") {
        // `file://`, `git://` and other schemes have no web page.
        return None;
    } else if let Some((user_host, path)) = remote.split_once(':') {
        if user_host.contains('/') {
            return None;
        }
        (
            user_host.rsplit_once('@').map_or(user_host, |(_, h)| h),
            path,
        )
    } else {
        return None;
    };
    let path = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .trim_matches('/');
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(format!("https://{host}/{path}"))
}

/// The forge a web URL belongs to.
pub fn forge_of(web: &str) -> Forge {
    let host = web
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default();
    if host == "github.com" || host.starts_with("github.") {
        Forge::GitHub
    } else if host == "gitlab.com" || host.starts_with("gitlab.") {
        Forge::GitLab
    } else {
        Forge::Other
    }
}

/// Everything git told pm about the records.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// By root-relative path of each record file.
    pub files: BTreeMap<String, FileHistory>,
    /// The commit the run reads (HEAD, or `--rev`).
    pub head: Option<Revision>,
    /// Links to the published repository, when its URL is known.
    pub links: Option<RepoLinks>,
}

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

/// A tree entry reduced to what the walk compares.
struct Node {
    name: Vec<u8>,
    id: Oid,
    is_tree: bool,
}

fn nodes(tree: Option<&Tree<'_>>) -> Vec<Node> {
    tree.map(|t| {
        t.iter()
            .map(|e| Node {
                name: e.name_bytes().to_vec(),
                id: e.id(),
                is_tree: e.kind() == Some(ObjectType::Tree),
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Git's tree order: names compare as bytes, a folder as if it ended in `/`.
fn git_order(a: &Node, b: &Node) -> Ordering {
    let key = |n: &Node| -> Vec<u8> {
        let mut k = n.name.clone();
        if n.is_tree {
            k.push(b'/');
        }
        k
    };
    key(a).cmp(&key(b))
}

/// A file a commit added or changed, and whether it was added.
struct Change {
    path: String,
    added: bool,
}

/// Files that differ between two trees, descending only into subtrees whose
/// ids differ (a merge-join of the sorted entries), so unchanged folders
/// cost nothing.
fn changed_files(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    base: &str,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<Change>,
) {
    let (old_nodes, new_nodes) = (nodes(old), nodes(new));
    let (mut i, mut j) = (0, 0);
    while j < new_nodes.len() {
        let n = &new_nodes[j];
        let order = old_nodes
            .get(i)
            .map_or(Ordering::Greater, |o| git_order(o, n));
        match order {
            Ordering::Less => i += 1,
            Ordering::Equal => {
                let o = &old_nodes[i];
                if o.id != n.id {
                    visit(repo, Some(o), n, base, wanted, out);
                }
                i += 1;
                j += 1;
            }
            Ordering::Greater => {
                visit(repo, None, n, base, wanted, out);
                j += 1;
            }
        }
    }
}

fn visit(
    repo: &Repository,
    old: Option<&Node>,
    new: &Node,
    base: &str,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<Change>,
) {
    let path = format!("{base}{}", String::from_utf8_lossy(&new.name));
    if new.is_tree {
        let prefix = format!("{path}/");
        if !wanted(&prefix) {
            return;
        }
        let old_tree = old
            .filter(|o| o.is_tree)
            .and_then(|o| repo.find_tree(o.id).ok());
        if let Ok(new_tree) = repo.find_tree(new.id) {
            changed_files(
                repo,
                old_tree.as_ref(),
                Some(&new_tree),
                &prefix,
                wanted,
                out,
            );
        }
    } else if wanted(&path) {
        out.push(Change {
            path,
            added: old.is_none_or(|o| o.is_tree),
        });
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
/// Merges are skipped; commits whose records folders have the same tree ids
/// as their parent's cost one comparison; the walk stops once every file's
/// creation has been seen. `repository` (from pm.toml) overrides the URL of
/// the `origin` remote for links.
pub fn history(
    root: &Path,
    rev: Option<&str>,
    files: &BTreeSet<String>,
    repository: Option<&str>,
) -> std::result::Result<History, NoHistory> {
    let repo = open_for_history(root)?;
    let no = |reason: String| NoHistory {
        no_repository: false,
        reason,
        help: "check that the repository has commits, or pass `--rev` with a commit it has"
            .to_owned(),
    };
    let start = match rev {
        Some(r) => repo.revparse_single(r).and_then(|o| o.peel_to_commit()),
        None => repo.head().and_then(|h| h.peel_to_commit()),
    }
    .map_err(|e| {
        no(format!(
            "cannot read the commit to start from: {}",
            e.message()
        ))
    })?;
    let prefix = prefix_in_workdir(&repo, root)
        .map(|p| {
            let s = super::rel_string(&p);
            if s.is_empty() { s } else { format!("{s}/") }
        })
        .unwrap_or_default();
    let mailmap = repo.mailmap().ok();
    let head = revision(mailmap.as_ref(), &start);
    let links = links(&repo, repository, &prefix);

    let roots: Vec<String> = [INCIDENTS_DIR, PLAYBOOKS_DIR]
        .iter()
        .map(|d| format!("{prefix}{d}/"))
        .collect();
    let wanted_paths: BTreeSet<String> = files.iter().map(|f| format!("{prefix}{f}")).collect();
    let wanted = |path: &str| -> bool {
        if path.ends_with('/') {
            // A folder: on the way to a records folder, or inside one.
            roots
                .iter()
                .any(|r| r.starts_with(path) || path.starts_with(r.as_str()))
        } else {
            wanted_paths.contains(path)
        }
    };
    let mut undated: BTreeSet<&str> = wanted_paths.iter().map(String::as_str).collect();
    let mut by_path: BTreeMap<String, FileHistory> = BTreeMap::new();

    let mut walk = repo.revwalk().map_err(|e| no(e.message().to_owned()))?;
    walk.set_sorting(Sort::TIME | Sort::TOPOLOGICAL)
        .map_err(|e| no(e.message().to_owned()))?;
    walk.push(start.id())
        .map_err(|e| no(e.message().to_owned()))?;
    let mut changes = Vec::new();
    for oid in walk {
        if undated.is_empty() {
            break;
        }
        let Ok(commit) = oid.and_then(|o| repo.find_commit(o)) else {
            continue;
        };
        if commit.parent_count() > 1 {
            continue;
        }
        let Ok(tree) = commit.tree() else { continue };
        let parent_tree = commit.parent(0).ok().and_then(|p| p.tree().ok());
        changes.clear();
        changed_files(
            &repo,
            parent_tree.as_ref(),
            Some(&tree),
            "",
            &wanted,
            &mut changes,
        );
        if changes.is_empty() {
            continue;
        }
        let rev = revision(mailmap.as_ref(), &commit);
        for change in &changes {
            if change.added {
                undated.remove(change.path.as_str());
            }
            let rel = change.path.strip_prefix(&prefix).unwrap_or(&change.path);
            by_path
                .entry(rel.to_owned())
                .or_default()
                .revisions
                .push(rev.clone());
        }
    }
    Ok(History {
        files: by_path,
        head: Some(head),
        links,
    })
}

fn links(repo: &Repository, configured: Option<&str>, prefix: &str) -> Option<RepoLinks> {
    let web = match configured {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let remote = repo.find_remote("origin").ok()?;
            web_url(remote.url().ok()?)?
        }
    };
    let branch = repo
        .head()
        .ok()
        .filter(git2::Reference::is_branch)
        .and_then(|h| h.shorthand().ok().map(str::to_owned))
        .unwrap_or_else(|| "main".to_owned());
    Some(RepoLinks {
        forge: forge_of(&web),
        web,
        branch,
        prefix: prefix.to_owned(),
    })
}

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

    fn read_all(&self, rels: &[PathBuf]) -> Vec<Result<Vec<u8>>> {
        rels.iter()
            .map(|rel| {
                let (id, _) = self.entry(rel).ok_or_else(|| {
                    Error::Usage(format!("`{}` is not in the revision", rel.display()))
                })?;
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
            })
            .collect()
    }

    fn content(&self, rel: &Path) -> Result<Content> {
        let mut read = self.read_all(&[rel.to_path_buf()]);
        let bytes = read.pop().unwrap_or_else(|| Ok(Vec::new()))?;
        Ok(Content::Bytes(bytes.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_become_web_addresses() {
        for (remote, web) in [
            (
                "git@github.com:acme/records.git",
                "https://github.com/acme/records",
            ),
            (
                "https://github.com/acme/records.git",
                "https://github.com/acme/records",
            ),
            (
                "https://token@gitlab.com/ops/sre/records",
                "https://gitlab.com/ops/sre/records",
            ),
            (
                "ssh://git@git.example.com:2222/ops/records.git",
                "https://git.example.com/ops/records",
            ),
        ] {
            assert_eq!(web_url(remote).as_deref(), Some(web), "{remote}");
        }
        assert_eq!(web_url("/srv/git/records.git"), None);
        assert_eq!(web_url("file:///srv/git/records.git"), None);
    }

    #[test]
    fn forge_links() {
        let links = |web: &str| RepoLinks {
            web: web.to_owned(),
            forge: forge_of(web),
            branch: "main".to_owned(),
            prefix: "ops/".to_owned(),
        };
        let gh = links("https://github.com/acme/records");
        assert_eq!(
            gh.commit_url("abc"),
            "https://github.com/acme/records/commit/abc"
        );
        assert_eq!(
            gh.edit_url("incidents/x.md").as_deref(),
            Some("https://github.com/acme/records/edit/main/ops/incidents/x.md")
        );
        let gl = links("https://gitlab.com/ops/records");
        assert_eq!(
            gl.commit_url("abc"),
            "https://gitlab.com/ops/records/-/commit/abc"
        );
        assert_eq!(links("https://git.example.com/r").edit_url("x"), None);
    }

    #[test]
    fn git_orders_folders_as_if_they_ended_in_a_slash() {
        let n = |name: &str, is_tree| Node {
            name: name.as_bytes().to_vec(),
            id: Oid::ZERO_SHA1,
            is_tree,
        };
        // "a.md" < "a/" because '.' (0x2e) < '/' (0x2f); "a0" > "a/".
        assert_eq!(git_order(&n("a.md", false), &n("a", true)), Ordering::Less);
        assert_eq!(git_order(&n("a0", false), &n("a", true)), Ordering::Greater);
    }
}
