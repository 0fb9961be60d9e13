//! `pm build`'s site job, streamed. The records go through the pipeline
//! one by one, in parallel, and each incident's own files (its page, its
//! prompt, its attachments) are rendered and written into the staging
//! folder as soon as the incident is linted; then its text, its rendered
//! body and everything else only its page needed are let go. What the
//! files across records need (the lists, the tracker, the feeds, the
//! search index, the playbook pages, `incidents.json`) is kept as a slim
//! incident and analysis ([`slim`]), and those files are written last. The
//! site is published whole or not at all: an error in any record, found at
//! any point, drops the staging folder and the previous site stays.
//!
//! An incident page shows its record's findings, which are all its own but
//! one: `missing_playbooks` reports a type with no playbook on its newest
//! incident, which only the whole repository tells. So the newest incident
//! so far of each such type is held back, record and all, and rendered
//! once the lints across records have run: one record per type waits.
//!
//! `pm serve` keeps the whole site in memory anyway and renders it from
//! the whole corpus (`site`); both give the same bytes (a test compares
//! them).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::analysis::{self, Analyses, Analysis};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::lint::{self, CliLevels, Levels};
use crate::markdown::{Depth, Markdown};
use crate::model::{self, Incident, Playbook};
use crate::output::{OutputLock, Staging};
use crate::revisions::History;
use crate::{render, source};

use super::lint::{Keep, LintEnv, LintPass, Record, ToLint, shared_ids};
use super::load::{check_root, read_history, settings};
use super::site::{Job, SiteOptions, write_file};
pub(crate) use super::slim::slim;
use super::slim::{Checklists, compact};

/// How many incidents go through the pass at a time: enough to keep every
/// thread busy, few enough that their passes take little memory.
const CHUNK: usize = 256;
use super::today::{EPOCH, newest_day};
use super::ui::Ui;

/// What a streamed build did.
pub(crate) struct Built {
    /// How many record files were read, valid or not.
    pub(crate) files: usize,
    /// How many incidents the site has.
    pub(crate) incidents: usize,
    /// No git history could be read (pm warned about it).
    pub(crate) history_missing: bool,
    /// The files of the drafts left off the site (none with `--drafts`),
    /// in the order of their ids.
    pub(crate) drafts_left_out: Vec<String>,
    /// Whether the site was published.
    pub(crate) outcome: Outcome,
}

/// How a streamed build ended, once its findings were known. Only the first
/// that applies is told, as when nothing was written before every record
/// was linted: findings, then pages that panicked, then other failures.
pub(crate) enum Outcome {
    /// An error-level finding stands: nothing was published.
    Findings,
    /// Pages panicked while they were rendered; these `internal_error`s
    /// name them. Nothing was published.
    Panicked(Vec<Diagnostic>),
    /// The site could not be made (a template that does not compile, an
    /// output folder pm may not replace, a full disk): nothing was published.
    Failed(Error),
    /// The site is in place, with this many files.
    Published(usize),
}

