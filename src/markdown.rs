//! Markdown, the only user of comrak and pulldown-cmark.
//!
//! One options value, built once, is shared by every render: GitHub-flavoured
//! extensions on, raw HTML *escaped* (shown as text, never run) and unsafe
//! link schemes dropped by comrak's safe mode. The outline the lints read
//! (headings, raw-HTML lines, link targets) is `outline`'s, on
//! pulldown-cmark, a pull parser that builds no tree: `pm lint` reads only
//! that of each body, and a page's render takes it from there too, so both
//! commands find the same. `terminal` lays a document out as text for a
//! terminal (`pm explain`).

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, format_html, parse_document};

#[cfg(test)]
mod differential;
mod outline;
mod squash;
mod terminal;

pub use outline::{Heading, Link, Outline, outline};
use squash::{LineStarts, plain_prefix, squash_whitespace};
pub use terminal::WIDTH as TERMINAL_WIDTH;

/// A code block of a body, for learning the commands responders ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string's first word, lowercased (`bash`; empty when none).
    pub lang: String,
    /// The block's text.
    pub literal: String,
    /// The Markdown source of the paragraph right before the block, on one
    /// line, when there is one: what the writer said the block is.
    pub lead: Option<String>,
}

/// The first paragraph under a top-level heading, for lessons learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionLead {
    /// The heading's plain text.
    pub heading: String,
    /// The paragraph's Markdown source, on one line.
    pub paragraph: String,
}

/// How much of a document one walk turns into output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The outline, raw-HTML lines and links: what lints need. Links are
    /// the ones written as links: bare URLs, which only a page turns into
    /// links, are left out.
    Outline,
    /// The outline, plus the HTML, a plain-text excerpt, code blocks and
    /// section leads: what pages, the search index and lessons need.
    Page,
}

/// A document and what was learned from it, in one parse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Safe HTML (empty at [`Depth::Outline`]).
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// 1-based body lines holding raw HTML (shown as text).
    pub raw_html_lines: Vec<usize>,
    /// Link and image targets in order.
    pub links: Vec<Link>,
    /// Code blocks, fenced or indented, in order (none at [`Depth::Outline`]).
    pub code_blocks: Vec<CodeBlock>,
    /// The first paragraph under each top-level heading that has one (none
    /// at [`Depth::Outline`]).
    pub section_leads: Vec<SectionLead>,
    /// The prose as plain text, cut to [`EXCERPT_CHARS`] at a word boundary
    /// (empty at [`Depth::Outline`]); see [`Markdown::plain`].
    pub excerpt: String,
    /// All of the prose as plain text, on one line, as [`Markdown::plain`]
    /// gives it (empty at [`Depth::Outline`]): the words the search index
    /// reads, without a second parse.
    pub plain: String,
}

impl Rendered {
    /// The Markdown source of the first paragraph under the top-level
    /// heading named `heading` (compared without case), on one line.
    pub fn lead_of(&self, heading: &str) -> Option<&str> {
        let heading = heading.trim();
        self.section_leads
            .iter()
            .find(|l| l.heading.eq_ignore_ascii_case(heading))
            .map(|l| l.paragraph.as_str())
    }
}

/// How many characters of a body's prose an excerpt keeps.
pub const EXCERPT_CHARS: usize = 600;

/// The Markdown renderer, built once per run.
pub struct Markdown {
    options: Options<'static>,
}

impl Default for Markdown {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Markdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Markdown")
    }
}

impl Markdown {
    /// Builds the shared options.
    pub fn new() -> Self {
        let mut options = Options::default();
        options.extension.strikethrough = true;
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.tasklist = true;
        options.extension.footnotes = true;
        options.render.escape = true;
        options.render.r#unsafe = false;
        options.render.github_pre_lang = false;
        Markdown { options }
    }

    /// Renders a Markdown document: [`Depth::Page`].
    pub fn render(&self, text: &str) -> Rendered {
        self.digest(text, Depth::Page)
    }

    /// The outline of a document, without HTML: [`Depth::Outline`].
    pub fn outline(&self, text: &str) -> Rendered {
        self.digest(text, Depth::Outline)
    }

