//! `pm event`, `pm new --now` and `pm status-update --record`: entries added
//! to a record in place, every other byte kept, and refusals that leave the
//! file alone.

use crate::support::Project;

const ID: &str = "2026-12-05-search-latency";
const RECORD: &str = "incidents/2026-12-05-search-latency.md";

/// The lines of `after` that are not in `before`, asserting that `before`
/// is `after` with those lines taken out (byte for byte, line endings
/// included).
pub fn added_lines(before: &str, after: &str) -> Vec<String> {
    let mut old = before.split_inclusive('\n').peekable();
    let mut added = Vec::new();
    for line in after.split_inclusive('\n') {
        if old.peek() == Some(&line) {
            old.next();
        } else {
            added.push(line.to_owned());
        }
    }
    let rest: Vec<&str> = old.collect();
    assert!(
        rest.is_empty(),
        "lines of the original are missing or changed: {rest:?}\n--- after\n{after}"
    );
    added
}

#[test]
fn an_event_is_added_in_place_and_nothing_else_changes() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let out = p
        .pm([
            "event",
            ID,
            "Heap dump of es-3 taken",
            "--who",
            "bob",
            "--step",
            "gather-evidence",
        ])
        .env("PM_NOW", "2026-12-05T22:10:00Z")
        .output();
    out.code(0);
    insta::assert_snapshot!(out.snapshot());
    let after = p.read(RECORD);
    // The whole file: the original with the entry after the pager's event.
    let anchor = "source = \"pagerduty\"\n";
    let block = "\n[[timeline]]\nat = 23:10:00\ntext = \"Heap dump of es-3 taken\"\nstep = \"gather-evidence\"\nwho = \"bob\"\n";
    assert_eq!(
        after,
        before.replacen(anchor, &format!("{anchor}{block}"), 1)
    );
    // Before the mitigation (23:30), after the detection: in time order.
    let dump = after.find("Heap dump").unwrap();
    assert!(after.find("Pager: search latency").unwrap() < dump);
    assert!(dump < after.find("Rollback of").unwrap());
    p.pm(["lint", "--today", "2026-12-06"]).output().code(0);
}

#[test]
fn at_accepts_what_the_format_accepts_in_the_records_zone() {
    let p = Project::from_fixture("import/repo");
    let now = ("PM_NOW", "2026-12-05T23:50:00Z");
    // A bare time is today in Berlin: 00:50 on 6 December, so 00:45 is
    // the 6th too, after midnight: written in full.
    let out = p
        .pm(["event", ID, "Cache warmed", "--at", "00:45"])
        .env(now.0, now.1)
        .output();
    out.code(0);
    assert!(
        out.stdout.contains("at = 2026-12-06T00:45:00\n"),
        "{}",
        out.stdout
    );
    let out = p
        .pm([
            "event",
            ID,
            "Search team paged",
            "--at",
            "2026-12-05T21:53:00Z",
            "--dry-run",
        ])
        .env(now.0, now.1)
        .output();
    out.code(0);
    assert_eq!(
        out.stdout,
        "[[timeline]]\nat = 22:53:00\ntext = \"Search team paged\"\n"
    );
    assert!(
        !p.read(RECORD).contains("Search team paged"),
        "--dry-run writes nothing"
    );
    // 02:30 on 29 March 2026 never happened in Berlin.
    let gap = p
        .pm(["event", ID, "x", "--at", "2026-03-29T02:30"])
        .env(now.0, now.1)
        .output();
    gap.code(2);
    assert!(
        gap.stderr.contains("does not exist in Europe/Berlin"),
        "{}",
        gap.stderr
    );
}

#[test]
fn an_unknown_id_suggests_the_closest_and_changes_nothing() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let out = p.pm(["event", "2026-12-05-search-latncy", "x"]).output();
    out.code(2);
    insta::assert_snapshot!(out.snapshot());
    assert_eq!(p.read(RECORD), before);
}

#[test]
fn a_record_whose_front_matter_cannot_be_read_is_not_edited() {
    let p = Project::from_fixture("import/repo");
    let broken = p
        .read(RECORD)
        .replace("severity = \"SEV2\"", "severity = SEV2");
    p.file(RECORD, &broken);
    let out = p
        .pm(["event", ID, "x"])
        .env("PM_NOW", "2026-12-05T22:10:00Z")
        .output();
    out.code(1);
    insta::assert_snapshot!(out.snapshot());
    assert_eq!(p.read(RECORD), broken);
}

#[test]
fn a_record_with_other_errors_is_edited_with_a_note() {
    let p = Project::from_fixture("import/repo");
    let with_error = p.read(RECORD).replace(
        "type = \"capacity\"\n",
        "type = \"capacity\"\ndetected_by = \"a bird\"\n",
    );
    p.file(RECORD, &with_error);
    p.pm(["lint"]).output().code(1);
    let out = p
        .pm(["event", ID, "Shards rebalanced"])
        .env("PM_NOW", "2026-12-05T22:40:00Z")
        .output();
    out.code(0);
    assert!(out.stderr.contains("already had 1 error"), "{}", out.stderr);
    added_lines(&with_error, &p.read(RECORD));
}

