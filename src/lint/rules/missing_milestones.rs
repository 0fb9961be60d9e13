//! `missing_milestones`: a milestone the incident must have reached has no event.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding, milestone_expected};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_milestones",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "no timeline event marks a milestone the incident has reached",
    explanation: "### What it does\nChecks that the timeline marks `impact-start`, `detected` and `acknowledge`, \
`mitigate` once the incident is mitigated, and `verify-resolution` once it is resolved, each with a `step` on \
the event.\n\n### Why is this bad\nThe four durations (time to detect, acknowledge, mitigate, resolve) come from \
milestones; a missing one leaves a duration unmeasured and the incident out of the trends. A missing milestone \
is also a gap in the story.\n\n### Example\n```toml\n[[timeline]]\nat = 2026-11-03T14:02:00Z\n\
text = \"Pager: checkout p99 > 2 s\"\nstep = \"detected\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for step in &analysis.missing_milestones {
            if !milestone_expected(incident, step) || (*step == "verify-resolution") {
                // A resolved incident without resolution has its own lint.
                continue;
            }
            out.push(
                incident_finding(incident, format!("no timeline event marks `{step}`"))
                    .at(incident.origin.opening.clone())
                    .help(format!(
                        "add `step = \"{step}\"` to the event where it happened"
                    )),
            );
        }
    }
}
