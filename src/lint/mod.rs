//! Lints: one rule per file under `rules/`, a sorted registry, and level resolution.
//!
//! A rule reads the model and the analysis and emits findings; it never
//! picks its own level. Most rules look at one record at a time
//! ([`Scope::Record`]); the few that compare records read the [`Index`]
//! instead ([`Scope::Repository`]), so `pm lint` can lint each record on
//! its own and let it go, and run those few once at the end. Levels
//! resolve in order: the group's default, then `pm.toml [lints]`, then `-A/-W/-D` on the command line, then a record's
//! own `allow = [{ lint, reason }]`. A record whose timeline could not be
//! read whole gets no lint findings until it can. Lint never renders and
//! never writes.

mod rules;

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::analysis::{Analyses, Glance};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Level, suggest};
use crate::markdown::Markdown;
use crate::model::{Corpus, Incident, Located, Playbook, Span};

pub use rules::LINTS;

/// A lint group; it carries the default level of its lints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// The record is wrong or unreadable: deny.
    Correctness,
    /// The record is probably incomplete: warn.
    Suspicious,
    /// The record could be clearer: warn.
    Style,
    /// Strict reviews only: allow.
    Pedantic,
}

impl Group {
    /// Every group, in order.
    pub const ALL: [Group; 4] = [
        Group::Correctness,
        Group::Suspicious,
        Group::Style,
        Group::Pedantic,
    ];

    /// The group's name as written in config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Group::Correctness => "correctness",
            Group::Suspicious => "suspicious",
            Group::Style => "style",
            Group::Pedantic => "pedantic",
        }
    }

    /// The level lints of this group start at.
    pub fn default_level(self) -> LintLevel {
        match self {
            Group::Correctness => LintLevel::Deny,
            Group::Suspicious | Group::Style => LintLevel::Warn,
            Group::Pedantic => LintLevel::Allow,
        }
    }
}

/// What a lint looks at, which says when it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One record at a time: it reads only `cx.corpus` and `cx.analyses`,
    /// so it runs on each record alone, or on all of them at once.
    Record,
    /// Every record together: it reads only `cx.index` (and the history),
    /// so it runs once every record has been indexed.
    Repository,
}

/// A configured lint level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LintLevel {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

impl LintLevel {
    /// Parses `allow`, `warn` or `deny`.
    pub fn parse(text: &str) -> Option<LintLevel> {
        match text {
            "allow" => Some(LintLevel::Allow),
            "warn" => Some(LintLevel::Warn),
            "deny" => Some(LintLevel::Deny),
            _ => None,
        }
    }

    /// The level's name.
    pub fn name(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
        }
    }
}

/// A lint: its name, group, documentation and check.
pub struct Lint {
    /// snake_case name, read as "allow `<name>`".
    pub name: &'static str,
    /// Group, which sets the default level.
    pub group: Group,
    /// What it looks at.
    pub scope: Scope,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Markdown with "What it does", "Why is this bad" and "Example" sections.
    pub explanation: &'static str,
    /// The check.
    pub check: fn(&LintCx<'_>, &mut Findings),
}

impl std::fmt::Debug for Lint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lint").field("name", &self.name).finish()
    }
}

/// What rules read.
pub struct LintCx<'a> {
    /// Validated records.
    pub corpus: &'a Corpus,
    /// Derived facts.
    pub analyses: &'a Analyses,
    /// Every record of the repository, in brief: what [`Scope::Repository`]
    /// lints read, and what levels are settled with.
    pub index: &'a Index,
    /// Settings.
    pub config: &'a Config,
    /// Markdown renderer (for outlines and links).
    pub markdown: &'a Markdown,
    /// Git history, when it could be read.
    pub history: Option<&'a crate::source::git::History>,
    /// "Today", for overdue items and events in the future.
    pub today: Date,
}

/// What the lints need to know of every record when the records themselves
/// are not at hand: the incidents and playbooks lints across records read,
/// and each file's `allow` list and whether its timeline was read whole.
/// Built from records, and merged when they are linted one by one.
#[derive(Debug, Default)]
pub struct Index {
    /// Incidents, by id.
    pub incidents: BTreeMap<String, IndexedIncident>,
    /// Playbooks, by type.
    pub playbooks: BTreeMap<String, IndexedPlaybook>,
    /// What settling the level of a finding needs, by file.
    files: BTreeMap<String, FileFacts>,
}

/// What settling the level of a finding in a file needs of its record.
#[derive(Debug, Clone)]
struct FileFacts {
    /// The lints its `allow` names.
    allows: Vec<String>,
    /// Whether its timeline was read whole (a playbook's always is): a
    /// record that lost an event to an error gets no lint findings.
    complete: bool,
}

impl FileFacts {
    fn new(allows: &[crate::model::Allow], complete: bool) -> FileFacts {
        FileFacts {
            allows: allows.iter().map(|a| a.lint.value.clone()).collect(),
            complete,
        }
    }
}

