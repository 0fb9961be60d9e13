//! The preview's incremental build: the same site as a full build of the
//! same files, after a save re-reading, re-linting and re-rendering only the
//! records that changed.
//!
//! What is kept between builds, and what invalidates it
//! (docs/design-decisions.md, "Incremental `pm serve`"):
//!
//! - Every record file's pass, keyed by its path and its bytes: its text,
//!   what parsing, validating and its own lints found, and the valid record
//!   with its analysis. A file is read again only when its size, inode or
//!   times changed, and passed again only when its bytes did too. Bundles
//!   (a folder with attachments) are passed on every build, since their
//!   attachments are other files.
//! - Each published incident's own files (its page and prompt), with the
//!   findings they show: rendered again only when the record was passed
//!   again or its findings changed (a lint across records, such as
//!   `missing_playbooks`, moved to or from it).
//! - The slim rows of the incidents ([`slim`]) the files across records are
//!   rendered from, replaced only for the records passed again.
//! - The compiled templates, keyed by the repository's template files.
//!
//! `pm.toml`, the templates, the playbooks, git history and "today" (the
//! newest day the records mention, unless given) are what every file may
//! depend on: when any of them changes, everything kept is dropped and the
//! build is a full one. The files across records (lists, tracker, feeds,
//! search index, playbook pages, `incidents.json`) are rendered on every
//! build from the slim rows, as `pm build` renders them last, but in a
//! second stage ([`Cache::across`]): `pm serve` serves the changed
//! records' own pages as soon as the first stage ([`Cache::build_own`])
//! has them, and a request for a file across records waits for the
//! second.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use jiff::civil::Date;

use crate::analysis::{Analyses, Facts};
use crate::cli::SourceArgs;
use crate::diag::{self, Diagnostic, Diagnostics};
use crate::error::Result;
use crate::lint::{self, CliLevels, Levels};
use crate::markdown::{Depth, Markdown};
use crate::model::{self, Corpus, Playbook};
use crate::pipeline::Ui;
use crate::pipeline::lint::{LintEnv, LintPass, Record, ToLint};
use crate::pipeline::load::{Overrides, check_root, read_history};
use crate::pipeline::site::{EPOCH, Job, newest_day, produce, settings_with};
use crate::pipeline::stream::slim;
use crate::revisions::History;
use crate::{render, source};

/// A built site: every file by site path, and what the status line counts.
pub(super) struct Built {
    /// Every file of the site, by site path.
    pub(super) files: BTreeMap<String, Bytes>,
    /// Incidents on the site.
    pub(super) incidents: usize,
    /// Record files read, valid or not.
    pub(super) records: usize,
    /// Record files passed again in this build (for `pm serve -v`).
    pub(super) passed: usize,
    /// Whether an incident's own files were rendered again or dropped
    /// since the last build (always, on a full one).
    pub(super) own_changed: bool,
}

/// What the second stage of a build ([`Cache::across`]) renders with,
/// set by the first.
struct Stage {
    config: crate::config::Config,
    templates: Arc<render::Templates>,
}

/// What is kept between builds (see the module documentation).
pub(super) struct Cache {
    /// Keep drafts on the site.
    drafts: bool,
    /// `SOURCE_DATE_EPOCH`'s day, if set.
    given_today: Option<Date>,
    overrides: Overrides,
    markdown: Markdown,
    /// What the kept passes and files were made with.
    inputs: Option<Inputs>,
    /// The compiled templates, and the repository's template files they
    /// were compiled with.
    templates: Option<(Files, Arc<render::Templates>)>,
    /// Each record file's pass, by path.
    records: BTreeMap<String, Entry>,
    /// The slim rows of the published incidents, and the playbooks.
    site: Corpus,
    site_analyses: Analyses,
    /// Which entry (by [`Entry::version`]) each row of `site` came from.
    rows: BTreeMap<String, u64>,
    /// The version the next new entry gets.
    next_version: u64,
    /// How old a file's stamp must be to be trusted ([`RECENT`]).
    pub(super) recent: Duration,
    /// "Today" as the last build found it (see `pipeline::records_today`):
    /// the records are linted against it, and if it moved, again.
    today: Date,
    /// Set by [`Cache::build_own`] for [`Cache::across`].
    stage: Option<Stage>,
}

