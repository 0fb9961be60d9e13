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
    /// The runs of whole lines kept, as byte ranges of the whole text, in
    /// order and apart, each with where it starts in [`Excerpt::text`].
    kept: Vec<(Range<usize>, usize)>,
    /// The whole text's length.
    len: usize,
}

impl Excerpt {
    /// Cuts `text` down to the lines that `spans` touch, as
    /// [`super::SourceMap`] finds them: from the line of a span's start to
    /// the line of its end (the next line's when it ends after a line
    /// ending).
    ///
    /// Only the text around the spans is looked at line by line; the lines
    /// between are counted, not indexed (a record with findings is cut
    /// once per `pm lint`, and most of its lines are dropped).
    pub fn new(text: &str, spans: impl IntoIterator<Item = Range<usize>>) -> Excerpt {
        let bytes = text.as_bytes();
        // The line of an offset (past the end: the last line) starts after
        // the line ending before it and ends after the one at or after it.
        let line_start = |offset: usize| {
            let offset = offset.min(bytes.len());
            memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1)
        };
        let line_end = |offset: usize| {
            let offset = offset.min(bytes.len());
            memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i + 1)
        };
        // A span that ends on a line before the one it starts on keeps
        // nothing (its range of lines is empty).
        let mut runs: Vec<Range<usize>> = spans
            .into_iter()
            .map(|span| line_start(span.start)..line_end(span.end))
            .filter(|run| run.start < run.end)
            .collect();
        runs.sort_unstable_by_key(|run| run.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(runs.len());
        for run in runs {
            match merged.last_mut() {
                Some(last) if run.start <= last.end => last.end = last.end.max(run.end),
                _ => merged.push(run),
            }
        }
        // Each line dropped leaves its line ending: the line endings
        // between two runs, counted.
        let mut gaps = Vec::with_capacity(merged.len() + 1);
        let mut from = 0;
        for run in &merged {
            gaps.push(newlines(&bytes[from..run.start]));
            from = run.end;
        }
        gaps.push(newlines(&bytes[from..]));
        let size = gaps.iter().sum::<usize>() + merged.iter().map(|r| r.len()).sum::<usize>();
        let mut cut = String::with_capacity(size);
        let mut kept = Vec::with_capacity(merged.len());
        for (run, gap) in merged.into_iter().zip(&gaps) {
            cut.extend(std::iter::repeat_n('\n', *gap));
            kept.push((run.clone(), cut.len()));
            cut.push_str(&text[run]);
        }
        cut.extend(std::iter::repeat_n('\n', gaps.last().copied().unwrap_or(0)));
        Excerpt {
            text: cut,
            kept,
            len: text.len(),
        }
    }

    /// Where byte `offset` of the whole text is in the excerpt: the same
    /// place on a kept line, and as far past the end as it was. On an
    /// emptied line (no span passed to [`Excerpt::new`] is there), where
    /// the emptied lines it is among start.
    pub fn offset(&self, offset: usize) -> usize {
        if offset >= self.len {
            return self.text.len() + (offset - self.len);
        }
        let after = self.kept.partition_point(|(run, _)| run.start <= offset);
        match after.checked_sub(1).and_then(|i| self.kept.get(i)) {
            Some((run, at)) if offset < run.end => at + (offset - run.start),
            Some((run, at)) => at + run.len(),
            None => 0,
        }
    }

    /// [`Excerpt::offset`] of both ends of `span`.
    pub fn span(&self, span: &Range<usize>) -> Range<usize> {
        self.offset(span.start)..self.offset(span.end)
    }
}

/// How many `\n` `bytes` holds: 64 bytes at a time, each block counted in
/// a byte, which the compiler turns into vector compares.
fn newlines(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(64);
    let mut count = 0;
    for block in &mut blocks {
        let ones = block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
        count += usize::from(ones);
    }
    count + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
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

    /// The excerpt as it was first written, line by line over the whole
    /// text: the cut text must stay the same to the byte.
    fn line_by_line(text: &str, spans: &[Range<usize>]) -> String {
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
        for (line, &start) in line_starts.iter().enumerate() {
            let end = line_starts.get(line + 1).copied().unwrap_or(text.len());
            if kept[line] {
                cut.push_str(&text[start..end]);
            } else if end > start && text.as_bytes()[end - 1] == b'\n' {
                cut.push('\n');
            }
        }
        cut
    }

    #[test]
    fn the_cut_is_the_line_by_line_one() {
        let texts = [
            "a\nbb\n\nccc\nd\n",
            "a\nbb\n\nccc\nd",
            "\n\n\n",
            "",
            "one line",
            "x\r\ny\r\n\r\nz",
        ];
        for text in texts {
            let len = text.len();
            let offsets: Vec<usize> = (0..=len + 2).collect();
            let mut sets: Vec<Vec<Range<usize>>> = Vec::new();
            for &a in &offsets {
                for &b in &offsets {
                    sets.push(std::iter::once(a..b).collect());
                    sets.push(vec![a..a, b..b]);
                    sets.push(vec![b..b, a..(a + 1), (len / 2)..b]);
                }
            }
            for spans in sets {
                let excerpt = Excerpt::new(text, spans.iter().cloned());
                assert_eq!(
                    excerpt.text,
                    line_by_line(text, &spans),
                    "{spans:?} of {text:?}"
                );
                for span in spans.iter().filter(|s| s.start <= s.end) {
                    renders_alike(text, std::slice::from_ref(span));
                }
            }
        }
    }

    #[test]
    fn long_texts_are_cut_as_line_by_line() {
        let text: String = (0..400)
            .map(|i| format!("line {i}{}\n", "x".repeat(i % 70)))
            .collect();
        assert_eq!(newlines(text.as_bytes()), 400);
        assert_eq!(newlines(&text.as_bytes()[..text.len() - 1]), 399);
        let len = text.len();
        for spans in [
            std::iter::once(0..0).collect::<Vec<_>>(),
            vec![len / 3..len / 2, 10..12],
            vec![len - 5..len + 3, 5000..5001],
        ] {
            let excerpt = Excerpt::new(&text, spans.iter().cloned());
            assert_eq!(excerpt.text, line_by_line(&text, &spans), "{spans:?}");
            renders_alike(&text, &spans);
        }
    }
}
