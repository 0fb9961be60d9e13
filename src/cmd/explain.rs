//! `pm explain`: a lint or schema check explained, or the list of them.

use std::io::Write as _;
use std::path::Path;

use crate::diag::{self};
use crate::error::{Error, Result};
use crate::{EXIT_OK, lint};

pub(crate) fn list_lints() -> Result<u8> {
    let mut out = std::io::stdout().lock();
    let w = |e| Error::io("cannot write", Path::new("<stdout>"), e);
    writeln!(out, "{:<30} {:<12} {:<6} summary", "lint", "group", "level").map_err(w)?;
    for l in lint::LINTS {
        writeln!(
            out,
            "{:<30} {:<12} {:<6} {}",
            l.name,
            l.group.name(),
            l.group.default_level().name(),
            l.summary
        )
        .map_err(w)?;
    }
    writeln!(
        out,
        "\ngroups: correctness (deny), suspicious (warn), style (warn), pedantic (allow)"
    )
    .map_err(w)?;
    writeln!(
        out,
        "\nschema checks (records pm cannot read as written; always reported, cannot be allowed):"
    )
    .map_err(w)?;
    for c in diag::codes::CODES {
        writeln!(out, "{:<30} {}", c.name, c.summary).map_err(w)?;
    }
    writeln!(
        out,
        "\n`pm explain <name>` prints the documentation of a lint or check."
    )
    .map_err(w)?;
    Ok(EXIT_OK)
}

/// What each milestone step means, for `pm explain <step>`: the one
/// definition docs/format.md gives, with what to tag and what not to.
const MILESTONE_TEXTS: &[(&str, &str)] = &[
    (
        "impact-start",
        "The moment users started to be hurt, often before anyone knew. Put `step = \"impact-start\"` on \
the event that started the harm (the deploy, the failure). When the harm stops and later comes back, put \
`impact-start` on the event where it came back too: pm reads each `impact-start` after a `mitigate` as a \
recurrence, shows every stretch of impact and their total, and says the incident recurred.",
    ),
    (
        "detected",
        "The moment someone or something noticed: the alert fired, the customer report arrived. Time to \
detect runs from `impact-start` to here. One event may be several steps: `step = [\"detected\", \
\"acknowledge\"]` for \"the on-call saw the alert and declared an incident\".",
    ),
    (
        "acknowledge",
        "The moment a responder took the incident on. Time to acknowledge runs from `detected` to here.",
    ),
    (
        "mitigate",
        "The moment the harm stopped or was contained: users are no longer hurt, even if the cause is not \
fixed yet. It is not the moment a fix was started: \"rollback started\" gets no milestone, \"rollback \
complete, error rate back to normal\" gets `mitigate`.\n\n\
Time to mitigate runs from `impact-start` (else `detected`) to the first `mitigate`. When the impact comes \
back, mark the return with another `impact-start` and its end with another `mitigate`; pm counts the total \
impact over every stretch.\n\n```toml\n[[timeline]]\nat = 2026-11-03T14:20:00Z\n\
text = \"Rollback to `91c0de` started\"\n\n[[timeline]]\nat = 2026-11-03T14:31:00Z\n\
text = \"Rollback complete: p99 under 400 ms, errors back to baseline\"\nstep = \"mitigate\"\n```",
    ),
    (
        "verify-resolution",
        "The moment the fix was confirmed: the system has been healthy long enough to call it resolved. Time \
to resolve runs from `impact-start` (else `detected`) to here.",
    ),
];

pub(crate) fn run(name: Option<&str>) -> Result<u8> {
    let Some(name) = name else {
        return list_lints();
    };
    let text = if let Some(l) = lint::find(name) {
        format!(
            "{}: {}\n\ngroup: {} (default level: {})\n\n{}",
            l.name,
            l.summary,
            l.group.name(),
            l.group.default_level().name(),
            l.explanation
        )
    } else if let Some(c) = diag::codes::find(name) {
        format!(
            "{}: {}\n\nschema check: reported as an error, cannot be allowed\n\n{}",
            c.name, c.summary, c.explanation
        )
    } else if let Some((step, text)) = MILESTONE_TEXTS.iter().find(|(s, _)| *s == name) {
        format!("{step}: a milestone of the timeline\n\n{text}")
    } else {
        let names = lint::LINTS
            .iter()
            .map(|l| l.name)
            .chain(diag::codes::CODES.iter().map(|c| c.name))
            .chain(MILESTONE_TEXTS.iter().map(|(s, _)| *s));
        let mut message = format!("unknown lint or check `{name}`");
        if let Some(s) = diag::suggest(name, names) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        message.push_str("\n  help: `pm lint --list` lists every lint and check");
        return Err(Error::Usage(message));
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}