/// Files by name, with their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// What every file of the site may depend on beyond its own record.
struct Inputs {
    config: Option<Vec<u8>>,
    templates: Files,
    /// The playbook files and their bytes.
    playbooks: Files,
    /// A playbook is a bundle: its attachments are other files, so these
    /// inputs never match.
    opaque: bool,
    history: Option<History>,
    today: Date,
}

impl Inputs {
    fn same(&self, other: &Inputs) -> bool {
        let history = match (&self.history, &other.history) {
            (None, None) => true,
            (Some(a), Some(b)) => a.files == b.files && a.head == b.head && a.links == b.links,
            _ => false,
        };
        !self.opaque
            && !other.opaque
            && history
            && self.today == other.today
            && self.config == other.config
            && self.templates == other.templates
            && self.playbooks == other.playbooks
    }
}

/// What tells that a file may have changed without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Stamp {
    /// The stamp of the file at `path`, unless it changed within `recent`
    /// of now.
    fn of(path: &Path, recent: Duration) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let now = SystemTime::now();
        let old = |at: Option<SystemTime>| {
            at.and_then(|at| now.duration_since(at).ok())
                .is_some_and(|age| age >= recent)
        };
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt as _;
            let secs = u64::try_from(meta.ctime()).ok();
            let nanos = u32::try_from(meta.ctime_nsec()).ok();
            secs.zip(nanos)
                .map(|(s, n)| SystemTime::UNIX_EPOCH + Duration::new(s, n))
        };
        #[cfg(not(unix))]
        let changed = meta.modified().ok();
        if !old(meta.modified().ok()) || !old(changed) {
            return None;
        }
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt as _;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        })
    }
}

/// A file's pass, its record, and its stamp and whether it is a bundle.
type Passed = (LintPass, diag::Text, Option<Record>, (Option<Stamp>, bool));

/// A stamp this recent is not trusted: file times have a granularity
/// (a few milliseconds on Linux), so a file written twice within it can
/// keep its stamp. Such a file is read on every build until it is older,
/// and passed again only if its bytes changed.
pub(super) const RECENT: Duration = Duration::from_secs(2);

/// One record file after its pass.
struct Entry {
    /// Changes whenever the entry is made again.
    version: u64,
    /// The file's stamp when it was read; `None` when it is not to be
    /// trusted: a bundle, or a file changed too recently ([`RECENT`]).
    stamp: Option<Stamp>,
    /// A bundle: passed on every build, since its attachments are other
    /// files.
    bundle: bool,
    /// Its text, as read (the bytes, when they were UTF-8).
    text: diag::Text,
    /// What its pass found, and the record with its analysis when valid
    /// (the pass's index is dropped: [`lint::Index::new`] makes it again).
    pass: LintPass,
    record: Option<Record>,
    /// The newest day it mentions (see `pipeline::records_today`).
    newest: Option<Date>,
    /// Its own files, when it is a published incident.
    own: Option<Own>,
}

/// An incident's own files, and the findings they show.
struct Own {
    shown: Vec<Diagnostic>,
    files: Vec<(String, Bytes)>,
}

/// A record file as listed in this build: kept, or read to be passed.
enum Listed {
    Kept(source::Unread),
    Read(source::SourceFile, Option<Stamp>),
}

