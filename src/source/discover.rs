//! Walking the repository: records, bundles and their attachments,
//! templates, and the files pm will not use.

use std::path::{Path, PathBuf};

use super::content::Attachment;
use super::paths::{
    BUNDLE_INDEX, CONFIG_FILE, INCIDENTS_DIR, PLAYBOOKS_DIR, RecordKind, TEMPLATES_DIR, join_rel,
    rel_string,
};
use super::reader::{EntryKind, Reader, WorkTree};
use crate::diag::{Diagnostic, Diagnostics};
use crate::error::Result;

/// One record file, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Incident or playbook.
    pub kind: RecordKind,
    /// Repo-relative path with `/` separators (what diagnostics print).
    pub rel: String,
    /// The candidate id: file stem, or the bundle folder's name.
    pub stem: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
    /// Attachments, when the record is a bundle (sorted by name).
    pub attachments: Option<Vec<Attachment>>,
}

/// A template or static asset from the repository's `site-template/`.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Path inside `site-template/`, `/`-separated.
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// A record file discovery found, not read yet: see [`Listing`].
#[derive(Debug, Clone)]
pub struct Unread {
    /// Incident or playbook.
    pub kind: RecordKind,
    /// Repo-relative path with `/` separators.
    pub rel: String,
    /// The candidate id: file stem, or the bundle folder's name.
    pub stem: String,
    /// Where the reader finds it.
    path: PathBuf,
    /// Attachments, when the record is a bundle (sorted by name).
    attachments: Option<Vec<Attachment>>,
}

impl Unread {
    /// Reads the file.
    pub fn read(self, reader: &dyn Reader) -> Result<SourceFile> {
        let bytes = reader.read(&self.path)?;
        Ok(self.with(bytes))
    }

    fn with(self, bytes: Vec<u8>) -> SourceFile {
        SourceFile {
            kind: self.kind,
            rel: self.rel,
            stem: self.stem,
            bytes,
            attachments: self.attachments,
        }
    }
}

/// What discovery found: `pm.toml`, the records and the templates. The
/// records are read ([`SourceSet`]) or only listed ([`Listing`]): a caller
/// that handles records one by one reads each when it gets to it, so no
/// record waits in memory for the others.
#[derive(Debug)]
pub struct Found<R> {
    /// The `pm.toml` text, if the file exists.
    pub config: Option<Vec<u8>>,
    /// Incident and playbook files, sorted by path.
    pub records: Vec<R>,
    /// The repository's template overrides, sorted by name.
    pub templates: Vec<TemplateFile>,
}

impl<R> Default for Found<R> {
    fn default() -> Self {
        Found {
            config: None,
            records: Vec::new(),
            templates: Vec::new(),
        }
    }
}

/// Every record read.
pub type SourceSet = Found<SourceFile>;

/// Every record found, none read yet.
pub type Listing = Found<Unread>;

impl Listing {
    /// Reads every record.
    pub fn read(self, reader: &dyn Reader) -> Result<SourceSet> {
        let paths: Vec<PathBuf> = self.records.iter().map(|r| r.path.clone()).collect();
        let read = reader.read_all(&paths);
        let records = self.records.into_iter().zip(read);
        Ok(SourceSet {
            config: self.config,
            records: records
                .map(|(unread, bytes)| Ok(unread.with(bytes?)))
                .collect::<Result<_>>()?,
            templates: self.templates,
        })
    }
}

/// Walks the repository at `root` and reads every record.
///
/// Files pm will not read (symlinks, stray files) become warnings in `diags`;
/// a folder that exists but cannot be read is an operational error.
pub fn discover(root: &Path, diags: &mut Diagnostics) -> Result<SourceSet> {
    discover_in(&WorkTree::new(root), diags)
}

/// [`discover`] over any [`Reader`]: the working tree or a commit.
pub fn discover_in(reader: &dyn Reader, diags: &mut Diagnostics) -> Result<SourceSet> {
    list_in(reader, diags)?.read(reader)
}

