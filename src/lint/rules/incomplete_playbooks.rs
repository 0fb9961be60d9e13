//! `incomplete_playbooks`: a playbook missing one of its six sections.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, playbook_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "incomplete_playbooks",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a playbook lacks one of symptoms, first checks, causes, mitigations, resolution, verification",
    explanation: "### What it does\nChecks that each playbook has all six sections, each with at least one item: \
`symptoms`, `first_checks`, `causes`, `mitigations`, `resolution`, `verification`.\n\n### Why is this bad\nThe \
on-call reads the playbook in the middle of the fire; a missing section is the question they will have to \
answer alone.\n\n### Example\n```toml\nverification = [\"p99 under 300 ms for 15 minutes\", \
\"no `too many connections` in the last 10 minutes of logs\"]\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for playbook in cx.corpus.playbooks.values() {
        let sections = [
            ("symptoms", playbook.symptoms.as_ref().map(Vec::len)),
            ("first_checks", playbook.first_checks.as_ref().map(Vec::len)),
            ("causes", playbook.causes.as_ref().map(Vec::len)),
            ("mitigations", playbook.mitigations.as_ref().map(Vec::len)),
            ("resolution", playbook.resolution.as_ref().map(Vec::len)),
            ("verification", playbook.verification.as_ref().map(Vec::len)),
        ];
        for (key, len) in sections {
            let message = match len {
                None => format!("playbook has no `{key}`"),
                Some(0) => format!("playbook's `{key}` is empty"),
                Some(_) => continue,
            };
            let help = if key == "mitigations" {
                "add `[[mitigations]]` entries with `option`, `speed`, `risk` and `effectiveness`"
                    .to_owned()
            } else {
                format!("add `{key} = [\"...\"]` with at least one item")
            };
            out.push(
                playbook_finding(playbook, message)
                    .at(playbook
                        .section_spans
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| playbook.origin.opening.clone()))
                    .help(help),
            );
        }
    }
}
