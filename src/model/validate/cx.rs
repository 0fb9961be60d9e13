//! The validation context of one file and the checks of single values
//! (required strings, keywords, datetimes, links, ids, `allow`), which
//! every table uses. Uses nothing else of `validate/`.

use std::ops::Range;

use crate::parse::Spanned;

use crate::config::Config;
use crate::diag::{Diagnostic, backticked, suggest};
use crate::model::time::{self, TimeError};
use crate::model::{Allow, Located, Origin, Rating, has_scheme, is_safe_url};
use crate::parse::{Lost, ParsedFile, RawAllow, RawStr, RawValue};
use crate::source::RecordKind;

/// Whether `id` is a valid incident id or type: `[a-z0-9]` words joined by single `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A best-effort valid id from any text (`Checkout Latency!` → `checkout-latency`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(80);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A TOML value's type as a message names it: `an integer`, `a boolean`.
pub(super) fn a_type(value: &crate::parse::TomlValue) -> &'static str {
    use crate::parse::TomlValue as V;
    match value {
        V::String(_) => "a string",
        V::Integer(_) => "an integer",
        V::Float(_) => "a float",
        V::Boolean(_) => "a boolean",
        V::Datetime(_) => "a datetime",
        V::Array(_) => "an array",
        V::Table(_) => "a table",
    }
}

