//! The built site judged the way a browser does.
//!
//! Every test builds the repository's own example records (`incidents/`,
//! `playbooks/`, `pm.toml`, `site-template/`) into a temporary folder. Then:
//!
//! - `every_internal_link_resolves_and_every_page_is_well_formed` reads every
//!   built page in Rust: each internal `href`/`src` must name a file of the
//!   site (and an existing `id` when it has a fragment), and each page needs
//!   `<html lang>`, a `<title>`, one `<h1>` and a Content-Security-Policy.
//! - The `browser_*` tests load pages in headless Chromium (`--dump-dom`),
//!   check from the rendered DOM that the records' content is on the page,
//!   and fail on any message the page logged to the console (a CSP violation
//!   included). `browser_console_detector_sees_csp_violations` proves the
//!   detector can fail.
//!
//! The browser tests need Debian's `chromium` (`apt-get install chromium`).
//! Without it they fail, unless `PM_SKIP_BROWSER=1` is set.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Project, copy_tree, list_files, repo_root};

/// The date the example records are built against (as in the dogfood test).
pub(crate) const TODAY: &str = "2026-11-30";

/// How long one page load may take before the browser is killed.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// Building the example site and reading its records

/// A copy of the repository's records, built into `<root>/public`.
pub(crate) fn build_examples() -> Project {
    build_examples_with(&[])
}

/// [`build_examples`] with more `pm build` arguments (`--base-url`, say).
fn build_examples_with(extra: &[&str]) -> Project {
    build_examples_paged(None, extra)
}

/// `pm.toml` text with `[site] page_size` set.
fn with_page_size(config: &str, size: usize) -> String {
    assert!(config.contains("[site]\n"), "pm.toml has no [site] table");
    config.replacen("[site]\n", &format!("[site]\npage_size = {size}\n"), 1)
}

/// [`build_examples_with`], with `[site] page_size` set when `page_size` is
/// given: small pages make every list of the examples span several pages.
fn build_examples_paged(page_size: Option<usize>, extra: &[&str]) -> Project {
    let p = Project::empty();
    let repo = repo_root();
    for dir in ["incidents", "playbooks", "site-template"] {
        let src = repo.join(dir);
        if src.is_dir() && !list_files(&src).is_empty() {
            copy_tree(&src, &p.root().join(dir));
        }
    }
    let config = std::fs::read_to_string(repo.join("pm.toml")).expect("read pm.toml");
    p.file(
        "pm.toml",
        page_size.map_or_else(|| config.clone(), |n| with_page_size(&config, n)),
    );
    let mut args = vec!["build", "--today", TODAY];
    args.extend_from_slice(extra);
    p.pm(&args).output().code(0);
    assert!(
        p.exists("public/index.html"),
        "pm build wrote no public/index.html"
    );
    p
}

/// One incident or playbook record of the repository, as the site shows it.
struct Record {
    /// The incident id or playbook name (file stem, or folder of a bundle).
    id: String,
    /// Its front matter.
    front: toml::Table,
    /// Files next to a bundle's `index.md`, relative to the bundle folder.
    attachments: Vec<String>,
    /// The Markdown after the front matter.
    body: String,
}

impl Record {
    fn str(&self, key: &str) -> &str {
        self.front
            .get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or("")
    }

    fn tables(&self, key: &str) -> Vec<&toml::Table> {
        self.front
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(toml::Value::as_table).collect())
            .unwrap_or_default()
    }

    fn strings(&self, key: &str) -> Vec<&str> {
        self.front
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(toml::Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The Markdown of the body's top-level `## Summary` section, up to the
    /// next `## ` heading, when it has one.
    fn summary_section(&self) -> Option<&str> {
        let start = self
            .body
            .match_indices("## ")
            .find(|(i, _)| {
                (*i == 0 || self.body[..*i].ends_with('\n'))
                    && self.body[i + 3..].lines().next().map(str::trim) == Some("Summary")
            })?
            .0;
        let rest = &self.body[start..];
        let text = rest.split_once('\n').map_or("", |(_, t)| t);
        Some(text.split("\n## ").next().unwrap_or(text))
    }

    fn is_draft(&self) -> bool {
        self.front.get("draft").and_then(toml::Value::as_bool) == Some(true)
    }
}

/// The `+++`-delimited front matter of a record file.
fn front_matter(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).expect("read record");
    let text = text.replace("\r\n", "\n");
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("{} does not start with +++", path.display()));
    let end = rest
        .find("\n+++")
        .unwrap_or_else(|| panic!("{} has no closing +++", path.display()));
    rest[..=end]
        .parse()
        .unwrap_or_else(|e| panic!("front matter of {}: {e}", path.display()))
}

