//! `missing_playbooks`: an incident type with no curated playbook.

use std::collections::BTreeMap;

use crate::lint::{Findings, Group, Lint, LintCx, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_playbooks",
    group: Group::Style,
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
    let mut latest: BTreeMap<&str, &crate::model::Incident> = BTreeMap::new();
    for incident in cx.corpus.incidents.values() {
        let kind = incident.kind.value.as_str();
        if cx.corpus.playbooks.contains_key(kind) {
            continue;
        }
        let start =
            |i: &crate::model::Incident| cx.analyses.incidents.get(&i.id).and_then(|a| a.start);
        let entry = latest.entry(kind).or_insert(incident);
        if (start(incident), &incident.id) > (start(entry), &entry.id) {
            *entry = incident;
        }
    }
    for (kind, incident) in latest {
        out.push(
            incident_finding(incident, format!("incident type `{kind}` has no playbook"))
                .at(incident.kind.span.clone())
                .help(format!(
                    "run `pm playbook draft {kind}` to draft `playbooks/{kind}.md` from its incidents, then edit and commit it"
                )),
        );
    }
}
