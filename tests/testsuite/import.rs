//! `pm import`: a Slack export and a CSV file imported into a commented
//! record (times converted to its zone, duplicates skipped, every other byte
//! kept), and malformed exports refused with the file, the line and what is
//! wrong, writing nothing.

use crate::event::added_lines;
use crate::support::{Project, fixture};

const ID: &str = "2026-12-05-search-latency";
const RECORD: &str = "incidents/2026-12-05-search-latency.md";

/// The record's front matter.
fn front_matter(record: &str) -> &str {
    let end = record[3..].find("\n+++\n").map_or(record.len(), |i| i + 3);
    &record[..end]
}

fn path(rel: &str) -> String {
    fixture("import").join(rel).to_string_lossy().into_owned()
}

#[test]
fn a_slack_export_becomes_events_in_the_records_zone() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let export = path("slack-export");
    let out = p
        .pm(["import", ID, &export, "--channel", "#inc-search"])
        .output();
    out.code(0);
    let after = p.read(RECORD);
    let added = added_lines(&before, &after);
    assert!(
        added.iter().all(|l| !l.contains("Pager: search latency")),
        "the bot's duplicate is skipped"
    );
    insta::assert_snapshot!(front_matter(&after));
    assert!(out.stderr.contains("read 6 messages"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("skipped 1 message already in the record"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("added 5 imported events"),
        "{}",
        out.stderr
    );
    p.pm(["lint", "--today", "2026-12-06"]).output().code(0);
    // A second import finds everything there already.
    let again = p
        .pm(["import", ID, &export, "--channel", "inc-search"])
        .output();
    again.code(0);
    assert_eq!(p.read(RECORD), after);
    assert!(again.stderr.contains("nothing to add"), "{}", again.stderr);
}

#[test]
fn slack_channel_and_days_are_chosen_and_dry_run_writes_nothing() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let export = path("slack-export");
    let out = p
        .pm(["import", ID, &export, "--channel", "inc-serch"])
        .output();
    out.code(1);
    assert!(
        out.stderr.contains("did you mean `inc-search`?"),
        "{}",
        out.stderr
    );
    let out = p
        .pm([
            "import",
            ID,
            &export,
            "--channel",
            "inc-search",
            "--to",
            "2026-12-05",
            "--dry-run",
        ])
        .output();
    out.code(0);
    assert_eq!(
        out.stdout.matches("[[timeline]]").count(),
        3,
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("2 messages outside --from/--to"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("nothing was written (--dry-run)"),
        "{}",
        out.stderr
    );
    assert_eq!(p.read(RECORD), before);
}

#[test]
fn a_csv_export_in_another_zone_is_converted() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let out = p
        .pm([
            "import",
            ID,
            &path("pager.csv"),
            "--zone",
            "America/New_York",
        ])
        .output();
    out.code(0);
    let after = p.read(RECORD);
    // Three entries of a comment, a header, four keys and a blank line.
    assert_eq!(added_lines(&before, &after).len(), 3 * 7);
    insta::assert_snapshot!(front_matter(&after));
    p.pm(["lint", "--today", "2026-12-06"]).output().code(0);
}

#[test]
fn malformed_exports_name_the_file_and_line_and_change_nothing() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let cases: [(&str, &[&str]); 4] = [
        ("broken-slack", &[]),
        ("no-time.csv", &["--zone", "Europe/Berlin"]),
        ("dst-gap.csv", &["--zone", "Europe/Berlin"]),
        ("no-time.csv", &["--format", "jsonl"]),
    ];
    let mut shown = String::new();
    for (file, extra) in cases {
        let export = path(&format!("bad/{file}"));
        let mut args = vec!["import", ID, export.as_str()];
        args.extend_from_slice(extra);
        let out = p.pm(args).output();
        out.code(1);
        assert_eq!(p.read(RECORD), before, "{file}: nothing written");
        shown.push_str(&format!("## {file} {}\n", extra.join(" ")));
        shown.push_str(&out.stderr.replace(
            &fixture("import").to_string_lossy().into_owned(),
            "[FIXTURES]",
        ));
    }
    insta::assert_snapshot!(shown);
}
