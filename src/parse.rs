//! Splitting records into front matter and body, and reading the front matter
//! into `Raw*` serde mirrors that keep the byte span of every value.
//!
//! This stage knows TOML and the shape of a record, nothing of its meaning:
//! it does not check enum values, ids or times (that is [`crate::model`]).
//! Spans in `Raw*` values are relative to the front matter; [`ParsedFile::fm_offset`]
//! turns them into offsets in the file.
//!
//! Its files, each using only those before it: `fast` (the fast path of
//! reading TOML), `errors` (TOML and serde errors as diagnostics) and
//! `recover` (reading past a value's error to the rest of the record).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, Text};
use crate::source::{Attachment, RecordKind, SourceFile};

mod errors;
pub mod fast;
pub mod recover;

pub use errors::toml_error_diagnostic;
pub use recover::{Lost, front_matter};

/// The front matter delimiter line.
pub const DELIMITER: &str = "+++";

/// A record whose front matter parsed.
#[derive(Debug)]
pub struct ParsedFile {
    /// Incident or playbook.
    pub kind: RecordKind,
    /// Repo-relative path.
    pub rel: String,
    /// Candidate id (file stem or bundle folder name).
    pub stem: String,
    /// Bundle attachments, if a bundle.
    pub attachments: Option<Vec<Attachment>>,
    /// Names of the bundle's files that are not published (refused by
    /// [`crate::model::attachment`]): links to them are not reported again.
    pub withheld: Vec<String>,
    /// The whole file as text.
    pub text: Text,
    /// Byte offset of the front matter in `text`.
    pub fm_offset: usize,
    /// Byte range of the opening `+++` line.
    pub opening: Range<usize>,
    /// Byte offset of the body in `text`.
    pub body_offset: usize,
    /// The parsed front matter.
    pub data: RawData,
    /// The errors in values met while reading the front matter, already
    /// diagnostics; `data` holds the rest of the record.
    pub found: Vec<Diagnostic>,
    /// The keys and tables left out of `data` for those errors (spans in
    /// the front matter), so they are not reported again as missing.
    pub lost: Vec<Lost>,
}

impl ParsedFile {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or("")
    }

    /// A front-matter span shifted into file offsets.
    pub fn span(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.fm_offset..span.end + self.fm_offset
    }
}

/// The front matter, by record kind.
#[derive(Debug)]
pub enum RawData {
    /// An incident.
    Incident(Box<RawIncident>),
    /// A playbook.
    Playbook(Box<RawPlaybook>),
}

/// How big a record may be: `[limits]` in pm.toml. Each limit bounds the
/// time and memory one file can cost, and is checked before the work it
/// protects: the file's size before it is decoded, the front matter's size
/// before TOML parsing, the number of timeline events, services, tags,
/// responders and action items before validation (services and action
/// owners each get pages, so their counts bound the site's size too). A
/// record over a limit is refused with a `limit_exceeded` error; the other
/// records are read as usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one record file.
    pub record_size: usize,
    /// Bytes of one record's front matter (between the `+++` lines).
    pub front_matter_size: usize,
    /// `[[timeline]]` events of one incident.
    pub timeline_events: usize,
    /// Bytes of one attachment of a bundle.
    pub attachment_size: usize,
    /// Entries of one incident's `services`: each has a page listing its
    /// incidents, so one record's services multiply pages.
    pub services: usize,
    /// Entries of one incident's `tags`.
    pub tags: usize,
    /// Entries of one incident's `responders`.
    pub responders: usize,
    /// `[[actions]]` items of one incident; each owner among them gets a
    /// tracker page, so this bounds the owners one record adds too.
    pub actions: usize,
}

