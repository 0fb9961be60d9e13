//! The repository's history: the only module that uses git2.
//!
//! pm reads records from the working tree; git is asked only for what the
//! working tree cannot tell, such as which records a pull request changed.
//! Every failure carries the fix a CI user needs (a shallow clone, a
//! checkout owned by another user).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use git2::{DiffOptions, ErrorCode, ObjectType, Oid, Repository, Sort};

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
/// `docs/incidents-repo/` or empty when they are the same folder. A bare
/// repository has no work tree: its commits hold the records at their root
/// (`--root` names the repository itself), so the prefix is empty.
fn prefix_in_workdir(repo: &Repository, root: &Path) -> Result<PathBuf> {
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

/// Bytes in a raw object id (SHA-1, the only format libgit2 reads here).
const RAW_ID_LEN: usize = 20;

/// One entry of a tree object as stored: `<octal mode> <name>\0<raw id>`.
/// Borrowed from the object's bytes: comparing entries allocates nothing.
#[derive(Clone, Copy)]
struct RawEntry<'a> {
    /// The whole entry, to compare unchanged entries with one `memcmp`.
    raw: &'a [u8],
    name: &'a [u8],
    id: &'a [u8],
    is_tree: bool,
}

/// The entries of a tree object, in stored (git's) order. Stops at the first
/// malformed entry, as if the tree ended there.
struct RawEntries<'a> {
    rest: &'a [u8],
}

impl<'a> RawEntries<'a> {
    fn new(data: &'a [u8]) -> Self {
        RawEntries { rest: data }
    }
}

impl<'a> Iterator for RawEntries<'a> {
    type Item = RawEntry<'a>;

    fn next(&mut self) -> Option<RawEntry<'a>> {
        let entry = first_entry(self.rest);
        self.rest = entry.map_or(&[], |e| self.rest.get(e.raw.len()..).unwrap_or_default());
        entry
    }
}

/// The entry at the start of `buf`, or `None` if it is malformed or cut.
fn first_entry(buf: &[u8]) -> Option<RawEntry<'_>> {
    // A mode has at most 6 digits; git wrote some as 7 (`0100644`) long ago.
    let space = buf.iter().take(8).position(|&b| b == b' ')?;
    let mode = buf.get(..space)?.iter().try_fold(0u32, |m, &d| {
        (b'0'..=b'7')
            .contains(&d)
            .then(|| (m << 3) | u32::from(d - b'0'))
    })?;
    // `CStr` finds the name's end with the standard library's word-at-a-time
    // search: this loop runs for every entry of every folder version read.
    let name = CStr::from_bytes_until_nul(buf.get(space + 1..)?)
        .ok()?
        .to_bytes();
    let nul = space + 1 + name.len();
    let end = nul + 1 + RAW_ID_LEN;
    Some(RawEntry {
        raw: buf.get(..end)?,
        name,
        id: buf.get(nul + 1..end)?,
        is_tree: mode & 0o170_000 == 0o040_000,
    })
}

/// Git's tree order: names compare as bytes, a folder as if it ended in `/`.
fn git_order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> Ordering {
    let n = a.name.len().min(b.name.len());
    a.name[..n].cmp(&b.name[..n]).then_with(|| {
        let next = |e: &RawEntry<'_>| e.name.get(n).copied().or(e.is_tree.then_some(b'/'));
        next(a).cmp(&next(b))
    })
}

/// Tree objects read from the object database, kept for one more commit:
/// walking a linear history, the parent's tree read for one commit is the
/// commit's own tree at the next step, so each version of a records folder
/// is read once, not twice.
struct TreeCache<'o> {
    odb: &'o git2::Odb<'o>,
    current: HashMap<Oid, Rc<git2::OdbObject<'o>>>,
    previous: HashMap<Oid, Rc<git2::OdbObject<'o>>>,
}

impl<'o> TreeCache<'o> {
    fn new(odb: &'o git2::Odb<'o>) -> Self {
        TreeCache {
            odb,
            current: HashMap::new(),
            previous: HashMap::new(),
        }
    }

    /// The raw tree `id`, or `None` when it is missing or not a tree.
    fn get(&mut self, id: Oid) -> Option<Rc<git2::OdbObject<'o>>> {
        if let Some(tree) = self.current.get(&id) {
            return Some(Rc::clone(tree));
        }
        let tree = match self.previous.remove(&id) {
            Some(tree) => tree,
            None => {
                let object = self.odb.read(id).ok()?;
                if object.kind() != ObjectType::Tree {
                    return None;
                }
                Rc::new(object)
            }
        };
        self.current.insert(id, Rc::clone(&tree));
        Some(tree)
    }

    /// Forgets the trees not read since the previous call.
    fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    /// The id of the folder at `path` (components) under the tree `root`.
    fn folder(&mut self, root: Oid, path: &[&str]) -> Option<Oid> {
        let mut id = root;
        for component in path {
            let tree = self.get(id)?;
            let entry = RawEntries::new(tree.data())
                .find(|e| e.is_tree && e.name == component.as_bytes())?;
            id = Oid::from_bytes(entry.id).ok()?;
        }
        Some(id)
    }
}

