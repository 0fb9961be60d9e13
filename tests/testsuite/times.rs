//! Time handling: bare times after an offset, "today" without a clock,
//! durations as people read them.

use crate::support::Project;

/// A resolved incident whose timeline is `events` (TOML `[[timeline]]`
/// tables), in a repository whose zone is UTC.
fn record_with_timeline(events: &str) -> Project {
    let p = Project::empty();
    p.file("pm.toml", "[site]\ntimezone = \"UTC\"\n");
    p.file(
        "incidents/2024-07-29-outage.md",
        format!(
            "+++\ntitle = \"Outage\"\nseverity = \"SEV2\"\ntype = \"outage\"\nstatus = \"resolved\"\n\
             services = [\"api\"]\ncommander = \"sam\"\nsummary = \"An outage.\"\n\
             detected_by = \"monitoring\"\n\n{events}\n+++\n\n## Summary\n\nAn outage.\n"
        ),
    );
    p
}

#[test]
fn a_bare_time_after_an_offset_keeps_its_date_and_offset() {
    // 20:00 at -04:00 is midnight UTC on the 30th; a bare 20:10 after it is
    // ten minutes later on the 29th at -04:00, not 30 July 20:10 UTC.
    let p = record_with_timeline(
        "[[timeline]]\nat = 2024-07-29T20:00:00-04:00\ntext = \"Errors start\"\nstep = \"impact-start\"\n\n\
         [[timeline]]\nat = 20:10:00\ntext = \"Alert fires\"\nstep = \"detected\"\n",
    );
    p.pm(["build", "--today", "2024-08-01"]).output().code(0);
    let json = p.read("public/incidents.json");
    assert!(
        json.contains("\"detected\":\"2024-07-30T00:10:00Z\""),
        "{json}"
    );
    assert!(json.contains("\"time_to_detect\":600"), "{json}");
}

#[test]
fn durations_are_rounded_and_a_gap_never_reads_as_long_as_its_threshold() {
    let p = record_with_timeline(
        "[[timeline]]\nat = 2024-07-29T10:00:00Z\ntext = \"Errors start\"\nstep = \"impact-start\"\n\n\
         [[timeline]]\nat = 10:15:01\ntext = \"Alert fires\"\nstep = \"detected\"\n\n\
         [[timeline]]\nat = 2024-07-30T12:55:00Z\ntext = \"Fixed\"\nstep = \"verify-resolution\"\ngap = \"overnight\"\n",
    );
    p.file(
        "pm.toml",
        "[site]\ntimezone = \"UTC\"\n\n[timeline]\ngap = \"15m\"\n",
    );
    let lint = p.pm(["lint", "--today", "2024-08-01"]).output();
    assert!(
        lint.stderr
            .contains("15m 1s with no event before this one (threshold 15m)"),
        "{}",
        lint.stderr
    );
    p.pm(["build", "--today", "2024-08-01"]).output().code(0);
    // 26h 55m from impact start to resolution: rounded (not cut) to the hour.
    let page = p.read("public/incidents/2024-07-29-outage/index.html");
    assert!(page.contains("1d 3h"), "{page}");
}

#[test]
fn without_today_the_site_is_as_of_the_records_and_the_same_on_any_day() {
    // The newest day these records mention: an action item closed on 2026-11-30.
    let p = Project::from_fixture("basic");
    let build = |clock: &str, out: &str| {
        p.pm(["build", "-o", out])
            .env("PM_CLOCK_DATE", clock)
            .output()
            .code(0);
        crate::support::list_files(&p.root().join(out))
            .into_iter()
            .map(|f| (std::fs::read(p.root().join(out).join(&f)).expect("read"), f))
            .collect::<Vec<_>>()
    };
    let monday = build("2027-03-01", "a");
    let later = build("2031-09-17", "b");
    assert!(monday == later, "the site changed with the clock");
    // "As of" is the newest day the published records mention, not the clock's.
    let actions = p.read("a/actions/index.html");
    assert!(
        actions.contains("as of <time datetime=\"2026-11-30\">"),
        "{actions}"
    );
    let stats = |clock: &str| {
        p.pm(["stats", "--format", "json"])
            .env("PM_CLOCK_DATE", clock)
            .output()
            .stdout
    };
    let json = stats("2027-03-01");
    assert_eq!(json, stats("2031-09-17"));
    assert!(json.contains("\"today\": \"2026-11-30\""), "{json}");
}