/// Walks the repository and lists every record, without reading them.
pub fn list_in(reader: &dyn Reader, diags: &mut Diagnostics) -> Result<Listing> {
    let mut set = Listing::default();
    match reader.kind(Path::new(CONFIG_FILE)) {
        Some(EntryKind::File) => set.config = Some(reader.read(Path::new(CONFIG_FILE))?),
        Some(_) => diags.push(
            Diagnostic::warning(
                "ignored_file",
                CONFIG_FILE,
                "`pm.toml` is not a regular file and is ignored",
            )
            .help("make `pm.toml` a plain file (pm does not follow symlinks)"),
        ),
        None => {}
    }

    let mut pending: Pending = Vec::new();
    if top_folder(reader, INCIDENTS_DIR, diags) {
        walk_incidents(reader, Path::new(INCIDENTS_DIR), &mut pending, diags)?;
    }
    if top_folder(reader, PLAYBOOKS_DIR, diags) {
        walk_playbooks(reader, &mut pending, diags)?;
    }
    pending.sort_by(|a, b| a.1.cmp(&b.1));

    for (kind, rel, stem, path, attachments) in pending {
        set.records.push(Unread {
            kind,
            rel,
            stem,
            path,
            attachments,
        });
    }

    if top_folder(reader, TEMPLATES_DIR, diags) {
        let mut files = Vec::new();
        collect_files(reader, Path::new(TEMPLATES_DIR), &mut files, diags)?;
        let paths: Vec<PathBuf> = files.iter().map(|(rel, _)| PathBuf::from(rel)).collect();
        for ((rel, _), bytes) in files.into_iter().zip(reader.read_all(&paths)) {
            let name = rel
                .strip_prefix(&format!("{TEMPLATES_DIR}/"))
                .unwrap_or(&rel)
                .to_owned();
            set.templates.push(TemplateFile {
                name,
                bytes: bytes?,
            });
        }
    }
    Ok(set)
}

/// Whether the top-level folder `name` is one to walk: a real folder. A
/// symlink in its place is not followed (it would publish whatever it points
/// at, on any machine that checks the repository out), and neither is a
/// submodule or a file of that name; each is reported and ignored, the same
/// way from the working tree and from a commit.
fn top_folder(reader: &dyn Reader, name: &str, diags: &mut Diagnostics) -> bool {
    let rel = Path::new(name);
    match reader.kind(rel) {
        Some(EntryKind::Dir) => return true,
        None => return false,
        Some(EntryKind::Other) => diags.push(
            Diagnostic::warning(
                "ignored_file",
                name,
                format!("`{name}` is a symlink, which pm does not follow; it is ignored"),
            )
            .help(format!(
                "make `{name}` a real folder of the repository and move the files it points to into it"
            )),
        ),
        Some(EntryKind::Submodule) => diags.push(submodule_warning(rel)),
        Some(EntryKind::File) => diags.push(
            Diagnostic::warning(
                "ignored_file",
                name,
                format!("`{name}` is a file, not a folder; it is ignored"),
            )
            .help(format!("make `{name}` a folder, or rename the file")),
        ),
    }
    false
}

/// Warns about a symlink, which pm never follows.
fn symlink_warning(rel: &Path) -> Diagnostic {
    Diagnostic::warning(
        "ignored_file",
        rel_string(rel),
        "symlinks are not followed; this entry is ignored",
    )
    .help("move the file into the repository instead of linking to it")
}

/// Warns about a git submodule, whose files pm does not read: a working tree
/// may have it checked out or not, and a commit holds only its id, so
/// reading it would make the site depend on the checkout.
fn submodule_warning(rel: &Path) -> Diagnostic {
    let shown = rel_string(rel);
    Diagnostic::warning(
        "ignored_file",
        &shown,
        format!("`{shown}` is a git submodule, which pm does not read; it is ignored"),
    )
    .help("move the records into this repository instead of including another one")
}

/// Records found, not yet read: kind, rel path, stem, path to read, attachments.
type Pending = Vec<(RecordKind, String, String, PathBuf, Option<Vec<Attachment>>)>;

