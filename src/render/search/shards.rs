//! The search index as the browser reads it: a small manifest, then only
//! the files a query needs, each a script that hands its data to
//! `PM_SEARCH_SHARD(name, data)` (pages opened as `file://` may load
//! scripts but not `fetch()` files).
//!
//! - `index`: the manifest. Everything the filters and the rows need to
//!   know of the whole site (facets and their slugs, severity ranks, playbook
//!   pages, path patterns, the page size), the number of incidents, the
//!   first term of each term shard, and the rules of [`super::words`] a
//!   script cannot know by itself (stop words, the longest word).
//! - `terms/<n>`: the terms in one range, in UTF-16 order (JavaScript's
//!   string order), each with its postings: the incidents that have it
//!   (positions in the newest-first order) and the term's score in each
//!   ([`super::rank`]). A shard is cut after [`TERM_SHARD_BYTES`], so a
//!   query loads a shard per word, whatever the site's size.
//! - `docs/<n>`: [`DOCS_PER_SHARD`] rows of the list, in order: what a
//!   row of the incident table shows.
//! - `filters/<facet>/<slug>`: the positions of the incidents with one
//!   facet value.
//!
//! Numbers are written in a compact text form ([`push_number`]): five bits
//! per character, most significant first, in an alphabet where the last
//! character of a number is one of the first 32 and the others one of the
//! last 32. A list of positions is written as gaps (each position minus the
//! one before, minus one), so the dense lists of common words take about a
//! character per incident.

use std::collections::BTreeMap;

use foldhash::HashMap;

use rayon::prelude::*;
use serde::Serialize;

#[cfg(test)]
use super::rank::DocTerms;
use super::rank::{self, Corpus, FIELDS, quantise};
use crate::analysis::PackedTerms;

/// Rows per `docs/<n>` file. A page of ranked matches draws rows from all
/// over the list; ten rows (about 4 KB) per file keep what a first page of
/// 100 matches loads at about 400 KB.
pub const DOCS_PER_SHARD: usize = 10;

/// A term shard is closed once it holds this many bytes of postings.
pub const TERM_SHARD_BYTES: usize = 32 * 1024;

/// The alphabet of [`push_number`]: characters that need no escaping in JSON,
/// JavaScript or HTML.
const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Appends `n` in the index's number form (see the module documentation).
pub fn push_number(out: &mut String, n: u32) {
    let mut groups = 1;
    while groups < 7 && n >> (5 * groups) != 0 {
        groups += 1;
    }
    for g in (0..groups).rev() {
        let bits = ((n >> (5 * g)) & 31) as usize;
        let c = if g == 0 { bits } else { bits + 32 };
        out.push(char::from(ALPHABET[c]));
    }
}

/// Appends ascending positions as gaps.
pub fn push_positions(out: &mut String, positions: impl IntoIterator<Item = u32>) {
    let mut next = 0u32;
    for p in positions {
        push_number(out, p.saturating_sub(next));
        next = p.saturating_add(1);
    }
}

/// One file of the index: its name (`terms/3`, the path under the index's
/// folder without `.js`) and its script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// The name the script registers under.
    pub name: String,
    /// `PM_SEARCH_SHARD("<name>", <data>);`.
    pub script: Vec<u8>,
}

impl Shard {
    fn new(name: String, data: &impl Serialize) -> Result<Shard, String> {
        let json = serde_json::to_string(data).map_err(|e| e.to_string())?;
        let name_json = serde_json::to_string(&name).map_err(|e| e.to_string())?;
        let script = format!(
            "PM_SEARCH_SHARD({}, {});\n",
            script_safe(&name_json),
            script_safe(&json)
        );
        Ok(Shard {
            name,
            script: script.into_bytes(),
        })
    }
}

/// One term's postings: (position, score) by position.
#[cfg(test)]
type Scored = (String, Vec<(u32, u32)>);

/// Every term with its postings, terms in UTF-16 order.
#[cfg(test)]
type Postings = Vec<Scored>;

/// One term's incidents as they are gathered, packed (about 4 bytes an
/// incident, against 20 unpacked): for each incident, in the list's order,
/// the gap from the one before (LEB128), a byte whose bits say which
/// fields have the term, then the count in each of those fields (LEB128).
#[derive(Debug, Default)]
struct Packed {
    /// How many incidents have the term.
    df: u32,
    /// The position after the last incident added.
    next: u32,
    bytes: Vec<u8>,
}

