//! pm: postmortems and playbooks as code.
//!
//! The library behind the `pm` binary. A run is a pipeline of typed stages,
//! each using only the ones before it:
//!
//! ```text
//! source → parse → model → analysis → lint → render → output
//! ```
//!
//! [`run`] wires the stages for each command, prints what they found and
//! returns the exit code. Problems in records are [`diag::Diagnostic`]s;
//! failures to run at all are [`Error`]s.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod diag;
mod error;
pub mod humanize;
pub mod isolate;
pub mod learn;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;
pub mod report;
mod scaffold;
mod serve;
pub mod source;
pub mod stats;

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use jiff::Timestamp;
use jiff::civil::Date;

pub use error::{Error, Result};

use cli::{
    BuildArgs, Cli, ColorChoice, Command, CompletionsArgs, FailOn, Format, InitArgs, LintArgs,
    LogArgs, NewArgs, SourceArgs, StatsArgs, StatsBy, StatsFormat, StatusUpdateArgs,
    UpdateAudience, UpdateFormat,
};
use config::Config;
use diag::{Diagnostics, Level};
use lint::{CliLevels, Levels, LintCx, LintLevel};
use markdown::{Depth, Markdown};

/// Exit code: success (warnings allowed).
pub const EXIT_OK: u8 = 0;
/// Exit code: errors found in records.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: pm could not run.
pub const EXIT_FAILURE: u8 = 2;

/// How to talk to the user.
#[derive(Debug, Clone, Copy)]
struct Ui {
    color: bool,
    quiet: bool,
    verbose: u8,
    progress: bool,
}

impl Ui {
    fn new(cli: &Cli) -> Ui {
        let env_off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("CLICOLOR").is_ok_and(|v| v == "0");
        let env_force = std::env::var("CLICOLOR_FORCE").is_ok_and(|v| !v.is_empty() && v != "0");
        let tty = std::io::stderr().is_terminal();
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env_force || (tty && !env_off),
        };
        Ui {
            color,
            quiet: cli.quiet,
            verbose: cli.verbose,
            progress: tty && !cli.quiet && std::env::var_os("CI").is_none(),
        }
    }

    /// A status line on stderr, unless quiet.
    fn status(&self, message: &str) {
        if !self.quiet {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{message}");
        }
    }
}

/// Runs a parsed command line and returns the process exit code. Meant to
/// be called once, by the binary, which exits right after: a command leaves
/// its data to the exit rather than free it (see `leave_to_exit`).
pub fn run(cli: Cli) -> ExitCode {
    let ui = Ui::new(&cli);
    let result = match &cli.command {
        Command::Lint(args) => cmd_lint(&cli, args, ui),
        Command::Build(args) => cmd_build(&cli, args, ui),
        Command::Serve(args) => serve::cmd_serve(&cli, args, ui),
        Command::New(args) => cmd_new(&cli, args),
        Command::Init(args) => cmd_init(args, ui),
        Command::Explain(args) => cmd_explain(args.lint.as_deref()),
        Command::Log(args) => cmd_log(&cli, args),
        Command::Stats(args) => cmd_stats(&cli, args, ui),
        Command::Playbook(args) => cmd_playbook(&cli, args, ui),
        Command::Completions(args) => cmd_completions(args),
        Command::Man => cmd_man(),
        Command::StatusUpdate(args) => cmd_status_update(&cli, args, ui),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::from(EXIT_OK),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let prefix = if ui.color {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            };
            let _ = writeln!(err, "{prefix}: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn root_of(cli: &Cli) -> PathBuf {
    cli.root.clone().unwrap_or_else(|| PathBuf::from("."))
}

/// "Today": `--today`, else `SOURCE_DATE_EPOCH`, else the clock (UTC).
pub fn resolve_today(flag: Option<&str>) -> Result<Date> {
    if let Some(text) = flag {
        return text.trim().parse::<Date>().map_err(|_| {
            Error::Usage(format!(
                "invalid `--today` date `{text}`: write it as YYYY-MM-DD"
            ))
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "invalid SOURCE_DATE_EPOCH `{epoch}`: expected seconds since 1970"
            ))
        })?;
        let ts = Timestamp::from_second(secs)
            .map_err(|_| Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range")))?;
        return Ok(jiff::tz::TimeZone::UTC.to_datetime(ts).date());
    }
    Ok(jiff::tz::TimeZone::UTC.to_datetime(Timestamp::now()).date())
}

/// Everything a run learned about the repository.
struct Loaded {
    config: Config,
    corpus: model::Corpus,
    analyses: analysis::Analyses,
    markdown: Markdown,
    templates: Vec<source::TemplateFile>,
    /// Every record file read (repo-relative), valid or not.
    files: Vec<String>,
    /// What git knows about the records, when it could be read.
    history: Option<source::git::History>,
}

/// Runs source → parse → model → analysis. `None` when `pm.toml` is unusable.
/// Records come from the working tree, or from a commit with `--rev`.
/// Reads, parses, validates and analyses every record. `depth` says how
/// much of each body to render: [`Depth::Page`] for commands that write
/// pages, so the body is parsed once for the lints and the page alike.
fn load(
    root: &Path,
    source_args: &SourceArgs,
    depth: Depth,
    diags: &mut Diagnostics,
) -> Result<Option<Loaded>> {
    let set = discover(root, source_args, diags)?;
    Ok(load_set(set, depth, diags))
}

/// Reads every record, from the working tree or, with `--rev`, a commit.
fn discover(
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
fn check_root(root: &Path) -> Result<()> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Error::Usage(format!("`{}` is not a folder", shown(root))))
    }
}

/// The settings of `pm.toml`, or the defaults without one. `None` when
/// `pm.toml` is unusable (its errors are in `diags`).
fn settings(config: Option<&[u8]>, diags: &mut Diagnostics) -> Option<Config> {
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
fn load_set(mut set: source::SourceSet, depth: Depth, diags: &mut Diagnostics) -> Option<Loaded> {
    let config = settings(set.config.as_deref(), diags)?;
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
        templates: set.templates,
        files,
        history: None,
    })
}

/// What [`check_record`] found.
#[derive(Debug)]
pub struct Checked {
    /// Every diagnostic of the record, sorted, as `pm lint` reports them.
    pub diagnostics: Diagnostics,
    /// The files of a site made of the record alone (path and bytes), when
    /// templates were given and the record was valid enough to be read.
    pub pages: Vec<(String, Vec<u8>)>,
}

/// Runs one record, given as its repository path and its bytes, through the
/// stages of `pm lint` (parse, validate, analyse, lint) and, with
/// `templates`, renders the site made of it, all in memory: nothing is read
/// from or written to the disk, and there is no git history.
///
/// `rel` is where the record would be (`incidents/<id>.md`,
/// `incidents/<id>/index.md` for a bundle, or `playbooks/<type>.md`); the id
/// comes from it, as in a repository. `today` stands in for `--today`.
/// Unlike `pm build`, pages are rendered even when errors stand, for
/// whatever was valid. This is the entry point of the fuzz targets in
/// `fuzz/`; an `Err` is a template that failed to render.
pub fn check_record(
    rel: &str,
    bytes: &[u8],
    today: Date,
    templates: Option<&render::Templates>,
) -> Result<Checked> {
    let (kind, stem, attachments) = match rel.strip_suffix(".md") {
        Some(rest) if rel.starts_with(source::PLAYBOOKS_DIR) => {
            (source::RecordKind::Playbook, rest.rsplit('/').next(), None)
        }
        Some(rest) => match rest.strip_suffix("/index") {
            Some(bundle) => (
                source::RecordKind::Incident,
                bundle.rsplit('/').next(),
                Some(Vec::new()),
            ),
            None => (source::RecordKind::Incident, rest.rsplit('/').next(), None),
        },
        None => (source::RecordKind::Incident, Some(rel), None),
    };
    let set = source::SourceSet {
        config: None,
        records: vec![source::SourceFile {
            kind,
            rel: rel.to_owned(),
            stem: stem.unwrap_or(rel).to_owned(),
            bytes: bytes.to_vec(),
            attachments,
        }],
        templates: Vec::new(),
    };
    let depth = if templates.is_some() {
        Depth::Page
    } else {
        Depth::Outline
    };
    let mut diagnostics = Diagnostics::new();
    let Some(mut loaded) = load_set(set, depth, &mut diagnostics) else {
        diagnostics.sort();
        return Ok(Checked {
            diagnostics,
            pages: Vec::new(),
        });
    };
    lint_loaded(&mut loaded, &CliLevels::default(), today, &mut diagnostics);
    diagnostics.sort();
    let pages = match templates {
        Some(templates) => Site { loaded, today }.render_with(templates, &diagnostics)?,
        None => Vec::new(),
    };
    Ok(Checked { diagnostics, pages })
}

