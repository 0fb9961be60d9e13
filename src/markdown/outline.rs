//! A fast path for a body's outline: the headings and link targets `pm lint`
//! reads, found by one pass over the lines instead of comrak's full parse.
//!
//! [`fast`] only ever answers "here is the outline" or "not mine" (`None`),
//! like the front-matter fast path: anything it is not sure comrak reads the
//! same way goes to comrak. When it answers, the outline is the one
//! [`super::Markdown::outline`] gets from comrak, line numbers included:
//! [`compare`] is the judge, run by the unit tests on hand-written traps and
//! random documents, by the integration tests on every record pm ships and
//! by the `fast_outline` fuzz target.
//!
//! Why a subset is enough: at [`super::Depth::Outline`] comrak runs without
//! its autolink extension, so a link needs a `[` and raw HTML a `<`. A body
//! whose prose has no `<` has no raw HTML, and one whose prose brackets all
//! form plain one-line `[text](url)` links has exactly those links. Headings
//! are the ATX lines outside code blocks. What makes that hard is telling
//! prose from code and finding where a code span ends, so the subset is
//! written around those:
//!
//! - fenced code blocks are tracked, and a fence whose container pm cannot
//!   see (a fence on a list marker's line, a closing fence indented
//!   differently from its opening one) is not the subset's;
//! - no block quotes, setext headings, tabs in a line's indentation, link
//!   reference or footnote definitions (`]:` outside code blocks), carriage
//!   returns or NULs;
//! - a line indented four spaces or more (indented code at the top level,
//!   list content inside a list) holds no `#`, `[`, `]`, `<` or fence;
//! - headings' text is plain: letters, digits, spaces and `,.;:?!'"()/%+=-@`;
//! - where a paragraph holds `[`, `]` or `<`, every line of it pairs its own
//!   single backticks (so no code span crosses a line), and no `\` stands
//!   on a line with a bracket;
//! - brackets outside code spans only in links `[text](url)` or images
//!   `![alt](url)` on one line, text of two or more characters without
//!   brackets, the target of printable ASCII without spaces, parentheses,
//!   `<`, `>`, `\` or backticks (nor an entity), no title, not on a line
//!   with a `|` (a table cell boundary could cut it);
//! - `<` only inside code spans.

use super::{Heading, Link, Rendered};

/// The outline comrak would give `text`, or `None` when `text` is not in
/// the subset (see the module's documentation).
pub fn fast(text: &str) -> Option<Rendered> {
    if text.starts_with('\u{feff}') || memchr::memchr2(b'\r', b'\0', text.as_bytes()).is_some() {
        return None;
    }
    let mut out = Rendered::default();
    let mut fence: Option<Fence> = None;
    let mut prev_blank = true;
    let mut run = Run::default();
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let leading = indent
            + bytes[indent..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
        let blank = leading == bytes.len();
        let tab_in_indent = leading > indent;
        let rest = &line[indent..];
        if let Some(open) = &fence {
            if blank {
                continue;
            }
            if open.indent > 0 && (tab_in_indent || indent < open.indent) {
                // The fence may sit in a list item this line ends.
                return None;
            }
            if open.closed_by(&line[leading..]) {
                if tab_in_indent || indent != open.indent {
                    return None;
                }
                fence = None;
                prev_blank = false;
            }
            continue;
        }
        if blank {
            run.end()?;
            prev_blank = true;
            continue;
        }
        let marks = Marks::of(bytes);
        if tab_in_indent || marks.definition {
            // `]:` may end a link reference or footnote definition.
            return None;
        }
        if underline_like(rest) && !prev_blank {
            // A setext heading's underline, or a thematic break.
            return None;
        }
        prev_blank = false;
        if list_item_content(rest).is_some_and(|content| !plain_item_start(content)) {
            return None;
        }
        if indent >= 4 {
            // Indented code, or content of a list item: either way nothing
            // an outline holds may stand on it.
            if rest.starts_with(['#', '>']) || Fence::open(rest).is_some() || marks.special {
                return None;
            }
            run.add(marks)?;
            continue;
        }
        if rest.starts_with('>') {
            return None;
        }
        if let Some(open) = Fence::open(rest) {
            run.end()?;
            fence = Some(Fence { indent, ..open? });
            continue;
        }
        if rest.starts_with('#') && rest.trim_start_matches('#').starts_with('\t') {
            return None;
        }
        if let Some((level, title)) = atx_heading(rest) {
            run.end()?;
            if !title.chars().all(plain_heading_char) {
                return None;
            }
            out.headings.push(Heading {
                level,
                text: title.to_owned(),
                line: number,
            });
            continue;
        }
        run.add(marks)?;
        if marks.special {
            if marks.pipe {
                // A table row's `|` could cut a link in two.
                return None;
            }
            links(line, number, &mut out.links)?;
        }
    }
    if fence.is_some_and(|open| open.indent > 0) {
        return None;
    }
    run.end()?;
    Some(out)
}

