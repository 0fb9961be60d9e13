//! The repository a command works on: where it is, and writing a new file
//! into it (never over one, never through a symlinked folder).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::pipeline::shown;
use crate::{output, source};

/// The records repository: `--root`, or the current folder.
pub(crate) fn root_of(cli: &Cli) -> PathBuf {
    cli.root.clone().unwrap_or_else(|| PathBuf::from("."))
}

/// Prints a created file's repo-relative path on stdout (for scripts).
pub(crate) fn print_path(rel: &Path) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", source::rel_string(rel))
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))
}

/// Refuses to create `dir/rel` when a folder on the way (`incidents`,
/// `incidents/2026`, `site-template`…) is a symlink: writing through it would
/// put the file wherever the link points, outside the repository, and
/// discovery ignores such a folder anyway. Exit code 2, naming the folder.
pub(crate) fn refuse_symlinked_folders(dir: &Path, rel: &Path) -> Result<()> {
    let mut folder = PathBuf::new();
    let parents: Vec<_> = rel
        .parent()
        .map(Path::components)
        .into_iter()
        .flatten()
        .collect();
    for component in parents {
        folder.push(component);
        let path = dir.join(&folder);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let shown = if dir == Path::new(".") {
                source::rel_string(&folder)
            } else {
                shown(&path)
            };
            return Err(Error::Usage(format!(
                "`{shown}` is a symlink, and pm does not write through one\n  help: make `{shown}` a real folder of the repository (pm does not read records through a symlink either)"
            )));
        }
    }
    Ok(())
}

/// Creates `root/rel`, never overwriting, and names it by `rel` in errors so
/// messages show the repo-relative path the user knows.
pub(crate) fn create_in_repo(root: &Path, rel: &Path, text: &str, hint: &str) -> Result<()> {
    refuse_symlinked_folders(root, rel)?;
    output::create_new_file(&root.join(rel), text, hint).map_err(|e| match e {
        Error::Exists(_, hint) => Error::Exists(rel.to_path_buf(), hint),
        other => other,
    })
}