impl Cache {
    pub(super) fn new(drafts: bool, overrides: Overrides) -> Cache {
        Cache {
            drafts,
            given_today: None,
            overrides,
            markdown: Markdown::new(),
            inputs: None,
            templates: None,
            records: BTreeMap::new(),
            site: Corpus::default(),
            site_analyses: Analyses::default(),
            rows: BTreeMap::new(),
            next_version: 0,
            recent: RECENT,
            today: EPOCH,
            stage: None,
        }
    }

    /// Drops everything kept: the next build is a full one.
    fn forget(&mut self) {
        self.inputs = None;
        self.stage = None;
        self.records.clear();
        self.site = Corpus::default();
        self.site_analyses = Analyses::default();
        self.rows.clear();
    }

    /// The first stage of a build of the repository at `root` into memory,
    /// which with the second ([`Cache::across`]) gives the site a full
    /// build of the same files gives: the records read, passed and
    /// linted, the findings in `diags`, sorted, and of the site only the
    /// incidents' own files (their pages, prompts and attachments) and the
    /// templates' assets, which depend on no record. [`Cache::across`]
    /// renders the rest, with the same `diags`. `Ok(None)` when `pm.toml`
    /// is unusable. `given_today` is `SOURCE_DATE_EPOCH`'s day, if set.
    pub(super) fn build_own(
        &mut self,
        root: &Path,
        given_today: Option<Date>,
        ui: Ui,
        diags: &mut Diagnostics,
    ) -> Result<Option<Built>> {
        self.stage = None;
        if given_today != self.given_today {
            self.given_today = given_today;
            self.forget();
        }
        let built = self.build_once(root, ui, diags, true);
        if built.is_err() {
            // What failed may have been half done: start afresh next time.
            self.forget();
        }
        built
    }

