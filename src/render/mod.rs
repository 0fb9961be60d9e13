//! Rendering pages: the only user of Tera.
//!
//! The built-in templates are compiled into the binary; a repository's own
//! `site-template/` overrides any of them by file name, and can extend the
//! original as `pm/<name>`. Rendering is split into [`Page`] jobs so the
//! output stage can render and write them in parallel without ever holding
//! the whole site in memory. Nothing here writes to disk.

pub mod feeds;
pub mod history;
mod json;
pub mod listing;
pub mod playbook;
pub mod search;
pub mod status;
pub mod timeline;
pub mod tracker;
pub mod trends;
pub mod view;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::source::TemplateFile;
use listing::{Facet, Facets};
use tracker::{ActionFacet, Tracker};
use view::{SiteView, ViewCx};

/// The built-in site template: name and contents.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("404.html", include_str!("../../site-template/404.html")),
    (
        "action-table.html",
        include_str!("../../site-template/action-table.html"),
    ),
    (
        "actions.html",
        include_str!("../../site-template/actions.html"),
    ),
    ("atom.xml", include_str!("../../site-template/atom.xml")),
    ("base.html", include_str!("../../site-template/base.html")),
    ("chart.html", include_str!("../../site-template/chart.html")),
    (
        "incident-table.html",
        include_str!("../../site-template/incident-table.html"),
    ),
    (
        "incident.html",
        include_str!("../../site-template/incident.html"),
    ),
    (
        "history.html",
        include_str!("../../site-template/history.html"),
    ),
    ("index.html", include_str!("../../site-template/index.html")),
    (
        "listing.html",
        include_str!("../../site-template/listing.html"),
    ),
    (
        "playbook-learned.html",
        include_str!("../../site-template/playbook-learned.html"),
    ),
    (
        "playbook.html",
        include_str!("../../site-template/playbook.html"),
    ),
    (
        "sitemap.xml",
        include_str!("../../site-template/sitemap.xml"),
    ),
    (
        "timeline-svg.html",
        include_str!("../../site-template/timeline-svg.html"),
    ),
];

/// Built-in static assets, copied to the site root.
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("search.js", include_str!("../../site-template/search.js")),
    ("style.css", include_str!("../../site-template/style.css")),
];

/// One file of the site to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `index.html`.
    Index,
    /// `actions/index.html`.
    Actions,
    /// `incidents/<id>/index.html`.
    Incident(String),
    /// `playbooks/<type>/index.html`.
    Playbook(String),
    /// `incidents.json`.
    Json,
    /// `<facet dir>/<slug>/index.html`: the incidents with one severity,
    /// type, service, status or year.
    Listing(listing::ListingJob),
    /// `actions/<owners|kinds>/<slug>/index.html`: one owner's or kind's items.
    Tracker(ActionFacet, String),
    /// `actions.csv`.
    ActionsCsv,
    /// `atom.xml`.
    Atom,
    /// `sitemap.xml` (only with an absolute `base_url`).
    Sitemap,
    /// `404.html`.
    NotFound,
    /// `search-index.json`.
    SearchJson,
    /// `search-index.js`.
    SearchJs,
    /// A static asset: name and bytes index into the asset list.
    Asset(usize),
}

/// Compiled templates and assets, ready to render pages.
pub struct Templates {
    tera: Tera,
    assets: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("assets", &self.assets.len())
            .finish()
    }
}

impl Templates {
    /// Compiles the built-in templates with the repository's overrides on top.
    pub fn load(overrides: &[TemplateFile]) -> Result<Templates> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, text) in BUILTIN_TEMPLATES {
            sources.push((format!("pm/{name}"), (*text).to_owned()));
        }
        let mut assets: Vec<(String, Vec<u8>)> = BUILTIN_ASSETS
            .iter()
            .map(|(n, t)| ((*n).to_owned(), t.as_bytes().to_vec()))
            .collect();
        for file in overrides {
            // Text templates (`pm status-update`) are not part of the site.
            if status::TEXT_TEMPLATES.iter().any(|(n, _)| *n == file.name) {
                continue;
            }
            // Pages are templates; so are the built-in feeds (`atom.xml`).
            let is_template = file.name.ends_with(".html")
                || BUILTIN_TEMPLATES.iter().any(|(n, _)| *n == file.name);
            if is_template {
                let text = String::from_utf8(file.bytes.clone()).map_err(|_| {
                    Error::Template(format!("`site-template/{}` is not valid UTF-8", file.name))
                })?;
                sources.push((file.name.clone(), text));
            } else {
                assets.retain(|(n, _)| *n != file.name);
                assets.push((file.name.clone(), file.bytes.clone()));
            }
        }
        for (name, text) in BUILTIN_TEMPLATES {
            if !sources.iter().any(|(n, _)| n == name) {
                // The built-in text itself, not `{% extends "pm/<name>" %}`:
                // Tera 2's `include` renders only the included template's own
                // body and ignores its `extends`, so a stub would make every
                // included partial (charts, the timeline drawing) render empty.
                sources.push(((*name).to_owned(), (*text).to_owned()));
            }
        }
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| Error::Template(error_chain(&e)))?;
        assets.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Templates { tera, assets })
    }

    fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| Error::Template(format!("rendering `{name}`: {}", error_chain(&e))))?;
        Ok(out)
    }
}