    /// Collects what `depth` asks for: the outline from
    /// [`outline`] (pulldown-cmark's parse), and at [`Depth::Page`]
    /// the rest from comrak's.
    pub fn digest(&self, text: &str, depth: Depth) -> Rendered {
        let Outline {
            headings,
            raw_html_lines,
            links,
        } = outline(text);
        let mut rendered = Rendered {
            headings,
            raw_html_lines,
            links,
            ..Rendered::default()
        };
        if depth == Depth::Outline {
            return rendered;
        }
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let lines = LineStarts::new(text);
        for node in root.descendants() {
            if let NodeValue::CodeBlock(block) = &node.data().value {
                rendered.code_blocks.push(CodeBlock {
                    lang: block
                        .info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_lowercase(),
                    literal: block.literal.clone(),
                    lead: node
                        .previous_sibling()
                        .filter(|n| matches!(n.data().value, NodeValue::Paragraph))
                        .map(|n| source_of(n, &lines)),
                });
            }
        }
        let mut heading = None;
        for node in root.children() {
            match &node.data().value {
                NodeValue::Heading(_) => heading = Some(plain_text(node)),
                NodeValue::Paragraph => {
                    if let Some(heading) = heading.take() {
                        rendered.section_leads.push(SectionLead {
                            heading,
                            paragraph: source_of(node, &lines),
                        });
                    }
                }
                _ => {}
            }
        }
        let _ = format_html(root, &self.options, &mut rendered.html);
        let mut plain = String::new();
        collect_plain(root, &mut plain);
        rendered.plain = squash_whitespace(&plain);
        rendered.excerpt = excerpt(&rendered.plain, EXCERPT_CHARS);
        rendered
    }

    /// The HTML of `text`, which `rendered` digested: taken from it when it
    /// was rendered at [`Depth::Page`], else rendered now.
    pub fn html_of(&self, rendered: &Rendered, text: &str) -> String {
        if rendered.html.is_empty() && !text.trim().is_empty() {
            self.html(text)
        } else {
            rendered.html.clone()
        }
    }

    /// Renders a short Markdown text (a summary) as blocks, skipping comrak
    /// when the text is one plain line.
    pub fn block(&self, text: &str) -> String {
        if let Some(pieces) = simple_line(text) {
            format!("<p>{}</p>\n", simple_html(&pieces))
        } else {
            self.html(text)
        }
    }

    /// Renders one line of inline Markdown (a timeline entry, an action item)
    /// without the surrounding paragraph.
    pub fn inline(&self, text: &str) -> String {
        if let Some(pieces) = simple_line(text) {
            return simple_html(&pieces);
        }
        inner_of_paragraph(self.html(text))
    }

    /// The HTML of a document, and nothing else of it: what
    /// [`Markdown::render`] gives as `html`, without the outline, code
    /// blocks and plain text a short text's caller does not read.
    fn html(&self, text: &str) -> String {
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut html = String::new();
        let _ = format_html(root, &self.options, &mut html);
        html
    }

    /// One line of inline Markdown as [`Markdown::inline`] renders it, and
    /// as the text a reader sees of that HTML, on one line (tags gone,
    /// characters as shown, runs of whitespace one space): a drawing's
    /// tooltip shows the same words as the table beside it. One parse
    /// gives both.
    pub fn inline_and_text(&self, text: &str) -> (String, String) {
        if let Some(pieces) = simple_line(text) {
            let words: String = pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) | Piece::Code(t) => *t,
                })
                .collect();
            return (simple_html(&pieces), squash_whitespace(&words));
        }
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut html = String::new();
        let _ = format_html(root, &self.options, &mut html);
        let mut shown = String::new();
        collect_shown(root, &mut shown);
        (inner_of_paragraph(html), squash_whitespace(&shown))
    }

    /// A document as text for a terminal, wrapped to [`TERMINAL_WIDTH`]
    /// columns: headings stand out, code blocks are indented, lists keep
    /// their markers, links read `text <url>`, tables are aligned. ANSI
    /// bold and colour only when `color` is on (the caller decides:
    /// `--color`, `NO_COLOR`, a terminal or not).
    pub fn terminal(&self, text: &str, color: bool) -> String {
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        terminal::render(root, color)
    }

    /// The words a reader sees in prose, as one line of plain text: the text
    /// of paragraphs, list items and table cells, without markup. Headings,
    /// code blocks and raw HTML are left out (the search index wants the
    /// story, not section names or pasted logs).
    pub fn plain(&self, text: &str) -> String {
        if let Some(pieces) = simple_line(text) {
            let words: String = pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) | Piece::Code(t) => *t,
                })
                .collect();
            return squash_whitespace(&words);
        }
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut out = String::new();
        collect_plain(root, &mut out);
        squash_whitespace(&out)
    }
}

