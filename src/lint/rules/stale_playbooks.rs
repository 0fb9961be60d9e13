//! `stale_playbooks`: a playbook last revised before the latest incident of
//! its type.

use jiff::Timestamp;

use crate::diag::Diagnostic;
use crate::lint::{Findings, Group, Lint, LintCx, Scope};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "stale_playbooks",
    group: Group::Suspicious,
    scope: Scope::Repository,
    summary: "a playbook was last revised (in git) before the latest incident of its type started",
    explanation: "### What it does\nCompares each playbook's last commit with the start of the incidents of its type, \
and names the incidents that started after the playbook was last revised. It needs git history; without it \
(no repository, a shallow clone) the lint is silent.\n\n\
### Why is this bad\nAn incident usually teaches something: a symptom nobody listed, a check that found the \
cause, a mitigation that did not work. A playbook that has not been touched since is likely to miss it, and the \
next responder reads the old advice.\n\n\
### Example\nAfter the review of `2026-11-12-duplicate-captures-idempotency-eviction`, add what it taught to \
`playbooks/data-corruption.md` (a symptom, a first check, a ranked mitigation) and commit both together.\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    let Some(history) = cx.history else {
        return;
    };
    for (kind, playbook) in &cx.index.playbooks {
        let glances = cx.index.incidents.iter().map(|(id, i)| i.glance(id));
        let ids = crate::analysis::stale_since(glances, history, &playbook.file, kind);
        let Some(revised) = history
            .files
            .get(&playbook.file)
            .and_then(|h| h.last())
            .and_then(|r| Timestamp::from_second(r.time).ok())
        else {
            continue;
        };
        if ids.is_empty() {
            continue;
        }
        let day = jiff::tz::TimeZone::UTC.to_datetime(revised).date();
        out.push(
            Diagnostic::warning(
                "lint",
                &playbook.file,
                format!(
                    "playbook was last revised on {day}, before {} of its type",
                    crate::humanize::plural(ids.len(), "incident")
                ),
            )
            .at(playbook.opening.clone())
            .note(format!("incidents since: {}", crate::diag::listed(&ids, "and")))
            .help(format!("`pm playbook diff {kind}` lists what those incidents taught that the playbook does not say yet (symptoms, first checks, mitigations that worked or did not); add what helps and commit the playbook")),
        );
    }
}
