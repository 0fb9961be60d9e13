//! Loading a repository: source → parse → model → analysis, then its git
//! history. What every command that reads records starts from.

use std::collections::BTreeSet;
use std::path::Path;

use crate::cli::SourceArgs;
use crate::config::{self, Config};
use crate::diag::Diagnostics;
use crate::error::{Error, Result};
use crate::markdown::{Depth, Markdown};
use crate::{analysis, isolate, model, render, source};

use super::ui::{Ui, shown};

/// Everything a run learned about the repository.
pub(crate) struct Loaded {
    pub(crate) config: Config,
    pub(crate) corpus: model::Corpus,
    pub(crate) analyses: analysis::Analyses,
    pub(crate) markdown: Markdown,
    pub(crate) templates: Vec<render::Override>,
    /// Every record file read (repo-relative), valid or not.
    pub(crate) files: Vec<String>,
    /// What git knows about the records, when it could be read.
    pub(crate) history: Option<crate::revisions::History>,
}

/// Runs source → parse → model → analysis. `None` when `pm.toml` is unusable.
/// Records come from the working tree, or from a commit with `--rev`.
/// Reads, parses, validates and analyses every record. `depth` says how
/// much of each body to render: [`Depth::Page`] for commands that write
/// pages, so the body is parsed once for the lints and the page alike.
pub(crate) fn load(
    root: &Path,
    source_args: &SourceArgs,
    depth: Depth,
    diags: &mut Diagnostics,
) -> Result<Option<Loaded>> {
    load_with(root, source_args, depth, &Overrides::default(), diags)
}

/// [`load`], with settings of the command line in place of `pm.toml`'s.
pub(crate) fn load_with(
    root: &Path,
    source_args: &SourceArgs,
    depth: Depth,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Result<Option<Loaded>> {
    let set = discover(root, source_args, diags)?;
    Ok(load_set(set, depth, overrides, diags))
}

/// Settings a command gives for one run, in place of `pm.toml`'s. They are
/// applied as `pm.toml` is read, so every stage sees the final settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    /// The site's address (`--base-url`; `/` for `pm serve`), ending in `/`.
    base_url: Option<String>,
}

impl Overrides {
    /// Takes the site's address, as `--base-url` gives it: refused unless
    /// it is an `http(s)` URL or a path from the server root.
    pub(crate) fn base_url(mut self, base: &str) -> Result<Overrides> {
        let valid = config::base_url(base).ok_or_else(|| {
            Error::Usage(format!(
                "invalid `--base-url` `{base}`: {}",
                config::BASE_URL_HELP
            ))
        })?;
        self.base_url = Some(valid);
        Ok(self)
    }

    pub(super) fn apply(&self, config: &mut Config) {
        if let Some(base) = &self.base_url {
            config.base_url.clone_from(base);
        }
    }
}

/// Reads every record, from the working tree or, with `--rev`, a commit.
pub(crate) fn discover(
    root: &Path,
    source_args: &SourceArgs,
    diags: &mut Diagnostics,
) -> Result<source::SourceSet> {
    check_root(root)?;
    match &source_args.rev {
        Some(rev) => source::discover_in(&source::git::RevTree::open(root, rev)?, diags),
        None => source::discover(root, diags),
    }
}

/// Refuses a `--root` that is not a folder.
pub(crate) fn check_root(root: &Path) -> Result<()> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::Usage(format!("`{}` is not a folder", shown(root))))
    }
}

/// The settings of `pm.toml`, or the defaults without one. `None` when
/// `pm.toml` is unusable (its errors are in `diags`).
pub(crate) fn settings(config: Option<&[u8]>, diags: &mut Diagnostics) -> Option<Config> {
    let Some(bytes) = config else {
        return Some(Config::default());
    };
    let text = String::from_utf8_lossy(bytes).into_owned();
    let config = Config::parse(&text, diags);
    diags
        .sources
        .insert(config::CONFIG_FILE, std::sync::Arc::new(text));
    config
}

