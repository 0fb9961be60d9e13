//! The incident list's search (issue 21, item 3): the sharded index in
//! `search/` that `search-engine.js` reads from a page opened as `file://`.
//!
//! - In headless Chromium: a word found only in a write-up, a stemmed form of
//!   a word, a word being typed, a filter and a word together, and a word in
//!   a title ranked above the same word in a write-up; no console message
//!   (a Content-Security-Policy violation included).
//! - The script's Snowball stemmer against the one pm indexes with
//!   (`rust-stemmers`), word for word, on the words of the repository's
//!   documents and records and on made-up words for every rule.
//! - The index's files are the same bytes whatever the number of threads.

use std::collections::BTreeSet;
use std::path::Path;

use crate::browser::{TODAY, chromium, load_with};
use crate::support::{Project, list_files, md_files, repo_root};

/// The fixture site with a few words added to two write-ups.
fn site_with_words() -> Project {
    let p = Project::from_fixture("site");
    let backlog = "incidents/2026-03-10-queue-backlog.md";
    let text = p.read(backlog);
    p.file(
        backlog,
        format!(
            "{text}\n## Follow-up\n\nThe partitions were rebalanced by the quokka job; no replica \
             was involved.\n"
        ),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    p
}

/// The ids of the rows of the incident list after the page's scripts ran,
/// in order, and the filter form's status line.
fn search(browser: &Path, p: &Project, suffix: &str) -> (Vec<String>, String) {
    let loaded = load_with(
        browser,
        &p.root().join("public/index.html"),
        suffix,
        &["--virtual-time-budget=5000", "--dump-dom"],
    );
    assert!(
        loaded.console.is_empty(),
        "index.html{suffix}: the page logged to the browser console:\n  {}",
        loaded.console.join("\n  ")
    );
    let dom = loaded.dom;
    let table = dom
        .find("id=\"incident-list\"")
        .map(|at| &dom[at..])
        .and_then(|t| t.split("</table>").next())
        .unwrap_or("");
    let mut rows = Vec::new();
    for tr in table.split("<tr").skip(1) {
        let head = tr.split('>').next().unwrap_or("");
        if head.contains(" hidden") {
            continue;
        }
        // The incident a row links (its title: `incidents/<id>/index.html`).
        if let Some(id) = tr
            .split("href=\"incidents/")
            .nth(1)
            .and_then(|s| s.split('/').next())
        {
            rows.push(id.to_owned());
        }
    }
    let status = dom
        .split("class=\"filter-status\"")
        .nth(1)
        .and_then(|s| s.split_once('>'))
        .and_then(|(_, s)| s.split("</p>").next())
        .unwrap_or("")
        .to_owned();
    (rows, status)
}

/// The text of every record of the built fixture, lowercased.
fn records_text(p: &Project) -> String {
    let mut files = Vec::new();
    md_files(&p.root().join("incidents"), &mut files);
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read record"))
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase()
}

#[test]
fn browser_search_finds_write_up_words_stems_and_prefixes_and_combines_with_filters() {
    let Some(browser) = chromium() else { return };
    let p = site_with_words();
    let text = records_text(&p);
    let backlog = "2026-03-10-queue-backlog";

    // A word that is only in a write-up: the rows a list page shows have
    // titles and summaries only, so only the index of the bodies finds it.
    assert_eq!(text.matches("quokka").count(), 1);
    let (rows, status) = search(&browser, &p, "?q=quokka");
    assert_eq!(rows, [backlog]);
    assert_eq!(status, "Showing 1 of 5 incidents.");

    // A form of a word that no record has: found through its stem.
    assert!(!text.contains("rebalancing") && text.contains("rebalanced"));
    let (rows, _) = search(&browser, &p, "?q=rebalancing");
    assert_eq!(rows, [backlog]);
    let (rows, _) = search(&browser, &p, "?q=Rebalancing%20PARTITION");
    assert_eq!(rows, [backlog]);

    // A word being typed matches the words it starts; once finished
    // (followed by a space) it must be whole.
    let (rows, _) = search(&browser, &p, "?q=quok");
    assert_eq!(rows, [backlog]);
    let (rows, status) = search(&browser, &p, "?q=quok%20");
    assert!(rows.is_empty(), "{rows:?}");
    assert_eq!(status, "Showing 0 of 5 incidents.");

    // A filter and a word together: both must hold; the fragment works too.
    let (rows, _) = search(&browser, &p, "?q=rebalancing&severity=sev4");
    assert_eq!(rows, [backlog]);
    let (rows, _) = search(&browser, &p, "?q=rebalancing&severity=sev1");
    assert!(rows.is_empty(), "{rows:?}");
    let (rows, _) = search(&browser, &p, "#q=rebalancing&status=mitigated");
    assert_eq!(rows, [backlog]);

    // Ranked: the incident with the word in its title comes before the one
    // that has it only in its write-up, though that one is newer.
    let (rows, _) = search(&browser, &p, "?q=replica");
    assert_eq!(
        rows.first().map(String::as_str),
        Some("2026-01-28-orders-db-replica-lag")
    );
    assert!(rows.iter().any(|r| r == backlog), "{rows:?}");
    // Without words, a filter lists newest first, as the pages do.
    let (rows, _) = search(&browser, &p, "?status=resolved");
    let mut sorted = rows.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(rows, sorted);
}

/// Words for the stemmer comparison: every word of the repository's
/// documents and records, and made-up words that reach every rule.
fn stemmer_words() -> Vec<String> {
    let mut words = BTreeSet::new();
    let root = repo_root();
    let mut files = Vec::new();
    for dir in ["docs", "incidents", "playbooks", "tests/fixtures/site"] {
        md_files(&root.join(dir), &mut files);
    }
    files.push(root.join("README.md"));
    for f in files {
        let text = std::fs::read_to_string(&f)
            .unwrap_or_default()
            .to_lowercase();
        for w in pm::render::search::words::indexed(&text) {
            if w.bytes().all(|b| b.is_ascii_lowercase()) {
                words.insert(w.to_owned());
            }
        }
    }
    let bases = [
        "gener", "commun", "arsen", "hop", "hope", "fizz", "luxur", "cry", "ti", "sky", "happ",
        "play", "say", "yell", "bead", "bleed", "agree", "fall", "control", "rate", "sensat",
        "condit", "ventil", "relat", "elect", "hesit", "nation", "abl", "troubl", "dy", "ly",
        "ugl", "earl", "onl", "singl", "skie", "ski", "new", "at", "bl", "iz", "bo", "x", "yy",
        "ayy", "beyo", "aby", "ow", "ox", "oy", "sav", "fil", "filt", "roll", "dep", "deploy",
    ];
    let suffixes = [
        "", "s", "es", "ies", "ied", "ss", "us", "sses", "'s", "ed", "eed", "eedly", "ing",
        "ingly", "edly", "ly", "li", "y", "e", "le", "ll", "l", "ational", "tional", "enci",
        "anci", "abli", "entli", "izer", "ization", "ation", "ator", "alism", "aliti", "alli",
        "fulness", "ousli", "ousness", "iveness", "iviti", "biliti", "bli", "ogi", "logi", "fulli",
        "lessli", "cli", "alize", "icate", "iciti", "ical", "ful", "ness", "ative", "al", "ance",
        "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti",
        "ous", "ive", "ize", "ion", "sion", "tion", "at", "bl", "iz", "bb", "dd", "tt", "ingness",
        "ionally",
    ];
    for b in bases {
        for s in suffixes {
            let w = format!("{b}{s}");
            if w.bytes().all(|c| c.is_ascii_lowercase()) {
                words.insert(w);
            }
        }
    }
    for w in [
        "skis",
        "skies",
        "dying",
        "lying",
        "tying",
        "idly",
        "gently",
        "ugly",
        "early",
        "only",
        "singly",
        "sky",
        "news",
        "howe",
        "atlas",
        "cosmos",
        "bias",
        "andes",
        "inning",
        "innings",
        "outing",
        "outings",
        "canning",
        "cannings",
        "herring",
        "herrings",
        "earring",
        "earrings",
        "proceed",
        "proceeds",
        "exceed",
        "exceeded",
        "succeed",
        "succeeding",
        "a",
        "ab",
        "abc",
        "yes",
        "you",
        "yay",
        "gas",
        "gaps",
        "kiwis",
        "ties",
        "cries",
        "bleed",
        "bleeded",
    ] {
        words.insert(w.to_owned());
    }
    // Made-up words of a few letters, vowels and y's among them.
    let letters = b"aeiouybcdlnrstwxyz";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..6000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 2 + (state % 9) as usize;
        let w: String = (0..len)
            .map(|i| char::from(letters[((state >> (i * 5)) % letters.len() as u64) as usize]))
            .collect();
        words.insert(w);
    }
    words.into_iter().collect()
}