/// A fenced code block's opening: its character, length and indentation.
#[derive(Debug, Clone, Copy)]
struct Fence {
    ch: u8,
    len: usize,
    indent: usize,
}

impl Fence {
    /// The fence `rest` (a line after its indentation) opens: `None` when
    /// it opens none, `Some(None)` when it may or may not (a backtick in a
    /// backtick fence's info string makes the line a paragraph).
    fn open(rest: &str) -> Option<Option<Fence>> {
        let ch = *rest.as_bytes().first()?;
        if ch != b'`' && ch != b'~' {
            return None;
        }
        let len = rest.bytes().take_while(|&b| b == ch).count();
        if len < 3 {
            return None;
        }
        if ch == b'`' && rest[len..].contains('`') {
            return Some(None);
        }
        Some(Some(Fence { ch, len, indent: 0 }))
    }

    /// Whether `rest` (a line inside the block, after its indentation)
    /// closes it: the same character at least as many times, then only
    /// spaces or tabs.
    fn closed_by(&self, rest: &str) -> bool {
        let len = rest.bytes().take_while(|&b| b == self.ch).count();
        len >= self.len && rest[len..].bytes().all(|b| b == b' ' || b == b'\t')
    }
}

/// What one line (outside code blocks) holds of the bytes the subset
/// watches, found in one pass.
#[derive(Debug, Clone, Copy)]
struct Marks {
    /// A `[`, `]` or `<`.
    special: bool,
    /// A `\`.
    backslash: bool,
    /// A `|`.
    pipe: bool,
    /// A `]:`.
    definition: bool,
    /// Only single backticks, an even number of them.
    paired: bool,
}

impl Marks {
    fn of(line: &[u8]) -> Marks {
        // One table lookup per byte; the rarer questions (`]:`, how the
        // backticks fall) are asked only of lines that hold the bytes.
        let seen = line.iter().fold(0, |seen, &b| seen | CLASS[usize::from(b)]);
        let has = |class: u8| seen & class != 0;
        Marks {
            special: has(SPECIAL),
            backslash: has(BACKSLASH),
            pipe: has(PIPE),
            definition: has(CLOSE) && memchr::memmem::find(line, b"]:").is_some(),
            paired: !has(TICK)
                || (memchr::memchr_iter(b'`', line).count().is_multiple_of(2)
                    && memchr::memmem::find(line, b"``").is_none()),
        }
    }
}

/// The classes of bytes [`Marks`] looks for.
const SPECIAL: u8 = 1;
const BACKSLASH: u8 = 2;
const PIPE: u8 = 4;
const CLOSE: u8 = 8;
const TICK: u8 = 16;

/// Each byte's classes.
static CLASS: [u8; 256] = {
    let mut class = [0; 256];
    class[b'[' as usize] = SPECIAL;
    class[b'<' as usize] = SPECIAL;
    class[b']' as usize] = SPECIAL | CLOSE;
    class[b'\\' as usize] = BACKSLASH;
    class[b'|' as usize] = PIPE;
    class[b'`' as usize] = TICK;
    class
};

/// The lines of one paragraph-like run (consecutive non-blank lines outside
/// fences and headings): whether any holds a bracket or `<`, and whether
/// any leaves a code span open or writes one with two or more backticks or
/// a backslash (after which pairing backticks line by line may be wrong).
#[derive(Debug, Default)]
struct Run {
    special: bool,
    unpaired: bool,
}

impl Run {
    fn add(&mut self, marks: Marks) -> Option<()> {
        if marks.special && marks.backslash {
            return None;
        }
        self.special |= marks.special;
        self.unpaired |= marks.backslash || !marks.paired;
        Some(())
    }

    fn end(&mut self) -> Option<()> {
        let clean = !(self.special && self.unpaired);
        *self = Run::default();
        clean.then_some(())
    }
}

/// Whether `rest` is only `-`, `=`, spaces and tabs: a setext underline, a
/// thematic break or an empty list item, which the subset leaves alone
/// after a non-blank line.
fn underline_like(rest: &str) -> bool {
    matches!(rest.as_bytes().first(), Some(b'-' | b'='))
        && rest
            .bytes()
            .all(|b| matches!(b, b'-' | b'=' | b' ' | b'\t'))
}

