//! Watching the repository: rebuild after a burst of saves, and follow a
//! repository folder that is deleted and made again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};
use crate::source;

use super::state::DEBOUNCE;

/// The file watcher: the repository root (for `pm.toml`, and for the
/// source folders appearing) and each source folder that exists.
pub(super) struct Watch {
    pub(super) root: PathBuf,
    pub(super) debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// Source folders watched recursively.
    pub(super) folders: BTreeSet<PathBuf>,
    /// Which folder the root watch is on ([`folder_identity`]).
    pub(super) identity: Option<FolderIdentity>,
    /// The root folder went away since it was last watched (its watch with
    /// it): seen missing, or reported removed by the watcher.
    pub(super) lost: bool,
}

pub(super) const FOLDERS: [&str; 3] = [
    source::INCIDENTS_DIR,
    source::PLAYBOOKS_DIR,
    source::TEMPLATES_DIR,
];

/// What tells one folder from another made later at the same path.
pub(super) type FolderIdentity = (u64, u64);

/// The device and inode of a folder on Unix; elsewhere its creation time.
/// `None` when it does not exist (or the platform tells nothing).
pub(super) fn folder_identity(path: &Path) -> Option<FolderIdentity> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let created = meta.created().ok()?;
        let since = created.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((since.as_secs(), u64::from(since.subsec_nanos())))
    }
}

impl Watch {
    pub(super) fn start(root: &Path, events: mpsc::Sender<DebounceEventResult>) -> Result<Watch> {
        let failed =
            |e: notify::Error| Error::Usage(format!("cannot watch `{}`: {e}", root.display()));
        let mut debouncer = new_debouncer(DEBOUNCE, None, events).map_err(failed)?;
        let identity = folder_identity(root);
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(failed)?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            debouncer,
            folders: BTreeSet::new(),
            identity,
            lost: false,
        };
        watch.watch_folders();
        Ok(watch)
    }

    /// Watches the repository folder again when it is a new one: deleted
    /// (its watches die with it) and made again at the same path. Checked
    /// both ways, since either alone can miss it: by identity (a removal the
    /// watcher never reported) and by having seen it gone (a new folder may
    /// reuse the old inode). Returns whether to rebuild.
    pub(super) fn follow_root(&mut self) -> bool {
        let now = folder_identity(&self.root);
        let Some(identity) = now else {
            // Gone: nothing to watch until it is back. Build once, so the
            // pages say the site cannot be built.
            let first = !self.lost;
            self.lost = true;
            return first;
        };
        if !self.lost && self.identity == Some(identity) {
            return false;
        }
        let _ = self.debouncer.unwatch(&self.root);
        for dir in std::mem::take(&mut self.folders) {
            let _ = self.debouncer.unwatch(&dir);
        }
        if self
            .debouncer
            .watch(&self.root, RecursiveMode::NonRecursive)
            .is_err()
        {
            // Gone again already: try on the next check.
            self.lost = true;
            return false;
        }
        self.identity = Some(identity);
        self.lost = false;
        self.watch_folders();
        true
    }

    /// Watches source folders that exist and are not watched yet (one may
    /// be created, or deleted and made again, while pm serves).
    pub(super) fn watch_folders(&mut self) {
        for name in FOLDERS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                if self.folders.remove(&dir) {
                    let _ = self.debouncer.unwatch(&dir);
                }
                continue;
            }
            if !self.folders.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.folders.insert(dir);
            }
        }
    }

    /// Whether a batch of events touches the records, the templates or
    /// `pm.toml` (and not, say, `public/` or an editor's file beside them).
    pub(super) fn relevant(&mut self, batch: DebounceEventResult) -> bool {
        let Ok(events) = batch else {
            // The watcher lost track (e.g. too many events): rebuild to be safe.
            self.watch_folders();
            return true;
        };
        // Reads (pm's own, an editor's) are not changes: rebuilding on them
        // would loop, since every build reads the records.
        if events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Remove(_)) && e.paths.contains(&self.root))
        {
            self.lost = true;
        }
        let changes = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)));
        let hit = changes.flat_map(|e| e.paths.iter()).any(|path| {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                return false;
            };
            let first = rel.components().next().map(|c| c.as_os_str());
            rel == Path::new(source::CONFIG_FILE)
                || first.is_some_and(|f| FOLDERS.iter().any(|name| f == *name))
        });
        if hit {
            self.watch_folders();
        }
        hit
    }
}

/// Whether a batch holds only reads, such as pm's own reads of the records
/// while it builds: no reason to stop a rebuild for.
pub(super) fn only_reads(batch: &DebounceEventResult) -> bool {
    batch
        .as_ref()
        .is_ok_and(|events| (events.iter()).all(|e| matches!(e.kind, EventKind::Access(_))))
}
