//! `template_placeholders`: a sentence of `pm new`'s template left unedited
//! in a record that is no longer a draft.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::lint::{Findings, Group, Lint, LintCx, Scope, body_line_span, incident_finding};

/// The sentences `pm new` writes under each section for the author to
/// replace: the scaffold writes them from here, so the lint always knows
/// them.
pub(crate) const PLACEHOLDERS: [(&str, &str); 4] = [
    (
        "Summary",
        "What happened, in three sentences a manager can read.",
    ),
    ("Impact", "Who was affected, for how long, and how badly."),
    (
        "Root cause",
        "Why it happened: the cause, and why the safeguards did not stop it.",
    ),
    ("Resolution", "What fixed it and how the fix was verified."),
];

/// A searcher per sentence, built once (building one costs more than
/// searching a body with it).
static FINDERS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| {
    PLACEHOLDERS
        .iter()
        .map(|(_, text)| Finder::new(text.as_bytes()))
        .collect()
});

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "template_placeholders",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a sentence of `pm new`'s template is still in a record that is not a draft",
    explanation: "### What it does\nFinds the sentences `pm new` writes under each section for the author to \
replace (\"What happened, in three sentences a manager can read.\") in a record without `draft = true`.\n\n\
### Why is this bad\nThe section looks written, so `missing_sections` is satisfied, but it tells the reader \
nothing about this incident, and the page publishes the instruction as if it were the finding.\n\n### Example\n\
```markdown\n## Impact\n\nCheckout failed for 4 % of customers in the EU for 25 minutes.\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values().filter(|i| !i.draft) {
        let origin = &incident.origin;
        // Most bodies hold none of the sentences: one vectorised search
        // each spares trimming every line of every record.
        let body = origin.body().as_bytes();
        if !FINDERS.iter().any(|f| f.find(body).is_some()) {
            continue;
        }
        for (index, line) in origin.body().lines().enumerate() {
            let Some((section, _)) = PLACEHOLDERS.iter().find(|(_, text)| line.trim() == *text)
            else {
                continue;
            };
            out.push(
                incident_finding(
                    incident,
                    format!("the `{section}` section still has the template's placeholder text"),
                )
                .at(body_line_span(origin, index + 1))
                .help("replace it with what happened in this incident (or put `draft = true` back until it is written)"),
            );
        }
    }
}