/// Appends `n` in LEB128.
fn push_leb(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads a LEB128 number at the start of `bytes`, and moves past it.
fn read_leb(bytes: &mut &[u8]) -> Option<u32> {
    let mut n = 0u32;
    let mut shift = 0u32;
    loop {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u32::from(byte & 0x7f).checked_shl(shift)?;
        shift += 7;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
}

impl Packed {
    fn push(&mut self, pos: u32, counts: [u32; FIELDS]) {
        push_leb(&mut self.bytes, pos.saturating_sub(self.next));
        self.next = pos.saturating_add(1);
        self.df = self.df.saturating_add(1);
        let mask = (counts.iter().enumerate())
            .filter(|(_, c)| **c != 0)
            .fold(0u8, |m, (f, _)| m | 1 << f);
        self.bytes.push(mask);
        for c in counts.into_iter().filter(|c| *c != 0) {
            push_leb(&mut self.bytes, c);
        }
    }

    /// The incidents back, with their counts, by position; stops at
    /// anything it cannot read (nothing [`Packed::push`] writes).
    fn unpack(&self) -> impl Iterator<Item = (u32, [u32; FIELDS])> + '_ {
        let mut bytes = self.bytes.as_slice();
        let mut next = 0u32;
        std::iter::from_fn(move || {
            let pos = next.checked_add(read_leb(&mut bytes)?)?;
            next = pos.saturating_add(1);
            let (&mask, rest) = bytes.split_first()?;
            bytes = rest;
            let mut counts = [0; FIELDS];
            for (f, count) in counts.iter_mut().enumerate() {
                if mask & (1 << f) != 0 {
                    *count = read_leb(&mut bytes)?;
                }
            }
            Some((pos, counts))
        })
    }
}

/// The postings of the whole site as they are gathered, one incident after
/// another in the list's order: each term's incidents with its raw counts,
/// packed, and each incident's field lengths. An incident's terms
/// can be let go once it is added, so the index never holds every
/// incident's terms at once, and a posting takes about 4 bytes until the
/// terms are scored, one at a time, as their shards are written. Each term
/// is kept once, with a number: an incident's terms are looked up, not
/// copied.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Each incident's words per field, by position.
    lengths: Vec<[u32; FIELDS]>,
    /// Each term's number (its UTF-8, as [`rank::unpack_bytes`] reads it).
    numbers: HashMap<Box<[u8]>, u32>,
    /// By term number: the term's incidents, by position.
    packed: Vec<Packed>,
    /// By term number: its counts in the incident being added.
    counts: Vec<[u32; FIELDS]>,
    /// By term number: the position after the last incident that counted
    /// it (while an incident is added, its own position after it).
    counted: Vec<u32>,
    /// The term numbers of the incident being added.
    met: Vec<u32>,
}

impl Gathered {
    /// Adds the next incident in the list's order.
    #[cfg(test)]
    pub fn add(&mut self, doc: DocTerms) {
        let pos = u32::try_from(self.lengths.len()).unwrap_or(u32::MAX);
        for (term, counts) in &doc.terms {
            self.count(pos, term.as_bytes(), counts);
        }
        self.added(pos, doc.lengths);
    }

    /// Adds the next incident in the list's order, from the terms of each
    /// of its fields, packed ([`rank::DocTerms::pack`]), in
    /// [`rank::Field::ALL`] order.
    pub fn add_packed(&mut self, fields: [&PackedTerms; FIELDS]) {
        let pos = u32::try_from(self.lengths.len()).unwrap_or(u32::MAX);
        for (f, packed) in fields.iter().enumerate() {
            let mut counts = [0; FIELDS];
            for (term, n) in rank::unpack_bytes(packed) {
                counts[f] = n;
                self.count(pos, term, &counts);
            }
        }
        self.added(pos, fields.map(|packed| packed.words));
    }

    /// Closes the incident at `pos`, of `lengths` words per field: each
    /// of its terms gets its posting.
    fn added(&mut self, pos: u32, lengths: [u32; FIELDS]) {
        self.lengths.push(lengths);
        for n in self.met.drain(..) {
            let n = n as usize;
            if let (Some(packed), Some(counts)) = (self.packed.get_mut(n), self.counts.get_mut(n)) {
                packed.push(pos, std::mem::take(counts));
            }
        }
    }

