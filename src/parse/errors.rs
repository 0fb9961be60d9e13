//! Turning a TOML or serde error into a located diagnostic that says how
//! to fix it: unknown keys with the closest known one, wrong types with the
//! value rewritten, syntax errors in the reader's terms. Uses nothing else
//! of `parse`.

use crate::diag::{Diagnostic, suggest};

/// Turns a TOML or serde error into a located diagnostic with a fix.
///
/// `offset` is where `fm` starts in the file, so the span lands in file offsets.
pub fn toml_error_diagnostic(
    err: &toml::de::Error,
    rel: &str,
    fm: &str,
    offset: usize,
) -> Diagnostic {
    let message = err.message().trim();
    let span = err
        .span()
        .map(|s| s.start + offset..s.end + offset)
        .unwrap_or(offset..offset);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let header = table_header(fm, span.start.saturating_sub(offset));
        let mut d = Diagnostic::error("unknown_key", rel, format!("unknown key `{key}`"))
            .at(span)
            .label("not a known key here");
        d = match (suggest(key, candidates.iter().copied()), header) {
            (Some(s), _) => d.help(format!("did you mean `{s}`?")),
            (None, Some(header)) => d
                .note(format!(
                    "after a `{header}` header, every key belongs to that table until the next header"
                ))
                .help(format!(
                    "if `{key}` is a top-level key, move it above the first table header; otherwise remove it{}",
                    if candidates.is_empty() {
                        String::new()
                    } else {
                        format!(" (keys of `{header}`: {})", crate::diag::backticked(&candidates))
                    }
                )),
            (None, None) if candidates.is_empty() => d.help("remove this key"),
            (None, None) => d.help(format!(
                "remove it, or use one of {}",
                crate::diag::backticked(&candidates)
            )),
        };
        return d;
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return Diagnostic::error("missing_key", rel, format!("missing required key `{key}`"))
            .at(span)
            .help(format!("add `{key} = ...` to this table"));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let found = match found.split(' ').next().unwrap_or(found) {
            "map" => "a table",
            "sequence" => "an array",
            "string" => "a string",
            "integer" => "an integer",
            "boolean" => "a boolean",
            "float" => "a float",
            other => other,
        };
        let expected_plain = expected
            .replace("a sequence", "an array")
            .replace("a map", "a table")
            .replace("struct ", "table ");
        let local = span.start.saturating_sub(offset)..span.end.saturating_sub(offset);
        let key = key_before(fm, local.start);
        let value = fm.get(local).unwrap_or("").trim();
        let message = match key {
            Some(key) => {
                format!("wrong type for `{key}`: expected {expected_plain}, found {found}")
            }
            None => format!("wrong type: expected {expected_plain}, found {found}"),
        };
        let mut d = Diagnostic::error("wrong_type", rel, message).at(span);
        d = if expected_plain.contains("string") && found != "a string" {
            match key {
                Some(key) if !value.is_empty() => d.help(format!(
                    "put the value in double quotes: `{key} = \"{value}\"`"
                )),
                _ => d.help("put the value in double quotes"),
            }
        } else if expected_plain.contains("array") {
            match key {
                Some(key) if found == "a string" && !value.contains('\n') => d.help(format!(
                    "write a list in square brackets: `{key} = [{value}]`"
                )),
                _ => d.help("write a list in square brackets, e.g. `[\"a\", \"b\"]`"),
            }
        } else if expected_plain.contains("boolean") {
            d.help("write `true` or `false`, without quotes")
        } else {
            d.help(format!("write {expected_plain} here"))
        };
        return d;
    }
    let mut message = message
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim_end_matches('.')
        .to_owned();
    if let Some(first) = message.get(..1) {
        let lower = first.to_lowercase();
        message.replace_range(..1, &lower);
    }
    let local = span.start.saturating_sub(offset)..span.end.saturating_sub(offset);
    // The parser's own words ("cannot recurse further", "recursion limit")
    // describe its implementation; the reader needs the shape of the fix.
    if message.contains("recurs") {
        return Diagnostic::error(
            "invalid_toml",
            rel,
            "invalid TOML: tables or arrays nested too deeply",
        )
        .at(span)
        .help("a record needs tables and arrays a few levels deep at most; flatten this value");
    }
    let help = if message.contains("duplicate key") {
        "each key may appear once per table; remove or rename one".to_owned()
    } else if message.starts_with("string values must be quoted") {
        // toml appends the grammar term it was looking for; readers need only the rule.
        message.truncate("string values must be quoted".len());
        match (key_before(fm, local.start), fm.get(local).map(str::trim)) {
            (Some(key), Some(value)) if !value.is_empty() && !value.contains('"') => {
                format!("put the value in double quotes: `{key} = \"{value}\"`")
            }
            _ => "put the value in double quotes".to_owned(),
        }
    } else if message.starts_with("invalid date")
        || message.starts_with("invalid time")
        || message.starts_with("invalid offset")
    {
        "write a date and time that exist, e.g. `2026-11-03T14:02:00Z`: months have 28 to 31 days, hours run 00-23, minutes and seconds 00-59".to_owned()
    } else if message.contains("string") || message.contains("quote") {
        "check quoting: strings use \"double\" or 'single' quotes, multi-line text uses ''' or \"\"\"".to_owned()
    } else {
        "fix the TOML syntax here (see https://toml.io for the syntax)".to_owned()
    };
    Diagnostic::error("invalid_toml", rel, format!("invalid TOML: {message}"))
        .at(span)
        .help(help)
}

/// The bare key assigned on the line where `at` (an offset in `fm`) sits, when
/// everything between the line start and `at` is `key =`.
fn key_before(fm: &str, at: usize) -> Option<&str> {
    let before = fm.get(..at)?;
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let key = line.trim_end().strip_suffix('=')?.trim();
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    bare.then_some(key)
}

/// The last table header (`[impact]`, `[[timeline]]`) before offset `at` of `fm`.
fn table_header(fm: &str, at: usize) -> Option<&str> {
    fm.get(..at)?.lines().rev().find_map(|line| {
        let line = line.trim();
        let header = line.split('#').next().unwrap_or(line).trim_end();
        let inner = header.strip_prefix('[')?.strip_suffix(']')?;
        let inner = inner
            .strip_prefix('[')
            .and_then(|i| i.strip_suffix(']'))
            .unwrap_or(inner);
        let name_like = !inner.trim().is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-. \"".contains(&b));
        name_like.then_some(header)
    })
}