/// Reads the records' git history into `loaded`, in one walk (see
/// [`read_history`]).
fn load_history(root: &Path, source_args: &SourceArgs, loaded: &mut Loaded, ui: Ui) -> Result<()> {
    let files = loaded.files.iter().cloned().collect();
    let repository = loaded.config.repository.as_deref();
    loaded.history = read_history(root, source_args, &files, repository, ui, false)?;
    Ok(())
}

/// The git history of `files`, in one walk. Without it pm warns once
/// (naming the fix) and carries on, unless `--require-history`;
/// `quiet_without_repo` keeps `pm lint` silent outside a repository, where
/// history is simply not wanted.
fn read_history(
    root: &Path,
    source_args: &SourceArgs,
    files: &BTreeSet<String>,
    repository: Option<&str>,
    ui: Ui,
    quiet_without_repo: bool,
) -> Result<Option<source::git::History>> {
    match source::git::history(root, source_args.rev.as_deref(), files, repository) {
        Ok(history) => Ok(Some(history)),
        Err(no) if source_args.require_history => {
            Err(Error::Usage(format!("{}\n  help: {}", no.reason, no.help)))
        }
        Err(no) => {
            if !(no.no_repository && quiet_without_repo) {
                ui.status(&format!(
                    "warning: no git history: {}\n  help: {}",
                    no.reason, no.help
                ));
            }
            Ok(None)
        }
    }
}

fn cli_levels(args: &LintArgs) -> CliLevels {
    let mut overrides = Vec::new();
    // clap keeps each flag's values in order; apply allow, then warn, then deny,
    // so the strictest wins when the same name is given twice.
    overrides.extend(args.allow.iter().map(|n| (n.clone(), LintLevel::Allow)));
    overrides.extend(args.warn.iter().map(|n| (n.clone(), LintLevel::Warn)));
    overrides.extend(args.deny.iter().map(|n| (n.clone(), LintLevel::Deny)));
    CliLevels { overrides }
}

/// Lints a loaded repository into `diags`. A record a lint panics on is
/// dropped from the corpus with an `internal_error` (see [`isolated`]).
fn lint_loaded(loaded: &mut Loaded, cli: &CliLevels, today: Date, diags: &mut Diagnostics) {
    let levels = Levels::resolve(&loaded.config, cli, diags);
    let Loaded {
        corpus,
        analyses,
        config,
        markdown,
        history,
        ..
    } = loaded;
    let found = isolated("linting", corpus, diags, |corpus| {
        let index = lint::Index::new(corpus, analyses);
        let cx = LintCx {
            corpus,
            analyses,
            index: &index,
            config,
            markdown,
            history: history.as_ref(),
            today,
        };
        let mut found = Diagnostics::new();
        lint::run_all(&cx, &levels, &mut found);
        found
    });
    if let Some(found) = found {
        diags.extend(found.items().iter().cloned());
    }
}

/// `pm lint`'s pipeline. Each record is read, validated, analysed and
/// linted on its own, in parallel, and then let go: only its findings and
/// its entry in the [`lint::Index`] are kept, so memory holds the texts and
/// the findings, never the whole corpus. The lints across records then run
/// once on the index, with the git history of the playbooks (the only
/// files they ask it about). The findings are those of [`lint_loaded`] on
/// the whole corpus; `pm build` lints that way, since it keeps every record
/// for its pages. Returns the record files read, `None` when `pm.toml` is
/// unusable.
fn lint_repository(
    root: &Path,
    args: &LintArgs,
    today: Date,
    ui: Ui,
    diags: &mut Diagnostics,
) -> Result<Option<Vec<String>>> {
    use rayon::prelude::*;
    check_root(root)?;
    let worktree = source::WorkTree::new(root);
    let rev = args.source.rev.as_deref();
    let rev = rev
        .map(|rev| source::git::RevTree::open(root, rev))
        .transpose()?;
    let listing = match &rev {
        Some(tree) => source::list_in(tree, diags)?,
        None => source::list_in(&worktree, diags)?,
    };
    let Some(config) = settings(listing.config.as_deref(), diags) else {
        return Ok(None);
    };
    let files: Vec<String> = listing.records.iter().map(|r| r.rel.clone()).collect();
    let shared = shared_ids(&listing.records);
    // A commit's records are read first, since git reads on one thread; the
    // working tree's are read in the pass, each when its turn comes.
    let records: Vec<ToLint> = match &rev {
        Some(tree) => listing
            .read(tree)?
            .records
            .into_iter()
            .map(ToLint::Read)
            .collect(),
        None => listing.records.into_iter().map(ToLint::Unread).collect(),
    };
    let pass = LintEnv {
        config: &config,
        levels: &Levels::resolve(&config, &cli_levels(args), diags),
        markdown: &Markdown::new(),
        today,
        worktree: &worktree,
    };
    // Playbooks first: which types have one says which incidents the lints
    // across records may point at.
    let (playbooks, incidents): (Vec<ToLint>, Vec<ToLint>) = records
        .into_iter()
        .partition(|r| r.kind() == source::RecordKind::Playbook);
    let playbooks: Vec<Result<LintPass>> = playbooks
        .into_par_iter()
        .map(|record| pass.run(record, |_| Keep::Whole))
        .collect();
    let playbooks = playbooks.into_iter().collect::<Result<Vec<_>>>()?;
    let kinds: BTreeSet<&str> = playbooks
        .iter()
        .filter_map(|p| p.linted.as_ref())
        .flat_map(|l| l.index.playbooks.keys().map(String::as_str))
        .collect();
    // An incident's text is kept only for the snippets of findings: whole
    // where a finding of the whole repository may point (a duplicate id, a
    // type with no playbook), else the lines its own findings point at.
    let keep = |p: &LintPass| {
        let kinds_known = p.linted.as_ref().is_some_and(|l| {
            l.index
                .incidents
                .values()
                .all(|i| kinds.contains(i.kind.value.as_str()))
        });
        let own = !p.found.is_empty() || p.linted.as_ref().is_none_or(|l| !l.findings.is_empty());
        if shared.contains(p.stem.as_str()) || (p.linted.is_some() && !kinds_known) {
            Keep::Whole
        } else if own {
            Keep::Lines
        } else {
            Keep::Nothing
        }
    };
    let incidents: Vec<Result<LintPass>> = incidents
        .into_par_iter()
        .map(|record| pass.run(record, keep))
        .collect();
    let incidents = incidents.into_iter().collect::<Result<Vec<_>>>()?;
    let index = settle(playbooks.into_iter().chain(incidents), diags);
    let playbooks = index.playbooks.values().map(|p| p.file.clone()).collect();
    let repository = config.repository.as_deref();
    let history = read_history(root, &args.source, &playbooks, repository, ui, true)?;
    let (corpus, analyses) = (model::Corpus::default(), analysis::Analyses::default());
    let cx = LintCx {
        corpus: &corpus,
        analyses: &analyses,
        index: &index,
        config: &config,
        markdown: pass.markdown,
        history: history.as_ref(),
        today,
    };
    let across = isolate::records("linting", index.files(), || {
        let mut found = Diagnostics::new();
        lint::run(&cx, pass.levels, &[lint::Scope::Repository], &mut found);
        found.into_items()
    });
    match across {
        Ok(found) => diags.extend(found),
        Err(panic) => diags.push(isolate::internal_error("linting", "<pm>", panic.as_ref())),
    }
    Ok(Some(files))
}

