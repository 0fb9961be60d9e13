//! The lint passes: over a loaded corpus (`pm build`, `pm serve`), and
//! `pm lint`'s record-by-record pass that lets each record go once linted.

use std::collections::BTreeSet;
use std::path::Path;

use jiff::civil::Date;

use crate::cli::SourceArgs;
use crate::config::Config;
use crate::diag::{self, Diagnostics};
use crate::error::Result;
use crate::lint::{self, CliLevels, Levels, LintCx};
use crate::markdown::{Depth, Markdown};
use crate::{analysis, isolate, model, source};

use super::load::{Loaded, check_root, isolated, read_history, settings};
use super::ui::Ui;

/// Lints a loaded repository into `diags`. A record a lint panics on is
/// dropped from the corpus with an `internal_error` (see [`isolated`]).
pub(crate) fn lint_loaded(
    loaded: &mut Loaded,
    cli: &CliLevels,
    today: Date,
    diags: &mut Diagnostics,
) {
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
            facts: crate::analysis::Facts {
                corpus,
                analyses,
                config,
                markdown,
                history: history.as_ref(),
                today,
            },
            index: &index,
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
/// for its pages. Returns the record files read and whether history was
/// missing, `None` when `pm.toml` is unusable.
pub(crate) fn lint_repository(
    root: &Path,
    source_args: &SourceArgs,
    cli: &CliLevels,
    today: Date,
    ui: Ui,
    diags: &mut Diagnostics,
) -> Result<Option<LintedRepository>> {
    use rayon::prelude::*;
    check_root(root)?;
    let worktree = source::WorkTree::new(root);
    let rev = source_args.rev.as_deref();
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
        levels: &Levels::resolve(&config, cli, diags),
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
        if shared.contains(p.stem.as_str()) || (p.linted.is_some() && !kinds_known) {
            Keep::Whole
        } else if p.has_findings() {
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
    let (history, history_warning) =
        read_history(root, source_args, &playbooks, repository, ui, true)?;
    diags.extend(pass.lint_across(&index, history.as_ref()));
    Ok(Some(LintedRepository {
        files,
        history_warning,
    }))
}

/// What `pm lint` read: the record files, and whether it warned (on
/// stderr, outside the findings) that the repository has no history to read.
pub(crate) struct LintedRepository {
    /// Every record file read, repo-relative.
    pub(crate) files: Vec<String>,
    /// The run printed a warning about missing git history, which the
    /// summary line counts with the findings' warnings.
    pub(crate) history_warning: bool,
}

/// The incident ids (file stems) that more than one record file has: a
/// duplicate id is reported on the later file, so its text is kept for the
/// snippet. (A playbook's text is always kept.)
pub(crate) fn shared_ids(records: &[source::Unread]) -> BTreeSet<String> {
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
pub(crate) fn settle(
    passes: impl IntoIterator<Item = LintPass>,
    diags: &mut Diagnostics,
) -> lint::Index {
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
pub(crate) enum ToLint {
    Read(source::SourceFile),
    Unread(source::Unread),
}

impl ToLint {
    pub(crate) fn kind(&self) -> source::RecordKind {
        match self {
            ToLint::Read(file) => file.kind,
            ToLint::Unread(file) => file.kind,
        }
    }
}

/// What `pm lint`'s pass over each record shares.
pub(crate) struct LintEnv<'a> {
    pub(crate) config: &'a Config,
    pub(crate) levels: &'a Levels,
    pub(crate) markdown: &'a Markdown,
    pub(crate) today: Date,
    pub(crate) worktree: &'a source::WorkTree<'a>,
}

/// One record after `pm lint`'s pass over it.
pub(crate) struct LintPass {
    pub(crate) file: String,
    pub(crate) stem: String,
    /// The record's text, when a finding may point into it.
    pub(crate) text: Option<diag::Text>,
    /// What parsing and validating found, and internal errors.
    pub(crate) found: Vec<diag::Diagnostic>,
    /// The texts of refused attachments that findings point into.
    pub(crate) sources: Vec<(String, diag::Text)>,
    /// When the record was valid and was linted.
    pub(crate) linted: Option<Linted>,
}

/// What `pm lint` keeps of a record it linted.
pub(crate) struct Linted {
    pub(crate) id: model::RecordId,
    pub(crate) index: lint::Index,
    pub(crate) findings: Vec<diag::Diagnostic>,
}

impl<'e> LintEnv<'e> {
    /// What the lints read: this run's settings over `corpus` (one record,
    /// or none for the lints across records, which read only `index`).
    fn cx<'a>(
        &'a self,
        corpus: &'a model::Corpus,
        analyses: &'a analysis::Analyses,
        index: &'a lint::Index,
        history: Option<&'a crate::revisions::History>,
    ) -> LintCx<'a> {
        LintCx {
            facts: crate::analysis::Facts {
                corpus,
                analyses,
                config: self.config,
                markdown: self.markdown,
                history,
                today: self.today,
            },
            index,
        }
    }
}

impl LintEnv<'_> {
    /// Reads, validates, analyses and lints one record with the lints of
    /// [`lint::Scope::Record`], and keeps as much of its text as `keep`
    /// says findings may point into. A panic in a stage drops the record with an
    /// `internal_error`, as on the whole corpus.
    pub(crate) fn run(&self, record: ToLint, keep: impl Fn(&LintPass) -> Keep) -> Result<LintPass> {
        let (mut pass, text, _) = self.lint_one(record, Depth::Outline)?;
        let keep = keep(&pass);
        pass.keep_text(&text, keep);
        Ok(pass)
    }

    /// Reads, validates, analyses (each body at `depth`) and lints one
    /// record with the lints of [`lint::Scope::Record`]: the pass, which
    /// keeps no text yet ([`LintPass::keep_text`]), the record's text, and
    /// the record with its analysis when it is valid and was linted.
    pub(crate) fn lint_one(
        &self,
        record: ToLint,
        depth: Depth,
    ) -> Result<(LintPass, diag::Text, Option<Record>)> {
        let file = match record {
            ToLint::Read(file) => file,
            ToLint::Unread(file) => file.read(self.worktree)?,
        };
        let stem = file.stem.clone();
        let read = model::read_one(file, self.config);
        let mut found = read.found;
        let mut valid = None;
        let linted = read.record.and_then(|record| {
            let id = record.id();
            let corpus = record.into_corpus();
            let analysed = isolate::record("analysing", &read.file, || {
                analysis::analyze(&corpus, self.config, self.markdown, depth)
            });
            let analyses = analysed.map_err(|d| found.push(*d)).ok()?;
            let index = lint::Index::new(&corpus, &analyses);
            let cx = self.cx(&corpus, &analyses, &index, None);
            let linted = isolate::record("linting", &read.file, || {
                let mut findings = Diagnostics::new();
                lint::run(&cx, self.levels, &[lint::Scope::Record], &mut findings);
                findings.into_items()
            });
            let findings = linted.map_err(|d| found.push(*d)).ok()?;
            valid = Some(Record { corpus, analyses });
            Some(Linted {
                id,
                index,
                findings,
            })
        });
        let pass = LintPass {
            file: read.file,
            stem,
            text: None,
            found,
            sources: read.sources,
            linted,
        };
        Ok((pass, read.text, valid))
    }
}

