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
        json.contains("\"detected\": \"2024-07-30T00:10:00Z\""),
        "{json}"
    );
    assert!(json.contains("\"time_to_detect\": 600"), "{json}");
}
