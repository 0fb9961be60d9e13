//! A text cut down to the lines its diagnostics point at.
//!
//! `pm lint` reports on thousands of records and shows, for each finding,
//! only the lines its span touches; keeping every reported record's whole
//! text for that was half of its memory. An [`Excerpt`] keeps those lines
//! as written and every other line empty, line ending and all, so line
//! numbers, and columns on the lines kept, are the whole text's: every
//! output format reads the same from it once the diagnostics' spans are
//! moved with [`Excerpt::offset`].

use std::ops::Range;

/// A text with only some of its lines, at their line numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The lines kept as written; every other line empty.
    pub text: String,
    /// Where each line starts, in the whole text and in [`Excerpt::text`].
    starts: Vec<(usize, usize)>,
    /// Whether each line was kept.
    kept: Vec<bool>,
    /// The whole text's length.
    len: usize,
}

impl Excerpt {
    /// Cuts `text` down to the lines that `spans` touch, as
    /// [`super::SourceMap`] finds them: from the line of a span's start to
    /// the line of its end (the next line's when it ends after a line
    /// ending).
    pub fn new(text: &str, spans: impl IntoIterator<Item = Range<usize>>) -> Excerpt {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let line_of = |offset: usize| {
            line_starts
                .partition_point(|&start| start <= offset.min(text.len()))
                .saturating_sub(1)
        };
        let mut kept = vec![false; line_starts.len()];
        for span in spans {
            let lines = line_of(span.start)..=line_of(span.end);
            kept.get_mut(lines)
                .into_iter()
                .flatten()
                .for_each(|k| *k = true);
        }
        let mut cut = String::new();
        let mut starts = Vec::with_capacity(line_starts.len());
        for (line, &start) in line_starts.iter().enumerate() {
            starts.push((start, cut.len()));
            let end = line_starts.get(line + 1).copied().unwrap_or(text.len());
            if kept[line] {
                cut.push_str(&text[start..end]);
            } else if end > start && text.as_bytes()[end - 1] == b'\n' {
                cut.push('\n');
            }
        }
        Excerpt {
            text: cut,
            starts,
            kept,
            len: text.len(),
        }
    }

    /// Where byte `offset` of the whole text is in the excerpt: the same
    /// place on a kept line, the start of an emptied one, and as far past
    /// the end as it was.
    pub fn offset(&self, offset: usize) -> usize {
        if offset >= self.len {
            return self.text.len() + (offset - self.len);
        }
        let line = self
            .starts
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        let Some(&(start, moved)) = self.starts.get(line) else {
            return self.text.len();
        };
        if self.kept.get(line) == Some(&true) {
            moved + (offset - start)
        } else {
            moved
        }
    }

    /// [`Excerpt::offset`] of both ends of `span`.
    pub fn span(&self, span: &Range<usize>) -> Range<usize> {
        self.offset(span.start)..self.offset(span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, SourceMap, render_human, render_json_line};

    /// Every span of `text` renders the same from its excerpt as from the
    /// whole text, in the human and the JSON formats.
    fn renders_alike(text: &str, spans: &[Range<usize>]) {
        let excerpt = Excerpt::new(text, spans.iter().cloned());
        let mut whole = SourceMap::default();
        whole.insert("r.md", std::sync::Arc::new(text.to_owned()));
        let mut cut = SourceMap::default();
        cut.insert("r.md", std::sync::Arc::new(excerpt.text.clone()));
        for span in spans {
            let d = Diagnostic::warning("some_lint", "r.md", "something").label("here");
            let (a, b) = (d.clone().at(span.clone()), d.at(excerpt.span(span)));
            assert_eq!(
                render_human(&a, &whole, false),
                render_human(&b, &cut, false),
                "{span:?} of {text:?}"
            );
            assert_eq!(
                render_json_line(&a, &whole),
                render_json_line(&b, &cut),
                "{span:?} of {text:?}"
            );
        }
    }

    #[test]
    fn an_excerpt_keeps_line_numbers_and_only_the_lines_pointed_at() {
        let text = "+++\ntitle = \"x\"\nseverity = \"SEV9\"\n\n[[timeline]]\nat = 09:00:00\n+++\n\n## Body\ntext\n";
        let severity = text.find("\"SEV9\"").unwrap_or(0);
        let excerpt = Excerpt::new(text, std::iter::once(severity..severity + 6));
        assert_eq!(excerpt.text, "\n\nseverity = \"SEV9\"\n\n\n\n\n\n\n\n");
        assert_eq!(excerpt.text.lines().count(), text.lines().count());
        assert_eq!(excerpt.offset(severity), 2 + "severity = ".len());
    }

    #[test]
    fn spans_render_the_same_from_an_excerpt() {
        let text = "\u{feff}+++\r\ntitle = \"Ünïcode — x\"\r\n\r\n[[actions]]\r\ntext = \"a\"\r\n+++\r\nlast line, no ending";
        let len = text.len();
        let mut spans = vec![0..3, 3..6, len..len, len - 4..len, len + 5..len + 9];
        for (i, _) in text.char_indices() {
            spans.push(i..i);
            spans.push(i..(i + 7).min(len));
        }
        for span in &spans {
            renders_alike(text, std::slice::from_ref(span));
        }
        // Many spans at once: each still renders as from the whole text.
        renders_alike(text, &spans[..8]);
        let lf = "a\nbb\n\nccc\nd\n";
        renders_alike(lf, &[0..1, 2..4, 4..5, 5..5, 6..9, 11..12]);
    }
}