impl Limits {
    /// The defaults: far above any real postmortem (the example records are
    /// 11 to 17 KB, with 15 to 27 events), far below what costs a reviewer's
    /// machine seconds.
    pub const DEFAULT: Limits = Limits {
        record_size: 1024 * 1024,
        front_matter_size: 256 * 1024,
        timeline_events: 1000,
        attachment_size: 25 * 1024 * 1024,
        services: 100,
        tags: 100,
        responders: 100,
        actions: 500,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A byte count as people write it: `1 MiB`, `256 KiB`, `50.3 MiB`, `12 bytes`.
pub fn size_text(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    #[expect(
        clippy::cast_precision_loss,
        reason = "one decimal of a file size for a message"
    )]
    let scaled = |unit: usize| bytes as f64 / unit as f64;
    match bytes {
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= MIB => format!("{:.1} MiB", scaled(MIB)),
        b if b >= KIB && b % KIB == 0 => format!("{} KiB", b / KIB),
        b if b >= KIB => format!("{:.1} KiB", scaled(KIB)),
        1 => "1 byte".to_owned(),
        b => format!("{b} bytes"),
    }
}

/// Parses every record in parallel, within the default [`Limits`]. Files
/// that cannot be parsed yield diagnostics and are left out; every file's
/// text is registered in `diags.sources` so diagnostics can show snippets.
pub fn parse(records: Vec<SourceFile>, diags: &mut Diagnostics) -> Vec<ParsedFile> {
    parse_with(records, &Limits::default(), diags)
}