/// What follows a list marker (`-`, `*`, `+`, `1.` or `1)` and a space) on
/// `rest`, or `None` when `rest` does not open a list item.
fn list_item_content(rest: &str) -> Option<&str> {
    let bytes = rest.as_bytes();
    let marker = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match bytes.get(marker) {
        None => Some(""),
        Some(b' ' | b'\t') => Some(&rest[marker..]),
        Some(_) => None,
    }
    .map(|after| after.strip_prefix(' ').unwrap_or(after))
}

/// Whether a list item's first line, after its marker, starts a paragraph
/// the subset reads: not code (indented further), nor another block (a
/// heading, a quote, a fence, a nested item).
fn plain_item_start(content: &str) -> bool {
    let inner = content.trim_start_matches(' ');
    content.len() - inner.len() < 3
        && !inner.starts_with(['\t', '#', '>'])
        && Fence::open(inner).is_none()
        && list_item_content(inner).is_none()
}

/// An ATX heading's level and trimmed text (`## Impact` → `(2, "Impact")`).
fn atx_heading(rest: &str) -> Option<(u8, &str)> {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    let level = u8::try_from(hashes).ok().filter(|l| (1..=6).contains(l))?;
    let after = &rest[hashes..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((level, after.trim_matches(' ')))
}

/// A character a heading's text may hold in the subset: one with no
/// Markdown meaning inside a heading.
fn plain_heading_char(c: char) -> bool {
    c.is_alphanumeric() || " ,.;:?!'\"()/%+=-@".contains(c)
}

/// A character a link target may hold in the subset: printable ASCII that
/// comrak takes as written.
fn plain_url_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'(' | b')' | b'<' | b'>' | b'\\' | b'`')
}

