//! `pm build`: lint, then publish the site into the output folder, all or nothing.

use std::io::Write as _;

use crate::cli::*;
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::pipeline::{Ui, given_today, shown};
use crate::{EXIT_FINDINGS, EXIT_OK, humanize, output};

use crate::pipeline::load::Overrides;
use crate::pipeline::location::check_output_location;
use crate::pipeline::site::{SiteOptions, load_site, produce};
use std::sync::atomic::{AtomicUsize, Ordering};
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
    let Some(site) = load_site(&root, &opts, ui, &mut diags)? else {
        report_build(&diags, ui);
        ui.status("error: the site was not built; the previous site, if any, is unchanged");
        return Ok(EXIT_FINDINGS);
    };
    report_build(&diags, ui);
    if diags.has_errors() {
        ui.status(&format!(
            "{}\nerror: the site was not built; the previous site, if any, is unchanged",
            diag::summary_line(
                diags.count(Level::Error),
                diags.count(Level::Warning),
                site.loaded.files.len()
            )
        ));
        return Ok(EXIT_FINDINGS);
    }
    let templates = site.templates()?;
    let renderer = site.renderer(&templates, &diags);
    let jobs = site.jobs(&renderer);
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    let panics = std::sync::Mutex::new(Vec::new());
    let written = output::write_site(&lock, &jobs, args.force, |path, job| {
        let bytes = produce(&renderer, path, job, &panics);
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if ui.progress && (n.is_multiple_of(64) || n == total) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rwriting {n}/{total} files");
        }
        bytes
    })
    .map_err(|e| match e {
        // Name the folder as the user wrote it, not joined to `--root`.
        Error::ForeignOutput(_) if cli.root.is_none() => Error::ForeignOutput(args.output.clone()),
        other => other,
    });
    // A page that panicked is a finding on its record, like any other error.
    let panics = panics.into_inner().unwrap_or_default();
    if written.is_err() && !panics.is_empty() {
        let mut found = Diagnostics::new();
        found.sources = diags.sources.clone();
        found.extend(panics);
        found.sort();
        report(&found, Format::Human, ui)?;
        ui.status("error: the site was not built; the previous site, if any, is unchanged");
        return Ok(EXIT_FINDINGS);
    }
    let written = written?;
    if ui.progress {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
    }
    // The "no git history" warning was said before the findings; it counts.
    let history_warning = usize::from(site.loaded.history.is_none());
    ui.status(&format!(
        "built {}, {} into `{}` in {:.2} s ({})",
        humanize::plural(site.loaded.corpus.incidents.len(), "incident"),
        humanize::plural(written, "file"),
        shown(&output),
        started.elapsed().as_secs_f64(),
        humanize::plural(diags.count(Level::Warning) + history_warning, "warning")
    ));
    if let Some(drafts) = humanize::drafts_named(site.drafts_left_out.iter().map(String::as_str)) {
        ui.status(&format!(
            "note: left out {drafts}; pass `--drafts` to include them"
        ));
    }
    Ok(EXIT_OK)
}
