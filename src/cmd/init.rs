//! `pm init`: a new records repository, seed playbooks, or the templates to edit.

use std::path::{Path, PathBuf};

use crate::cli::*;
use crate::config::{self};
use crate::error::{Error, Result};
use crate::pipeline::{Ui, resolve_today, shown};
use crate::{EXIT_OK, humanize, output, render, source};

use crate::scaffold;

use super::repo::refuse_symlinked_folders;

/// `pm init --templates`: copies every built-in template and asset into
/// `site-template/`, where each file overrides its built-in by name.
pub(crate) fn eject_templates(dir: &Path, ui: Ui) -> Result<u8> {
    let files = render::BUILTIN_TEMPLATES
        .iter()
        .chain(render::BUILTIN_ASSETS)
        .chain(render::status::TEXT_TEMPLATES);
    let (mut created, mut kept) = (0, 0);
    for (name, text) in files {
        let path = dir.join(source::TEMPLATES_DIR).join(name);
        refuse_symlinked_folders(dir, &Path::new(source::TEMPLATES_DIR).join(name))?;
        if path.exists() {
            ui.status(&format!("kept existing `{}`", shown(&path)));
            kept += 1;
            continue;
        }
        output::create_new_file(&path, text, "pm init never overwrites a file")?;
        created += 1;
    }
    ui.status(&format!(
        "copied {} into `{}` ({kept} kept as they were); edit them, or delete the ones you do not change so they follow pm's updates",
        humanize::plural(created, "template"),
        shown(&dir.join(source::TEMPLATES_DIR))
    ));
    Ok(EXIT_OK)
}

/// `pm init --playbooks`: writes pm's seed playbooks into `playbooks/`,
/// keeping (and reporting) every file that already exists.
pub(crate) fn write_seed_playbooks(dir: &Path, ui: Ui) -> Result<u8> {
    let (mut created, mut kept) = (0, 0);
    for (kind, text) in scaffold::SEEDS {
        let rel = Path::new(source::PLAYBOOKS_DIR).join(format!("{kind}.md"));
        refuse_symlinked_folders(dir, &rel)?;
        let path = dir.join(rel);
        match output::create_new_file(&path, text, "pm init never overwrites a file") {
            Ok(()) => {
                ui.status(&format!("created `{}`", shown(&path)));
                created += 1;
            }
            Err(Error::Exists(..)) => {
                ui.status(&format!("kept existing `{}`", shown(&path)));
                kept += 1;
            }
            Err(e) => return Err(e),
        }
    }
    ui.status(&format!(
        "wrote {} ({kept} kept as they were): generic starting points; adapt them and set each `owner`",
        humanize::plural(created, "seed playbook")
    ));
    Ok(EXIT_OK)
}

/// The line of `.gitignore` that keeps the built site out of git.
const IGNORE_SITE: &str = "public/";

/// Writes `.gitignore` with [`IGNORE_SITE`] so `git add -A` never commits
/// the built site. An existing `.gitignore` is the user's: it is left as it
/// is, and pm says whether it already ignores the site or what to add.
fn write_gitignore(dir: &Path, ui: Ui) -> Result<()> {
    let path = dir.join(".gitignore");
    let text =
        format!("# The site `pm build` writes; publish it, do not commit it.\n{IGNORE_SITE}\n");
    match output::create_new_file(&path, &text, "pm init never overwrites a file") {
        Ok(()) => {
            ui.status(&format!(
                "created `{}` (ignores `{IGNORE_SITE}`, the built site)",
                shown(&path)
            ));
            Ok(())
        }
        Err(Error::Exists(..)) => {
            let existing = std::fs::read_to_string(&path).unwrap_or_default();
            if ignores_site(&existing) {
                ui.status(&format!(
                    "kept existing `{}` (it ignores `{IGNORE_SITE}`)",
                    shown(&path)
                ));
            } else {
                ui.status(&format!(
                    "warning: kept existing `{}` as it is, but it does not ignore the built site\n  help: add the line `{IGNORE_SITE}` to it, so `git add -A` does not commit the site",
                    shown(&path)
                ));
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Whether a `.gitignore` has a line that ignores `public/` at the root.
fn ignores_site(gitignore: &str) -> bool {
    gitignore
        .lines()
        .map(str::trim)
        .any(|line| matches!(line, "public" | "public/" | "/public" | "/public/"))
}

pub(crate) fn run(args: &InitArgs, ui: Ui) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if args.templates {
        return eject_templates(&dir, ui);
    }
    if args.playbooks {
        return write_seed_playbooks(&dir, ui);
    }
    if dir.exists() && !args.force {
        // Dot-files (`.git` after `git init`, `.gitignore`, an editor's
        // settings) do not make a folder "not empty": records go beside them.
        let entries =
            std::fs::read_dir(&dir).map_err(|e| Error::io("cannot read folder", &dir, e))?;
        let mut visible = entries
            .filter_map(std::result::Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'));
        if let Some(first) = visible.next() {
            return Err(Error::Usage(format!(
                "`{}` is not empty: it holds `{}`\n  help: run `pm init` in an empty folder (or one with only dot-files, such as a fresh `git init`), or pass `--force` (existing files are never overwritten)",
                shown(&dir),
                first.file_name().to_string_lossy()
            )));
        }
    }
    output::create_dir(&dir)?;
    let date = resolve_today(None)?.to_string();
    for top in [source::INCIDENTS_DIR, source::PLAYBOOKS_DIR] {
        refuse_symlinked_folders(&dir, &Path::new(top).join("x"))?;
    }
    let files = [
        (
            PathBuf::from(config::CONFIG_FILE),
            scaffold::INIT_CONFIG.to_owned(),
        ),
        (
            PathBuf::from(source::INCIDENTS_DIR).join(format!("{date}-example-api-error-spike.md")),
            scaffold::init_incident(&date),
        ),
        (
            PathBuf::from(source::PLAYBOOKS_DIR).join("config-change.md"),
            scaffold::playbook("config-change"),
        ),
    ];
    for (rel, text) in &files {
        let path = dir.join(rel);
        if path.exists() {
            ui.status(&format!("kept existing `{}`", shown(&path)));
            continue;
        }
        output::create_new_file(&path, text, "pm init never overwrites a file")?;
        ui.status(&format!("created `{}`", shown(&path)));
    }
    write_gitignore(&dir, ui)?;
    ui.status("next: `pm lint`, then `pm build` and open public/index.html");
    Ok(EXIT_OK)
}
