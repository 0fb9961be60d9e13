//! Building the site into memory through the same pipeline as `pm build`,
//! with the errors of the last build as an overlay.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::cli::Format;
use crate::diag::{self, Diagnostics, Level};
use crate::error::Result;
use crate::pipeline::load::Overrides;
use crate::pipeline::{Ui, given_today};

use super::incremental::{Built, Cache};
use super::state::Snapshot;
use crate::cmd::report::report;

/// Builds snapshots and reports each build on the terminal.
pub(super) struct Builder {
    pub(super) root: PathBuf,
    pub(super) ui: Ui,
    pub(super) first: bool,
    /// What is kept from one build to the next.
    cache: Cache,
}

impl Builder {
    pub(super) fn new(root: PathBuf, drafts: bool, ui: Ui) -> Result<Builder> {
        // The preview is served from the root, whatever the live site's address.
        let overrides = Overrides::default().base_url("/")?;
        Ok(Builder {
            root,
            ui,
            first: true,
            cache: Cache::new(drafts, overrides),
        })
    }

    /// One run of the site pipeline, into memory, keeping what did not
    /// change since the last ([`Cache`]). When the site cannot be
    /// rendered at all (bad `pm.toml`, a template error), the previous
    /// build's files stay up under the overlay.
    pub(super) fn build(&mut self, previous: Option<&Snapshot>) -> Snapshot {
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        // The "no git history" warning is said once, not on every save.
        let pipeline_ui = if self.first {
            self.ui
        } else {
            Ui {
                quiet: true,
                ..self.ui
            }
        };
        let rendered = given_today(None).and_then(|today| {
            let Some(built) = self
                .cache
                .build(&self.root, today, pipeline_ui, &mut diags)?
            else {
                return Ok(None);
            };
            Ok(Some(built))
        });
        let _ = report(&diags, Format::Human, self.ui);
        let errors = diags.count(Level::Error);
        let warnings = diags.count(Level::Warning);
        let what = if self.first { "built" } else { "rebuilt" };
        self.first = false;
        let seconds = started.elapsed().as_secs_f64();

        let mut problems = String::new();
        for d in diags.items().iter().filter(|d| d.level == Level::Error) {
            problems.push_str(&diag::render_human(d, &diags.sources, false));
            problems.push_str("\n\n");
        }
        let (files, overlay) = match rendered {
            Ok(Some(Built {
                files,
                incidents,
                records,
                passed,
            })) => {
                let summary = diag::summary_line(errors, warnings, records);
                // How much was done again: all of it on the first build.
                let again = if what == "built" {
                    String::new()
                } else {
                    format!(", {passed} of {records} records read again")
                };
                self.ui.status(&format!(
                    "{what} {} and {} in {seconds:.2} s{again} ({summary})",
                    diag::plural(incidents, "incident"),
                    diag::plural(files.len(), "file"),
                ));
                let overlay = (errors > 0).then(|| {
                    overlay_html(
                        &format!(
                            "pm serve: {}; pages of records with errors may be missing or incomplete",
                            diag::plural(errors, "error")
                        ),
                        &problems,
                    )
                });
                (Arc::new(files), overlay)
            }
            failed => {
                let headline = match failed {
                    Err(e) => {
                        let message = format!("error: {e}");
                        let prefix = if self.ui.color {
                            "\x1b[1;31merror\x1b[0m"
                        } else {
                            "error"
                        };
                        let mut err = std::io::stderr().lock();
                        let _ = writeln!(err, "{prefix}: {e}");
                        problems.push_str(&message);
                        "pm serve: the site could not be built"
                    }
                    Ok(_) => "pm serve: pm.toml has errors, so the site could not be built",
                };
                let kept = previous.map(|p| Arc::clone(&p.files));
                self.ui.status(&format!(
                    "error: the site was not {what} in {seconds:.2} s; {}",
                    if kept.is_some() {
                        "still serving the last site that built"
                    } else {
                        "serving only the error until it is fixed"
                    }
                ));
                let headline = if kept.is_some() {
                    format!("{headline}; this is the last site that built")
                } else {
                    headline.to_owned()
                };
                (
                    kept.unwrap_or_default(),
                    Some(overlay_html(&headline, &problems)),
                )
            }
        };
        let generation = match previous {
            Some(p) => p.generation.wrapping_add(1),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_millis() as u64),
        };
        Snapshot {
            generation,
            files,
            overlay,
        }
    }
}

/// The overlay: a collapsible panel over the page, with the findings as
/// plain (escaped) text in the same human format as the terminal's.
pub(super) fn overlay_html(headline: &str, problems: &str) -> String {
    format!(
        "<aside class=\"pm-serve-overlay\" role=\"alert\"><details open><summary>{}</summary><pre>{}</pre><p>Fix it and save: this page reloads by itself.</p></details></aside>",
        crate::markdown::escape_html(headline),
        crate::markdown::escape_html(problems.trim_end())
    )
}
