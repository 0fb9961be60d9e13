//! Markdown, the only user of comrak.
//!
//! One options value, built once, is shared by every render: GitHub-flavoured
//! extensions on, raw HTML *escaped* (shown as text, never run) and unsafe
//! link schemes dropped by comrak's safe mode. Rendering also returns the
//! document's outline, raw-HTML lines and link targets, so lints need not
//! parse the body a second time.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, format_html, parse_document};

/// A `#` heading of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// 1-based line in the body.
    pub line: usize,
}

/// A link or image target in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target as written.
    pub url: String,
    /// Whether it is an image.
    pub image: bool,
    /// 1-based line in the body.
    pub line: usize,
}

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

/// A rendered body and what was learned on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// 1-based body lines holding raw HTML (shown as text).
    pub raw_html_lines: Vec<usize>,
    /// Link and image targets in order.
    pub links: Vec<Link>,
}

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

    /// Renders a Markdown document.
    pub fn render(&self, text: &str) -> Rendered {
        self.walk(text, true)
    }

    /// The outline, raw-HTML lines and links of a document, without HTML.
    pub fn outline(&self, text: &str) -> Rendered {
        self.walk(text, false)
    }

    fn walk(&self, text: &str, html: bool) -> Rendered {
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut rendered = Rendered::default();
        for node in root.descendants() {
            let data = node.data();
            let line = data.sourcepos.start.line;
            match &data.value {
                NodeValue::Heading(h) => rendered.headings.push(Heading {
                    level: h.level,
                    text: plain_text(node),
                    line,
                }),
                NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_)
                    if rendered.raw_html_lines.last() != Some(&line) =>
                {
                    rendered.raw_html_lines.push(line);
                }
                NodeValue::Link(link) => rendered.links.push(Link {
                    url: link.url.clone(),
                    image: false,
                    line,
                }),
                NodeValue::Image(link) => rendered.links.push(Link {
                    url: link.url.clone(),
                    image: true,
                    line,
                }),
                _ => {}
            }
        }
        if html {
            let _ = format_html(root, &self.options, &mut rendered.html);
        }
        rendered
    }

    /// Every code block of a document, fenced or indented, in order.
    pub fn code_blocks(&self, text: &str) -> Vec<CodeBlock> {
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut out = Vec::new();
        for node in root.descendants() {
            if let NodeValue::CodeBlock(block) = &node.data().value {
                let lead = node
                    .previous_sibling()
                    .filter(|n| matches!(n.data().value, NodeValue::Paragraph))
                    .map(|n| source_of(n, text));
                out.push(CodeBlock {
                    lang: block
                        .info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_lowercase(),
                    literal: block.literal.clone(),
                    lead,
                });
            }
        }
        out
    }

    /// The Markdown source of the first paragraph under the top-level
    /// heading named `heading` (compared without case), on one line.
    pub fn first_paragraph_under(&self, text: &str, heading: &str) -> Option<String> {
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut inside = false;
        for node in root.children() {
            match &node.data().value {
                NodeValue::Heading(_) if inside => return None,
                NodeValue::Heading(_) => {
                    inside = plain_text(node).eq_ignore_ascii_case(heading.trim());
                }
                NodeValue::Paragraph if inside => return Some(source_of(node, text)),
                _ => {}
            }
        }
        None
    }

    /// Renders one line of inline Markdown (a timeline entry, an action item)
    /// without the surrounding paragraph.
    pub fn inline(&self, text: &str) -> String {
        let html = self.render(text).html;
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_owned(),
            _ => html,
        }
    }

    /// The words a reader sees in prose, as one line of plain text: the text
    /// of paragraphs, list items and table cells, without markup. Headings,
    /// code blocks and raw HTML are left out (the search index wants the
    /// story, not section names or pasted logs).
    pub fn plain(&self, text: &str) -> String {
        let arena = Arena::new();
        let root = parse_document(&arena, text, &self.options);
        let mut out = String::new();
        collect_plain(root, &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Appends the prose text under `node` to `out` (see [`Markdown::plain`]).
fn collect_plain<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for child in node.children() {
        match &child.data().value {
            NodeValue::Heading(_)
            | NodeValue::CodeBlock(_)
            | NodeValue::HtmlBlock(_)
            | NodeValue::HtmlInline(_)
            | NodeValue::FootnoteDefinition(_) => {}
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {
                // Block boundaries become spaces, so words of two paragraphs
                // or two cells never run together.
                if child.data().value.block() {
                    out.push(' ');
                }
                collect_plain(child, out);
                if child.data().value.block() {
                    out.push(' ');
                }
            }
        }
    }
}

/// The source lines a block node spans, joined into one line.
fn source_of<'a>(node: &'a AstNode<'a>, text: &str) -> String {
    let pos = node.data().sourcepos;
    let lines: Vec<&str> = text
        .lines()
        .skip(pos.start.line.saturating_sub(1))
        .take(pos.end.line.saturating_sub(pos.start.line) + 1)
        .collect();
    lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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

    #[test]
    fn code_blocks_and_their_lead() {
        let md = Markdown::new();
        let text = "## Root cause\n\nThe pool was\ntoo small.\n\nCount them:\n\n```Bash title\nps aux | wc -l\n```\n\n    indented\n\n## Next\n\ntext\n";
        let blocks = md.code_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].lang, "bash");
        assert_eq!(blocks[0].literal, "ps aux | wc -l\n");
        assert_eq!(blocks[0].lead.as_deref(), Some("Count them:"));
        assert_eq!(blocks[1].lang, "");
        assert_eq!(blocks[1].lead, None);
        assert_eq!(
            md.first_paragraph_under(text, "root cause").as_deref(),
            Some("The pool was too small.")
        );
        assert_eq!(md.first_paragraph_under(text, "Impact"), None);
    }

    #[test]
    fn inline_drops_the_paragraph() {
        let md = Markdown::new();
        assert_eq!(
            md.inline("pager: **p99** > 2 s"),
            "pager: <strong>p99</strong> &gt; 2 s"
        );
    }
}