/// A piece of a [`simple_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    /// Text shown as written.
    Text(&'a str),
    /// A `` `code` `` span's content.
    Code(&'a str),
}

/// Splits `text` into plain text and code spans when it is one line whose
/// Markdown is only that: no character that can start other inline syntax,
/// an entity, an autolink or a block. Most timeline entries and action items
/// are such lines (`` Restarted `api-gateway` on all pods ``), and rendering
/// them without comrak was most of the cost of a page's short texts. `None`
/// sends the text to comrak. The test `simple_lines_render_as_comrak_does`
/// holds the result to comrak's on random lines.
fn simple_line(text: &str) -> Option<Vec<Piece<'_>>> {
    let first = text.chars().next()?;
    if !first.is_alphabetic()
        || text.ends_with(char::is_whitespace)
        || text.contains("www.")
        || text.contains("://")
    {
        return None;
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let plain_len = plain_prefix(rest);
        if plain_len > 0 {
            pieces.push(Piece::Text(&rest[..plain_len]));
            rest = &rest[plain_len..];
            continue;
        }
        // Only a single-backtick code span may follow: content without a
        // backtick, a line break or a space at either end.
        let after = rest.strip_prefix('`')?;
        let close = after.find('`')?;
        let code = &after[..close];
        if code.is_empty()
            || code.contains('\n')
            || code.starts_with(char::is_whitespace)
            || code.ends_with(char::is_whitespace)
            || after[close + 1..].starts_with('`')
        {
            return None;
        }
        pieces.push(Piece::Code(code));
        rest = &after[close + 1..];
    }
    Some(pieces)
}

/// The HTML of a [`simple_line`], as comrak writes it.
fn simple_html(pieces: &[Piece<'_>]) -> String {
    let shown = |p: &Piece<'_>| match p {
        Piece::Text(t) => t.len(),
        Piece::Code(c) => c.len() + "<code></code>".len(),
    };
    let mut out = String::with_capacity(pieces.iter().map(shown).sum::<usize>() + 8);
    for piece in pieces {
        match piece {
            Piece::Text(t) => escape_into(&mut out, t, Escape::Text),
            Piece::Code(c) => {
                out.push_str("<code>");
                escape_into(&mut out, c, Escape::Text);
                out.push_str("</code>");
            }
        }
    }
    out
}

/// Which characters an escape replaces. pm has one escaper, [`escape_to`];
/// the sets differ only where the output must match another writer's bytes
/// or XML's rules for attribute values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// HTML and XML text and attribute values, as Tera's own escape does it:
    /// `&`, `<`, `>`, `"` and `'`. Templates, feeds and served pages.
    Html,
    /// Text as comrak writes it: `&`, `<`, `>` and `"`, not `'`.
    Text,
    /// XML character data: `&`, `<`, `>`, and a carriage return (which an
    /// XML parser would otherwise turn into a line feed).
    XmlText,
    /// An XML attribute value in double quotes: as [`Escape::XmlText`], and
    /// `"`, a tab and a line feed, which an XML parser would otherwise
    /// normalise to spaces.
    XmlAttribute,
}

