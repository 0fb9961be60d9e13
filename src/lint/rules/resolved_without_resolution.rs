//! `resolved_without_resolution`: `status = "resolved"` but no `verify-resolution` event.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};
use crate::model::Status;

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "resolved_without_resolution",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a resolved incident has no event marking `verify-resolution`",
    explanation: "### What it does\nChecks that an incident with `status = \"resolved\"` has a timeline event with \
`step = \"verify-resolution\"`.\n\n### Why is this bad\nTime to resolve is measured to that event; without it the \
incident claims to be resolved but nobody recorded how the fix was verified, and it drops out of the resolve \
trends.\n\n### Example\n```toml\n[[timeline]]\nat = 2026-11-03T16:40:00Z\n\
text = \"p99 back under 300 ms for 30 minutes; closing\"\nstep = \"verify-resolution\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        if incident.status.value == Status::Resolved
            && analysis.milestone("verify-resolution").is_none()
        {
            out.push(
                incident_finding(incident, "incident is resolved but no event marks `verify-resolution`")
                    .at(incident.status.span.clone())
                    .help("add `step = \"verify-resolution\"` to the event where the fix was verified, or set `status` to `mitigated`"),
            );
        }
    }
}
