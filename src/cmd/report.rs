//! Printing findings: human text on stderr, machine formats on stdout or
//! into a report file.

use std::io::Write as _;
use std::path::Path;

use crate::cli::Format;
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::pipeline::Ui;
use crate::{output, report};

/// Prints diagnostics in the chosen format: human on stderr, machine on stdout.
pub(crate) fn report(diags: &Diagnostics, format: Format, ui: Ui) -> Result<()> {
    report_to(diags, format, ui, None, 0)
}

/// What `pm build` says about findings on stderr: errors in full, warnings
/// folded into one line per lint (all of them in full with `-v`).
pub(crate) fn report_build(diags: &Diagnostics, ui: Ui) {
    let full = ui.verbose > 0 && !ui.quiet;
    let shown = diags
        .items()
        .iter()
        .filter(|d| full || d.level == Level::Error);
    let mut text = diag::render_human_all(shown, &diags.sources, ui.color);
    if !full
        && !ui.quiet
        && let Some(digest) = diag::warning_digest(diags)
    {
        text.push_str(&digest);
        text.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes the findings in `format` to `output` (a file) or the terminal.
/// `files` is the number of records read, for summaries.
pub(crate) fn report_to(
    diags: &Diagnostics,
    format: Format,
    ui: Ui,
    output: Option<&Path>,
    files: usize,
) -> Result<()> {
    let text = match format {
        Format::Human => {
            // Colour only when the text goes to the terminal.
            let color = ui.color && output.is_none();
            let shown = diags
                .items()
                .iter()
                .filter(|d| !ui.quiet || d.level == Level::Error);
            let text = diag::render_human_all(shown, &diags.sources, color);
            if output.is_none() {
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
                return Ok(());
            }
            text
        }
        Format::Json => report::json_lines(diags),
        Format::Github => {
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                output::append_file(Path::new(&path), &report::github_summary(diags, files))?;
            }
            report::github(diags)
        }
        Format::Sarif => report::sarif(diags)?,
        Format::Gitlab => report::gitlab(diags)?,
    };
    match output {
        Some(path) => output::replace_file(path, text.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))
        }
    }
}