    /// Adds `counts` of `term` to the incident at `pos`.
    fn count(&mut self, pos: u32, term: &[u8], counts: &[u32; FIELDS]) {
        let n = match self.numbers.get(term) {
            Some(&n) => n,
            None => {
                let n = u32::try_from(self.packed.len()).unwrap_or(u32::MAX);
                self.numbers.insert(term.into(), n);
                self.packed.push(Packed::default());
                self.counts.push([0; FIELDS]);
                self.counted.push(0);
                n
            }
        };
        let at = n as usize;
        let (Some(sum), Some(counted)) = (self.counts.get_mut(at), self.counted.get_mut(at)) else {
            return;
        };
        let after = pos.saturating_add(1);
        if *counted != after {
            *counted = after;
            self.met.push(n);
        }
        for (sum, n) in sum.iter_mut().zip(counts) {
            *sum = sum.saturating_add(*n);
        }
    }

    /// The terms in UTF-16 order, each with its incidents, and what
    /// scores them.
    fn sorted(self) -> (Vec<(String, Packed)>, Scoring) {
        let corpus = Corpus::of(self.lengths.iter());
        let norms: Vec<[f64; FIELDS]> = (self.lengths.iter())
            .map(|lengths| corpus.norms(*lengths))
            .collect();
        let mut packed = self.packed;
        let mut terms: Vec<(String, Packed)> = (self.numbers.into_iter())
            .filter_map(|(term, n)| {
                let term = String::from_utf8(term.into_vec()).ok()?;
                Some((term, std::mem::take(packed.get_mut(n as usize)?)))
            })
            .collect();
        drop(packed);
        // In UTF-16 order, JavaScript's: it differs from UTF-8's only above
        // U+FFFF, so most pairs are settled by comparing bytes.
        terms.sort_unstable_by(|(a, _), (b, _)| {
            if a.is_ascii() && b.is_ascii() {
                a.cmp(b)
            } else {
                a.encode_utf16().cmp(b.encode_utf16())
            }
        });
        (terms, Scoring { corpus, norms })
    }

    /// The scored postings, terms in UTF-16 order.
    #[cfg(test)]
    pub fn postings(self) -> impl Iterator<Item = Scored> {
        let (terms, scoring) = self.sorted();
        (terms.into_iter()).map(move |(term, packed)| (term, scoring.scored(&packed).collect()))
    }

    /// Each term, in UTF-16 order, with its postings scored and written as
    /// a term shard has them (each incident's gap from the one before, then
    /// its score); the terms are scored in parallel, a thousand
    /// ([`SCORED_AT_ONCE`]) at a time, their packed postings let go once
    /// they are written out.
    pub fn encoded(self) -> impl Iterator<Item = (String, String)> {
        let (terms, scoring) = self.sorted();
        let mut terms = terms.into_iter();
        std::iter::from_fn(move || {
            let slice: Vec<(String, Packed)> = terms.by_ref().take(SCORED_AT_ONCE).collect();
            if slice.is_empty() {
                return None;
            }
            let encoded: Vec<(String, String)> = (slice.into_par_iter())
                .map(|(term, packed)| {
                    let mut encoded = String::with_capacity(packed.bytes.len());
                    encode(&mut encoded, scoring.scored(&packed));
                    (term, encoded)
                })
                .collect();
            Some(encoded)
        })
        .flatten()
    }
}

/// How many terms [`Gathered::encoded`] scores at a time.
pub const SCORED_AT_ONCE: usize = 1024;

/// What scores a term's incidents once every incident is gathered.
struct Scoring {
    corpus: Corpus,
    /// Each incident's [`Corpus::norms`], by position.
    norms: Vec<[f64; FIELDS]>,
}

impl Scoring {
    /// A term's incidents with their scores, by position.
    fn scored<'a>(&'a self, packed: &'a Packed) -> impl Iterator<Item = (u32, u32)> + 'a {
        let idf = self.corpus.idf(packed.df as usize);
        (packed.unpack()).filter_map(move |(pos, counts)| {
            let norms = self.norms.get(pos as usize)?;
            Some((pos, quantise(self.corpus.score_in(idf, counts, norms))))
        })
    }
}

/// Appends a term's postings as a term shard has them: each incident's
/// gap from the one before, then its score.
fn encode(out: &mut String, postings: impl IntoIterator<Item = (u32, u32)>) {
    let mut next = 0u32;
    for (pos, score) in postings {
        push_number(out, pos.saturating_sub(next));
        push_number(out, score);
        next = pos.saturating_add(1);
    }
}