/// Runs `pm build`'s whole pipeline over the repository at `root` and
/// writes its site into the folder `lock` holds, refusing a folder pm did
/// not write unless `force` (see the module documentation). Findings land
/// in `diags`, sorted. `Ok(None)` when `pm.toml` is unusable. `progress`
/// is told how many files are written so far.
pub(crate) fn build_site(
    root: &Path,
    opts: &SiteOptions<'_>,
    ui: Ui,
    (lock, force): (&OutputLock, bool),
    diags: &mut Diagnostics,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Option<Built>> {
    use rayon::prelude::*;
    check_root(root)?;
    let worktree = source::WorkTree::new(root);
    let rev = (opts.source.rev.as_deref())
        .map(|rev| source::git::RevTree::open(root, rev))
        .transpose()?;
    let listing = match &rev {
        Some(tree) => source::list_in(tree, diags)?,
        None => source::list_in(&worktree, diags)?,
    };
    let Some(mut config) = settings(listing.config.as_deref(), diags) else {
        diags.sort();
        return Ok(None);
    };
    opts.overrides.apply(&mut config);
    let config = config;
    let files: Vec<String> = listing.records.iter().map(|r| r.rel.clone()).collect();
    let shared = shared_ids(&listing.records);
    let overrides: Vec<render::Override> = (listing.templates.iter())
        .map(|t| render::Override {
            name: t.name.clone(),
            bytes: t.bytes.clone(),
        })
        .collect();
    let all: BTreeSet<String> = files.iter().cloned().collect();
    let repository = config.repository.as_deref();
    let (history, _) = read_history(root, opts.source, &all, repository, ui, false)?;
    // A commit's records are read first, since git reads on one thread; the
    // working tree's are read in the pass, each when its turn comes.
    let records: Vec<ToLint> = match &rev {
        Some(tree) => (listing.read(tree)?.records.into_iter())
            .map(ToLint::Read)
            .collect(),
        None => listing.records.into_iter().map(ToLint::Unread).collect(),
    };
    let today = match opts.today {
        Some(today) => today,
        None => records_today(&records, &config, &worktree)?,
    };
    let markdown = Markdown::new();
    let env = LintEnv {
        config: &config,
        levels: &Levels::resolve(&config, &CliLevels::default(), diags),
        markdown: &markdown,
        today,
        worktree: &worktree,
    };
    let (playbook_files, incident_files): (Vec<ToLint>, Vec<ToLint>) = records
        .into_iter()
        .partition(|r| r.kind() == source::RecordKind::Playbook);

    // Playbooks first: incident pages link to them and their prompts quote
    // them, and which types have one says which incidents are held back.
    let playbooks: Vec<Result<(LintPass, Option<Record>)>> = playbook_files
        .into_par_iter()
        .map(|record| {
            let (mut pass, text, record) = env.lint_one(record, Depth::Page)?;
            pass.keep_text(&text, Keep::Whole);
            Ok((pass, record))
        })
        .collect();
    let mut corpus = model::Corpus::default();
    let mut analyses = Analyses::default();
    let mut settled = Settled::default();
    for done in playbooks {
        let (pass, record) = done?;
        if settled.admit(pass, diags)
            && let Some(mut record) = record
        {
            corpus.playbooks.append(&mut record.corpus.playbooks);
            (analyses.playbook_bodies).append(&mut record.analyses.playbook_bodies);
        }
    }

    // The templates, then the staging folder. What fails here is told only
    // if the records are clean, so the pass still lints every record.
    let mut failed = None;
    let templates = (render::Templates::load(&overrides))
        .map_err(|e| failed = Some(e))
        .ok();
    let staging = templates.as_ref().and_then(|_| {
        Staging::begin(lock, force)
            .map_err(|e| failed = Some(e))
            .ok()
    });
    let pass = Pass {
        env: &env,
        history: history.as_ref(),
        playbooks: &corpus.playbooks,
        shared: &shared,
        drafts: opts.drafts,
        sink: templates.as_ref().zip(staging.as_ref()),
        stop: AtomicBool::new(staging.is_none()),
        held: Mutex::new(BTreeMap::new()),
        late: Mutex::new(Vec::new()),
        panics: Mutex::new(Vec::new()),
        failed: Mutex::new(failed),
        progress,
    };
    // In chunks, each settled in path order while the next is linted and
    // written, so the passes of all records never wait in memory together
    // and no thread waits for the settling.
    let mut incident_files = incident_files;
    let mut drafts_left_out = Vec::new();
    // Kept in lists, then made into the maps at once: maps filled in
    // ascending order leave their nodes about half empty, and a node holds
    // its incidents and analyses themselves (about 1.5 KB each).
    let mut kept_incidents = Vec::with_capacity(incident_files.len());
    let mut kept_analyses = Vec::with_capacity(incident_files.len());
    let mut checklists = Checklists::default();
    let mut keep = |(incident, analysis): (Incident, Analysis)| {
        if incident.draft && !opts.drafts {
            drafts_left_out.push((incident.id.clone(), incident.origin.file.clone()));
        } else {
            let (incident, analysis) = compact(&incident, &analysis, &mut checklists);
            kept_analyses.push((incident.id.clone(), analysis));
            kept_incidents.push((incident.id.clone(), incident));
        }
    };
    let mut site = Vec::new();
    let mut done: Vec<Result<Done>> = Vec::new();
    loop {
        let chunk: Vec<ToLint> =
            (incident_files.drain(..CHUNK.min(incident_files.len()))).collect();
        let last = chunk.is_empty();
        let (settling, next) = rayon::join(
            || -> Result<()> {
                for done in std::mem::take(&mut done) {
                    let Done { pass: record, kept } = done?;
                    if settled.admit(record, diags) {
                        site.extend(kept);
                    }
                }
                site.drain(..).for_each(&mut keep);
                Ok(())
            },
            || {
                (chunk.into_par_iter())
                    .map(|record| pass.incident(record))
                    .collect()
            },
        );
        settling?;
        if last {
            break;
        }
        done = next;
    }
    // The lints across records, on the index of every record; then the
    // pages that waited for them.
    let across = env.lint_across(&settled.index, history.as_ref());
    let held = std::mem::take(&mut *pass.held.lock().unwrap_or_else(|e| e.into_inner()));
    for record in held.into_values() {
        let mut own = record.own;
        let file = record.incident.origin.file.clone();
        own.extend(across.iter().filter(|d| d.file == file).cloned());
        own.sort();
        site.extend(pass.publish(record.incident, record.analysis, &own));
    }
    site.append(&mut pass.late.lock().unwrap_or_else(|e| e.into_inner()));
    site.into_iter().for_each(&mut keep);
    corpus.incidents = kept_incidents.into_iter().collect();
    analyses.incidents = kept_analyses.into_iter().collect();
    diags.extend(across);
    diags.sort();
    let Pass { panics, failed, .. } = pass;
    let panics = panics.into_inner().unwrap_or_default();
    let failed = failed.into_inner().unwrap_or_default();
    drafts_left_out.sort();
    let outcome = if diags.has_errors() {
        Outcome::Findings
    } else if !panics.is_empty() {
        Outcome::Panicked(panics)
    } else if let Some(e) = failed {
        Outcome::Failed(e)
    } else if let (Some(templates), Some(staging)) = (templates.as_ref(), staging) {
        let none = Analyses::default();
        let facts = analysis::Facts {
            corpus: &corpus,
            analyses: &none,
            config: &config,
            markdown: &markdown,
            history: history.as_ref(),
            today,
        };
        write_across((facts, &mut analyses), diags, templates, staging, progress)
    } else {
        // Unreachable: without templates or staging, `failed` says why.
        Outcome::Failed(Error::Usage("the site could not be written".to_owned()))
    };
    Ok(Some(Built {
        files: files.len(),
        incidents: corpus.incidents.len(),
        history_missing: history.is_none(),
        drafts_left_out: drafts_left_out.into_iter().map(|(_, f)| f).collect(),
        outcome,
    }))
}

/// The records settled so far, in path order: the first record of each id
/// is admitted (a later one is reported as a duplicate), and its findings,
/// the texts they point into and its entry in the index are kept.
#[derive(Default)]
struct Settled {
    ids: model::Ids,
    index: lint::Index,
}

impl Settled {
    /// Settles one record's pass; whether the record was admitted.
    fn admit(&mut self, pass: LintPass, diags: &mut Diagnostics) -> bool {
        if let Some(text) = pass.text {
            diags.sources.insert(pass.file, text);
        }
        for (path, text) in pass.sources {
            diags.sources.insert(path, text);
        }
        diags.extend(pass.found);
        let Some(linted) = pass.linted else {
            return false;
        };
        let admitted = self.ids.admit(linted.id, diags);
        if admitted {
            self.index.merge(linted.index);
            diags.extend(linted.findings);
        }
        admitted
    }
}

/// What the pass over the incidents shares.
struct Pass<'a> {
    env: &'a LintEnv<'a>,
    history: Option<&'a History>,
    /// The valid playbooks, by type.
    playbooks: &'a BTreeMap<String, Playbook>,
    /// The ids more than one file has: a duplicate id fails the build.
    shared: &'a BTreeSet<String>,
    drafts: bool,
    /// The compiled templates and the staging folder, when both could be made.
    sink: Option<(&'a render::Templates, &'a Staging<'a>)>,
    /// Set once the site cannot be published (an error-level finding, a
    /// file that could not be written): no more pages are rendered.
    stop: AtomicBool,
    /// The newest incident so far of each type with no playbook, waiting.
    held: Mutex<BTreeMap<String, Held>>,
    /// Incidents that waited and were then rendered in the pass.
    late: Mutex<Vec<(Incident, Analysis)>>,
    /// `internal_error`s of pages that panicked.
    panics: Mutex<Vec<Diagnostic>>,
    /// The first failure to make the site.
    failed: Mutex<Option<Error>>,
    progress: &'a (dyn Fn(usize) + Sync),
}

/// One incident after the pass: what its lint found, and the slim incident
/// for the files across records (none when it is invalid or waits).
struct Done {
    pass: LintPass,
    kept: Option<(Incident, Analysis)>,
}

/// An incident whose page waits for the lints across records.
struct Held {
    incident: Incident,
    analysis: Analysis,
    /// Its own findings, with its text.
    own: Diagnostics,
}

impl Held {
    /// The order `missing_playbooks` picks a type's newest incident by.
    fn newness(&self) -> (Option<Timestamp>, &str) {
        (self.analysis.start, self.incident.id.as_str())
    }
}

impl Pass<'_> {
    /// Reads, validates, analyses and lints one incident, writes its own
    /// files unless it waits, and keeps its slim form.
    fn incident(&self, record: ToLint) -> Result<Done> {
        let (mut pass, text, record) = self.env.lint_one(record, Depth::Page)?;
        let findings = pass.linted.iter().flat_map(|l| l.findings.iter());
        if (pass.found.iter().chain(findings)).any(|d| d.level == Level::Error) {
            self.stop.store(true, Ordering::Relaxed);
        }
        let valid = record.and_then(|Record { corpus, analyses }| {
            let incident = corpus.incidents.into_values().next()?;
            let analysis = analyses.incidents.into_values().next().unwrap_or_default();
            Some((incident, analysis))
        });
        let duplicate = self.shared.contains(&pass.stem);
        let Some((incident, analysis)) = valid else {
            let keep = if duplicate || pass.has_findings() {
                Keep::Whole
            } else {
                Keep::Nothing
            };
            pass.keep_text(&text, keep);
            return Ok(Done { pass, kept: None });
        };
        let own = pass.own_findings(&text);
        if duplicate {
            // A duplicate id fails the build: no page, no site.
            pass.keep_text(&text, Keep::Whole);
            return Ok(Done { pass, kept: None });
        }
        if !self.playbooks.contains_key(&incident.kind.value) {
            // It may be its type's newest: its text is kept whole for the
            // snippet of a finding that may point into it, as `pm lint` does.
            pass.keep_text(&text, Keep::Whole);
            self.hold(Held {
                incident,
                analysis,
                own,
            });
            return Ok(Done { pass, kept: None });
        }
        let keep = if pass.has_findings() {
            Keep::Lines
        } else {
            Keep::Nothing
        };
        pass.keep_text(&text, keep);
        let kept = self.publish(incident, analysis, &own);
        Ok(Done { pass, kept })
    }

    /// Holds `candidate` back if it is the newest of its type so far, and
    /// publishes the one of the two that is not.
    fn hold(&self, candidate: Held) {
        let kind = candidate.incident.kind.value.clone();
        let done = {
            let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
            match held.get_mut(&kind) {
                None => {
                    held.insert(kind, candidate);
                    None
                }
                Some(newest) => {
                    if candidate.newness() > newest.newness() {
                        Some(std::mem::replace(newest, candidate))
                    } else {
                        Some(candidate)
                    }
                }
            }
        };
        if let Some(done) = done {
            let kept = self.publish(done.incident, done.analysis, &done.own);
            self.late
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(kept);
        }
    }

    /// Renders and writes an incident's own files (unless the site cannot
    /// be published, or it is a draft left out), with `own`, its findings;
    /// then returns its slim form.
    fn publish(
        &self,
        incident: Incident,
        analysis: Analysis,
        own: &Diagnostics,
    ) -> Option<(Incident, Analysis)> {
        let Some((templates, staging)) = self.sink else {
            return Some(slim(incident, analysis));
        };
        if self.stop.load(Ordering::Relaxed) || (incident.draft && !self.drafts) {
            return Some(slim(incident, analysis));
        }
        let id = incident.id.clone();
        let leave_out = &self.env.config.leave_out;
        let mut jobs: Vec<(String, Job)> = render::Renderer::incident_pages(&id, leave_out)
            .into_iter()
            .map(|(path, page)| (path, Job::Page(page)))
            .collect();
        for a in &incident.attachments {
            let path = render::urls::attachment(&id, &a.name);
            jobs.push((path, Job::Copy(a.content.clone())));
        }
        // The incident alone, with the playbook of its type (its page links
        // to it and its prompt quotes it).
        let mut corpus = model::Corpus::default();
        if let Some(playbook) = self.playbooks.get(&incident.kind.value) {
            (corpus.playbooks).insert(playbook.kind.clone(), playbook.clone());
        }
        corpus.incidents.insert(id.clone(), incident);
        let mut analyses = Analyses::default();
        analyses.incidents.insert(id.clone(), analysis);
        let renderer = render::Renderer {
            cx: render::view::ViewCx {
                facts: analysis::Facts {
                    corpus: &corpus,
                    analyses: &analyses,
                    config: self.env.config,
                    markdown: self.env.markdown,
                    history: self.history,
                    today: self.env.today,
                },
                diagnostics: own,
                lessons: Default::default(),
            },
            templates,
        };
        for (path, job) in &jobs {
            match write_file(&renderer, staging, (path, job), &self.panics) {
                Ok(()) => (self.progress)(staging.written()),
                Err(e) => {
                    self.stop.store(true, Ordering::Relaxed);
                    let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                    failed.get_or_insert(e);
                    break;
                }
            }
        }
        let analysis = analyses.incidents.remove(&id).unwrap_or_default();
        (corpus.incidents.remove(&id)).map(|incident| slim(incident, analysis))
    }
}

