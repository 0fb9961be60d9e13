//! What a lint is and what it reads: its group, scope and level, the
//! context of a run, and the findings it reports.

use crate::analysis::Facts;
use crate::diag::Diagnostic;
use crate::model::{Incident, Playbook};

use super::index::Index;

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

/// What rules read: the facts of the repository (through `Deref`, so a
/// rule writes `cx.corpus`) and the index of every record.
pub struct LintCx<'a> {
    /// The records, their analyses, settings, history and "today".
    pub facts: Facts<'a>,
    /// Every record of the repository, in brief: what [`Scope::Repository`]
    /// lints read, and what levels are settled with.
    pub index: &'a Index,
}

impl<'a> std::ops::Deref for LintCx<'a> {
    type Target = Facts<'a>;

    fn deref(&self) -> &Facts<'a> {
        &self.facts
    }
}

/// Findings of one rule; levels are applied afterwards.
#[derive(Debug, Default)]
pub struct Findings {
    pub(super) items: Vec<Diagnostic>,
}

impl Findings {
    /// Reports a finding (its level is replaced during resolution).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
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

/// Whether an incident at its `status` must have reached milestone `step`:
/// the first three always, `mitigate` once it is no longer active,
/// `verify-resolution` once resolved. A missing one is reported once, by
/// `missing_milestones` (or `resolved_without_resolution` for
/// `verify-resolution`), never again as a missing checklist step of the
/// same name: the fix (an event with that `step`) is the same.
pub(crate) fn milestone_expected(incident: &Incident, step: &str) -> bool {
    match step {
        "mitigate" => incident.status.value != crate::model::Status::Active,
        "verify-resolution" => incident.status.value == crate::model::Status::Resolved,
        other => crate::config::MILESTONES.iter().any(|(id, _)| *id == other),
    }
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
