//! `missing_playbooks`: an incident type with no curated playbook.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::lint::{Findings, Group, IndexedIncident, Lint, LintCx, Scope};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_playbooks",
    group: Group::Style,
    scope: Scope::Repository,
    summary: "an incident's type has no `playbooks/<type>.md`",
    explanation: "### What it does\nFinds incident types with no curated playbook file. It reports once per \
type, on the type's most recent incident.\n\n### Why is this bad\nThe next on-call meeting this kind of incident \
starts from nothing. pm still publishes a playbook page generated from the incidents, marked as generated; \
a curated file makes it trustworthy.\n\n### Example\n```text\nplaybooks/database.md\n```\nDraft it from the \
incidents with `pm playbook draft database` (each item names the incidents it came from), then edit the six \
sections and commit it. `pm new --playbook database` writes an empty one instead.\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    let mut latest: BTreeMap<&str, (&str, &IndexedIncident)> = BTreeMap::new();
    for (id, incident) in &cx.index.incidents {
        let kind = incident.kind.value.as_str();
        if cx.index.playbooks.contains_key(kind) {
            continue;
        }
        let entry = latest.entry(kind).or_insert((id, incident));
        if (incident.start, id.as_str()) > (entry.1.start, entry.0) {
            *entry = (id, incident);
        }
    }
    for (kind, (_, incident)) in latest {
        out.push(
            Diagnostic::warning("lint", &incident.file, format!("incident type `{kind}` has no playbook"))
                .at(incident.kind.span.clone())
                .help(format!(
                    "run `pm playbook draft {kind}` to draft `playbooks/{kind}.md` from its incidents, then edit and commit it"
                )),
        );
    }
}