/// Writes the files across records (every list, the playbook pages, the
/// feeds, the search indexes, the assets), then publishes the site. The
/// facts are `facts` with `analyses`, afresh for each group of files: once
/// the search index is written, what only it read of each incident (the
/// body's excerpt and terms) is let go.
fn write_across(
    (facts, analyses): (analysis::Facts<'_>, &mut Analyses),
    diags: &Diagnostics,
    templates: &render::Templates,
    staging: Staging<'_>,
    progress: &(dyn Fn(usize) + Sync),
) -> Outcome {
    fn renderer_of<'r>(
        facts: analysis::Facts<'r>,
        diagnostics: &'r Diagnostics,
        templates: &'r render::Templates,
    ) -> render::Renderer<'r> {
        render::Renderer {
            cx: render::view::ViewCx {
                facts,
                diagnostics,
                lessons: Default::default(),
            },
            templates,
        }
    }
    let panics = Mutex::new(Vec::new());
    // In groups, one after another, each with lists of its own, so the
    // caches of one group's pages are let go before the next fills its own
    // (`Renderer::phases_across`), after the search index's files.
    let with = analysis::Facts {
        analyses: &*analyses,
        ..facts
    };
    let mut phases = renderer_of(with, diags, templates).phases_across();
    let mut written = write_search(
        &renderer_of(with, diags, templates),
        &phases,
        &staging,
        &panics,
    );
    progress(staging.written());
    for analysis in analyses.incidents.values_mut() {
        analysis.body.excerpt = String::new();
        analysis.body_terms = None;
    }
    let with = analysis::Facts {
        analyses: &*analyses,
        ..facts
    };
    while !phases.is_empty() && written.is_ok() {
        let group = phases.remove(0);
        written = write_group(group, &|| renderer_of(with, diags, templates), &|page| {
            write_file(page.0, &staging, (page.1, page.2), &panics)?;
            progress(staging.written());
            Ok(())
        });
        if written.is_ok() && !phases.is_empty() {
            renderer_of(with, diags, templates).relist(&mut phases);
        }
    }
    let panics = panics.into_inner().unwrap_or_default();
    match written {
        Err(_) if !panics.is_empty() => Outcome::Panicked(panics),
        Err(e) => Outcome::Failed(e),
        Ok(()) => match staging.publish() {
            Ok(n) => Outcome::Published(n),
            Err(e) => Outcome::Failed(e),
        },
    }
}

