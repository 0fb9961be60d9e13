//! Which record files one commit changed: a merge-join of a records
//! folder's raw entries with its parent's version, for the files whose
//! history is still being read. Uses `raw_tree`.

use std::cmp::Ordering;
use std::collections::HashMap;

use git2::Oid;

use super::raw_tree::{TreeCache, first_entry, git_order};

/// The record files whose history is still being read: a file leaves once
/// the walk reaches the commit that added it (its history starts there).
pub(super) struct Pending {
    /// Full path in the repository → index into the caller's list.
    index: HashMap<String, usize>,
    dated: Vec<bool>,
    /// Folder (`incidents/2024/`) → files still undated below it.
    folders: HashMap<String, usize>,
    pub(super) left: usize,
}

impl Pending {
    pub(super) fn new(paths: &[String]) -> Pending {
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
    pub(super) fn wants_folder(&self, folder: &str) -> bool {
        self.folders.get(folder).is_some_and(|&n| n > 0)
    }

    /// The file a commit changed, if its history is still being read.
    pub(super) fn changed(&mut self, path: &str, added: bool) -> Option<usize> {
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
pub(super) fn changed_files(
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