/// The incident ids (file stems) that more than one record file has: a
/// duplicate id is reported on the later file, so its text is kept for the
/// snippet. (A playbook's text is always kept.)
fn shared_ids(records: &[source::Unread]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    records
        .iter()
        .filter(|r| r.kind == source::RecordKind::Incident)
        .map(|r| r.stem.as_str())
        .filter(|stem| !seen.insert(*stem))
        .map(str::to_owned)
        .collect()
}

/// Gathers the passes, in path order, into `diags` and the index: texts,
/// what was found, and the findings and index entry of the first record of
/// each id (a later one is reported as a duplicate instead).
fn settle(passes: impl IntoIterator<Item = LintPass>, diags: &mut Diagnostics) -> lint::Index {
    let mut index = lint::Index::default();
    let mut ids = model::Ids::default();
    for pass in passes {
        if let Some(text) = pass.text {
            diags.sources.insert(pass.file, text);
        }
        for (path, text) in pass.sources {
            diags.sources.insert(path, text);
        }
        diags.extend(pass.found);
        if let Some(linted) = pass.linted
            && ids.admit(linted.id, diags)
        {
            index.merge(linted.index);
            diags.extend(linted.findings);
        }
    }
    index
}

/// A record for `pm lint`'s pass: read already, or to read in the pass.
enum ToLint {
    Read(source::SourceFile),
    Unread(source::Unread),
}

impl ToLint {
    fn kind(&self) -> source::RecordKind {
        match self {
            ToLint::Read(file) => file.kind,
            ToLint::Unread(file) => file.kind,
        }
    }
}

/// What `pm lint`'s pass over each record shares.
struct LintEnv<'a> {
    config: &'a Config,
    levels: &'a Levels,
    markdown: &'a Markdown,
    today: Date,
    worktree: &'a source::WorkTree<'a>,
}

/// One record after `pm lint`'s pass over it.
struct LintPass {
    file: String,
    stem: String,
    /// The record's text, when a finding may point into it.
    text: Option<diag::Text>,
    /// What parsing and validating found, and internal errors.
    found: Vec<diag::Diagnostic>,
    /// The texts of refused attachments that findings point into.
    sources: Vec<(String, diag::Text)>,
    /// When the record was valid and was linted.
    linted: Option<Linted>,
}

/// What `pm lint` keeps of a record it linted.
struct Linted {
    id: model::RecordId,
    index: lint::Index,
    findings: Vec<diag::Diagnostic>,
}

impl LintEnv<'_> {
    /// Reads, validates, analyses and lints one record with the lints of
    /// [`lint::Scope::Record`], and keeps as much of its text as `keep`
    /// says findings may point into. A panic in a stage drops the record with an
    /// `internal_error`, as on the whole corpus.
    fn run(&self, record: ToLint, keep: impl Fn(&LintPass) -> Keep) -> Result<LintPass> {
        let file = match record {
            ToLint::Read(file) => file,
            ToLint::Unread(file) => file.read(self.worktree)?,
        };
        let stem = file.stem.clone();
        let read = model::read_one(file, self.config);
        let mut found = read.found;
        let linted = read.record.and_then(|record| {
            let id = record.id();
            let corpus = record.into_corpus();
            let analysed = isolate::record("analysing", &read.file, || {
                analysis::analyze(&corpus, self.config, self.markdown, Depth::Outline)
            });
            let analyses = analysed.map_err(|d| found.push(*d)).ok()?;
            let index = lint::Index::new(&corpus, &analyses);
            let cx = LintCx {
                corpus: &corpus,
                analyses: &analyses,
                index: &index,
                config: self.config,
                markdown: self.markdown,
                history: None,
                today: self.today,
            };
            let linted = isolate::record("linting", &read.file, || {
                let mut findings = Diagnostics::new();
                lint::run(&cx, self.levels, &[lint::Scope::Record], &mut findings);
                findings.into_items()
            });
            let findings = linted.map_err(|d| found.push(*d)).ok()?;
            Some(Linted {
                id,
                index,
                findings,
            })
        });
        let mut pass = LintPass {
            file: read.file,
            stem,
            text: None,
            found,
            sources: read.sources,
            linted,
        };
        match keep(&pass) {
            Keep::Whole => pass.text = Some(read.text),
            Keep::Lines => pass.text = Some(std::sync::Arc::new(pass.cut_to_findings(&read.text))),
            Keep::Nothing => {}
        }
        Ok(pass)
    }
}

/// How much of a record's text `pm lint` keeps for its findings' snippets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// None: nothing points into it.
    Nothing,
    /// The lines its own findings point at ([`diag::excerpt::Excerpt`]).
    Lines,
    /// All of it: a finding about the whole repository may point into it.
    Whole,
}

impl LintPass {
    /// `text` cut down to the lines this record's findings point at, with
    /// their spans moved to match.
    fn cut_to_findings(&mut self, text: &str) -> String {
        let file = self.file.as_str();
        let linted = self.linted.iter_mut().flat_map(|l| l.findings.iter_mut());
        let mut mine: Vec<&mut diag::Diagnostic> = self
            .found
            .iter_mut()
            .chain(linted)
            .filter(|d| d.file == file)
            .collect();
        let spans = mine.iter().filter_map(|d| d.span.clone());
        let excerpt = diag::excerpt::Excerpt::new(text, spans);
        for d in &mut mine {
            if let Some(span) = &mut d.span {
                *span = excerpt.span(span);
            }
        }
        excerpt.text
    }
}

/// Runs `work`, a stage over the whole corpus, with panic isolation: if it
/// panics, each record is run alone to find the ones it panics on, which are
/// dropped from `corpus` with an `internal_error` naming their file, and
/// `work` runs again on the others. The happy path costs one
/// `catch_unwind`. `None` (with one `internal_error`) when `work` still
/// panics without those records: a bug no single record shows.
fn isolated<T>(
    stage: &'static str,
    corpus: &mut model::Corpus,
    diags: &mut Diagnostics,
    work: impl Fn(&model::Corpus) -> T,
) -> Option<T> {
    fn files(corpus: &model::Corpus) -> impl Iterator<Item = &str> {
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

/// Prints diagnostics in the chosen format: human on stderr, machine on stdout.
fn report(diags: &Diagnostics, format: Format, ui: Ui) -> Result<()> {
    report_to(diags, format, ui, None, 0)
}

/// What `pm build` says about findings on stderr: errors in full, warnings
/// folded into one line per lint (all of them in full with `-v`).
fn report_build(diags: &Diagnostics, ui: Ui) {
    let full = ui.verbose > 0 && !ui.quiet;
    let shown = diags
        .items()
        .iter()
        .filter(|d| full || d.level == Level::Error);
    let mut text = diag::render_human_all(shown, &diags.sources, ui.color);
    if !full
        && !ui.quiet
        && let Some(digest) = diag::warning_digest(diags)
    {
        text.push_str(&digest);
        text.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes the findings in `format` to `output` (a file) or the terminal.
/// `files` is the number of records read, for summaries.
fn report_to(
    diags: &Diagnostics,
    format: Format,
    ui: Ui,
    output: Option<&Path>,
    files: usize,
) -> Result<()> {
    let text = match format {
        Format::Human => {
            // Colour only when the text goes to the terminal.
            let color = ui.color && output.is_none();
            let shown = diags
                .items()
                .iter()
                .filter(|d| !ui.quiet || d.level == Level::Error);
            let text = diag::render_human_all(shown, &diags.sources, color);
            if output.is_none() {
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
                return Ok(());
            }
            text
        }
        Format::Json => report::json_lines(diags),
        Format::Github => {
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                output::append_file(Path::new(&path), &report::github_summary(diags, files))?;
            }
            report::github(diags)
        }
        Format::Sarif => report::sarif(diags)?,
        Format::Gitlab => report::gitlab(diags)?,
    };
    match output {
        Some(path) => output::replace_file(path, text.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))
        }
    }
}

/// Whether a repo-relative file is inside one of the requested paths.
fn selected(file: &str, filters: &[String]) -> bool {
    filters.is_empty()
        || filters
            .iter()
            .any(|f| file == f || file.starts_with(&format!("{f}/")) || f.is_empty())
}

/// Turns `PATHS` into repo-relative, `/`-separated prefixes; `.` (or the
/// root itself) is the empty prefix, which selects everything. An absolute
/// path is made relative to the root's real location, so `pm lint "$PWD"`
/// and `pm lint "$PWD/incidents"` select what `.` and `incidents` do.
fn path_filters(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    let real_root = root.canonicalize().ok();
    paths
        .iter()
        .map(|p| {
            let real = || -> Option<PathBuf> {
                let rel = p.canonicalize().ok()?;
                Some(rel.strip_prefix(real_root.as_ref()?).ok()?.to_path_buf())
            };
            let rel = match p.strip_prefix(root) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) if p.is_absolute() => real().unwrap_or_else(|| p.clone()),
                Err(_) => p.clone(),
            };
            let s = source::rel_string(&rel);
            let s = s.trim_start_matches("./").trim_end_matches('/');
            if s == "." {
                String::new()
            } else {
                s.to_owned()
            }
        })
        .collect()
}