/// Files across records, each with the page it shows.
type Group = Vec<(String, render::Page)>;

/// A file to write, with the renderer that makes it.
type ToWrite<'w, 'r> = (&'w render::Renderer<'r>, &'w str, &'w Job);

/// Writes a group of files across records, every file once (on an error,
/// each of the two sides below stops at its first, and the staging folder
/// is thrown away): each type's playbook files (its page and its
/// prompt, which read that type's lessons), one type after another, on a
/// renderer of its own, made by `renderer`, which learns the type's
/// lessons once (on every thread free to help) and lets them go with it;
/// beside them, the files that learn no lessons, on one renderer, the
/// files of the whole site's size one at a time (see
/// [`render::Page::is_large`]) and the others side by side. One type's
/// lessons are held at a time, and while a type learns, the threads it
/// leaves free write the other files.
fn write_group<'r>(
    group: Group,
    renderer: &(dyn Fn() -> render::Renderer<'r> + Sync),
    write: &(dyn Fn(ToWrite<'_, 'r>) -> Result<()> + Sync),
) -> Result<()> {
    use rayon::prelude::*;
    let (by_type, plain) = by_lessons(group);
    let (large, others): (Vec<Page>, Vec<Page>) = (plain.into_iter())
        .map(|(path, page)| (path, Job::Page(page)))
        .partition(|(_, job)| matches!(job, Job::Page(page) if page.is_large()));
    let shared = renderer();
    let (plain, learning) = rayon::join(
        || {
            let (one_by_one, side_by_side) = rayon::join(
                || (large.iter()).try_for_each(|(path, job)| write((&shared, path, job))),
                || (others.par_iter()).try_for_each(|(path, job)| write((&shared, path, job))),
            );
            one_by_one.and(side_by_side)
        },
        || {
            (by_type.into_iter()).try_for_each(|pages| {
                let own = renderer();
                (pages.into_iter())
                    .try_for_each(|(path, page)| write((&own, &path, &Job::Page(page))))
            })
        },
    );
    plain.and(learning)
}