/// An incident in the [`Index`].
#[derive(Debug, Clone)]
pub struct IndexedIncident {
    /// Its file.
    pub file: String,
    /// Its type, where it is written.
    pub kind: Located<String>,
    /// Whether it is a draft.
    pub draft: bool,
    /// When it started.
    pub start: Option<Timestamp>,
}

impl IndexedIncident {
    /// The incident as views across records see it.
    pub fn glance<'a>(&'a self, id: &'a str) -> Glance<'a> {
        Glance {
            id,
            kind: &self.kind.value,
            draft: self.draft,
            start: self.start,
        }
    }
}

/// A playbook in the [`Index`].
#[derive(Debug, Clone)]
pub struct IndexedPlaybook {
    /// Its file.
    pub file: String,
    /// Its opening `+++` line, where findings on the whole playbook point.
    pub opening: Span,
}

impl Index {
    /// The index of `corpus`.
    pub fn new(corpus: &Corpus, analyses: &Analyses) -> Index {
        let mut index = Index::default();
        for (id, incident) in &corpus.incidents {
            index.incidents.insert(
                id.clone(),
                IndexedIncident {
                    file: incident.origin.file.clone(),
                    kind: incident.kind.clone(),
                    draft: incident.draft,
                    start: Glance::of(incident, analyses).start,
                },
            );
            let facts = FileFacts::new(&incident.allows, incident.timeline_complete);
            index.files.insert(incident.origin.file.clone(), facts);
        }
        for (kind, playbook) in &corpus.playbooks {
            index.playbooks.insert(
                kind.clone(),
                IndexedPlaybook {
                    file: playbook.origin.file.clone(),
                    opening: playbook.origin.opening.clone(),
                },
            );
            let facts = FileFacts::new(&playbook.allows, true);
            index.files.insert(playbook.origin.file.clone(), facts);
        }
        index
    }

    /// Adds the records of `other`, a few at a time (`BTreeMap::append`
    /// would rebuild the whole map on every call).
    pub fn merge(&mut self, other: Index) {
        self.incidents.extend(other.incidents);
        self.playbooks.extend(other.playbooks);
        self.files.extend(other.files);
    }

    /// The files of the indexed records.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// Findings of one rule; levels are applied afterwards.
#[derive(Debug, Default)]
pub struct Findings {
    items: Vec<Diagnostic>,
}

impl Findings {
    /// Reports a finding (its level is replaced during resolution).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }
}

/// Looks a lint up by name.
pub fn find(name: &str) -> Option<&'static Lint> {
    LINTS.iter().copied().find(|l| l.name == name)
}

/// Level overrides from the command line, in the order given.
#[derive(Debug, Clone, Default)]
pub struct CliLevels {
    /// `(lint or group name, level)`.
    pub overrides: Vec<(String, LintLevel)>,
}

/// Resolved levels for every lint.
#[derive(Debug, Clone)]
pub struct Levels {
    levels: BTreeMap<&'static str, (LintLevel, String)>,
}

impl Levels {
    /// Resolves group defaults, then `pm.toml [lints]`, then the command line.
    /// Unknown names become diagnostics.
    pub fn resolve(config: &Config, cli: &CliLevels, diags: &mut Diagnostics) -> Levels {
        let mut levels: BTreeMap<&'static str, (LintLevel, String)> = LINTS
            .iter()
            .map(|l| {
                let level = l.group.default_level();
                (
                    l.name,
                    (
                        level,
                        format!(
                            "`{}` is set to `{}` by default (group `{}`)",
                            l.name,
                            level.name(),
                            l.group.name()
                        ),
                    ),
                )
            })
            .collect();
        let mut apply = |name: &str, level: LintLevel, origin: &str| -> bool {
            if let Some(group) = Group::ALL.iter().find(|g| g.name() == name) {
                for lint in LINTS.iter().filter(|l| l.group == *group) {
                    levels.insert(
                        lint.name,
                        (
                            level,
                            format!(
                                "`{}` is set to `{}` by {origin} (group `{name}`)",
                                lint.name,
                                level.name()
                            ),
                        ),
                    );
                }
                return true;
            }
            match find(name) {
                Some(lint) => {
                    levels.insert(
                        lint.name,
                        (
                            level,
                            format!("`{name}` is set to `{}` by {origin}", level.name()),
                        ),
                    );
                    true
                }
                None => false,
            }
        };
        for (name, (level, span)) in &config.lints {
            let Some(level) = LintLevel::parse(level) else {
                continue;
            };
            if !apply(name, level, "`pm.toml`") {
                diags.push(unknown_lint(name, crate::config::CONFIG_FILE, true).at(span.clone()));
            }
        }
        for (name, level) in &cli.overrides {
            if !apply(name, *level, "the command line") {
                diags.push(
                    unknown_lint(name, "<command line>", true)
                        .note(format!("`{name}` was given with `-A`, `-W` or `-D`")),
                );
            }
        }
        Levels { levels }
    }