fn walk_incidents(
    reader: &dyn Reader,
    rel: &Path,
    out: &mut Pending,
    diags: &mut Diagnostics,
) -> Result<()> {
    let Some(entries) = reader.list(rel)? else {
        return Ok(());
    };
    for (name, kind) in entries {
        let child_rel = join_rel(rel, &name);
        match kind {
            EntryKind::Other => diags.push(symlink_warning(&child_rel)),
            EntryKind::Submodule => diags.push(submodule_warning(&child_rel)),
            EntryKind::Dir => {
                let index = child_rel.join(BUNDLE_INDEX);
                match reader.kind(&index) {
                    Some(EntryKind::File) => {
                        let mut files = Vec::new();
                        collect_files(reader, &child_rel, &mut files, diags)?;
                        let bundle_prefix = format!("{}/", rel_string(&child_rel));
                        let mut attachments = Vec::new();
                        for (file_rel, path) in files {
                            let Some(inner) = file_rel.strip_prefix(&bundle_prefix) else {
                                continue;
                            };
                            if inner != BUNDLE_INDEX {
                                attachments.push(Attachment {
                                    name: inner.to_owned(),
                                    content: reader.content(&path)?,
                                });
                            }
                        }
                        out.push((
                            RecordKind::Incident,
                            rel_string(&index),
                            name,
                            index,
                            Some(attachments),
                        ));
                    }
                    Some(_) => diags.push(symlink_warning(&index)),
                    None => walk_incidents(reader, &child_rel, out, diags)?,
                }
            }
            EntryKind::File => {
                if !push_markdown(out, RecordKind::Incident, &name, child_rel.clone()) {
                    diags.push(
                        Diagnostic::warning(
                            "ignored_file",
                            rel_string(&child_rel),
                            "not a record: only `.md` files and bundle folders are read here",
                        )
                        .help("to attach this file to an incident, make the incident a bundle: move `<id>.md` to `<id>/index.md` and put the file beside it"),
                    );
                }
            }
        }
    }
    Ok(())
}

/// Takes a `.md` file as a record (a `README.md` is skipped: folders may
/// explain themselves); `false` when the file is not Markdown.
fn push_markdown(out: &mut Pending, kind: RecordKind, name: &str, rel: PathBuf) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    if !name.eq_ignore_ascii_case("readme.md") {
        out.push((kind, rel_string(&rel), stem.to_owned(), rel, None));
    }
    true
}

fn walk_playbooks(reader: &dyn Reader, out: &mut Pending, diags: &mut Diagnostics) -> Result<()> {
    let rel = Path::new(PLAYBOOKS_DIR);
    let Some(entries) = reader.list(rel)? else {
        return Ok(());
    };
    for (name, kind) in entries {
        let child_rel = join_rel(rel, &name);
        if kind == EntryKind::Other {
            diags.push(symlink_warning(&child_rel));
        } else if kind == EntryKind::Submodule {
            diags.push(submodule_warning(&child_rel));
        } else if kind == EntryKind::File
            && push_markdown(out, RecordKind::Playbook, &name, child_rel.clone())
        {
            // Taken as a playbook.
        } else {
            diags.push(
                Diagnostic::warning(
                    "ignored_file",
                    rel_string(&child_rel),
                    "not a playbook: playbooks are `playbooks/<type>.md` files",
                )
                .help("move this out of `playbooks/`, or rename it to `<type>.md`"),
            );
        }
    }
    Ok(())
}

/// Every regular file under `rel`, recursively, sorted, as (rel string, rel
/// path); symlinks are warned about and skipped.
fn collect_files(
    reader: &dyn Reader,
    rel: &Path,
    out: &mut Vec<(String, PathBuf)>,
    diags: &mut Diagnostics,
) -> Result<()> {
    let Some(entries) = reader.list(rel)? else {
        return Ok(());
    };
    for (name, kind) in entries {
        let child_rel = join_rel(rel, &name);
        match kind {
            EntryKind::Other => diags.push(symlink_warning(&child_rel)),
            EntryKind::Submodule => diags.push(submodule_warning(&child_rel)),
            EntryKind::Dir => collect_files(reader, &child_rel, out, diags)?,
            EntryKind::File => out.push((rel_string(&child_rel), child_rel)),
        }
    }
    Ok(())
}
