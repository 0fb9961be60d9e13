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

use std::sync::Arc;

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

/// Each thread's stems by word, and whether the word is one of the
/// [`STOP_WORDS`]. A stem is shared (`Arc`): a [`Stems`] holds the cache's
/// own, so taking one from the cache allocates nothing, and a [`Stems`] made
/// on one thread can be compared on another.
type StemCache = foldhash::HashMap<Box<str>, (bool, Arc<str>)>;

thread_local! {
    static STEMS: std::cell::RefCell<StemCache> =
        std::cell::RefCell::new(StemCache::default());
}

/// Whether `word` is one of the [`STOP_WORDS`], and its stem: from `cache`,
/// or else found and remembered.
fn cached(cache: &mut StemCache, word: &str) -> (bool, Arc<str>) {
    if let Some((stop, stem)) = cache.get(word) {
        return (*stop, Arc::clone(stem));
    }
    if cache.len() >= CACHED_STEMS {
        cache.clear();
    }
    let stop = STOP_WORDS.binary_search(&word).is_ok();
    let stem: Arc<str> = Arc::from(stem_afresh(word));
    cache.insert(Box::from(word), (stop, Arc::clone(&stem)));
    (stop, stem)
}

/// `word` cut to its stem by the Snowball English stemmer, as [`Stems`]
/// cuts each word: the search index stems with it too, so a page and the
/// playbooks agree on what a word's stem is. Remembered per thread: the
/// answer is the same either way, only the time differs.
pub fn stem(word: &str) -> String {
    STEMS.with(|cache| String::from(&*cached(&mut cache.borrow_mut(), word).1))
}

/// The stemmed content words of a text: each stem once, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stems(Vec<Arc<str>>);

impl Stems {
    /// The content words of `text`, stemmed: the words of the lowercased
    /// text (cut at anything not alphanumeric or `_`), numbers and
    /// common English words dropped. A text of ASCII alone is cut byte by
    /// byte as it is, and a word lowercased only when it has a capital:
    /// lowercasing ASCII keeps every byte's place and kind. Any other text
    /// is lowercased whole first (a capital can lowercase to more than one
    /// character, and not every one a letter: `İ` is `i` and a combining
    /// dot, which cuts the word).
    pub fn of(text: &str) -> Stems {
        let mut stems: Vec<Arc<str>> = Vec::new();
        STEMS.with(|cache| {
            let cache = &mut cache.borrow_mut();
            let mut add = |word: &str| {
                if word.is_empty() || word.bytes().all(|b| b.is_ascii_digit()) {
                    return;
                }
                let (stop, stem) = cached(cache, word);
                if !stop {
                    stems.push(stem);
                }
            };
            if text.is_ascii() {
                let mut lower = String::new();
                let mut from = 0;
                let ends = text.bytes().chain([b' ']).enumerate();
                for (at, _) in ends.filter(|(_, b)| !(b.is_ascii_alphanumeric() || *b == b'_')) {
                    let word = text.get(from..at).unwrap_or_default();
                    from = at + 1;
                    if word.bytes().any(|b| b.is_ascii_uppercase()) {
                        word.clone_into(&mut lower);
                        lower.make_ascii_lowercase();
                        add(&lower);
                    } else {
                        add(word);
                    }
                }
            } else {
                let lower = text.to_lowercase();
                for word in lower.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    add(word);
                }
            }
        });
        stems.sort_unstable();
        stems.dedup();
        Stems(stems)
    }

    /// The stems, sorted.
    #[cfg(test)]
    pub(super) fn words(&self) -> Vec<&str> {
        self.0.iter().map(|w| &**w).collect()
    }

    /// How many content words (stems) the text has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the text has no content word.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many stems both texts have (both lists are sorted and unique).
    fn shared(&self, other: &Stems) -> usize {
        use std::cmp::Ordering;
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while let (Some(x), Some(y)) = (self.0.get(i), other.0.get(j)) {
            match x.cmp(y) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        shared
    }

    /// How alike two texts are, 0 to 1: the share of the shorter one's
    /// stems the other has too; 0 when they share fewer than
    /// [`MIN_SHARED`] (unless both are that one same word).
    pub fn overlap(&self, other: &Stems) -> f64 {
        let shared = self.shared(other);
        let shorter = self.0.len().min(other.0.len());
        // Sharing all of both is being the same set of stems.
        let same = shared == self.0.len() && shared == other.0.len();
        if shorter == 0 || (shared < MIN_SHARED && !same) {
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
            "the",
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
        assert_eq!(
            s.words(),
            ["payout", "schedul", "session", "termin", "them"]
        );
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