/// Refuses a `PATHS` argument that selects no record, no reported file and
/// not `pm.toml`: a mistyped folder (`incident/`) would otherwise lint
/// nothing and pass. Exit code 2, naming the path and the nearest records
/// folder.
fn check_paths_match(
    paths: &[PathBuf],
    filters: &[String],
    files: &[String],
    diags: &Diagnostics,
) -> Result<()> {
    for (path, filter) in paths.iter().zip(filters) {
        let one = std::slice::from_ref(filter);
        if filter.is_empty()
            || filter == config::CONFIG_FILE
            || files.iter().any(|f| selected(f, one))
            || diags.items().iter().any(|d| selected(&d.file, one))
        {
            continue;
        }
        let shown = diag::printable(&path.to_string_lossy()).into_owned();
        let (first, rest) = filter.split_once('/').unwrap_or((filter, ""));
        let folders = [source::INCIDENTS_DIR, source::PLAYBOOKS_DIR];
        let help = match diag::suggest(first, folders).filter(|s| *s != first) {
            Some(folder) => {
                let trailing = if rest.is_empty() && shown.ends_with('/') {
                    "/"
                } else {
                    ""
                };
                let sep = if rest.is_empty() { "" } else { "/" };
                format!("did you mean `{folder}{sep}{rest}{trailing}`?")
            }
            None => format!(
                "pm lints `.md` records in `{}/` and `{}/`, and `pm.toml`; give one of those, a folder in them or a record file",
                source::INCIDENTS_DIR,
                source::PLAYBOOKS_DIR
            ),
        };
        return Err(Error::Usage(format!(
            "`{shown}` matches no record\n  help: {}",
            diag::printable(&help)
        )));
    }
    Ok(())
}

