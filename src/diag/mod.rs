//! Diagnostics: problems found in the *content* of a repository.
//!
//! Every stage that reads records reports what is wrong with them here, as
//! [`Diagnostic`] values collected in [`Diagnostics`]; nothing in this module
//! decides whether a problem is fatal, and nothing here touches the disk.
//! Operational failures (I/O, git, templates) are [`crate::Error`] instead.
//!
//! Rendering is split by format: [`render_human`] prints rustc-style reports
//! with a source snippet, [`render_json_line`] one stable JSON object per line.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};
use serde::Serialize;

pub mod codes;
pub mod excerpt;

/// How serious a diagnostic is, after level resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails `pm lint` and stops `pm build`.
    Error,
    /// Shown, never blocks (unless `--fail-on warning`).
    Warning,
}

impl Level {
    /// The lowercase word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// One problem in one file.
///
/// `span` is a byte range into the file as read from disk (BOM included), so
/// every output format can point at the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The lint (or schema check) that found it: snake_case, stable, used by `allow`.
    pub code: &'static str,
    /// Repository-relative path with `/` separators.
    pub file: String,
    /// Byte range in the file, when the problem has a place.
    pub span: Option<Range<usize>>,
    /// What is wrong: lowercase, no trailing period.
    pub message: String,
    /// A short label drawn under the span.
    pub label: Option<String>,
    /// Why it matters, or where its level came from.
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error-level diagnostic.
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code,
            file: file.into(),
            span: None,
            message: message.into(),
            label: None,
            notes: Vec::new(),
            help: None,
        }
    }

    /// A new warning-level diagnostic.
    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Points the diagnostic at a byte range of its file.
    #[must_use]
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Points the diagnostic at a byte range, when there is one.
    #[must_use]
    pub fn at_opt(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    /// Adds a label under the span.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a `= note:` line.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the `= help:` line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The text of every file diagnostics may point into, keyed by repo-relative path.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, Source>,
}

/// A file's text, shared by the parsed record, the model and diagnostics.
/// An `Arc<String>` rather than an `Arc<str>`: the string is the very buffer
/// the file was read into, so turning bytes into text copies nothing.
pub type Text = Arc<String>;

/// One registered file: its text and, built on first use, where its lines
/// start. With the index, locating a diagnostic costs the length of its own
/// lines, not of the whole file: a big record with thousands of findings
/// stays linear instead of costing their product.
#[derive(Debug, Clone)]
struct Source {
    text: Text,
    line_starts: OnceLock<Vec<usize>>,
}

impl Source {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Byte range of 0-based `line`, without its line ending.
    fn line_range(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts.get(line).copied().unwrap_or(self.text.len());
        let end = starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        start..end.max(start)
    }
}

impl SourceMap {
    /// Registers a file's text (lossily decoded when it was not UTF-8).
    pub fn insert(&mut self, file: impl Into<String>, text: Text) {
        self.files.insert(
            file.into(),
            Source {
                text,
                line_starts: OnceLock::new(),
            },
        );
    }

    /// The text of a file, when known.
    pub fn get(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(|s| s.text.as_str())
    }

    /// 1-based line and column (in characters) of a byte offset in a file.
    /// The same as [`line_col`] on the file's text, without reading the
    /// lines before the offset.
    pub fn line_col(&self, file: &str, offset: usize) -> (usize, usize) {
        let Some(source) = self.files.get(file) else {
            return (1, 1);
        };
        let text = &*source.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = source.line_of(offset);
        let start = source.line_range(line).start.min(offset);
        (line + 1, column(&text[start..offset]))
    }

    /// The whole lines a span of a file touches, as a byte range, and the
    /// 1-based number of the first.
    fn lines_around(&self, file: &str, span: &Range<usize>) -> Option<(Range<usize>, usize)> {
        let source = self.files.get(file)?;
        let first = source.line_of(span.start);
        let last = source.line_of(span.end);
        let mut range = source.line_range(first).start..source.line_range(last).end;
        // A CRLF line ends at its `\r` too, as it does for the renderer.
        if source.text[range.clone()].ends_with('\r') && span.end < range.end {
            range.end -= 1;
        }
        Some((range, first + 1))
    }
}

/// 1-based column after `before`, the text from a line's start: characters,
/// not bytes, and a BOM does not count.
fn column(before: &str) -> usize {
    before.chars().filter(|c| *c != '\u{feff}').count() + 1
}

/// 1-based line and column (in characters) of `offset` in `text`.
///
/// A UTF-8 BOM does not count as a column; an offset past the end or inside a
/// character is clamped to the nearest character boundary before it.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, column(&text[line_start..offset]))
}

