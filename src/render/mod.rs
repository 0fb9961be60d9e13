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
pub mod paging;
pub mod playbook;
pub mod search;
pub mod shared;
pub mod status;
pub mod timeline;
pub mod tracker;
pub mod trends;
pub mod view;

use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::source::TemplateFile;
use paging::{Lists, ListsJob, ListsPage, PagerView};
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
        "pagination.html",
        include_str!("../../site-template/pagination.html"),
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
    /// `index.html`, page 1 of the index, for a caller rendering this one
    /// page: it sorts the site's lists itself. [`Renderer::pages`] gives
    /// [`Page::FromLists`] jobs instead, which share them.
    Index,
    /// `actions/index.html`, page 1 of the tracker (see [`Page::Index`]).
    Actions,
    /// `playbooks/<type>/index.html` (see [`Page::Index`]).
    Playbook(String),
    /// `incidents/<id>/index.html`.
    Incident(String),
    /// `incidents.json`.
    Json,
    /// `actions.csv`.
    ActionsCsv,
    /// `404.html`.
    NotFound,
    /// A file made from the lists every list page shares: a page of the
    /// index, of a listing or of the tracker, a playbook page, the search
    /// indexes, the feed, the sitemap.
    FromLists(ListsJob),
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
        // Pages are compiled without their templates' indentation (see
        // `strip_indentation`). Should that ever fail to compile, the
        // templates as written are compiled instead, so an error points at
        // the line and column the author sees.
        let compact: Vec<(String, String)> = sources
            .iter()
            .map(|(name, text)| {
                if !name.ends_with(".html") {
                    return (name.clone(), text.clone());
                }
                let mut bytes = text.clone().into_bytes();
                strip_indentation(&mut bytes);
                // Only ASCII whitespace went, so the bytes are still UTF-8.
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                (name.clone(), text)
            })
            .collect();
        let tera = match compile(&compact) {
            Ok(tera) => tera,
            Err(_) => compile(&sources).map_err(|e| Error::Template(error_chain(&e)))?,
        };
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

/// A Tera with pm's escaping, holding these templates.
fn compile(sources: &[(String, String)]) -> tera::TeraResult<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))?;
    Ok(tera)
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
    /// Set by the pages of a paginated list.
    pager: Option<&'a PagerView>,
}

