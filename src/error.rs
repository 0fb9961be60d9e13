//! Operational failures: the second channel of trouble.
//!
//! Problems in records are [`crate::diag::Diagnostic`]s; this enum is for
//! everything that stops pm from doing its job at all (a folder it cannot
//! read, a template that does not compile, an output folder it must not
//! replace). I/O variants always carry the path, so every message names a file.

use std::path::{Path, PathBuf};

/// An operational failure. Maps to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a path failed.
    #[error("{action} `{}`: {source}", crate::diag::printable(&.path.to_string_lossy()))]
    Io {
        /// What pm was doing, e.g. "cannot read".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `pm.toml` is unusable; the diagnostics were already reported.
    #[error("`{}` has errors; fix them and run again", crate::diag::printable(&.0.to_string_lossy()))]
    Config(PathBuf),
    /// A template failed to compile or render.
    #[error("template error: {0}")]
    Template(String),
    /// The output folder exists, is not empty, and was not made by pm.
    #[error(
        "refusing to replace `{}`: it is not empty and was not created by pm\n  help: choose another folder with `-o`, or pass `--force` to replace it",
        crate::diag::printable(&.0.to_string_lossy())
    )]
    ForeignOutput(PathBuf),
    /// The new site could not be written (a full or read-only disk, a
    /// file too large); nothing was replaced.
    #[error(
        "cannot write the site into `{}`: {source}\n  help: nothing was replaced: the previous site, if any, is unchanged; free space on the disk or make the folder writable, then build again",
        crate::diag::printable(&.dir.to_string_lossy())
    )]
    SiteNotWritten {
        /// The output folder.
        dir: PathBuf,
        /// What failed, with its path.
        source: Box<Error>,
    },
    /// A file pm would create already exists.
    #[error("`{}` already exists, and pm never overwrites a file\n  help: {}", crate::diag::printable(&.0.to_string_lossy()), .1)]
    Exists(PathBuf, String),
    /// The command line asked for something impossible.
    #[error("{0}")]
    Usage(String),
    /// Serialising machine output failed.
    #[error("cannot serialise {what}: {message}")]
    Serialize {
        /// What was being serialised.
        what: &'static str,
        /// The serializer's message.
        message: String,
    },
}

impl Error {
    /// Builds an [`Error::Io`] from a path and an I/O error.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether this error is a closed pipe on stdout (exit quietly, status 0).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Result with pm's operational [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
