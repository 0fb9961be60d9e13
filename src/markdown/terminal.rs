//! Markdown as text for a terminal (`pm explain`): comrak's tree laid out
//! in lines of at most [`WIDTH`] columns. Headings stand out (underlined
//! with `=` or `-`, or bold in colour), paragraphs and list items are
//! wrapped, code blocks are indented by four spaces and kept as written,
//! links read `text <url>`, tables are aligned in columns (or, when too
//! wide, one block per row) and inline code loses its backticks. ANSI
//! styles are written only when `color` is on; without it the output is
//! plain text. Uses nothing of `markdown` but comrak's tree.

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};

/// The width paragraphs are wrapped to: a terminal's classic width, the
/// same on every machine so the output is too.
pub const WIDTH: usize = 80;

/// The longest inline code span kept whole on one line.
const ATOMIC_CODE: usize = 30;

/// How deep blocks and inlines are walked; deeper content is laid out
/// flat (a hostile document can nest thousands deep).
const MAX_DEPTH: usize = 48;

/// How a piece of text is shown in colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Style {
    bold: bool,
    italic: bool,
    underline: bool,
    code: bool,
    strike: bool,
    dim: bool,
}

impl Style {
    /// The ANSI SGR parameters of the style; empty when plain.
    fn sgr(self) -> String {
        let codes = [
            (self.bold, "1"),
            (self.dim, "2"),
            (self.italic, "3"),
            (self.underline, "4"),
            (self.strike, "9"),
            (self.code, "36"),
        ];
        codes
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, code)| *code)
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// `text` in `style`, as ANSI when `color` is on.
fn paint(text: &str, style: Style, color: bool) -> String {
    let sgr = style.sgr();
    if !color || sgr.is_empty() || text.is_empty() {
        return text.to_owned();
    }
    format!("\x1b[{sgr}m{text}\x1b[0m")
}

/// A run of inline text in one style. An atomic one (inline code) is
/// never broken across lines; `"\n"` alone is a hard line break.
#[derive(Debug, Clone)]
struct Seg {
    text: String,
    style: Style,
    atomic: bool,
}

/// What the walk needs besides the node.
#[derive(Debug, Clone, Copy)]
struct Cx {
    color: bool,
}

/// `root` (a comrak document) as terminal text, every line ending in `\n`.
pub(super) fn render<'a>(root: &'a AstNode<'a>, color: bool) -> String {
    let cx = Cx { color };
    let lines = blocks(root, WIDTH, cx, 0, false);
    let mut out = String::new();
    for line in lines {
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    out
}

/// The blocks under `parent`, separated by a blank line unless `tight`.
fn blocks<'a>(
    parent: &'a AstNode<'a>,
    width: usize,
    cx: Cx,
    depth: usize,
    tight: bool,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for child in parent.children() {
        let rendered = block(child, width, cx, depth + 1);
        if rendered.is_empty() {
            continue;
        }
        if !lines.is_empty() && !tight {
            lines.push(String::new());
        }
        lines.extend(rendered);
    }
    lines
}