fn cmd_lint(cli: &Cli, args: &LintArgs, ui: Ui) -> Result<u8> {
    if args.list {
        return list_lints();
    }
    let started = Instant::now();
    let root = root_of(cli);
    let today = resolve_today(args.today.today.as_deref())?;
    let mut diags = Diagnostics::new();
    let linted = lint_repository(&root, args, today, ui, &mut diags)?;
    let filters = path_filters(&root, &args.paths);
    if let Some(files) = &linted {
        check_paths_match(&args.paths, &filters, files, &diags)?;
    }
    let changed = match &args.changed_since {
        Some(rev) => {
            let changed = source::git::changed_since(&root, rev)?;
            // A new pm.toml can change the findings of every record.
            (!changed.contains(config::CONFIG_FILE)).then_some(changed)
        }
        None => None,
    };
    let in_scope =
        |file: &str| selected(file, &filters) && changed.as_ref().is_none_or(|c| c.contains(file));
    let files = match &linted {
        Some(files) => files.iter().filter(|f| in_scope(f)).count(),
        // Only `pm.toml` was read: its errors stop the run before the records.
        None => 1,
    };
    diags.retain(|d| in_scope(&d.file) || d.file == config::CONFIG_FILE || d.file.starts_with('<'));
    diags.sort();
    let report_file = args.output.as_ref().map(|p| root.join(p));
    if let (Some(path), Some(shown)) = (&report_file, &args.output) {
        check_output_location(&root, path, shown)?;
    }
    report_to(&diags, args.format, ui, report_file.as_deref(), files)?;
    let (errors, warnings) = (diags.count(Level::Error), diags.count(Level::Warning));
    // The summary is for people and goes to stderr, so machine formats on
    // stdout stay machine-readable.
    if !ui.quiet {
        let mut line = diag::summary_line(errors, warnings, files);
        if ui.verbose > 0 {
            line.push_str(&format!(" ({:.2} s)", started.elapsed().as_secs_f64()));
        }
        ui.status(&line);
    }
    let failed =
        errors > 0 || (args.fail_on == FailOn::Warning && warnings > 0) || linted.is_none();
    leave_to_exit(diags);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// Lets go of a command's data without freeing it piece by piece, because
/// the process exits next and the OS takes the memory back at once. Records,
/// analyses and findings are millions of small allocations: at 10,000
/// records freeing them took about a tenth of `pm lint`'s time. Only for
/// what a command of [`run`] holds at its very end.
fn leave_to_exit<T>(data: T) {
    std::mem::forget(data);
}

fn list_lints() -> Result<u8> {
    let mut out = std::io::stdout().lock();
    let w = |e| Error::io("cannot write", Path::new("<stdout>"), e);
    writeln!(out, "{:<30} {:<12} {:<6} summary", "lint", "group", "level").map_err(w)?;
    for l in lint::LINTS {
        writeln!(
            out,
            "{:<30} {:<12} {:<6} {}",
            l.name,
            l.group.name(),
            l.group.default_level().name(),
            l.summary
        )
        .map_err(w)?;
    }
    writeln!(
        out,
        "\ngroups: correctness (deny), suspicious (warn), style (warn), pedantic (allow)"
    )
    .map_err(w)?;
    writeln!(
        out,
        "\nschema checks (records pm cannot read as written; always reported, cannot be allowed):"
    )
    .map_err(w)?;
    for c in diag::codes::CODES {
        writeln!(out, "{:<30} {}", c.name, c.summary).map_err(w)?;
    }
    writeln!(
        out,
        "\n`pm explain <name>` prints the documentation of a lint or check."
    )
    .map_err(w)?;
    Ok(EXIT_OK)
}

fn cmd_explain(name: Option<&str>) -> Result<u8> {
    let Some(name) = name else {
        return list_lints();
    };
    let text = if let Some(l) = lint::find(name) {
        format!(
            "{}: {}\n\ngroup: {} (default level: {})\n\n{}",
            l.name,
            l.summary,
            l.group.name(),
            l.group.default_level().name(),
            l.explanation
        )
    } else if let Some(c) = diag::codes::find(name) {
        format!(
            "{}: {}\n\nschema check: reported as an error, cannot be allowed\n\n{}",
            c.name, c.summary, c.explanation
        )
    } else {
        let names = lint::LINTS
            .iter()
            .map(|l| l.name)
            .chain(diag::codes::CODES.iter().map(|c| c.name));
        let mut message = format!("unknown lint or check `{name}`");
        if let Some(s) = diag::suggest(name, names) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        message.push_str("\n  help: `pm lint --list` lists every lint and check");
        return Err(Error::Usage(message));
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}

fn cmd_log(cli: &Cli, args: &LogArgs) -> Result<u8> {
    let root = root_of(cli);
    let mut diags = Diagnostics::new();
    let source_args = SourceArgs {
        rev: None,
        require_history: true,
    };
    let Some(loaded) = load(&root, &source_args, Depth::Outline, &mut diags)? else {
        return Err(Error::Config(PathBuf::from(config::CONFIG_FILE)));
    };
    let file = loaded
        .corpus
        .incidents
        .get(&args.id)
        .map(|i| i.origin.file.clone())
        .or_else(|| {
            loaded
                .corpus
                .playbooks
                .get(&args.id)
                .map(|p| p.origin.file.clone())
        })
        .ok_or_else(|| {
            let ids = loaded
                .corpus
                .incidents
                .keys()
                .chain(loaded.corpus.playbooks.keys())
                .map(String::as_str);
            let mut message = format!("no incident or playbook `{}`", args.id);
            if let Some(s) = diag::suggest(&args.id, ids) {
                message.push_str(&format!("\n  help: did you mean `{s}`?"));
            }
            Error::Usage(message)
        })?;
    let history = source::git::history(
        &root,
        None,
        &std::iter::once(file.clone()).collect(),
        loaded.config.repository.as_deref(),
    )
    .map_err(|no| Error::Usage(format!("{}\n  help: {}", no.reason, no.help)))?;
    let mut out = std::io::stdout().lock();
    let w = |e| Error::io("cannot write", Path::new("<stdout>"), e);
    let Some(file_history) = history.files.get(&file) else {
        writeln!(out, "{file}: not committed yet").map_err(w)?;
        return Ok(EXIT_OK);
    };
    for rev in &file_history.revisions {
        let day = Timestamp::from_second(rev.time)
            .map(|t| jiff::tz::TimeZone::UTC.to_datetime(t).date().to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "{} {day} {:<20} {}",
            rev.short_id(),
            rev.author,
            rev.summary
        )
        .map_err(w)?;
    }
    Ok(EXIT_OK)
}

fn cmd_stats(cli: &Cli, args: &StatsArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let today = resolve_today(args.today.today.as_deref())?;
    let since = args
        .since
        .as_deref()
        .map(|d| {
            d.trim().parse::<Date>().map_err(|_| {
                Error::Usage(format!(
                    "invalid `--since` date `{d}`: write it as YYYY-MM-DD"
                ))
            })
        })
        .transpose()?;
    let mut diags = Diagnostics::new();
    let loaded = load(&root, &args.source, Depth::Outline, &mut diags)?;
    if diags.has_errors() {
        diags.sort();
        report(&diags, Format::Human, ui)?;
    }
    let Some(loaded) = loaded else {
        return Ok(EXIT_FINDINGS);
    };
    let by = match args.by {
        None => stats::By::All,
        Some(StatsBy::Severity) => stats::By::Severity,
        Some(StatsBy::Type) => stats::By::Type,
        Some(StatsBy::Service) => stats::By::Service,
        Some(StatsBy::Month) => stats::By::Month,
    };
    let figures = stats::compute(
        &loaded.corpus,
        &loaded.analyses,
        &loaded.config,
        by,
        since,
        today,
    );
    let text = match args.format {
        StatsFormat::Table => stats::table(&figures),
        StatsFormat::Csv => stats::csv(&figures),
        StatsFormat::Json => {
            let mut json =
                serde_json::to_string_pretty(&figures).map_err(|e| Error::Serialize {
                    what: "the statistics",
                    message: e.to_string(),
                })?;
            json.push('\n');
            json
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    // Records with errors are left out of the figures; say so in the exit code.
    Ok(if diags.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `pm playbook draft|diff`: what a type's incidents teach its playbook.
fn cmd_playbook(cli: &Cli, args: &cli::PlaybookArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let kind = match &args.command {
        cli::PlaybookCommand::Draft(a) => &a.kind,
        cli::PlaybookCommand::Diff(a) => &a.kind,
    };
    if !model::is_valid_id(kind) {
        return Err(Error::Usage(format!(
            "invalid type `{kind}`: use lowercase letters, digits and `-` (e.g. `{}`)",
            model::slug(kind)
        )));
    }
    let mut diags = Diagnostics::new();
    let source_args = SourceArgs {
        rev: None,
        require_history: false,
    };
    // Lessons read code blocks and section leads: a page-depth digest.
    let loaded = load(&root, &source_args, Depth::Page, &mut diags)?;
    if diags.has_errors() {
        // Records with errors are left out of what is learned; say so, and
        // in the exit code.
        diags.sort();
        report(&diags, Format::Human, ui)?;
    }
    let Some(loaded) = loaded else {
        return Ok(EXIT_FINDINGS);
    };
    let code = if diags.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    let playbook = loaded.corpus.playbooks.get(kind);
    let lessons = learn::learn(kind, &loaded.corpus, &loaded.analyses);
    if lessons.incidents.is_empty()
        && !matches!(args.command, cli::PlaybookCommand::Diff(_) if playbook.is_some())
    {
        let kinds: std::collections::BTreeSet<&str> = loaded
            .corpus
            .incidents
            .values()
            .map(|i| i.kind.value.as_str())
            .chain(loaded.corpus.playbooks.keys().map(String::as_str))
            .collect();
        let mut message =
            format!("no incident of type `{kind}` to learn from (drafts are left out)");
        if let Some(s) = diag::suggest(kind, kinds.iter().copied()) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        return Err(Error::Usage(message));
    }
    let mut out = std::io::stdout().lock();
    let w = |e| Error::io("cannot write", Path::new("<stdout>"), e);
    match &args.command {
        cli::PlaybookCommand::Draft(a) => {
            let text = scaffold::playbook_draft(&lessons);
            let hint = format!(
                "`pm playbook diff {kind}` shows what the incidents add to it; write the draft elsewhere with `--output`, or print it with `--output -`"
            );
            match &a.output {
                Some(path) if path.as_os_str() == "-" => {
                    out.write_all(text.as_bytes()).map_err(w)?
                }
                Some(path) => {
                    create_in_repo(&root, path, &text, &hint)?;
                    print_path(path)?;
                }
                None => {
                    let rel = PathBuf::from(source::PLAYBOOKS_DIR).join(format!("{kind}.md"));
                    create_in_repo(&root, &rel, &text, &hint)?;
                    print_path(&rel)?;
                }
            }
        }
        cli::PlaybookCommand::Diff(a) => {
            let rest = learn::unsaid(&lessons, playbook);
            let file = playbook.map(|p| p.origin.file.as_str());
            let text = match a.format {
                cli::DiffFormat::Text => learn::diff_text(&rest, file),
                cli::DiffFormat::Json => {
                    let mut json = serde_json::to_string_pretty(&learn::diff_json(&rest, file))
                        .map_err(|e| Error::Serialize {
                            what: "the playbook diff",
                            message: e.to_string(),
                        })?;
                    json.push('\n');
                    json
                }
            };
            out.write_all(text.as_bytes()).map_err(w)?;
        }
    }
    Ok(code)
}

fn cmd_status_update(cli: &Cli, args: &StatusUpdateArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let mut diags = Diagnostics::new();
    let no_rev = SourceArgs {
        rev: None,
        require_history: false,
    };
    let loaded = load(&root, &no_rev, Depth::Outline, &mut diags)?;
    let file_errors = diags.items().iter().any(|d| d.level == Level::Error);
    let Some(loaded) = loaded else {
        diags.sort();
        report(&diags, Format::Human, ui)?;
        return Ok(EXIT_FINDINGS);
    };
    if !loaded.corpus.incidents.contains_key(&args.id) {
        // Report why the record could not be read, if that is the reason.
        if file_errors {
            diags.sort();
            report(&diags, Format::Human, ui)?;
        }
        let ids = loaded.corpus.incidents.keys().map(String::as_str);
        let mut message = format!("no incident `{}`", args.id);
        if let Some(s) = diag::suggest(&args.id, ids) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        return Err(Error::Usage(message));
    }
    let text = render::status::status_update(
        &loaded.corpus,
        &loaded.analyses,
        &loaded.config,
        &loaded.templates,
        &args.id,
        match args.audience {
            UpdateAudience::Customers => render::status::Audience::Customers,
            UpdateAudience::Internal => render::status::Audience::Internal,
        },
        args.format == UpdateFormat::Markdown,
    )?;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}

fn cmd_completions(args: &CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "pm", &mut out);
    std::io::stdout()
        .lock()
        .write_all(&out)
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}

fn cmd_man() -> Result<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    std::io::stdout()
        .lock()
        .write_all(&out)
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}

fn cmd_build(cli: &Cli, args: &BuildArgs, ui: Ui) -> Result<u8> {
    let started = Instant::now();
    let root = root_of(cli);
    let today = resolve_today(args.today.today.as_deref())?;
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        root.join(&args.output)
    };
    // Before the (slow) load: where the site goes, one build at a time, and
    // a site a killed build moved aside put back first.
    check_output_location(&root, &output, &args.output)?;
    let (lock, notes) = output::prepare_output(&output, output::LOCK_TIMEOUT, || {
        ui.status(&format!(
            "waiting for another pm build of `{}`",
            output.display()
        ));
    })?;
    for note in notes {
        ui.status(&format!("warning: {note}"));
    }
    let mut diags = Diagnostics::new();
    let opts = SiteOptions {
        source: &args.source,
        drafts: args.drafts,
        today,
    };
    let Some(mut site) = load_site(&root, &opts, ui, &mut diags)? else {
        report_build(&diags, ui);
        ui.status("error: the site was not built; the previous site, if any, is unchanged");
        return Ok(EXIT_FINDINGS);
    };
    report_build(&diags, ui);
    if diags.has_errors() {
        ui.status(&format!(
            "{}\nerror: the site was not built; the previous site, if any, is unchanged",
            diag::summary_line(
                diags.count(Level::Error),
                diags.count(Level::Warning),
                site.loaded.files.len()
            )
        ));
        return Ok(EXIT_FINDINGS);
    }
    if let Some(base) = &args.base_url {
        if !config::is_valid_base_url(base) {
            return Err(Error::Usage(format!(
                "invalid `--base-url` `{base}`: {}",
                config::BASE_URL_HELP
            )));
        }
        site.loaded.config.base_url = if base.ends_with('/') {
            base.clone()
        } else {
            format!("{base}/")
        };
    }
    let templates = site.templates()?;
    let renderer = site.renderer(&templates, &diags);
    let jobs = site.jobs(&renderer);
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    let panics = std::sync::Mutex::new(Vec::new());
    let written = output::write_site(&lock, &jobs, args.force, |path, job| {
        let bytes = produce(&renderer, path, job, &panics);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if ui.progress && (n.is_multiple_of(64) || n == total) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rwriting {n}/{total} files");
        }
        bytes
    })
    .map_err(|e| match e {
        // Name the folder as the user wrote it, not joined to `--root`.
        Error::ForeignOutput(_) if cli.root.is_none() => Error::ForeignOutput(args.output.clone()),
        other => other,
    });
    // A page that panicked is a finding on its record, like any other error.
    let panics = panics.into_inner().unwrap_or_default();
    if written.is_err() && !panics.is_empty() {
        let mut found = Diagnostics::new();
        found.sources = diags.sources.clone();
        found.extend(panics);
        found.sort();
        report(&found, Format::Human, ui)?;
        ui.status("error: the site was not built; the previous site, if any, is unchanged");
        return Ok(EXIT_FINDINGS);
    }
    let written = written?;
    if ui.progress {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
    }
    ui.status(&format!(
        "built {}, {} into `{}` in {:.2} s ({})",
        humanize::plural(site.loaded.corpus.incidents.len(), "incident"),
        humanize::plural(written, "file"),
        shown(&output),
        started.elapsed().as_secs_f64(),
        humanize::plural(diags.count(Level::Warning), "warning")
    ));
    Ok(EXIT_OK)
}

/// Refuses an output (the site folder, or a report file) that is, holds, or
/// is inside what the repository is made of: its root, `incidents/`,
/// `playbooks/`, `site-template/`, `pm.toml`, or the `.git` folder of the
/// git repository it is in. Replacing one would delete a user's files or
/// history, which `--force` never permits. Paths are compared as they are
/// on disk: symbolic links are resolved, and for an output that does not
/// exist yet, its longest existing ancestor is.
fn check_output_location(root: &Path, output: &Path, shown: &Path) -> Result<()> {
    let root = real_path(root);
    let out = real_path(output);
    let git = root
        .ancestors()
        .map(|dir| dir.join(".git"))
        .find(|git| std::fs::symlink_metadata(git).is_ok())
        .unwrap_or_else(|| root.join(".git"));
    // What must survive, what it is, and whether an output inside it would
    // replace part of it (every folder but the root).
    let mut protected = vec![(root.clone(), "the repository's root".to_owned(), false)];
    for dir in [
        source::INCIDENTS_DIR,
        source::PLAYBOOKS_DIR,
        source::TEMPLATES_DIR,
    ] {
        protected.push((root.join(dir), format!("`{dir}/`"), true));
    }
    protected.push((
        root.join(config::CONFIG_FILE),
        format!("`{}`", config::CONFIG_FILE),
        false,
    ));
    protected.push((git, "the git folder `.git`".to_owned(), true));
    for (path, what, inside_too) in &protected {
        let relation = if out == *path {
            "is"
        } else if path.starts_with(&out) {
            "holds"
        } else if *inside_too && out.starts_with(path) {
            "is inside"
        } else {
            continue;
        };
        return Err(Error::Usage(format!(
            "refusing to write to `{}`: that would replace records, playbooks, templates, settings or history: it {relation} {what} (`{}`)\n  help: pm replaces its output whole, even with `--force`; build into a folder of its own, outside `incidents/`, `playbooks/`, `site-template/` and `.git`, e.g. `-o public`",
            shown.display(),
            path.display()
        )));
    }
    Ok(())
}

/// `path` as it is on disk: absolute, with symbolic links resolved. A path
/// that does not exist yet resolves its longest existing ancestor and
/// appends the rest, with `.` and `..` in the rest taken lexically (the
/// folders they name do not exist yet, so no link can intervene).
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for base in absolute.ancestors() {
        let Ok(real) = std::fs::canonicalize(base) else {
            continue;
        };
        let mut out = real;
        let rest = absolute.strip_prefix(base).unwrap_or(Path::new(""));
        for c in rest.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::Normal(part) => out.push(part),
                _ => {}
            }
        }
        return out;
    }
    absolute
}