/// [`parse`] within the repository's `limits`.
pub fn parse_with(
    records: Vec<SourceFile>,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Vec<ParsedFile> {
    let results: Vec<(Text, String, Result<ParsedFile, Vec<Diagnostic>>)> = records
        .into_par_iter()
        .map(|file| {
            let rel = file.rel.clone();
            let (text, result) = parse_isolated(file, limits);
            (text, rel, result)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (text, rel, result) in results {
        diags.sources.insert(rel, text);
        match result {
            Ok(file) => parsed.push(file),
            Err(found) => diags.extend(found),
        }
    }
    parsed
}

/// [`parse_file_with`], with a panic turned into an `internal_error`
/// diagnostic naming the file (its text kept for the snippet).
pub fn parse_isolated(
    file: SourceFile,
    limits: &Limits,
) -> (Text, Result<ParsedFile, Vec<Diagnostic>>) {
    let (file, text) = match decode(file, limits) {
        Ok(decoded) => decoded,
        Err((text, d)) => return (text, Err(vec![*d])),
    };
    let rel = file.rel.clone();
    let result = crate::isolate::record("parsing", &rel, || parse_text(file, &text, limits))
        .unwrap_or_else(|d| Err(vec![*d]));
    (text, result)
}

/// Decodes and parses one file within the default [`Limits`]. Returns its
/// text (lossy when not UTF-8) too.
pub fn parse_file(file: SourceFile) -> (Text, Result<ParsedFile, Vec<Diagnostic>>) {
    parse_file_with(file, &Limits::default())
}

/// [`parse_file`] within `limits`. A file over `record_size` is refused
/// before it is decoded; only its first line is kept, for the diagnostic.
pub fn parse_file_with(
    file: SourceFile,
    limits: &Limits,
) -> (Text, Result<ParsedFile, Vec<Diagnostic>>) {
    match decode(file, limits) {
        Ok((file, text)) => {
            let result = parse_text(file, &text, limits);
            (text, result)
        }
        Err((text, d)) => (text, Err(vec![*d])),
    }
}

/// A file, its bytes taken out, and its text: the buffer it was read into
/// when it is UTF-8 (no copy is made), else a lossy copy.
type Decoded = (SourceFile, Text);

/// Takes a file's bytes as its text, or refuses it: over `record_size`, or
/// not UTF-8 (with the lossy text kept for the snippet).
fn decode(mut file: SourceFile, limits: &Limits) -> Result<Decoded, (Text, Box<Diagnostic>)> {
    if file.bytes.len() > limits.record_size {
        return Err(too_large(&file, limits));
    }
    match String::from_utf8(std::mem::take(&mut file.bytes)) {
        Ok(text) => Ok((file, Arc::new(text))),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = String::from_utf8_lossy(&bytes[..e.utf8_error().valid_up_to()]).len();
            let lossy = Arc::new(String::from_utf8_lossy(bytes).into_owned());
            let d = Diagnostic::error("invalid_utf8", &file.rel, "file is not valid UTF-8")
                .at(at..at + 1)
                .label("this byte is not UTF-8")
                .help("save the file as UTF-8 (most editors: \"Save with encoding\")");
            Err((lossy, Box::new(d)))
        }
    }
}

/// The diagnostic for a file over `record_size`, with the file's first line
/// (at most 200 bytes) as the only text kept for its snippet.
fn too_large(file: &SourceFile, limits: &Limits) -> (Text, Box<Diagnostic>) {
    let head = &file.bytes[..file.bytes.len().min(200)];
    let head = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(head)
        .trim_end_matches('\r')
        .to_owned();
    let d = Diagnostic::error(
        "limit_exceeded",
        &file.rel,
        format!(
            "record is {}, over the {} limit",
            size_text(file.bytes.len()),
            size_text(limits.record_size)
        ),
    )
    .at(0..first_line.len())
    .label("nothing in this file is checked")
    .note("a record this large would cost every build time and memory for text no reader scrolls through")
    .help(format!(
        "move pasted logs and dumps into attachments (make the record a bundle: `{}` becomes `<id>/index.md` with the files beside it), or raise `[limits] record_size` in pm.toml",
        file.rel
    ));
    (Arc::new(first_line), Box::new(d))
}

fn parse_text(
    file: SourceFile,
    text: &Text,
    limits: &Limits,
) -> Result<ParsedFile, Vec<Diagnostic>> {
    let split =
        split_front_matter(text).map_err(|e| vec![e.into_diagnostic(&file.rel, file.kind)])?;
    let fm = &text[split.front_matter.clone()];
    if fm.len() > limits.front_matter_size {
        return Err(vec![
            Diagnostic::error(
                "limit_exceeded",
                &file.rel,
                format!(
                    "front matter is {}, over the {} limit",
                    size_text(fm.len()),
                    size_text(limits.front_matter_size)
                ),
            )
            .at(split.opening.clone())
            .label("the front matter opens here")
            .help("move long logs and stack traces into the Markdown body or into attachments of a bundle, or raise `[limits] front_matter_size` in pm.toml"),
        ]);
    }
    let (data, lost, errors) = match file.kind {
        RecordKind::Incident => {
            let read = recover::read::<RawIncident>(fm);
            let data = read.value.map(|r| RawData::Incident(Box::new(r)));
            (data, read.lost, read.errors)
        }
        RecordKind::Playbook => {
            let read = recover::read::<RawPlaybook>(fm);
            let data = read.value.map(|r| RawData::Playbook(Box::new(r)));
            (data, read.lost, read.errors)
        }
    };
    let mut found: Vec<Diagnostic> = errors
        .iter()
        .map(|e| toml_error_diagnostic(e, &file.rel, fm, split.front_matter.start))
        .collect();
    let Some(data) = data else {
        return Err(found);
    };
    if let RawData::Incident(raw) = &data
        && let Some(extra) = raw.timeline.get(limits.timeline_events)
    {
        let span = extra.span();
        let at = span.start + split.front_matter.start..span.end + split.front_matter.start;
        // Point at the header line of the first event over the limit.
        let line_end = text.get(at.clone()).and_then(|t| t.find('\n'));
        let at = at.start..line_end.map_or(at.end, |i| at.start + i);
        found.push(
            Diagnostic::error(
                "limit_exceeded",
                &file.rel,
                format!(
                    "timeline has {} events, over the limit of {}",
                    raw.timeline.len(),
                    limits.timeline_events
                ),
            )
            .at(at)
            .label(format!("event {} is over the limit", limits.timeline_events + 1))
            .help("keep the timeline to the events that tell the story and attach the full log to a bundle, or raise `[limits] timeline_events` in pm.toml"),
        );
        return Err(found);
    }
    if let RawData::Incident(raw) = &data
        && let Some(d) = over_count_limits(raw, limits, &file.rel, text, split.front_matter.start)
    {
        found.push(d);
        return Err(found);
    }
    Ok(ParsedFile {
        kind: file.kind,
        rel: file.rel,
        stem: file.stem,
        attachments: file.attachments,
        withheld: Vec::new(),
        text: Arc::clone(text),
        fm_offset: split.front_matter.start,
        opening: split.opening,
        body_offset: split.body_start,
        data,
        found,
        lost,
    })
}

/// The first of an incident's lists that is longer than its `[limits]` key
/// allows, as a `limit_exceeded` error pointing at the first entry over the
/// limit (an action item at its `[[actions]]` line). These are checked before
/// validation, so an oversized record costs no page, no lint and no owner.
fn over_count_limits(
    raw: &RawIncident,
    limits: &Limits,
    rel: &str,
    text: &str,
    fm_start: usize,
) -> Option<Diagnostic> {
    let over = |v: &[RawStr], limit: usize| (v.len(), v.get(limit).map(Spanned::span));
    let lists = [
        (
            "services",
            "services",
            "service",
            over(&raw.services, limits.services),
            limits.services,
        ),
        (
            "tags",
            "tags",
            "tag",
            over(&raw.tags, limits.tags),
            limits.tags,
        ),
        (
            "responders",
            "responders",
            "responder",
            over(&raw.responders, limits.responders),
            limits.responders,
        ),
        (
            "actions",
            "action items",
            "action item",
            (
                raw.actions.len(),
                raw.actions.get(limits.actions).map(Spanned::span),
            ),
            limits.actions,
        ),
    ];
    for (key, plural, one, (count, first_over), limit) in lists {
        let Some(span) = first_over else {
            continue;
        };
        let at = span.start + fm_start..span.end + fm_start;
        // An action item's span is its whole table: keep its header line.
        let line_end = text.get(at.clone()).and_then(|t| t.find('\n'));
        let at = at.start..line_end.map_or(at.end, |i| at.start + i);
        let why = if key == "actions" {
            "split the work into fewer items, or track the long list in the issue tracker and link it"
        } else {
            "list only what the incident touched"
        };
        return Some(
            Diagnostic::error(
                "limit_exceeded",
                rel,
                format!("incident has {count} {plural}, over the limit of {limit}"),
            )
            .at(at)
            .label(format!("{one} {} is over the limit", limit + 1))
            .help(format!("{why}, or raise `[limits] {key}` in pm.toml")),
        );
    }
    None
}

/// Where the parts of a record are, as byte offsets in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The opening `+++` line (without its line ending).
    pub opening: Range<usize>,
    /// The TOML between the delimiters.
    pub front_matter: Range<usize>,
    /// Where the Markdown body starts.
    pub body_start: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only whitespace.
    Empty,
    /// The first line is not `+++`.
    Missing(Range<usize>),
    /// No closing `+++` line.
    Unterminated(Range<usize>),
}

impl SplitError {
    fn into_diagnostic(self, rel: &str, kind: RecordKind) -> Diagnostic {
        let example = match kind {
            RecordKind::Incident => "title = \"...\", severity, type and status",
            RecordKind::Playbook => "title = \"...\" and the six sections",
        };
        match self {
            SplitError::Empty => Diagnostic::error("front_matter", rel, "empty record")
                .at(0..0)
                .label("this file holds no front matter and no text")
                .help(match kind {
                    RecordKind::Incident => "run `pm new \"<title>\"` to scaffold an incident, or delete the file",
                    RecordKind::Playbook => "run `pm new --playbook <type>` to scaffold a playbook, or delete the file",
                }),
            SplitError::Missing(span) => Diagnostic::error("front_matter", rel, "missing front matter")
                .at(span)
                .label("expected `+++` here")
                .help(format!(
                    "start the file with a `+++` line, then the TOML front matter ({example}), then another `+++` line"
                )),
            SplitError::Unterminated(span) => {
                Diagnostic::error("front_matter", rel, "unterminated front matter")
                    .at(span)
                    .label("opened here, never closed")
                    .help("add a line holding only `+++` after the last front matter key")
            }
        }
    }
}

/// Splits `text` (BOM and CRLF allowed) into front matter and body.
pub fn split_front_matter(text: &str) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    if text[start..].trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = LineIter { text, pos: start };
    let Some((first, after_first)) = lines.next() else {
        return Err(SplitError::Empty);
    };
    if text[first.clone()].trim_end() != DELIMITER {
        let end = first.end.max(first.start);
        return Err(SplitError::Missing(first.start..end));
    }
    let fm_start = after_first;
    // The closing delimiter is the first later line that reads `+++`: only
    // lines starting with it are candidates, found with one substring search
    // instead of a walk over every line of the front matter. `fm_start - 1`
    // is the opening line's `\n` when there is a later line at all.
    let from = fm_start.saturating_sub(1);
    for hit in memchr::memmem::find_iter(&text.as_bytes()[from..], b"\n+++") {
        let start = from + hit + 1;
        let (end, body_start) = match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        if text[start..end].trim_end() == DELIMITER {
            return Ok(Split {
                opening: first,
                front_matter: fm_start..start,
                body_start,
            });
        }
    }
    Err(SplitError::Unterminated(first))
}