/// The postings of the whole site, terms in UTF-16 order.
#[cfg(test)]
pub fn postings(docs: &[DocTerms]) -> Postings {
    let mut gathered = Gathered::default();
    for doc in docs {
        gathered.add(doc.clone());
    }
    gathered.postings().collect()
}

/// Closes the shard being filled, if it has a term.
fn close_shard<E>(
    current: &mut BTreeMap<String, String>,
    first: &mut Option<String>,
    firsts: &mut Vec<String>,
    emit: &mut dyn FnMut(Shard) -> Result<(), E>,
    failed: fn(String) -> E,
) -> Result<(), E> {
    if let Some(f) = first.take() {
        let name = format!("terms/{}", firsts.len());
        firsts.push(f);
        emit(Shard::new(name, &*current).map_err(failed)?)?;
        current.clear();
    }
    Ok(())
}

/// The term shards, from the terms in order each with its postings
/// written out ([`Gathered::encoded`]), each given to `emit` as soon as it
/// is cut; returns the first term of each.
pub fn term_shards<E>(
    postings: impl IntoIterator<Item = (String, String)>,
    emit: &mut dyn FnMut(Shard) -> Result<(), E>,
    failed: fn(String) -> E,
) -> Result<Vec<String>, E> {
    let mut firsts = Vec::new();
    let mut current: BTreeMap<String, String> = BTreeMap::new();
    let mut first: Option<String> = None;
    let mut bytes = 0;
    for (term, encoded) in postings {
        bytes += term.len() + encoded.len() + 6;
        first.get_or_insert_with(|| term.clone());
        current.insert(term, encoded);
        if bytes >= TERM_SHARD_BYTES {
            close_shard(&mut current, &mut first, &mut firsts, emit, failed)?;
            bytes = 0;
        }
    }
    close_shard(&mut current, &mut first, &mut firsts, emit, failed)?;
    Ok(firsts)
}

/// The row shards, [`DOCS_PER_SHARD`] rows each, in order.
pub fn doc_shards<R: Serialize>(rows: &[R]) -> Result<Vec<Shard>, String> {
    rows.chunks(DOCS_PER_SHARD)
        .enumerate()
        .map(|(n, chunk)| Shard::new(format!("docs/{n}"), &chunk))
        .collect()
}

/// The filter shard of one facet value.
pub fn filter_shard(facet: &str, slug: &str, members: &[u32]) -> Result<Shard, String> {
    let mut encoded = String::with_capacity(members.len() * 2);
    push_positions(&mut encoded, members.iter().copied());
    Shard::new(format!("filters/{facet}/{slug}"), &encoded)
}

/// The manifest's shard.
pub fn manifest_shard(manifest: &impl Serialize) -> Result<Shard, String> {
    Shard::new("index".to_owned(), manifest)
}

/// JSON made safe inside a `<script>` element and for JavaScript parsers
/// older than ES2019. The characters replaced can only occur inside JSON
/// strings, where the `\u` escape means the same character.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut run = 0;
    let bytes = json.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
        let escape = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            0xE2 => match bytes.get(at + 1..at + 3) {
                Some([0x80, 0xA8]) => "\\u2028",
                Some([0x80, 0xA9]) => "\\u2029",
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(json.get(run..at).unwrap_or_default());
        out.push_str(escape);
        run = at + if b == 0xE2 { 3 } else { 1 };
    }
    out.push_str(json.get(run..).unwrap_or_default());
    out
}

/// A writer that makes what goes through it [`script_safe`] on the way
/// to `inner`, so a large script need not be held whole to be escaped.
/// [`ScriptSafe::finish`] writes out a byte held back at the end.
pub struct ScriptSafe<W: std::io::Write> {
    inner: W,
    /// The first bytes of a U+2028 or U+2029 seen so far (`E2`, `E2 80`).
    held: Vec<u8>,
}

impl<W: std::io::Write> ScriptSafe<W> {
    /// Escapes into `inner`.
    pub fn new(inner: W) -> ScriptSafe<W> {
        ScriptSafe {
            inner,
            held: Vec::new(),
        }
    }

