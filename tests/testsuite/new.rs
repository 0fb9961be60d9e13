//! `pm new`: scaffolds a record, prints its path, never overwrites.

use crate::support::Project;

#[test]
fn new_prints_the_path_and_the_record_lints_as_a_draft() {
    let p = Project::empty();
    let out = p
        .pm([
            "new",
            "Checkout latency spike",
            "--type",
            "database",
            "--severity",
            "SEV2",
            "--date",
            "2026-11-29",
        ])
        .output();
    out.code(0);
    assert_eq!(
        out.stdout,
        "incidents/2026-11-29-checkout-latency-spike.md\n"
    );
    let text = p.read("incidents/2026-11-29-checkout-latency-spike.md");
    assert!(
        text.contains("draft = true"),
        "scaffold is a draft:\n{text}"
    );
    assert!(text.contains("title = \"Checkout latency spike\""));
    assert!(text.contains("type = \"database\""));
    assert!(text.contains("severity = \"SEV2\""));
    // The scaffold parses: lint reports completeness warnings at most, never errors.
    p.pm(["lint", "--today", "2026-11-30"]).output().code(0);
}

#[test]
fn new_twice_with_the_same_title_refuses_and_keeps_the_first() {
    let p = Project::empty();
    let args = ["new", "Disk full on db-3", "--date", "2026-11-29"];
    p.pm(args).output().code(0);
    let path = "incidents/2026-11-29-disk-full-on-db-3.md";
    let edited = format!("{}\n<!-- edited by hand -->\n", p.read(path));
    p.file(path, &edited);
    let second = p.pm(args).output();
    second.code(2);
    insta::assert_snapshot!(second.snapshot());
    assert_eq!(p.read(path), edited, "the first record must be untouched");
}

#[test]
fn new_follows_the_year_folders_the_repository_uses() {
    let p = Project::empty();
    p.file("incidents/2026/.keep", "");
    let out = p
        .pm(["new", "Queue backlog", "--date", "2026-03-01"])
        .output();
    out.code(0);
    assert_eq!(out.stdout, "incidents/2026/2026-03-01-queue-backlog.md\n");
}

#[test]
fn new_bundle_writes_an_index_in_a_folder() {
    let p = Project::empty();
    let out = p
        .pm(["new", "Queue backlog", "--date", "2026-03-01", "--bundle"])
        .output();
    out.code(0);
    assert_eq!(out.stdout, "incidents/2026-03-01-queue-backlog/index.md\n");
    assert!(p.exists("incidents/2026-03-01-queue-backlog/index.md"));
}

#[test]
fn new_playbook_refuses_to_overwrite() {
    let p = Project::empty();
    let first = p.pm(["new", "--playbook", "database"]).output();
    first.code(0);
    assert_eq!(first.stdout, "playbooks/database.md\n");
    let second = p.pm(["new", "--playbook", "database"]).output();
    second.code(2);
    insta::assert_snapshot!(second.snapshot());
}

#[test]
fn new_rejects_bad_arguments_with_exit_2() {
    let p = Project::empty();
    for args in [
        vec!["new", "!!!"],
        vec!["new", "Title", "--date", "30/11/2026"],
        vec!["new", "Title", "--severity", "SEV9"],
        vec!["new", "Title", "--type", "Bad Type"],
        vec!["new", "--playbook", "../etc"],
    ] {
        let out = p.pm(&args).output();
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(
        !p.exists("incidents"),
        "nothing is written on bad arguments"
    );
    assert!(
        !p.exists("playbooks"),
        "nothing is written on bad arguments"
    );
}

#[test]
fn new_says_which_date_it_gave_the_id() {
    let p = Project::empty();
    let out = p
        .pm(["new", "Queue backlog"])
        .env("PM_CLOCK_DATE", "2026-11-29")
        .output();
    out.code(0);
    assert_eq!(out.stdout, "incidents/2026-11-29-queue-backlog.md\n");
    assert!(
        out.stderr
            .contains("id dated 2026-11-29 (today); if the incident started on another day, pass `--date YYYY-MM-DD`"),
        "{}",
        out.stderr
    );
    let out = p.pm(["new", "Disk full", "--date", "2026-11-02"]).output();
    out.code(0);
    assert!(
        out.stderr.contains("id dated 2026-11-02 (from `--date`)"),
        "{}",
        out.stderr
    );
}
