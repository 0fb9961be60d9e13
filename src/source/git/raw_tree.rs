//! Tree objects read as stored (`<mode> <name>\0<id>`), borrowed and
//! compared without allocating, and the cache that keeps each commit's
//! trees for the next. Uses nothing else of `git/`.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ffi::CStr;
use std::rc::Rc;

use git2::{ObjectType, Oid};

/// Bytes in a raw object id (SHA-1, the only format libgit2 reads here).
pub(super) const RAW_ID_LEN: usize = 20;

/// One entry of a tree object as stored: `<octal mode> <name>\0<raw id>`.
/// Borrowed from the object's bytes: comparing entries allocates nothing.
#[derive(Clone, Copy)]
pub(super) struct RawEntry<'a> {
    /// The whole entry, to compare unchanged entries with one `memcmp`.
    pub(super) raw: &'a [u8],
    pub(super) name: &'a [u8],
    pub(super) id: &'a [u8],
    pub(super) is_tree: bool,
}

/// The entries of a tree object, in stored (git's) order. Stops at the first
/// malformed entry, as if the tree ended there.
pub(super) struct RawEntries<'a> {
    rest: &'a [u8],
}

impl<'a> RawEntries<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
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
pub(super) fn first_entry(buf: &[u8]) -> Option<RawEntry<'_>> {
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
pub(super) fn git_order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> Ordering {
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
pub(super) struct TreeCache<'o> {
    odb: &'o git2::Odb<'o>,
    current: HashMap<Oid, Rc<git2::OdbObject<'o>>>,
    previous: HashMap<Oid, Rc<git2::OdbObject<'o>>>,
}

impl<'o> TreeCache<'o> {
    pub(super) fn new(odb: &'o git2::Odb<'o>) -> Self {
        TreeCache {
            odb,
            current: HashMap::new(),
            previous: HashMap::new(),
        }
    }

    /// The raw tree `id`, or `None` when it is missing or not a tree.
    pub(super) fn get(&mut self, id: Oid) -> Option<Rc<git2::OdbObject<'o>>> {
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
    pub(super) fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    /// The id of the folder at `path` (components) under the tree `root`.
    pub(super) fn folder(&mut self, root: Oid, path: &[&str]) -> Option<Oid> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

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
