//! Git history: one walk gives each record its revisions, authors (after
//! `.mailmap`), first and last commit; merges are skipped; a shallow clone
//! or no repository warns and still builds; `--rev` builds from a commit.
//! Every repository here is made with git2 in a temp dir.

use std::path::Path;

use crate::support::{Project, list_files};

const TODAY: &str = "2026-11-30";
const RECORD: &str = "incidents/2026-11-02-api-error-spike.md";

/// Commits the whole work tree as `author` at `when` (unix seconds), with
/// `parents` (HEAD when empty and HEAD exists).
fn commit(p: &Project, author: &str, email: &str, when: i64, message: &str) -> git2::Oid {
    let repo = git2::Repository::open(p.root())
        .or_else(|_| git2::Repository::init(p.root()))
        .expect("repo");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"], None).expect("update");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new(author, email, &git2::Time::new(when, 0)).expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .expect("commit")
}

fn edit(p: &Project, rel: &str, marker: &str) {
    let text = format!("{}\n{marker}\n", p.read(rel));
    p.file(rel, text);
}

fn log(p: &Project, id: &str) -> String {
    let out = p.pm(["log", id]).output();
    out.code(0);
    out.stdout
}

#[test]
fn revisions_authors_and_mailmap() {
    let p = Project::from_fixture("basic");
    commit(
        &p,
        "alice",
        "alice@old.example",
        1_762_000_000,
        "Add the API error spike record",
    );
    edit(&p, RECORD, "<!-- timeline checked -->");
    commit(
        &p,
        "Bob",
        "bob@example.com",
        1_762_100_000,
        "Review: timeline checked",
    );
    edit(&p, "pm.toml", "# unrelated");
    commit(
        &p,
        "Carol",
        "carol@example.com",
        1_762_200_000,
        "Tune pm.toml",
    );
    edit(&p, RECORD, "<!-- action items owned -->");
    commit(
        &p,
        "alice",
        "alice@new.example",
        1_762_300_000,
        "Review: owners",
    );
    p.file(
        ".mailmap",
        "Alice Smith <alice@new.example>\nAlice Smith <alice@new.example> <alice@old.example>\n",
    );
    let text = log(&p, "2026-11-02-api-error-spike");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "three commits touched the record, pm.toml's does not count:\n{text}"
    );
    assert!(
        lines[0].contains("Alice Smith") && lines[0].ends_with("Review: owners"),
        "{text}"
    );
    assert!(
        lines[1].contains("Bob") && lines[1].contains("2025-11-0"),
        "{text}"
    );
    assert!(
        lines[2].contains("Alice Smith") && lines[2].ends_with("Add the API error spike record"),
        "{text}"
    );
}

#[test]
fn merges_are_skipped_and_both_sides_count() {
    let p = Project::from_fixture("basic");
    let base = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "base");
    let repo = git2::Repository::open(p.root()).expect("open");
    // A side branch edits the record...
    edit(&p, RECORD, "<!-- side -->");
    let side = commit(&p, "Sid", "sid@example.com", 1_762_100_000, "side edit");
    // ...and main edits the playbook from the base.
    repo.set_head_detached(base).expect("detach");
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout base");
    edit(&p, "playbooks/config-change.md", "<!-- main -->");
    let main = commit(&p, "Mia", "mia@example.com", 1_762_200_000, "main edit");
    // Merge: the record as on the side branch, the playbook as on main.
    edit(&p, RECORD, "<!-- side -->");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new(
        "Merger",
        "m@example.com",
        &git2::Time::new(1_762_300_000, 0),
    )
    .expect("sig");
    let (a, b) = (
        repo.find_commit(main).expect("main"),
        repo.find_commit(side).expect("side"),
    );
    repo.commit(Some("HEAD"), &sig, &sig, "Merge side", &tree, &[&a, &b])
        .expect("merge");
    let record = log(&p, "2026-11-02-api-error-spike");
    assert!(
        !record.contains("Merge side"),
        "merges are skipped:\n{record}"
    );
    assert!(
        record.contains("side edit") && record.contains("base"),
        "{record}"
    );
    let playbook = log(&p, "config-change");
    assert!(
        playbook.contains("main edit") && !playbook.contains("side edit"),
        "{playbook}"
    );
}

#[test]
fn a_renamed_record_starts_its_history_at_the_rename() {
    let p = Project::from_fixture("basic");
    commit(&p, "Ann", "ann@example.com", 1_762_000_000, "add");
    let text = p.read(RECORD);
    std::fs::remove_file(p.root().join(RECORD)).expect("remove");
    p.file("incidents/2026-11-02-api-errors.md", text);
    commit(&p, "Ben", "ben@example.com", 1_762_100_000, "rename");
    let out = log(&p, "2026-11-02-api-errors");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("rename"), "{out}");
}