/// Iterates lines as (content range without line ending, offset after the line ending).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = (Range<usize>, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (content_len, advance) = match rest.find('\n') {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        let mut end = self.pos + content_len;
        if self.text[..end].ends_with('\r') {
            end -= 1;
        }
        let item = (self.pos..end, self.pos + advance);
        self.pos += advance;
        Some(item)
    }
}

/// The TOML types the raw mirrors hold. `parse` is the one module that
/// names the `toml` crate; the stages after it take these from here.
pub use toml::Spanned;
pub use toml::Value as TomlValue;
pub use toml::value::{Datetime as TomlDatetime, Offset as TomlOffset};

/// Reads a whole TOML document (`pm.toml`) into its raw mirror; an error
/// becomes a located diagnostic through [`toml_error_diagnostic`].
pub fn toml_document<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, toml::de::Error> {
    toml::from_str(text)
}

/// A TOML value with its span, for fields whose type pm checks itself
/// (datetimes, dates, values that may be one of several types).
pub type RawValue = Spanned<toml::Value>;

/// A string with its span.
pub type RawStr = Spanned<String>;

/// Incident front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawIncident {
    pub title: Option<RawStr>,
    pub public_title: Option<RawStr>,
    pub severity: Option<RawStr>,
    #[serde(rename = "type")]
    pub kind: Option<RawStr>,
    pub status: Option<RawStr>,
    pub draft: Option<bool>,
    #[serde(default)]
    pub services: Vec<RawStr>,
    #[serde(default)]
    pub tags: Vec<RawStr>,
    pub commander: Option<RawStr>,
    #[serde(default)]
    pub responders: Vec<RawStr>,
    pub timezone: Option<RawStr>,
    pub summary: Option<RawStr>,
    pub detected_by: Option<RawStr>,
    pub impact: Option<RawImpact>,
    pub triage: Option<RawTriage>,
    #[serde(default)]
    pub timeline: Vec<Spanned<RawEvent>>,
    #[serde(default)]
    pub checklist: BTreeMap<RawStr, RawValue>,
    #[serde(default)]
    pub actions: Vec<Spanned<RawAction>>,
    #[serde(default)]
    pub changes: Vec<Spanned<RawChange>>,
    #[serde(default)]
    pub hypotheses: Vec<Spanned<RawHypothesis>>,
    #[serde(default)]
    pub mitigations: Vec<Spanned<RawMitigation>>,
    pub rollback: Option<RawRollback>,
    #[serde(default)]
    pub updates: Vec<Spanned<RawUpdate>>,
    #[serde(default)]
    pub allow: Vec<Spanned<RawAllow>>,
}

