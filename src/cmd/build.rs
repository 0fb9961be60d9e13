//! `pm build`: lint and render the records as they stream through, then
//! publish the site into the output folder, all or nothing.

use std::io::Write as _;

use crate::cli::*;
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::pipeline::{Ui, given_today, shown};
use crate::{EXIT_FINDINGS, EXIT_OK, humanize, output};

use crate::pipeline::load::Overrides;
use crate::pipeline::location::check_output_location;
use crate::pipeline::site::SiteOptions;
use crate::pipeline::stream::{Outcome, build_site};
use std::time::Instant;

use super::repo::root_of;
use super::report::{report, report_build};

pub(crate) fn run(cli: &Cli, args: &BuildArgs, ui: Ui) -> Result<u8> {
    let started = Instant::now();
    let root = root_of(cli);
    let today = given_today(args.today.today.as_deref())?;
    let mut overrides = Overrides::default();
    if let Some(base) = &args.base_url {
        overrides = overrides.base_url(base)?;
    }
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        root.join(&args.output)
    };
    // Before the (slow) load: where the site goes, one build at a time, and
    // a site a killed build moved aside put back first.
    check_output_location(&root, &output, &args.output)?;
    let (lock, notes) = output::prepare_output(&output, output::LOCK_TIMEOUT, || {
        ui.status(&format!(
            "waiting for another pm build of `{}`",
            output.display()
        ));
    })?;
    for note in notes {
        ui.status(&format!("warning: {note}"));
    }
    let mut diags = Diagnostics::new();
    let opts = SiteOptions {
        source: &args.source,
        drafts: args.drafts,
        today,
        overrides,
    };
    let progress = |n: usize| {
        if ui.progress && n.is_multiple_of(64) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rwriting {n} files");
        }
    };
    let built = build_site(&root, &opts, ui, (&lock, args.force), &mut diags, &progress)?;
    if ui.progress {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
    }
    let Some(built) = built else {
        report_build(&diags, ui);
        ui.status("error: the site was not built; the previous site, if any, is unchanged");
        return Ok(EXIT_FINDINGS);
    };
    report_build(&diags, ui);
    let written = match built.outcome {
        Outcome::Findings => {
            ui.status(&format!(
                "{}\nerror: the site was not built; the previous site, if any, is unchanged",
                diag::summary_line(
                    diags.count(Level::Error),
                    diags.count(Level::Warning),
                    built.files
                )
            ));
            return Ok(EXIT_FINDINGS);
        }
        // A page that panicked is a finding on its record, like any other error.
        Outcome::Panicked(panics) => {
            let mut found = Diagnostics::new();
            found.sources = diags.sources.clone();
            found.extend(panics);
            found.sort();
            report(&found, Format::Human, ui)?;
            ui.status("error: the site was not built; the previous site, if any, is unchanged");
            return Ok(EXIT_FINDINGS);
        }
        // Name the folder as the user wrote it, not joined to `--root`.
        Outcome::Failed(Error::ForeignOutput(_)) if cli.root.is_none() => {
            return Err(Error::ForeignOutput(args.output.clone()));
        }
        Outcome::Failed(e) => return Err(e),
        Outcome::Published(written) => written,
    };
    // The "no git history" warning was said before the findings; it counts.
    let history_warning = usize::from(built.history_missing);
    ui.status(&format!(
        "built {}, {} into `{}` in {:.2} s ({})",
        humanize::plural(built.incidents, "incident"),
        humanize::plural(written, "file"),
        shown(&output),
        started.elapsed().as_secs_f64(),
        humanize::plural(diags.count(Level::Warning) + history_warning, "warning")
    ));
    if let Some(drafts) = humanize::drafts_named(built.drafts_left_out.iter().map(String::as_str)) {
        ui.status(&format!(
            "note: left out {drafts}; pass `--drafts` to include them"
        ));
    }
    Ok(EXIT_OK)
}
