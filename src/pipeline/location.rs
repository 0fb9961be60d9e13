//! Where pm may write: an output folder or report file must not be, hold,
//! or be inside what the repository is made of.

use std::path::{Path, PathBuf};

use crate::config::{self};
use crate::error::{Error, Result};
use crate::source;

/// Refuses an output (the site folder, or a report file) that is, holds, or
/// is inside what the repository is made of: its root, `incidents/`,
/// `playbooks/`, `site-template/`, `pm.toml`, or the `.git` folder of the
/// git repository it is in. Replacing one would delete a user's files or
/// history, which `--force` never permits. Paths are compared as they are
/// on disk: symbolic links are resolved, and for an output that does not
/// exist yet, its longest existing ancestor is.
pub(crate) fn check_output_location(root: &Path, output: &Path, shown: &Path) -> Result<()> {
    let root = real_path(root);
    let out = real_path(output);
    let git = root
        .ancestors()
        .map(|dir| dir.join(".git"))
        .find(|git| std::fs::symlink_metadata(git).is_ok())
        .unwrap_or_else(|| root.join(".git"));
    // What must survive, what it is, and whether an output inside it would
    // replace part of it (every folder but the root).
    let mut protected = vec![(root.clone(), "the repository's root".to_owned(), false)];
    for dir in [
        source::INCIDENTS_DIR,
        source::PLAYBOOKS_DIR,
        source::TEMPLATES_DIR,
    ] {
        protected.push((root.join(dir), format!("`{dir}/`"), true));
    }
    protected.push((
        root.join(config::CONFIG_FILE),
        format!("`{}`", config::CONFIG_FILE),
        false,
    ));
    protected.push((git, "the git folder `.git`".to_owned(), true));
    for (path, what, inside_too) in &protected {
        let relation = if out == *path {
            "is"
        } else if path.starts_with(&out) {
            "holds"
        } else if *inside_too && out.starts_with(path) {
            "is inside"
        } else {
            continue;
        };
        return Err(Error::Usage(format!(
            "refusing to write to `{}`: that would replace records, playbooks, templates, settings or history: it {relation} {what} (`{}`)\n  help: pm replaces its output whole, even with `--force`; build into a folder of its own, outside `incidents/`, `playbooks/`, `site-template/` and `.git`, e.g. `-o public`",
            shown.display(),
            path.display()
        )));
    }
    Ok(())
}

/// `path` as it is on disk: absolute, with symbolic links resolved. A path
/// that does not exist yet resolves its longest existing ancestor and
/// appends the rest, with `.` and `..` in the rest taken lexically (the
/// folders they name do not exist yet, so no link can intervene).
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for base in absolute.ancestors() {
        let Ok(real) = std::fs::canonicalize(base) else {
            continue;
        };
        let mut out = real;
        let rest = absolute.strip_prefix(base).unwrap_or(Path::new(""));
        for c in rest.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::Normal(part) => out.push(part),
                _ => {}
            }
        }
        return out;
    }
    absolute
}