/// Validation context for one file.
pub(super) struct Cx<'a> {
    /// The file being validated.
    pub(super) file: &'a ParsedFile,
    /// Settings (severities, checklist steps, the default time zone).
    pub(super) config: &'a Config,
    /// What was found so far.
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a> Cx<'a> {
    pub(super) fn span(&self, span: Range<usize>) -> Range<usize> {
        self.file.span(span)
    }

    pub(super) fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: String,
        help: String,
    ) {
        let span = self.span(span);
        self.diags.push(
            Diagnostic::error(code, &self.file.rel, message)
                .at(span)
                .help(help),
        );
    }

    /// A required string: missing or empty is an error at `table` (a front-matter span),
    /// or at the opening `+++` when `table` is `None`.
    pub(super) fn required(
        &mut self,
        value: Option<&RawStr>,
        key: &str,
        table: Option<Range<usize>>,
        example: &str,
    ) -> Option<Located<String>> {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => Some(Located {
                value: v.get_ref().trim().to_owned(),
                span: self.span(v.span()),
            }),
            Some(v) => {
                self.error(
                    "missing_key",
                    v.span(),
                    format!("`{key}` is empty"),
                    format!("write a value, e.g. `{key} = {example}`"),
                );
                None
            }
            None if self.lost(key, table.clone()) => None,
            None => {
                let label = if table.is_some() {
                    "in this entry"
                } else {
                    "in this front matter"
                };
                let span = match table {
                    Some(s) => self.span(s),
                    None => self.file.opening.clone(),
                };
                self.diags.push(
                    Diagnostic::error(
                        "missing_key",
                        &self.file.rel,
                        format!("missing required key `{key}`"),
                    )
                    .at(span)
                    .label(label)
                    .help(format!("add `{key} = {example}`")),
                );
                None
            }
        }
    }

    /// Whether `key` of the table at `table` (serde's span of it, its
    /// header; `None` for the top level) was left out of the front matter
    /// for an error already reported, so it must not be reported again as
    /// missing.
    pub(super) fn lost(&self, key: &str, table: Option<Range<usize>>) -> bool {
        self.lost_entry(key, table).is_some()
    }

    /// What was left out for `key` of the table at `table`: the key itself,
    /// a typo of it (`severty`), or, at the top level, the key written
    /// below a table header it is not a key of.
    pub(super) fn lost_entry(&self, key: &str, table: Option<Range<usize>>) -> Option<&'a Lost> {
        self.file.lost.iter().find(|l| {
            let named = l.key == key || l.meant.as_deref() == Some(key);
            match &table {
                None => (named && l.table.is_empty()) || (l.unknown && l.key == key),
                Some(t) => named && l.header.as_ref().is_some_and(|h| h.start == t.start),
            }
        })
    }

    /// Whether anything of the table `name` (or the table itself) was left
    /// out for an error.
    pub(super) fn lost_in(&self, name: &str) -> bool {
        self.file.lost.iter().any(|l| {
            l.table == name
                || (l.table.is_empty() && (l.key == name || l.meant.as_deref() == Some(name)))
        })
    }

    /// What a top-level text key left out for an error evidently says, to
    /// stand in for it so the rest of the record can be linted: a string
    /// under a misspelt key, a number, boolean or date as written, or an
    /// unquoted word (`severity = SEV2`). Never an array or a table: what
    /// they mean is a guess.
    pub(super) fn stand_in(&self, key: &str) -> Option<Located<String>> {
        let lost = self.lost_entry(key, None).filter(|l| !l.whole_table)?;
        let text = match &lost.value {
            Some(crate::parse::TomlValue::String(s)) => s.trim(),
            Some(crate::parse::TomlValue::Array(_) | crate::parse::TomlValue::Table(_)) => {
                return None;
            }
            Some(_) => lost.written.as_str(),
            None if lost.written.contains(['"', '\'', '[', '{', '\n']) => return None,
            None => lost.written.as_str(),
        };
        let at = lost.range.end.saturating_sub(lost.written.len())..lost.range.end;
        (!text.is_empty()).then(|| Located {
            value: text.to_owned(),
            span: self.span(at),
        })
    }

    pub(super) fn text(value: Option<&RawStr>) -> Option<String> {
        value
            .map(|v| v.get_ref().trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn texts(values: &[RawStr]) -> Vec<String> {
        values
            .iter()
            .map(|v| v.get_ref().trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A keyword from a closed list; unknown values are errors with a suggestion.
    pub(super) fn keyword<E>(
        &mut self,
        value: Option<&RawStr>,
        key: &str,
        parse: fn(&str) -> Option<E>,
        all: &[&str],
    ) -> Option<E> {
        let value = value?;
        let text = value.get_ref().trim();
        if let Some(v) = parse(text) {
            return Some(v);
        }
        let lower = text.to_lowercase();
        let help = match (parse(&lower), suggest(text, all.iter().copied())) {
            (Some(_), _) => format!("write it in lowercase: `\"{lower}\"`"),
            (None, Some(s)) => format!(
                "did you mean `\"{s}\"`? `{key}` is one of {}",
                backticked(all)
            ),
            (None, None) => format!("`{key}` is one of {}", backticked(all)),
        };
        self.error(
            "invalid_value",
            value.span(),
            format!("unknown {key} `{text}`"),
            help,
        );
        None
    }

    pub(super) fn rating(&mut self, value: Option<&RawStr>, key: &str) -> Option<Rating> {
        self.keyword(value, key, Rating::parse, Rating::ALL)
    }

    /// A TOML datetime value, or a located error for strings and other types.
    pub(super) fn datetime<'v>(
        &mut self,
        value: &'v RawValue,
        key: &str,
    ) -> Option<&'v crate::parse::TomlDatetime> {
        self.datetime_as(value, key, "a datetime", "2026-11-03T14:02:00Z")
    }

    /// [`Cx::datetime`], saying `what` is expected, with an `example` of it.
    fn datetime_as<'v>(
        &mut self,
        value: &'v RawValue,
        key: &str,
        what: &str,
        example: &str,
    ) -> Option<&'v crate::parse::TomlDatetime> {
        match value.get_ref() {
            crate::parse::TomlValue::Datetime(dt) => Some(dt),
            crate::parse::TomlValue::String(s) => {
                let unquoted = s.trim();
                let help = if unquoted.parse::<crate::parse::TomlDatetime>().is_ok() {
                    format!("remove the quotes: `{key} = {unquoted}`")
                } else {
                    format!("write it unquoted, e.g. `{key} = {example}`")
                };
                self.error(
                    "invalid_datetime",
                    value.span(),
                    format!("`{key}` is a string, not {what}"),
                    help,
                );
                None
            }
            other => {
                self.error(
                    "wrong_type",
                    value.span(),
                    format!(
                        "wrong type for `{key}`: expected {what}, found {}",
                        a_type(other)
                    ),
                    format!("write {what} here, e.g. `{key} = {example}`"),
                );
                None
            }
        }
    }

    pub(super) fn time_error(&mut self, span: Range<usize>, err: TimeError) {
        self.error("invalid_datetime", span, err.message, err.help);
    }

    pub(super) fn date(
        &mut self,
        value: Option<&RawValue>,
        key: &str,
    ) -> Option<jiff::civil::Date> {
        let value = value?;
        let dt = self.datetime_as(value, key, "a date", "2026-12-15")?;
        match time::resolve_date(dt) {
            Ok(d) => Some(d),
            Err(e) => {
                self.time_error(value.span(), e);
                None
            }
        }
    }

    pub(super) fn allows(&mut self, raw: &[Spanned<RawAllow>]) -> Vec<Allow> {
        let mut out = Vec::new();
        for entry in raw {
            let a = entry.get_ref();
            let lint = self.required(
                a.lint.as_ref(),
                "lint",
                Some(entry.span()),
                "\"unexplained_timeline_gaps\"",
            );
            let reason = match Self::text(a.reason.as_ref()) {
                Some(r) => Some(r),
                None if self.lost("reason", Some(entry.span())) => None,
                None => {
                    self.error(
                        "missing_key",
                        entry.span(),
                        "an `allow` entry needs a `reason`".to_owned(),
                        "say why the lint does not apply, e.g. `reason = \"the pager log was lost\"`".to_owned(),
                    );
                    None
                }
            };
            if let (Some(lint), Some(reason)) = (lint, reason) {
                out.push(Allow { lint, reason });
            }
        }
        out
    }

    pub(super) fn origin(&self) -> Origin {
        Origin {
            file: self.file.rel.clone(),
            text: self.file.text.clone(),
            opening: self.file.opening.clone(),
            body_offset: self.file.body_offset,
            body_lines: std::sync::OnceLock::new(),
        }
    }

    /// Checks the file stem is a valid id.
    pub(super) fn id(&mut self) -> Option<String> {
        let stem = &self.file.stem;
        if is_valid_id(stem) {
            return Some(stem.clone());
        }
        let suggestion = slug(stem);
        let what = match self.file.kind {
            RecordKind::Incident => "incident id",
            RecordKind::Playbook => "playbook type",
        };
        let mut d = Diagnostic::error("invalid_id", &self.file.rel, format!("invalid {what} `{stem}`"))
            .at(self.file.opening.clone())
            .label(format!("the {what} comes from this file's name"))
            .note("the id is the file name (or bundle folder name) and becomes the page's URL: lowercase letters, digits and single `-` only");
        if !suggestion.is_empty() {
            d = d.help(format!("rename the file to `{suggestion}`"));
        } else {
            d = d.help("rename the file using lowercase letters, digits and `-`");
        }
        self.diags.push(d);
        None
    }

    /// Refuses links whose scheme pm will not put in an `href`.
    pub(super) fn check_link(&mut self, value: &str, span: Range<usize>, key: &str) {
        if has_scheme(value) && !is_safe_url(value) {
            self.diags.push(
                Diagnostic::error("invalid_url", &self.file.rel, format!("`{key}` has a scheme pm will not link to"))
                    .at(span)
                    .note("only http, https and mailto links are published; anything else could run code in a reader's browser")
                    .help("use an https:// URL, or a path to a file in the incident's bundle"),
            );
        }
    }
}