impl Escape {
    /// The entity for `byte`, or `None` when it stays as it is.
    #[inline]
    const fn entity(self, byte: u8) -> Option<&'static str> {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if !matches!(self, Escape::XmlText) => "&quot;",
            b'\'' if matches!(self, Escape::Html) => "&#39;",
            b'\t' if matches!(self, Escape::XmlAttribute) => "&#9;",
            b'\n' if matches!(self, Escape::XmlAttribute) => "&#10;",
            b'\r' if matches!(self, Escape::XmlText | Escape::XmlAttribute) => "&#13;",
            _ => return None,
        };
        Some(entity)
    }

    /// For each byte, whether the set replaces it: one look-up a byte in
    /// [`escape_runs`]' loop, where every page's text passes.
    const fn replaced(self) -> [bool; 256] {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = self.entity(b as u8).is_some();
            b += 1;
        }
        table
    }
}

/// [`Escape::replaced`] of each set, in the order of [`Escape`].
const REPLACED: [[bool; 256]; 4] = [
    Escape::Html.replaced(),
    Escape::Text.replaced(),
    Escape::XmlText.replaced(),
    Escape::XmlAttribute.replaced(),
];

/// Calls `emit` with the escaped text in pieces: unescaped runs whole, not
/// byte by byte (Tera's byte-by-byte escape was a twelfth of a build's CPU
/// time). Every character replaced is ASCII, so the runs are whole UTF-8.
#[inline]
fn escape_runs<E>(
    text: &str,
    set: Escape,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let replaced = &REPLACED[set as usize];
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        if !replaced[usize::from(byte)] {
            continue;
        }
        if let Some(entity) = set.entity(byte) {
            emit(&text[start..i])?;
            emit(entity)?;
            start = i + 1;
        }
    }
    emit(&text[start..])
}

/// Writes `text` escaped with `set` to `out`: the one escaper of pm's
/// HTML, XML and feeds.
pub fn escape_to(text: &str, set: Escape, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(text, set, |piece| out.write_all(piece.as_bytes()))
}

/// Appends `text` escaped with `set` to `out`.
pub fn escape_into(out: &mut String, text: &str, set: Escape) {
    let _ = escape_runs::<std::convert::Infallible>(text, set, |piece| {
        out.push_str(piece);
        Ok(())
    });
}

/// Appends `text` escaped for HTML ([`Escape::Html`]): what the parts of a
/// page written from Rust use, as the templates' own escape.
pub fn escape_html_into(out: &mut String, text: &str) {
    escape_into(out, text, Escape::Html);
}

/// `text` escaped with `set`.
pub fn escape(text: &str, set: Escape) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text, set);
    out
}

/// `text` escaped for HTML or XML as Tera's templates escape it:
/// [`Escape::Html`].
pub fn escape_html(text: &str) -> String {
    escape(text, Escape::Html)
}

/// The first `max` characters of `text`, cut at a word boundary, with `…`
/// when something was cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let Some((cut_at, _)) = text.char_indices().nth(max) else {
        return text.to_owned();
    };
    let cut = &text[..cut_at];
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// Appends the prose text under `node` to `out` (see [`Markdown::plain`]).
///
/// An explicit stack rather than recursion: a hostile body can nest
/// blockquotes or emphasis hundreds of thousands deep, which would overflow
/// the thread's stack (comrak's own parser and HTML writer are iterative too).
fn collect_plain<'a>(node: &'a AstNode<'a>, out: &mut String) {
    enum Step<'a> {
        Visit(&'a AstNode<'a>),
        Space,
    }
    let mut stack: Vec<Step<'a>> = node.reverse_children().map(Step::Visit).collect();
    while let Some(step) = stack.pop() {
        let child = match step {
            Step::Visit(child) => child,
            Step::Space => {
                out.push(' ');
                continue;
            }
        };
        match &child.data().value {
            NodeValue::Heading(_)
            | NodeValue::CodeBlock(_)
            | NodeValue::HtmlBlock(_)
            | NodeValue::HtmlInline(_)
            | NodeValue::FootnoteDefinition(_) => {}
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            value => {
                // Block boundaries become spaces, so words of two paragraphs
                // or two cells never run together.
                if value.block() {
                    out.push(' ');
                    stack.push(Step::Space);
                }
                stack.extend(child.reverse_children().map(Step::Visit));
            }
        }
    }
}

/// The inside of HTML that is one paragraph, else the HTML as it is.
fn inner_of_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