/// One file of the site: a rendered page or a copied attachment.
enum Job {
    Page(render::Page),
    Copy(source::Content),
}

/// What the site pipeline needs besides the repository.
struct SiteOptions<'a> {
    source: &'a SourceArgs,
    /// Keep records with `draft = true` on the site (they are linted either way).
    drafts: bool,
    today: Date,
}

/// A loaded and linted repository, ready to render. The one site pipeline:
/// `pm build` streams its files to disk through `output`, `pm serve` keeps
/// them in memory ([`Site::render_all`]).
struct Site {
    loaded: Loaded,
    today: Date,
}

/// source → parse → model → analysis → history → lint, for a site. Findings
/// land in `diags`, sorted; whether errors stop the caller is its own call.
/// `Ok(None)` when `pm.toml` is unusable. Drafts are linted, then dropped
/// unless asked for.
fn load_site(
    root: &Path,
    opts: &SiteOptions<'_>,
    ui: Ui,
    diags: &mut Diagnostics,
) -> Result<Option<Site>> {
    let Some(mut loaded) = load(root, opts.source, Depth::Page, diags)? else {
        diags.sort();
        return Ok(None);
    };
    load_history(root, opts.source, &mut loaded, ui)?;
    lint_loaded(&mut loaded, &CliLevels::default(), opts.today, diags);
    diags.sort();
    if !opts.drafts {
        loaded.corpus.incidents.retain(|_, i| !i.draft);
    }
    Ok(Some(Site {
        loaded,
        today: opts.today,
    }))
}

