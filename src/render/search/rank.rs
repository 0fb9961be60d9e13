//! Ranking: how well an incident matches one term, worked out when the site
//! is built, so the browser only adds numbers.
//!
//! BM25F (Robertson and Zaragoza, "The Probabilistic Relevance Framework:
//! BM25 and Beyond", 2009): a term's occurrences in each field count with
//! that field's weight, each field normalised by its length against the
//! average length of that field, and the sum saturates (`K1`) and is
//! weighed by the term's rarity across incidents (IDF). A word in the title
//! counts more than one in the summary, which counts more than one in the
//! write-up. The score of one term in one incident depends on nothing a
//! query holds, so the index stores it, rounded to an integer
//! ([`quantise`]); the score of a query is the sum over its terms.

use foldhash::HashMap;

use super::words;
use crate::analysis::PackedTerms;

/// The fields of an incident that are searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The title.
    Title,
    /// The front-matter summary.
    Summary,
    /// The write-up's prose (no headings, no code blocks).
    Body,
    /// The id, type, severity, status, services, tags and year.
    Facts,
}

/// Number of [`Field`]s.
pub const FIELDS: usize = 4;

impl Field {
    /// Every field, in the order of a document's arrays.
    pub const ALL: [Field; FIELDS] = [Field::Title, Field::Summary, Field::Body, Field::Facts];

    /// How much an occurrence in this field counts.
    pub fn weight(self) -> f64 {
        match self {
            Field::Title => 4.0,
            Field::Summary => 2.0,
            Field::Body => 1.0,
            Field::Facts => 2.0,
        }
    }

    /// How much the field's length normalises (0: not at all, 1: fully).
    /// Facts are short lists, where length says nothing.
    fn length_normalisation(self) -> f64 {
        match self {
            Field::Title | Field::Summary | Field::Body => 0.75,
            Field::Facts => 0.0,
        }
    }
}

/// BM25's saturation: how fast more occurrences stop adding.
const K1: f64 = 1.2;

/// One incident's terms, field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocTerms {
    /// Words per field.
    pub lengths: [u32; FIELDS],
    /// Each term's occurrences per field, in no particular order (the
    /// index orders the postings by incident, not by term).
    pub terms: Vec<(String, [u32; FIELDS])>,
}

impl DocTerms {
    /// The terms of one incident's fields (texts in [`Field::ALL`] order).
    pub fn of(fields: [&str; FIELDS]) -> DocTerms {
        let mut lengths = [0; FIELDS];
        let mut terms: HashMap<String, [u32; FIELDS]> = HashMap::default();
        for (f, text) in fields.iter().enumerate() {
            lengths[f] = words::count_terms(text, |term, n| {
                let counts = match terms.get_mut(term) {
                    Some(counts) => counts,
                    None => terms.entry(term.to_owned()).or_default(),
                };
                counts[f] = counts[f].saturating_add(n);
            });
        }
        DocTerms {
            lengths,
            terms: terms.into_iter().collect(),
        }
    }
}

impl DocTerms {
    /// The terms of one text, packed (see [`PackedTerms`]), each once.
    pub fn pack(text: &str) -> PackedTerms {
        let mut packed = Vec::with_capacity(text.len() / 4);
        let words = words::count_terms(text, |term, mut n| {
            packed.extend_from_slice(term.as_bytes());
            packed.push(0);
            loop {
                let low = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    packed.push(low);
                    break;
                }
                packed.push(low | 0x80);
            }
        });
        PackedTerms {
            words,
            packed: packed.into_boxed_slice(),
        }
    }

    /// [`DocTerms::of`] with the body's terms already counted and packed
    /// ([`DocTerms::pack`]); the body's text in `fields` is not read.
    #[cfg(test)]
    pub fn with_body(mut fields: [&str; FIELDS], body: &PackedTerms) -> DocTerms {
        let at = Field::Body as usize;
        fields[at] = "";
        let doc = DocTerms::of(fields);
        let mut terms: HashMap<String, [u32; FIELDS]> = doc.terms.into_iter().collect();
        for (term, n) in unpack(body) {
            let counts = terms.entry(term.to_owned()).or_default();
            counts[at] = counts[at].saturating_add(n);
        }
        let mut lengths = doc.lengths;
        lengths[at] = body.words;
        DocTerms {
            lengths,
            terms: terms.into_iter().collect(),
        }
    }
}

