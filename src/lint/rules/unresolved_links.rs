//! `unresolved_links`: an attachment or relative link that points at nothing.

use crate::lint::{Findings, Group, Lint, LintCx, body_line_span, incident_finding};
use crate::model::{Incident, has_scheme};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "unresolved_links",
    group: Group::Suspicious,
    summary: "an attachment path or relative link does not name a file of the bundle",
    explanation: "### What it does\nChecks `evidence` on timeline events, `[triage] logs` that look like file \
names, and relative links and images in the body: each must name a file of the incident's bundle \
(`incidents/<id>/`).\n\n### Why is this bad\nThe graph or log the reviewer is pointed to is missing from the \
published page, usually because the record is not a bundle or the file name has a typo.\n\n### Example\n\
```text\nincidents/2026-11-03-checkout-latency/index.md\nincidents/2026-11-03-checkout-latency/p99.svg\n```\n\
```toml\n[[timeline]]\nat = 2026-11-03T14:02:00Z\ntext = \"p99 above 2 s\"\nevidence = \"p99.svg\"\n```\n",
    check,
};

/// Whether a reference names an attachment (or is a URL, which this lint does not check).
fn resolves(incident: &Incident, target: &str) -> bool {
    if has_scheme(target) || target.starts_with(['#', '/']) || target.starts_with("../") {
        return true;
    }
    let path = target.split(['#', '?']).next().unwrap_or(target);
    let name = path.trim_start_matches("./");
    incident.attachments.iter().any(|a| a.name == name)
}

/// Whether a `[triage] logs` entry is meant as a file name rather than pasted text.
fn looks_like_path(text: &str) -> bool {
    !text.contains(char::is_whitespace) && text.contains('.')
}

fn help(incident: &Incident) -> String {
    if incident.bundle {
        let names: Vec<&str> = incident
            .attachments
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        if names.is_empty() {
            "the bundle has no attachments; add the file beside `index.md`".to_owned()
        } else {
            format!("the bundle holds {}", crate::diag::backticked(&names))
        }
    } else {
        format!(
            "make the record a bundle: move it to `incidents/{}/index.md` and put the file beside it",
            incident.id
        )
    }
}

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        for event in &incident.timeline {
            if let Some(ev) = event
                .evidence
                .as_ref()
                .filter(|e| !resolves(incident, &e.value))
            {
                out.push(
                    incident_finding(
                        incident,
                        format!("evidence `{}` is not a file of this incident", ev.value),
                    )
                    .at(ev.span.clone())
                    .help(help(incident)),
                );
            }
        }
        for log in incident.triage.iter().flat_map(|t| &t.logs) {
            if looks_like_path(&log.value) && !resolves(incident, &log.value) {
                out.push(
                    incident_finding(
                        incident,
                        format!("log `{}` is not a file of this incident", log.value),
                    )
                    .at(log.span.clone())
                    .help(help(incident)),
                );
            }
        }
        let Some(analysis) = cx.analyses.incidents.get(&incident.id) else {
            continue;
        };
        for link in analysis
            .body
            .links
            .iter()
            .filter(|l| !resolves(incident, &l.url))
        {
            out.push(
                incident_finding(
                    incident,
                    format!("link target `{}` is not a file of this incident", link.url),
                )
                .at(body_line_span(&incident.origin, link.line))
                .help(help(incident)),
            );
        }
    }
}
