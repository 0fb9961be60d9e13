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

/// Calls `each` with the words of `text` that are indexed, lowercased, in
/// order (repeats kept): the words of [`indexed`] of `text.to_lowercase()`,
/// without lowercasing the whole text first. A text of ASCII alone is cut
/// and lowercased byte by byte; any other is cut at ASCII whitespace first,
/// which lowercasing never looks across (the one rule of Unicode's that
/// looks at neighbours, the final sigma's, looks past case-ignorable
/// characters only, and whitespace is not one), and each piece is cut byte
/// by byte if it is ASCII, else as [`indexed`] does.
pub fn each_indexed(text: &str, mut each: impl FnMut(&str)) {
    let mut lower = String::new();
    if text.is_ascii() {
        each_ascii(text, &mut lower, &mut each);
        return;
    }
    for piece in text.split(|c: char| c.is_ascii_whitespace()) {
        if piece.is_ascii() {
            each_ascii(piece, &mut lower, &mut each);
        } else {
            indexed(&piece.to_lowercase()).for_each(&mut each);
        }
    }
}

/// What an ASCII byte is to [`each_ascii`]: [`SEPARATOR`] (anything but a
/// letter or a digit), [`CAPITAL`], or 1 (a small letter or a digit).
const ASCII_CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_uppercase() {
            class[b] = CAPITAL;
        } else if c.is_ascii_alphanumeric() {
            class[b] = 1;
        }
        b += 1;
    }
    class
};
/// See [`ASCII_CLASS`].
const SEPARATOR: u8 = 0;
/// See [`ASCII_CLASS`].
const CAPITAL: u8 = 2;

/// [`each_indexed`] of a text of ASCII alone: its words are its runs of
/// ASCII letters and digits, lowercased (in `lower`) if they have a capital.
fn each_ascii(text: &str, lower: &mut String, each: &mut impl FnMut(&str)) {
    let mut at = 0;
    loop {
        let rest = text.as_bytes().get(at..).unwrap_or_default();
        let Some(skip) = rest
            .iter()
            .position(|&b| ASCII_CLASS[b as usize] != SEPARATOR)
        else {
            return;
        };
        let word = rest.get(skip..).unwrap_or_default();
        let mut classes = 0;
        let len = (word.iter())
            .position(|&b| {
                let class = ASCII_CLASS[b as usize];
                classes |= class;
                class == SEPARATOR
            })
            .unwrap_or(word.len());
        let start = at + skip;
        at = start + len;
        // An ASCII word has as many characters as bytes.
        if len > MAX_WORD {
            continue;
        }
        let Some(mut word) = text.get(start..at) else {
            return;
        };
        if classes & CAPITAL != 0 {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            word = lower;
        }
        if !is_stop_word(word) {
            each(word);
        }
    }
}

/// How many words each thread's [`Vocabulary`] keeps before it starts
/// afresh.
const KNOWN_WORDS: usize = 100_000;

/// The words one thread has met, each with the number of its term, so
/// that a word is stemmed and its term made once per thread, not once per
/// text it is in; and the counts of the text being counted, by term
/// number. A site's vocabulary is far smaller than its words (10,000
/// generated incidents have 1.8 million words and a few thousand distinct
/// ones).
#[derive(Default)]
struct Vocabulary {
    /// Word → its term's number.
    words: HashMap<Box<str>, u32>,
    /// Term → its number.
    numbers: HashMap<Box<str>, u32>,
    /// Number → term.
    terms: Vec<Box<str>>,
    /// Number → its count in the text being counted (0 between texts).
    counts: Vec<u32>,
    /// The numbers counted in the text being counted, in the order met.
    met: Vec<u32>,
}

thread_local! {
    static VOCABULARY: std::cell::RefCell<Vocabulary> = Default::default();
}

