//! Bundle attachments: which files pm publishes, and in what form.
//!
//! An attachment is published beside its incident's page, on the site's
//! origin, where the pages' Content-Security-Policy does not reach: a file a
//! browser opens as a document runs its script with the site's rights. So
//! pm refuses the types a browser opens as documents (HTML, XHTML, XML, web
//! archives), refuses files over `[limits] attachment_size`, and publishes an
//! SVG only as a clean copy that it writes itself from the parsed drawing
//! ([`svg`]): elements and attributes of a fixed list, no script, no event
//! handler, no DOCTYPE, entities expanded by the parser and then checked like
//! any other content. The browser reads pm's copy, never the author's bytes,
//! so no difference between pm's XML parser and the browser's can smuggle
//! anything through.
//!
//! Everything here is a function of the attachment's name and bytes: no
//! template, no output, no I/O but reading the attachment.

pub mod svg;

use std::sync::Arc;

use crate::diag::{Diagnostic, Text};
use crate::parse::{Limits, size_text};
use crate::source::{Attachment, Content};

/// What [`check`] made of a bundle's attachments.
#[derive(Debug, Default)]
pub struct Checked {
    /// The attachments pm publishes, in the order given; SVGs as their clean copies.
    pub kept: Vec<Attachment>,
    /// The names of the others.
    pub withheld: Vec<String>,
    /// Why they are refused.
    pub found: Vec<Diagnostic>,
    /// The texts the findings point into (an SVG's source), by path.
    pub sources: Vec<(String, Text)>,
}

/// File types a browser opens as a document that can run script: HTML and
/// its XML forms (an XML file may name an XSLT stylesheet that makes HTML),
/// web archives, and compressed SVG (which pm cannot inspect as published).
const DOCUMENT_TYPES: &[&str] = &[
    "htm", "html", "shtml", "xht", "xhtml", "xml", "xsl", "xslt", "mht", "mhtml", "svgz",
];

/// Checks the attachments of the bundle whose `index.md` is at `record`
/// (`incidents/<id>/index.md`): keeps those pm may publish, and reports the others.
pub fn check(record: &str, attachments: Vec<Attachment>, limits: &Limits) -> Checked {
    let folder = record
        .strip_suffix(crate::source::BUNDLE_INDEX)
        .unwrap_or(record);
    let mut checked = Checked::default();
    for attachment in attachments {
        let path = format!("{folder}{}", attachment.name);
        let name = attachment.name.clone();
        match check_one(&path, attachment, limits) {
            Ok(kept) => checked.kept.push(kept),
            Err(refused) => {
                checked.withheld.push(name);
                checked.found.push(*refused.diagnostic);
                if let Some(text) = refused.source {
                    checked.sources.push((path, text));
                }
            }
        }
    }
    checked
}

/// Why an attachment is not published, and the text its diagnostic points into.
struct Refused {
    diagnostic: Box<Diagnostic>,
    source: Option<Text>,
}

impl From<Diagnostic> for Refused {
    fn from(d: Diagnostic) -> Self {
        Refused {
            diagnostic: Box::new(d),
            source: None,
        }
    }
}

/// The lowercase extension of an attachment's file name.
fn extension(name: &str) -> Option<String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// pm cannot read `what` at `path`, so it cannot vouch for it.
fn unreadable(path: &str, what: &str, e: &crate::error::Error) -> Refused {
    Diagnostic::error(
        "unsafe_attachment",
        path,
        format!("cannot read {what}: {e}"),
    )
    .help("check the file's permissions, or remove it from the bundle")
    .into()
}

