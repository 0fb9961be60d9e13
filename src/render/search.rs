//! The search index: `search-index.json` for tools, and the same data as
//! `search-index.js` (`window.PM_SEARCH = ...;`) for `search.js`, because
//! browsers refuse `fetch()` of a JSON file on `file://` pages while a
//! `<script src>` still loads.
//!
//! Per incident: id, URL, title, type, severity, status, services, year,
//! start date, time to resolve, open action items, the summary as plain
//! text and a short plain-text excerpt of the body; once for the whole
//! index, the slugs of every facet value and the playbook pages, so that
//! `search.js` can filter and draw every incident, not only one page's.
//! The JavaScript form is escaped so that nothing in a record can end the
//! `<script>` element or break the JavaScript parser (`<`, `>`, `&`,
//! U+2028 and U+2029 become `\u` escapes).

use std::collections::BTreeMap;

use serde::Serialize;

use super::cx::ViewCx;
use super::listing::{Facet, Facets, start_date};
use super::urls;
use crate::model::Incident;

/// Version of the index's shape; bumped on any breaking change.
pub const SEARCH_VERSION: u32 = 1;

#[derive(Serialize)]
struct SearchIndex<'a> {
    version: u32,
    /// Rows per page of the site's lists: how many matches `search.js`
    /// shows at a time.
    page_size: usize,
    /// Per facet: the folder of its listing pages and each value's slug,
    /// the `<select>` option values of the filters.
    facets: BTreeMap<&'static str, FacetSlugs<'a>>,
    /// Severity → rank (1 = worst), for the badge colours.
    severity_rank: BTreeMap<&'a str, usize>,
    /// Type → its playbook page, for types that have one.
    playbooks: BTreeMap<String, String>,
    /// The site's path patterns the script fills in.
    paths: urls::ScriptPaths,
    incidents: Vec<SearchEntry>,
}

#[derive(Serialize)]
struct FacetSlugs<'a> {
    dir: &'static str,
    slugs: BTreeMap<&'a str, &'a str>,
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
    date: Option<String>,
    time_to_resolve: Option<String>,
    open_actions: usize,
    draft: bool,
    summary: String,
    text: String,
}

fn index<'a>(
    cx: &'a ViewCx<'_>,
    newest_first: impl Iterator<Item = &'a Incident>,
    facets: &'a Facets,
    page_size: usize,
) -> SearchIndex<'a> {
    let incidents = newest_first
        .map(|i| {
            let analysis = cx.analyses.incidents.get(&i.id);
            SearchEntry {
                id: i.id.clone(),
                url: urls::incident(&i.id),
                title: i.title.clone(),
                kind: i.kind.value.clone(),
                severity: i.severity.value.clone(),
                status: i.status.value.as_str(),
                services: i.services.clone(),
                year: start_date(cx, i).map(|d| d.year()),
                date: start_date(cx, i).map(|d| d.to_string()),
                time_to_resolve: analysis
                    .and_then(|a| a.durations.resolve)
                    .map(crate::humanize::duration),
                open_actions: i.actions.iter().filter(|a| a.status.is_open()).count(),
                draft: i.draft,
                summary: i
                    .summary
                    .as_deref()
                    .map(|s| cx.markdown.plain(s))
                    .unwrap_or_default(),
                // The excerpt was made when the body was rendered, in the analysis.
                text: analysis.map(|a| a.body.excerpt.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let facets = Facet::ALL
        .into_iter()
        .map(|f| {
            (
                f.key(),
                FacetSlugs {
                    dir: f.dir(),
                    slugs: facets.values(f).collect(),
                },
            )
        })
        .collect();
    SearchIndex {
        version: SEARCH_VERSION,
        page_size,
        facets,
        severity_rank: cx
            .config
            .severities
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i + 1))
            .collect(),
        playbooks: cx
            .playbook_links()
            .into_iter()
            .map(|p| (p.kind, p.url))
            .collect(),
        paths: urls::script_paths(),
        incidents,
    }
}

/// The search index as JSON, made once per build: `search-index.json` is
/// these bytes, `search-index.js` the same made script-safe. `newest_first`
/// is the site's incidents as the build sorted them once, `facets` their
/// facets, `page_size` the rows of a list page.
pub fn serialize<'a>(
    cx: &'a ViewCx<'_>,
    newest_first: impl Iterator<Item = &'a Incident>,
    facets: &'a Facets,
    page_size: usize,
) -> Result<String, String> {
    serde_json::to_string(&index(cx, newest_first, facets, page_size)).map_err(|e| e.to_string())
}

/// `search-index.js`, from the serialised index.
pub fn script(json: &str) -> Vec<u8> {
    let safe = script_safe(json);
    let mut out = String::with_capacity(safe.len() + 24);
    out.push_str("window.PM_SEARCH = ");
    out.push_str(&safe);
    out.push_str(";\n");
    out.into_bytes()
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
