//! Finding and reading the repository's files: the first stage.
//!
//! Discovery walks `incidents/`, `playbooks/` and `site-template/` in sorted
//! order (so results never depend on directory order), reads record files in
//! parallel, and reports files it will not use. It never follows a symlink and
//! never reads outside the root. It does not parse anything.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};

pub mod git;

/// Folder holding incident records.
pub const INCIDENTS_DIR: &str = "incidents";
/// The configuration file at the repository root.
pub const CONFIG_FILE: &str = "pm.toml";
/// Folder holding playbooks.
pub const PLAYBOOKS_DIR: &str = "playbooks";
/// Folder whose files override the built-in templates.
pub const TEMPLATES_DIR: &str = "site-template";
/// A folder holding this file is an incident bundle.
pub const BUNDLE_INDEX: &str = "index.md";

/// What a record file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// An incident (`incidents/**/<id>.md` or `incidents/**/<id>/index.md`).
    Incident,
    /// A playbook (`playbooks/<type>.md`).
    Playbook,
}

/// A file of a bundle that is not its `index.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Path inside the bundle, `/`-separated (e.g. `graphs/p99.svg`).
    pub name: String,
    /// Where to read it from.
    pub path: PathBuf,
}

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

/// Everything discovery found.
#[derive(Debug, Default)]
pub struct SourceSet {
    /// The `pm.toml` text, if the file exists.
    pub config: Option<Vec<u8>>,
    /// Incident and playbook files, sorted by path.
    pub records: Vec<SourceFile>,
    /// The repository's template overrides, sorted by name.
    pub templates: Vec<TemplateFile>,
}

/// Walks the repository at `root` and reads every record.
///
/// Files pm will not read (symlinks, stray files) become warnings in `diags`;
/// a folder that exists but cannot be read is an operational error.
pub fn discover(root: &Path, diags: &mut Diagnostics) -> Result<SourceSet> {
    let mut set = SourceSet::default();
    let config_path = root.join(CONFIG_FILE);
    match fs::symlink_metadata(&config_path) {
        Ok(meta) if meta.is_file() => {
            set.config = Some(
                fs::read(&config_path).map_err(|e| Error::io("cannot read", &config_path, e))?,
            );
        }
        Ok(_) => diags.push(
            Diagnostic::warning(
                "ignored_file",
                CONFIG_FILE,
                "`pm.toml` is not a regular file and is ignored",
            )
            .help("make `pm.toml` a plain file (pm does not follow symlinks)"),
        ),
        Err(_) => {}
    }

    let mut pending: Pending = Vec::new();
    walk_incidents(root, Path::new(INCIDENTS_DIR), &mut pending, diags)?;
    walk_playbooks(root, &mut pending, diags)?;
    pending.sort_by(|a, b| a.1.cmp(&b.1));

    let read: Vec<Result<SourceFile>> = pending
        .into_par_iter()
        .map(|(kind, rel, stem, path, attachments)| {
            let bytes = fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))?;
            Ok(SourceFile {
                kind,
                rel,
                stem,
                bytes,
                attachments,
            })
        })
        .collect();
    for file in read {
        set.records.push(file?);
    }

    let templates_root = root.join(TEMPLATES_DIR);
    if templates_root.is_dir() {
        let mut files = Vec::new();
        collect_files(root, Path::new(TEMPLATES_DIR), &mut files, diags)?;
        for (rel, path) in files {
            let name = rel
                .strip_prefix(&format!("{TEMPLATES_DIR}/"))
                .unwrap_or(&rel)
                .to_owned();
            let bytes = fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))?;
            set.templates.push(TemplateFile { name, bytes });
        }
    }
    Ok(set)
}