impl Site {
    /// The built-in templates with the repository's own on top.
    fn templates(&self) -> Result<render::Templates> {
        render::Templates::load(&self.loaded.templates)
    }

    fn renderer<'a>(
        &'a self,
        templates: &'a render::Templates,
        diags: &'a Diagnostics,
    ) -> render::Renderer<'a> {
        render::Renderer {
            cx: render::view::ViewCx {
                corpus: &self.loaded.corpus,
                analyses: &self.loaded.analyses,
                config: &self.loaded.config,
                markdown: &self.loaded.markdown,
                diagnostics: diags,
                history: self.loaded.history.as_ref(),
                today: self.today,
            },
            templates,
        }
    }

    /// Every file of the site (pages, assets, attachments) and what makes it.
    fn jobs(&self, renderer: &render::Renderer<'_>) -> Vec<(String, Job)> {
        let mut jobs: Vec<(String, Job)> = renderer
            .pages()
            .into_iter()
            .map(|(path, page)| (path, Job::Page(page)))
            .collect();
        for incident in self.loaded.corpus.incidents.values() {
            for a in &incident.attachments {
                jobs.push((
                    format!("incidents/{}/{}", incident.id, a.name),
                    Job::Copy(a.content.clone()),
                ));
            }
        }
        jobs
    }

    /// Renders every file of the site into memory, in parallel, for `pm serve`.
    fn render_all(&self, diags: &Diagnostics) -> Result<Vec<(String, Vec<u8>)>> {
        self.render_with(&self.templates()?, diags)
    }

    /// [`Site::render_all`] with templates already compiled.
    fn render_with(
        &self,
        templates: &render::Templates,
        diags: &Diagnostics,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        use rayon::prelude::*;
        let renderer = self.renderer(templates, diags);
        let panics = std::sync::Mutex::new(Vec::new());
        self.jobs(&renderer)
            .into_par_iter()
            .map(|(path, job)| {
                produce(&renderer, &path, &job, &panics)
                    .and_then(output::Produced::into_bytes)
                    .map(|bytes| (path, bytes))
            })
            .collect()
    }
}

/// The bytes of one file of the site, at site path `path`. A panic while
/// rendering it is pushed to `panics` as an `internal_error` naming the
/// record the page shows (`<site>/<path>` for pages of many records), and
/// the file fails: the site is not written, the previous one stays.
fn produce(
    renderer: &render::Renderer<'_>,
    path: &str,
    job: &Job,
    panics: &std::sync::Mutex<Vec<diag::Diagnostic>>,
) -> Result<output::Produced> {
    let corpus = renderer.cx.corpus;
    let file = match job {
        Job::Page(render::Page::Incident(id)) => corpus.incidents.get(id).map(|i| &i.origin.file),
        Job::Page(render::Page::Playbook(kind)) => {
            corpus.playbooks.get(kind).map(|p| &p.origin.file)
        }
        _ => None,
    }
    .cloned()
    .unwrap_or_else(|| format!("<site>/{path}"));
    let rendered = isolate::record("rendering", &file, || match job {
        Job::Page(page) => renderer.render(page).map(output::Produced::Bytes),
        Job::Copy(source::Content::File(path)) => Ok(output::Produced::CopyOf(path.clone())),
        Job::Copy(content) => content.read().map(output::Produced::Bytes),
    });
    rendered.unwrap_or_else(|d| {
        let message = format!("`{path}`: {}", d.message);
        if let Ok(mut panics) = panics.lock() {
            panics.push(*d);
        }
        Err(Error::Template(message))
    })
}

/// Reads `pm.toml` (or defaults) without reading records, for `pm new`.
fn config_only(root: &Path) -> Result<Config> {
    let path = root.join(config::CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let mut diags = Diagnostics::new();
            diags
                .sources
                .insert(config::CONFIG_FILE, std::sync::Arc::new(text.clone()));
            match Config::parse(&text, &mut diags) {
                Some(c) => Ok(c),
                None => {
                    let mut err = std::io::stderr().lock();
                    for d in diags.items() {
                        let _ = writeln!(err, "{}\n", diag::render_human(d, &diags.sources, false));
                    }
                    Err(Error::Config(path))
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(Error::io("cannot read", &path, e)),
    }
}

fn cmd_new(cli: &Cli, args: &NewArgs) -> Result<u8> {
    let root = root_of(cli);
    let config = config_only(&root)?;
    if let Some(kind) = &args.playbook {
        if !model::is_valid_id(kind) {
            return Err(Error::Usage(format!(
                "invalid type `{kind}`: use lowercase letters, digits and `-` (e.g. `{}`)",
                model::slug(kind)
            )));
        }
        let rel = PathBuf::from(source::PLAYBOOKS_DIR).join(format!("{kind}.md"));
        create_in_repo(
            &root,
            &rel,
            &scaffold::playbook_or_seed(kind),
            "edit the existing playbook instead",
        )?;
        print_path(&rel)?;
        return Ok(EXIT_OK);
    }
    let title = args.title.as_deref().unwrap_or("").trim();
    let slug = model::slug(title);
    if slug.is_empty() {
        return Err(Error::Usage(
            "the title needs at least one letter or digit to make an id from".to_owned(),
        ));
    }
    let date = match &args.date {
        Some(d) => d
            .trim()
            .parse::<Date>()
            .map_err(|_| Error::Usage(format!("invalid `--date` `{d}`: write it as YYYY-MM-DD")))?,
        None => resolve_today(None)?,
    };
    let kind = args.kind.clone().unwrap_or_else(|| "untriaged".to_owned());
    if !model::is_valid_id(&kind) {
        return Err(Error::Usage(format!(
            "invalid type `{kind}`: use lowercase letters, digits and `-` (e.g. `{}`)",
            model::slug(&kind)
        )));
    }
    let severity = match &args.severity {
        Some(s) if config.severities.contains(s) => s.clone(),
        Some(s) => {
            return Err(Error::Usage(format!(
                "unknown severity `{s}`: severities are {}",
                diag::backticked(&config.severities)
            )));
        }
        None => config
            .severities
            .get(2)
            .or(config.severities.last())
            .cloned()
            .unwrap_or_default(),
    };
    let id = format!("{date}-{slug}");
    // Records may be grouped by year; follow the layout the repository already uses.
    let incidents = PathBuf::from(source::INCIDENTS_DIR);
    let year_dir = incidents.join(date.year().to_string());
    let base = if root.join(&year_dir).is_dir() {
        year_dir
    } else {
        incidents
    };
    const TAKEN: &str =
        "edit the existing record, or give the new incident a different title or `--date`";
    refuse_symlinked_folders(&root, &base.join(&id))?;
    for existing in [base.join(format!("{id}.md")), base.join(&id)] {
        if root.join(&existing).exists() {
            return Err(Error::Exists(existing, TAKEN.to_owned()));
        }
    }
    let rel = if args.bundle {
        base.join(&id).join(source::BUNDLE_INDEX)
    } else {
        base.join(format!("{id}.md"))
    };
    let text = scaffold::incident(&config, title, &kind, &severity, &date.to_string());
    create_in_repo(&root, &rel, &text, TAKEN)?;
    print_path(&rel)?;
    Ok(EXIT_OK)
}

/// Refuses to create `dir/rel` when a folder on the way (`incidents`,
/// `incidents/2026`, `site-template`…) is a symlink: writing through it would
/// put the file wherever the link points, outside the repository, and
/// discovery ignores such a folder anyway. Exit code 2, naming the folder.
fn refuse_symlinked_folders(dir: &Path, rel: &Path) -> Result<()> {
    let mut folder = PathBuf::new();
    let parents: Vec<_> = rel
        .parent()
        .map(Path::components)
        .into_iter()
        .flatten()
        .collect();
    for component in parents {
        folder.push(component);
        let path = dir.join(&folder);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let shown = if dir == Path::new(".") {
                source::rel_string(&folder)
            } else {
                shown(&path)
            };
            return Err(Error::Usage(format!(
                "`{shown}` is a symlink, and pm does not write through one\n  help: make `{shown}` a real folder of the repository (pm does not read records through a symlink either)"
            )));
        }
    }
    Ok(())
}

/// Creates `root/rel`, never overwriting, and names it by `rel` in errors so
/// messages show the repo-relative path the user knows.
fn create_in_repo(root: &Path, rel: &Path, text: &str, hint: &str) -> Result<()> {
    refuse_symlinked_folders(root, rel)?;
    output::create_new_file(&root.join(rel), text, hint).map_err(|e| match e {
        Error::Exists(_, hint) => Error::Exists(rel.to_path_buf(), hint),
        other => other,
    })
}

/// A path as pm prints it in messages: control characters in a file or
/// folder name are written as escapes, so it cannot drive the terminal.
fn shown(path: &Path) -> String {
    diag::printable(&path.to_string_lossy()).into_owned()
}

fn print_path(rel: &Path) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", source::rel_string(rel))
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))
}