#[test]
fn browser_the_scripts_stemmer_agrees_with_the_index() {
    let Some(browser) = chromium() else { return };
    let words = stemmer_words();
    assert!(words.len() > 8000, "{} words", words.len());
    let p = Project::empty();
    let engine = repo_root().join("site-template/search-engine.js");
    p.file(
        "search-engine.js",
        std::fs::read(engine).expect("read search-engine.js"),
    );
    p.file(
        "words.js",
        format!(
            "window.STEM_WORDS = {};\n",
            serde_json::to_string(&words).expect("JSON")
        ),
    );
    p.file(
        "stem.js",
        "document.getElementById('out').textContent = window.STEM_WORDS.map(function (w) {\n\
         \x20 return w + ' ' + window.PM_SEARCH_ENGINE.stem(w);\n}).join('\\n');\n",
    );
    p.file(
        "stem.html",
        "<!doctype html><html lang=\"en\"><head><title>stems</title></head><body><pre id=\"out\"></pre>\
         <script src=\"search-engine.js\"></script><script src=\"words.js\"></script>\
         <script src=\"stem.js\"></script></body></html>\n",
    );
    let loaded = load_with(&browser, &p.root().join("stem.html"), "", &["--dump-dom"]);
    assert!(loaded.console.is_empty(), "{:?}", loaded.console);
    let out = loaded
        .dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .expect("the page's output");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in out.lines() {
        let (word, js) = line.split_once(' ').expect("word and stem");
        let rust = pm::learn::stem(word);
        if rust != js {
            wrong.push(format!(
                "{word}: rust-stemmers {rust}, search-engine.js {js}"
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, words.len());
    assert!(
        wrong.is_empty(),
        "{} of {checked} words stem differently:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_index_is_the_same_bytes_whatever_the_number_of_threads() {
    // Enough records, and words, for several shards of each kind.
    let p = Project::from_fixture("site");
    let template = p.read("incidents/2026-03-10-queue-backlog.md");
    let syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su"];
    let mut seed: u32 = 7;
    for n in 0..240 {
        let mut words = Vec::new();
        for _ in 0..40 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let word: String = (0..3)
                .map(|i| syllables[((seed >> (8 + 4 * i)) % 10) as usize])
                .collect();
            words.push(word);
        }
        let record = template
            .replace(
                "Webhook queue backlog after a traffic spike",
                &format!("Backlog number {n}"),
            )
            .replace(
                "A change shipped without a check.",
                &format!("{}.", words.join(" ")),
            );
        p.file(
            &format!("incidents/2026-03-10-queue-backlog-{n:03}.md"),
            record,
        );
    }
    let run = |threads: &str, out: &str| {
        p.pm(["build", "--today", TODAY, "-o", out])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .code(0);
    };
    run("1", "one");
    run("4", "four");
    let files = list_files(&p.root().join("one/search"));
    let count = |prefix: &str| files.iter().filter(|f| f.starts_with(prefix)).count();
    assert!(
        count("terms/") > 1 && count("docs/") > 10 && count("filters/") > 5,
        "{files:?}"
    );
    assert_eq!(files, list_files(&p.root().join("four/search")));
    for f in files
        .iter()
        .map(|f| format!("search/{f}"))
        .chain(["search-index.json".to_owned()])
    {
        assert!(
            p.read(&format!("one/{f}")) == p.read(&format!("four/{f}")),
            "{f} differs between 1 and 4 threads"
        );
    }
}