/// The terms and counts of [`PackedTerms::packed`]; stops at anything it
/// cannot read (nothing [`DocTerms::pack`] writes).
#[cfg(test)]
pub fn unpack(terms: &PackedTerms) -> impl Iterator<Item = (&str, u32)> {
    unpack_bytes(terms).map_while(|(term, n)| Some((std::str::from_utf8(term).ok()?, n)))
}

/// The terms and counts of [`PackedTerms::packed`], each term's UTF-8 as
/// it is packed, not checked; stops at anything it cannot read (nothing
/// [`DocTerms::pack`] writes).
pub fn unpack_bytes(terms: &PackedTerms) -> impl Iterator<Item = (&[u8], u32)> {
    let mut bytes: &[u8] = &terms.packed;
    std::iter::from_fn(move || {
        let end = bytes.iter().position(|b| *b == 0)?;
        let term = bytes.get(..end)?;
        let mut n = 0u32;
        let mut shift = 0;
        let mut at = end + 1;
        loop {
            let byte = *bytes.get(at)?;
            at += 1;
            n |= u32::from(byte & 0x7f).checked_shl(shift)?;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        bytes = bytes.get(at..)?;
        Some((term, n))
    })
}

/// What scoring needs to know of the whole site.
#[derive(Debug, Clone, Copy)]
pub struct Corpus {
    /// Number of incidents.
    pub docs: usize,
    /// Average words per field.
    pub average: [f64; FIELDS],
}

impl Corpus {
    /// The averages of the incidents' field lengths ([`DocTerms::lengths`]).
    pub fn of<'a>(lengths: impl ExactSizeIterator<Item = &'a [u32; FIELDS]>) -> Corpus {
        let n = lengths.len();
        let mut sums = [0f64; FIELDS];
        for d in lengths {
            for (sum, len) in sums.iter_mut().zip(*d) {
                *sum += f64::from(len);
            }
        }
        Corpus {
            docs: n,
            average: sums.map(|s| if n == 0 { 0.0 } else { s / n as f64 }),
        }
    }

    /// The BM25F score of a term found in `df` incidents, in an incident with
    /// `counts` occurrences per field and `lengths` words per field.
    pub fn score(&self, df: usize, counts: [u32; FIELDS], lengths: [u32; FIELDS]) -> f64 {
        self.score_in(self.idf(df), counts, &self.norms(lengths))
    }

    /// The rarity of a term found in `df` incidents: the same for each of
    /// its incidents, so worked out once per term.
    pub fn idf(&self, df: usize) -> f64 {
        let n = self.docs as f64;
        let df = df as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// What each field's occurrences are divided by in an incident with
    /// `lengths` words per field: the same for each of its terms, so worked
    /// out once per incident.
    pub fn norms(&self, lengths: [u32; FIELDS]) -> [f64; FIELDS] {
        let mut norms = [1.0; FIELDS];
        for (i, field) in Field::ALL.into_iter().enumerate() {
            let b = field.length_normalisation();
            let ratio = if self.average[i] > 0.0 {
                f64::from(lengths[i]) / self.average[i]
            } else {
                1.0
            };
            norms[i] = 1.0 - b + b * ratio;
        }
        norms
    }

    /// [`Corpus::score`] from the term's [`Corpus::idf`] and the incident's
    /// [`Corpus::norms`]; the same number to the last bit.
    pub fn score_in(&self, idf: f64, counts: [u32; FIELDS], norms: &[f64; FIELDS]) -> f64 {
        let mut tf = 0.0;
        for (i, field) in Field::ALL.into_iter().enumerate() {
            if counts[i] == 0 {
                continue;
            }
            tf += field.weight() * f64::from(counts[i]) / norms[i];
        }
        idf * tf * (K1 + 1.0) / (tf + K1)
    }
}

/// The largest stored score: scores take at most two characters of the
/// index's number encoding (32 × 32).
pub const MAX_SCORE: u32 = 1023;

/// A score as the index stores it: × 40, rounded, between 1 and
/// [`MAX_SCORE`]. Two incidents whose scores differ by less than 1/40 may
/// rank either way (ties then go to the newer).
pub fn quantise(score: f64) -> u32 {
    let scaled = (score * 40.0).round();
    if scaled.is_nan() || scaled < 1.0 {
        1
    } else if scaled >= f64::from(MAX_SCORE) {
        MAX_SCORE
    } else {
        scaled as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, summary: &str, body: &str) -> DocTerms {
        DocTerms::of([title, summary, body, ""])
    }

    fn score_of(corpus: &Corpus, docs: &[DocTerms], d: usize, term: &str) -> f64 {
        let df = docs
            .iter()
            .filter(|d| d.terms.iter().any(|(t, _)| t == term))
            .count();
        let doc = &docs[d];
        doc.terms
            .iter()
            .find(|(t, _)| t == term)
            .map_or(0.0, |(_, c)| corpus.score(df, *c, doc.lengths))
    }

    #[test]
    fn a_title_outranks_a_summary_which_outranks_a_body() {
        let filler = "alpha beta gamma delta epsilon";
        let docs = vec![
            doc("Redis outage", filler, filler),
            doc("Outage", &format!("redis {filler}"), filler),
            doc("Outage", filler, &format!("redis {filler}")),
            doc("Nothing", filler, filler),
        ];
        let corpus = Corpus::of(docs.iter().map(|d| &d.lengths));
        let s: Vec<f64> = (0..4)
            .map(|d| score_of(&corpus, &docs, d, "redi"))
            .collect();
        assert!(s[0] > s[1] && s[1] > s[2] && s[2] > 0.0, "{s:?}");
        assert_eq!(s[3], 0.0);
    }

    #[test]
    fn shorter_fields_score_higher_and_repeats_saturate() {
        let docs = vec![
            doc("", "", "cache cache timeout"),
            doc("", "", "cache timeout"),
            doc("", "", "cache"),
            doc("", "", &format!("timeout {}", "word ".repeat(50))),
        ];
        let corpus = Corpus::of(docs.iter().map(|d| &d.lengths));
        // `timeout` is in three incidents, `cache` in three too; in the short
        // write-up it counts more than in the long one.
        assert!(score_of(&corpus, &docs, 1, "timeout") > score_of(&corpus, &docs, 3, "timeout"));
        // Two occurrences beat one, but not twice over.
        let two = score_of(&corpus, &docs, 0, "cach");
        let one = score_of(&corpus, &docs, 2, "cach");
        assert!(two > one && two < 2.0 * one, "{two} {one}");
    }

    #[test]
    fn a_packed_body_counts_as_its_text() {
        let body = "Deploys deployed the cache; cache cache 502 café ".repeat(70);
        let fields = [
            "Cache outage",
            "deploy went wrong",
            body.as_str(),
            "db sev1 2024",
        ];
        let mut expected = DocTerms::of(fields);
        let packed = DocTerms::pack(&body);
        assert!(
            packed.packed.len() < body.len() / 10,
            "{}",
            packed.packed.len()
        );
        let mut got = DocTerms::with_body([fields[0], fields[1], "ignored", fields[3]], &packed);
        expected.terms.sort();
        got.terms.sort();
        assert_eq!(got, expected);
        // Counts past one LEB128 byte survive.
        assert!(got.terms.iter().any(|(t, c)| t == "cach" && c[2] == 210));
        let empty = DocTerms::with_body(["", "", "", ""], &DocTerms::pack(""));
        assert_eq!(empty, DocTerms::of(["", "", "", ""]));
    }

    #[test]
    fn quantised_scores_stay_in_range() {
        assert_eq!(quantise(0.0), 1);
        assert_eq!(quantise(f64::NAN), 1);
        assert_eq!(quantise(-3.0), 1);
        assert_eq!(quantise(1.0), 40);
        assert_eq!(quantise(1e9), MAX_SCORE);
        assert_eq!(quantise(f64::INFINITY), MAX_SCORE);
    }

    #[test]
    fn an_empty_corpus_scores_without_dividing_by_zero() {
        let corpus = Corpus::of(std::iter::empty());
        assert!(corpus.score(0, [1, 0, 0, 0], [1, 0, 0, 0]).is_finite());
    }
}
