//! The search index: `search-index.json` for tools, and the same data as
//! `search-index.js` (`window.PM_SEARCH = ...;`) for `search.js`, because
//! browsers refuse `fetch()` of a JSON file on `file://` pages while a
//! `<script src>` still loads.
//!
//! Per incident: id, URL, title, type, severity, status, services, year,
//! the summary as plain text and a short plain-text excerpt of the body.
//! The JavaScript form is escaped so that nothing in a record can end the
//! `<script>` element or break the JavaScript parser (`<`, `>`, `&`,
//! U+2028 and U+2029 become `\u` escapes).

use serde::Serialize;

use super::listing::start_date;
use super::view::ViewCx;
use crate::error::{Error, Result};

/// Version of the index's shape; bumped on any breaking change.
pub const SEARCH_VERSION: u32 = 1;

#[derive(Serialize)]
struct SearchIndex {
    version: u32,
    incidents: Vec<SearchEntry>,
}

#[derive(Serialize)]
struct SearchEntry {
    id: String,
    url: String,
    title: String,
    #[serde(rename = "type")]
    kind: String,
    severity: String,
    status: &'static str,
    services: Vec<String>,
    year: Option<i16>,
    summary: String,
    text: String,
}

fn index(cx: &ViewCx<'_>) -> SearchIndex {
    let incidents = cx
        .incidents_newest_first()
        .into_iter()
        .map(|i| SearchEntry {
            id: i.id.clone(),
            url: super::view::incident_url(&i.id),
            title: i.title.clone(),
            kind: i.kind.value.clone(),
            severity: i.severity.value.clone(),
            status: i.status.value.as_str(),
            services: i.services.clone(),
            year: start_date(cx, i).map(|d| d.year()),
            summary: i
                .summary
                .as_deref()
                .map(|s| cx.markdown.plain(s))
                .unwrap_or_default(),
            // The excerpt was made when the body was rendered, in the analysis.
            text: cx
                .analyses
                .incidents
                .get(&i.id)
                .map(|a| a.body.excerpt.clone())
                .unwrap_or_default(),
        })
        .collect();
    SearchIndex {
        version: SEARCH_VERSION,
        incidents,
    }
}

fn serialize(cx: &ViewCx<'_>, what: &'static str) -> Result<String> {
    serde_json::to_string(&index(cx)).map_err(|e| Error::Serialize {
        what,
        message: e.to_string(),
    })
}

/// `search-index.json`.
pub fn search_json(cx: &ViewCx<'_>) -> Result<Vec<u8>> {
    let mut out = serialize(cx, "search-index.json")?;
    out.push('\n');
    Ok(out.into_bytes())
}

/// `search-index.js`.
pub fn search_js(cx: &ViewCx<'_>) -> Result<Vec<u8>> {
    let json = serialize(cx, "search-index.js")?;
    Ok(format!("window.PM_SEARCH = {};\n", script_safe(&json)).into_bytes())
}

/// JSON made safe inside a `<script>` element and for JavaScript parsers
/// older than ES2019. The characters replaced can only occur inside JSON
/// strings, where the `\u` escape means the same character.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_script_and_still_parses() {
        let json = serde_json::to_string(&serde_json::json!({
            "t": "</script><script>alert(1)</script> & \u{2028}\u{2029}"
        }))
        .unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back["t"],
            "</script><script>alert(1)</script> & \u{2028}\u{2029}"
        );
    }
}