/// A group of files across records split into the files of each type
/// whose lessons they read (in the types' order, each type's in the
/// group's order) and the files that read none (in the group's order).
fn by_lessons(group: Group) -> (Vec<Group>, Group) {
    let mut by_type: BTreeMap<String, Group> = BTreeMap::new();
    let mut plain = Vec::new();
    for (path, page) in group {
        match page.lessons_of() {
            Some(kind) => (by_type.entry(kind.to_owned()).or_default()).push((path, page)),
            None => plain.push((path, page)),
        }
    }
    (by_type.into_values().collect(), plain)
}

/// Writes the search index's files into `staging` as they are made
/// ([`render::Renderer::write_search`]), so they are never all held at
/// once; a panic is pushed to `panics` as an `internal_error`.
fn write_search(
    renderer: &render::Renderer<'_>,
    phases: &[Vec<(String, render::Page)>],
    staging: &Staging<'_>,
    panics: &Mutex<Vec<Diagnostic>>,
) -> Result<()> {
    /// The staging folder, and whether `search-index.json` is published
    /// (`[site] leave_out`).
    struct Files<'s, 'o>(&'s Staging<'o>, bool);
    impl render::search::Sink for Files<'_, '_> {
        type Error = Error;
        fn failed(message: String) -> Error {
            Error::Serialize {
                what: "search-index.json",
                message,
            }
        }
        fn index(
            &mut self,
            write: &dyn Fn(&mut dyn std::io::Write) -> serde_json::Result<()>,
        ) -> Result<()> {
            if !self.1 {
                return Ok(());
            }
            self.0.write_with(render::urls::SEARCH_JSON, |out| {
                write(&mut *out)
                    .map_err(|e| Self::failed(e.to_string()))
                    .and_then(|()| {
                        out.write_all(b"\n")
                            .map_err(|e| Self::failed(e.to_string()))
                    })
            })
        }
        fn shard(&mut self, shard: render::search::Shard) -> Result<()> {
            self.0.write(
                &render::urls::search_file(&shard.name),
                crate::output::Produced::Bytes(shard.script),
            )
        }
    }
    let file = format!("<site>/{}", render::urls::SEARCH_JSON);
    crate::isolate::record("rendering", &file, || {
        let json = !renderer.cx.config.leave_out.search_index_json;
        renderer.write_search(phases, &mut Files(staging, json))
    })
    .unwrap_or_else(|d| {
        let message = format!("`{}`: {}", render::urls::SEARCH_JSON, d.message);
        if let Ok(mut panics) = panics.lock() {
            panics.push(*d);
        }
        Err(Error::Template(message))
    })
}