/// The records under `dir` (`incidents` or `playbooks`) of the copy that was
/// built (not of the work tree, which may change while the test runs),
/// drafts left out, sorted by id.
fn records(p: &Project, dir: &str) -> Vec<Record> {
    let base = p.root().join(dir);
    let mut out = Vec::new();
    for rel in list_files(&base) {
        let path = base.join(&rel);
        let Some(name) = rel.rsplit('/').next() else {
            continue;
        };
        let (id, attachments) = if name == "index.md" {
            let folder = path.parent().expect("bundle folder");
            let id = folder
                .file_name()
                .expect("bundle name")
                .to_string_lossy()
                .into_owned();
            let attachments = list_files(folder)
                .into_iter()
                .filter(|f| f != "index.md")
                .collect();
            (id, attachments)
        } else if let Some(stem) = name.strip_suffix(".md") {
            // A file inside a bundle (an attachment that happens to be .md) is not a record.
            if path.parent().is_some_and(|f| f.join("index.md").is_file()) {
                continue;
            }
            (stem.to_owned(), Vec::new())
        } else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .expect("read record")
            .replace("\r\n", "\n");
        let body = text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.split_once("\n+++\n"))
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        let record = Record {
            id,
            front: front_matter(&path),
            attachments,
            body,
        };
        if !record.is_draft() {
            out.push(record);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn incident_page(id: &str) -> String {
    format!("incidents/{id}/index.html")
}

fn playbook_page(name: &str) -> String {
    format!("playbooks/{name}/index.html")
}

/// Lower-case alphanumeric words joined by one space: the text a reader sees,
/// whatever the Markdown, escaping or typography around it. Link targets
/// (`[text](target)`) are dropped first, as they are not shown.
fn words(text: &str) -> String {
    let mut shown = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        shown.push_str(&rest[..=i]);
        rest = &rest[i + 2..];
        match rest.find(')') {
            Some(j) => rest = &rest[j + 1..],
            None => break,
        }
    }
    shown.push_str(rest);
    shown
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------
// A small HTML reader: enough for generated pages and Chromium's DOM dumps.

mod html {
    use std::ops::Range;

    /// Elements that never have an end tag.
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];

    #[derive(Debug)]
    pub(super) enum Token {
        Start {
            name: String,
            attrs: Vec<(String, String)>,
        },
        End(String),
        Text(String),
    }

    /// One element: its attributes and the tokens between its tags.
    #[derive(Debug)]
    pub(super) struct Element {
        pub(super) attrs: Vec<(String, String)>,
        pub(super) inner: Range<usize>,
    }

    impl Element {
        pub(super) fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        pub(super) fn has_class(&self, class: &str) -> bool {
            self.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|x| x == class))
        }

        /// Whether `other` lies inside this element.
        pub(super) fn contains(&self, other: &Element) -> bool {
            self.inner.start <= other.inner.start && other.inner.end <= self.inner.end
        }
    }

    /// A parsed page.
    pub(super) struct Doc {
        pub(super) tokens: Vec<Token>,
    }

    impl Doc {
        pub(super) fn parse(src: &str) -> Doc {
            Doc {
                tokens: tokenize(src),
            }
        }

        /// Every element named `name`, in document order.
        pub(super) fn elements(&self, name: &str) -> Vec<Element> {
            let mut out = Vec::new();
            for (i, tok) in self.tokens.iter().enumerate() {
                let Token::Start { name: n, attrs } = tok else {
                    continue;
                };
                if n != name {
                    continue;
                }
                let end = if VOID.contains(&name) {
                    i + 1
                } else {
                    self.matching_end(i, name)
                };
                out.push(Element {
                    attrs: attrs.clone(),
                    inner: i + 1..end,
                });
            }
            out
        }

        /// Every element named `name` inside `within`.
        pub(super) fn elements_in(&self, within: &Element, name: &str) -> Vec<Element> {
            self.elements(name)
                .into_iter()
                .filter(|e| within.contains(e))
                .collect()
        }

        /// The element with this `id`, if any.
        pub(super) fn by_id(&self, id: &str) -> Option<Element> {
            self.tokens
                .iter()
                .enumerate()
                .find_map(|(i, tok)| match tok {
                    Token::Start { name, attrs }
                        if attrs.iter().any(|(k, v)| k == "id" && v == id) =>
                    {
                        self.elements(name)
                            .into_iter()
                            .find(|e| e.inner.start == i + 1)
                    }
                    _ => None,
                })
        }

        /// The text inside an element, whitespace collapsed.
        pub(super) fn text(&self, el: &Element) -> String {
            let mut s = String::new();
            for tok in &self.tokens[el.inner.clone()] {
                if let Token::Text(t) = tok {
                    s.push_str(t);
                }
            }
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        }

        /// Index of the end tag closing the start tag at `start` (or the end of
        /// the document when it is never closed).
        fn matching_end(&self, start: usize, name: &str) -> usize {
            let mut depth = 0usize;
            // Where HTML lets an element's end tag be left out, what ends it
            // instead: the start of a sibling, or the end of its parent.
            let (siblings, parents): (&[&str], &[&str]) = match name {
                "tr" => (
                    &["tr", "tbody", "thead", "tfoot"],
                    &["tbody", "thead", "tfoot", "table"],
                ),
                "td" | "th" => (
                    &["td", "th", "tr"],
                    &["tr", "tbody", "thead", "tfoot", "table"],
                ),
                "li" => (&["li"], &["ul", "ol"]),
                _ => (&[], &[]),
            };
            for (i, tok) in self.tokens.iter().enumerate().skip(start) {
                match tok {
                    Token::Start { name: n, .. }
                        if depth == 1 && i > start && siblings.contains(&n.as_str()) =>
                    {
                        return i;
                    }
                    Token::End(n) if depth == 1 && parents.contains(&n.as_str()) => return i,
                    Token::Start { name: n, .. } if n == name => depth += 1,
                    Token::End(n) if n == name => {
                        depth -= 1;
                        if depth == 0 {
                            return i;
                        }
                    }
                    _ => {}
                }
            }
            self.tokens.len()
        }
    }

    fn tokenize(src: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let b = src.as_bytes();
        let mut i = 0;
        let mut text_start = 0;
        let flush = |out: &mut Vec<Token>, from: usize, to: usize| {
            if from < to {
                out.push(Token::Text(decode(&src[from..to])));
            }
        };
        while i < b.len() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            let rest = &src[i..];
            if rest.starts_with("<!--") {
                flush(&mut out, text_start, i);
                i = rest.find("-->").map_or(b.len(), |j| i + j + 3);
                text_start = i;
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                flush(&mut out, text_start, i);
                i = rest.find('>').map_or(b.len(), |j| i + j + 1);
                text_start = i;
            } else if rest.starts_with("</") && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
                flush(&mut out, text_start, i);
                let name_end = rest[2..]
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .map_or(rest.len(), |j| j + 2);
                out.push(Token::End(rest[2..name_end].to_ascii_lowercase()));
                i = rest.find('>').map_or(b.len(), |j| i + j + 1);
                text_start = i;
            } else if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                flush(&mut out, text_start, i);
                let (name, attrs, len) = start_tag(rest);
                i += len;
                let raw = matches!(name.as_str(), "script" | "style" | "title" | "textarea");
                out.push(Token::Start {
                    name: name.clone(),
                    attrs,
                });
                if raw {
                    // Raw text up to the closing tag; only <title> and <textarea> decode entities.
                    let close = format!("</{name}");
                    let lower = src[i..].to_ascii_lowercase();
                    let end = lower.find(&close).map_or(b.len(), |j| i + j);
                    let body = &src[i..end];
                    if !body.is_empty() {
                        let body = if name == "title" || name == "textarea" {
                            decode(body)
                        } else {
                            body.to_owned()
                        };
                        out.push(Token::Text(body));
                    }
                    i = end;
                }
                text_start = i;
            } else {
                i += 1;
            }
        }
        flush(&mut out, text_start, b.len());
        out
    }

    /// Parses a start tag at the beginning of `s`: name, attributes and length.
    fn start_tag(s: &str) -> (String, Vec<(String, String)>, usize) {
        let b = s.as_bytes();
        let mut i = 1;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let name = s[1..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return (name, attrs, i);
            }
            if b[i] == b'>' {
                return (name, attrs, i + 1);
            }
            let key_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let key = s[key_start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = s[i + 1..].find(q as char).map_or(b.len(), |j| i + 1 + j);
                        value = decode(&s[i + 1..end]);
                        i = (end + 1).min(b.len());
                    }
                    _ => {
                        let start = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        value = decode(&s[start..i]);
                    }
                }
            }
            attrs.push((key, value));
        }
    }

    /// Decodes the character references a generated page or a DOM dump uses.
    pub(super) fn decode(s: &str) -> String {
        if !s.contains('&') {
            return s.to_owned();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            let Some(semi) = rest[..rest.len().min(12)].find(';') else {
                out.push('&');
                rest = &rest[1..];
                continue;
            };
            let entity = &rest[1..semi];
            let ch = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| entity.strip_prefix('#').map(str::parse))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            };
            match ch {
                Some(c) => {
                    out.push(c);
                    rest = &rest[semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

use html::{Doc, Element};

// ---------------------------------------------------------------------------
// URLs inside the site

/// Where a URL on a page points: out of the site (http, https, mailto, tel,
/// data, `//host`), to a fragment of the same page, to a file of the site
/// (relative to `public/`, with its fragment), or nowhere sensible.
enum Target {
    External,
    Fragment(String),
    File {
        path: String,
        fragment: Option<String>,
    },
    Bad(String),
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn resolve(page: &str, url: &str) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Bad("empty URL".to_owned());
    }
    if let Some(fragment) = url.strip_prefix('#') {
        return Target::Fragment(percent_decode(fragment));
    }
    if url.starts_with("//") {
        return Target::External;
    }
    if let Some(colon) = url.find(':') {
        let scheme = &url[..colon];
        let is_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
        if is_scheme && !scheme.contains('/') {
            return match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" | "mailto" | "tel" | "data" => Target::External,
                other => Target::Bad(format!("URL with the `{other}:` scheme")),
            };
        }
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(percent_decode(f))),
        None => (url, None),
    };
    let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
    let rest = percent_decode(rest);
    let mut parts: Vec<&str> = if rest.starts_with('/') {
        Vec::new()
    } else {
        page.split('/').collect::<Vec<_>>()
    };
    if !rest.starts_with('/') {
        parts.pop(); // the page's own file name
    }
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Bad("points above the site's root folder".to_owned());
                }
            }
            s => parts.push(s),
        }
    }
    if rest.ends_with('/') || rest.is_empty() {
        parts.push("index.html");
    }
    Target::File {
        path: parts.join("/"),
        fragment,
    }
}

// ---------------------------------------------------------------------------
// The Rust-side check of every page

/// Every page of the site under `public`, parsed, by path relative to it.
fn parse_site(public: &Path) -> BTreeMap<String, Doc> {
    list_files(public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|rel| {
            let text = std::fs::read_to_string(public.join(&rel)).expect("read page");
            (rel, Doc::parse(&text))
        })
        .collect()
}

