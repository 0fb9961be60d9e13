//! A body's outline (headings, raw-HTML lines, link targets) on
//! `pulldown-cmark`, a pull parser: what the lints read of every body,
//! without building comrak's tree of the whole document.
//!
//! Both libraries parse CommonMark with the same GitHub extensions
//! (tables, strikethrough, task lists, footnotes), so a document's outline
//! is the same from either: `markdown/differential.rs` holds this one to
//! comrak's tree on documents written to part them and on random ones.
//! Where they part, this one is kept, and the tests say why: a footnote
//! definition that nothing refers to is in the outline (comrak drops it
//! from the page, but a link in it is still a broken link of the record),
//! and lines after a link reference definition that opens a paragraph are
//! numbered right (comrak's are off by the definition's lines).

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

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

/// What the lints read of a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// 1-based body lines holding raw HTML, each once.
    pub raw_html_lines: Vec<usize>,
    /// Link and image targets in order (links written as links: bare URLs
    /// are left out).
    pub links: Vec<Link>,
}

/// The outline of `text`.
pub fn outline(text: &str) -> Outline {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut lines = Lines::new(text);
    let mut out = Outline::default();
    // The heading being read: its level, line and text so far.
    let mut heading: Option<Heading> = None;
    for (event, at) in Parser::new_ext(text, options).into_offset_iter() {
        let into = &mut out;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(Heading {
                    level: level as u8,
                    text: String::new(),
                    line: lines.line_of(&at),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut done) = heading.take() {
                    let trimmed = done.text.trim();
                    if trimmed.len() != done.text.len() {
                        done.text = trimmed.to_owned();
                    }
                    into.headings.push(done);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
            }
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
                let line = lines.line_of(&at);
                if into.raw_html_lines.last() != Some(&line) {
                    into.raw_html_lines.push(line);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => into.links.push(Link {
                url: match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                },
                image: false,
                line: lines.line_of(&at),
            }),
            Event::Start(Tag::Image { dest_url, .. }) => into.links.push(Link {
                url: dest_url.into_string(),
                image: true,
                line: lines.line_of(&at),
            }),
            _ => {}
        }
    }
    out
}

/// Line numbers of byte offsets, counted from the last offset asked about
/// (events come in order of their start).
/// A line ends at `\n`, `\r\n` or a lone `\r`, as in CommonMark.
struct Lines<'a> {
    text: &'a [u8],
    /// An offset already counted, and its 1-based line.
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the start of `range`.
    fn line_of(&mut self, range: &Range<usize>) -> usize {
        let to = range.start.min(self.text.len());
        // Line endings between the two offsets, counted forward or back, so
        // the work stays linear in the distance moved.
        let (from, till) = if to >= self.at {
            (self.at, to)
        } else {
            (to, self.at)
        };
        let between = self.text.get(from..till).unwrap_or_default();
        // A `\r` followed by `\n` is counted with its `\n`.
        let endings = memchr::memchr_iter(b'\n', between).count()
            + memchr::memchr_iter(b'\r', between)
                .filter(|&i| self.text.get(from + i + 1) != Some(&b'\n'))
                .count();
        if to >= self.at {
            self.line += endings;
        } else {
            self.line = self.line.saturating_sub(endings).max(1);
        }
        self.at = to;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asked in any order, each offset's line is the one counted from the
    /// start: `\n`, `\r\n` and a lone `\r` each end a line.
    #[test]
    fn lines_are_counted_in_any_order() {
        let text = "a\nb\r\nc\rd\n\ne";
        let from_start = |at: usize| {
            let mut lines = Lines::new(text);
            lines.line_of(&(at..at))
        };
        let offsets = [11, 0, 7, 3, 10, 5, 1, 9, 6, 2, 8, 4];
        let mut lines = Lines::new(text);
        for at in offsets {
            assert_eq!(lines.line_of(&(at..at)), from_start(at), "{at}");
        }
        let expected: Vec<usize> = (0..text.len()).map(from_start).collect();
        assert_eq!(expected, vec![1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6]);
    }
}