/// The record files whose history is still being read: a file leaves once
/// the walk reaches the commit that added it (its history starts there).
struct Pending {
    /// Full path in the repository → index into the caller's list.
    index: HashMap<String, usize>,
    dated: Vec<bool>,
    /// Folder (`incidents/2024/`) → files still undated below it.
    folders: HashMap<String, usize>,
    left: usize,
}

impl Pending {
    fn new(paths: &[String]) -> Pending {
        let mut folders: HashMap<String, usize> = HashMap::new();
        for path in paths {
            for (i, _) in path.match_indices('/') {
                *folders.entry(path[..=i].to_owned()).or_default() += 1;
            }
        }
        Pending {
            index: paths.iter().cloned().zip(0..).collect(),
            dated: vec![false; paths.len()],
            folders,
            left: paths.len(),
        }
    }

    /// Whether some undated file is below `folder` (ending in `/`).
    fn wants_folder(&self, folder: &str) -> bool {
        self.folders.get(folder).is_some_and(|&n| n > 0)
    }

    /// The file a commit changed, if its history is still being read.
    fn changed(&mut self, path: &str, added: bool) -> Option<usize> {
        let &i = self.index.get(path)?;
        if self.dated.get(i).copied().unwrap_or(true) {
            return None;
        }
        if added {
            self.dated[i] = true;
            self.left -= 1;
            for (j, _) in path.match_indices('/') {
                if let Some(n) = self.folders.get_mut(&path[..=j]) {
                    *n -= 1;
                }
            }
        }
        Some(i)
    }
}

