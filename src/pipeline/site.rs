//! The site job over a loaded, linted repository: every file of its site,
//! rendered into memory (`pm build` streams instead, see `stream`, and
//! `pm serve` builds incrementally; both share [`produce`] and [`Job`]).

use jiff::civil::Date;

use crate::cli::SourceArgs;
use crate::diag::{self, Diagnostics};
use crate::error::{Error, Result};
use crate::{isolate, output, render, source};

use super::load::{Loaded, Overrides, settings};

pub(crate) use super::today::{EPOCH, newest_day};

/// One file of the site: a rendered page or a copied attachment.
pub(crate) enum Job {
    Page(render::Page),
    Copy(source::Content),
}

/// What the site pipeline needs besides the repository.
pub(crate) struct SiteOptions<'a> {
    pub(crate) source: &'a SourceArgs,
    /// Keep records with `draft = true` on the site (they are linted either way).
    pub(crate) drafts: bool,
    /// `--today` or `SOURCE_DATE_EPOCH`; without one, the newest day the
    /// records mention (see `today::records_today`), never the clock.
    pub(crate) today: Option<Date>,
    /// Settings in place of `pm.toml`'s, such as `--base-url`.
    pub(crate) overrides: Overrides,
}

/// A loaded and linted repository, ready to render (`pm check`'s one
/// record, and in tests the whole corpus).
pub(crate) struct Site {
    pub(crate) loaded: Loaded,
    pub(crate) today: Date,
}

/// source → parse → model → analysis → history → lint, for a site. Findings
/// land in `diags`, sorted; whether errors stop the caller is its own call.
/// `Ok(None)` when `pm.toml` is unusable. Drafts are linted, then dropped
/// unless asked for. The whole corpus at once: what the streamed build and
/// `pm serve`'s incremental one are tested against.
#[cfg(test)]
pub(crate) fn load_site(
    root: &std::path::Path,
    opts: &SiteOptions<'_>,
    ui: super::ui::Ui,
    diags: &mut Diagnostics,
) -> Result<Option<Site>> {
    use super::lint::lint_loaded;
    use super::load::{load_history, load_with};
    use crate::lint::CliLevels;
    use crate::markdown::Depth;
    let Some(mut loaded) = load_with(root, opts.source, Depth::Page, &opts.overrides, diags)?
    else {
        diags.sort();
        return Ok(None);
    };
    load_history(root, opts.source, &mut loaded, ui)?;
    let today = opts
        .today
        .unwrap_or_else(|| super::records_today(&loaded.corpus));
    lint_loaded(&mut loaded, &CliLevels::default(), today, diags);
    diags.sort();
    if !opts.drafts {
        loaded.corpus.incidents.retain(|_, i| !i.draft);
    }
    Ok(Some(Site { loaded, today }))
}

/// The settings of `pm.toml` (`config`, its bytes, or none), with a
/// command's `overrides`: the settings every site job reads. `None` when
/// `pm.toml` is unusable (its errors are in `diags`).
pub(crate) fn settings_with(
    config: Option<&[u8]>,
    overrides: &Overrides,
    diags: &mut Diagnostics,
) -> Option<crate::config::Config> {
    let mut config = settings(config, diags)?;
    overrides.apply(&mut config);
    Some(config)
}

impl Site {
    /// The built-in templates with the repository's own on top.
    #[cfg(test)]
    pub(crate) fn templates(&self) -> Result<render::Templates> {
        render::Templates::load(&self.loaded.templates)
    }

