//! The search index, in two forms:
//!
//! - `search-index.json`, for tools: every incident in one file, newest
//!   first: id, URL, title, type, severity, status, services, year, start
//!   date, time to resolve, open action items, the summary as plain text
//!   and a short plain-text excerpt of the body; once for the whole index,
//!   the slugs of every facet value and the playbook pages.
//! - `search/`, for `search-engine.js`: the same rows and a ranked word
//!   index, cut into small scripts so that a query loads a manifest and only
//!   the files it needs (see [`shards`]).
//!
//! Its files, each using only those before it: `words` (how a text becomes
//! terms, the rules `search-engine.js` repeats), `rank` (BM25F scores),
//! `shards` (the browser's files). This file gathers each incident's row and
//! terms (in parallel, in the list's order) and hands them to both forms.
//!
//! Scripts are escaped so that nothing in a record can end the `<script>`
//! element or break the JavaScript parser (`<`, `>`, `&`, U+2028 and U+2029
//! become `\u` escapes).

pub mod rank;
pub mod shards;
pub mod words;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::cx::ViewCx;
use super::listing::{Facet, Facets, start_date};
use super::urls;
use crate::analysis::PackedTerms;
use crate::model::Incident;

pub use rank::{DocTerms, Field};
pub use shards::{DOCS_PER_SHARD, ScriptSafe, Shard, TERM_SHARD_BYTES, script_safe};
pub use words::{MAX_WORD, STOP_WORDS};

/// Version of the index's shape; bumped on any breaking change. 2: the
/// browser's index moved from `search-index.js` to the `search/` folder.
pub const SEARCH_VERSION: u32 = 2;

/// Once for the whole index, in both forms: what the filters and the rows
/// need to know of the whole site.
#[derive(Serialize)]
struct Common<'a> {
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
}

#[derive(Serialize)]
struct FacetSlugs<'a> {
    dir: &'static str,
    slugs: BTreeMap<&'a str, &'a str>,
}

/// The manifest of the browser's index (`search/index.js`).
#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    common: &'a Common<'a>,
    /// Number of incidents.
    docs: usize,
    /// Rows per `docs/<n>` shard.
    docs_per_shard: usize,
    /// The first term of each `terms/<n>` shard, in order.
    terms: Vec<String>,
    /// Words neither indexed nor searched.
    stop_words: &'static [&'static str],
    /// The longest word indexed, in characters.
    max_word: usize,
}

#[derive(Serialize)]
struct Row {
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
}

/// An incident in `search-index.json`: its row and an excerpt of its body.
#[derive(Serialize)]
struct ToolEntry<'a> {
    #[serde(flatten)]
    row: &'a Row,
    text: &'a str,
}

#[derive(Serialize)]
struct ToolIndex<'a> {
    #[serde(flatten)]
    common: &'a Common<'a>,
    incidents: Vec<ToolEntry<'a>>,
}

/// One incident as the index sees it.
struct Doc<'a> {
    row: Row,
    excerpt: &'a str,
    /// The terms of each of its fields, in [`Field::ALL`] order.
    terms: [Cow<'a, PackedTerms>; rank::FIELDS],
}

/// How many incidents have their terms counted at a time (in parallel)
/// before they go into the postings: enough to keep every thread busy, few
/// enough that their terms take little memory.
const CHUNK: usize = 512;

fn doc<'a>(cx: &ViewCx<'a>, i: &Incident) -> Doc<'a> {
    let analysis = cx.analyses.incidents.get(&i.id);
    let summary = i
        .summary
        .as_deref()
        .map(|s| cx.markdown.plain(s))
        .unwrap_or_default();
    let year = start_date(cx, i).map(|d| d.year());
    // The body was rendered once, in the analysis, with its plain text.
    let excerpt = analysis.map_or("", |a| a.body.excerpt.as_str());
    let body = analysis.map_or("", |a| a.body.plain.as_str());
    let facts = [
        i.id.as_str(),
        i.kind.value.as_str(),
        i.severity.value.as_str(),
        i.status.value.as_str(),
    ]
    .into_iter()
    .chain(i.services.iter().map(String::as_str))
    .chain(i.tags.iter().map(String::as_str))
    .collect::<Vec<_>>()
    .join(" ");
    let facts = match year {
        Some(y) => format!("{facts} {y}"),
        None => facts,
    };
    // A streamed build counted the body's terms as the record went by.
    let body = match analysis.and_then(|a| a.body_terms.as_ref()) {
        Some(packed) => Cow::Borrowed(packed),
        None => Cow::Owned(DocTerms::pack(body)),
    };
    let pack = |text: &str| Cow::Owned(DocTerms::pack(text));
    let terms = [pack(&i.title), pack(&summary), body, pack(&facts)];
    Doc {
        row: Row {
            id: i.id.clone(),
            url: urls::incident(&i.id),
            title: i.title.clone(),
            kind: i.kind.value.clone(),
            severity: i.severity.value.clone(),
            status: i.status.value.as_str(),
            services: i.services.clone(),
            year,
            date: start_date(cx, i).map(|d| d.to_string()),
            time_to_resolve: analysis
                .and_then(|a| a.durations.resolve)
                .map(crate::humanize::duration),
            open_actions: i.actions.iter().filter(|a| a.status.is_open()).count(),
            draft: i.draft,
            summary,
        },
        excerpt,
        terms,
    }
}

fn common<'a>(cx: &'a ViewCx<'_>, facets: &'a Facets, page_size: usize) -> Common<'a> {
    Common {
        version: SEARCH_VERSION,
        page_size,
        facets: Facet::ALL
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
            .collect(),
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
    }
}

