//! Building the site into memory through the same pipeline as `pm build`,
//! with the errors of the last build as an overlay.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;

use crate::cli::Format;
use crate::diag::{self, Diagnostics, Level};
use crate::error::Result;
use crate::pipeline::load::Overrides;
use crate::pipeline::{Ui, given_today};

use super::incremental::Cache;
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

    /// The first stage of one run of the site pipeline, into memory,
    /// keeping what did not change since the last ([`Cache`]): the
    /// incidents' own files and the assets, in a snapshot that is not
    /// [`Snapshot::complete`], and what [`Builder::finish`] needs to
    /// render the rest. When the site cannot be rendered at all (bad
    /// `pm.toml`, a template error), the files of `kept`, the last
    /// complete snapshot, stay up under the overlay, in a complete
    /// snapshot, and nothing is left to finish. `now` is the snapshot
    /// served now, which the generation follows. The findings are reported
    /// on the terminal once the build is finished, not before the pages
    /// are served.
    pub(super) fn build(
        &mut self,
        now: Option<&Snapshot>,
        kept: Option<&Snapshot>,
    ) -> (Snapshot, Option<Pending>) {
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
            self.cache
                .build_own(&self.root, today, pipeline_ui, &mut diags)
        });
        let errors = diags.count(Level::Error);
        let what = if self.first { "built" } else { "rebuilt" };
        let overlay = (errors > 0).then(|| {
            overlay_html(
                &format!(
                    "pm serve: {}; pages of records with errors may be missing or incomplete",
                    diag::plural(errors, "error")
                ),
                &problems(&diags),
            )
        });
        match rendered {
            Ok(Some(built)) => {
                // A new generation (the open pages reload) when a page of
                // a record or the overlay changed; else the last stage
                // tells.
                let bumped = now.is_none_or(|p| built.own_changed || p.overlay != overlay);
                let snapshot = Snapshot {
                    generation: next_generation(now, bumped),
                    files: Arc::new(built.files),
                    overlay,
                    complete: false,
                };
                let pending = Pending {
                    started,
                    own: started.elapsed().as_secs_f64(),
                    diags,
                    bumped,
                    incidents: built.incidents,
                    records: built.records,
                    passed: built.passed,
                };
                (snapshot, Some(pending))
            }
            failed => {
                let seconds = started.elapsed().as_secs_f64();
                let _ = report(&diags, Format::Human, self.ui);
                let failed = self.failed(failed.map(|_| ()), &diags, what, seconds, now, kept);
                (failed, None)
            }
        }
    }

    /// The second stage: the files across records, with `front` (the first
    /// stage's snapshot) and `kept` (the last complete one). The files
    /// at the paths of `first` come first, handed to `early` in a snapshot
    /// that is not complete yet (once, or twice: the pages of lists, then
    /// the others); the snapshot returned is. `None` when
    /// `cancel` said to stop (a newer save is waiting).
    pub(super) fn finish(
        &mut self,
        pending: Pending,
        front: &Snapshot,
        kept: Option<&Snapshot>,
        first: &BTreeSet<String>,
        cancel: &(dyn Fn() -> bool + Sync),
        mut early: impl FnMut(Snapshot),
    ) -> Option<Snapshot> {
        let Pending {
            started,
            own,
            diags,
            bumped,
            incidents,
            records,
            passed,
        } = pending;
        let with_front = |files: &BTreeMap<String, Bytes>| {
            let mut all = (*front.files).clone();
            all.extend(
                files
                    .iter()
                    .map(|(path, bytes)| (path.clone(), bytes.clone())),
            );
            all
        };
        let mut looked_at = None;
        let across = self.cache.across(&diags, first, cancel, |soon| {
            looked_at.get_or_insert(started.elapsed().as_secs_f64());
            early(Snapshot {
                generation: front.generation,
                files: Arc::new(with_front(soon)),
                overlay: front.overlay.clone(),
                complete: false,
            });
        });
        let what = if self.first { "built" } else { "rebuilt" };
        let seconds = started.elapsed().as_secs_f64();
        let files = match across {
            Ok(Some(files)) => with_front(&files),
            Ok(None) => return None,
            Err(e) => {
                let _ = report(&diags, Format::Human, self.ui);
                return Some(self.failed(Err(e), &diags, what, seconds, Some(front), kept));
            }
        };
        let _ = report(&diags, Format::Human, self.ui);
        self.first = false;
        let errors = diags.count(Level::Error);
        let warnings = diags.count(Level::Warning);
        let summary = diag::summary_line(errors, warnings, records);
        // How much was done again: all of it on the first build.
        let looked_at = looked_at
            .map(|s| format!(", the pages looked at last after {s:.2} s"))
            .unwrap_or_default();
        let again = if what == "built" {
            format!(" (its incidents' own pages served after {own:.2} s{looked_at})")
        } else {
            format!(
                " (the pages of the records saved served after {own:.2} s{looked_at}), {passed} of {records} records read again"
            )
        };
        self.ui.status(&format!(
            "{what} {} and {} in {seconds:.2} s{again} ({summary})",
            diag::plural(incidents, "incident"),
            diag::plural(files.len(), "file"),
        ));
        // Unless the first stage started a new generation, one starts only
        // if a file changed.
        let changed = kept.is_none_or(|p| {
            !bumped && (!same_files(&files, &p.files) || p.overlay != front.overlay)
        });
        Some(Snapshot {
            generation: next_generation(Some(front), changed && !bumped),
            files: Arc::new(files),
            overlay: front.overlay.clone(),
            complete: true,
        })
    }

    /// The snapshot of a build that failed (`Ok(())`: `pm.toml` has
    /// errors): the files of `kept`, the last complete snapshot, if any,
    /// under the overlay, in the generation after `now`'s.
    fn failed(
        &mut self,
        failed: Result<()>,
        diags: &Diagnostics,
        what: &str,
        seconds: f64,
        now: Option<&Snapshot>,
        kept: Option<&Snapshot>,
    ) -> Snapshot {
        self.first = false;
        let mut problems = problems(diags);
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
            Ok(()) => "pm serve: pm.toml has errors, so the site could not be built",
        };
        let kept = kept.map(|p| Arc::clone(&p.files));
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
        Snapshot {
            generation: next_generation(now, true),
            files: kept.unwrap_or_default(),
            overlay: Some(overlay_html(&headline, &problems)),
            complete: true,
        }
    }
}