/// Appends the text a browser shows of the HTML comrak writes for the tree
/// under `node` (see [`Markdown::inline_and_text`]): the text of every
/// node, raw HTML as the text it is shown as, an image's alt text left out
/// (it is an attribute), a footnote's number and back-link arrow in, and a
/// space at every block boundary, where the HTML has a line break.
///
/// An explicit stack, as in [`collect_plain`].
fn collect_shown<'a>(node: &'a AstNode<'a>, out: &mut String) {
    enum Step<'a> {
        Visit(&'a AstNode<'a>),
        Text(String),
    }
    let mut stack: Vec<Step<'a>> = node.reverse_children().map(Step::Visit).collect();
    while let Some(step) = stack.pop() {
        let child = match step {
            Step::Visit(child) => child,
            Step::Text(text) => {
                out.push_str(&text);
                continue;
            }
        };
        match &child.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => {
                out.push(' ');
                out.push_str(&c.literal);
                out.push(' ');
            }
            NodeValue::HtmlInline(raw) => out.push_str(raw),
            NodeValue::HtmlBlock(b) => {
                out.push(' ');
                out.push_str(&b.literal);
                out.push(' ');
            }
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            NodeValue::Image(_) => {}
            NodeValue::FootnoteReference(r) => out.push_str(&r.ix.to_string()),
            NodeValue::FootnoteDefinition(d) => {
                let mut after = String::from(" ↩");
                for n in 2..=d.total_references {
                    after.push_str(&format!(" ↩{n}"));
                }
                after.push(' ');
                out.push(' ');
                stack.push(Step::Text(after));
                stack.extend(child.reverse_children().map(Step::Visit));
            }
            value => {
                if value.block() {
                    out.push(' ');
                    stack.push(Step::Text(" ".to_owned()));
                }
                stack.extend(child.reverse_children().map(Step::Visit));
            }
        }
    }
}

/// The source lines a block node spans, joined into one line.
fn source_of<'a>(node: &'a AstNode<'a>, lines: &LineStarts<'_>) -> String {
    let pos = node.data().sourcepos;
    let first = pos.start.line.saturating_sub(1);
    let count = pos.end.line.saturating_sub(pos.start.line) + 1;
    // Line breaks are whitespace: squashing the lines' span joins them
    // with one space, as joining the lines would.
    squash_whitespace(lines.span(first, count))
}