/// Adds to `out` the undated files that differ between the trees `old` and
/// `new` below `path` (which ends in `/`). A merge-join of the two sorted
/// entry lists that reads only the new one while the old one continues with
/// the same bytes (an unchanged entry costs one short `memcmp`), stops as
/// soon as the rest of both lists is identical, and enters only subtrees
/// whose ids differ and that hold undated files.
fn changed_files(
    cache: &mut TreeCache<'_>,
    pending: &mut Pending,
    old: Option<Oid>,
    new: Oid,
    path: &mut String,
    out: &mut Vec<usize>,
) {
    let Some(new_tree) = cache.get(new) else {
        return;
    };
    let old_tree = old.and_then(|id| cache.get(id));
    let (old_data, new_data) = (
        old_tree.as_ref().map_or(&[][..], |t| t.data()),
        new_tree.data(),
    );
    let (mut o, mut n) = (0, 0);
    while let Some(entry) = new_data.get(n..).and_then(first_entry) {
        n += entry.raw.len();
        let old_rest = old_data.get(o..).unwrap_or_default();
        if old_rest.starts_with(entry.raw) {
            // Same mode, name and id (the name ends at the first NUL of both).
            o += entry.raw.len();
            continue;
        }
        let mut before = None;
        while let Some(old_entry) = old_data.get(o..).and_then(first_entry) {
            match git_order(&old_entry, &entry) {
                Ordering::Less => o += old_entry.raw.len(),
                Ordering::Equal => {
                    o += old_entry.raw.len();
                    before = Some(old_entry);
                    break;
                }
                Ordering::Greater => break,
            }
        }
        if before.is_none_or(|b| b.id != entry.id) {
            let len = path.len();
            path.push_str(&String::from_utf8_lossy(entry.name));
            if entry.is_tree {
                path.push('/');
                if pending.wants_folder(path)
                    && let Ok(id) = Oid::from_bytes(entry.id)
                {
                    let old_id = before
                        .filter(|b| b.is_tree)
                        .and_then(|b| Oid::from_bytes(b.id).ok());
                    changed_files(cache, pending, old_id, id, path, out);
                }
            } else if let Some(i) = pending.changed(path, before.is_none()) {
                out.push(i);
            }
            path.truncate(len);
        }
        // Changes are few: once the rest of both folders is the same, stop.
        if old_data.get(o..) == new_data.get(n..) {
            break;
        }
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

    // Re-hashing every object read costs more than inflating it (SHA-1 with
    // collision detection on each version of a 10,000-entry folder); git
    // does not verify on reads either.
    git2::opts::strict_hash_verification(false);
    let odb = repo.odb().map_err(|e| no(e.message().to_owned()))?;
    let mut cache = TreeCache::new(&odb);
    let roots: Vec<(Vec<&str>, String)> = [INCIDENTS_DIR, PLAYBOOKS_DIR]
        .iter()
        .map(|d| {
            let path = format!("{prefix}{d}/");
            let components = prefix.split('/').filter(|c| !c.is_empty()).chain([*d]);
            (components.collect(), path)
        })
        .collect();
    let paths: Vec<String> = files.iter().map(|f| format!("{prefix}{f}")).collect();
    let mut pending = Pending::new(&paths);
    let mut revisions: Vec<Vec<Revision>> = vec![Vec::new(); paths.len()];

    let mut walk = repo.revwalk().map_err(|e| no(e.message().to_owned()))?;
    walk.set_sorting(Sort::TIME | Sort::TOPOLOGICAL)
        .map_err(|e| no(e.message().to_owned()))?;
    walk.push(start.id())
        .map_err(|e| no(e.message().to_owned()))?;
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
        for (components, root_path) in &roots {
            if !pending.wants_folder(root_path) {
                continue;
            }
            let Some(new) = cache.folder(commit.tree_id(), components) else {
                continue;
            };
            let old = parent_tree.and_then(|t| cache.folder(t, components));
            if old == Some(new) {
                continue;
            }
            path.clear();
            path.push_str(root_path);
            changed_files(&mut cache, &mut pending, old, new, &mut path, &mut changed);
        }
        if changed.is_empty() {
            continue;
        }
        let rev = revision(mailmap.as_ref(), &commit);
        for &i in &changed {
            if let Some(list) = revisions.get_mut(i) {
                list.push(rev.clone());
            }
        }
    }
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

/// An attachment's bytes in a commit, not read yet: the repository, the
/// blob's id and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    repo: PathBuf,
    id: String,
    size: u64,
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

    fn entry(name: &str, is_tree: bool) -> RawEntry<'_> {
        RawEntry {
            raw: name.as_bytes(),
            name: name.as_bytes(),
            id: &[0; RAW_ID_LEN],
            is_tree,
        }
    }

    #[test]
    fn git_orders_folders_as_if_they_ended_in_a_slash() {
        let order = |a, b| git_order(&a, &b);
        // "a.md" < "a/" because '.' (0x2e) < '/' (0x2f); "a0" > "a/".
        assert_eq!(
            order(entry("a.md", false), entry("a", true)),
            Ordering::Less
        );
        assert_eq!(
            order(entry("a0", false), entry("a", true)),
            Ordering::Greater
        );
        assert_eq!(order(entry("a", false), entry("a", true)), Ordering::Less);
        assert_eq!(order(entry("a", true), entry("a", true)), Ordering::Equal);
        assert_eq!(
            order(entry("ab", false), entry("a", false)),
            Ordering::Greater
        );
    }

    #[test]
    fn raw_entries_read_what_libgit2_writes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Repository::init(dir.path()).expect("init");
        let blob = repo.blob(b"x").expect("blob");
        let mut sub = repo.treebuilder(None).expect("builder");
        sub.insert("inner.md", blob, 0o100644).expect("insert");
        let sub = sub.write().expect("write");
        let mut top = repo.treebuilder(None).expect("builder");
        for (name, id, mode) in [
            ("a", sub, 0o040000),
            ("a.md", blob, 0o100644),
            ("a0", blob, 0o100755),
            ("link", blob, 0o120000),
            ("caf\u{e9}.md", blob, 0o100644),
        ] {
            top.insert(name, id, mode).expect("insert");
        }
        let top = repo.find_tree(top.write().expect("write")).expect("tree");
        let odb = repo.odb().expect("odb");
        let raw = odb.read(top.id()).expect("read");
        let ours: Vec<(Vec<u8>, Oid, bool)> = RawEntries::new(raw.data())
            .map(|e| {
                (
                    e.name.to_vec(),
                    Oid::from_bytes(e.id).expect("id"),
                    e.is_tree,
                )
            })
            .collect();
        let theirs: Vec<(Vec<u8>, Oid, bool)> = top
            .iter()
            .map(|e| {
                (
                    e.name_bytes().to_vec(),
                    e.id(),
                    e.kind() == Some(ObjectType::Tree),
                )
            })
            .collect();
        assert_eq!(ours, theirs);
        assert_eq!(ours.len(), 5);
        // Consecutive entries are in git's order.
        let entries: Vec<RawEntry<'_>> = RawEntries::new(raw.data()).collect();
        for pair in entries.windows(2) {
            assert_eq!(git_order(&pair[0], &pair[1]), Ordering::Less);
        }
        // A truncated object ends the entries; it never panics.
        for cut in 0..raw.data().len() {
            let n = RawEntries::new(&raw.data()[..cut]).count();
            assert!(n < 5, "cut at {cut}");
        }
    }
}