impl Vocabulary {
    /// The number of `word`'s term, made if the word is new.
    fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.words.get(word) {
            return n;
        }
        let term = term(word);
        let n = match self.numbers.get(term.as_str()) {
            Some(&n) => n,
            None => {
                let n = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
                self.terms.push(term.clone().into_boxed_str());
                self.numbers.insert(term.into_boxed_str(), n);
                self.counts.push(0);
                n
            }
        };
        self.words.insert(word.into(), n);
        n
    }

    /// [`count_terms`] with this vocabulary.
    fn count(&mut self, text: &str, add: &mut dyn FnMut(&str, u32)) -> u32 {
        if self.words.len() >= KNOWN_WORDS {
            *self = Vocabulary::default();
        }
        let mut total = 0u32;
        each_indexed(text, |word| {
            total = total.saturating_add(1);
            let n = self.number(word);
            if let Some(count) = self.counts.get_mut(n as usize) {
                if *count == 0 {
                    self.met.push(n);
                }
                *count = count.saturating_add(1);
            }
        });
        let mut met = std::mem::take(&mut self.met);
        for n in met.drain(..) {
            let n = n as usize;
            if let (Some(term), Some(count)) = (self.terms.get(n), self.counts.get_mut(n)) {
                add(term, std::mem::take(count));
            }
        }
        self.met = met;
        total
    }
}

/// The terms of `text`, each given to `add` once with how often it occurs
/// (from any of its words: `deploys`, `deployed`), and how many words it
/// has: one field of a document. Each distinct word is stemmed once per
/// thread (each thread keeps the words it has met, with their terms).
pub fn count_terms(text: &str, mut add: impl FnMut(&str, u32)) -> u32 {
    VOCABULARY.with(|vocabulary| match vocabulary.try_borrow_mut() {
        Ok(mut vocabulary) => vocabulary.count(text, &mut add),
        // Only if `add` counted another text: that one counts afresh.
        Err(_) => Vocabulary::default().count(text, &mut add),
    })
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

    /// Cutting and lowercasing piece by piece gives the words of the
    /// whole text lowercased at once: across ASCII and other letters, the
    /// final sigma (lowercased by what is around it), letters that
    /// lowercase to two characters, overlong words and every separator.
    #[test]
    fn words_of_pieces_are_the_words_of_the_whole() {
        let texts = [
            "ΟΔΟΣ ΟΔΟΣ. ΣΑΣ 'ΟΔΟΣ' Σ ΑΣ-Α ΑΣ'Α ΑΣ\tΑ ΑΣ\u{b}Α x.Σ",
            "İstanbul İİ aİb KELVIN \u{212a}elvin straße STRASSE ǅemal",
            "café-Deploys\u{a0}DEPLOYED\u{2028}redis\r\nhttp2 50x—timeouts… don't",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmn abcdefghijklmnopqrstuvwxyzabcdefghijklmno",
            "ééééééééééééééééééééééééééééééééééééééé ééééééééééééééééééééééééééééééééééééééééé",
            "  \t\n\u{c}  THE The the a-z A_B 0x1F 日本語のテキスト ١٢٣ Ⅻ ",
            "",
        ];
        for text in texts {
            let whole: Vec<String> = indexed(&text.to_lowercase()).map(str::to_owned).collect();
            let mut pieces = Vec::new();
            each_indexed(text, |w| pieces.push(w.to_owned()));
            assert_eq!(pieces, whole, "{text:?}");
        }
        // Every text of a few characters that matter, in every order.
        let alphabet = ['Σ', 'a', 'A', ' ', '\'', '.', 'İ', '-', 'é', '\t'];
        for n in 0..alphabet.len().pow(4) {
            let text: String = (0..4)
                .map(|d| alphabet[n / alphabet.len().pow(d) % alphabet.len()])
                .collect();
            let whole: Vec<String> = indexed(&text.to_lowercase()).map(str::to_owned).collect();
            let mut pieces = Vec::new();
            each_indexed(&text, |w| pieces.push(w.to_owned()));
            assert_eq!(pieces, whole, "{text:?}");
        }
    }

    #[test]
    fn counts_add_up_across_forms_of_a_word() {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let n = count_terms("Deploy deploys deployed; the cache", |t, n| {
            assert!(counts.insert(t.to_owned(), n).is_none(), "{t} twice");
        });
        assert_eq!(n, 4);
        assert_eq!(counts.get("deploy"), Some(&3));
        assert_eq!(counts.get("cach"), Some(&1));
        assert_eq!(counts.len(), 2);
    }
}