/// One block as lines of at most `width` columns (code and wide words
/// aside).
fn block<'a>(node: &'a AstNode<'a>, width: usize, cx: Cx, depth: usize) -> Vec<String> {
    let width = width.max(20);
    if depth > MAX_DEPTH {
        return wrap(&inlines(node, Style::default(), depth), width, cx);
    }
    match &node.data().value {
        NodeValue::Document => blocks(node, width, cx, depth, false),
        NodeValue::Heading(h) => heading(node, h.level, width, cx, depth),
        NodeValue::CodeBlock(code) => code
            .literal
            .lines()
            .map(|line| {
                let style = Style {
                    code: true,
                    ..Style::default()
                };
                format!("    {}", paint(line, style, cx.color))
            })
            .collect(),
        NodeValue::HtmlBlock(html) => html.literal.lines().map(str::to_owned).collect(),
        NodeValue::ThematicBreak => vec!["-".repeat(width.min(WIDTH) / 2)],
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => {
            prefixed(
                blocks(node, width.saturating_sub(2), cx, depth, false),
                "> ",
                "> ",
            )
        }
        NodeValue::List(list) => {
            let mut lines = Vec::new();
            for (number, item) in (list.start..).zip(node.children()) {
                let marker = match list.list_type {
                    ListType::Bullet => "-".to_owned(),
                    ListType::Ordered => {
                        let delim = match list.delimiter {
                            comrak::nodes::ListDelimType::Paren => ')',
                            comrak::nodes::ListDelimType::Period => '.',
                        };
                        format!("{number}{delim}")
                    }
                };
                let marker = match &item.data().value {
                    NodeValue::TaskItem(task) if task.symbol.is_some() => format!("{marker} [x]"),
                    NodeValue::TaskItem(_) => format!("{marker} [ ]"),
                    _ => marker,
                };
                let hang = " ".repeat(marker.chars().count() + 1);
                let first = format!("{marker} ");
                let body = blocks(
                    item,
                    width.saturating_sub(hang.len()),
                    cx,
                    depth,
                    list.tight,
                );
                if !lines.is_empty() && !list.tight {
                    lines.push(String::new());
                }
                if body.is_empty() {
                    lines.push(marker);
                } else {
                    lines.extend(prefixed(body, &first, &hang));
                }
            }
            lines
        }
        NodeValue::Table(table) => self::table(node, &table.alignments, width, cx, depth),
        NodeValue::FootnoteDefinition(def) => {
            let first = format!("[{}] ", def.name);
            let hang = " ".repeat(first.chars().count());
            prefixed(
                blocks(node, width.saturating_sub(hang.len()), cx, depth, false),
                &first,
                &hang,
            )
        }
        NodeValue::Paragraph | NodeValue::TableCell => {
            wrap(&inlines(node, Style::default(), depth), width, cx)
        }
        value if value.block() && node.first_child().is_some_and(|c| c.data().value.block()) => {
            blocks(node, width, cx, depth, false)
        }
        _ => wrap(&inlines(node, Style::default(), depth), width, cx),
    }
}

/// A heading: in colour bold (and underlined at levels 1 and 2); without,
/// levels 1 and 2 are underlined with `=` and `-`, the others are a line of
/// their own.
fn heading<'a>(
    node: &'a AstNode<'a>,
    level: u8,
    width: usize,
    cx: Cx,
    depth: usize,
) -> Vec<String> {
    let style = Style {
        bold: true,
        underline: level <= 2,
        ..Style::default()
    };
    let segs = inlines(node, style, depth);
    let mut lines = wrap(&segs, width, cx);
    if !cx.color && level <= 2 {
        let longest = segs_lines_width(&segs, width);
        lines.push((if level == 1 { "=" } else { "-" }).repeat(longest));
    }
    lines
}

/// The width of the longest line [`wrap`] makes of `segs`, uncoloured.
fn segs_lines_width(segs: &[Seg], width: usize) -> usize {
    wrap(segs, width, Cx { color: false })
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

/// `lines` with `first` before the first and `rest` before the others
/// (blank lines stay blank).
fn prefixed(lines: Vec<String>, first: &str, rest: &str) -> Vec<String> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let prefix = if i == 0 { first } else { rest };
            if line.is_empty() {
                prefix.trim_end().to_owned()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect()
}

/// The inline content under `node` as styled runs.
fn inlines<'a>(node: &'a AstNode<'a>, style: Style, depth: usize) -> Vec<Seg> {
    let mut segs = Vec::new();
    inline_into(node, style, depth, &mut segs);
    segs
}

fn push(segs: &mut Vec<Seg>, text: &str, style: Style) {
    segs.push(Seg {
        text: text.to_owned(),
        style,
        atomic: false,
    });
}

