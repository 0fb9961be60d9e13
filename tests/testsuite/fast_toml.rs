//! The front-matter fast path (`pm::parse::fast`) against toml, through the
//! oracle `pm::parse::fast::differential::compare`: on every record of the
//! repository and its fixtures, on generated records, and on random
//! mutations of them. Wherever the fast path says yes, toml must say yes
//! with the same value and the same spans; and the fast path must say yes to
//! the records pm is measured on, or it saves nothing.

use std::sync::LazyLock;

use pm::parse::fast::differential::{Verdict, compare};
use pm::parse::{RawIncident, RawPlaybook, split_front_matter};
use proptest::prelude::*;

use crate::support::{edits, gen_corpus, md_files, repo_root};

/// How many generated records the differential test reads (a debug build
/// parses each one twice per target).
const GENERATED: u64 = 400;

/// Every record file of the repository: (path relative to the root, front matter).
fn repository_records() -> Vec<(String, String)> {
    let root = repo_root();
    let mut files = Vec::new();
    for dir in ["incidents", "playbooks", "tests/fixtures"] {
        md_files(&root.join(dir), &mut files);
    }
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path
                .strip_prefix(&root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            let text = String::from_utf8(std::fs::read(&path).expect("read record")).ok()?;
            let split = split_front_matter(&text).ok()?;
            Some((rel, text[split.front_matter].to_owned()))
        })
        .collect()
}

fn is_playbook(rel: &str) -> bool {
    rel.starts_with("playbooks/") || rel.contains("/playbooks/")
}

/// The generated corpus's records and playbooks, as front matters.
static GENERATED_RECORDS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let front_matter = |text: &str| {
        let split = split_front_matter(text).expect("a generated record splits");
        text[split.front_matter].to_owned()
    };
    let mut records: Vec<(String, String)> = gen_corpus::corpus(42, GENERATED)
        .into_iter()
        .map(|g| (format!("incidents/{}.md", g.id), front_matter(&g.record)))
        .collect();
    for (kind, text) in gen_corpus::playbooks(42) {
        records.push((format!("playbooks/{kind}.md"), front_matter(&text)));
    }
    records
});

fn check(rel: &str, fm: &str) -> Verdict {
    compare(fm).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Whether toml reads `fm` as the record kind of `rel`.
fn toml_reads(rel: &str, fm: &str) -> bool {
    if is_playbook(rel) {
        toml::from_str::<RawPlaybook>(fm).is_ok()
    } else {
        toml::from_str::<RawIncident>(fm).is_ok()
    }
}

/// Accepted through serde and directly (the way `pm` reads records).
fn accepted(rel: &str, verdict: Verdict) -> bool {
    if is_playbook(rel) {
        verdict.playbook && verdict.direct_playbook
    } else {
        verdict.incident && verdict.direct_incident
    }
}

#[test]
fn the_repository_s_records_are_read_as_toml_reads_them() {
    let records = repository_records();
    assert!(records.len() > 90, "found {} records", records.len());
    let mut declined = Vec::new();
    for (rel, fm) in &records {
        let verdict = check(rel, fm);
        if !accepted(rel, verdict) && toml_reads(rel, fm) {
            declined.push(rel.as_str());
        }
    }
    // Every record toml reads is in the fast path's subset, the hostile
    // fixtures included: the fast path is what pm runs on them.
    assert!(
        declined.is_empty(),
        "the fast path left valid records to toml: {declined:#?}"
    );
}

#[test]
fn generated_records_are_read_as_toml_reads_them() {
    for (rel, fm) in GENERATED_RECORDS.iter() {
        let verdict = check(rel, fm);
        assert!(accepted(rel, verdict), "{rel}: the fast path declined it");
        assert!(verdict.tree, "{rel}: the fast path declined it as a tree");
    }
}

/// One random edit of a front matter.
#[derive(Debug, Clone)]
enum Edit {
    DeleteByte(usize),
    InsertByte(usize, u8),
    DuplicateByte(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// `"` ↔ `'` at the nth quote.
    SwapQuote(usize),
    InsertBackslash(usize),
    /// The key of the nth `key = value` line becomes another one.
    RenameKey(usize, &'static str),
}

/// Bytes that matter to TOML, and a few that do not.
const BYTES: &[u8] = b"\"'\\[]{}=,.#\n\r\t -_:+0123456789eTZtfaxu\x00\x7f";
const KEYS: &[&str] = &[
    "title", "at", "text", "step", "a.b", "\"q\"", "timeline", "impact", "users", "severty", "é",
];

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<usize>();
    prop_oneof![
        at.prop_map(Edit::DeleteByte),
        (at, proptest::sample::select(BYTES)).prop_map(|(i, b)| Edit::InsertByte(i, b)),
        at.prop_map(Edit::DuplicateByte),
        at.prop_map(Edit::DeleteLine),
        at.prop_map(Edit::DuplicateLine),
        (at, at).prop_map(|(i, j)| Edit::SwapLines(i, j)),
        at.prop_map(Edit::SwapQuote),
        at.prop_map(Edit::InsertBackslash),
        (at, proptest::sample::select(KEYS)).prop_map(|(i, k)| Edit::RenameKey(i, k)),
    ]
}

/// Applies `edit` to `text`.
fn apply(text: &str, edit: &Edit) -> String {
    match *edit {
        Edit::DeleteByte(i) => edits::delete_char(text, i),
        Edit::InsertByte(i, b) => edits::insert(text, i, char::from(b).encode_utf8(&mut [0; 4])),
        Edit::DuplicateByte(i) => edits::duplicate_char(text, i),
        Edit::DeleteLine(n) => edits::delete_line(text, n),
        Edit::DuplicateLine(n) => edits::duplicate_line(text, n),
        Edit::SwapLines(a, b) => edits::swap_lines(text, a, b),
        Edit::SwapQuote(n) => {
            let quotes: Vec<usize> = text.match_indices(['"', '\'']).map(|(i, _)| i).collect();
            let mut s = text.to_owned();
            if !quotes.is_empty() {
                let i = quotes[n % quotes.len()];
                let other = if &text[i..=i] == "\"" { "'" } else { "\"" };
                s.replace_range(i..=i, other);
            }
            s
        }
        Edit::InsertBackslash(i) => edits::insert(text, i, "\\"),
        Edit::RenameKey(n, key) => {
            let mut l: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
            let keyed: Vec<usize> = l
                .iter()
                .enumerate()
                .filter(|(_, line)| line.contains(" = "))
                .map(|(i, _)| i)
                .collect();
            if !keyed.is_empty() {
                let i = keyed[n % keyed.len()];
                if let Some((_, value)) = l[i].split_once(" = ") {
                    l[i] = format!("{key} = {value}");
                }
            }
            l.concat()
        }
    }
}

/// Real front matters to mutate: the repository's own records and a few
/// generated ones.
static SEEDS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut seeds = repository_records();
    seeds.extend(GENERATED_RECORDS.iter().take(20).cloned());
    seeds
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random edits of real front matters: wherever the fast path accepts
    /// the result, toml reads it too, to the same value and spans; wherever
    /// toml refuses it, the fast path declines.
    #[test]
    fn mutated_front_matters_are_read_as_toml_reads_them(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let (rel, fm) = &SEEDS[seed.index(SEEDS.len())];
        let mut text = fm.clone();
        for e in &edits {
            text = apply(&text, e);
        }
        if let Err(e) = compare(&text) {
            return Err(TestCaseError::fail(format!("{rel} after {edits:?}: {e}")));
        }
    }
}
