//! The outline fast path (`pm::markdown::outline`) against comrak, through
//! the oracle `pm::markdown::outline::compare`: on the body of every record
//! of the repository, its fixtures and seeds, on generated records, and on
//! random edits of them. Wherever the fast path answers, comrak must find
//! the same headings, links and raw-HTML lines; and the fast path must
//! answer for nearly all the records `pm lint` is measured on, or it saves
//! nothing.

use std::sync::LazyLock;

use pm::markdown::Markdown;
use pm::markdown::outline::compare;
use pm::parse::split_front_matter;
use proptest::prelude::*;

use crate::support::{edits, gen_corpus, md_files, repo_root};

/// How many generated records are read (comrak runs on each in a debug build).
const GENERATED: u64 = 400;

/// A record's Markdown body (the whole text when it has no front matter).
fn body(text: &str) -> String {
    match split_front_matter(text) {
        Ok(split) => text[split.body_start..].to_owned(),
        Err(_) => text.to_owned(),
    }
}

/// Every `.md` file of the repository's records, fixtures and seeds:
/// (path relative to the root, body).
static REPOSITORY_BODIES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let root = repo_root();
    let mut files = Vec::new();
    for dir in ["incidents", "playbooks", "tests/fixtures", "src/seeds"] {
        md_files(&root.join(dir), &mut files);
    }
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .into_owned();
            let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
            Some((rel, body(&text)))
        })
        .collect()
});

static GENERATED_BODIES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut bodies: Vec<(String, String)> = gen_corpus::corpus(42, GENERATED)
        .into_iter()
        .map(|g| (g.id, body(&g.record)))
        .collect();
    for (kind, text) in gen_corpus::playbooks(42) {
        bodies.push((format!("playbooks/{kind}"), body(&text)));
    }
    bodies
});

static MARKDOWN: LazyLock<Markdown> = LazyLock::new(Markdown::new);

/// Checks every body; returns the names of those the fast path left to comrak.
fn left_to_comrak(bodies: &[(String, String)]) -> Vec<&str> {
    bodies
        .iter()
        .filter(|(name, text)| !compare(&MARKDOWN, text).unwrap_or_else(|e| panic!("{name}: {e}")))
        .map(|(name, _)| name.as_str())
        .collect()
}

#[test]
fn the_repository_s_records_are_outlined_as_comrak_outlines_them() {
    assert!(
        REPOSITORY_BODIES.len() > 90,
        "found {}",
        REPOSITORY_BODIES.len()
    );
    let left = left_to_comrak(&REPOSITORY_BODIES);
    // The example records are ordinary postmortems: the fast path reads all
    // of them but the one that quotes an HTML tag in its prose.
    let examples: Vec<&&str> = left
        .iter()
        .filter(|name| name.starts_with("incidents/") || name.starts_with("playbooks/"))
        .collect();
    assert!(examples.len() <= 1, "left to comrak: {examples:#?}");
}

#[test]
fn generated_records_are_outlined_as_comrak_outlines_them() {
    let left = left_to_comrak(&GENERATED_BODIES);
    // What `pm lint` is measured on must take the fast path; the generator
    // puts raw HTML or a bracket in a code block's neighbourhood in about
    // one record of a hundred.
    assert!(
        left.len() * 100 <= GENERATED_BODIES.len() * 3,
        "left to comrak: {} of {}: {left:#?}",
        left.len(),
        GENERATED_BODIES.len()
    );
}

/// One random edit of a body.
#[derive(Debug, Clone)]
enum Edit {
    /// Inserts a piece of Markdown syntax at a byte offset.
    Insert(usize, &'static str),
    DeleteByte(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Indents a line by this many spaces.
    Indent(usize, usize),
}

/// Pieces that change how a line is read, and a few that do not.
const PIECES: &[&str] = &[
    "#", "# ", "## ", "    ", "  ", "- ", "1. ", "> ", "```", "~~~", "`", "``", "[", "]", "(", ")",
    "![", "](", "[ab](c)", "<", "<b>", "|", "---", "===", "\n", "\n\n", "\\", "&amp;", "]:",
    "[^1]", "\t", "*", "_", "x",
];

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<usize>();
    prop_oneof![
        (at, proptest::sample::select(PIECES)).prop_map(|(i, p)| Edit::Insert(i, p)),
        at.prop_map(Edit::DeleteByte),
        at.prop_map(Edit::DeleteLine),
        at.prop_map(Edit::DuplicateLine),
        (at, at).prop_map(|(i, j)| Edit::SwapLines(i, j)),
        (at, 1..7usize).prop_map(|(i, n)| Edit::Indent(i, n)),
    ]
}

/// Applies `edit` to `text`.
fn apply(text: &str, edit: &Edit) -> String {
    match *edit {
        Edit::Insert(i, piece) => edits::insert(text, i, piece),
        Edit::DeleteByte(i) => edits::delete_char(text, i),
        Edit::DeleteLine(n) => edits::delete_line(text, n),
        Edit::DuplicateLine(n) => edits::duplicate_line(text, n),
        Edit::SwapLines(a, b) => edits::swap_lines(text, a, b),
        Edit::Indent(n, spaces) => {
            edits::edit_line(text, n, |line| line.insert_str(0, &" ".repeat(spaces)))
        }
    }
}

/// Bodies to edit: the repository's and a few generated ones.
static SEEDS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut seeds = REPOSITORY_BODIES.clone();
    seeds.extend(GENERATED_BODIES.iter().take(20).cloned());
    seeds
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Random edits of real bodies: wherever the fast path answers, comrak
    /// reads the result to the same outline.
    #[test]
    fn edited_bodies_are_outlined_as_comrak_outlines_them(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let (name, text) = &SEEDS[seed.index(SEEDS.len())];
        let mut text = text.clone();
        for e in &edits {
            text = apply(&text, e);
        }
        if let Err(e) = compare(&MARKDOWN, &text) {
            return Err(TestCaseError::fail(format!("{name} after {edits:?}: {e}")));
        }
    }
}
