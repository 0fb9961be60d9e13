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

use foldhash::HashMap;

/// The longest word indexed, in characters.
pub const MAX_WORD: usize = 40;

/// Words too common to tell incidents apart; neither indexed nor searched.
/// Sorted (the manifest lists them in this order).
pub const STOP_WORDS: [&str; 48] = [
    "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
    "can", "for", "from", "had", "has", "have", "if", "in", "into", "is", "it", "its", "no", "not",
    "of", "on", "or", "our", "so", "than", "that", "the", "their", "then", "there", "these",
    "this", "to", "was", "we", "were", "which", "while", "with",
];

/// Whether `word` (lowercased) is one of the [`STOP_WORDS`], none of
/// which is longer than five letters. Asked of every word of every
/// incident (about 2 million at 10,000 records), so it compares numbers,
/// not strings: each word as one number, looked up among the stop words'
/// numbers.
pub fn is_stop_word(word: &str) -> bool {
    word.len() <= 5 && STOP_KEYS.binary_search(&stop_key(word)).is_ok()
}

/// A word of at most five bytes as one number: its length, then its bytes.
/// Two such words are equal exactly when their keys are.
const fn stop_key(word: &str) -> u64 {
    let bytes = word.as_bytes();
    let mut key = bytes.len() as u64;
    let mut i = 0;
    while i < bytes.len() && i < 5 {
        key = (key << 8) | bytes[i] as u64;
        i += 1;
    }
    key
}

/// The [`stop_key`]s of the [`STOP_WORDS`], sorted, made when pm is
/// compiled.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = stop_key(STOP_WORDS[i]);
        // Insertion sort: each key moves back to its place.
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let before = keys[j - 1];
            keys[j - 1] = keys[j];
            keys[j] = before;
            j -= 1;
        }
        i += 1;
    }
    keys
};

/// The words of a lowercased text that are indexed, in order (repeats
/// kept).
pub fn indexed(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !is_stop_word(w) && w.chars().nth(MAX_WORD).is_none())
}

/// The term a word (as [`indexed`] gives it) is indexed under. Stems are
/// remembered per thread ([`crate::learn::stem`]): a site's vocabulary is
/// far smaller than its words (10,000 generated incidents have 1.8 million
/// words and a few thousand distinct ones).
pub fn term(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        crate::learn::stem(word)
    } else {
        word.to_owned()
    }
}

/// The terms of `text`, each given to `add` with how often it occurs (a
/// term may come more than once, from different words: `deploys`,
/// `deployed`), and how many words it has: one field of a document. Each
/// distinct word is stemmed once.
pub fn count_terms(text: &str, mut add: impl FnMut(String, u32)) -> u32 {
    let mut words: HashMap<&str, u32> = HashMap::default();
    let lower = text.to_lowercase();
    let mut total = 0u32;
    for word in indexed(&lower) {
        *words.entry(word).or_default() += 1;
        total = total.saturating_add(1);
    }
    for (word, n) in words {
        add(term(word), n);
    }
    total
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

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
        assert!(
            STOP_WORDS
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        );
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 5 && is_stop_word(w)));
        assert!(!is_stop_word("redis") && !is_stop_word("thereafter"));
    }

    #[test]
    fn a_stop_word_is_exactly_a_word_of_the_list() {
        // Every start and end of every stop word, each with a letter more
        // or less, and words that share their bytes in another order.
        let mut words = vec![
            String::new(),
            "\0a".to_owned(),
            "a\0".to_owned(),
            "é".to_owned(),
        ];
        for w in STOP_WORDS {
            for cut in 0..=w.len() {
                words.push(w[..cut].to_owned());
                words.push(w[cut..].to_owned());
                words.push(format!("{}s", &w[..cut]));
                words.push(format!("x{}", &w[cut..]));
            }
            words.push(w.chars().rev().collect());
            words.push(w.to_uppercase());
        }
        for w in &words {
            assert_eq!(is_stop_word(w), STOP_WORDS.contains(&w.as_str()), "{w:?}");
        }
        assert!(STOP_KEYS.windows(2).all(|k| k[0] < k[1]));
    }

    #[test]
    fn words_are_cut_lowercased_stemmed_and_filtered() {
        assert_eq!(
            terms("The orders-db DEPLOYS were deployed; don't redeploy the 502s"),
            [
                "order", "db", "deploy", "deploy", "don", "t", "redeploy", "502s"
            ]
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
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let n = count_terms("Deploy deploys deployed; the cache", |t, n| {
            *counts.entry(t).or_default() += n;
        });
        assert_eq!(n, 4);
        assert_eq!(counts.get("deploy"), Some(&3));
        assert_eq!(counts.get("cach"), Some(&1));
        assert_eq!(counts.len(), 2);
    }
}