#[test]
fn an_event_that_would_add_an_error_is_refused() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let out = p
        .pm(["event", ID, "x", "--step", "detectd"])
        .env("PM_NOW", "2026-12-05T22:40:00Z")
        .output();
    out.code(1);
    assert!(
        out.stderr.contains("unknown step `detectd`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("was not edited"), "{}", out.stderr);
    assert_eq!(p.read(RECORD), before);
}

#[test]
fn status_update_record_appends_the_draft_to_updates() {
    let p = Project::from_fixture("import/repo");
    let before = p.read(RECORD);
    let out = p
        .pm(["status-update", ID, "--record"])
        .env("PM_NOW", "2026-12-05T22:45:00Z")
        .output();
    out.code(0);
    let after = p.read(RECORD);
    let added = added_lines(&before, &after).concat();
    assert!(
        added.starts_with("\n[[updates]]\nat = 2026-12-05T23:45:00\nstatus = \"investigating\"\naudience = \"customers\"\ntext = \"\"\"\n"),
        "{added}"
    );
    assert!(
        added.contains(out.stdout.trim()),
        "the update as drafted:\n{added}"
    );
    p.pm(["lint", "--today", "2026-12-06"]).output().code(0);
}

#[test]
fn a_live_record_through_five_events_and_an_import_lints_and_builds() {
    let p = Project::empty();
    p.file("pm.toml", "[site]\ntimezone = \"Europe/Berlin\"\n");
    let now = "2026-12-06T13:02:00Z";
    let new = p
        .pm([
            "new",
            "--now",
            "Checkout errors",
            "--type",
            "bad-deploy",
            "--severity",
            "SEV2",
        ])
        .env("PM_NOW", now)
        .output();
    new.code(0);
    let rel = new.stdout.trim().to_owned();
    assert_eq!(rel, "incidents/2026-12-06-checkout-errors.md");
    let id = "2026-12-06-checkout-errors";
    let scaffold = p.read(&rel);
    assert!(scaffold.contains("status = \"active\""));
    assert!(scaffold.contains("[[timeline]]\nat = 2026-12-06T14:02:00\ntext = \"Detected: Checkout errors\"\nstep = \"detected\"\n"));
    let events: [(&str, &[&str]); 5] = [
        (
            "2026-12-06T13:05:00Z",
            &[
                "Alice takes command",
                "--step",
                "acknowledge",
                "--who",
                "alice",
            ],
        ),
        (
            "2026-12-06T13:08:00Z",
            &[
                "SEV2: one checkout in ten fails",
                "--step",
                "assess-severity",
            ],
        ),
        (
            "2026-12-06T13:15:00Z",
            &[
                "Deploy 4f2a91 rolled back",
                "--step",
                "mitigate",
                "--who",
                "bob",
            ],
        ),
        (
            "2026-12-06T13:40:00Z",
            &[
                "Error rate at baseline for 20 minutes",
                "--step",
                "verify-resolution",
            ],
        ),
        (
            "2026-12-06T13:50:00Z",
            &[
                "Deploy went out at 13:55",
                "--at",
                "13:55",
                "--step",
                "impact-start",
                "--source",
                "deploy log",
            ],
        ),
    ];
    for (at, args) in events {
        let mut all = vec!["event", id];
        all.extend_from_slice(args);
        p.pm(all).env("PM_NOW", at).output().code(0);
    }
    p.file(
        "chat.jsonl",
        "{\"time\": \"2026-12-06T14:03:00+01:00\", \"who\": \"carol\", \"text\": \"Support sees failed payments\"}\n{\"time\": \"2026-12-06T13:20:00Z\", \"who\": \"bob\", \"text\": \"Checkout p99 falling\"}\n",
    );
    p.pm(["import", id, "chat.jsonl"]).output().code(0);
    let record = p.read(&rel);
    assert_eq!(
        record.matches("[[timeline]]").count() - record.matches("# [[timeline]]").count(),
        8,
        "{record}"
    );
    let lint = p.pm(["lint", "--today", "2026-12-06"]).output();
    lint.code(0);
    for timeline_lint in [
        "events_out_of_order",
        "duplicate_timeline_events",
        "inverted_milestones",
        "invalid_datetime",
        "missing_milestones",
    ] {
        assert!(
            !lint.stderr.contains(timeline_lint),
            "{timeline_lint}:\n{}",
            lint.stderr
        );
    }
    p.pm(["build", "--today", "2026-12-06", "--drafts"])
        .output()
        .code(0);
    assert!(p.exists("public/incidents/2026-12-06-checkout-errors/index.html"));
}

#[test]
fn completions_and_the_man_page_cover_the_new_commands() {
    let p = Project::empty();
    let bash = p.pm(["completions", "bash"]).output();
    bash.code(0);
    for name in [
        "pm__subcmd__event",
        "pm__subcmd__import",
        "--dry-run",
        "--channel",
        "--record",
        "--now",
    ] {
        assert!(bash.stdout.contains(name), "bash completion lacks {name}");
    }
    let man = p.pm(["man"]).output();
    man.code(0);
    for name in ["pm\\-event(1)", "pm\\-import(1)"] {
        assert!(man.stdout.contains(name), "the man page lacks {name}");
    }
}

#[test]
fn a_first_event_goes_where_the_template_shows_the_timeline() {
    let p = Project::empty();
    p.file("pm.toml", "[site]\ntimezone = \"UTC\"\n");
    let new = p.pm(["new", "Disk full", "--date", "2026-12-06"]).output();
    new.code(0);
    let rel = new.stdout.trim().to_owned();
    let before = p.read(&rel);
    p.pm([
        "event",
        "2026-12-06-disk-full",
        "Disk alert",
        "--step",
        "detected",
    ])
    .env("PM_NOW", "2026-12-06T09:15:00Z")
    .output()
    .code(0);
    let marker = "# Checklist steps with no timeline event";
    let block =
        "[[timeline]]\nat = 2026-12-06T09:15:00\ntext = \"Disk alert\"\nstep = \"detected\"\n\n";
    assert_eq!(
        p.read(&rel),
        before.replacen(marker, &format!("{block}{marker}"), 1)
    );
}