/// A file of the site and what makes it.
type Page = (String, Job);

/// An incident's id and the newest day it mentions.
type NewestDay = (String, Option<Date>);

/// "Today" when the command line gives none: the newest day the published
/// records mention (`today::records_today`), found in a first pass over the
/// incidents that keeps that day alone of each.
fn records_today(
    records: &[ToLint],
    config: &Config,
    worktree: &source::WorkTree<'_>,
) -> Result<Date> {
    use rayon::prelude::*;
    let days: Vec<Result<Option<NewestDay>>> = records
        .par_iter()
        .filter(|r| r.kind() == source::RecordKind::Incident)
        .map(|record| {
            let file = match record {
                ToLint::Read(file) => file.clone(),
                ToLint::Unread(file) => file.clone().read(worktree)?,
            };
            let read = model::read_one(file, config);
            Ok(read.record.and_then(|record| match record {
                model::Validated::Incident(i) => Some((i.id.clone(), newest_day(&i))),
                model::Validated::Playbook(_) => None,
            }))
        })
        .collect();
    // Of records that share an id, the first is the one published.
    let mut ids = BTreeSet::new();
    let mut newest = None;
    for day in days {
        if let Some((id, day)) = day?
            && ids.insert(id)
        {
            newest = newest.max(day);
        }
    }
    Ok(newest.unwrap_or(EPOCH))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::SourceArgs;
    use crate::output;
    use crate::pipeline::load::Overrides;
    use crate::pipeline::site::load_site;

    const UI: Ui = Ui {
        color: false,
        quiet: true,
        verbose: 0,
        progress: false,
    };

    /// Every file under `dir` but pm's marker, by site path.
    fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(at) = stack.pop() {
            for entry in std::fs::read_dir(&at).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(dir).unwrap().to_string_lossy();
                    if rel != output::MARKER {
                        files.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
                    }
                }
            }
        }
        files
    }

    /// The streamed build of `root` into a new folder: its files, or `None`
    /// when the records have errors (with the findings, as JSON lines).
    fn streamed(
        root: &Path,
        opts: &SiteOptions<'_>,
    ) -> (Option<BTreeMap<String, Vec<u8>>>, Vec<String>) {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let (lock, _) = output::prepare_output(&site, output::LOCK_TIMEOUT, || {}).unwrap();
        let mut diags = Diagnostics::new();
        let built = build_site(root, opts, UI, (&lock, false), &mut diags, &|_| {}).unwrap();
        let found = findings(&diags);
        match built.map(|b| b.outcome) {
            Some(Outcome::Published(n)) => {
                let files = files_under(&site);
                assert_eq!(files.len(), n, "{}", root.display());
                (Some(files), found)
            }
            Some(Outcome::Findings) | None => {
                assert!(!site.exists(), "{}: a site was published", root.display());
                (None, found)
            }
            Some(Outcome::Panicked(_) | Outcome::Failed(_)) => {
                panic!("{}: the streamed build failed", root.display())
            }
        }
    }

    fn findings(diags: &Diagnostics) -> Vec<String> {
        let items = diags.items().iter();
        items
            .map(|d| crate::diag::render_json_line(d, &diags.sources))
            .collect()
    }

    /// The site as `pm serve` renders it (and `pm build` did before it
    /// streamed): the whole corpus loaded and linted, then every file
    /// rendered from it.
    fn whole(
        root: &Path,
        opts: &SiteOptions<'_>,
    ) -> (Option<BTreeMap<String, Vec<u8>>>, Vec<String>) {
        let mut diags = Diagnostics::new();
        let Some(site) = load_site(root, opts, UI, &mut diags).unwrap() else {
            return (None, findings(&diags));
        };
        if diags.has_errors() {
            return (None, findings(&diags));
        }
        let files = site.render_all(&diags).unwrap().into_iter().collect();
        (Some(files), findings(&diags))
    }

    /// The streamed build publishes the very bytes of the site rendered from
    /// the whole corpus, and finds the same findings, on the example
    /// repository and every fixture repository, with and without drafts,
    /// with a given "today" and without one. Where the records have
    /// errors, neither publishes anything.
    #[test]
    fn the_streamed_site_is_the_site_of_the_whole_corpus() {
        let source = SourceArgs {
            rev: None,
            require_history: false,
        };
        let mut published = 0;
        for root in crate::pipeline::site::fixture_roots() {
            for (drafts, today) in [(false, Some(Date::constant(2026, 11, 30))), (true, None)] {
                let opts = SiteOptions {
                    source: &source,
                    drafts,
                    today,
                    overrides: Overrides::default(),
                };
                let (site, found) = streamed(&root, &opts);
                let (expected, expected_found) = whole(&root, &opts);
                let at = format!("{} (drafts: {drafts}, today: {today:?})", root.display());
                assert_eq!(found, expected_found, "{at}: findings");
                assert_eq!(site.is_some(), expected.is_some(), "{at}: published");
                let (Some(site), Some(expected)) = (site, expected) else {
                    continue;
                };
                published += 1;
                let paths: Vec<&String> = site.keys().collect();
                assert_eq!(paths, expected.keys().collect::<Vec<_>>(), "{at}: files");
                for (path, bytes) in &site {
                    assert!(expected[path] == *bytes, "{at}: `{path}` differs");
                }
            }
        }
        assert!(published > 20, "only {published} sites were compared");
    }

    /// The playbook files are split by the type whose lessons they read,
    /// apart from the files that read none, each in the group's order.
    #[test]
    fn files_that_learn_are_grouped_by_type() {
        use render::Page;
        let group: Vec<(String, Page)> = [
            ("p/y", Page::Playbook("y".into())),
            ("404", Page::NotFound),
            ("q/y", Page::PlaybookPrompt("y".into())),
            ("p/x", Page::Playbook("x".into())),
            ("p/z", Page::Playbook("z".into())),
            ("q/x", Page::PlaybookPrompt("x".into())),
            ("json", Page::Json),
        ]
        .into_iter()
        .map(|(path, page)| (path.to_owned(), page))
        .collect();
        let paths = |pages: Vec<(String, Page)>| -> Vec<String> {
            pages.into_iter().map(|(path, _)| path).collect()
        };
        let (by_type, plain) = by_lessons(group);
        assert_eq!(paths(plain), ["404", "json"]);
        let by_type: Vec<Vec<String>> = by_type.into_iter().map(paths).collect();
        assert_eq!(
            by_type,
            [vec!["p/x", "q/x"], vec!["p/y", "q/y"], vec!["p/z"]]
        );
    }

    /// One thread or many, the streamed site is the same, byte for byte.
    #[test]
    fn the_streamed_site_does_not_depend_on_the_threads() {
        let source = SourceArgs {
            rev: None,
            require_history: false,
        };
        let opts = SiteOptions {
            source: &source,
            drafts: false,
            today: Some(Date::constant(2026, 11, 30)),
            overrides: Overrides::default(),
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let with = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| streamed(root, &opts))
        };
        let one = with(1);
        assert!(one.0.is_some());
        assert!(one == with(4));
    }
}