impl Renderer<'_> {
    /// Every page of the site, in a stable order, with its output path.
    pub fn pages(&self) -> Vec<(String, Page)> {
        self.pages_with(&std::sync::Arc::new(Lists::new(&self.cx)))
    }

    fn pages_with(&self, lists: &std::sync::Arc<Lists>) -> Vec<(String, Page)> {
        let mut pages = self.list_pages(lists);
        pages.extend([
            ("incidents.json".to_owned(), Page::Json),
            ("actions.csv".to_owned(), Page::ActionsCsv),
            ("404.html".to_owned(), Page::NotFound),
        ]);
        for id in self.cx.corpus.incidents.keys() {
            pages.push((view::incident_url(id), Page::Incident(id.clone())));
        }
        pages.extend(self.playbook_pages(lists));
        for (i, (name, _)) in self.templates.assets.iter().enumerate() {
            pages.push((name.clone(), Page::Asset(i)));
        }
        if feeds::absolute_base(&self.cx).is_some() {
            pages.push((
                "sitemap.xml".to_owned(),
                Page::FromLists(ListsJob {
                    what: ListsPage::Sitemap,
                    lists: std::sync::Arc::clone(lists),
                }),
            ));
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
            pager: None,
        })
        .map_err(|e| Error::Template(error_chain(&e)))
    }

    fn insert<T: Serialize>(context: &mut Context, key: &'static str, value: &T) {
        context.insert(key, value);
    }

    /// Renders one file made from lists sorted for it alone.
    fn render_alone(&self, what: ListsPage) -> Result<Vec<u8>> {
        self.render_lists(&ListsJob {
            what,
            lists: std::sync::Arc::new(Lists::new(&self.cx)),
        })
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>> {
        let cx = &self.cx;
        match page {
            Page::Index => self.render_alone(ListsPage::Index(1)),
            Page::Actions => self.render_alone(ListsPage::Tracker(None, 1)),
            Page::Playbook(kind) => self.render_alone(ListsPage::Playbook(kind.clone())),
            Page::FromLists(job) => self.render_lists(job),
            Page::ActionsCsv => Ok(tracker::actions_csv(cx, feeds::absolute_base(cx))),
            Page::NotFound => {
                // Served for any missing path at any depth, so links cannot
                // be relative: they start from `base_url` (`/` by default).
                let base = cx.config.base_url.clone();
                let mut c = self.context(&base, "404.html", "Page not found", "404")?;
                Self::insert(&mut c, "canonical", &None::<String>);
                self.templates.render("404.html", &c)
            }
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

/// Elements whose text keeps its whitespace: their lines are left alone.
const VERBATIM: &[&[u8]] = &[b"pre", b"textarea", b"script"];

/// Removes the indentation of each line of an HTML template, except inside
/// `<pre>`, `<textarea>` and `<script>`. A browser shows the pages the same
/// (runs of whitespace between tags render as one space, and a newline is
/// kept), and the indentation was 10-15 % of the bytes of a page pm writes,
/// most of a large site's write cost. It is done once, on the templates
/// when they are compiled: stripping every rendered page instead cost 6 % of
/// a build's CPU. Text a page inserts (Markdown, code blocks) is left as it
/// is.
fn strip_indentation(html: &mut Vec<u8>) {
    // Compacts in place: the write cursor never passes the read cursor.
    let mut write = 0;
    let mut read = 0;
    let mut verbatim: Option<&[u8]> = None;
    let len = html.len();
    while read < len {
        let end = memchr::memchr(b'\n', &html[read..]).map_or(len, |i| read + i + 1);
        let mut start = read;
        if verbatim.is_none() {
            while start < end && matches!(html[start], b' ' | b'\t') {
                start += 1;
            }
        }
        verbatim = verbatim_after(&html[start..end], verbatim);
        html.copy_within(start..end, write);
        write += end - start;
        read = end;
    }
    html.truncate(write);
}

/// Whether a line ends inside a verbatim element, given whether it started
/// in one: the last opening or closing tag of such an element decides.
fn verbatim_after<'a>(line: &[u8], mut open: Option<&'a [u8]>) -> Option<&'a [u8]> {
    for at in memchr::memchr_iter(b'<', line) {
        let rest = &line[at + 1..];
        match open {
            Some(tag) => {
                if let Some(after) = rest.strip_prefix(b"/")
                    && after.len() > tag.len()
                    && after[..tag.len()].eq_ignore_ascii_case(tag)
                    && after[tag.len()] == b'>'
                {
                    open = None;
                }
            }
            None => {
                // Most tags are not verbatim: one byte tells.
                if !matches!(rest.first(), Some(b'p' | b'P' | b't' | b'T' | b's' | b'S')) {
                    continue;
                }
                open = VERBATIM.iter().copied().find(|tag| {
                    rest.len() > tag.len()
                        && rest[..tag.len()].eq_ignore_ascii_case(tag)
                        && matches!(rest[tag.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r')
                });
            }
        }
    }
    open
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
    fn indentation_goes_but_verbatim_text_stays() {
        let mut html = b"<main>\n    <p>a\n      b</p>\n  <pre class=\"x\"><code>  one\n    two\n</code></pre>\n    <textarea>\n  t\n</textarea>\n\t<script>\n  s()\n</script>\n    <pre>p</pre>\n    <preview>\n    <p>end</p>\n</main>\n".to_vec();
        strip_indentation(&mut html);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<main>\n<p>a\nb</p>\n<pre class=\"x\"><code>  one\n    two\n</code></pre>\n<textarea>\n  t\n</textarea>\n<script>\n  s()\n</script>\n<pre>p</pre>\n<preview>\n<p>end</p>\n</main>\n"
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

    #[test]
    fn a_template_error_points_at_the_column_as_written() {
        let over = TemplateFile {
            name: "404.html".into(),
            bytes: b"<main>\n        <p>{{ oops( }}</p>\n</main>\n".to_vec(),
        };
        let Err(Error::Template(message)) = Templates::load(&[over]) else {
            panic!("a syntax error must fail to load");
        };
        // The `}}` after `oops(` is at column 21 of line 2 as written, and
        // at column 13 once the indentation is gone.
        assert!(message.contains("404.html:2:21"), "{message}");
    }
}