/// All diagnostics of a run, with the sources they point into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Whether `items` is in [`Self::sort`]'s order (nothing pushed since).
    sorted: bool,
    /// Texts of the files diagnostics point into.
    pub sources: SourceMap,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
        self.sorted = false;
    }

    /// The diagnostics, without the texts they point into.
    pub fn into_items(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
        self.sorted = false;
    }

    /// The diagnostics of one file. After [`Self::sort`] this is a binary
    /// search, so asking once per page stays linear in the pages.
    pub fn of_file<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        let (lo, hi) = if self.sorted {
            let lo = self.items.partition_point(|d| d.file.as_str() < file);
            let len = self.items[lo..].partition_point(|d| d.file == file);
            (lo, lo + len)
        } else {
            (0, self.items.len())
        };
        self.items[lo..hi].iter().filter(move |d| d.file == file)
    }

    /// Number of diagnostics at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.items.iter().filter(|d| d.level == level).count()
    }

    /// Whether any error-level diagnostic stands.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.level == Level::Error)
    }

    /// The diagnostics, in the order they were pushed (call [`Self::sort`] first for output).
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Keeps only the diagnostics `keep` accepts.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Sorts by file, position, level, code and message, and drops exact duplicates,
    /// so output is the same whatever order files were read in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (
                &a.file,
                a.span.as_ref().map(|s| (s.start, s.end)),
                a.level,
                a.code,
                &a.message,
            )
                .cmp(&(
                    &b.file,
                    b.span.as_ref().map(|s| (s.start, s.end)),
                    b.level,
                    b.code,
                    &b.message,
                ))
        });
        self.items.dedup();
        self.sorted = true;
    }
}

/// Renders one diagnostic as rustc does: header, location, snippet, notes and help.
pub fn render_human(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let level = match diagnostic.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
    };
    let mut group = Group::with_title(
        level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code),
    );
    let file = printable(&diagnostic.file);
    let source = sources.get(&diagnostic.file);
    match (source, &diagnostic.span) {
        (Some(text), Some(span)) => {
            let span = clamp_span(text, span.clone());
            // Only the lines the span touches: the renderer reads all the
            // text it is given, once per diagnostic.
            let (window, first_line) = sources
                .lines_around(&diagnostic.file, &span)
                .unwrap_or((0..text.len(), 1));
            let local = span.start - window.start..span.end - window.start;
            let mut annotation = AnnotationKind::Primary.span(local);
            if let Some(label) = &diagnostic.label {
                annotation = annotation.label(label.as_str());
            }
            group = group.element(
                Snippet::source(&text[window])
                    .line_start(first_line)
                    .path(file.as_ref())
                    .fold(true)
                    .annotation(annotation),
            );
        }
        // `<command line>` and other pseudo-files have no place to point at.
        _ if diagnostic.file.starts_with('<') => {}
        _ => {
            group = group.element(annotate_snippets::Origin::path(file.as_ref()));
        }
    }
    for note in &diagnostic.notes {
        group = group.element(SnippetLevel::NOTE.message(note.as_str()));
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let report: [Group<'_>; 1] = [group];
    renderer.render(&report)
}

/// Text safe to print on a terminal or in a CI log: every control character
/// (ESC, BEL, a newline, DEL, C1 controls) is written as a Rust escape (`\u{1b}`,
/// `\n`), so a file name cannot colour the output, move the cursor, or start
/// a new line or workflow command. Borrowed when there is nothing to escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.contains(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Keeps a span inside the text and on character boundaries; widens an empty
/// span to one character so the caret has something to point at.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start
        && let Some(c) = text[start..].chars().next()
        && c != '\n'
        && c != '\r'
    {
        end = start + c.len_utf8();
    }
    start..end
}

/// The fields of a diagnostic in machine formats, in their stable order.
#[derive(Debug, Serialize)]
pub struct DiagnosticRecord<'a> {
    /// Lint or schema check name.
    pub lint: &'a str,
    /// `error` or `warning`.
    pub level: &'a str,
    /// Repo-relative path.
    pub file: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 1-based line where the span ends.
    pub end_line: usize,
    /// 1-based column where the span ends (exclusive).
    pub end_column: usize,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it.
    pub help: Option<&'a str>,
    /// Why, and where the level came from.
    pub notes: &'a [String],
}