/// `pm init --templates`: copies every built-in template and asset into
/// `site-template/`, where each file overrides its built-in by name.
fn eject_templates(dir: &Path, ui: Ui) -> Result<u8> {
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
fn write_seed_playbooks(dir: &Path, ui: Ui) -> Result<u8> {
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

fn cmd_init(args: &InitArgs, ui: Ui) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if args.templates {
        return eject_templates(&dir, ui);
    }
    if args.playbooks {
        return write_seed_playbooks(&dir, ui);
    }
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(&dir).map_err(|e| Error::io("cannot read folder", &dir, e))?;
        if entries.next().is_some() && !args.force {
            return Err(Error::Usage(format!(
                "`{}` is not empty\n  help: run `pm init` in an empty folder, or pass `--force` (existing files are never overwritten)",
                shown(&dir)
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
    ui.status("next: `pm lint`, then `pm build` and open public/index.html");
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_selection() {
        let f = vec!["incidents/2026".to_owned()];
        assert!(selected("incidents/2026/a.md", &f));
        assert!(!selected("incidents/2025/a.md", &f));
        assert!(!selected("incidents/20261/a.md", &f));
        assert!(selected("anything", &[]));
        let root = Path::new(".");
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            path_filters(
                root,
                &[
                    PathBuf::from("."),
                    PathBuf::from("./incidents/"),
                    here.clone(),
                    here.join("src")
                ]
            ),
            ["", "incidents", "", "src"]
        );
    }

    #[test]
    fn one_record_from_bytes_is_linted_and_rendered() {
        let record = "+++\ntitle = \"Disk full\"\nseverity = \"SEV3\"\ntype = \"capacity\"\nstatus = \"resolved\"\n\n[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"Alert\"\n+++\n\n## Summary\n\nThe disk filled.\n";
        let today = Date::constant(2026, 11, 30);
        let templates = render::Templates::load(&[]).unwrap();
        let checked = check_record(
            "incidents/2026-01-01-disk-full.md",
            record.as_bytes(),
            today,
            Some(&templates),
        )
        .unwrap();
        assert!(!checked.diagnostics.has_errors());
        assert!(
            checked
                .diagnostics
                .items()
                .iter()
                .any(|d| d.code == "missing_playbooks")
        );
        let page = checked
            .pages
            .iter()
            .find(|(path, _)| path == "incidents/2026-01-01-disk-full/index.html")
            .unwrap();
        assert!(String::from_utf8_lossy(&page.1).contains("The disk filled."));
        let broken = check_record("playbooks/x.md", b"+++\n", today, None).unwrap();
        assert!(broken.diagnostics.has_errors());
        assert!(broken.pages.is_empty());
    }

    /// `pm lint` lints record by record; `pm build` lints the whole corpus
    /// at once. Both must find the same, to the byte, on every fixture
    /// repository and on one that has what the two could disagree on:
    /// duplicate ids, invalid records, allows, types with no playbook.
    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "the test writes its fixture repository; pm itself writes through output"
    )]
    fn lint_by_record_finds_what_lint_on_the_corpus_finds() {
        use clap::Parser;
        let extra = tempfile::tempdir().unwrap();
        let record = |kind: &str, allow: &str| {
            format!(
                "+++\ntitle = \"T\"\nseverity = \"SEV2\"\ntype = \"{kind}\"\nstatus = \"resolved\"\n{allow}\n\
                 [[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"Alert\"\nstep = \"detected\"\n\n\
                 [[timeline]]\nat = 2026-01-01T12:00:00Z\ntext = \"Alert\"\n+++\n\n## Summary\n\n<b>x</b> [a](missing.txt)\n"
            )
        };
        let files = [
            ("incidents/2026/a.md", record("disk", "")),
            ("incidents/2027/a.md", record("disk", "")),
            (
                "incidents/2026/b.md",
                record(
                    "disk",
                    "allow = [{ lint = \"missing_playbooks\", reason = \"r\" }, { lint = \"raw_htm\", reason = \"r\" }]",
                ),
            ),
            ("incidents/2026/c.md", record("network", "")),
            ("incidents/2026/d.md", "+++\ntitle = 1\n+++\n".to_owned()),
            (
                "playbooks/network.md",
                "+++\ntitle = \"Network\"\n+++\n<i>x</i>\n".to_owned(),
            ),
            ("playbooks/broken.md", "+++\ntitle = \n+++\n".to_owned()),
        ];
        for (rel, text) in files {
            let path = extra.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut roots = vec![
            extra.path().to_owned(),
            PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        ];
        for set in ["lints", "malformed"] {
            for entry in std::fs::read_dir(fixtures.join(set)).unwrap() {
                roots.push(entry.unwrap().path());
            }
        }
        for name in ["basic", "hostile", "playbooks", "timeline"] {
            roots.push(fixtures.join(name));
        }
        let today = Date::constant(2026, 11, 30);
        // Each finding as a JSON line and as the human report shows it, with
        // its snippet: `pm lint` keeps only the lines findings point at, and
        // they must read as from the whole text.
        let as_json = |diags: &mut Diagnostics| {
            diags.sort();
            let lines = diags.items().iter();
            lines
                .map(|d| {
                    let json = diag::render_json_line(d, &diags.sources);
                    json + &diag::render_human(d, &diags.sources, false)
                })
                .collect::<Vec<_>>()
        };
        for root in roots {
            let argv = ["pm", "lint", "-q", "-W", "pedantic"];
            let cli = Cli::try_parse_from(argv).unwrap();
            let Command::Lint(args) = &cli.command else {
                unreachable!()
            };
            let mut by_record = Diagnostics::new();
            let ui = Ui::new(&cli);
            let linted = lint_repository(&root, args, today, ui, &mut by_record).unwrap();
            let mut whole = Diagnostics::new();
            let loaded = load(&root, &args.source, Depth::Outline, &mut whole).unwrap();
            assert_eq!(linted.is_some(), loaded.is_some(), "{}", root.display());
            if let Some(mut loaded) = loaded {
                lint_loaded(&mut loaded, &cli_levels(args), today, &mut whole);
            }
            let found = as_json(&mut by_record);
            assert_eq!(found, as_json(&mut whole), "{}", root.display());
        }
    }

    #[test]
    fn today_from_flag() {
        assert_eq!(
            resolve_today(Some("2026-11-28")).unwrap().to_string(),
            "2026-11-28"
        );
        assert!(resolve_today(Some("28/11/2026")).is_err());
    }
}