    /// Writes out what is held back (only bytes of a character cut short).
    pub fn finish(mut self) -> std::io::Result<W> {
        let held = std::mem::take(&mut self.held);
        self.inner.write_all(&held)?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut run = 0;
        for (i, &b) in buf.iter().enumerate() {
            let escape: Option<&[u8]> = match (self.held.as_slice(), b) {
                ([], b'<') => Some(b"\\u003c"),
                ([], b'>') => Some(b"\\u003e"),
                ([], b'&') => Some(b"\\u0026"),
                ([], 0xE2) | ([0xE2], 0x80) => {
                    self.inner.write_all(&buf[run..i])?;
                    self.held.push(b);
                    run = i + 1;
                    continue;
                }
                ([0xE2, 0x80], 0xA8) => Some(b"\\u2028"),
                ([0xE2, 0x80], 0xA9) => Some(b"\\u2029"),
                ([], _) => continue,
                (_, _) => {
                    let held = std::mem::take(&mut self.held);
                    self.inner.write_all(&held)?;
                    // The byte itself may start what is escaped.
                    return self.write(&buf[i..]).map(|n| n + i);
                }
            };
            if let Some(escape) = escape {
                self.inner.write_all(&buf[run..i])?;
                self.held.clear();
                self.inner.write_all(escape)?;
                run = i + 1;
            }
        }
        self.inner.write_all(&buf[run..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_escaping_writer_matches_script_safe_however_the_text_is_cut() {
        let text = "a<b>&c\u{2028}d\u{2029}e\u{20ac}f\u{2022}g\u{e2}</script>";
        let want = script_safe(text);
        for cut in 1..8 {
            let mut w = ScriptSafe::new(Vec::new());
            for chunk in text.as_bytes().chunks(cut) {
                std::io::Write::write_all(&mut w, chunk).expect("write");
            }
            let got = String::from_utf8(w.finish().expect("finish")).expect("UTF-8");
            assert_eq!(got, want, "cut {cut}");
        }
    }

    /// Reads numbers back as `search-engine.js` does.
    fn decode(text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut acc = 0u32;
        for c in text.bytes() {
            let v = ALPHABET
                .iter()
                .position(|a| *a == c)
                .expect("in the alphabet") as u32;
            acc = (acc << 5) | (v & 31);
            if v < 32 {
                out.push(acc);
                acc = 0;
            }
        }
        out
    }

    #[test]
    fn numbers_round_trip_and_small_ones_take_one_character() {
        let values = [0, 1, 31, 32, 1023, 1024, 99_999, u32::MAX];
        let mut text = String::new();
        for v in values {
            push_number(&mut text, v);
        }
        assert_eq!(decode(&text), values);
        let mut one = String::new();
        push_number(&mut one, 31);
        assert_eq!(one.len(), 1);
        let mut two = String::new();
        push_number(&mut two, 1023);
        assert_eq!(two.len(), 2);
    }

    #[test]
    fn positions_are_written_as_gaps() {
        let mut text = String::new();
        push_positions(&mut text, [0, 1, 2, 10]);
        assert_eq!(decode(&text), [0, 0, 0, 7]);
    }

    #[test]
    fn postings_hold_every_incident_of_a_term_in_order_with_a_score() {
        let docs = vec![
            DocTerms::of(["Redis down", "", "the cache failed", ""]),
            DocTerms::of(["Deploy", "", "redis restarted", ""]),
            DocTerms::of(["Other", "", "nothing", ""]),
        ];
        let postings = postings(&docs);
        let redis = postings.iter().find(|(t, _)| t == "redi").expect("redis");
        let positions: Vec<u32> = redis.1.iter().map(|(p, _)| *p).collect();
        assert_eq!(positions, [0, 1]);
        // In the title it counts more than in the write-up.
        assert!(redis.1[0].1 > redis.1[1].1, "{redis:?}");
        let terms: Vec<&str> = postings.iter().map(|(t, _)| t.as_str()).collect();
        let mut sorted = terms.clone();
        sorted.sort_unstable();
        assert_eq!(terms, sorted);
    }

    /// An incident whose fields' terms were packed gives the same postings
    /// as one counted from its texts: a term in the body and in another
    /// field is one posting, its counts added up.
    #[test]
    fn a_packed_body_gives_the_postings_of_its_text() {
        let incidents = [
            [
                "Redis down",
                "deploys failed",
                "Deploy deployed; redis café 502 ",
                "db",
            ],
            ["Deploy", "", "", "redis sev1"],
            ["Other", "", "cache cache cache", ""],
        ];
        let mut whole = Gathered::default();
        let mut apart = Gathered::default();
        for [title, summary, body, facts] in incidents {
            whole.add(DocTerms::of([title, summary, body, facts]));
            let body = body.repeat(50);
            let packed = [title, summary, &body, facts].map(DocTerms::pack);
            apart.add_packed(packed.each_ref());
        }
        let mut long = Gathered::default();
        for [title, summary, body, facts] in incidents {
            long.add(DocTerms::of([title, summary, &body.repeat(50), facts]));
        }
        let apart: Vec<_> = apart.postings().collect();
        assert_eq!(apart, long.postings().collect::<Vec<_>>());
        assert_ne!(apart, whole.postings().collect::<Vec<_>>());
        let redis = apart.iter().find(|(t, _)| t == "redi").expect("redis");
        assert_eq!(redis.1.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [0, 1]);
    }

    /// Packed postings give back every position and count exactly: large
    /// gaps and counts, fields without the term, several incidents.
    #[test]
    fn packed_postings_read_back_exactly() {
        let added = [
            (0, [1, 0, 0, 0]),
            (1, [0, 0, 300, 0]),
            (200, [0, 2, 0, 70_000]),
            (u32::MAX - 1, [u32::MAX, 127, 128, 16_384]),
        ];
        let mut packed = Packed::default();
        for (pos, counts) in added {
            packed.push(pos, counts);
        }
        assert_eq!(packed.df, 4);
        assert_eq!(packed.unpack().collect::<Vec<_>>(), added);
    }

    #[test]
    fn term_shards_cover_every_term_once_in_order_and_stay_small() {
        let docs: Vec<DocTerms> = (0..6000)
            .map(|i| {
                let body = format!("word{} common{} shared text {}", i % 700, i % 13, i);
                DocTerms::of(["title", "", &body, ""])
            })
            .collect();
        let postings = postings(&docs);
        let mut cut = Vec::new();
        let encoded = postings.iter().map(|(term, list)| {
            let mut text = String::new();
            encode(&mut text, list.iter().copied());
            (term.clone(), text)
        });
        let firsts = term_shards(
            encoded,
            &mut |s| -> Result<(), String> {
                cut.push(s);
                Ok(())
            },
            |e| e,
        )
        .expect("shards");
        assert_eq!(firsts.len(), cut.len());
        let shards: Vec<(String, Shard)> = firsts.into_iter().zip(cut).collect();
        assert!(shards.len() >= 4, "{} shards", shards.len());
        let mut seen = Vec::new();
        for (n, (first, shard)) in shards.iter().enumerate() {
            assert_eq!(shard.name, format!("terms/{n}"));
            let script = String::from_utf8(shard.script.clone()).expect("UTF-8");
            let json = script
                .strip_prefix(&format!("PM_SEARCH_SHARD(\"terms/{n}\", "))
                .and_then(|s| s.strip_suffix(");\n"))
                .expect("a registration");
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(json).expect("JSON");
            assert_eq!(map.keys().next(), Some(first));
            // A shard may pass the mark by its last term only.
            let last = map
                .values()
                .next_back()
                .and_then(|v| v.as_str())
                .map_or(0, str::len);
            assert!(json.len() < TERM_SHARD_BYTES + last + 64, "{}", json.len());
            seen.extend(map.keys().cloned());
        }
        let all: Vec<String> = postings.iter().map(|(t, _)| t.clone()).collect();
        assert_eq!(seen, all);
    }

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

    /// Only U+2028 and U+2029 of the characters starting with byte E2 are
    /// escaped, wherever they are.
    #[test]
    fn script_safe_escapes_exactly_its_characters() {
        assert_eq!(
            script_safe("\u{2028}a\u{20ac}\u{2022}<b>&\u{2029}\u{e2}\u{2028}"),
            "\\u2028a\u{20ac}\u{2022}\\u003cb\\u003e\\u0026\\u2029\u{e2}\\u2028"
        );
        assert_eq!(script_safe(""), "");
    }

    #[test]
    fn shards_are_script_safe() {
        let shard = Shard::new("docs/0".to_owned(), &["</script><!-- \u{2028}"]).expect("shard");
        let text = String::from_utf8(shard.script).expect("UTF-8");
        assert!(!text.contains('<') && !text.contains('\u{2028}'), "{text}");
    }
}