impl<'a> DiagnosticRecord<'a> {
    /// Resolves a diagnostic's span into lines and columns.
    pub fn new(diagnostic: &'a Diagnostic, sources: &SourceMap) -> Self {
        let (line, column, end_line, end_column) = match &diagnostic.span {
            Some(span) => {
                let (l, c) = sources.line_col(&diagnostic.file, span.start);
                let (el, ec) = sources.line_col(&diagnostic.file, span.end);
                (l, c, el, ec)
            }
            None => (1, 1, 1, 1),
        };
        DiagnosticRecord {
            lint: diagnostic.code,
            level: diagnostic.level.as_str(),
            file: &diagnostic.file,
            line,
            column,
            end_line,
            end_column,
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
            notes: &diagnostic.notes,
        }
    }
}

/// One JSON object, no trailing newline.
pub fn render_json_line(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let record = DiagnosticRecord::new(diagnostic, sources);
    serde_json::to_string(&record).unwrap_or_default()
}

/// Renders many diagnostics as [`render_human`] does, in parallel, each
/// followed by a blank line.
pub fn render_human_all<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    color: bool,
) -> String {
    use rayon::prelude::*;
    let items: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    let rendered: Vec<String> = items
        .par_iter()
        .map(|d| {
            let mut text = render_human(d, sources, color);
            text.push_str("\n\n");
            text
        })
        .collect();
    rendered.concat()
}

/// Warnings folded into one line per lint or check, for `pm build`: the
/// count, the code and where the first one is. A build of a large repository
/// can have thousands of warnings, each already shown on its record's page;
/// the lines say which kinds there are and where to start, and `pm lint` (or
/// `pm build -v`) shows every one with its fix.
pub fn warning_digest(diagnostics: &Diagnostics) -> Option<String> {
    let mut by_code: BTreeMap<&str, (usize, &Diagnostic)> = BTreeMap::new();
    let mut files = std::collections::BTreeSet::new();
    for d in diagnostics
        .items()
        .iter()
        .filter(|d| d.level == Level::Warning)
    {
        by_code.entry(d.code).or_insert((0, d)).0 += 1;
        files.insert(d.file.as_str());
    }
    let total: usize = by_code.values().map(|(n, _)| n).sum();
    if total == 0 {
        return None;
    }
    let mut rows: Vec<(&str, usize, &Diagnostic)> = by_code
        .into_iter()
        .map(|(code, (n, d))| (code, n, d))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = format!(
        "warning: {} in {}, shown on their pages\n",
        plural(total, "finding"),
        plural(files.len(), "file")
    );
    for (code, n, first) in rows {
        let (line, column) = first.span.as_ref().map_or((1, 1), |s| {
            diagnostics.sources.line_col(&first.file, s.start)
        });
        let more = if n > 1 {
            format!(" and {} more", n - 1)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {n:>6} {code:<width$}  {}:{line}:{column}{more}\n",
            printable(&first.file)
        ));
    }
    out.push_str("  = help: `pm lint` shows each with its fix; `pm build -v` prints them here");
    Some(out)
}

/// The one-line summary printed after a run, e.g. `2 errors, 1 warning in 14 files`.
pub fn summary_line(errors: usize, warnings: usize, files: usize) -> String {
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

/// `1 incident`, `2 incidents`: a count with its noun (regular plurals only).
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `` `a`, `b` or `c` `` for help texts.
pub fn backticked<S: AsRef<str>>(items: &[S]) -> String {
    listed(items, "or")
}

/// `` `a`, `b` <conjunction> `c` ``: each item in backticks.
pub fn listed<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {}", init.join(", "), last),
    }
}

