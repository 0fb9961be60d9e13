//! The repository's own templates and assets, as `site-template/` holds
//! them: what the built-in ones are overridden with; and how an error in
//! one is reported.

/// A file of the repository's `site-template/` folder, which overrides the
/// built-in template or asset of the same name.
#[derive(Debug, Clone)]
pub struct Override {
    /// Path inside `site-template/`, `/`-separated.
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Every message in an error's source chain, joined: what is wrong with a
/// template, with the line and column Tera found it at.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
