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
    } else {
        let names = lint::LINTS
            .iter()
            .map(|l| l.name)
            .chain(diag::codes::CODES.iter().map(|c| c.name));
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