/// The closest candidate to `word` by edit distance, when it is close enough
/// to be a likely typo (used for "did you mean" help).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1) || (*d <= 2 && c.len() > 3))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// [`suggest`], else the one candidate whose first `-` word shares the
/// longest stem (four letters or more) with `word`: people write a step as
/// they say it, and `verified` means `verify-resolution`.
pub fn suggest_closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(near) = suggest(word, candidates.clone()) {
        return Some(near);
    }
    let word = word.to_lowercase();
    let stem = |candidate: &str| {
        let first = candidate.split('-').next().unwrap_or(candidate);
        word.chars()
            .zip(first.to_lowercase().chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut by_stem: Vec<(usize, &str)> = candidates.into_iter().map(|c| (stem(c), c)).collect();
    by_stem.sort_by_key(|c| std::cmp::Reverse(c.0));
    match by_stem.as_slice() {
        [(best, candidate), rest @ ..]
            if *best >= 4 && rest.first().is_none_or(|r| r.0 < *best) =>
        {
            Some(candidate)
        }
        _ => None,
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (prev + cost).min(row[j] + 1).min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_step_finds_the_closest_one() {
        let steps = ["impact-start", "detected", "verify-resolution", "mitigate"];
        assert_eq!(
            suggest_closest("verified", steps),
            Some("verify-resolution")
        );
        assert_eq!(suggest_closest("mitigated", steps), Some("mitigate"));
        assert_eq!(suggest_closest("resolved", steps), None);
        assert_eq!(suggest_closest("ver", steps), None);
    }

    #[test]
    fn of_file_finds_the_same_before_and_after_sorting() {
        let mut diags = Diagnostics::new();
        for (file, code) in [
            ("b.md", "x"),
            ("a.md", "y"),
            ("c.md", "z"),
            ("b.md", "w"),
            ("ab.md", "v"),
        ] {
            diags.push(Diagnostic::warning(code, file, "m"));
        }
        let codes = |d: &Diagnostics, f: &str| {
            let mut c: Vec<&str> = d.of_file(f).map(|d| d.code).collect();
            c.sort_unstable();
            c
        };
        let before: Vec<_> = ["a.md", "ab.md", "b.md", "c.md", "d.md"]
            .iter()
            .map(|f| codes(&diags, f))
            .collect();
        diags.sort();
        let after: Vec<_> = ["a.md", "ab.md", "b.md", "c.md", "d.md"]
            .iter()
            .map(|f| codes(&diags, f))
            .collect();
        assert_eq!(before, after);
        assert_eq!(after[2], vec!["w", "x"]);
        assert!(after[4].is_empty());
        diags.push(Diagnostic::warning("u", "b.md", "m"));
        assert_eq!(codes(&diags, "b.md"), vec!["u", "w", "x"]);
    }

    #[test]
    fn line_col_counts_characters_and_skips_bom() {
        let text = "\u{feff}+++\ntitle = \"é\"\nseverty = 1\n";
        let offset = text.find("severty").unwrap();
        assert_eq!(line_col(text, offset), (3, 1));
        let offset = text.find('+').unwrap();
        assert_eq!(line_col(text, offset), (1, 1));
        let after_e = text.find("\"\n").unwrap();
        assert_eq!(line_col(text, after_e), (2, 11));
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "\u{feff}+++\r\ntitle = \"é\"\n\nseverty = 1\n+++";
        let mut sources = SourceMap::default();
        sources.insert("x.md", Arc::new(text.to_owned()));
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                sources.line_col("x.md", offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_snippet_reads_only_its_own_lines() {
        // Many findings in a big file: each rendering costs its own line.
        let text = "x\n".repeat(200_000);
        let mut sources = SourceMap::default();
        sources.insert("big.md", Arc::new(text));
        let started = std::time::Instant::now();
        for line in (0..200_000).step_by(40) {
            let d = Diagnostic::warning("raw_html", "big.md", "m").at(line * 2..line * 2 + 1);
            let out = render_human(&d, &sources, false);
            assert!(out.contains(&format!("big.md:{}:1", line + 1)), "{out}");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "5,000 snippets of a 400 KB file took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn line_col_clamps_out_of_range_offsets() {
        assert_eq!(line_col("ab\ncd", 99), (2, 3));
        assert_eq!(line_col("é", 1), (1, 1));
    }

    #[test]
    fn suggest_finds_typos_and_ignores_strangers() {
        let keys = ["title", "severity", "status", "services"];
        assert_eq!(suggest("severty", keys), Some("severity"));
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("banana", keys), None);
    }

    #[test]
    fn sort_orders_by_file_then_position_and_dedups() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("a", "b.md", "x").at(5..6));
        d.push(Diagnostic::error("a", "a.md", "x").at(9..10));
        d.push(Diagnostic::error("a", "a.md", "x").at(1..2));
        d.push(Diagnostic::error("a", "a.md", "x").at(1..2));
        d.sort();
        let order: Vec<_> = d
            .items()
            .iter()
            .map(|d| (d.file.as_str(), d.span.clone()))
            .collect();
        assert_eq!(
            order,
            vec![
                ("a.md", Some(1..2)),
                ("a.md", Some(9..10)),
                ("b.md", Some(5..6))
            ]
        );
    }

    #[test]
    fn human_output_has_location_snippet_and_help() {
        let mut sources = SourceMap::default();
        sources.insert(
            "incidents/x.md",
            Arc::new("+++\nseverty = 1\n+++\n".to_owned()),
        );
        let d = Diagnostic::error("unknown_key", "incidents/x.md", "unknown key `severty`")
            .at(4..11)
            .help("did you mean `severity`?");
        let out = render_human(&d, &sources, false);
        assert!(
            out.contains("error[unknown_key]: unknown key `severty`"),
            "{out}"
        );
        assert!(out.contains("incidents/x.md:2:1"), "{out}");
        assert!(out.contains("help: did you mean `severity`?"), "{out}");
    }
}
