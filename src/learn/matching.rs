//! Whether a curated playbook item and an item an incident recorded say the
//! same thing, by meaning rather than by exact text.
//!
//! Each text becomes a set of content words: split at anything that is not a
//! letter, a digit or `_` (so `cl_waiting` stays one word), lowercased,
//! common English words and bare numbers dropped (an incident's "146" or
//! "2026" says nothing about what kind of thing happened), and each word cut
//! to its stem by the Snowball English stemmer (`terminate` and
//! `terminating` agree). Two texts match when they share at least
//! [`MIN_SHARED`] stems and those make up at least [`MIN_OVERLAP`] of the
//! shorter text's stems: a curated item is usually general ("scale the
//! offending job to zero") where the incident names its own job.
//!
//! Uses nothing else of `learn/`; it is the only user of `rust-stemmers`.

use std::collections::BTreeSet;

use rust_stemmers::{Algorithm, Stemmer};

/// The least number of stems two matching texts share.
pub const MIN_SHARED: usize = 2;

/// The least share of the shorter text's stems that the other text has too.
/// Half: on the repository's example set, 0.6 missed "Fix forward: add the
/// `path` entry to the descriptor" against "Fix forward with the corrected
/// config", and 0.5 adds no false match (see `tests/testsuite/playbooks.rs`).
pub const MIN_OVERLAP: f64 = 0.5;

/// Words too common to tell two items apart, sorted (looked up by binary
/// search: every word of every learned item is).
const STOP_WORDS: [&str; 48] = [
    "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "be", "before", "but",
    "by", "can", "did", "do", "for", "from", "had", "has", "have", "if", "in", "into", "is", "it",
    "its", "no", "not", "of", "on", "or", "our", "out", "over", "so", "than", "that", "the",
    "their", "then", "this", "to", "was", "were", "while", "with",
];

/// `word` cut to its stem by the Snowball English stemmer.
fn stem_afresh(word: &str) -> String {
    Stemmer::create(Algorithm::English).stem(word).into_owned()
}

/// How many words each thread's cache of stems keeps before it starts
/// afresh. The playbooks compare the same few thousand words of curated
/// and recorded items again and again (about 76,000 stems for 1,000
/// generated incidents; stemming them each time was about 6 % of a
/// build's work), and the search index stems every word of every incident.
const CACHED_STEMS: usize = 50_000;

thread_local! {
    static STEMS: std::cell::RefCell<foldhash::HashMap<String, String>> =
        std::cell::RefCell::new(foldhash::HashMap::default());
}

/// `word` cut to its stem by the Snowball English stemmer, as [`Stems`]
/// cuts each word: the search index stems with it too, so a page and the
/// playbooks agree on what a word's stem is. Remembered per thread: the
/// answer is the same either way, only the time differs.
pub fn stem(word: &str) -> String {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(word) {
            return stem.clone();
        }
        if cache.len() >= CACHED_STEMS {
            cache.clear();
        }
        let stem = stem_afresh(word);
        cache.insert(word.to_owned(), stem.clone());
        stem
    })
}

/// The stemmed content words of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stems(BTreeSet<String>);

impl Stems {
    /// The content words of `text`, stemmed.
    pub fn of(text: &str) -> Stems {
        let lower = text.to_lowercase();
        Stems(
            lower
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .filter(|w| STOP_WORDS.binary_search(w).is_err())
                .map(stem)
                .collect(),
        )
    }

    /// How many content words (stems) the text has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the text has no content word.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How alike two texts are, 0 to 1: the share of the shorter one's
    /// stems the other has too; 0 when they share fewer than
    /// [`MIN_SHARED`] (unless both are that one same word).
    pub fn overlap(&self, other: &Stems) -> f64 {
        let shared = self.0.intersection(&other.0).count();
        let shorter = self.0.len().min(other.0.len());
        if shorter == 0 || (shared < MIN_SHARED && !(shared == shorter && self.0 == other.0)) {
            return 0.0;
        }
        shared as f64 / shorter as f64
    }

    /// Whether the two texts say the same thing (see the module's doc).
    pub fn matches(&self, other: &Stems) -> bool {
        self.overlap(other) >= MIN_OVERLAP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        Stems::of(a).matches(&Stems::of(b))
    }

    #[test]
    fn stop_words_are_sorted_and_unique() {
        // What the binary search in `Stems::of` relies on.
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "{STOP_WORDS:?}");
    }

    #[test]
    fn a_remembered_stem_is_the_stemmer_s() {
        for word in [
            "terminating",
            "terminate",
            "replicas",
            "cl_waiting",
            "é",
            "",
        ] {
            assert_eq!(stem(word), stem_afresh(word));
            assert_eq!(stem(word), stem_afresh(word), "asked again: {word}");
        }
    }

    #[test]
    fn words_are_stemmed_and_common_words_and_numbers_dropped() {
        let s = Stems::of("Terminating the sessions of `payouts-scheduler`, 37 of them");
        let words: Vec<&str> = s.0.iter().map(String::as_str).collect();
        assert_eq!(words, ["payout", "schedul", "session", "termin", "them"]);
        assert_eq!(Stems::of("PgBouncer `cl_waiting`").0.len(), 2);
    }

    #[test]
    fn a_general_curated_item_matches_the_incident_s_own_wording() {
        assert!(same(
            "Scale the offending job or consumer to zero and terminate its sessions",
            "Scale payouts-scheduler to zero and terminate its sessions"
        ));
        assert!(same(
            "Build the missing index concurrently",
            "Build a composite index `(merchant_id, created_at DESC)` concurrently"
        ));
        assert!(same(
            "`canceling statement due to statement timeout` or `deadlock detected` in the PostgreSQL log",
            "`ERROR: deadlock detected`"
        ));
    }

    #[test]
    fn different_things_do_not_match() {
        assert!(!same(
            "Scale the offending job or consumer to zero and terminate its sessions",
            "Pause the refunds consumer until settlement finishes"
        ));
        assert!(!same(
            "Raise the PgBouncer pool size",
            "Roll back settlement-worker to `2026.04.09`"
        ));
        // One shared word is not enough.
        assert!(!same("Restart the pod", "Restart nothing, wait"));
        assert!(same("Rollback", "rollback."));
        assert!(!same("", ""));
    }
}
