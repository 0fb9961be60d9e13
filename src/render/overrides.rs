//! The repository's own templates and assets, as `site-template/` holds
//! them: what the built-in ones are overridden with.

/// A file of the repository's `site-template/` folder, which overrides the
/// built-in template or asset of the same name.
#[derive(Debug, Clone)]
pub struct Override {
    /// Path inside `site-template/`, `/`-separated.
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}