/// Sorted entries of a folder, skipping hidden ones. `None` when it does not exist.
fn sorted_entries(dir: &Path) -> Result<Option<Vec<fs::DirEntry>>> {
    let iter = match fs::read_dir(dir) {
        Ok(iter) => iter,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read folder", dir, e)),
    };
    let mut entries = Vec::new();
    for entry in iter {
        let entry = entry.map_err(|e| Error::io("cannot read folder", dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        entries.push(entry);
    }
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(Some(entries))
}

/// `/`-joined relative path.
fn join_rel(rel: &Path, name: &str) -> PathBuf {
    rel.join(name)
}

/// A relative path as the `/`-separated string diagnostics print.
pub fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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

type Pending = Vec<(RecordKind, String, String, PathBuf, Option<Vec<Attachment>>)>;

fn walk_incidents(
    root: &Path,
    rel: &Path,
    out: &mut Pending,
    diags: &mut Diagnostics,
) -> Result<()> {
    let dir = root.join(rel);
    let Some(entries) = sorted_entries(&dir)? else {
        return Ok(());
    };
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child_rel = join_rel(rel, &name);
        let file_type = entry
            .file_type()
            .map_err(|e| Error::io("cannot read", &entry.path(), e))?;
        if file_type.is_symlink() {
            diags.push(symlink_warning(&child_rel));
        } else if file_type.is_dir() {
            let index = entry.path().join(BUNDLE_INDEX);
            let index_meta = fs::symlink_metadata(&index);
            if index_meta.as_ref().is_ok_and(fs::Metadata::is_file) {
                let mut files = Vec::new();
                collect_files(root, &child_rel, &mut files, diags)?;
                let bundle_prefix = format!("{}/", rel_string(&child_rel));
                let attachments = files
                    .into_iter()
                    .filter_map(|(file_rel, path)| {
                        let inner = file_rel.strip_prefix(&bundle_prefix)?.to_owned();
                        (inner != BUNDLE_INDEX).then_some(Attachment { name: inner, path })
                    })
                    .collect();
                out.push((
                    RecordKind::Incident,
                    rel_string(&child_rel.join(BUNDLE_INDEX)),
                    name,
                    index,
                    Some(attachments),
                ));
            } else if index_meta.is_ok() {
                diags.push(symlink_warning(&child_rel.join(BUNDLE_INDEX)));
            } else {
                walk_incidents(root, &child_rel, out, diags)?;
            }
        } else if let Some(stem) = name.strip_suffix(".md") {
            if name.eq_ignore_ascii_case("readme.md") {
                continue;
            }
            out.push((
                RecordKind::Incident,
                rel_string(&child_rel),
                stem.to_owned(),
                entry.path(),
                None,
            ));
        } else {
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
    Ok(())
}

fn walk_playbooks(root: &Path, out: &mut Pending, diags: &mut Diagnostics) -> Result<()> {
    let rel = Path::new(PLAYBOOKS_DIR);
    let Some(entries) = sorted_entries(&root.join(rel))? else {
        return Ok(());
    };
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child_rel = join_rel(rel, &name);
        let file_type = entry
            .file_type()
            .map_err(|e| Error::io("cannot read", &entry.path(), e))?;
        if file_type.is_symlink() {
            diags.push(symlink_warning(&child_rel));
        } else if let (true, Some(stem)) = (file_type.is_file(), name.strip_suffix(".md")) {
            if name.eq_ignore_ascii_case("readme.md") {
                continue;
            }
            out.push((
                RecordKind::Playbook,
                rel_string(&child_rel),
                stem.to_owned(),
                entry.path(),
                None,
            ));
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

/// Every regular file under `rel`, recursively, sorted; symlinks are warned about and skipped.
fn collect_files(
    root: &Path,
    rel: &Path,
    out: &mut Vec<(String, PathBuf)>,
    diags: &mut Diagnostics,
) -> Result<()> {
    let Some(entries) = sorted_entries(&root.join(rel))? else {
        return Ok(());
    };
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child_rel = join_rel(rel, &name);
        let file_type = entry
            .file_type()
            .map_err(|e| Error::io("cannot read", &entry.path(), e))?;
        if file_type.is_symlink() {
            diags.push(symlink_warning(&child_rel));
        } else if file_type.is_dir() {
            collect_files(root, &child_rel, out, diags)?;
        } else if file_type.is_file() {
            out.push((rel_string(&child_rel), entry.path()));
        }
    }
    Ok(())
}
