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
            ".gitignore",
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

#[test]
fn init_templates_ejects_copies_that_build_the_same_site() {
    let p = Project::from_fixture("basic");
    p.pm(["build", "--today", "2025-11-30", "-o", "before"])
        .output()
        .code(0);
    let out = p.pm(["init", "--templates"]).output();
    out.code(0);
    assert!(p.exists("site-template/base.html"));
    assert!(p.exists("site-template/style.css"));
    assert!(p.exists("site-template/status-update.md"));
    // The copies are the built-ins: the site is byte for byte the same.
    p.pm(["build", "--today", "2025-11-30", "-o", "after"])
        .output()
        .code(0);
    let (before, after) = (p.root().join("before"), p.root().join("after"));
    assert_eq!(list_files(&before), list_files(&after));
    for rel in list_files(&before) {
        assert!(
            std::fs::read(before.join(&rel)).ok() == std::fs::read(after.join(&rel)).ok(),
            "{rel} differs after ejecting the templates"
        );
    }
    // An edited template is kept on a second run.
    p.file("site-template/base.html", "{% extends \"pm/base.html\" %}");
    let again = p.pm(["init", "--templates"]).output();
    again.code(0);
    assert!(again.stderr.contains("kept existing"), "{}", again.stderr);
    assert_eq!(
        p.read("site-template/base.html"),
        "{% extends \"pm/base.html\" %}"
    );
}

#[test]
fn init_after_git_init_ignores_dot_files_and_ignores_the_site() {
    let p = Project::empty();
    git2::Repository::init(p.root()).expect("git init");
    let out = p.pm(["init"]).output();
    out.code(0);
    assert!(p.exists("pm.toml"));
    assert!(
        p.read(".gitignore").lines().any(|l| l == "public/"),
        "{}",
        p.read(".gitignore")
    );
    assert!(
        out.stderr.contains("created `./.gitignore`"),
        "{}",
        out.stderr
    );
}

#[test]
fn init_keeps_an_existing_gitignore_and_says_what_to_add() {
    let p = Project::empty();
    p.file(".gitignore", "target/\n");
    let out = p.pm(["init"]).output();
    out.code(0);
    assert_eq!(
        p.read(".gitignore"),
        "target/\n",
        "the user's file is theirs"
    );
    assert!(
        out.stderr.contains("add the line `public/` to it"),
        "{}",
        out.stderr
    );
    let q = Project::empty();
    q.file(".gitignore", "/public\n");
    let out = q.pm(["init"]).output();
    out.code(0);
    assert!(
        out.stderr.contains("it ignores `public/`"),
        "{}",
        out.stderr
    );
}

#[test]
fn before_the_first_commit_the_history_warning_says_what_to_do_and_is_counted() {
    let p = Project::empty();
    git2::Repository::init(p.root()).expect("git init");
    p.pm(["init"]).output().code(0);
    let out = p.pm(["build"]).output();
    out.code(0);
    assert!(
        out.stderr
            .contains("warning: no git history: the repository has no commits yet"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("git add -A && git commit"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("(1 warning)"), "{}", out.stderr);
    // `pm lint` prints the same warning and counts it in its summary too.
    let out = p.pm(["lint"]).output();
    out.code(0);
    assert!(
        out.stderr.contains("no commits yet") && out.stderr.contains("0 errors, 1 warning in"),
        "{}",
        out.stderr
    );
}