/// `[impact]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawImpact {
    pub summary: Option<RawStr>,
    /// A count (integer) or a description (string).
    pub users: Option<RawValue>,
    #[serde(default)]
    pub regions: Vec<RawStr>,
    #[serde(default)]
    pub figures: Vec<Spanned<RawFigure>>,
    pub customer_facing: Option<bool>,
    pub slo: Option<RawStr>,
}

/// One `[[impact.figures]]` entry: a number, its unit and where it came from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawFigure {
    /// An integer or a float.
    pub value: Option<RawValue>,
    pub unit: Option<RawStr>,
    pub source: Option<RawStr>,
    pub approx: Option<bool>,
}

/// `[triage]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawTriage {
    pub error: Option<RawStr>,
    #[serde(default)]
    pub symptoms: Vec<RawStr>,
    pub system: Option<RawStr>,
    pub stack_trace: Option<RawStr>,
    #[serde(default)]
    pub logs: Vec<RawStr>,
}

/// One `[[timeline]]` event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawEvent {
    pub at: Option<RawValue>,
    pub approx: Option<bool>,
    pub text: Option<RawStr>,
    /// One step (a string) or several (an array of strings).
    pub step: Option<RawValue>,
    pub who: Option<RawStr>,
    pub source: Option<RawStr>,
    pub evidence: Option<RawStr>,
    pub gap: Option<RawStr>,
}

