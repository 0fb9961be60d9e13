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
is also a gap in the story.\n\n### What each milestone means\n- `impact-start`: users started to be hurt.\n\
- `detected`: someone or something noticed.\n- `acknowledge`: a responder took it on.\n\
- `mitigate`: the harm stopped or was contained, not the moment a fix was started (put no milestone on \
\"rollback started\"; put `mitigate` on \"rollback done, errors back to normal\"). A later `impact-start` \
after a `mitigate` records that the impact came back.\n- `verify-resolution`: the fix was confirmed.\n\n\
`pm explain <milestone>` says more about each.\n\n### Example\n```toml\n[[timeline]]\nat = 2026-11-03T14:02:00Z\n\
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
            // A day-only event may carry the step, but has no instant to
            // measure from: say so where it is written.
            let undated = incident
                .timeline
                .iter()
                .filter(|e| e.day_only)
                .find_map(|e| e.step(step));
            let finding = match undated {
                Some(written) => incident_finding(
                    incident,
                    format!("`{step}` is only on an event without a time"),
                )
                .at(written.span.clone())
                .label("this event has a date only")
                .help(
                    "a milestone needs a time: give the event its time (with `approx = true` when it is rough), or, when the sources give none, allow `missing_milestones` for this record with that reason",
                ),
                None => incident_finding(incident, format!("no timeline event marks `{step}`"))
                    .at(incident.origin.opening.clone())
                    .help(format!(
                        "add `step = \"{step}\"` to the event where it happened"
                    )),
            };
            out.push(finding);
        }
    }
}