    /// The level of a lint and why.
    pub fn get(&self, name: &str) -> Option<&(LintLevel, String)> {
        self.levels.get(name)
    }
}

/// A diagnostic for a lint name that does not exist. `groups`: whether a
/// group name would be accepted where it was written (pm.toml and the
/// command line take groups; a record's `allow` does not).
pub fn unknown_lint(name: &str, file: &str, groups: bool) -> Diagnostic {
    let mut candidates: Vec<&str> = LINTS.iter().map(|l| l.name).collect();
    if groups {
        candidates.extend(Group::ALL.iter().map(|g| g.name()));
    }
    let d = Diagnostic::error("unknown_lint", file, format!("unknown lint `{name}`"));
    let is_group = Group::ALL.iter().any(|g| g.name() == name);
    match suggest(name, candidates) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None if is_group => d.help(
            "a record's `allow` names single lints, not groups: list the lints of this record's findings",
        ),
        None if groups => d.help("run `pm lint --list` to see every lint and group"),
        None => d.help("run `pm lint --list` to see every lint"),
    }
}

/// Runs every lint that is not allowed over `cx`, applies levels and
/// records' own `allow` entries, and pushes the findings to `diags`.
pub fn run_all(cx: &LintCx<'_>, levels: &Levels, diags: &mut Diagnostics) {
    run(cx, levels, &[Scope::Record, Scope::Repository], diags);
}

/// [`run_all`] for the lints of `scopes` only. With [`Scope::Record`], the
/// `allow` entries of the records in `cx.corpus` that name no lint are
/// reported too.
pub fn run(cx: &LintCx<'_>, levels: &Levels, scopes: &[Scope], diags: &mut Diagnostics) {
    use rayon::prelude::*;
    // Over many records the lints run in parallel; over one (`pm lint` runs
    // the records in parallel) they run in turn, as one task.
    let records = cx.corpus.incidents.len() + cx.corpus.playbooks.len();
    let per_task = if records > 1 { 1 } else { LINTS.len() };
    let per_lint: Vec<(&'static Lint, Findings)> = LINTS
        .par_iter()
        .with_min_len(per_task)
        .copied()
        .filter(|l| {
            scopes.contains(&l.scope)
                && levels
                    .get(l.name)
                    .is_some_and(|(lvl, _)| *lvl != LintLevel::Allow)
        })
        .map(|lint| {
            let mut findings = Findings::default();
            (lint.check)(cx, &mut findings);
            (lint, findings)
        })
        .collect();

    if scopes.contains(&Scope::Record) {
        let incidents = cx.corpus.incidents.values().map(|i| (&i.origin, &i.allows));
        let playbooks = cx.corpus.playbooks.values().map(|p| (&p.origin, &p.allows));
        let mut records: Vec<_> = incidents.chain(playbooks).collect();
        records.sort_by(|a, b| a.0.file.cmp(&b.0.file));
        for (origin, allows) in records {
            for allow in allows.iter().filter(|a| find(&a.lint.value).is_none()) {
                diags.push(
                    unknown_lint(&allow.lint.value, &origin.file, false)
                        .at(allow.lint.span.clone()),
                );
            }
        }
    }

    for (lint, findings) in per_lint {
        let Some((level, why)) = levels.get(lint.name) else {
            continue;
        };
        for mut d in findings.items {
            // A record whose timeline lost an event to an error gets only
            // that error: the dropped event would otherwise show up again
            // as a missing milestone or a gap that is not there.
            let settled = cx
                .index
                .files
                .get(d.file.as_str())
                .is_some_and(|f| !f.complete || f.allows.iter().any(|a| a == lint.name));
            if settled {
                continue;
            }
            d.code = lint.name;
            d.level = match level {
                LintLevel::Deny => Level::Error,
                _ => Level::Warning,
            };
            d.notes.push(why.clone());
            diags.push(d);
        }
    }
}

/// Shorthand for rules: a finding in an incident's file.
pub(crate) fn incident_finding(incident: &Incident, message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning("lint", &incident.origin.file, message)
}

/// Shorthand for rules: a finding in a playbook's file.
pub(crate) fn playbook_finding(playbook: &Playbook, message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning("lint", &playbook.origin.file, message)
}

/// Every open or in-progress action item, with its incident.
pub(crate) fn open_actions<'a>(
    cx: &'a LintCx<'_>,
) -> impl Iterator<Item = (&'a Incident, &'a crate::model::Action)> {
    cx.corpus
        .incidents
        .values()
        .flat_map(|i| i.actions.iter().map(move |a| (i, a)))
        .filter(|(_, a)| a.status.is_open())
}

/// The byte span of a 1-based body line of a record, in file offsets.
pub(crate) fn body_line_span(origin: &crate::model::Origin, line: usize) -> std::ops::Range<usize> {
    origin.body_line(line)
}
