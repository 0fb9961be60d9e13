//! `unresolved_links`: an attachment or relative link that points at nothing.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, body_line_span, incident_finding};
use crate::model::{Incident, has_scheme};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "unresolved_links",
    group: Group::Suspicious,
    scope: Scope::Record,
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
    let name = attachment_name(target);
    incident.attachments.iter().any(|a| a.name == name) || incident.withheld.contains(&name)
}

/// The file a relative link names: without `./`, query and fragment, and
/// with `%XX` escapes decoded (`my%20log.txt` names `my log.txt`).
fn attachment_name(target: &str) -> String {
    let path = target.split(['#', '?']).next().unwrap_or(target);
    percent_decode(path.trim_start_matches("./"))
}

/// Decodes `%XX` escapes; anything that is not a valid escape stays as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (Some(&b), _, _) => {
                out.push(b);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a `[triage] logs` entry is meant as a file name rather than pasted text.
fn looks_like_path(text: &str) -> bool {
    !text.contains(char::is_whitespace) && text.contains('.')
}

fn help(incident: &Incident, target: &str) -> String {
    if incident.bundle {
        let names: Vec<&str> = incident
            .attachments
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        if names.is_empty() {
            return "the bundle has no attachments; add the file beside `index.md`".to_owned();
        }
        let held = format!("the bundle holds {}", crate::diag::listed(&names, "and"));
        match crate::diag::suggest(&attachment_name(target), names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? {held}"),
            None => held,
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
                    .help(help(incident, &ev.value)),
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
                    .help(help(incident, &log.value)),
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
                .help(help(incident, &link.url)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_keeps_the_rest() {
        assert_eq!(percent_decode("my%20log.txt"), "my log.txt");
        assert_eq!(percent_decode("caf%C3%A9.txt"), "café.txt");
        assert_eq!(percent_decode("100%.txt"), "100%.txt");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(attachment_name("./graphs/p99.svg#top"), "graphs/p99.svg");
    }
}
