//! Building the site into memory through the same pipeline as `pm build`,
//! with the errors of the last build as an overlay.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;

use crate::cli::{Format, SourceArgs};
use crate::diag::{self, Diagnostics, Level};
use crate::pipeline::load::Overrides;
use crate::pipeline::site::{SiteOptions, load_site};
use crate::pipeline::{Ui, given_today};

use super::state::Snapshot;
use crate::cmd::report::report;

/// Builds snapshots and reports each build on the terminal.
pub(super) struct Builder {
    pub(super) root: PathBuf,
    pub(super) drafts: bool,
    pub(super) ui: Ui,
    pub(super) first: bool,
}

impl Builder {
    /// One run of the site pipeline, into memory. When the site cannot be
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
        let source = SourceArgs {
            rev: None,
            require_history: false,
        };
        let rendered = given_today(None).and_then(|today| {
            let opts = SiteOptions {
                source: &source,
                drafts: self.drafts,
                today,
                // The preview is served from the root, whatever the live site's address.
                overrides: Overrides::default().base_url("/")?,
            };
            let Some(site) = load_site(&self.root, &opts, pipeline_ui, &mut diags)? else {
                return Ok(None);
            };
            let files = site.render_all(&diags)?;
            Ok(Some((
                files,
                site.loaded.corpus.incidents.len(),
                site.loaded.files.len(),
            )))
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
            Ok(Some((files, incidents, records))) => {
                let summary = diag::summary_line(errors, warnings, records);
                self.ui.status(&format!(
                    "{what} {} and {} in {seconds:.2} s ({summary})",
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
                let files = files
                    .into_iter()
                    .map(|(path, bytes)| (path, Bytes::from(bytes)))
                    .collect();
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