    /// [`Cache::build_own`]; `again` when it may start over once, because
    /// "today" moved.
    fn build_once(
        &mut self,
        root: &Path,
        ui: Ui,
        diags: &mut Diagnostics,
        again: bool,
    ) -> Result<Option<Built>> {
        use rayon::prelude::*;
        check_root(root)?;
        let worktree = source::WorkTree::new(root);
        let listing = source::list_in(&worktree, diags)?;
        let config_bytes = listing.config.clone();
        let Some(config) = settings_with(config_bytes.as_deref(), &self.overrides, diags) else {
            diags.sort();
            return Ok(None);
        };
        let template_files: Vec<(String, Vec<u8>)> = (listing.templates.iter())
            .map(|t| (t.name.clone(), t.bytes.clone()))
            .collect();
        let paths: Vec<String> = listing.records.iter().map(|r| r.rel.clone()).collect();
        let source_args = SourceArgs {
            rev: None,
            require_history: false,
        };
        let all: BTreeSet<String> = paths.iter().cloned().collect();
        let repository = config.repository.as_deref();
        let (history, _) = read_history(root, &source_args, &all, repository, ui, false)?;

        // Read what may have changed: a file whose stamp is the one it had
        // when it was passed is not read again.
        let listed = self.list(listing.records, root, &worktree)?;
        let mut playbooks = Vec::new();
        let mut opaque = false;
        for item in &listed {
            let (rel, bytes, bundle) = match item {
                Listed::Kept(unread) if unread.kind == source::RecordKind::Playbook => {
                    match self.records.get(&unread.rel) {
                        Some(entry) => (&unread.rel, entry.text.as_bytes(), false),
                        None => continue,
                    }
                }
                Listed::Read(file, _) if file.kind == source::RecordKind::Playbook => {
                    (&file.rel, &file.bytes[..], file.attachments.is_some())
                }
                _ => continue,
            };
            playbooks.push((rel.clone(), bytes.to_vec()));
            opaque |= bundle;
        }
        let inputs = Inputs {
            config: config_bytes,
            templates: template_files,
            playbooks,
            opaque,
            history,
            today: self.given_today.unwrap_or(self.today),
        };
        if !(self.inputs.as_ref()).is_some_and(|kept| kept.same(&inputs)) {
            self.forget();
        }
        let templates = self.templates(&inputs.templates)?;

        // Forget the files that are gone; pass the ones that changed.
        let listed_paths: BTreeSet<&String> = paths.iter().collect();
        let mut dropped_own = false;
        self.records.retain(|rel, entry| {
            let keep = listed_paths.contains(rel);
            dropped_own |= !keep && entry.own.is_some();
            keep
        });
        let unread: Vec<source::Unread> = (listed.iter())
            .filter_map(|item| match item {
                Listed::Kept(unread) if !self.records.contains_key(&unread.rel) => {
                    Some(unread.clone())
                }
                _ => None,
            })
            .collect();
        let mut to_pass: Vec<(source::SourceFile, Option<Stamp>)> = Vec::new();
        // `unread` holds no kept record, so `list` reads each of them.
        for item in listed
            .into_iter()
            .chain(self.list(unread, root, &worktree)?)
        {
            let Listed::Read(file, stamp) = item else {
                continue;
            };
            let entry = self.records.get_mut(&file.rel);
            match entry {
                Some(entry)
                    if !entry.bundle
                        && file.attachments.is_none()
                        && *entry.text.as_bytes() == file.bytes[..] =>
                {
                    entry.stamp = stamp;
                }
                _ => to_pass.push((file, stamp)),
            }
        }
        let passed = to_pass.len();
        let mut inputs = inputs;
        if self.records.is_empty() && self.given_today.is_none() {
            // A full build finds "today" first, as `pm build` does.
            inputs.today = newest_of(&to_pass, &paths, &config);
        }
        let levels = Levels::resolve(&config, &CliLevels::default(), diags);
        self.pass(to_pass, &config, &levels, inputs.today, &worktree)?;
        let today = match self.given_today {
            Some(today) => today,
            None => self.records_today(&paths),
        };
        self.today = today;
        if today != inputs.today && again {
            // "Today" moved: every record is linted and rendered against
            // the new one, from the start.
            self.forget();
            *diags = Diagnostics::new();
            return self.build_once(root, ui, diags, false);
        }
        let history = inputs.history.as_ref();

        // Settle in path order, as a full build does: the first record of
        // each id is admitted, the lints across records run on the index.
        let mut ids = model::Ids::default();
        let mut index = lint::Index::default();
        let mut published: Vec<&str> = Vec::new();
        for rel in &paths {
            let Some(entry) = self.records.get(rel) else {
                continue;
            };
            diags.extend(entry.pass.found.iter().cloned());
            let (Some(linted), Some(record)) = (&entry.pass.linted, &entry.record) else {
                continue;
            };
            if ids.admit(linted.id.clone(), diags) {
                index.merge(lint::Index::new(&record.corpus, &record.analyses));
                diags.extend(linted.findings.iter().cloned());
                let on_site = (record.corpus.incidents.values()).any(|i| self.drafts || !i.draft);
                if on_site || !record.corpus.playbooks.is_empty() {
                    published.push(rel);
                }
            }
        }
        let env = LintEnv {
            config: &config,
            levels: &levels,
            markdown: &self.markdown,
            today,
            worktree: &worktree,
        };
        diags.extend(env.lint_across(&index, history));
        diags.sort();
        let with_findings: BTreeSet<String> =
            diags.items().iter().map(|d| d.file.clone()).collect();
        for entry in self.records.values() {
            if with_findings.contains(entry.pass.file.as_str()) {
                (diags.sources).insert(entry.pass.file.clone(), Arc::clone(&entry.text));
            }
            for (path, text) in &entry.pass.sources {
                diags.sources.insert(path.clone(), Arc::clone(text));
            }
        }
        let published: BTreeSet<String> = published.into_iter().map(str::to_owned).collect();
        self.update_rows(&published);

        // The incidents' own files: kept unless the record was passed again
        // or the findings its page shows changed.
        let facts = Facts {
            corpus: &self.site,
            analyses: &self.site_analyses,
            config: &config,
            markdown: &self.markdown,
            history,
            today,
        };
        let panics = Mutex::new(Vec::new());
        let playbooks = &self.site.playbooks;
        let mut stale: Vec<(&mut Entry, Vec<Diagnostic>)> = Vec::new();
        let mut own_changed = dropped_own;
        for (rel, entry) in &mut self.records {
            let incident = (entry.record.as_ref()).is_some_and(|r| !r.corpus.incidents.is_empty());
            if !incident || !published.contains(rel) {
                own_changed |= entry.own.take().is_some();
                continue;
            }
            let shown: Vec<Diagnostic> = diags.of_file(rel).cloned().collect();
            if entry.own.as_ref().is_none_or(|own| own.shown != shown) {
                stale.push((entry, shown));
            }
        }
        own_changed |= !stale.is_empty();
        let rendered: Vec<Result<()>> = (stale.into_par_iter())
            .map(|(entry, shown)| {
                let files = render_own(entry, &shown, playbooks, facts, &templates, &panics)?;
                entry.own = Some(Own { shown, files });
                Ok(())
            })
            .collect();
        rendered.into_iter().collect::<Result<()>>()?;

        // The templates' assets depend on no record.
        let mut files: BTreeMap<String, Bytes> = (templates.assets().iter())
            .map(|(name, bytes)| (name.clone(), Bytes::from(bytes.clone())))
            .collect();
        for entry in self.records.values() {
            for (path, bytes) in entry.own.iter().flat_map(|own| own.files.iter()) {
                files.insert(path.clone(), bytes.clone());
            }
        }
        let incidents = self.site.incidents.len();
        self.inputs = Some(inputs);
        self.stage = Some(Stage { config, templates });
        Ok(Some(Built {
            files,
            incidents,
            records: paths.len(),
            passed,
            own_changed,
        }))
    }

