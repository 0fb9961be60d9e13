//! `missing_checklist_steps`: a required incident-checklist step with no evidence.

use crate::analysis::Coverage;
use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding, milestone_expected};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_checklist_steps",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a required incident-checklist step has no evidence and no reason for skipping",
    explanation: "### What it does\nFor each step of the incident checklist required at the incident's severity, \
looks for evidence: a timeline event with that `step`, structured data that shows it (`[[hypotheses]]`, \
`[[changes]]`, `[[updates]]`), or a `[checklist]` entry. A step that is also a milestone the incident must \
have reached (`acknowledge`, `mitigate`, `verify-resolution`) is reported once, by `missing_milestones` or \
`resolved_without_resolution`, not here as well.\n\n### Why is this bad\nA step with no evidence was either \
skipped or not written down; either way the review cannot tell whether recent changes were checked or \
stakeholders were told.\n\n### Example\nA record with no `check-recent-changes` evidence. Add one of:\n```toml\n\
[[changes]]\nat = 2026-11-03T13:40:00Z\nkind = \"deploy\"\ntext = \"checkout v2.14 rolled out\"\nsuspect = true\n\n\
[checklist]\ncheck-recent-changes = \"skipped: no deploys in the last 48 hours\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for step in analysis
            .checklist
            .iter()
            .filter(|s| s.required && s.coverage == Coverage::Missing)
            // A missing milestone of the same name is reported once, as such.
            .filter(|s| !milestone_expected(incident, &s.id))
        {
            out.push(
                incident_finding(incident, format!("checklist step `{}` has no evidence", step.id))
                    .at(incident.origin.opening.clone())
                    .label(format!("no evidence of \"{}\"", step.title.to_lowercase()))
                    .help(match step.id.as_str() {
                        "test-hypothesis" => "set `result = \"confirmed\"` or `\"rejected\"` on a `[[hypotheses]]` entry, add a timeline event with `step = \"test-hypothesis\"`, or under `[checklist]` write `test-hypothesis = \"skipped: <reason>\"`".to_owned(),
                        "form-hypothesis" => "add a `[[hypotheses]]` entry, a timeline event with `step = \"form-hypothesis\"`, or under `[checklist]` write `form-hypothesis = \"skipped: <reason>\"`".to_owned(),
                        "check-recent-changes" => "list what changed in `[[changes]]` (or write `check-recent-changes = \"skipped: <reason>\"` under `[checklist]`)".to_owned(),
                        id => format!(
                            "add a timeline event with `step = \"{id}\"`, or under `[checklist]` write `{id} = true` or `{id} = \"skipped: <reason>\"`"
                        ),
                    }),
            );
        }
    }
}
