//! Characters, whitespace and lines of a text, for the plain text and the
//! one-line sources `Markdown::digest` takes from every body and for the
//! short lines written without comrak: byte-level where the text is ASCII,
//! since every body and every timeline entry goes through here.

/// Runs of whitespace become one space; no space at either end. What
/// `text.split_whitespace()` joined with spaces gives (Unicode's
/// whitespace, as [`char::is_whitespace`] says). The plain text of every
/// body goes through here, so it goes a byte at a time over ASCII and
/// copies stretches of words apart by one space whole, not word by word.
pub(super) fn squash_whitespace(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // The start of the stretch of words (apart by single spaces) not yet
    // copied, when in one.
    let mut stretch: Option<usize> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Printable ASCII but the space: most of any text.
        if b > b' ' && b < 0x80 {
            stretch.get_or_insert(i);
            let rest = bytes.get(i + 1..).unwrap_or_default();
            i += 1 + rest
                .iter()
                .position(|&b| b <= b' ' || b >= 0x80)
                .unwrap_or(rest.len());
            continue;
        }
        let (space, width) = class(text, i);
        if !space {
            stretch.get_or_insert(i);
            i += width;
            continue;
        }
        // A run of whitespace, from `gap` to `i`.
        let gap = i;
        i += width;
        while i < bytes.len() {
            let (space, width) = class(text, i);
            if !space {
                break;
            }
            i += width;
        }
        let Some(start) = stretch else {
            continue;
        };
        // One space between two words stays in the stretch.
        if i < bytes.len() && i - gap == 1 && bytes.get(gap) == Some(&b' ') {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text.get(start..gap).unwrap_or(""));
        stretch = None;
    }
    if let Some(start) = stretch {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text.get(start..).unwrap_or(""));
    }
    out
}

/// Whether the character at byte `i` of `text` is whitespace, and its
/// length in bytes.
#[inline]
fn class(text: &str, i: usize) -> (bool, usize) {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => (matches!(b, b'\t'..=b'\r' | b' '), 1),
        _ => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
    }
}

/// Where each line of a text starts, as [`str::lines`] splits it: the
/// source of a block is then a slice, not a walk over every line before it.
pub(super) struct LineStarts<'t> {
    text: &'t str,
    /// Byte offset of each line's start (the last may be the text's end).
    starts: Vec<usize>,
}

impl<'t> LineStarts<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineStarts { text, starts }
    }

    /// Lines `first..first + count` (0-based), with their line breaks.
    pub(super) fn span(&self, first: usize, count: usize) -> &'t str {
        let at = |line: usize| self.starts.get(line).copied().unwrap_or(self.text.len());
        let (from, to) = (at(first), at(first.saturating_add(count)));
        self.text.get(from..to).unwrap_or("")
    }
}

/// The ASCII characters a `simple_line` shows as written, besides
/// letters and digits.
const PLAIN_PUNCTUATION: &[u8] = b" ,.;:?!#'\"()/%+=->";

/// For each ASCII byte, whether a `simple_line` shows it as written.
const PLAIN_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < PLAIN_PUNCTUATION.len() {
        table[PLAIN_PUNCTUATION[i] as usize] = true;
        i += 1;
    }
    table
};

/// The length of the longest start of `text` made of characters a
/// `simple_line` shows as written: letters and digits of any script and
/// [`PLAIN_PUNCTUATION`]; a byte at a time over ASCII.
pub(super) fn plain_prefix(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(&plain) = PLAIN_ASCII.get(usize::from(b)) {
            if !plain {
                return i;
            }
            i += 1;
            continue;
        }
        match text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
            _ => return i,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random texts over letters, ASCII whitespace (vertical tab too),
    /// Unicode's whitespace and other non-ASCII characters.
    fn texts() -> Vec<String> {
        let alphabet: Vec<char> =
            "ab é\t\n\r\x0b\x0c\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}x\u{1c}"
                .chars()
                .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut out = vec![
            String::new(),
            " ".into(),
            "a".into(),
            "\n\n".into(),
            "a\r\nb\n".into(),
        ];
        for _ in 0..5_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (state >> 58) as usize;
            let mut r = state;
            let mut text = String::new();
            for _ in 0..len {
                r = r.rotate_left(9).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                text.push(alphabet[(r >> 40) as usize % alphabet.len()]);
            }
            out.push(text);
        }
        out
    }

    #[test]
    fn squashing_is_splitting_on_whitespace_and_joining() {
        for text in texts() {
            let slow = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squash_whitespace(&text), slow, "{text:?}");
        }
    }

    #[test]
    fn a_span_of_lines_squashed_is_those_lines_joined() {
        for text in texts() {
            let lines = LineStarts::new(&text);
            for first in 0..5 {
                for count in 1..4 {
                    let joined: Vec<&str> = text.lines().skip(first).take(count).collect();
                    let slow = joined
                        .join(" ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let fast = squash_whitespace(lines.span(first, count));
                    assert_eq!(fast, slow, "{text:?} {first} {count}");
                }
            }
        }
    }

    #[test]
    fn the_plain_start_of_a_line_is_the_characters_shown_as_written() {
        let shown = |c: char| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | ','
                        | '.'
                        | ';'
                        | ':'
                        | '?'
                        | '!'
                        | '#'
                        | '\''
                        | '"'
                        | '('
                        | ')'
                        | '/'
                        | '%'
                        | '+'
                        | '='
                        | '-'
                        | '>'
                )
        };
        let alphabet: Vec<char> =
            "aZ9 ,.;:?!#'\"()/%+=->`*_[]<&\\~|@\t\né\u{663}\u{2163}\u{a0}\u{1f600}"
                .chars()
                .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mut r = state;
            let text: String = (0..(state >> 60))
                .map(|_| {
                    r = r.rotate_left(9).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                    alphabet[(r >> 40) as usize % alphabet.len()]
                })
                .collect();
            let slow = text.find(|c: char| !shown(c)).unwrap_or(text.len());
            assert_eq!(plain_prefix(&text), slow, "{text:?}");
        }
    }
}