/// What the first stage of a build leaves for the second.
pub(super) struct Pending {
    started: Instant,
    /// Seconds the first stage took.
    own: f64,
    diags: Diagnostics,
    /// Whether the first stage's snapshot started a new generation.
    bumped: bool,
    incidents: usize,
    records: usize,
    passed: usize,
}

/// The errors among `diags`, as the terminal shows them.
fn problems(diags: &Diagnostics) -> String {
    let mut problems = String::new();
    for d in diags.items().iter().filter(|d| d.level == Level::Error) {
        problems.push_str(&diag::render_human(d, &diags.sources, false));
        problems.push_str("\n\n");
    }
    problems
}

/// The generation after `previous`'s: a new one if `new`.
fn next_generation(previous: Option<&Snapshot>, new: bool) -> u64 {
    match previous {
        Some(p) if new => p.generation.wrapping_add(1),
        Some(p) => p.generation,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64),
    }
}

/// Whether two builds have the same files. Files kept from one build to
/// the next share their bytes, so most are told the same by address.
pub(super) fn same_files(a: &BTreeMap<String, Bytes>, b: &BTreeMap<String, Bytes>) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((path_a, a), (path_b, b))| {
            path_a == path_b && (a.as_ptr() == b.as_ptr() && a.len() == b.len() || a == b)
        })
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