/// One `[[actions]]` item.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawAction {
    pub kind: Option<RawStr>,
    pub text: Option<RawStr>,
    pub owner: Option<RawStr>,
    pub due: Option<RawValue>,
    pub status: Option<RawStr>,
    pub link: Option<RawStr>,
    pub closed: Option<RawValue>,
}

/// One `[[changes]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawChange {
    pub at: Option<RawValue>,
    pub until: Option<RawValue>,
    pub kind: Option<RawStr>,
    #[serde(rename = "ref")]
    pub reference: Option<RawStr>,
    pub text: Option<RawStr>,
    pub suspect: Option<bool>,
}

/// One `[[hypotheses]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawHypothesis {
    pub at: Option<RawValue>,
    pub text: Option<RawStr>,
    pub result: Option<RawStr>,
    pub evidence: Option<RawStr>,
}

/// One `[[mitigations]]` option considered during an incident.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawMitigation {
    pub option: Option<RawStr>,
    pub speed: Option<RawStr>,
    pub risk: Option<RawStr>,
    pub effectiveness: Option<RawStr>,
    pub chosen: Option<bool>,
    pub outcome: Option<RawStr>,
}

/// `[rollback]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawRollback {
    pub possible: Option<RawStr>,
    pub decision: Option<RawStr>,
    pub reason: Option<RawStr>,
}

/// One `[[updates]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawUpdate {
    pub at: Option<RawValue>,
    pub status: Option<RawStr>,
    pub audience: Option<RawStr>,
    pub text: Option<RawStr>,
}

/// One `allow = [{ lint, reason }]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawAllow {
    pub lint: Option<RawStr>,
    pub reason: Option<RawStr>,
}

/// Playbook front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawPlaybook {
    pub title: Option<RawStr>,
    pub owner: Option<RawStr>,
    pub symptoms: Option<Spanned<Vec<RawStr>>>,
    pub first_checks: Option<Spanned<Vec<RawStr>>>,
    pub causes: Option<Spanned<Vec<RawStr>>>,
    pub mitigations: Option<Spanned<Vec<Spanned<RawPlaybookMitigation>>>>,
    pub resolution: Option<Spanned<Vec<RawStr>>>,
    pub verification: Option<Spanned<Vec<RawStr>>>,
    #[serde(default)]
    pub commands: Vec<Spanned<RawCommand>>,
    #[serde(default)]
    pub allow: Vec<Spanned<RawAllow>>,
}

/// One ranked mitigation in a playbook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawPlaybookMitigation {
    pub option: Option<RawStr>,
    pub speed: Option<RawStr>,
    pub risk: Option<RawStr>,
    pub effectiveness: Option<RawStr>,
    pub notes: Option<RawStr>,
}

/// One `[[commands]]` entry of a playbook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(missing_docs, reason = "fields mirror docs/format.md one to one")]
pub struct RawCommand {
    pub label: Option<RawStr>,
    pub run: Option<RawStr>,
}

#[cfg(test)]
mod tests;