    /// The second stage of a build: the files across records (lists,
    /// tracker, feeds, search index, playbook pages, `incidents.json`, the
    /// 404 page), rendered from the slim rows with the findings of the
    /// first stage, `diags`. The files at the paths of `first` are
    /// rendered first and handed to `early` (so `pm serve` can serve the
    /// page being looked at before the rest is done): the pages of lists
    /// among them, made from the sorted lists alone, before the others,
    /// which wait for the search index (`early` is called once or twice,
    /// each time with every file rendered so far). Nothing when the
    /// first stage did not build a site. `Ok(None)` when `cancel` said to
    /// stop (checked before each file): what is kept stays, and the next
    /// build renders these files again.
    pub(super) fn across(
        &mut self,
        diags: &Diagnostics,
        first: &BTreeSet<String>,
        cancel: &(dyn Fn() -> bool + Sync),
        early: impl FnMut(&BTreeMap<String, Bytes>),
    ) -> Result<Option<BTreeMap<String, Bytes>>> {
        let files = self.render_across(diags, first, cancel, early);
        if files.is_err() {
            self.forget();
        }
        files
    }

    fn render_across(
        &mut self,
        diags: &Diagnostics,
        first: &BTreeSet<String>,
        cancel: &(dyn Fn() -> bool + Sync),
        mut early: impl FnMut(&BTreeMap<String, Bytes>),
    ) -> Result<Option<BTreeMap<String, Bytes>>> {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicBool, Ordering};
        let Some(stage) = self.stage.take() else {
            return Ok(Some(BTreeMap::new()));
        };
        let renderer = render::Renderer {
            cx: render::view::ViewCx {
                facts: Facts {
                    corpus: &self.site,
                    analyses: &self.site_analyses,
                    config: &stage.config,
                    markdown: &self.markdown,
                    history: self.inputs.as_ref().and_then(|i| i.history.as_ref()),
                    today: self.today,
                },
                diagnostics: diags,
                lessons: Default::default(),
            },
            templates: &stage.templates,
        };
        let panics = Mutex::new(Vec::new());
        // The pages of the lists served last, from the sorted order and the
        // groups alone, before the search index and the rest are made.
        let lists = Arc::new(render::Lists::new(&renderer.cx));
        let from_lists = |what| {
            render::Page::FromLists(render::ListsJob {
                what,
                lists: Arc::clone(&lists),
            })
        };
        let quick: Vec<(String, render::Page)> = (lists.paged().into_iter())
            .filter(|(path, _)| first.contains(path))
            .map(|(path, what)| (path, from_lists(what)))
            .collect();
        let cancelled = AtomicBool::new(false);
        let render = |pages: Vec<(String, render::Page)>| -> Result<BTreeMap<String, Bytes>> {
            let files: Vec<Result<Option<(String, Bytes)>>> = (pages.into_par_iter())
                .map(|(path, page)| {
                    if cancelled.load(Ordering::Relaxed) || cancel() {
                        cancelled.store(true, Ordering::Relaxed);
                        return Ok(None);
                    }
                    let job = Job::Page(page);
                    let bytes = produce(&renderer, &path, &job, &panics)?.into_bytes()?;
                    Ok(Some((path, Bytes::from(bytes))))
                })
                .collect();
            let files: Vec<Option<(String, Bytes)>> = files.into_iter().collect::<Result<_>>()?;
            Ok(files.into_iter().flatten().collect())
        };
        let mut files = render(quick)?;
        if cancelled.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if !files.is_empty() {
            early(&files);
        }
        // The other files across records, from the same lists: those
        // served last first.
        let (soon, later): (Vec<_>, Vec<_>) = (renderer.pages_across_with(&lists).into_iter())
            .filter(|(path, page)| {
                !matches!(page, render::Page::Asset(_)) && !files.contains_key(path)
            })
            .partition(|(path, _)| first.contains(path));
        let soon = render(soon)?;
        if cancelled.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if !soon.is_empty() {
            files.extend(soon);
            early(&files);
        }
        files.extend(render(later)?);
        if cancelled.load(Ordering::Relaxed) {
            return Ok(None);
        }
        Ok(Some(files))
    }

    /// Passes `files` (read, lint, keep), in parallel, into the entries.
    fn pass(
        &mut self,
        files: Vec<(source::SourceFile, Option<Stamp>)>,
        config: &crate::config::Config,
        levels: &Levels,
        today: Date,
        worktree: &source::WorkTree<'_>,
    ) -> Result<()> {
        use rayon::prelude::*;
        let env = LintEnv {
            config,
            levels,
            markdown: &self.markdown,
            today,
            worktree,
        };
        let done: Vec<Result<Passed>> = (files.into_par_iter())
            .map(|(file, stamp)| {
                let bundle = file.attachments.is_some();
                let (mut pass, text, record) = env.lint_one(ToLint::Read(file), Depth::Page)?;
                if let Some(linted) = &mut pass.linted {
                    linted.index = lint::Index::default();
                }
                Ok((pass, text, record, (stamp, bundle)))
            })
            .collect();
        for one in done {
            let (pass, text, record, (stamp, bundle)) = one?;
            let newest = (record.iter())
                .flat_map(|r| r.corpus.incidents.values())
                .find_map(newest_day);
            self.next_version += 1;
            let entry = Entry {
                version: self.next_version,
                stamp,
                bundle,
                text,
                pass,
                record,
                newest,
                own: None,
            };
            self.records.insert(entry.pass.file.clone(), entry);
        }
        Ok(())
    }

    /// Each listed record file, kept when its stamp is the one it had
    /// when it was passed, else read.
    fn list(
        &self,
        records: Vec<source::Unread>,
        root: &Path,
        worktree: &source::WorkTree<'_>,
    ) -> Result<Vec<Listed>> {
        use rayon::prelude::*;
        let listed: Vec<Result<Listed>> = (records.into_par_iter())
            .map(|unread| {
                let stamp = Stamp::of(&root.join(&unread.rel), self.recent);
                let kept = self.records.get(&unread.rel);
                if kept.is_some_and(|e| e.stamp.is_some() && e.stamp == stamp) {
                    return Ok(Listed::Kept(unread));
                }
                read(unread, stamp, worktree)
            })
            .collect();
        listed.into_iter().collect()
    }

    /// The compiled templates with the repository's `files`: compiled
    /// again only when those changed.
    fn templates(&mut self, files: &[(String, Vec<u8>)]) -> Result<Arc<render::Templates>> {
        if let Some((kept, compiled)) = &self.templates
            && kept == files
        {
            return Ok(Arc::clone(compiled));
        }
        let overrides: Vec<render::Override> = (files.iter())
            .map(|(name, bytes)| render::Override {
                name: name.clone(),
                bytes: bytes.clone(),
            })
            .collect();
        let compiled = Arc::new(render::Templates::load(&overrides)?);
        self.templates = Some((files.to_vec(), Arc::clone(&compiled)));
        Ok(compiled)
    }

    /// The newest day the first record of each incident id mentions, as
    /// `pipeline::records_today` reads it from the whole corpus.
    fn records_today(&self, paths: &[String]) -> Date {
        let mut ids = BTreeSet::new();
        let mut newest = None;
        for entry in paths.iter().filter_map(|rel| self.records.get(rel)) {
            let Some(record) = &entry.record else {
                continue;
            };
            for id in record.corpus.incidents.keys() {
                if ids.insert(id.as_str()) {
                    newest = newest.max(entry.newest);
                }
            }
        }
        newest.unwrap_or(EPOCH)
    }

    /// Makes the slim rows those of the incidents of `published`, and the
    /// playbooks those of its playbook files, replacing an incident's row
    /// only when its entry was made again.
    fn update_rows(&mut self, published: &BTreeSet<String>) {
        let mut wanted: BTreeMap<String, (&str, u64)> = BTreeMap::new();
        let mut playbooks = BTreeMap::new();
        let mut bodies = BTreeMap::new();
        for rel in published {
            let Some(entry) = self.records.get(rel) else {
                continue;
            };
            let Some(record) = &entry.record else {
                continue;
            };
            for id in record.corpus.incidents.keys() {
                wanted.insert(id.clone(), (rel.as_str(), entry.version));
            }
            for (kind, playbook) in &record.corpus.playbooks {
                playbooks.insert(kind.clone(), playbook.clone());
            }
            for (kind, body) in &record.analyses.playbook_bodies {
                bodies.insert(kind.clone(), body.clone());
            }
        }
        self.site.playbooks = playbooks;
        self.site_analyses.playbook_bodies = bodies;
        let gone: Vec<String> = (self.rows.iter())
            .filter(|(id, version)| wanted.get(*id).is_none_or(|(_, v)| v != *version))
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.rows.remove(&id);
            self.site.incidents.remove(&id);
            self.site_analyses.incidents.remove(&id);
        }
        for (id, (rel, version)) in wanted {
            if self.rows.contains_key(&id) {
                continue;
            }
            let Some(record) = self.records.get(rel).and_then(|e| e.record.as_ref()) else {
                continue;
            };
            let (Some(incident), Some(analysis)) = (
                record.corpus.incidents.get(&id),
                record.analyses.incidents.get(&id),
            ) else {
                continue;
            };
            let (incident, analysis) = slim(incident.clone(), analysis.clone());
            self.site.incidents.insert(id.clone(), incident);
            self.site_analyses.incidents.insert(id.clone(), analysis);
            self.rows.insert(id, version);
        }
    }
}