#[test]
fn no_repository_warns_in_build_not_in_lint_and_still_builds() {
    let p = Project::from_fixture("basic");
    let build = p.pm(["build", "--today", TODAY]).output();
    build.code(0);
    assert!(
        build.stderr.contains("warning: no git history"),
        "{}",
        build.stderr
    );
    assert!(p.exists("public/index.html"));
    let lint = p.pm(["lint", "--today", TODAY]).output();
    lint.code(0);
    assert!(!lint.stderr.contains("git"), "{}", lint.stderr);
    let strict = p
        .pm([
            "build",
            "--today",
            TODAY,
            "--require-history",
            "-o",
            "strict",
        ])
        .output();
    strict.code(2);
    assert!(!p.exists("strict"));
}

#[test]
fn a_shallow_clone_warns_with_the_fix_and_still_builds() {
    let p = Project::from_fixture("basic");
    let head = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "add");
    p.file(".git/shallow", format!("{head}\n"));
    let build = p.pm(["build", "--today", TODAY]).output();
    build.code(0);
    assert!(
        build.stderr.contains("shallow") && build.stderr.contains("fetch-depth: 0"),
        "{}",
        build.stderr
    );
    let lint = p.pm(["lint", "--today", TODAY]).output();
    lint.code(0);
    assert!(
        lint.stderr.contains("shallow"),
        "CI users learn why history-based checks are off: {}",
        lint.stderr
    );
    let log = p.pm(["log", "2026-11-02-api-error-spike"]).output();
    log.code(2);
}

fn site_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).expect("read");
            (rel, bytes)
        })
        .collect()
}

#[test]
fn a_build_from_rev_matches_a_build_of_a_checkout_of_that_rev() {
    let p = Project::from_fixture("basic");
    let first = commit(&p, "Ann", "ann@example.com", 1_762_000_000, "first");
    // The working tree moves on: an edited record, a new one, a new template.
    edit(&p, RECORD, "## Follow-up\n\nAdded after the review.");
    p.file(
        "incidents/2026-11-25-queue.md",
        p.read("incidents/2026-11-20-queue-backlog.md")
            .replace("draft = true\n", ""),
    );
    commit(&p, "Ben", "ben@example.com", 1_762_100_000, "second");
    p.file(
        "incidents/2026-11-26-uncommitted.md",
        "+++\nnot even valid\n",
    );
    p.pm([
        "build",
        "--today",
        TODAY,
        "--rev",
        &first.to_string(),
        "-o",
        "from-rev",
    ])
    .output()
    .code(0);

    let clone_dir = p.root().join("clone");
    let clone =
        git2::Repository::clone(p.root().to_str().expect("utf-8"), &clone_dir).expect("clone");
    clone.set_head_detached(first).expect("detach");
    clone
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .expect("checkout");
    p.pm([
        "--root",
        "clone",
        "build",
        "--today",
        TODAY,
        "-o",
        "../from-checkout",
    ])
    .output()
    .code(0);

    let (a, b) = (
        site_bytes(&p.root().join("from-rev")),
        site_bytes(&p.root().join("from-checkout")),
    );
    assert_eq!(a.len(), b.len());
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between --rev and a checkout");
    }
    assert!(
        !a.iter().any(|(n, _)| n.contains("2026-11-25-queue")),
        "the later record is not in --rev"
    );
}

#[test]
fn pages_show_history_edit_links_and_stale_playbooks() {
    let p = Project::from_fixture("basic");
    // The playbook is committed before the incident started (2026-11-02).
    commit(&p, "Ann", "ann@example.com", 1_761_000_000, "records");
    edit(&p, RECORD, "<!-- reviewed -->");
    commit(&p, "Ben", "ben@example.com", 1_763_000_000, "review");
    let repo = git2::Repository::open(p.root()).expect("open");
    repo.remote("origin", "git@github.com:acme/incident-records.git")
        .expect("remote");
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = p.read("public/incidents/2026-11-02-api-error-spike/index.html");
    assert!(
        page.contains("First recorded <time datetime=\"2025-10-20\">2025-10-20</time> by Ann"),
        "{page}"
    );
    assert!(
        page.contains("last revised <time datetime=\"2025-11-13\">2025-11-13</time> by Ben"),
        "{page}"
    );
    let branch = repo
        .head()
        .expect("head")
        .shorthand()
        .expect("utf-8")
        .to_owned();
    assert!(
        page.contains(&format!(
            "https://github.com/acme/incident-records/edit/{branch}/incidents/2026-11-02-api-error-spike.md"
        )),
        "edit link"
    );
    assert!(
        page.contains("https://github.com/acme/incident-records/commit/"),
        "revision links"
    );
    let index = p.read("public/index.html");
    assert!(
        index.contains("from commit <a href=\"https://github.com/acme/incident-records/commit/"),
        "footer names the commit"
    );
    let playbook = p.read("public/playbooks/config-change/index.html");
    assert!(
        playbook.contains("This playbook may be out of date"),
        "stale warning on the page"
    );
    assert!(
        playbook.contains("incidents/2026-11-02-api-error-spike/index.html"),
        "names the incident since"
    );
    let lint = p.pm(["lint", "--today", TODAY]).output();
    assert!(
        lint.stderr.contains("warning[stale_playbooks]"),
        "{}",
        lint.stderr
    );
}
