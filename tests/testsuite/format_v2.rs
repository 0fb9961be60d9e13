//! Version 2 of the record format (issue 18): what real postmortems say
//! without bending the truth. Described impact, approximate times, several
//! steps in one event, recurrence, unknown as a fact, day-only facts, and
//! the `incidents.json` that carries them (checked against its schema).

use serde_json::Value;

use crate::support::{Project, fixture};

/// A resolved SEV3 record in UTC with the required body sections, whose
/// front matter ends with `rest` (which may start with top-level keys).
fn record(rest: &str) -> String {
    format!(
        "+++\ntitle = \"Format v2 case\"\nseverity = \"SEV3\"\ntype = \"network\"\nstatus = \"resolved\"\ntimezone = \"UTC\"\n{rest}\n+++\n\n## Summary\n\nS.\n\n## Impact\n\nI.\n\n## Root cause\n\nR.\n"
    )
}

/// A project holding one incident, `incidents/2026-03-01-case.md`.
fn project(rest: &str) -> Project {
    let p = Project::empty();
    p.file("incidents/2026-03-01-case.md", record(rest));
    p
}

/// `pm lint --format json`'s findings as (lint, level, message) triples.
fn findings(p: &Project) -> Vec<(String, String, String)> {
    let out = p.pm(["lint", "--format", "json"]).output();
    out.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON finding");
            (
                v["lint"].as_str().unwrap_or_default().to_owned(),
                v["level"].as_str().unwrap_or_default().to_owned(),
                v["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Errors among the findings.
fn errors(p: &Project) -> Vec<(String, String, String)> {
    findings(p)
        .into_iter()
        .filter(|(_, level, _)| level == "error")
        .collect()
}

/// Builds the site and returns the only incident of `incidents.json` and
/// the incident's page.
fn built(p: &Project) -> (Value, String) {
    p.pm(["build", "--today", "2026-06-01"]).output().code(0);
    let doc: Value = serde_json::from_str(&p.read("public/incidents.json")).expect("JSON");
    assert_eq!(doc["version"], 3);
    let incident = doc["incidents"][0].clone();
    (
        incident,
        p.read("public/incidents/2026-03-01-case/index.html"),
    )
}

const RECURRING: &str = r#"
[[timeline]]
at = 2026-03-01T10:00:00Z
approx = true
text = "Errors start"
step = "impact-start"

[[timeline]]
at = 10:05:00
text = "Alert; on-call declares an incident"
step = ["detected", "acknowledge"]

[[timeline]]
at = 10:20:00
text = "Revert complete; errors at baseline"
step = "mitigate"

[[timeline]]
at = 10:30:00
text = "Errors come back with the next config push"
step = "impact-start"

[[timeline]]
at = 10:40:00
text = "Config push stopped; errors at baseline"
step = "mitigate"

[[timeline]]
at = 10:55:00
text = "Stable for 15 minutes"
step = "verify-resolution"
"#;

#[test]
fn impact_may_be_described_with_regions_and_sourced_figures() {
    let p = project(
        r#"[impact]
users = "all customers in us-east-1"
regions = ["us-east-1", "eu-west-1"]

[[impact.figures]]
value = 8.5
unit = "million devices"
source = "the vendor estimate"
approx = true

[[impact.figures]]
value = 19
unit = "data centres"
"#,
    );
    assert_eq!(errors(&p), vec![]);
    let (json, page) = built(&p);
    let impact = &json["impact"];
    assert_eq!(impact["users"], "all customers in us-east-1");
    assert_eq!(impact["regions"][1], "eu-west-1");
    assert_eq!(impact["figures"][0]["value"], 8.5);
    assert_eq!(impact["figures"][0]["source"], "the vendor estimate");
    assert_eq!(impact["figures"][0]["approximate"], true);
    assert_eq!(impact["figures"][1]["value"], 19.0);
    assert!(page.contains("all customers in us-east-1"), "{page}");
    assert!(page.contains("us-east-1, eu-west-1"));
    assert!(page.contains("<strong>≈8.5</strong> million devices"));
    assert!(page.contains("(the vendor estimate)"));

    // A count stays a number; anything else is a typed error.
    let counted = project("[impact]\nusers = 1200\n");
    let (json, _) = built(&counted);
    assert_eq!(json["impact"]["users"], 1200);
    let wrong = project("[impact]\nusers = true\n");
    let errs = errors(&wrong);
    assert!(
        errs.iter()
            .any(|(lint, _, m)| lint == "wrong_type" && m.contains("integer or a string")),
        "{errs:?}"
    );
    let no_unit = project("[impact]\nfigures = [{ value = 3 }]\n");
    assert!(
        errors(&no_unit)
            .iter()
            .any(|(_, _, m)| m.contains("`unit`")),
        "a figure needs its unit"
    );
}

#[test]
fn approximate_times_mark_every_duration_computed_from_them() {
    let p = project(RECURRING);
    assert_eq!(errors(&p), vec![]);
    let (json, page) = built(&p);
    let approximate: Vec<&str> = json["approximate"]
        .as_array()
        .expect("approximate")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // impact-start is approximate: every duration from it is, time to
    // acknowledge (detected -> acknowledge) is not.
    assert_eq!(
        approximate,
        [
            "impact-start",
            "time_to_detect",
            "time_to_mitigate",
            "time_to_resolve",
            "total_impact"
        ]
    );
    assert!(page.contains("≈2026-03-01 10:00 UTC"), "the milestone");
    assert!(page.contains("≈20m"), "time to mitigate");
    // The event's time in the table: the first row of a day shows it whole
    // (with no tooltip repeating it).
    assert!(
        page.contains(">≈2026-03-01 10:00 UTC</time>"),
        "the event's time in the table"
    );

    let stats = p.pm(["stats", "--format", "json"]).output();
    stats.code(0);
    let v: Value = serde_json::from_str(&stats.stdout).expect("JSON");
    assert_eq!(v["rows"][0]["time_to_mitigate"]["approximate"], 1);
    let table = p.pm(["stats"]).output();
    assert!(table.stdout.contains("≈20m (20m) 1/1"), "{}", table.stdout);
}

#[test]
fn one_event_may_be_several_steps() {
    let p = project(RECURRING);
    let (json, _) = built(&p);
    assert_eq!(json["milestones"]["detected"], "2026-03-01T10:05:00Z");
    assert_eq!(json["milestones"]["acknowledge"], "2026-03-01T10:05:00Z");
    assert_eq!(json["durations"]["time_to_acknowledge"], 0);
    assert_eq!(json["checklist"]["acknowledge"], "done");

    let typo = project(
        "[[timeline]]\nat = 2026-03-01T10:00:00Z\ntext = \"x\"\nstep = [\"detected\", \"acknowlege\"]\n",
    );
    let errs = errors(&typo);
    assert!(
        errs.iter()
            .any(|(_, _, m)| m.contains("unknown step `acknowlege`")),
        "{errs:?}"
    );
}

#[test]
fn a_later_impact_start_after_a_mitigation_is_a_recurrence() {
    let p = project(RECURRING);
    // Not a finding of any kind: the record is what happened.
    let f = findings(&p);
    assert!(
        !f.iter()
            .any(|(lint, _, _)| lint.contains("milestone") || lint.contains("order")),
        "{f:?}"
    );
    let (json, page) = built(&p);
    assert_eq!(json["recurred"], true);
    let intervals = json["impact_intervals"].as_array().expect("intervals");
    assert_eq!(intervals.len(), 2);
    assert_eq!(intervals[1]["start"], "2026-03-01T10:30:00Z");
    assert_eq!(intervals[1]["seconds"], 600);
    // Time to mitigate counts to the first mitigation; total impact sums both.
    assert_eq!(json["durations"]["time_to_mitigate"], 1200);
    assert_eq!(json["durations"]["total_impact"], 1800);
    assert!(page.contains("the impact recurred"), "{page}");
    assert!(page.contains("Total impact: <strong>≈30m</strong>"));
}

#[test]
fn pm_explain_teaches_what_mitigate_means() {
    let out = Project::empty().pm(["explain", "mitigate"]).output();
    out.code(0);
    // Wrapped for a terminal: phrases may break across lines.
    let words = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("harm stopped"), "{}", out.stdout);
    assert!(words.contains("rollback started"));
    // The format reference says the same, and its example follows it.
    let doc = std::fs::read_to_string(crate::support::repo_root().join("docs/format.md"))
        .expect("docs/format.md");
    assert!(!doc.contains("started\"\nstep = \"mitigate\""));
}

#[test]
fn unknown_is_a_fact_distinct_from_done_and_skipped() {
    let p = project(
        r#"detected_by = "unknown"

[checklist]
schedule-postmortem = "unknown: not in the published review"
assess-severity = "skipped: obvious from the start"

[[mitigations]]
option = "Unrated option written first"

[[mitigations]]
option = "Rated option"
effectiveness = "high"

[[updates]]
at = 2026-03-01T10:10:00Z
audience = "status page"
text = "Investigating"
"#,
    );
    let f = findings(&p);
    assert!(
        !f.iter().any(|(_, _, m)| m.contains("schedule-postmortem")),
        "{f:?}"
    );
    let (json, page) = built(&p);
    assert_eq!(json["checklist"]["schedule-postmortem"], "unknown");
    assert_eq!(json["checklist"]["assess-severity"], "skipped");
    assert!(page.contains("Not recorded"));
    assert!(page.contains("not in the published review"));
    // The rated option is ranked 1; the unrated one is not ranked at all
    // (the incident page's rows leave out their optional end tags).
    assert!(page.contains("<td class=\"num\">1<th"), "{page}");
    assert!(!page.contains("<td class=\"num\">2<"));
    assert!(page.contains("no ratings: not ranked"));

    // A playbook's unrated options are not ranked either.
    p.file(
        "playbooks/network.md",
        "+++\ntitle = \"Network\"\n\n[[mitigations]]\noption = \"Unrated\"\n\n[[mitigations]]\noption = \"Rated\"\nspeed = \"high\"\n+++\n",
    );
    p.pm(["build", "--today", "2026-06-01"]).output().code(0);
    let playbook = p.read("public/playbooks/network/index.html");
    assert!(playbook.contains("<td class=\"num\">1</td>"), "{playbook}");
    assert!(playbook.contains("no ratings: not ranked"));
    assert!(!playbook.contains("<td class=\"num\">2</td>"));

    let press = project("[[updates]]\naudience = \"press\"\ntext = \"x\"\n");
    let errs = errors(&press);
    assert!(
        errs.iter().any(|(_, _, m)| m == "unknown audience `press`"),
        "{errs:?}"
    );
    let help = press.pm(["lint"]).output().stderr;
    assert!(
        help.contains("`customers`") && help.contains("`public`"),
        "{help}"
    );
}

#[test]
fn day_only_facts_are_ordered_but_never_measured() {
    let p = project(
        r#"
[[timeline]]
at = 2026-02-27
text = "Change staged (day only)"
step = ["detected", "check-recent-changes"]

[[timeline]]
at = 2026-03-01T10:00:00Z
text = "Errors start"
step = "impact-start"

[[timeline]]
at = 10:20:00
text = "Alert"
step = "detected"

[[timeline]]
at = 10:30:00
text = "Fixed"
step = ["mitigate", "verify-resolution"]

[[changes]]
at = 2026-02-27T03:56:00Z
until = 2026-02-27T06:27:00Z
text = "Rolled out region by region"

[[hypotheses]]
at = 2026-02-28
text = "The rollout"
result = "confirmed"
"#,
    );
    assert_eq!(errors(&p), vec![]);
    let (json, page) = built(&p);
    // The day-only "detected" is not the milestone: the timed one is.
    assert_eq!(json["milestones"]["detected"], "2026-03-01T10:20:00Z");
    assert_eq!(json["durations"]["time_to_detect"], 1200);
    // No gap: version 3 leaves the empty list out.
    assert_eq!(json.get("gaps"), None);
    assert!(page.contains(">2026-02-27<"), "shown at day precision");
    assert!(
        page.contains("timeline event on 2026-02-27"),
        "the checklist's evidence"
    );
    assert!(page.contains("2026-02-27 03:56 UTC – 2026-02-27 06:27 UTC"));
    assert!(page.contains("(2026-02-28)"), "the hypothesis's day");

    // A milestone only on a day-only event is reported where it is written.
    let undated = project("[[timeline]]\nat = 2026-02-27\ntext = \"x\"\nstep = \"detected\"\n");
    let f = findings(&undated);
    assert!(
        f.iter().any(|(lint, _, m)| lint == "missing_milestones"
            && m == "`detected` is only on an event without a time"),
        "{f:?}"
    );

    let backwards = project(
        "[[changes]]\nat = 2026-02-27T06:00:00Z\nuntil = 2026-02-27T05:00:00Z\ntext = \"x\"\n",
    );
    assert!(
        errors(&backwards)
            .iter()
            .any(|(_, _, m)| m.contains("`until` is before `at`"))
    );
}

#[test]
fn incidents_json_version_3_matches_its_schema() {
    // The example repository's records, the new real ones among them.
    let p = Project::empty();
    let root = crate::support::repo_root();
    let out = p.root().join("site");
    let (root, out) = (root.to_string_lossy(), out.to_string_lossy());
    p.pm([
        "build",
        "--root",
        &root,
        "--today",
        "2026-06-01",
        "--output",
        &out,
    ])
    .output()
    .code(0);
    let doc: Value = serde_json::from_str(&p.read("site/incidents.json")).expect("JSON");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("schemas/incidents-3.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("compile schema");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
