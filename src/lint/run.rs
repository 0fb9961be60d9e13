//! Running the lints over a context and settling each finding's level.

use crate::diag::{Diagnostics, Level};

use super::context::{Findings, Lint, LintCx, LintLevel, Scope};
use super::levels::{Levels, find, unknown_lint};
use super::rules::LINTS;

/// The lints that read nothing of the timeline: a record whose timeline lost
/// an event to an error still gets their findings, in the same run as the
/// error. Every other lint is held back for that record (the dropped event
/// would show up as a missing milestone or a gap that is not there); a new
/// lint is held back until it is listed here.
const TIMELINE_FREE: &[&str] = &[
    "incomplete_playbooks",
    "missing_monitoring_actions",
    "missing_playbooks",
    "missing_prevention_actions",
    "missing_sections",
    "overdue_action_items",
    "raw_html",
    "template_placeholders",
    "undated_action_items",
    "unkinded_action_items",
    "unowned_action_items",
    "unresolved_links",
];

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
            // A record whose timeline lost an event to an error gets that
            // error and the findings of the lints that do not read the
            // timeline: the dropped event would otherwise show up again as a
            // missing milestone or a gap that is not there.
            let settled = cx.index.files.get(d.file.as_str()).is_some_and(|f| {
                (!f.complete && !TIMELINE_FREE.contains(&lint.name))
                    || f.allows.iter().any(|a| a == lint.name)
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_timeline_free_lint_exists() {
        for name in TIMELINE_FREE {
            assert!(find(name).is_some(), "`{name}` is not a lint");
        }
    }
}