fn inline_into<'a>(node: &'a AstNode<'a>, style: Style, depth: usize, segs: &mut Vec<Seg>) {
    for child in node.children() {
        if depth > MAX_DEPTH * 2 {
            push(segs, &plain(child), style);
            continue;
        }
        let deeper = |s: Style, segs: &mut Vec<Seg>| inline_into(child, s, depth + 1, segs);
        match &child.data().value {
            NodeValue::Text(t) => push(segs, t, style),
            NodeValue::Code(c) => segs.push(Seg {
                text: c.literal.clone(),
                style: Style {
                    code: true,
                    ..style
                },
                // A short span (`key = value`) stays on one line; a long one
                // wraps at its spaces like prose.
                atomic: c.literal.chars().count() <= ATOMIC_CODE,
            }),
            NodeValue::Emph => deeper(
                Style {
                    italic: true,
                    ..style
                },
                segs,
            ),
            NodeValue::Strong => deeper(
                Style {
                    bold: true,
                    ..style
                },
                segs,
            ),
            NodeValue::Strikethrough => deeper(
                Style {
                    strike: true,
                    ..style
                },
                segs,
            ),
            NodeValue::Link(link) => {
                deeper(
                    Style {
                        underline: true,
                        ..style
                    },
                    segs,
                );
                let text = plain(child);
                let url = link.url.as_str();
                // An anchor of the same page leads nowhere in a terminal.
                let same = text == url
                    || url.strip_prefix("mailto:") == Some(text.as_str())
                    || url.starts_with('#');
                if !url.is_empty() && !same {
                    push(segs, " ", style);
                    segs.push(Seg {
                        text: format!("<{url}>"),
                        style: Style { dim: true, ..style },
                        atomic: true,
                    });
                }
            }
            NodeValue::Image(link) => {
                push(segs, "[image: ", style);
                deeper(style, segs);
                push(segs, "]", style);
                if !link.url.is_empty() {
                    push(segs, " ", style);
                    segs.push(Seg {
                        text: format!("<{}>", link.url),
                        style: Style { dim: true, ..style },
                        atomic: true,
                    });
                }
            }
            NodeValue::SoftBreak => push(segs, " ", style),
            NodeValue::LineBreak => push(segs, "\n", style),
            NodeValue::HtmlInline(raw) | NodeValue::Raw(raw) => push(segs, raw, style),
            NodeValue::FootnoteReference(r) => push(segs, &format!("[{}]", r.name), style),
            NodeValue::TaskItem(_) | NodeValue::Paragraph => {
                // A task item's or a tight item's paragraph inside a cell or
                // a flattened block: its text, then a space.
                deeper(style, segs);
                push(segs, " ", style);
            }
            _ => deeper(style, segs),
        }
    }
}

/// The text of a node and its descendants, without markup.
fn plain<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for child in node.descendants() {
        match &child.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// A word: styled pieces with no space between them.
type Word = Vec<(String, Style)>;

/// Breaks styled runs into words and hard breaks (`None`).
fn words(segs: &[Seg]) -> Vec<Option<Word>> {
    let mut out: Vec<Option<Word>> = Vec::new();
    let mut word: Word = Vec::new();
    let add = |word: &mut Word, text: &str, style: Style| match word.last_mut() {
        Some((last, s)) if *s == style => last.push_str(text),
        _ => word.push((text.to_owned(), style)),
    };
    for seg in segs {
        if seg.atomic {
            add(&mut word, &seg.text, seg.style);
            continue;
        }
        if seg.text == "\n" {
            if !word.is_empty() {
                out.push(Some(std::mem::take(&mut word)));
            }
            out.push(None);
            continue;
        }
        for c in seg.text.chars() {
            if c.is_whitespace() {
                if !word.is_empty() {
                    out.push(Some(std::mem::take(&mut word)));
                }
            } else {
                let mut buf = [0u8; 4];
                add(&mut word, c.encode_utf8(&mut buf), seg.style);
            }
        }
    }
    if !word.is_empty() {
        out.push(Some(word));
    }
    out
}

/// Styled runs wrapped to `width` columns (a word longer than that gets a
/// line of its own). Runs of one style are painted once, spaces included.
fn wrap(segs: &[Seg], width: usize, cx: Cx) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line: Word = Vec::new();
    let mut used = 0;
    let flush = |line: &mut Word, lines: &mut Vec<String>| {
        let painted: String = line.iter().map(|(t, s)| paint(t, *s, cx.color)).collect();
        lines.push(painted);
        line.clear();
    };
    for word in words(segs) {
        let Some(word) = word else {
            flush(&mut line, &mut lines);
            used = 0;
            continue;
        };
        let len: usize = word.iter().map(|(t, _)| t.chars().count()).sum();
        if used > 0 && used + 1 + len > width {
            flush(&mut line, &mut lines);
            used = 0;
        }
        let mut pieces = word.into_iter();
        if let Some((first, style)) = pieces.next() {
            match line.last_mut() {
                Some((last, s)) if *s == style => {
                    last.push(' ');
                    last.push_str(&first);
                }
                Some(_) => {
                    line.push((" ".to_owned(), Style::default()));
                    line.push((first, style));
                }
                None => line.push((first, style)),
            }
        }
        line.extend(pieces);
        used += len + usize::from(used > 0);
    }
    if !line.is_empty() {
        flush(&mut line, &mut lines);
    }
    lines
}