/// The text content of a node and its descendants.
fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for child in node.descendants() {
        match &child.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_not_run() {
        let md = Markdown::new();
        let r = md.render("hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert_eq!(r.raw_html_lines, vec![1, 3]);
    }

    #[test]
    fn dangerous_links_lose_their_target() {
        let md = Markdown::new();
        let html = md
            .render("[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1))")
            .html;
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    }

    #[test]
    fn outline_and_links_are_collected() {
        let md = Markdown::new();
        let r = md.render("## Summary\n\ntext [log](db.log)\n\n## Root `cause`\n\n![g](p99.svg)\n");
        let titles: Vec<_> = r
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.line))
            .collect();
        assert_eq!(titles, vec![(2, "Summary", 1), (2, "Root cause", 5)]);
        assert_eq!(r.links.len(), 2);
        assert!(r.links[1].image);
    }

    /// A page's outline is the outline `pm lint` reads, so both commands
    /// find the same; bare URLs, which only a page turns into links, are
    /// not links of either.
    #[test]
    fn a_page_s_outline_is_the_lint_s() {
        let md = Markdown::new();
        let text = "# T\n\nsee www.example.com/a<b>x</b> and https://e.com/q?x=1, \
                    mail ops@example.com\n\n| a | b |\n|---|---|\n| [l](x.log) www.e.com | <i>y</i> |\n\n\
                    [w](https://w.example/) <https://auto.example>\n\n## Two\n";
        let (outline, page) = (md.outline(text), md.render(text));
        assert_eq!(outline.headings, page.headings);
        assert_eq!(outline.raw_html_lines, page.raw_html_lines);
        assert_eq!(outline.links, page.links);
        assert_eq!(outline.links.len(), 3, "{:?}", outline.links);
        assert!(page.html.contains("href=\"http://www.example.com/a\""));
    }
    #[test]
    fn code_blocks_and_their_lead() {
        let md = Markdown::new();
        let text = "## Root cause\n\nThe pool was\ntoo small.\n\nCount them:\n\n```Bash title\nps aux | wc -l\n```\n\n    indented\n\n## Next\n\ntext\n";
        let outline = md.render(text);
        let blocks = &outline.code_blocks;
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].lang, "bash");
        assert_eq!(blocks[0].literal, "ps aux | wc -l\n");
        assert_eq!(blocks[0].lead.as_deref(), Some("Count them:"));
        assert_eq!(blocks[1].lang, "");
        assert_eq!(blocks[1].lead, None);
        assert_eq!(
            outline.lead_of("root cause"),
            Some("The pool was too small.")
        );
        assert_eq!(outline.lead_of("Next"), Some("text"));
        assert_eq!(outline.lead_of("Impact"), None);
    }

    #[test]
    fn inline_drops_the_paragraph() {
        let md = Markdown::new();
        assert_eq!(
            md.inline("pager: **p99** > 2 s"),
            "pager: <strong>p99</strong> &gt; 2 s"
        );
    }

    /// The text of a fragment of HTML as a browser shows it: tags dropped,
    /// the entities comrak writes decoded, spaces collapsed. The render
    /// stage once worked out a drawing's tooltips so, from the HTML;
    /// [`Markdown::inline_and_text`] is held to it.
    fn html_text(html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut in_tag = false;
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            let mut len = c.len_utf8();
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if in_tag => {}
                '&' => {
                    let entity = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
                        let decoded = match &rest[1..end] {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" | "#39" | "#x27" => Some('\''),
                            num => num
                                .strip_prefix("#x")
                                .or_else(|| num.strip_prefix("#X"))
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .or_else(|| num.strip_prefix('#').and_then(|d| d.parse().ok()))
                                .and_then(char::from_u32),
                        };
                        decoded.map(|ch| (ch, end + 1))
                    });
                    match entity {
                        Some((ch, consumed)) => {
                            out.push(ch);
                            len = consumed;
                        }
                        None => out.push('&'),
                    }
                }
                _ => out.push(c),
            }
            rest = &rest[len..];
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn inline_text_is_the_text_of_the_inline_html() {
        let md = Markdown::new();
        let fixed = [
            "Pool at `20` &amp; **falling** <b> 'x' [link](https://x \"t>\")",
            "![alt *text*](a.png) after",
            "a[^1] b[^1]\n\n[^1]: the *note*\n\n- [ ] task\n- [x] done",
            "# Heading\ntext\n\n    code\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "line  \nbreak\\\nhard <span>raw</span> &nbsp;&copy;&#x41;",
            "<div>\nblock html\n</div>\n\nwww.example.com ~~gone~~ https://x.y/z?a<b",
            "1. one\n2. two\n   * nested `c`\n\n---\n\nend",
            "x[^a][^b]\n\n[^a]: A\n[^b]: - list\n- more",
        ];
        let alphabet: Vec<char> = "aaZé9  ,.;:'\"()/#*_[]!<>&`~\\|@w\t\n1^-x"
            .chars()
            .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut random = Vec::new();
        for _ in 0..5_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (state >> 58) as usize + 1;
            let mut line = String::new();
            let mut r = state;
            for _ in 0..len {
                r = r.rotate_left(7).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                line.push(alphabet[(r >> 40) as usize % alphabet.len()]);
            }
            random.push(line);
        }
        for text in fixed.iter().map(|s| (*s).to_owned()).chain(random) {
            let (html, shown) = md.inline_and_text(&text);
            assert_eq!(html, md.inline(&text), "{text:?}");
            assert_eq!(shown, html_text(&html), "{text:?}");
        }
    }

    #[test]
    fn one_escaper_for_every_set() {
        let text = "<a href=\"x\">'&'</a>\t\r\né";
        assert_eq!(
            escape(text, Escape::Html),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\t\r\né"
        );
        assert_eq!(
            escape(text, Escape::Text),
            "&lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt;\t\r\né"
        );
        assert_eq!(
            escape(text, Escape::XmlText),
            "&lt;a href=\"x\"&gt;'&amp;'&lt;/a&gt;\t&#13;\né"
        );
        assert_eq!(
            escape(text, Escape::XmlAttribute),
            "&lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt;&#9;&#13;&#10;é"
        );
        // `escape_runs` asks each set's table, in the order of the sets.
        for set in [
            Escape::Html,
            Escape::Text,
            Escape::XmlText,
            Escape::XmlAttribute,
        ] {
            let table = &REPLACED[set as usize];
            assert!((0..=u8::MAX).all(|b| table[usize::from(b)] == set.entity(b).is_some()));
        }
        let mut written = Vec::new();
        escape_to(text, Escape::Html, &mut written).unwrap();
        assert_eq!(written, escape_html(text).into_bytes());
    }

    #[test]
    fn simple_lines_render_as_comrak_does() {
        // Random lines over an alphabet of letters, the punctuation the fast
        // path accepts and every character that can start Markdown syntax:
        // whenever the fast path is taken, its HTML must be comrak's.
        let md = Markdown::new();
        let alphabet: Vec<char> = "aaZZé9  ,.;:?'\"()/%+=-#*_[]!<>&`~\\|@w\t\n1"
            .chars()
            .collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut taken = 0;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (state >> 59) as usize + 1;
            let mut line = String::new();
            let mut r = state;
            for _ in 0..len {
                r = r.rotate_left(7).wrapping_mul(0x2545_f491_4f6c_dd1d);
                line.push(alphabet[(r >> 40) as usize % alphabet.len()]);
            }
            for candidate in [
                line.clone(),
                format!("Run {line} now"),
                format!("www.{line}"),
                format!("See `{line}` and `{line}`"),
                format!("Check `db` {line}`"),
            ] {
                if simple_line(&candidate).is_some() {
                    taken += 1;
                    let slow = md.render(&candidate).html;
                    let slow = slow.trim_end();
                    let slow = slow
                        .strip_prefix("<p>")
                        .and_then(|s| s.strip_suffix("</p>"))
                        .unwrap_or(slow);
                    assert_eq!(md.inline(&candidate), slow, "{candidate:?}");
                    assert_eq!(md.block(&candidate), md.render(&candidate).html);
                    let arena = Arena::new();
                    let mut slow_plain = String::new();
                    collect_plain(
                        parse_document(&arena, &candidate, &md.options),
                        &mut slow_plain,
                    );
                    assert_eq!(md.plain(&candidate), squash_whitespace(&slow_plain));
                }
            }
        }
        assert!(taken > 500, "the fast path was taken only {taken} times");
        assert!(simple_line("2. step").is_none());
        assert!(simple_line("see https://example.com").is_none());
        assert!(simple_line("mail ops@example.com").is_none());
        assert!(simple_line("ends with two spaces  ").is_none());
        assert!(simple_line("a ``b`` c").is_none());
        assert!(simple_line("a `b").is_none());
        assert_eq!(
            md.inline("Restarted `api-gateway` on all pods (#ops)"),
            "Restarted <code>api-gateway</code> on all pods (#ops)"
        );
        assert_eq!(
            md.inline("Rolled back \"v2\" (50%)"),
            "Rolled back &quot;v2&quot; (50%)"
        );
    }

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("one two three four", 12), "one two…");
        assert_eq!(excerpt("alpha beta gamma delta", 13), "alpha beta…");
        assert_eq!(excerpt("ééééé", 3), "ééé…");
        let md = Markdown::new();
        let r = md.render("# Title\n\nSome *prose* here.\n\n```\nlog\n```\n");
        assert_eq!(r.excerpt, "Some prose here.");
        assert!(md.outline("text").excerpt.is_empty());
        let long = format!("# H\n\n{}", "word ".repeat(400));
        let r = md.render(&long);
        assert_eq!(r.plain, md.plain(&long));
        assert!(r.plain.len() > r.excerpt.len() && r.excerpt.ends_with('…'));
        assert!(md.outline(&long).plain.is_empty());
    }
}
