//! Levels: group defaults, then `pm.toml [lints]`, then the command line,
//! then a record's own `allow`.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, suggest};

use super::context::{Group, Lint, LintLevel};
use super::rules::LINTS;

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
