//! `missing_sections`: a required `##` section is absent from an incident's body.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_sections",
    group: Group::Style,
    scope: Scope::Record,
    summary: "the postmortem body lacks a required section",
    explanation: "### What it does\nChecks that the Markdown body has a heading for each of `[body] \
required_sections` in pm.toml (default: Summary, Impact, Root cause), compared without case.\n\n\
### Why is this bad\nReaders jump to the same sections in every postmortem; a missing root cause is the most \
common way a review ends without learning anything.\n\n### Example\n```markdown\n## Summary\n\nCheckout was slow \
for 47 minutes.\n\n## Impact\n\n12 % of payments failed.\n\n## Root cause\n\nThe pool was too small for the \
batch job.\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for section in &cx.config.required_sections {
            let present = analysis
                .body
                .headings
                .iter()
                .any(|h| h.text.trim().eq_ignore_ascii_case(section.trim()));
            if !present {
                // Point at the closing `+++`: the body starts right after it,
                // and the line is never blank.
                let head = incident
                    .origin
                    .text
                    .get(..incident.origin.body_offset)
                    .unwrap_or_default();
                let at = head
                    .rfind("+++")
                    .map_or(incident.origin.opening.clone(), |i| i..i + 3);
                out.push(
                    incident_finding(incident, format!("body has no `## {section}` section"))
                        .at(at)
                        .label("the body starts after this line")
                        .help(format!(
                            "add a `## {section}` heading and its text to the Markdown body"
                        )),
                );
            }
        }
    }
}