/// Appends the links and images of `line` to `links`; `None` when the
/// line's brackets or `<` are anything else.
fn links(line: &str, number: usize, links: &mut Vec<Link>) -> Option<()> {
    let bytes = line.as_bytes();
    let mut in_code = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'`' => in_code = !in_code,
            _ if in_code => {}
            b'<' | b']' => return None,
            b'[' => {
                let image = i > 0 && bytes.get(i - 1) == Some(&b'!');
                let (url, end) = link_at(line, i)?;
                links.push(Link {
                    url: url.to_owned(),
                    image,
                    line: number,
                });
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Some(())
}

/// The target of the link whose `[` is at `open` in `line`, and the index
/// after its `)`.
fn link_at(line: &str, open: usize) -> Option<(&str, usize)> {
    let bytes = line.as_bytes();
    let mut in_code = false;
    let mut close = None;
    for (i, &b) in bytes.iter().enumerate().skip(open + 1) {
        match b {
            b'`' => in_code = !in_code,
            _ if in_code => {}
            b'[' | b'<' => return None,
            b']' => {
                close = Some(i);
                break;
            }
            _ => {}
        }
    }
    let close = close?;
    let text = &line[open + 1..close];
    if text.chars().count() < 2 || text.starts_with('^') {
        return None;
    }
    let after = line[close + 1..].strip_prefix('(')?;
    let len = after.bytes().take_while(|&b| plain_url_byte(b)).count();
    let url = &after[..len];
    if url.is_empty() || !after[len..].starts_with(')') {
        return None;
    }
    if url.find('&').is_some_and(|amp| url[amp..].contains(';')) {
        return None;
    }
    Some((url, close + 1 + 1 + len + 1))
}

/// Runs the fast path and comrak on `text`: `Ok(true)` when the fast path
/// answered and agrees, `Ok(false)` when it left `text` to comrak, `Err`
/// with both outlines when they differ.
pub fn compare(markdown: &super::Markdown, text: &str) -> Result<bool, String> {
    let Some(fast) = fast(text) else {
        return Ok(false);
    };
    let slow = markdown.digest_with_comrak(text, super::Depth::Outline);
    if fast == slow {
        Ok(true)
    } else {
        Err(format!(
            "the fast outline differs from comrak's on {text:?}:\nfast: {fast:#?}\ncomrak: {slow:#?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Markdown;

    fn agrees(text: &str) -> bool {
        compare(&Markdown::new(), text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_typical_body_takes_the_fast_path() {
        let body = "\n## Summary\n\nThe `api` pool ran dry.\n\n## Impact\n\n\
                    | metric | before |\n|---|---:|\n| errors | 1 % |\n\n\
                    ```text\n\tat com.acme.Foo(Foo.java:1)\n# not a heading\n[not](a-link)\n```\n\n\
                    1. Failed over\n2. See [the runbook](https://wiki.example.com/r?a=1&b=2)\n\n\
                    - ![graph](attachments/graph.png) and [`p99` board](dash/p99)\n";
        assert!(agrees(body));
        let outline = fast(body).unwrap_or_default();
        let headings: Vec<_> = outline
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.line))
            .collect();
        assert_eq!(headings, [(2, "Summary", 2), (2, "Impact", 6)]);
        let links: Vec<_> = outline
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.image, l.line))
            .collect();
        assert_eq!(
            links,
            [
                ("https://wiki.example.com/r?a=1&b=2", false, 19),
                ("attachments/graph.png", true, 21),
                ("dash/p99", false, 21),
            ]
        );
    }

    #[test]
    fn what_the_subset_cannot_see_goes_to_comrak() {
        for text in [
            // A setext heading, and a one-dash one.
            "Title\n=====\n",
            "para\n-\n",
            // A block quote, raw HTML, an autolink.
            "> [a](b)\n",
            "hello <b>there</b>\n",
            "see <https://example.com>\n",
            // A heading or a link where a list's indentation decides.
            "- item\n\n    # four\n",
            "-     [ab](c)\n",
            "- # heading in an item\n",
            // A fence in a list item that the next line may end.
            "- item\n  ```\n- next\n# heading\n  ```\n",
            "- ```\n  # code\n  ```\n",
            // Code spans across lines, long code spans, escapes.
            "text `a\nb` [xy](z)\n",
            "``a`` [xy](z)\n",
            "\\[xy](z)\n",
            // Links the subset does not read.
            "[xy](z \"title\")\n",
            "[xy](<z>)\n",
            "[multi\nline](z)\n",
            "[xy][ref]\n\n[ref]: /u\n",
            "[^1] note\n\n[^1]: the note\n",
            "| [a|b](c) |\n|---|\n",
            "[x](y) a one-letter text may be a task\n",
            "[a [b](c)](d)\n",
            "a [bracket] alone, a stray ] or ](\n",
            "[ab](c&amp;d)\n",
            // Headings with inline syntax.
            "# The `api` outage\n",
            "## Root cause ##\n",
            "# *Impact*\n",
            // Carriage returns, tabs in the indentation.
            "# A\r\n",
            "\t# A\n",
        ] {
            assert!(fast(text).is_none(), "the fast path took {text:?}");
            assert!(!agrees(text));
        }
    }

    #[test]
    fn what_the_subset_takes_it_reads_as_comrak_does() {
        for text in [
            "",
            "\n\n",
            "# A\n## B c\n###### six\n####### seven\n#hashtag\n",
            "#    Spaced   title   \n",
            "text\n  ## indented heading\n",
            "- item\n  # heading in item\n",
            "1. one\n\n   ```\n   # no\n   ```\n# yes\n",
            "```\n~~~\n[a](b)\n```\n[cd](e)\n",
            "~~~ info with ``` backticks\n# no\n~~~~\n# yes\n",
            "```\nunclosed\n# code\n",
            "para line\nsecond [ab](http://x/y?a=1&b=2) end\n",
            "- [ab](u) first\n- `c` [de](v)\n",
            "a `[` in code, then [a `]` b](c) and `<T>`\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n# heading after table\n[xy](z) row\n",
            "Thematic break\n\n---\n\n***\n",
            "no link: (parens) and ! alone\n",
        ] {
            assert!(fast(text).is_some(), "the fast path refused {text:?}");
            assert!(agrees(text));
        }
    }

    #[test]
    fn random_documents_read_as_comrak_reads_them() {
        // Lines drawn from pieces that carry every construct the subset
        // must tell apart, joined at random: whenever the fast path answers,
        // comrak must give the same outline.
        let pieces = [
            "# H",
            "## Two words",
            "   ### x",
            "    # four",
            "#x",
            "- ",
            "1. ",
            "  ",
            "    ",
            "```",
            "~~~",
            "```sh",
            "````",
            "`",
            "``",
            "[",
            "]",
            "(",
            ")",
            "![",
            "[ab](c)",
            "[ab](c d)",
            "](",
            "<",
            ">",
            "|",
            "---",
            "===",
            "-",
            "=",
            "\\",
            "&",
            ";",
            "text",
            " more",
            "*",
            "_",
            "\t",
            "[^",
            "]:",
            "x",
        ];
        let markdown = Markdown::new();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut taken = 0;
        for _ in 0..30_000 {
            let mut text = String::new();
            let lines = next() % 6 + 1;
            for _ in 0..lines {
                for _ in 0..next() % 5 + 1 {
                    let r = usize::try_from(next() % pieces.len() as u64).unwrap_or(0);
                    text.push_str(pieces[r]);
                }
                text.push('\n');
            }
            if compare(&markdown, &text).unwrap_or_else(|e| panic!("{e}")) {
                taken += 1;
            }
        }
        // The test proves nothing if the fast path never answers.
        assert!(taken > 3_000, "the fast path took only {taken} documents");
    }
}
