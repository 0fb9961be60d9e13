//! `raw_html`: HTML written in a Markdown body, which pm shows as text.

use crate::diag::Diagnostic;
use crate::lint::{Findings, Group, Lint, LintCx, Scope, body_line_span};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "raw_html",
    group: Group::Style,
    scope: Scope::Record,
    summary: "raw HTML in a Markdown body is shown as text, not rendered",
    explanation: "### What it does\nFinds HTML tags in incident and playbook bodies outside code.\n\n\
### Why is this bad\npm never runs HTML from records: the site is read by the whole organisation, and pasted \
logs often carry markup. The tag is shown literally, which is rarely what the author meant.\n\n### Example\n\
```markdown\nThe error was <b>connection refused</b>.\n```\nUse instead:\n```markdown\nThe error was \
**connection refused**, or, for pasted output, a fenced code block.\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    let incidents = cx.corpus.incidents.values().filter_map(|i| {
        cx.analyses
            .incidents
            .get(&i.id)
            .map(|a| (&i.origin, &a.body))
    });
    let playbooks = cx.corpus.playbooks.values().filter_map(|p| {
        cx.analyses
            .playbook_bodies
            .get(&p.kind)
            .map(|b| (&p.origin, b))
    });
    for (origin, body) in incidents.chain(playbooks) {
        for &line in &body.raw_html_lines {
            out.push(
                Diagnostic::warning(
                    "lint",
                    &origin.file,
                    "raw HTML is shown as text, not rendered",
                )
                .at(body_line_span(origin, line))
                .help("use Markdown instead, or put pasted output in a fenced code block (```)"),
            );
        }
    }
}