/// "Today" for a full build: the newest day the first file of each
/// incident id among `files` mentions (see `pipeline::records_today`),
/// read before they are passed.
fn newest_of(
    files: &[(source::SourceFile, Option<Stamp>)],
    paths: &[String],
    config: &crate::config::Config,
) -> Date {
    use rayon::prelude::*;
    let order: BTreeMap<&str, usize> = (paths.iter().enumerate())
        .map(|(n, rel)| (rel.as_str(), n))
        .collect();
    let mut days: Vec<(usize, String, Option<Date>)> = (files.par_iter())
        .filter(|(file, _)| file.kind == source::RecordKind::Incident)
        .filter_map(|(file, _)| {
            let read = model::read_one(file.clone(), config);
            match read.record? {
                model::Validated::Incident(i) => {
                    let at = order.get(file.rel.as_str()).copied().unwrap_or(usize::MAX);
                    Some((at, i.id.clone(), newest_day(&i)))
                }
                model::Validated::Playbook(_) => None,
            }
        })
        .collect();
    days.sort_by_key(|(at, _, _)| *at);
    let mut ids = BTreeSet::new();
    let mut newest = None;
    for (_, id, day) in days {
        if ids.insert(id) {
            newest = newest.max(day);
        }
    }
    newest.unwrap_or(EPOCH)
}

