//! `pm lint --changed-since <rev>`: only the records a pull request touches,
//! on real git repositories made with git2.

use crate::support::Project;

const TODAY: &str = "2026-11-30";

/// A record that lints with exactly one warning (an unowned action item).
fn record_with_a_warning(title: &str) -> String {
    let base = std::fs::read_to_string(crate::support::fixture(
        "basic/incidents/2026-11-02-api-error-spike.md",
    ))
    .expect("read fixture record");
    base.replacen("title = \"Example: API error spike after a config change\"", &format!("title = \"{title}\""), 1)
        .replacen(
            "\n+++\n",
            "\n[[actions]]\nkind = \"process\"\ntext = \"Nobody owns this yet\"\ndue = 2027-01-15\nstatus = \"open\"\n+++\n",
            1,
        )
}

fn files_reported(p: &Project, args: &[&str]) -> Vec<String> {
    let mut all = vec!["lint", "--today", TODAY, "--format", "json"];
    all.extend_from_slice(args);
    let out = p.pm(&all).output();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut files: Vec<String> = out
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["file"].as_str().expect("file").to_owned()
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

/// A repository with one committed record that has a warning.
fn repo() -> Project {
    let p = Project::from_fixture("basic");
    p.file(
        "incidents/2026-10-01-old-warning.md",
        record_with_a_warning("Old"),
    );
    p.commit_all("records", 1_796_000_000);
    p
}

#[test]
fn only_changed_and_new_records_are_reported() {
    let p = repo();
    assert_eq!(
        files_reported(&p, &[]),
        ["incidents/2026-10-01-old-warning.md"]
    );
    // A modified record, a new untracked one, and a staged one.
    p.file(
        "incidents/2026-11-02-api-error-spike.md",
        record_with_a_warning("Changed"),
    );
    p.file("incidents/2026-11-25-new.md", record_with_a_warning("New"));
    assert_eq!(
        files_reported(&p, &["--changed-since", "HEAD"]),
        [
            "incidents/2026-11-02-api-error-spike.md",
            "incidents/2026-11-25-new.md"
        ]
    );
    // After committing, the same revision range still sees them.
    let head = git2::Repository::open(p.root())
        .expect("open")
        .head()
        .expect("head")
        .target()
        .expect("oid");
    p.commit_all("more records", 1_796_100_000);
    assert_eq!(
        files_reported(&p, &["--changed-since", &head.to_string()]),
        [
            "incidents/2026-11-02-api-error-spike.md",
            "incidents/2026-11-25-new.md"
        ]
    );
    assert!(files_reported(&p, &["--changed-since", "HEAD"]).is_empty());
}

#[test]
fn a_changed_pm_toml_puts_every_record_in_scope() {
    let p = repo();
    let config = format!("{}\n# tightened\n", p.read("pm.toml"));
    p.file("pm.toml", config);
    assert_eq!(
        files_reported(&p, &["--changed-since", "HEAD"]),
        ["incidents/2026-10-01-old-warning.md"]
    );
}

#[test]
fn records_in_a_subfolder_of_the_repository() {
    let p = Project::empty();
    crate::support::copy_tree(
        &crate::support::fixture("basic"),
        &p.root().join("ops/records"),
    );
    p.file(
        "ops/records/incidents/2026-10-01-old-warning.md",
        record_with_a_warning("Old"),
    );
    p.file("README.md", "monorepo\n");
    p.commit_all("records", 1_796_000_000);
    p.file(
        "ops/records/incidents/2026-11-25-new.md",
        record_with_a_warning("New"),
    );
    p.file("other/change.txt", "unrelated\n");
    assert_eq!(
        files_reported(&p, &["--root", "ops/records", "--changed-since", "HEAD"]),
        ["incidents/2026-11-25-new.md"]
    );
}

#[test]
fn outside_a_repository_the_flag_is_an_error_and_plain_lint_works() {
    let p = Project::from_fixture("basic");
    let out = p
        .pm(["lint", "--today", TODAY, "--changed-since", "main"])
        .output();
    out.code(2);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
    p.pm(["lint", "--today", TODAY]).output().code(0);
}

#[test]
fn an_unknown_revision_is_an_error() {
    let p = repo();
    let out = p
        .pm(["lint", "--today", TODAY, "--changed-since", "origin/main"])
        .output();
    out.code(2);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn a_shallow_clone_names_the_fix() {
    let p = repo();
    // A shallow clone is one whose `.git/shallow` lists its cut-off commits.
    let head = git2::Repository::open(p.root())
        .expect("open")
        .head()
        .expect("head")
        .target()
        .expect("oid");
    p.file(".git/shallow", format!("{head}\n"));
    let out = p
        .pm(["lint", "--today", TODAY, "--changed-since", "origin/main"])
        .output();
    out.code(2);
    assert!(out.stderr.contains("fetch-depth: 0"), "{}", out.stderr);
    assert!(out.stderr.contains("GIT_DEPTH: 0"), "{}", out.stderr);
}
