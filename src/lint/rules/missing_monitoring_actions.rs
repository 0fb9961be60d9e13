//! `missing_monitoring_actions`: slow or customer detection, and no
//! monitoring action item to catch it sooner next time.

use crate::humanize as format;
use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};
use crate::model::{ActionKind, DetectedBy};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "missing_monitoring_actions",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "detection was slow or came from a customer, and no action item has `kind = \"monitoring\"`",
    explanation: "### What it does\nFinds incidents that were detected by a customer (`detected_by = \"customer\"`) \
or whose time to detect (impact start to detection) is longer than `[actions] monitoring_after` in pm.toml \
(default 15 minutes), and that have no action item with `kind = \"monitoring\"`.\n\n\
### Why is this bad\nEvery postmortem should answer \"what monitoring would have caught this sooner\". When \
customers noticed first, or the alert came late, the answer is not \"nothing\": without a monitoring item the \
next incident of the kind will be found the same way.\n\n\
### Example\n```toml\n[[actions]]\nkind = \"monitoring\"\n\
text = \"Alert on checkout p99 above 1 s for 5 minutes, not only on error rate\"\nowner = \"bob\"\ndue = 2026-12-15\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        if incident
            .actions
            .iter()
            .any(|a| a.kind == Some(ActionKind::Monitoring))
        {
            continue;
        }
        let by_customer = incident
            .detected_by
            .as_ref()
            .filter(|d| d.value == DetectedBy::Customer);
        let slow = cx
            .analyses
            .incidents
            .get(&incident.id)
            .and_then(|a| Some((a.durations.detect?, a.milestone("detected")?)))
            .filter(|(took, _)| *took > cx.config.monitoring_after);
        let finding = match (by_customer, slow) {
            (Some(detected_by), _) => incident_finding(
                incident,
                "a customer detected this incident and no action item is about monitoring",
            )
            .at(detected_by.span.clone()),
            (None, Some((took, milestone))) => {
                let Some(event) = incident.timeline.get(milestone.event) else {
                    continue;
                };
                incident_finding(
                    incident,
                    format!(
                        "detection took {} (more than {}) and no action item is about monitoring",
                        format::duration(took),
                        format::duration(cx.config.monitoring_after)
                    ),
                )
                .at(event.at_span.clone())
            }
            (None, None) => continue,
        };
        out.push(finding.help(
            "add an `[[actions]]` entry with `kind = \"monitoring\"`: the alert or dashboard that would have caught this sooner",
        ));
    }
}
