//! A bundle's attachments and where their bytes are.

use std::fs;
use std::path::PathBuf;

use super::git::Blob;
use crate::error::{Error, Result};

/// A file of a bundle that is not its `index.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Path inside the bundle, `/`-separated (e.g. `graphs/p99.svg`).
    pub name: String,
    /// Where its bytes are.
    pub content: Content,
}

/// Where an attachment's bytes are: a file of the working tree or a blob
/// of a commit (each read when it is checked or written, so no run holds
/// every attachment at once), or bytes pm made (an SVG's clean copy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A file on disk.
    File(PathBuf),
    /// A blob of a commit (`--rev`).
    Blob(Blob),
    /// Bytes in memory.
    Bytes(std::sync::Arc<[u8]>),
}

impl Content {
    /// The bytes.
    pub fn read(&self) -> Result<Vec<u8>> {
        match self {
            Content::File(path) => fs::read(path).map_err(|e| Error::io("cannot read", path, e)),
            Content::Blob(blob) => blob.read(),
            Content::Bytes(bytes) => Ok(bytes.to_vec()),
        }
    }

    /// Its size in bytes, without reading it (a symlink is not followed).
    pub fn size(&self) -> Result<u64> {
        match self {
            Content::File(path) => fs::symlink_metadata(path)
                .map(|m| m.len())
                .map_err(|e| Error::io("cannot inspect", path, e)),
            Content::Blob(blob) => Ok(blob.size()),
            Content::Bytes(bytes) => Ok(bytes.len() as u64),
        }
    }
}