/// Reads one record file, whose stamp (taken before reading, so a save
/// during the read is seen on the next build) was `stamp`. A bundle gets
/// none: its attachments are other files.
fn read(
    unread: source::Unread,
    stamp: Option<Stamp>,
    worktree: &source::WorkTree<'_>,
) -> Result<Listed> {
    let file = unread.read(worktree)?;
    let stamp = stamp.filter(|_| file.attachments.is_none());
    Ok(Listed::Read(file, stamp))
}

/// Renders an incident's own files (its page, its prompt, its
/// attachments) as `pm build` does: the incident alone with the playbook of
/// its type, and `shown`, its findings.
fn render_own(
    entry: &mut Entry,
    shown: &[Diagnostic],
    playbooks: &BTreeMap<String, Playbook>,
    facts: Facts<'_>,
    templates: &render::Templates,
    panics: &Mutex<Vec<Diagnostic>>,
) -> Result<Vec<(String, Bytes)>> {
    let Some(record) = &mut entry.record else {
        return Ok(Vec::new());
    };
    let mut own = Diagnostics::new();
    own.sources
        .insert(entry.pass.file.clone(), Arc::clone(&entry.text));
    for (path, text) in &entry.pass.sources {
        own.sources.insert(path.clone(), Arc::clone(text));
    }
    own.extend(shown.iter().cloned());
    own.sort();
    let mut jobs: Vec<(String, Job)> = Vec::new();
    let mut kinds = Vec::new();
    for (id, incident) in &record.corpus.incidents {
        jobs.extend(
            render::Renderer::incident_pages(id, &facts.config.leave_out)
                .into_iter()
                .map(|(path, page)| (path, Job::Page(page))),
        );
        for a in &incident.attachments {
            jobs.push((
                render::urls::attachment(id, &a.name),
                Job::Copy(a.content.clone()),
            ));
        }
        kinds.push(incident.kind.value.clone());
    }
    for kind in &kinds {
        if let Some(playbook) = playbooks.get(kind) {
            (record.corpus.playbooks).insert(kind.clone(), playbook.clone());
        }
    }
    let renderer = render::Renderer {
        cx: render::view::ViewCx {
            facts: Facts {
                corpus: &record.corpus,
                analyses: &record.analyses,
                ..facts
            },
            diagnostics: &own,
            lessons: Default::default(),
        },
        templates,
    };
    let files: Result<Vec<(String, Bytes)>> = (jobs.iter())
        .map(|(path, job)| {
            let bytes = produce(&renderer, path, job, panics)?.into_bytes()?;
            Ok((path.clone(), Bytes::from(bytes)))
        })
        .collect();
    record.corpus.playbooks.clear();
    files
}
