//! `pm init`: scaffolds a records repository that lints and builds cleanly.

use crate::support::{Project, list_files};

#[test]
fn init_makes_a_repository_that_lints_and_builds() {
    let p = Project::empty();
    let out = p
        .pm(["init", "records"])
        .env("SOURCE_DATE_EPOCH", "1764460800")
        .output();
    out.code(0);
    let repo = p.root().join("records");
    assert_eq!(
        list_files(&repo),
        [
            "incidents/2025-11-30-example-api-error-spike.md",
            "playbooks/config-change.md",
            "pm.toml"
        ]
    );
    let lint = p
        .pm(["--root", "records", "lint", "--today", "2025-11-30"])
        .output();
    lint.code(0);
    assert!(
        lint.stderr.contains("0 errors, 0 warnings"),
        "{}",
        lint.stderr
    );
    p.pm(["--root", "records", "build", "--today", "2025-11-30"])
        .output()
        .code(0);
    assert!(p.exists("records/public/index.html"));
}

#[test]
fn init_refuses_a_non_empty_folder_without_force() {
    let p = Project::empty();
    p.file("notes.txt", "mine");
    let out = p.pm(["init"]).output();
    out.code(2);
    insta::assert_snapshot!(out.snapshot());
    assert!(!p.exists("pm.toml"));
}

#[test]
fn init_force_keeps_existing_files() {
    let p = Project::empty();
    p.file("pm.toml", "# my own config\n");
    p.pm(["init", "--force"]).output().code(0);
    assert_eq!(p.read("pm.toml"), "# my own config\n");
    assert!(p.exists("playbooks/config-change.md"));
}
