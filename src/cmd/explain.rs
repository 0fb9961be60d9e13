//! `pm explain`: a lint or schema check explained, or the list of them.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;

use crate::cli::{Cli, ColorChoice};
use crate::config;
use crate::diag::{self};
use crate::error::{Error, Result};
use crate::pipeline::Ui;
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
        "\n`pm explain <name>` prints the documentation of a lint, check or step; `pm explain format` the record format."
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

/// A checklist step or milestone, explained: what it marks and how to mark it.
fn step_text(id: &str) -> Option<String> {
    let checklist = config::DEFAULT_CHECKLIST.iter().find(|(s, _)| *s == id);
    let milestone = config::MILESTONES.iter().find(|(s, _)| *s == id);
    let what = match (checklist, milestone) {
        (Some((_, step)), Some((_, m))) => {
            format!("a step of the incident checklist (\"{step}\") and a milestone (\"{m}\")")
        }
        (Some((_, step)), None) => format!("a step of the incident checklist (\"{step}\")"),
        (None, Some((_, m))) => format!("a milestone (\"{m}\")"),
        (None, None) => return None,
    };
    let meaning = MILESTONE_TEXTS
        .iter()
        .find(|(s, _)| *s == id)
        .map_or_else(String::new, |(_, text)| format!("{text}\n\n"));
    let checklist_entry = if checklist.is_some() {
        format!(
            "\n\nA step with no event of its own can be declared under `[checklist]`:\n```toml\n[checklist]\n{id} = true    # or \"skipped: <reason>\", or \"unknown: <reason>\"\n```"
        )
    } else {
        String::new()
    };
    Some(format!(
        "{id}: {what}\n\n{meaning}### How to mark it\nPut `step = \"{id}\"` on the timeline event where it happened:\n```toml\n[[timeline]]\nat = 2026-11-03T14:02:00Z\ntext = \"What happened\"\nstep = \"{id}\"\n```{checklist_entry}\n\n\
docs/format.md, \"The timeline: steps, milestones, durations\", has the rest.\n"
    ))
}

/// docs/format.md, built in, so an installed pm carries its reference.
const FORMAT_REFERENCE: &str = include_str!("../../docs/format.md");

/// The explanation of `name`: the record format, a lint, a schema check or
/// a step.
fn explanation(name: &str) -> Option<String> {
    if name == "format" {
        return Some(FORMAT_REFERENCE.to_owned());
    }
    if let Some(l) = lint::find(name) {
        return Some(format!(
            "{}: {}\n\ngroup: {} (default level: {})\n\n{}",
            l.name,
            l.summary,
            l.group.name(),
            l.group.default_level().name(),
            l.explanation
        ));
    }
    if let Some(c) = diag::codes::find(name) {
        return Some(format!(
            "{}: {}\n\nschema check: reported as an error, cannot be allowed\n\n{}",
            c.name, c.summary, c.explanation
        ));
    }
    step_text(name)
}

pub(crate) fn run(cli: &Cli, name: Option<&str>, ui: Ui) -> Result<u8> {
    let Some(name) = name else {
        return list_lints();
    };
    // `missing-milestones` for `missing_milestones`, `verify_resolution`
    // for `verify-resolution`: said, then explained.
    let respelt = [name.replace('-', "_"), name.replace('_', "-")];
    let found = explanation(name).or_else(|| {
        respelt.iter().find_map(|other| {
            let text = explanation(other)?;
            ui.status(&format!("note: `{name}` read as `{other}`"));
            Some(text)
        })
    });
    let Some(text) = found else {
        let steps = config::MILESTONES
            .iter()
            .chain(&config::DEFAULT_CHECKLIST)
            .map(|(id, _)| *id);
        // A step that is also a milestone is listed once.
        let names: std::collections::BTreeSet<&str> = lint::LINTS
            .iter()
            .map(|l| l.name)
            .chain(diag::codes::CODES.iter().map(|c| c.name))
            .chain(steps)
            .collect();
        let mut message = format!("unknown lint, check or step `{name}`");
        if let Some(s) = diag::suggest_closest(name, names.iter().copied()) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        message.push_str(
            "\n  help: `pm lint --list` lists every lint and check; `pm explain format` prints the record format",
        );
        return Err(Error::Usage(message));
    };
    // The text goes to stdout: coloured when stdout is a terminal and
    // colour is on (not `NO_COLOR`, `--color never`), or when asked for.
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => ui.color && std::io::stdout().is_terminal(),
    };
    let mut out = std::io::stdout().lock();
    let shown = crate::markdown::Markdown::new().terminal(&text, color);
    write!(out, "{shown}").map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_explained() {
        let text = step_text("verify-resolution").unwrap();
        assert!(text.contains("a milestone (\"Resolved\")"), "{text}");
        assert!(step_text("nonsense").is_none());
    }
}