    pub(crate) fn renderer<'a>(
        &'a self,
        templates: &'a render::Templates,
        diags: &'a Diagnostics,
    ) -> render::Renderer<'a> {
        render::Renderer {
            cx: render::view::ViewCx {
                facts: crate::analysis::Facts {
                    corpus: &self.loaded.corpus,
                    analyses: &self.loaded.analyses,
                    config: &self.loaded.config,
                    markdown: &self.loaded.markdown,
                    history: self.loaded.history.as_ref(),
                    today: self.today,
                },
                diagnostics: diags,
                lessons: Default::default(),
            },
            templates,
        }
    }

    /// Every file of the site (pages, assets, attachments) and what makes it.
    pub(crate) fn jobs(&self, renderer: &render::Renderer<'_>) -> Vec<(String, Job)> {
        let mut jobs: Vec<(String, Job)> = renderer
            .pages()
            .into_iter()
            .map(|(path, page)| (path, Job::Page(page)))
            .collect();
        for incident in self.loaded.corpus.incidents.values() {
            for a in &incident.attachments {
                jobs.push((
                    render::urls::attachment(&incident.id, &a.name),
                    Job::Copy(a.content.clone()),
                ));
            }
        }
        jobs
    }

    /// Renders every file of the site into memory, in parallel: the site
    /// of the whole corpus, which tests compare the others with.
    #[cfg(test)]
    pub(crate) fn render_all(&self, diags: &Diagnostics) -> Result<Vec<(String, Vec<u8>)>> {
        self.render_with(&self.templates()?, diags)
    }

    /// Every file of the site, rendered into memory in parallel, with
    /// templates already compiled.
    pub(crate) fn render_with(
        &self,
        templates: &render::Templates,
        diags: &Diagnostics,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        use rayon::prelude::*;
        let renderer = self.renderer(templates, diags);
        let panics = std::sync::Mutex::new(Vec::new());
        self.jobs(&renderer)
            .into_par_iter()
            .map(|(path, job)| {
                produce(&renderer, &path, &job, &panics)
                    .and_then(output::Produced::into_bytes)
                    .map(|bytes| (path, bytes))
            })
            .collect()
    }
}

/// The bytes of one file of the site, at site path `path`. A panic while
/// rendering it is pushed to `panics` as an `internal_error` naming the
/// record the page shows (`<site>/<path>` for pages of many records), and
/// the file fails: the site is not written, the previous one stays.
pub(crate) fn produce(
    renderer: &render::Renderer<'_>,
    path: &str,
    job: &Job,
    panics: &std::sync::Mutex<Vec<diag::Diagnostic>>,
) -> Result<output::Produced> {
    rendering(renderer, path, job, panics, || match job {
        Job::Page(page) => renderer.render(page).map(output::Produced::Bytes),
        Job::Copy(source::Content::File(path)) => Ok(output::Produced::CopyOf(path.clone())),
        Job::Copy(content) => content.read().map(output::Produced::Bytes),
    })
}

/// Writes one file of the site into `staging`: a page that streams
/// ([`render::Page::streams`]) as it is rendered, any other once
/// [`produce`]d. Panics are handled as [`produce`] handles them.
pub(crate) fn write_file(
    renderer: &render::Renderer<'_>,
    staging: &output::Staging<'_>,
    (path, job): (&str, &Job),
    panics: &std::sync::Mutex<Vec<diag::Diagnostic>>,
) -> Result<()> {
    match job {
        Job::Page(page) if page.streams() => staging.write_with(path, |out| {
            rendering(renderer, path, job, panics, || {
                renderer.render_to(page, out)
            })
        }),
        _ => staging.write(path, produce(renderer, path, job, panics)?),
    }
}

/// Runs `work`, the rendering of the file at `path`, isolated: a panic is
/// pushed to `panics` as an `internal_error` naming the record the file
/// shows (`<site>/<path>` for files of many records), and the file fails.
fn rendering<T>(
    renderer: &render::Renderer<'_>,
    path: &str,
    job: &Job,
    panics: &std::sync::Mutex<Vec<diag::Diagnostic>>,
    work: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let corpus = renderer.cx.corpus;
    let file = match job {
        Job::Page(render::Page::Incident(id) | render::Page::IncidentPrompt(id)) => {
            corpus.incidents.get(id).map(|i| &i.origin.file)
        }
        Job::Page(render::Page::Playbook(kind) | render::Page::PlaybookPrompt(kind)) => {
            corpus.playbooks.get(kind).map(|p| &p.origin.file)
        }
        _ => None,
    }
    .cloned()
    .unwrap_or_else(|| format!("<site>/{path}"));
    let rendered = isolate::record("rendering", &file, work);
    rendered.unwrap_or_else(|d| {
        let message = format!("`{path}`: {}", d.message);
        if let Ok(mut panics) = panics.lock() {
            panics.push(*d);
        }
        Err(Error::Template(message))
    })
}

/// The repositories the whole-corpus tests build: this one (its example
/// set) and every fixture repository under tests/fixtures.
#[cfg(test)]
pub(crate) fn fixture_roots() -> Vec<std::path::PathBuf> {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = here.join("tests/fixtures");
    let mut roots = vec![here.to_path_buf()];
    for set in ["lints", "malformed"] {
        for entry in std::fs::read_dir(fixtures.join(set)).unwrap() {
            roots.push(entry.unwrap().path());
        }
    }
    for name in [
        "basic",
        "hostile",
        "hostile-attachments",
        "playbooks",
        "site",
        "timeline",
    ] {
        roots.push(fixtures.join(name));
    }
    roots.sort();
    roots
}