impl LintEnv<'_> {
    /// The findings of the lints of [`lint::Scope::Repository`], which
    /// compare records: run once, on the index of every record, with git
    /// history when there is some.
    pub(crate) fn lint_across(
        &self,
        index: &lint::Index,
        history: Option<&crate::revisions::History>,
    ) -> Vec<diag::Diagnostic> {
        let (corpus, analyses) = (model::Corpus::default(), analysis::Analyses::default());
        let cx = self.cx(&corpus, &analyses, index, history);
        let across = isolate::records("linting", index.files(), || {
            let mut found = Diagnostics::new();
            lint::run(&cx, self.levels, &[lint::Scope::Repository], &mut found);
            found.into_items()
        });
        across.unwrap_or_else(|panic| {
            vec![isolate::internal_error("linting", "<pm>", panic.as_ref())]
        })
    }
}

/// A valid record and its analysis, alone in a corpus.
pub(crate) struct Record {
    pub(crate) corpus: model::Corpus,
    pub(crate) analyses: analysis::Analyses,
}

/// How much of a record's text `pm lint` keeps for its findings' snippets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// None: nothing points into it.
    Nothing,
    /// The lines its own findings point at ([`diag::excerpt::Excerpt`]).
    Lines,
    /// All of it: a finding about the whole repository may point into it.
    Whole,
}

impl LintPass {
    /// Keeps as much of the record's `text` as `keep` says.
    pub(crate) fn keep_text(&mut self, text: &diag::Text, keep: Keep) {
        match keep {
            Keep::Whole => self.text = Some(text.clone()),
            Keep::Lines => self.text = Some(std::sync::Arc::new(self.cut_to_findings(text))),
            Keep::Nothing => {}
        }
    }

    /// Whether the record has findings of its own.
    pub(crate) fn has_findings(&self) -> bool {
        !self.found.is_empty() || self.linted.as_ref().is_none_or(|l| !l.findings.is_empty())
    }

    /// The record's own findings, sorted, with its text: what its page
    /// shows, before the text is cut ([`LintPass::keep_text`]).
    pub(crate) fn own_findings(&self, text: &diag::Text) -> Diagnostics {
        let mut own = Diagnostics::new();
        own.sources.insert(self.file.clone(), text.clone());
        own.extend(self.found.iter().cloned());
        own.extend(self.linted.iter().flat_map(|l| l.findings.iter().cloned()));
        own.sort();
        own
    }

    /// `text` cut down to the lines this record's findings point at, with
    /// their spans moved to match.
    pub(crate) fn cut_to_findings(&mut self, text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::markdown::Depth;
    use crate::pipeline::load::load;

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
        // As `pm lint -q -W pedantic`.
        let levels = CliLevels {
            overrides: vec![("pedantic".to_owned(), crate::lint::LintLevel::Warn)],
        };
        let source = SourceArgs {
            rev: None,
            require_history: false,
        };
        let ui = Ui {
            color: false,
            quiet: true,
            verbose: 0,
            progress: false,
        };
        for root in roots {
            let mut by_record = Diagnostics::new();
            let linted =
                lint_repository(&root, &source, &levels, today, ui, &mut by_record).unwrap();
            let mut whole = Diagnostics::new();
            let loaded = load(&root, &source, Depth::Outline, &mut whole).unwrap();
            assert_eq!(linted.is_some(), loaded.is_some(), "{}", root.display());
            if let Some(mut loaded) = loaded {
                lint_loaded(&mut loaded, &levels, today, &mut whole);
            }
            let found = as_json(&mut by_record);
            assert_eq!(found, as_json(&mut whole), "{}", root.display());
        }
    }
}