/// Every message in an error's source chain, joined.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Renders pages of one site.
pub struct Renderer<'a> {
    /// Inputs of the views.
    pub cx: ViewCx<'a>,
    /// Compiled templates.
    pub templates: &'a Templates,
}

#[derive(Serialize)]
struct Common<'a> {
    root: &'a str,
    canonical: Option<String>,
    site: &'a SiteView,
    page_title: &'a str,
    nav: &'a str,
}

impl Renderer<'_> {
    /// Every page of the site, in a stable order, with its output path.
    pub fn pages(&self) -> Vec<(String, Page)> {
        let mut pages = vec![
            ("index.html".to_owned(), Page::Index),
            ("actions/index.html".to_owned(), Page::Actions),
            ("incidents.json".to_owned(), Page::Json),
            ("actions.csv".to_owned(), Page::ActionsCsv),
            ("atom.xml".to_owned(), Page::Atom),
            ("404.html".to_owned(), Page::NotFound),
            ("search-index.json".to_owned(), Page::SearchJson),
            ("search-index.js".to_owned(), Page::SearchJs),
        ];
        for job in std::sync::Arc::new(Facets::of(&self.cx)).pages() {
            pages.push((job.url(), Page::Listing(job)));
        }
        for (facet, slug) in Tracker::new(&self.cx).pages() {
            pages.push((
                tracker::tracker_page_url(facet, &slug),
                Page::Tracker(facet, slug),
            ));
        }
        for id in self.cx.corpus.incidents.keys() {
            pages.push((view::incident_url(id), Page::Incident(id.clone())));
        }
        for link in self.cx.playbook_links() {
            pages.push((link.url.clone(), Page::Playbook(link.kind)));
        }
        for (i, (name, _)) in self.templates.assets.iter().enumerate() {
            pages.push((name.clone(), Page::Asset(i)));
        }
        if feeds::absolute_base(&self.cx).is_some() {
            pages.push(("sitemap.xml".to_owned(), Page::Sitemap));
        }
        pages
    }

    fn site(&self) -> SiteView {
        SiteView {
            title: self.cx.config.title.clone(),
            description: self.cx.config.description.clone(),
            generator: format!("pm {}", env!("CARGO_PKG_VERSION")),
            commit: self
                .cx
                .history
                .and_then(|h| h.head.as_ref().map(|r| history::revision(h, r))),
        }
    }

    /// The context every page shares. `path` is the page's site-relative
    /// output path; with an absolute `base_url` it becomes the canonical URL.
    fn context(&self, root: &str, path: &str, title: &str, nav: &str) -> Result<Context> {
        let site = self.site();
        let base = &self.cx.config.base_url;
        let canonical = (base.starts_with("https://") || base.starts_with("http://"))
            .then(|| format!("{base}{}", path.trim_end_matches("index.html")));
        Context::from_serialize(&Common {
            root,
            canonical,
            site: &site,
            page_title: title,
            nav,
        })
        .map_err(|e| Error::Template(error_chain(&e)))
    }

    fn insert<T: Serialize>(context: &mut Context, key: &'static str, value: &T) {
        context.insert(key, value);
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>> {
        let cx = &self.cx;
        let today = cx.today.to_string();
        match page {
            Page::Index => {
                let mut c = self.context("", "index.html", "Incidents", "index")?;
                let facets = Facets::of(cx);
                Self::insert(&mut c, "summary", &cx.summary_view());
                let list: Vec<_> = cx
                    .incidents_newest_first()
                    .into_iter()
                    .map(|i| cx.summary(i))
                    .collect();
                Self::insert(&mut c, "incidents", &list);
                Self::insert(&mut c, "rows", &facets.rows(cx, |_| true));
                let views = facets.views(cx);
                let severity_pages: std::collections::BTreeMap<&str, &str> = views
                    .iter()
                    .filter(|f| f.key == Facet::Severity.key())
                    .flat_map(|f| f.options.iter())
                    .map(|o| (o.label.as_str(), o.url.as_str()))
                    .collect();
                Self::insert(&mut c, "severity_pages", &severity_pages);
                Self::insert(&mut c, "facets", &views);
                Self::insert(&mut c, "trends", &trends::trends(cx));
                Self::insert(&mut c, "playbooks", &cx.playbook_links());
                Self::insert(&mut c, "today", &today);
                self.templates.render("index.html", &c)
            }
            Page::Actions => {
                let mut c = self.context("../", "actions/index.html", "Action items", "actions")?;
                let tracker = Tracker::new(cx)
                    .view(cx, None)
                    .ok_or_else(|| Error::Template("no action tracker".to_owned()))?;
                Self::insert(&mut c, "actions", &tracker);
                Self::insert(&mut c, "today", &today);
                self.templates.render("actions.html", &c)
            }
            Page::Tracker(facet, slug) => {
                let tracker = Tracker::new(cx)
                    .view(cx, Some((*facet, slug)))
                    .ok_or_else(|| Error::Template(format!("no action items for `{slug}`")))?;
                let title = tracker.filter.as_ref().map_or_else(
                    || "Action items".to_owned(),
                    |f| format!("Action items: {}", f.value),
                );
                let mut c = self.context(
                    "../../../",
                    &tracker::tracker_page_url(*facet, slug),
                    &title,
                    "tracker",
                )?;
                Self::insert(&mut c, "actions", &tracker);
                Self::insert(&mut c, "today", &today);
                self.templates.render("actions.html", &c)
            }
            Page::Listing(job) => {
                let view = job
                    .facets
                    .listing(cx, job.facet, &job.slug)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{}`", job.slug)))?;
                let mut c = self.context("../../", &job.url(), &view.title, "listing")?;
                Self::insert(&mut c, "listing", &view);
                Self::insert(&mut c, "rows", &view.rows);
                Self::insert(&mut c, "today", &today);
                self.templates.render("listing.html", &c)
            }
            Page::ActionsCsv => Ok(tracker::actions_csv(cx, feeds::absolute_base(cx))),
            Page::Atom => {
                let mut c = self.context("", "atom.xml", "Feed", "feed")?;
                Self::insert(&mut c, "feed", &feeds::feed(cx));
                self.templates.render("atom.xml", &c)
            }
            Page::Sitemap => {
                let paths: Vec<String> = self.pages().into_iter().map(|(p, _)| p).collect();
                let urls = feeds::sitemap(cx, &paths).unwrap_or_default();
                let mut c = self.context("", "sitemap.xml", "Sitemap", "sitemap")?;
                Self::insert(&mut c, "urls", &urls);
                self.templates.render("sitemap.xml", &c)
            }
            Page::NotFound => {
                // Served for any missing path at any depth, so links cannot
                // be relative: they start from `base_url` (`/` by default).
                let base = cx.config.base_url.clone();
                let mut c = self.context(&base, "404.html", "Page not found", "404")?;
                Self::insert(&mut c, "canonical", &None::<String>);
                self.templates.render("404.html", &c)
            }
            Page::SearchJson => search::search_json(cx),
            Page::SearchJs => search::search_js(cx),
            Page::Incident(id) => {
                let incident = cx
                    .corpus
                    .incidents
                    .get(id)
                    .ok_or_else(|| Error::Template(format!("no incident `{id}`")))?;
                let mut c = self.context(
                    "../../",
                    &view::incident_url(id),
                    &incident.title,
                    "incident",
                )?;
                Self::insert(&mut c, "incident", &cx.incident(incident));
                self.templates.render("incident.html", &c)
            }
            Page::Playbook(kind) => {
                let view = cx.playbook(kind, cx.corpus.playbooks.get(kind));
                let mut c =
                    self.context("../../", &view::playbook_url(kind), &view.title, "playbook")?;
                Self::insert(&mut c, "playbook", &view);
                self.templates.render("playbook.html", &c)
            }
            Page::Json => json::incidents_json(cx),
            Page::Asset(i) => Ok(self
                .templates
                .assets
                .get(*i)
                .map(|(_, bytes)| bytes.clone())
                .unwrap_or_default()),
        }
    }
}

/// Escapes text for HTML and XML exactly as Tera's own escape does (`&`, `<`,
/// `>`, `"` and `'`), but writes unescaped runs whole instead of byte by byte:
/// Tera's version was a twelfth of a build's CPU time.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_matches_the_template_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site-template");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = BUILTIN_TEMPLATES
            .iter()
            .chain(BUILTIN_ASSETS)
            .chain(status::TEXT_TEMPLATES)
            .map(|(n, _)| (*n).to_owned())
            .collect();
        listed.sort();
        assert_eq!(
            on_disk, listed,
            "site-template/ and BUILTIN_TEMPLATES/ASSETS disagree"
        );
    }

    #[test]
    fn escape_matches_teras_own() {
        for input in ["", "plain", "<a href=\"x\">'&'</a>", "é<é>é", "&&", "tail'"] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{input}");
        }
    }

    #[test]
    fn builtin_templates_compile() {
        Templates::load(&[]).unwrap();
    }

    #[test]
    fn an_override_replaces_one_template_and_can_extend_the_original() {
        let over = TemplateFile {
            name: "base.html".into(),
            bytes:
                b"{% extends \"pm/base.html\" %}{% block content %}OVERRIDDEN{% endblock content %}"
                    .to_vec(),
        };
        let t = Templates::load(&[over]).unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "pm/base.html"));
    }
}
