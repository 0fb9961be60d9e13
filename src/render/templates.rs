//! The site's templates and assets: the built-in ones compiled into the
//! binary, a repository's own `site-template/` on top. A repository's file
//! overrides any of them by file name, and can extend the original as
//! `pm/<name>`. Nothing here writes to disk.

use tera::{Context, Tera};

use super::overrides::Override;
pub(super) use super::overrides::error_chain;
use super::prompt::{PromptTemplates, is_prompt_template};
use super::status;
use crate::error::{Error, Result};
use crate::markdown::{Escape, escape_to};

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
        "incident-row.html",
        include_str!("../../site-template/incident-row.html"),
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
        "prompt-box.html",
        include_str!("../../site-template/prompt-box.html"),
    ),
    (
        "sitemap.xml",
        include_str!("../../site-template/sitemap.xml"),
    ),
];

/// Built-in static assets, copied to the site root.
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("prompt.js", include_str!("../../site-template/prompt.js")),
    ("search.js", include_str!("../../site-template/search.js")),
    (
        "search-engine.js",
        include_str!("../../site-template/search-engine.js"),
    ),
    ("style.css", include_str!("../../site-template/style.css")),
];

/// Compiled templates and assets, ready to render pages.
pub struct Templates {
    tera: Tera,
    pub(super) assets: Vec<(String, Vec<u8>)>,
    /// The prompt templates, for the prompts the pages offer.
    pub(super) prompts: PromptTemplates,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("assets", &self.assets.len())
            .finish()
    }
}

impl Templates {
    /// The static assets, by site path, as [`Page::Asset`](super::Page::Asset)
    /// renders them: files that depend on no record.
    pub fn assets(&self) -> &[(String, Vec<u8>)] {
        &self.assets
    }

    /// Compiles the built-in templates with the repository's overrides on top.
    pub fn load(overrides: &[Override]) -> Result<Templates> {
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
            if status::TEXT_TEMPLATES.iter().any(|(n, _)| *n == file.name)
                || is_prompt_template(&file.name)
            {
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
        let prompts = PromptTemplates::load(overrides)?;
        Ok(Templates {
            tera,
            assets,
            prompts,
        })
    }

    pub(super) fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>> {
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

/// Tera's escape function: [`Escape::Html`], the characters Tera's own
/// escape replaces.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_to(input, Escape::Html, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_matches_the_template_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site-template");
        // Files only: `prompts/` has a test of its own (render::prompt).
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
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
        let over = Override {
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
        let over = Override {
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