/// [`load`] from files already read: parse `pm.toml`, then parse, validate
/// and analyse the records. `None` when `pm.toml` is unusable.
pub(crate) fn load_set(
    mut set: source::SourceSet,
    depth: Depth,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let mut config = settings(set.config.as_deref(), diags)?;
    overrides.apply(&mut config);
    let config = config;
    let files: Vec<String> = set.records.iter().map(|f| f.rel.clone()).collect();
    let mut corpus = model::read(std::mem::take(&mut set.records), &config, diags);
    let markdown = Markdown::new();
    let analyses = isolated("analysing", &mut corpus, diags, |corpus| {
        analysis::analyze(corpus, &config, &markdown, depth)
    })?;
    Some(Loaded {
        config,
        corpus,
        analyses,
        markdown,
        templates: set
            .templates
            .into_iter()
            .map(|t| render::Override {
                name: t.name,
                bytes: t.bytes,
            })
            .collect(),
        files,
        history: None,
    })
}

/// Reads the records' git history into `loaded`, in one walk (see
/// [`read_history`]).
#[cfg(test)]
pub(crate) fn load_history(
    root: &Path,
    source_args: &SourceArgs,
    loaded: &mut Loaded,
    ui: Ui,
) -> Result<()> {
    let files = loaded.files.iter().cloned().collect();
    let repository = loaded.config.repository.as_deref();
    (loaded.history, _) = read_history(root, source_args, &files, repository, ui, false)?;
    Ok(())
}

/// The git history of `files`, in one walk. Without it pm warns once
/// (naming the fix) and carries on, unless `--require-history`;
/// `quiet_without_repo` keeps `pm lint` silent outside a repository, where
/// history is simply not wanted.
pub(crate) fn read_history(
    root: &Path,
    source_args: &SourceArgs,
    files: &BTreeSet<String>,
    repository: Option<&str>,
    ui: Ui,
    quiet_without_repo: bool,
) -> Result<(Option<crate::revisions::History>, bool)> {
    match source::git::history(root, source_args.rev.as_deref(), files, repository) {
        Ok(history) => Ok((Some(history), false)),
        Err(no) if source_args.require_history => {
            Err(Error::Usage(format!("{}\n  help: {}", no.reason, no.help)))
        }
        Err(no) => {
            let warn = !(no.no_repository && quiet_without_repo);
            if warn {
                ui.status(&format!(
                    "warning: no git history: {}\n  help: {}",
                    no.reason, no.help
                ));
            }
            Ok((None, warn))
        }
    }
}

/// Runs `work`, a stage over the whole corpus, with panic isolation: if it
/// panics, each record is run alone to find the ones it panics on, which are
/// dropped from `corpus` with an `internal_error` naming their file, and
/// `work` runs again on the others. The happy path costs one
/// `catch_unwind`. `None` (with one `internal_error`) when `work` still
/// panics without those records: a bug no single record shows.
pub(crate) fn isolated<T>(
    stage: &'static str,
    corpus: &mut model::Corpus,
    diags: &mut Diagnostics,
    work: impl Fn(&model::Corpus) -> T,
) -> Option<T> {
    pub(crate) fn files(corpus: &model::Corpus) -> impl Iterator<Item = &str> {
        let incidents = corpus.incidents.values().map(|i| i.origin.file.as_str());
        incidents.chain(corpus.playbooks.values().map(|p| p.origin.file.as_str()))
    }
    if let Ok(done) = isolate::records(stage, files(corpus), || work(corpus)) {
        return Some(done);
    }
    let mut failed_incidents = Vec::new();
    for (id, incident) in &corpus.incidents {
        let alone = model::Corpus {
            incidents: [(id.clone(), incident.clone())].into(),
            playbooks: Default::default(),
        };
        if let Err(panic) = isolate::records(stage, files(&alone), || work(&alone)) {
            let file = &incident.origin.file;
            diags.push(isolate::internal_error(stage, file, panic.as_ref()));
            failed_incidents.push(id.clone());
        }
    }
    let mut failed_playbooks = Vec::new();
    for (kind, playbook) in &corpus.playbooks {
        let alone = model::Corpus {
            incidents: Default::default(),
            playbooks: [(kind.clone(), playbook.clone())].into(),
        };
        if let Err(panic) = isolate::records(stage, files(&alone), || work(&alone)) {
            let file = &playbook.origin.file;
            diags.push(isolate::internal_error(stage, file, panic.as_ref()));
            failed_playbooks.push(kind.clone());
        }
    }
    for id in failed_incidents {
        corpus.incidents.remove(&id);
    }
    for kind in failed_playbooks {
        corpus.playbooks.remove(&kind);
    }
    match isolate::records(stage, files(corpus), || work(corpus)) {
        Ok(done) => Some(done),
        Err(panic) => {
            diags.push(isolate::internal_error(stage, "<pm>", panic.as_ref()));
            None
        }
    }
}