fn ids(doc: &Doc) -> Vec<String> {
    doc.tokens
        .iter()
        .filter_map(|t| match t {
            html::Token::Start { name, attrs } => Some(
                attrs
                    .iter()
                    .filter(move |(k, _)| k == "id" || (k == "name" && name == "a"))
                    .map(|(_, v)| v.clone()),
            ),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Everything wrong with the pages of the site under `public`, one line each.
pub(crate) fn site_problems(public: &Path) -> Vec<String> {
    let files: BTreeSet<String> = list_files(public).into_iter().collect();
    let pages = parse_site(public);
    let ids_of: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(p, d)| (p.as_str(), ids(d).into_iter().collect()))
        .collect();
    let mut problems = Vec::new();
    for (page, doc) in &pages {
        let mut problem = |what: String| problems.push(format!("{page}: {what}"));

        // The page's frame.
        let html = doc.elements("html");
        if !html
            .iter()
            .any(|e| e.attr("lang").is_some_and(|l| !l.trim().is_empty()))
        {
            problem("no <html lang=\"...\">".to_owned());
        }
        // The page's <title>; an inline SVG's own <title>s (chart labels) are not it.
        let svgs = doc.elements("svg");
        let titles: Vec<Element> = doc
            .elements("title")
            .into_iter()
            .filter(|t| !svgs.iter().any(|s| s.contains(t)))
            .collect();
        match titles.as_slice() {
            [t] if !doc.text(t).is_empty() => {}
            [_] => problem("the <title> is empty".to_owned()),
            _ => problem(format!("{} <title> elements, expected 1", titles.len())),
        }
        let h1s = doc.elements("h1");
        match h1s.as_slice() {
            [h] if !doc.text(h).is_empty() => {}
            [_] => problem("the <h1> is empty".to_owned()),
            _ => problem(format!("{} <h1> elements, expected 1", h1s.len())),
        }
        let csp = doc.elements("meta").into_iter().find(|m| {
            m.attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"))
        });
        match csp.as_ref().and_then(|m| m.attr("content")) {
            Some(c) if !c.trim().is_empty() => {}
            _ => problem("no Content-Security-Policy <meta>".to_owned()),
        }

        // Ids must be unique, or a fragment link lands on the wrong element.
        let mut seen = BTreeSet::new();
        for id in ids(doc) {
            if !seen.insert(id.clone()) {
                problem(format!("the id `{id}` is used more than once"));
            }
        }

        // References from one element to another by id (labels, ARIA).
        for tok in &doc.tokens {
            let html::Token::Start { name, attrs } = tok else {
                continue;
            };
            for (k, v) in attrs {
                if !matches!(
                    k.as_str(),
                    "for" | "aria-labelledby" | "aria-describedby" | "aria-controls"
                ) {
                    continue;
                }
                for id in v.split_whitespace() {
                    if !seen.contains(id) {
                        problem(format!("<{name} {k}=\"{v}\">: no element with id `{id}`"));
                    }
                }
            }
        }

        // What the Content-Security-Policy would block.
        for tok in &doc.tokens {
            let html::Token::Start { name, attrs } = tok else {
                continue;
            };
            // `script-src 'self'` allows scripts from the site's files, not inline ones.
            let external = name == "script" && attrs.iter().any(|(k, _)| k == "src");
            if (name == "script" && !external) || name == "style" {
                problem(format!("inline <{name}>, blocked by the page's CSP"));
            }
            for (k, v) in attrs {
                if k == "style" {
                    problem(format!(
                        "style=\"{v}\" on <{name}>, blocked by the page's CSP"
                    ));
                }
                if k.starts_with("on") && k.len() > 2 {
                    problem(format!(
                        "event handler {k}= on <{name}>, blocked by the page's CSP"
                    ));
                }
            }
        }

        // Links and embedded resources.
        for tok in &doc.tokens {
            let html::Token::Start { name, attrs } = tok else {
                continue;
            };
            for (attr, url) in attrs.iter().filter(|(k, _)| k == "href" || k == "src") {
                let what = format!("<{name} {attr}=\"{url}\">");
                match resolve(page, url) {
                    Target::External => {}
                    Target::Bad(why) => problem(format!("{what}: {why}")),
                    Target::Fragment(f) => {
                        if !f.is_empty() && !ids_of[page.as_str()].contains(&f) {
                            problem(format!("{what}: no element with id `{f}` on this page"));
                        }
                    }
                    Target::File { path, fragment } => {
                        if !files.contains(&path) {
                            problem(format!("{what}: `{path}` is not in the site"));
                        } else if let Some(f) = fragment.filter(|f| !f.is_empty())
                            && let Some(target_ids) = ids_of.get(path.as_str())
                            && !target_ids.contains(&f)
                        {
                            problem(format!("{what}: `{path}` has no element with id `{f}`"));
                        }
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn every_internal_link_resolves_and_every_page_is_well_formed() {
    let p = build_examples();
    let public = p.root().join("public");
    let pages = list_files(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    assert!(pages >= 4, "only {pages} pages built");
    let problems = site_problems(&public);
    assert!(
        problems.is_empty(),
        "{} problem(s) in the built site:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_link_checker_finds_broken_links() {
    // A checker that cannot fail proves nothing: feed it a page with every
    // kind of mistake and expect each one to be reported.
    let p = Project::empty();
    p.file(
        "public/index.html",
        r##"<!DOCTYPE html><html><head></head><body><h1>A</h1><h1>B</h1>
        <a href="missing.html">x</a> <a href="#nowhere">y</a> <a href="other.html#gone">z</a>
        <a href="../outside.html">o</a> <img src="img/a%20b.png" style="color: red">
        <a href="https://example.com/">ok</a> <a href="other.html#here">ok</a>
        <a href="sub/">ok</a> <section aria-labelledby="ghost"></section></body></html>"##,
    );
    p.file("public/other.html", r#"<p id="here">"#);
    p.file("public/img/a b.png", "");
    p.file("public/sub/index.html", "");
    let problems = site_problems(&p.root().join("public")).join("\n");
    for expected in [
        "index.html: no <html lang",
        "index.html: 0 <title> elements",
        "index.html: 2 <h1> elements",
        "index.html: no Content-Security-Policy",
        "`missing.html` is not in the site",
        "no element with id `nowhere` on this page",
        "`other.html` has no element with id `gone`",
        "<a href=\"../outside.html\">: points above the site's root folder",
        "style=\"color: red\" on <img>",
        "<section aria-labelledby=\"ghost\">: no element with id `ghost`",
    ] {
        assert!(
            problems.contains(expected),
            "not reported: {expected}\n--- reported\n{problems}"
        );
    }
    for fine in ["a%20b.png", "example.com", "#here", "href=\"sub/\""] {
        assert!(
            !problems.contains(fine),
            "wrongly reported: {fine}\n--- reported\n{problems}"
        );
    }
}

// ---------------------------------------------------------------------------
// Headless Chromium

/// The browser. When it is missing the test fails, unless `PM_SKIP_BROWSER=1`
/// is set: then this prints a note and returns `None`, and the test returns.
#[allow(
    clippy::print_stderr,
    reason = "tell the developer why a browser test did nothing"
)]
pub(crate) fn chromium() -> Option<PathBuf> {
    let found = std::iter::once(PathBuf::from("/usr/bin/chromium"))
        .chain(
            std::env::var_os("PATH")
                .map(|p| {
                    std::env::split_paths(&p)
                        .map(|d| d.join("chromium"))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        )
        .find(|p| p.is_file());
    if found.is_none() && std::env::var("PM_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("note: chromium is not installed and PM_SKIP_BROWSER=1: browser test skipped");
        return None;
    }
    assert!(
        found.is_some(),
        "the browser tests need Chromium, and there is no /usr/bin/chromium and no `chromium` on \
         PATH: install it with `apt-get install chromium` (Debian), or set PM_SKIP_BROWSER=1 to \
         skip these tests"
    );
    found
}

/// What Chromium made of one page.
pub(crate) struct Loaded {
    /// The DOM after loading, serialised (`--dump-dom`).
    pub(crate) dom: String,
    /// The lines of Chromium's log about the page's console: console
    /// messages (Chromium logs every level as INFO for web pages, so all
    /// count) and Content-Security-Policy violations.
    pub(crate) console: Vec<String>,
}

impl Loaded {
    fn doc(&self) -> Doc {
        Doc::parse(&self.dom)
    }
}

/// Whether a line of Chromium's stderr log reports something the page said
/// or did wrong: a console message (`INFO:CONSOLE:12]` in recent Chromium,
/// `INFO:CONSOLE(12)]` in older ones) or a CSP violation.
fn is_console_problem(line: &str) -> bool {
    line.contains(":CONSOLE")
        || line.contains("Refused to")
        || line.contains("Content Security Policy")
        || line.contains("Content-Security-Policy")
}

fn file_url(path: &Path) -> String {
    let path = path.to_string_lossy();
    let mut url = String::from("file://");
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || "/-._~".contains(c) {
            url.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(url, "%{b:02X}");
            }
        }
    }
    url
}

/// Loads `page` in headless Chromium and returns its DOM and console lines.
/// Kills the browser (and its helper processes) after [`BROWSER_TIMEOUT`].
fn load(browser: &Path, page: &Path) -> Loaded {
    load_with(browser, page, "", &["--dump-dom"])
}

/// [`load`] with `suffix` (`?q=...`, `#...`) after the page's URL and
/// `args` for Chromium instead of `--dump-dom` (a screenshot, say).
pub(crate) fn load_with(browser: &Path, page: &Path, suffix: &str, args: &[&str]) -> Loaded {
    assert!(page.is_file(), "no page at {}", page.display());
    load_url(browser, &format!("{}{suffix}", file_url(page)), args)
}

/// Loads `url` (a served page, say) in headless Chromium with `args`, as
/// [`load_with`] does a file.
pub(crate) fn load_url(browser: &Path, url: &str, args: &[&str]) -> Loaded {
    let scratch = tempfile::Builder::new()
        .prefix("pm-chromium-")
        .tempdir()
        .expect("temp dir");
    let profile = scratch.path().join("profile");
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&home).expect("create home");
    let open = |name: &str| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(scratch.path().join(name))
            .expect("create log file")
    };
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .arg(url)
    .env("HOME", &home)
    .env("XDG_CONFIG_HOME", home.join(".config"))
    .env("XDG_CACHE_HOME", home.join(".cache"))
    .stdin(Stdio::null())
    .stdout(open("stdout"))
    .stderr(open("stderr"));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        // Its own process group, so a timeout can end the helper processes too.
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break Some(status);
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |name: &str| {
        String::from_utf8_lossy(&std::fs::read(scratch.path().join(name)).unwrap_or_default())
            .into_owned()
    };
    let Some(status) = status else {
        #[cfg(unix)]
        {
            // The group this test started, by its id.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "chromium did not finish loading {} within {}s; killed it\n--- stderr\n{}",
            url,
            BROWSER_TIMEOUT.as_secs(),
            read("stderr")
        );
    };
    let stdout = read("stdout");
    let stderr = read("stderr");
    assert!(
        status.success() && (stdout.trim_start().starts_with('<') || !args.contains(&"--dump-dom")),
        "chromium failed on {} ({status})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        url
    );
    let console = stderr
        .lines()
        .filter(|l| is_console_problem(l))
        .map(str::to_owned)
        .collect();
    Loaded {
        dom: stdout,
        console,
    }
}

/// Loads a page of the built site and fails on any console message.
fn load_clean(browser: &Path, p: &Project, rel: &str) -> Doc {
    let loaded = load(browser, &p.root().join("public").join(rel));
    assert!(
        loaded.console.is_empty(),
        "{rel}: the page logged to the browser console:\n  {}",
        loaded.console.join("\n  ")
    );
    loaded.doc()
}

/// The one element matching `name` and `pred`, failing with `what` otherwise.
#[track_caller]
fn one(doc: &Doc, name: &str, pred: impl Fn(&Element) -> bool, what: &str) -> Element {
    let mut found: Vec<Element> = doc.elements(name).into_iter().filter(|e| pred(e)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one {what}, found {}",
        found.len()
    );
    found.remove(0)
}

/// The `href`s of the links inside `el`, resolved against `page`, with their texts.
fn links_in(doc: &Doc, el: &Element, page: &str) -> Vec<(String, String)> {
    doc.elements_in(el, "a")
        .into_iter()
        .filter_map(|a| match resolve(page, a.attr("href")?) {
            Target::File { path, .. } => Some((path, doc.text(&a))),
            _ => None,
        })
        .collect()
}

#[test]
fn browser_console_detector_sees_csp_violations() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let index = p.read("public/index.html");

    // The real index page, with an inline script and an inline style added:
    // the page's own CSP must block both, and the detector must see it.
    let probe = index.replacen(
        "</body>",
        "<script>console.log('pm-probe: inline script ran')</script></body>",
        1,
    );
    let probe = probe.replacen("<main ", "<main style=\"outline: 1px solid red\" ", 1);
    assert_ne!(probe, index, "could not inject the probe into index.html");
    p.file("public/csp-probe.html", probe);
    let loaded = load(&browser, &p.root().join("public/csp-probe.html"));
    let console = loaded.console.join("\n");
    assert!(
        loaded
            .console
            .iter()
            .any(|l| l.contains("Content Security Policy") || l.contains("Refused to")),
        "the console detector did not see the CSP blocking an inline script:\n{console}"
    );
    assert!(
        !console.contains("pm-probe: inline script ran"),
        "the site's CSP let an inline script run:\n{console}"
    );
    // The probe page itself rendered: its h1 is there.
    assert!(
        !loaded.doc().elements("h1").is_empty(),
        "the probe page did not render"
    );

    // Without a CSP the script runs, and the detector sees what it logs.
    p.file(
        "public/console-probe.html",
        "<!DOCTYPE html><html lang=\"en\"><title>probe</title><h1>probe</h1>\
         <script>console.error('pm-probe: console error')</script>",
    );
    let loaded = load(&browser, &p.root().join("public/console-probe.html"));
    assert!(
        loaded
            .console
            .iter()
            .any(|l| l.contains("pm-probe: console error")),
        "the console detector did not see console.error:\n{}",
        loaded.console.join("\n")
    );

    // A clean page logs nothing (so the other tests' checks are not vacuous
    // because of noise either).
    load_clean(&browser, &p, "index.html");
}

#[test]
fn browser_index_lists_every_incident_and_playbook() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let doc = load_clean(&browser, &p, "index.html");

    let site_title = std::fs::read_to_string(p.root().join("pm.toml"))
        .expect("read pm.toml")
        .parse::<toml::Table>()
        .expect("parse pm.toml")
        .get("site")
        .and_then(|s| s.get("title"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned);
    let svgs = doc.elements("svg");
    let title = doc.text(&one(
        &doc,
        "title",
        |t| !svgs.iter().any(|s| s.contains(t)),
        "<title>",
    ));
    if let Some(site_title) = site_title {
        assert!(
            title.contains(&site_title),
            "index <title> `{title}` lacks the site title"
        );
    }
    one(&doc, "h1", |_| true, "<h1>");
    // The stylesheet is linked (the Rust-side test checks that it exists).
    one(
        &doc,
        "link",
        |l| l.attr("rel") == Some("stylesheet"),
        "stylesheet link",
    );

    let main = one(&doc, "main", |_| true, "<main>");
    let links = links_in(&doc, &main, "index.html");
    // The incident list is paginated: every incident is on one of its pages.
    let mut listed: Vec<(String, String)> = Vec::new();
    for (page, doc) in list_pages(&browser, &p, "index.html") {
        let main = one(&doc, "main", |_| true, "<main>");
        listed.extend(links_in(&doc, &main, &page));
    }
    let mut missing = Vec::new();
    for r in records(&p, "incidents") {
        let want = (incident_page(&r.id), words(r.str("title")));
        if !listed
            .iter()
            .any(|(href, text)| *href == want.0 && words(text) == want.1)
        {
            missing.push(format!(
                "incident {}: no link `{}` to {}",
                r.id,
                r.str("title"),
                want.0
            ));
        }
    }
    for r in records(&p, "playbooks") {
        let want = (playbook_page(&r.id), words(r.str("title")));
        if !links
            .iter()
            .any(|(href, text)| *href == want.0 && words(text) == want.1)
        {
            missing.push(format!(
                "playbook {}: no link `{}` to {}",
                r.id,
                r.str("title"),
                want.0
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "index.html:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn browser_bundle_incident_pages_show_their_records() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let bundles: Vec<Record> = records(&p, "incidents")
        .into_iter()
        .filter(|r| !r.attachments.is_empty())
        .collect();
    assert!(
        !bundles.is_empty(),
        "the examples have no bundle incident with an attachment"
    );
    for r in &bundles {
        let page = incident_page(&r.id);
        let doc = load_clean(&browser, &p, &page);
        let ctx = |what: &str| format!("{page}: {what}");

        // Title: in the h1 and the <title> (not the timeline drawing's own).
        let h1 = one(&doc, "h1", |_| true, &ctx("<h1>"));
        assert_eq!(
            doc.text(&h1),
            r.str("title"),
            "{}",
            ctx("h1 is not the incident's title")
        );
        let svgs = doc.elements("svg");
        let title = doc.text(&one(
            &doc,
            "title",
            |t| !svgs.iter().any(|s| s.contains(t)),
            &ctx("<title>"),
        ));
        assert!(
            title.starts_with(r.str("title")),
            "{}",
            ctx(&format!("<title> is `{title}`"))
        );

        // What happened: the write-up's Summary section, told once (not
        // again in the write-up), else the front-matter summary; the
        // front-matter summary describes the page.
        let summary = one(&doc, "div", |e| e.has_class("summary"), &ctx("summary"));
        // An image's alt text is not text on the page.
        let told: String = r.summary_section().map_or_else(
            || r.str("summary").to_owned(),
            |s| {
                s.lines()
                    .filter(|l| !l.trim_start().starts_with("!["))
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        );
        assert_eq!(
            words(&doc.text(&summary)),
            words(&told),
            "{}",
            ctx("summary")
        );
        let description = one(
            &doc,
            "meta",
            |e| e.attr("name") == Some("description"),
            &ctx("meta description"),
        );
        assert_eq!(
            words(description.attr("content").unwrap_or_default()),
            words(r.str("summary")),
            "{}",
            ctx("meta description")
        );
        if r.summary_section().is_some() {
            let narrative = one(
                &doc,
                "article",
                |e| e.attr("id") == Some("review-narrative"),
                &ctx("write-up"),
            );
            assert!(
                doc.elements_in(&narrative, "h2")
                    .iter()
                    .all(|h| doc.text(h).trim() != "Summary"),
                "{}",
                ctx("the write-up repeats its Summary")
            );
        }

        // The timeline: one row per event (a row with an id, its anchor; a
        // gap's row has none), in order, with the event's text in its first
        // cell.
        let timeline = one(
            &doc,
            "table",
            |e| e.has_class("timeline"),
            &ctx("timeline table"),
        );
        let rows: Vec<Element> = doc
            .elements_in(&timeline, "tr")
            .into_iter()
            .filter(|e| e.attr("id").is_some_and(|id| id.starts_with("event-")))
            .collect();
        let events = r.tables("timeline");
        assert_eq!(
            rows.len(),
            events.len(),
            "{}",
            ctx("timeline rows vs [[timeline]] events")
        );
        for (n, (row, event)) in rows.iter().zip(&events).enumerate() {
            let cell = doc
                .elements_in(row, "td")
                .into_iter()
                .next()
                .unwrap_or_else(|| {
                    panic!("{}", ctx(&format!("timeline row {n} has no text cell")))
                });
            let text = event
                .get("text")
                .and_then(toml::Value::as_str)
                .unwrap_or("");
            assert_eq!(
                words(&doc.text(&cell)),
                words(text),
                "{}",
                ctx(&format!("event {n}"))
            );
            // The first event of each day carries its instant (`<time
            // datetime>`, with the day written out); the others that day
            // show their time of day.
            if n == 0 || row.has_class("day-change") {
                let time = doc.elements_in(row, "time");
                assert!(
                    time.iter()
                        .any(|t| t.attr("datetime").is_some_and(|d| !d.is_empty())),
                    "{}",
                    ctx(&format!("timeline row {n} has no <time datetime>"))
                );
            } else {
                let th = doc.elements_in(row, "th");
                assert!(
                    th.first().is_some_and(|t| !doc.text(t).trim().is_empty()),
                    "{}",
                    ctx(&format!("timeline row {n} has no time"))
                );
            }
        }

        // The action items: every [[actions]] entry once, with its text.
        let actions = doc
            .by_id("review-actions")
            .unwrap_or_else(|| panic!("{}", ctx("#review-actions")));
        let mut shown: Vec<String> = doc
            .elements_in(&actions, "tr")
            .into_iter()
            .filter_map(|row| {
                // A body row: the item's text is its <th>, before its cells
                // (the head's row has no <td>).
                if doc.elements_in(&row, "td").is_empty() {
                    return None;
                }
                let th = doc.elements_in(&row, "th");
                th.into_iter().next().map(|t| words(&doc.text(&t)))
            })
            .collect();
        let mut recorded: Vec<String> = r
            .tables("actions")
            .iter()
            .map(|a| words(a.get("text").and_then(toml::Value::as_str).unwrap_or("")))
            .collect();
        shown.sort();
        recorded.sort();
        assert_eq!(
            shown,
            recorded,
            "{}",
            ctx("action items shown vs [[actions]]")
        );

        // The attachments: each listed, linked, and the link's target exists.
        let section = doc
            .by_id("review-attachments")
            .unwrap_or_else(|| panic!("{}", ctx("no #review-attachments section")));
        let links = links_in(&doc, &section, &page);
        for file in &r.attachments {
            let want = format!("incidents/{}/{file}", r.id);
            assert!(
                links.iter().any(|(href, _)| *href == want),
                "{}",
                ctx(&format!(
                    "attachment {file} is not linked (links: {links:?})"
                ))
            );
            assert!(
                p.exists(&format!("public/{want}")),
                "{}",
                ctx(&format!("{want} not copied"))
            );
        }
    }
}

#[test]
fn browser_playbook_page_shows_its_record_and_incidents() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let incidents = records(&p, "incidents");
    let playbooks = records(&p, "playbooks");
    // The curated playbook with the most incidents: the richest page.
    let r = playbooks
        .iter()
        .max_by_key(|pb| incidents.iter().filter(|i| i.str("type") == pb.id).count())
        .expect("the examples have a playbook");
    let page = playbook_page(&r.id);
    let doc = load_clean(&browser, &p, &page);

    let h1 = one(&doc, "h1", |_| true, "<h1>");
    assert_eq!(
        doc.text(&h1),
        r.str("title"),
        "{page}: h1 is not the playbook's title"
    );

    // Each of the six sections lists what the record says, then (in a
    // `.learned` box) what the incidents taught that it does not say yet.
    for (id, key) in [
        ("playbook-symptoms", "symptoms"),
        ("playbook-first-checks", "first_checks"),
        ("playbook-causes", "causes"),
        ("playbook-resolution", "resolution"),
        ("playbook-verification", "verification"),
    ] {
        let section = doc.by_id(id).unwrap_or_else(|| panic!("{page}: no #{id}"));
        let learned: Vec<_> = doc
            .elements_in(&section, "div")
            .into_iter()
            .filter(|d| d.has_class("learned"))
            .collect();
        let shown: Vec<String> = doc
            .elements_in(&section, "li")
            .iter()
            .filter(|li| !learned.iter().any(|d| d.contains(li)))
            .map(|li| words(&doc.text(li)))
            .collect();
        let recorded: Vec<String> = r.strings(key).into_iter().map(words).collect();
        assert_eq!(shown, recorded, "{page}: #{id} vs `{key}`");
    }

    // The incidents of this type, each linked to its page.
    let section = doc
        .by_id("playbook-incidents")
        .unwrap_or_else(|| panic!("{page}: no #playbook-incidents"));
    let mut shown: Vec<(String, String)> = links_in(&doc, &section, &page)
        .into_iter()
        .filter(|(href, _)| href.starts_with("incidents/") && href.ends_with("/index.html"))
        .map(|(href, text)| (href, words(&text)))
        .collect();
    let mut expected: Vec<(String, String)> = incidents
        .iter()
        .filter(|i| i.str("type") == r.id)
        .map(|i| (incident_page(&i.id), words(i.str("title"))))
        .collect();
    // Rows may also link to the incident's action items (`#review-actions`):
    // only the title links count.
    shown.retain(|(_, text)| !text.chars().all(|c| c.is_ascii_digit()));
    shown.sort();
    expected.sort();
    assert!(!expected.is_empty(), "no example incident of type {}", r.id);
    assert_eq!(shown, expected, "{page}: incidents of this type");
}

#[test]
fn browser_actions_page_lists_every_action_item() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    // The tracker is paginated: its pages together list every item, each once.
    let pages = list_pages(&browser, &p, "actions/index.html");

    // (incident page, action text) for every recorded item, open and closed.
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for r in records(&p, "incidents") {
        for a in r.tables("actions") {
            let item = (
                incident_page(&r.id),
                words(a.get("text").and_then(toml::Value::as_str).unwrap_or("")),
            );
            match a.get("status").and_then(toml::Value::as_str) {
                Some("done" | "wont-do") => closed.push(item),
                _ => open.push(item),
            }
        }
    }
    assert!(
        !open.is_empty() && !closed.is_empty(),
        "the examples lack open or closed actions"
    );

    let rows_of = |section_id: &str| -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = Vec::new();
        for (page, doc) in &pages {
            let section = doc
                .by_id(section_id)
                .unwrap_or_else(|| panic!("{page}: no #{section_id}"));
            rows.extend(
                doc.elements_in(&section, "tr")
                    .into_iter()
                    .filter(|e| e.attr("id").is_some_and(|id| id.starts_with("action-")))
                    .map(|row| {
                        // The item's text, without the line under it
                        // naming its incident ("From <title>") nor the
                        // permalink search.js adds.
                        let text = doc
                            .elements_in(&row, "th")
                            .first()
                            .map(|t| {
                                let all = doc.text(t).replace("\u{a0}#", " ");
                                doc.elements_in(t, "small")
                                    .into_iter()
                                    .next()
                                    .and_then(|from| {
                                        all.trim_end()
                                            .strip_suffix(doc.text(&from).trim())
                                            .map(str::to_owned)
                                    })
                                    .unwrap_or(all)
                            })
                            .unwrap_or_default();
                        let incident = links_in(doc, &row, page)
                            .into_iter()
                            .map(|(href, _)| href)
                            .find(|h| h.starts_with("incidents/"))
                            .unwrap_or_default();
                        (incident, words(&text))
                    }),
            );
        }
        rows.sort();
        rows
    };
    // pm writes each row without its permalink and without the links of
    // its owner and kind cells; search.js adds them.
    for (page, doc) in &pages {
        for row in doc.elements("tr") {
            let Some(id) = row.attr("id").filter(|id| id.starts_with("action-")) else {
                continue;
            };
            let anchor = format!("#{id}");
            let link = doc
                .elements_in(&row, "a")
                .into_iter()
                .any(|a| a.has_class("permalink") && a.attr("href") == Some(anchor.as_str()));
            assert!(link, "{page}: no permalink on the row of {id}");
            let hrefs: Vec<String> = links_in(doc, &row, page)
                .into_iter()
                .map(|(href, _)| href)
                .collect();
            for (key, dir) in [("data-owner", "owners"), ("data-kind", "kinds")] {
                let slug = row.attr(key).unwrap_or_default();
                if slug.starts_with('_') {
                    continue;
                }
                let want = format!("actions/{dir}/{slug}/index.html");
                assert!(
                    hrefs.contains(&want),
                    "{page}: {id} does not link {want}: {hrefs:?}"
                );
            }
        }
    }
    open.sort();
    closed.sort();
    assert_eq!(rows_of("actions-open"), open, "tracker: open action items");
    assert_eq!(
        rows_of("actions-closed"),
        closed,
        "tracker: closed action items"
    );
}

/// Every page of a paginated list, from its first page along the
/// `<link rel="next">` chain, loaded in the browser (no console messages
/// allowed). Fails if the chain loops.
fn list_pages(browser: &Path, p: &Project, first: &str) -> Vec<(String, Doc)> {
    let mut pages: Vec<(String, Doc)> = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(page) = next.take() {
        assert!(
            pages.iter().all(|(seen, _)| *seen != page),
            "{first}: the rel=next chain comes back to {page}"
        );
        let doc = load_clean(browser, p, &page);
        next = doc
            .elements("link")
            .into_iter()
            .filter(|l| l.attr("rel") == Some("next"))
            .find_map(|l| match resolve(&page, l.attr("href")?) {
                Target::File { path, .. } => Some(path),
                _ => None,
            });
        pages.push((page, doc));
    }
    pages
}

// ---------------------------------------------------------------------------
// The site served from a sub-path, search and filters, screenshots

#[test]
fn every_internal_link_resolves_with_an_absolute_base_url() {
    let p = build_examples_with(&["--base-url", "https://org.example/postmortems/"]);
    let public = p.root().join("public");
    assert!(p.exists("public/sitemap.xml"), "no sitemap.xml");
    let problems = site_problems(&public);
    assert!(
        problems.is_empty(),
        "{} problem(s) in the site built for a sub-path:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The ids of the rows of `#<table>` that are not hidden: a tracker row's
/// `id`, or the incident an incident row links (its title's link,
/// `incidents/<id>/index.html`).
/// The text of a filter form's status line (`p.filter-status`), empty when
/// there is none.
fn filter_status(doc: &Doc, form: &Element) -> String {
    doc.elements_in(form, "p")
        .into_iter()
        .find(|e| e.has_class("filter-status"))
        .map(|e| doc.text(&e))
        .unwrap_or_default()
}

fn visible_rows(doc: &Doc, table: &str) -> Vec<String> {
    let Some(table) = doc.by_id(table) else {
        return Vec::new();
    };
    doc.elements_in(&table, "tr")
        .into_iter()
        .filter(|r| r.attr("hidden").is_none())
        .filter_map(|r| {
            r.attr("id")
                .map(str::to_owned)
                .or_else(|| row_incident(doc, &r))
        })
        .collect()
}

/// The id of the incident a row of the incident list links.
fn row_incident(doc: &Doc, row: &Element) -> Option<String> {
    doc.elements_in(row, "a").into_iter().find_map(|a| {
        let href = a.attr("href")?;
        let rest = &href[href.find("incidents/")? + "incidents/".len()..];
        Some(rest.split('/').next()?.to_owned())
    })
}

/// Loads `rel` + `suffix` (a query or fragment) after the deferred scripts
/// ran, failing on any console message.
fn load_query(browser: &Path, p: &Project, rel: &str, suffix: &str) -> Doc {
    let loaded = load_with(
        browser,
        &p.root().join("public").join(rel),
        suffix,
        &["--virtual-time-budget=5000", "--dump-dom"],
    );
    assert!(
        loaded.console.is_empty(),
        "{rel}{suffix}: the page logged to the browser console:\n  {}",
        loaded.console.join("\n  ")
    );
    loaded.doc()
}

#[test]
fn browser_search_and_filters_follow_the_url() {
    let Some(browser) = chromium() else { return };
    let p = Project::from_fixture("site");
    p.pm(["build", "--today", TODAY]).output().code(0);

    // A word only in one write-up (not its title or summary): found through
    // the search index that search-engine.js reads.
    let doc = load_query(&browser, &p, "index.html", "?q=deadlock-free");
    assert_eq!(
        visible_rows(&doc, "incident-list"),
        ["2026-01-15-orders-db-pool"]
    );
    let form = doc.by_id("incident-filter").expect("the filter form");
    assert!(
        form.attr("hidden").is_none(),
        "search.js did not reveal the form"
    );
    let status = filter_status(&doc, &form);
    assert_eq!(status, "Showing 1 of 5 incidents.");

    // A filter narrows the list; filters and search combine; the fragment works too.
    let doc = load_query(&browser, &p, "index.html", "?severity=sev3");
    assert_eq!(
        visible_rows(&doc, "incident-list"),
        [
            "2026-03-02-status-banner-script",
            "2026-01-28-orders-db-replica-lag"
        ]
    );
    let doc = load_query(&browser, &p, "index.html", "?severity=sev3&q=replica");
    assert_eq!(
        visible_rows(&doc, "incident-list"),
        ["2026-01-28-orders-db-replica-lag"]
    );
    let doc = load_query(&browser, &p, "index.html", "#service=orders-db-eu-92a7298e");
    assert_eq!(
        visible_rows(&doc, "incident-list"),
        ["2026-01-15-orders-db-pool"]
    );
    // An unknown value is ignored rather than hiding everything.
    let doc = load_query(&browser, &p, "index.html", "?year=1999");
    assert_eq!(visible_rows(&doc, "incident-list").len(), 5);

    // The tracker: owner and state.
    let doc = load_query(&browser, &p, "actions/index.html", "?owner=sam&state=open");
    assert_eq!(
        visible_rows(&doc, "actions-open-table"),
        ["action-2026-03-02-status-banner-script-2"]
    );
    assert!(visible_rows(&doc, "actions-closed-table").is_empty());
}

/// Without the search engine (its file failed to load), the filters narrow
/// the rows of the page being shown, reading each row's cells: the rows
/// carry no filter data of their own.
#[test]
fn browser_filters_read_the_rows_when_the_search_index_cannot_load() {
    let Some(browser) = chromium() else { return };
    let p = Project::from_fixture("site");
    p.pm(["build", "--today", TODAY]).output().code(0);
    std::fs::remove_file(p.root().join("public/search-engine.js")).expect("remove the engine");
    for (query, want) in [
        (
            "?severity=sev3",
            &[
                "2026-03-02-status-banner-script",
                "2026-01-28-orders-db-replica-lag",
            ][..],
        ),
        // "Orders DB (EU)", not "orders-db-eu": services are told apart exactly.
        (
            "?service=orders-db-eu-92a7298e",
            &["2026-01-15-orders-db-pool"][..],
        ),
        (
            "?status=resolved&severity=sev2",
            &["2026-01-15-orders-db-pool"][..],
        ),
        (
            "?type=database&year=2026&q=stale",
            &["2026-01-28-orders-db-replica-lag"][..],
        ),
    ] {
        let doc = load_query(&browser, &p, "index.html", query);
        assert_eq!(visible_rows(&doc, "incident-list"), want, "{query}");
        let form = doc.by_id("incident-filter").expect("the filter form");
        let status = filter_status(&doc, &form);
        assert!(
            status.ends_with("Only this page was searched: the list\u{2019}s index did not load."),
            "{query}: {status}"
        );
    }
}

#[test]
fn browser_screenshots_of_the_index_an_incident_and_the_tracker() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let dir = screenshots_dir();
    let newest = records(&p, "incidents")
        .into_iter()
        .map(|r| r.id)
        .max()
        .expect("an example incident");
    for (name, page, width, height) in [
        ("index", "index.html".to_owned(), "1280", "3400"),
        ("incident", incident_page(&newest), "1280", "3000"),
        ("tracker", "actions/index.html".to_owned(), "1280", "2600"),
        // The incident list stacked on a phone-sized screen.
        ("index-narrow", "index.html".to_owned(), "390", "5200"),
        // A filter drawing matches from the search index.
        (
            "index-filtered",
            "index.html?severity=sev2".to_owned(),
            "1280",
            "2400",
        ),
    ] {
        let (page, suffix) = page
            .split_once('?')
            .map_or((page.clone(), String::new()), |(p, q)| {
                (p.to_owned(), format!("?{q}"))
            });
        let out = dir.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&out);
        let loaded = load_with(
            &browser,
            &p.root().join("public").join(&page),
            &suffix,
            &[
                "--hide-scrollbars",
                "--virtual-time-budget=5000",
                &format!("--window-size={width},{height}"),
                &format!("--screenshot={}", out.display()),
            ],
        );
        assert!(
            loaded.console.is_empty(),
            "{page}: the page logged to the browser console:\n  {}",
            loaded.console.join("\n  ")
        );
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{}: no screenshot written", out.display());
    }
}

/// `target/screenshots`, created if needed: where the browser tests leave
/// pictures for a reviewer.
pub(crate) fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| repo_root().join("target"), Path::to_path_buf)
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

// ---------------------------------------------------------------------------
// Pagination

/// The pages of one list in a built site, read from the files: page 1 and
/// then along `<link rel="next">`, checking on the way that the page links
/// agree with each other.
fn walk_list(public: &Path, first: &str) -> Vec<String> {
    let read =
        |page: &str| Doc::parse(&std::fs::read_to_string(public.join(page)).expect("read page"));
    let rel = |doc: &Doc, page: &str, rel: &str| -> Option<String> {
        doc.elements("link")
            .into_iter()
            .filter(|l| l.attr("rel") == Some(rel))
            .find_map(|l| match resolve(page, l.attr("href")?) {
                Target::File { path, .. } => Some(path),
                _ => None,
            })
    };
    let mut pages: Vec<String> = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(page) = next.take() {
        assert!(!pages.contains(&page), "{first}: the pages loop at {page}");
        let doc = read(&page);
        assert_eq!(
            rel(&doc, &page, "prev"),
            pages.last().cloned(),
            "{page}: rel=prev is not the page before it"
        );
        // The page-number links mark this page, and only this one, as current.
        let current: Vec<String> = doc
            .elements("nav")
            .into_iter()
            .filter(|n| n.has_class("pagination"))
            .flat_map(|nav| doc.elements_in(&nav, "a"))
            .filter(|a| a.attr("aria-current") == Some("page"))
            .filter_map(|a| match resolve(&page, a.attr("href")?) {
                Target::File { path, .. } => Some(path),
                _ => None,
            })
            .collect();
        next = rel(&doc, &page, "next");
        if next.is_some() || !pages.is_empty() {
            assert_eq!(
                current,
                std::slice::from_ref(&page),
                "{page}: aria-current page link"
            );
        } else {
            assert!(
                current.is_empty(),
                "{page}: a list of one page has no page links"
            );
        }
        pages.push(page);
    }
    pages
}

#[test]
fn small_pages_every_link_resolves_at_the_root_and_under_a_sub_path() {
    for base in [None, Some("https://org.example/postmortems/")] {
        let extra: Vec<&str> = base.map_or_else(Vec::new, |b| vec!["--base-url", b]);
        let p = build_examples_paged(Some(2), &extra);
        let public = p.root().join("public");
        let files = list_files(&public);
        let paged = |prefix: &str| {
            files
                .iter()
                .filter(|f| f.starts_with(prefix) && f.contains("page/"))
                .count()
        };
        // Every kind of list spans several pages with two rows a page.
        assert!(paged("page/") >= 2, "index pages: {files:?}");
        assert!(paged("actions/page/") >= 2, "tracker pages");
        assert!(paged("severities/") >= 1, "listing pages");
        assert!(paged("actions/owners/") >= 1, "owner pages");
        let problems = site_problems(&public);
        assert!(
            problems.is_empty(),
            "{} problem(s) in the site built with small pages ({base:?}):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
        // Each list's pages form one chain from page 1, and no page is left out of it.
        let firsts: Vec<String> = files
            .iter()
            .filter(|f| f.ends_with("index.html"))
            .filter(|f| {
                let dir = f.trim_end_matches("index.html");
                files.iter().any(|g| *g == format!("{dir}page/2.html"))
            })
            .cloned()
            .collect();
        assert!(firsts.len() >= 5, "lists of several pages: {firsts:?}");
        let mut walked = 0;
        for first in &firsts {
            let dir = first.trim_end_matches("index.html");
            let pages = walk_list(&public, first);
            let on_disk = files
                .iter()
                .filter(|f| {
                    f.strip_prefix(dir)
                        .and_then(|r| r.strip_prefix("page/"))
                        .is_some_and(|r| !r.contains('/'))
                })
                .count();
            assert_eq!(pages.len(), on_disk + 1, "{first}: pages {pages:?}");
            walked += pages.len();
        }
        assert_eq!(
            walked,
            files.iter().filter(|f| f.contains("page/")).count() + firsts.len()
        );
        // Page 1 is the list's canonical address; later pages are their own.
        if let Some(base) = base {
            let canonical = |page: &str| {
                let doc = Doc::parse(&p.read(&format!("public/{page}")));
                doc.elements("link")
                    .into_iter()
                    .find(|l| l.attr("rel") == Some("canonical"))
                    .and_then(|l| l.attr("href").map(str::to_owned))
            };
            assert_eq!(canonical("index.html"), Some(base.to_owned()));
            assert_eq!(canonical("page/2.html"), Some(format!("{base}page/2.html")));
            assert_eq!(
                canonical("actions/page/2.html"),
                Some(format!("{base}actions/page/2.html"))
            );
        }
        // The summary figures count every incident, on every page.
        let incidents = records(&p, "incidents").len();
        let index = p.read("public/index.html");
        assert!(
            index.contains(&format!("<span class=\"card-value\">{incidents}</span>")),
            "index.html does not count all {incidents} incidents"
        );
        // A playbook lists its type's newest incidents and links the rest.
        let playbooks = files.iter().filter(|f| f.starts_with("playbooks/"));
        let mut linked = 0;
        for pb in playbooks {
            let html = p.read(&format!("public/{pb}"));
            let rows = html
                .matches("<th scope=\"row\" class=\"incident-cell\">")
                .count();
            assert!(rows <= 2, "{pb}: {rows} incidents on a page of 2");
            if html.contains("Older incidents of this type") {
                linked += 1;
            }
        }
        assert!(linked >= 1, "no playbook had more incidents than a page");
    }
}

#[test]
fn browser_filters_and_search_reach_incidents_beyond_the_first_page() {
    let Some(browser) = chromium() else { return };
    let p = Project::from_fixture("site");
    let config = p.read("pm.toml");
    p.file("pm.toml", with_page_size(&config, 2));
    p.pm(["build", "--today", TODAY]).output().code(0);
    // Newest first, two a page: the pool incident and the replica-lag one
    // are on page 2, not on page 1.
    let page1 = p.read("public/index.html");
    for later in [
        "2026-01-15-orders-db-pool",
        "2026-01-28-orders-db-replica-lag",
    ] {
        assert!(
            !page1.contains(&format!("incidents/{later}/")),
            "{later} on page 1"
        );
    }

    // Search finds a word of a write-up on page 2, through the search index.
    let doc = load_query(&browser, &p, "index.html", "?q=deadlock-free");
    assert_eq!(
        visible_rows(&doc, "incident-list"),
        ["2026-01-15-orders-db-pool"]
    );
    // The row is drawn as pm draws it: its cells, in the same order.
    let row = doc
        .elements("tr")
        .into_iter()
        .find(|r| row_incident(&doc, r).as_deref() == Some("2026-01-15-orders-db-pool"))
        .expect("the drawn row");
    let links: Vec<String> = links_in(&doc, &row, "index.html")
        .into_iter()
        .map(|(href, _)| href)
        .collect();
    assert_eq!(links, ["incidents/2026-01-15-orders-db-pool/index.html"]);
    let drawn: Vec<String> = doc
        .elements_in(&row, "td")
        .iter()
        .map(|td| doc.text(td))
        .collect();
    // (Through the browser: the row leaves out the end tags HTML lets it omit.)
    let written = load_query(&browser, &p, "page/2.html", "");
    let pm_row = written
        .elements("tr")
        .into_iter()
        .find(|r| row_incident(&written, r).as_deref() == Some("2026-01-15-orders-db-pool"))
        .expect("the row pm wrote");
    let cells: Vec<String> = written
        .elements_in(&pm_row, "td")
        .iter()
        .map(|td| written.text(td))
        .collect();
    assert_eq!(
        drawn, cells,
        "search.js draws the row's cells as pm writes them"
    );
    assert_eq!(
        drawn.get(4).map(String::as_str),
        Some("checkout, Orders DB (EU)")
    );
    // While a filter is on, the page links (which page of the unfiltered list) are hidden.
    let nav = doc
        .elements("nav")
        .into_iter()
        .find(|n| n.has_class("pagination"))
        .expect("page links");
    assert!(
        nav.attr("hidden").is_some(),
        "page links shown while filtering"
    );

    // A filter narrows the whole list, from any of its pages.
    for page in ["index.html", "page/3.html"] {
        let doc = load_query(&browser, &p, page, "?severity=sev3");
        assert_eq!(
            visible_rows(&doc, "incident-list"),
            [
                "2026-03-02-status-banner-script",
                "2026-01-28-orders-db-replica-lag"
            ],
            "{page}"
        );
        let row = doc
            .elements("tr")
            .into_iter()
            .find(|r| row_incident(&doc, r).as_deref() == Some("2026-01-28-orders-db-replica-lag"))
            .expect("the drawn row");
        let title = links_in(&doc, &row, page)
            .into_iter()
            .next()
            .map(|(href, _)| href);
        assert_eq!(
            title.as_deref(),
            Some("incidents/2026-01-28-orders-db-replica-lag/index.html"),
            "{page}: a drawn link must start from the page's own root"
        );
    }

    // More matches than a page holds: a page of them, and a button for the rest.
    let doc = load_query(&browser, &p, "index.html", "?status=resolved");
    assert_eq!(visible_rows(&doc, "incident-list").len(), 2);
    let form = doc.by_id("incident-filter").expect("the filter form");
    let status = filter_status(&doc, &form);
    assert_eq!(
        status,
        "Showing the first 2 of 4 matching incidents (5 in all)."
    );
    let more = doc
        .elements("p")
        .into_iter()
        .find(|e| e.has_class("filter-more"))
        .expect("a Show more button");
    assert!(more.attr("hidden").is_none(), "Show more is hidden");

    // No filter (an unknown value is ignored): the page's own rows and links.
    let doc = load_query(&browser, &p, "page/2.html", "?year=1999");
    assert_eq!(
        visible_rows(&doc, "incident-list"),
        [
            "2026-01-28-orders-db-replica-lag",
            "2026-01-15-orders-db-pool"
        ]
    );

    // The tracker filters every item, in the order its pages list them.
    let public = p.root().join("public");
    let mut closed_in_order = Vec::new();
    for page in walk_list(&public, "actions/index.html") {
        let doc = Doc::parse(&p.read(&format!("public/{page}")));
        closed_in_order.extend(visible_rows(&doc, "actions-closed-table"));
    }
    assert!(closed_in_order.len() > 2, "{closed_in_order:?}");
    let doc = load_query(&browser, &p, "actions/index.html", "?state=closed");
    assert_eq!(
        visible_rows(&doc, "actions-closed-table"),
        closed_in_order[..2]
    );
    assert!(visible_rows(&doc, "actions-open-table").is_empty());
    let doc = load_query(&browser, &p, "actions/index.html", "?owner=sam&state=open");
    assert_eq!(
        visible_rows(&doc, "actions-open-table"),
        ["action-2026-03-02-status-banner-script-2"]
    );

    // An item's stable address, page 1 of the tracker and its anchor, leads to
    // the page that holds it.
    let anchor = closed_in_order.last().expect("a closed item");
    let holder = list_files(&public.join("actions/page"))
        .into_iter()
        .find(|f| {
            p.read(&format!("public/actions/page/{f}"))
                .contains(&format!("id=\"{anchor}\""))
        })
        .expect("the page holding the last closed item");
    let doc = load_query(&browser, &p, "actions/index.html", &format!("#{anchor}"));
    assert!(
        doc.by_id(anchor).is_some(),
        "#{anchor} not on the page reached"
    );
    let title = doc.text(&one(&doc, "title", |_| true, "<title>"));
    let number = holder.trim_end_matches(".html");
    assert!(
        title.contains(&format!("(page {number} of")),
        "landed on `{title}`, not page {number}"
    );
}

/// An owner's and a kind's view of the tracker copy no item: with JavaScript
/// they show their items, drawn from `actions-index.js` with the page's
/// filter fixed, in the tracker's order and beyond its first page; without
/// it they link each item's row (see `site::the_trackers_html_holds_each_action_item_once`).
#[test]
fn browser_owner_and_kind_views_show_their_items() {
    let Some(browser) = chromium() else { return };
    let p = Project::from_fixture("site");
    let config = p.read("pm.toml");
    p.file("pm.toml", with_page_size(&config, 2));
    p.pm(["build", "--today", TODAY]).output().code(0);
    // Every item in the tracker's order, with its owner and kind, from the
    // rows of the whole tracker's pages.
    let public = p.root().join("public");
    let mut all: Vec<(String, String, String, bool)> = Vec::new();
    for page in walk_list(&public, "actions/index.html") {
        let doc = Doc::parse(&p.read(&format!("public/{page}")));
        for table in ["actions-open-table", "actions-closed-table"] {
            let Some(t) = doc.by_id(table) else { continue };
            for row in doc.elements_in(&t, "tr") {
                if let (Some(id), Some(owner), Some(kind)) = (
                    row.attr("id"),
                    row.attr("data-owner"),
                    row.attr("data-kind"),
                ) {
                    all.push((
                        id.to_owned(),
                        owner.to_owned(),
                        kind.to_owned(),
                        table == "actions-closed-table",
                    ));
                }
            }
        }
    }
    for (page, key, slug) in [
        ("actions/owners/sam/index.html", "owner", "sam"),
        ("actions/kinds/prevention/index.html", "kind", "prevention"),
    ] {
        let want = |closed: bool| -> Vec<String> {
            all.iter()
                .filter(|(_, o, k, c)| *c == closed && (if key == "owner" { o } else { k }) == slug)
                .map(|(id, ..)| id.clone())
                .collect()
        };
        // Drawn two at a time (the page size), open items first.
        let shown = |doc: &Doc| -> Vec<String> {
            let mut rows = visible_rows(doc, "actions-open-table");
            rows.extend(visible_rows(doc, "actions-closed-table"));
            rows
        };
        let more = |doc: &Doc| {
            doc.elements("p")
                .into_iter()
                .any(|e| e.has_class("filter-more") && e.attr("hidden").is_none())
        };
        let (open, closed) = (want(false), want(true));
        let every: Vec<String> = open.iter().chain(&closed).cloned().collect();
        assert!(every.len() > 2, "{page}: more items than a page: {every:?}");
        let doc = load_query(&browser, &p, page, "");
        assert_eq!(shown(&doc), every[..2], "{page}");
        assert!(more(&doc), "{page}: no Show more");
        // The links for readers without JavaScript give way to the rows.
        for list in doc
            .elements("div")
            .into_iter()
            .filter(|d| d.has_class("item-links"))
        {
            assert!(
                list.attr("hidden").is_some(),
                "{page}: the links still show"
            );
        }
        // Its own filter narrows further.
        let doc = load_query(&browser, &p, page, "?state=closed");
        assert!(
            visible_rows(&doc, "actions-open-table").is_empty(),
            "{page}"
        );
        assert_eq!(shown(&doc), closed[..closed.len().min(2)], "{page}: closed");
        assert!(!closed.is_empty(), "{page}: no closed item");
    }
}

// ---------------------------------------------------------------------------
// Print

/// The targets of a PDF's link annotations (`/URI (...)`). Chromium writes
/// annotations uncompressed, one per link box; an element hidden by CSS
/// leaves none.
fn pdf_uris(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("/URI (") {
        rest = &rest[i + 6..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(rest[..end].to_owned());
        rest = &rest[end..];
    }
    out
}

/// Prints `page` of the built site to `pdf` with Chromium.
fn print_to_pdf(browser: &Path, p: &Project, page: &str, pdf: &Path, extra: &[&str]) -> Vec<u8> {
    let _ = std::fs::remove_file(pdf);
    let mut args = vec![
        "--no-pdf-header-footer".to_owned(),
        format!("--print-to-pdf={}", pdf.display()),
    ];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let loaded = load_with(browser, &p.root().join("public").join(page), "", &args);
    assert!(
        loaded.console.is_empty(),
        "{page}: the page logged to the browser console:\n  {}",
        loaded.console.join("\n  ")
    );
    let bytes = std::fs::read(pdf).unwrap_or_default();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{}: no PDF written",
        pdf.display()
    );
    bytes
}

/// The mean brightness (0-255) of a PDF's first page, when poppler's
/// `pdftoppm` is installed; it also leaves PNGs of the first pages in
/// `target/screenshots` for a reviewer.
fn pdf_brightness(pdf: &Path, png_prefix: &Path) -> Option<f64> {
    let ppm = Command::new("pdftoppm")
        .args(["-r", "30", "-f", "1", "-l", "1", "-gray"])
        .arg(pdf)
        .output()
        .ok()
        .filter(|o| o.status.success())?
        .stdout;
    let _ = Command::new("pdftoppm")
        .args(["-r", "60", "-f", "1", "-l", "3", "-png"])
        .arg(pdf)
        .arg(png_prefix)
        .status();
    // PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 && i < ppm.len() {
        while i < ppm.len() && ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < ppm.len() && !ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    let pixels = ppm.get(i + 1..)?;
    if pixels.is_empty() {
        return None;
    }
    Some(pixels.iter().map(|b| f64::from(*b)).sum::<f64>() / pixels.len() as f64)
}

#[test]
fn browser_an_incident_page_prints_without_the_site_chrome() {
    let Some(browser) = chromium() else { return };
    let p = build_examples();
    let newest = records(&p, "incidents")
        .into_iter()
        .max_by(|a, b| a.id.cmp(&b.id))
        .expect("an example incident");
    let page = incident_page(&newest.id);
    let dir = screenshots_dir();
    let pdf = dir.join("incident-print.pdf");
    let public = p.root().join("public");
    let ends = |uris: &[String], path: &str| uris.iter().any(|u| u.ends_with(&format!("/{path}")));

    // Printed in the dark colour scheme, as a reader with a dark desktop would.
    let bytes = print_to_pdf(&browser, &p, &page, &pdf, &["--force-dark-mode"]);
    let uris = pdf_uris(&bytes);
    // The record's own links survive print: its playbook, its trackers.
    let playbook = playbook_page(newest.str("type"));
    assert!(
        ends(&uris, &playbook),
        "no link to {playbook} in the PDF: {uris:?}"
    );
    // The site's navigation, search and footer do not: nothing to click on paper.
    for chrome in [
        "actions/index.html",
        "index.html#playbooks",
        "atom.xml",
        "incidents.json",
        "actions.csv",
    ] {
        assert!(
            !ends(&uris, chrome),
            "the printed page links {chrome}: {uris:?}"
        );
    }
    let text = String::from_utf8_lossy(&bytes);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(i, m)| text.as_bytes().get(i + m.len()) != Some(&b's'))
        .count();
    assert!(pages >= 1, "no pages in the PDF");
    // No dark background on paper: the first page is mostly white.
    if let Some(light) = pdf_brightness(&pdf, &dir.join("incident-print")) {
        assert!(
            light > 200.0,
            "the printed page is dark: mean brightness {light:.0}"
        );
    }

    // The check can fail: without the print rules the same links are printed.
    let css = std::fs::read_to_string(public.join("style.css")).expect("style.css");
    p.file(
        "public/style.css",
        css.replace("@media print", "@media not all"),
    );
    let bytes = print_to_pdf(
        &browser,
        &p,
        &page,
        &dir.join("incident-print-no-css.pdf"),
        &[],
    );
    let uris = pdf_uris(&bytes);
    assert!(
        ends(&uris, "actions/index.html") && ends(&uris, "atom.xml"),
        "without print rules the navigation should print: {uris:?}"
    );
}
