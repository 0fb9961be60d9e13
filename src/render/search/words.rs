//! The words of the search index: how a text becomes terms. `search-engine.js`
//! turns a query into terms by the same rules, so both sides must change
//! together; the rules a script cannot know by itself (the stop words, the
//! longest word) travel in the index's manifest.
//!
//! A text is lowercased and cut at every character that is neither a letter
//! nor a digit (Unicode's Alphabetic and Numeric, as Rust's
//! `char::is_alphanumeric` and JavaScript's `\p{Alphabetic}\p{N}` have it):
//! `orders-db` is two words, `don't` is `don` and `t`. Words longer than
//! [`MAX_WORD`] characters (hashes, pasted tokens) and [`STOP_WORDS`] are
//! dropped. A word of ASCII letters alone is cut to its Snowball English
//! stem (`deploys`, `deployed` and `deploying` are all `deploy`); any other
//! word (`502`, `http2`, `café`) is its own term.

use std::collections::BTreeMap;

/// The longest word indexed, in characters.
pub const MAX_WORD: usize = 40;

/// Words too common to tell incidents apart; neither indexed nor searched.
/// Sorted, for [`is_stop_word`].
pub const STOP_WORDS: [&str; 48] = [
    "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
    "can", "for", "from", "had", "has", "have", "if", "in", "into", "is", "it", "its", "no", "not",
    "of", "on", "or", "our", "so", "than", "that", "the", "their", "then", "there", "these",
    "this", "to", "was", "we", "were", "which", "while", "with",
];

/// Whether `word` (lowercased) is one of the [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The words of a lowercased text that are indexed, in order (repeats
/// kept).
pub fn indexed(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !is_stop_word(w) && w.chars().nth(MAX_WORD).is_none())
}

/// The term a word (as [`each_word`] gives it) is indexed under.
pub fn term(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        crate::learn::stem(word)
    } else {
        word.to_owned()
    }
}

/// The terms of `text` with how often each occurs, and how many words it
/// has: one field of a document. Each distinct word is stemmed once.
pub fn count_terms(text: &str, counts: &mut BTreeMap<String, u32>) -> u32 {
    let mut words: BTreeMap<&str, u32> = BTreeMap::new();
    let lower = text.to_lowercase();
    let mut total = 0u32;
    for word in indexed(&lower) {
        *words.entry(word).or_default() += 1;
        total = total.saturating_add(1);
    }
    for (word, n) in words {
        let slot = counts.entry(term(word)).or_default();
        *slot = slot.saturating_add(n);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        indexed(&text.to_lowercase()).map(term).collect()
    }

    #[test]
    fn stop_words_are_sorted_lowercase_and_unique() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
        assert!(STOP_WORDS.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(is_stop_word("the") && !is_stop_word("redis"));
    }

    #[test]
    fn words_are_cut_lowercased_stemmed_and_filtered() {
        assert_eq!(
            terms("The orders-db DEPLOYS were deployed; don't redeploy the 502s"),
            ["order", "db", "deploy", "deploy", "don", "t", "redeploy", "502s"]
        );
        // Only ASCII-letter words are stemmed; others are their own term.
        assert_eq!(terms("http2 cafés Ünïcode"), ["http2", "cafés", "ünïcode"]);
        let long = "x".repeat(MAX_WORD + 1);
        assert_eq!(terms(&format!("{long} ok")), ["ok"]);
        assert_eq!(terms(&"y".repeat(MAX_WORD)).len(), 1);
        assert!(terms("  \n\t—…  ").is_empty());
    }

    #[test]
    fn counts_add_up_across_forms_of_a_word() {
        let mut counts = BTreeMap::new();
        let n = count_terms("Deploy deploys deployed; the cache", &mut counts);
        assert_eq!(n, 4);
        assert_eq!(counts.get("deploy"), Some(&3));
        assert_eq!(counts.get("cach"), Some(&1));
        assert_eq!(counts.len(), 2);
    }
}
