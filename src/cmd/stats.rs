//! `pm stats`: figures across incidents, as a table, JSON or CSV.

use std::io::Write as _;
use std::path::Path;

use jiff::civil::Date;

use crate::cli::*;
use crate::diag::Diagnostics;
use crate::error::{Error, Result};
use crate::markdown::Depth;
use crate::pipeline::{Ui, given_today, records_today};
use crate::{EXIT_FINDINGS, EXIT_OK, humanize, stats};

use crate::pipeline::load::load;

use super::repo::root_of;
use super::report::report;

/// What the table's duration cells mean, printed under it.
const TABLE_LEGEND: &str = "times are `median (p90) measured/incidents`: `16m (29m) 2/3` is a median of 16m, \
9 in 10 within 29m, measured in 2 of 3 incidents (the others lack a milestone); `-` when none is measured";

pub(crate) fn run(cli: &Cli, args: &StatsArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let today = given_today(args.today.today.as_deref())?;
    let since = args
        .since
        .as_deref()
        .map(|d| {
            d.trim().parse::<Date>().map_err(|_| {
                Error::Usage(format!(
                    "invalid `--since` date `{d}`: write it as YYYY-MM-DD"
                ))
            })
        })
        .transpose()?;
    let mut diags = Diagnostics::new();
    let loaded = load(&root, &args.source, Depth::Outline, &mut diags)?;
    if diags.has_errors() {
        diags.sort();
        report(&diags, Format::Human, ui)?;
    }
    let Some(loaded) = loaded else {
        return Ok(EXIT_FINDINGS);
    };
    let by = match args.by {
        None => stats::By::All,
        Some(StatsBy::Severity) => stats::By::Severity,
        Some(StatsBy::Type) => stats::By::Type,
        Some(StatsBy::Service) => stats::By::Service,
        Some(StatsBy::Month) => stats::By::Month,
    };
    let figures = stats::compute(
        &loaded.corpus,
        &loaded.analyses,
        &loaded.config,
        by,
        since,
        today.unwrap_or_else(|| records_today(&loaded.corpus)),
    );
    let drafts = (loaded.corpus.incidents.values())
        .filter(|i| i.draft)
        .map(|i| i.origin.file.as_str());
    if let Some(drafts) = humanize::drafts_named(drafts) {
        ui.status(&format!("note: left out of the figures {drafts}"));
    }
    let text = match args.format {
        StatsFormat::Table => format!("{}\n{TABLE_LEGEND}\n", stats::table(&figures)),
        StatsFormat::Csv => stats::csv(&figures),
        StatsFormat::Json => {
            let mut json =
                serde_json::to_string_pretty(&figures).map_err(|e| Error::Serialize {
                    what: "the statistics",
                    message: e.to_string(),
                })?;
            json.push('\n');
            json
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    // Records with errors are left out of the figures; say so in the exit code.
    Ok(if diags.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
