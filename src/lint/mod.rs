//! Lints: one rule per file under `rules/`, a sorted registry, and level resolution.
//!
//! A rule reads the model and the analysis and emits findings; it never
//! picks its own level. Levels resolve in order: the group's default, then
//! `pm.toml [lints]`, then `-A/-W/-D` on the command line, then a record's
//! own `allow = [{ lint, reason }]`. A record whose timeline could not be
//! read whole gets no lint findings until it can. Lint never renders and
//! never writes.

mod rules;

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::analysis::Analyses;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Level, suggest};
use crate::markdown::Markdown;
use crate::model::{Corpus, Incident, Playbook};

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
    /// Settings.
    pub config: &'a Config,
    /// Markdown renderer (for outlines and links).
    pub markdown: &'a Markdown,
    /// Git history, when it could be read.
    pub history: Option<&'a crate::source::git::History>,
    /// "Today", for overdue items and events in the future.
    pub today: Date,
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

/// Runs every lint that is not allowed, applies levels and records' own
/// `allow` entries, and pushes the findings to `diags`.
pub fn run_all(cx: &LintCx<'_>, levels: &Levels, diags: &mut Diagnostics) {
    use rayon::prelude::*;
    let per_lint: Vec<(&'static Lint, Findings)> = LINTS
        .par_iter()
        .copied()
        .filter(|l| {
            levels
                .get(l.name)
                .is_some_and(|(lvl, _)| *lvl != LintLevel::Allow)
        })
        .map(|lint| {
            let mut findings = Findings::default();
            (lint.check)(cx, &mut findings);
            (lint, findings)
        })
        .collect();

    // Records' own allows, by file.
    let mut allows: BTreeMap<&str, Vec<&crate::model::Allow>> = BTreeMap::new();
    for incident in cx.corpus.incidents.values() {
        allows
            .entry(&incident.origin.file)
            .or_default()
            .extend(&incident.allows);
    }
    for playbook in cx.corpus.playbooks.values() {
        allows
            .entry(&playbook.origin.file)
            .or_default()
            .extend(&playbook.allows);
    }
    for (file, entries) in &allows {
        for allow in entries {
            if find(&allow.lint.value).is_none() {
                diags
                    .push(unknown_lint(&allow.lint.value, file, false).at(allow.lint.span.clone()));
            }
        }
    }

    // A record whose timeline lost an event to an error gets only that
    // error: the dropped event would otherwise show up again as a missing
    // milestone or a gap that is not there.
    let unreadable: std::collections::BTreeSet<&str> = cx
        .corpus
        .incidents
        .values()
        .filter(|i| !i.timeline_complete)
        .map(|i| i.origin.file.as_str())
        .collect();

    for (lint, findings) in per_lint {
        let Some((level, why)) = levels.get(lint.name) else {
            continue;
        };
        for mut d in findings.items {
            let allowed = allows
                .get(d.file.as_str())
                .is_some_and(|a| a.iter().any(|x| x.lint.value == lint.name));
            if allowed || unreadable.contains(d.file.as_str()) {
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