fn check_one(path: &str, attachment: Attachment, limits: &Limits) -> Result<Attachment, Refused> {
    let ext = extension(&attachment.name);
    if let Some(ext) = ext.as_deref().filter(|e| DOCUMENT_TYPES.contains(e)) {
        let why = if attachment.name.eq_ignore_ascii_case("index.html") {
            "this one would take the place of the incident's own page, and any script in it would run on the site"
        } else {
            "a browser opens such a file as a page of the site, and any script in it would run there"
        };
        return Err(Diagnostic::error(
            "unsafe_attachment",
            path,
            format!("`.{ext}` attachments are not published: {why}"),
        )
        .note("pm publishes attachments on the site's own origin, beside the incident's page")
        .help(format!(
            "attach it zipped (`{name}.zip`) or as text (`{name}.txt`), or take a screenshot; the link in the record changes with the name",
            name = attachment.name.rsplit('/').next().unwrap_or(&attachment.name)
        ))
        .into());
    }
    let size = attachment
        .content
        .size()
        .map_err(|e| unreadable(path, "this attachment", &e))?;
    if size > limits.attachment_size as u64 {
        return Err(Diagnostic::error(
            "limit_exceeded",
            path,
            format!(
                "attachment is {}, over the {} limit",
                size_text(usize::try_from(size).unwrap_or(usize::MAX)),
                size_text(limits.attachment_size)
            ),
        )
        .note("every copy of the site carries it, and a reader's browser downloads it whole")
        .help("attach an excerpt (the minutes around the incident), compress it, or link to where the full file is kept; or raise `[limits] attachment_size` in pm.toml")
        .into());
    }
    if ext.as_deref() != Some("svg") {
        return Ok(attachment);
    }
    let bytes = attachment
        .content
        .read()
        .map_err(|e| unreadable(path, "this SVG to check it", &e))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let at = lossy.len().min(at);
            return Err(Refused {
                diagnostic: Box::new(
                    Diagnostic::error("invalid_utf8", path, "SVG file is not valid UTF-8")
                        .at(at..at + 1)
                        .label("this byte is not UTF-8")
                        .help("export the drawing again as UTF-8 SVG, or attach it as PNG"),
                ),
                source: Some(Arc::new(lossy)),
            });
        }
    };
    match svg::clean(&text) {
        Ok(clean) => Ok(Attachment {
            name: attachment.name,
            content: Content::Bytes(clean.into_bytes().into()),
        }),
        Err(problem) => {
            let at = problem.at.min(text.len());
            let end = text[at..]
                .char_indices()
                .nth(1)
                .map_or(text.len(), |(i, _)| at + i)
                .max(at);
            Err(Refused {
                diagnostic: Box::new(
                    Diagnostic::error("unsafe_attachment", path, problem.message)
                        .at(at..end)
                        .help(problem.help),
                ),
                source: Some(Arc::new(text)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(name: &str, bytes: &[u8]) -> Attachment {
        Attachment {
            name: name.to_owned(),
            content: Content::Bytes(bytes.into()),
        }
    }

    fn run(list: Vec<Attachment>, limits: &Limits) -> Checked {
        check("incidents/2026-01-01-a/index.md", list, limits)
    }

    #[test]
    fn documents_a_browser_runs_are_refused_by_name() {
        for name in [
            "report.html",
            "INDEX.HTML",
            "index.html",
            "page.xhtml",
            "feed.xml",
            "archive.mhtml",
            "graphs/p99.svgz",
            "old.htm",
        ] {
            let checked = run(vec![attachment(name, b"<p>hi</p>")], &Limits::DEFAULT);
            assert!(checked.kept.is_empty(), "{name} was kept");
            let d = &checked.found[0];
            assert_eq!(d.code, "unsafe_attachment", "{name}");
            assert_eq!(d.file, format!("incidents/2026-01-01-a/{name}"));
            assert!(d.help.as_deref().unwrap_or("").contains(".zip"), "{name}");
        }
        let checked = run(
            vec![
                attachment("notes.txt", b"<script>x</script>"),
                attachment("html", b""),
                attachment(".html", b""),
                attachment("log.json", b"{}"),
                attachment("p99.png", b"\x89PNG"),
            ],
            &Limits::DEFAULT,
        );
        assert_eq!(checked.kept.len(), 5, "{:?}", checked.found);
    }

    #[test]
    fn index_html_is_named_as_the_page_it_would_replace() {
        let checked = run(vec![attachment("index.html", b"")], &Limits::DEFAULT);
        assert!(checked.found[0].message.contains("incident's own page"));
    }

    #[test]
    fn attachments_over_the_size_limit_are_refused() {
        let limits = Limits {
            attachment_size: 10,
            ..Limits::DEFAULT
        };
        let checked = run(
            vec![
                attachment("small.txt", b"0123456789"),
                attachment("big.txt", b"0123456789a"),
            ],
            &limits,
        );
        assert_eq!(checked.kept.len(), 1);
        assert_eq!(checked.kept[0].name, "small.txt");
        assert_eq!(checked.found[0].code, "limit_exceeded");
        assert!(checked.found[0].message.contains("over the 10 bytes limit"));
    }

    #[test]
    fn an_svg_is_published_as_its_clean_copy() {
        let checked = run(
            vec![attachment(
                "p99.svg",
                b"<!-- exported --><svg xmlns='http://www.w3.org/2000/svg'><rect width='1'/></svg>",
            )],
            &Limits::DEFAULT,
        );
        let Content::Bytes(bytes) = &checked.kept[0].content else {
            panic!("the clean copy is not in memory");
        };
        assert_eq!(
            std::str::from_utf8(bytes).unwrap_or_default(),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>\n"
        );
    }

    #[test]
    fn a_scripted_svg_points_at_the_script_with_its_text() {
        let svg = "<svg xmlns='http://www.w3.org/2000/svg'>\n  <script>x()</script>\n</svg>";
        let checked = run(
            vec![attachment("graph.svg", svg.as_bytes())],
            &Limits::DEFAULT,
        );
        assert!(checked.kept.is_empty());
        let d = &checked.found[0];
        assert_eq!(d.span, Some(43..44));
        assert_eq!(checked.sources[0].0, "incidents/2026-01-01-a/graph.svg");
        assert_eq!(checked.sources[0].1.as_str(), svg);
    }

    #[test]
    fn an_svg_that_is_not_utf8_is_refused_with_its_place() {
        let checked = run(
            vec![attachment("graph.svg", b"<svg>\xff</svg>")],
            &Limits::DEFAULT,
        );
        assert_eq!(checked.found[0].code, "invalid_utf8");
        assert_eq!(checked.found[0].span, Some(5..6));
    }
}