/// The JSON `write` writes, in a string of just its length: it is written twice,
/// first to count its bytes, so that a large index is never copied into a
/// buffer twice its size as a growing string would be.
fn to_json_exactly(
    write: &dyn Fn(&mut dyn std::io::Write) -> serde_json::Result<()>,
) -> Result<String, String> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    write(&mut count).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(count.0);
    write(&mut bytes).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Both forms of the index, made once per build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// `search-index.json`, without its final newline.
    pub json: String,
    /// The browser's files, the manifest first; each is written to
    /// [`urls::search_file`] of its name.
    pub shards: Vec<Shard>,
}

/// Where the index's files go as they are made: `search-index.json`, which
/// `index` gets as a function writing it into a writer, and each of the
/// browser's files ([`Shard`]), which `shard` gets one at a time, the
/// manifest after the term shards. A sink is sent to another thread:
/// `search-index.json` is written while the shards of rows are made.
pub trait Sink: Send {
    /// What a sink's failure is.
    type Error: Send;
    /// A failure of the index's making.
    fn failed(message: String) -> Self::Error;
    /// Takes `search-index.json`, without its final newline: `write`
    /// writes it into the writer it is given.
    fn index(
        &mut self,
        write: &dyn Fn(&mut dyn std::io::Write) -> serde_json::Result<()>,
    ) -> Result<(), Self::Error>;
    /// Takes one of the browser's files.
    fn shard(&mut self, shard: Shard) -> Result<(), Self::Error>;
}

/// Keeps every file of the index, for [`build`].
#[derive(Default)]
struct Kept(Search);

impl Sink for Kept {
    type Error = String;
    fn failed(message: String) -> String {
        message
    }
    fn index(
        &mut self,
        write: &dyn Fn(&mut dyn std::io::Write) -> serde_json::Result<()>,
    ) -> Result<(), String> {
        self.0.json = to_json_exactly(write)?;
        Ok(())
    }
    fn shard(&mut self, shard: Shard) -> Result<(), String> {
        // The manifest first, as the browser's list of files has it.
        if shard.name == "index" {
            self.0.shards.insert(0, shard);
        } else {
            self.0.shards.push(shard);
        }
        Ok(())
    }
}

/// Both forms of the search index. `newest_first` is the site's incidents
/// as the build sorted them once, `facets` their facets (positions in that
/// order), `page_size` the rows of a list page.
pub fn build(
    cx: &ViewCx<'_>,
    newest_first: &[&Incident],
    facets: &Facets,
    page_size: usize,
) -> Result<Search, String> {
    let mut kept = Kept::default();
    build_into(cx, newest_first, facets, page_size, &mut kept)?;
    Ok(kept.0)
}

/// [`build`], each file given to `sink` as soon as it is made (a streamed
/// build writes it then), so the files are never all held at once: the
/// term shards as they are cut, `search-index.json` written by `sink`
/// straight from the rows (while the row shards are made), then the
/// manifest, the row shards and the filter shards.
pub fn build_into<S: Sink>(
    cx: &ViewCx<'_>,
    newest_first: &[&Incident],
    facets: &Facets,
    page_size: usize,
    sink: &mut S,
) -> Result<(), S::Error> {
    // Each chunk's terms go into the postings as soon as they are counted,
    // while the next chunk's are.
    let mut rows = Vec::with_capacity(newest_first.len());
    let mut excerpts = Vec::with_capacity(newest_first.len());
    let mut gathered = shards::Gathered::default();
    let mut docs: Vec<Doc<'_>> = Vec::new();
    let mut chunks = newest_first.chunks(CHUNK);
    loop {
        let chunk = chunks.next();
        let ((), next) = rayon::join(
            || {
                for d in std::mem::take(&mut docs) {
                    gathered.add_packed(d.terms.each_ref().map(|t| &**t));
                    rows.push(d.row);
                    excerpts.push(d.excerpt);
                }
            },
            || chunk.map(|chunk| chunk.par_iter().map(|i| doc(cx, i)).collect::<Vec<_>>()),
        );
        match next {
            Some(next) => docs = next,
            None => break,
        }
    }
    // The term shards first, so the postings are let go before the
    // rows are written out as `search-index.json`.
    let firsts = shards::term_shards(
        gathered.encoded(),
        &mut |shard| sink.shard(shard),
        S::failed,
    )?;
    let common = common(cx, facets, page_size);
    // `search-index.json` is written while the browser's files of rows
    // are made.
    let (written, docs) = rayon::join(
        || {
            let tools = ToolIndex {
                common: &common,
                incidents: (rows.iter().zip(&excerpts))
                    .map(|(row, text)| ToolEntry { row, text })
                    .collect(),
            };
            sink.index(&|out| serde_json::to_writer(out, &tools))
        },
        || shards::doc_shards(&rows),
    );
    written?;
    drop(excerpts);
    let manifest = Manifest {
        common: &common,
        docs: rows.len(),
        docs_per_shard: DOCS_PER_SHARD,
        terms: firsts,
        stop_words: &STOP_WORDS,
        max_word: MAX_WORD,
    };
    sink.shard(shards::manifest_shard(&manifest).map_err(S::failed)?)?;
    for shard in docs.map_err(S::failed)? {
        sink.shard(shard)?;
    }
    for (facet, slug, _) in facets.listings() {
        let members = facets.members(facet, slug).unwrap_or_default();
        sink.shard(shards::filter_shard(facet.key(), slug, members).map_err(S::failed)?)?;
    }
    Ok(())
}