/// A table: aligned columns under a header and a rule when it fits in
/// `width`, else one block per row, its first cell as a title and each
/// other cell under its column's name.
fn table<'a>(
    node: &'a AstNode<'a>,
    alignments: &[TableAlignment],
    width: usize,
    cx: Cx,
    depth: usize,
) -> Vec<String> {
    let rows: Vec<(bool, Vec<Vec<Seg>>)> = node
        .children()
        .map(|row| {
            let header = matches!(row.data().value, NodeValue::TableRow(true));
            let style = Style {
                bold: header,
                ..Style::default()
            };
            let cells = row
                .children()
                .map(|cell| inlines(cell, style, depth))
                .collect();
            (header, cells)
        })
        .collect();
    let columns = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
    let text_of =
        |segs: &[Seg], color: bool| -> String { wrap(segs, usize::MAX, Cx { color }).join(" ") };
    let mut widths = vec![0usize; columns];
    for (_, cells) in &rows {
        for (i, cell) in cells.iter().enumerate() {
            let w = text_of(cell, false).chars().count();
            if let Some(slot) = widths.get_mut(i) {
                *slot = (*slot).max(w);
            }
        }
    }
    let total = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
    let mut lines = Vec::new();
    if total <= width {
        for (header, cells) in &rows {
            let mut line = String::new();
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).map(Vec::as_slice).unwrap_or_default();
                let shown = text_of(cell, cx.color);
                let pad = w.saturating_sub(text_of(cell, false).chars().count());
                if i > 0 {
                    line.push_str("  ");
                }
                match alignments.get(i) {
                    Some(TableAlignment::Right) => {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(&shown);
                    }
                    Some(TableAlignment::Center) => {
                        line.push_str(&" ".repeat(pad / 2));
                        line.push_str(&shown);
                        line.push_str(&" ".repeat(pad - pad / 2));
                    }
                    _ => {
                        line.push_str(&shown);
                        line.push_str(&" ".repeat(pad));
                    }
                }
            }
            lines.push(line.trim_end().to_owned());
            if *header {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                lines.push(rule.join("  "));
            }
        }
        return lines;
    }
    let names: Vec<String> = rows
        .iter()
        .find(|(header, _)| *header)
        .map(|(_, cells)| cells.iter().map(|c| text_of(c, false)).collect())
        .unwrap_or_default();
    for (_, cells) in rows.iter().filter(|(header, _)| !header) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let mut cells = cells.iter().enumerate();
        if let Some((_, first)) = cells.next() {
            let title: Vec<Seg> = first
                .iter()
                .map(|s| Seg {
                    style: Style {
                        bold: true,
                        ..s.style
                    },
                    ..s.clone()
                })
                .collect();
            lines.extend(wrap(&title, width, cx));
        }
        for (i, cell) in cells {
            let name = names.get(i).map_or("", String::as_str);
            let mut segs = vec![Seg {
                text: format!("{name}:"),
                style: Style {
                    dim: true,
                    ..Style::default()
                },
                atomic: true,
            }];
            segs.push(Seg {
                text: " ".to_owned(),
                style: Style::default(),
                atomic: false,
            });
            segs.extend(cell.iter().cloned());
            lines.extend(prefixed(
                wrap(&segs, width.saturating_sub(4), cx),
                "  ",
                "    ",
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use comrak::{Arena, Options, parse_document};

    use super::*;

    fn shown(text: &str, color: bool) -> String {
        let mut options = Options::default();
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.tasklist = true;
        options.extension.strikethrough = true;
        options.extension.footnotes = true;
        let arena = Arena::new();
        render(parse_document(&arena, text, &options), color)
    }

    #[test]
    fn headings_code_and_inline_code_without_colour() {
        let text = "### What it does\nFinds `due` dates.\n```toml\ndue = 2026-12-01\n```\n";
        assert_eq!(
            shown(text, false),
            "What it does\n\nFinds due dates.\n\n    due = 2026-12-01\n"
        );
        assert_eq!(
            shown("# Title\n\n## Part two\n\ntext\n", false),
            "Title\n=====\n\nPart two\n--------\n\ntext\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let text = "## Why\n\n`x` is **bold** and *slanted*\n\n```\ncode\n```\n";
        let plain = shown(text, false);
        assert!(!plain.contains('\x1b'), "{plain:?}");
        let coloured = shown(text, true);
        assert_eq!(
            coloured,
            "\x1b[1;4mWhy\x1b[0m\n\n\x1b[36mx\x1b[0m is \x1b[1mbold\x1b[0m and \x1b[3mslanted\x1b[0m\n\n    \x1b[36mcode\x1b[0m\n"
        );
    }

    #[test]
    fn nested_and_ordered_lists_keep_markers_and_indentation() {
        let text = "- one\n  - two\n  - three\n- four\n\n3. [x] done\n4. [ ] open\n";
        assert_eq!(
            shown(text, false),
            "- one\n  - two\n  - three\n- four\n\n3. [x] done\n4. [ ] open\n"
        );
        let long = format!("1. {}\n", "word ".repeat(30));
        let out = shown(&long, false);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1 && lines[0].starts_with("1. word"), "{out}");
        assert!(lines[1..].iter().all(|l| l.starts_with("   word")), "{out}");
    }

    #[test]
    fn paragraphs_wrap_and_code_is_kept_as_written() {
        let long = "alpha ".repeat(40);
        let code = format!("```\n{}\n```\n", "x".repeat(120));
        let out = shown(&format!("{long}\n\n{code}"), false);
        let mut lines = out.lines();
        for line in lines.by_ref().take_while(|l| !l.is_empty()) {
            assert!(line.chars().count() <= WIDTH, "{line:?}");
        }
        assert_eq!(
            lines.next(),
            Some(format!("    {}", "x".repeat(120)).as_str())
        );
    }

    #[test]
    fn links_read_text_then_url() {
        let out = shown(
            "See [the docs](https://example.org/docs), <https://example.org>, [above](#top) \
             and ![a chart](chart.svg).\n",
            false,
        );
        assert_eq!(
            out,
            "See the docs <https://example.org/docs>, https://example.org, above and [image:\na chart] <chart.svg>.\n"
        );
    }

    #[test]
    fn a_table_that_fits_is_aligned_under_a_rule() {
        let text = "| key | type | required |\n|---|---|--:|\n| `title` | string | yes |\n| `draft` | bool | no |\n";
        assert_eq!(
            shown(text, false),
            "key    type    required\n-----  ------  --------\ntitle  string       yes\ndraft  bool          no\n"
        );
    }

    #[test]
    fn a_wide_table_becomes_one_block_per_row() {
        let meaning = "the users affected: a count when one is known, else a description as the source gives it";
        let text = format!(
            "| key | type | meaning |\n|---|---|---|\n| `users` | integer or string | {meaning} |\n| `slo` | string | the SLO |\n"
        );
        let out = shown(&text, false);
        assert!(
            out.starts_with("users\n  type: integer or string\n  meaning: the users affected"),
            "{out}"
        );
        assert!(
            out.contains("\n\nslo\n  type: string\n  meaning: the SLO\n"),
            "{out}"
        );
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH), "{out}");
    }

    #[test]
    fn deep_nesting_cannot_overflow_the_stack() {
        for text in [
            ">".repeat(50_000),
            "- ".repeat(20_000) + "x",
            "*".repeat(20_000) + "x" + &"*".repeat(20_000),
            "[".repeat(20_000) + "x",
        ] {
            let out = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || shown(&text, true))
                .unwrap()
                .join();
            assert!(out.is_ok());
        }
    }
}
