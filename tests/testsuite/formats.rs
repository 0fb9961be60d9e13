//! `pm lint --format`: every machine format, run end to end on the example
//! repository with one broken record added, and checked against what its
//! consumer expects (the SARIF 2.1.0 schema, GitHub's workflow-command
//! syntax, GitLab's Code Quality fields).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{Output, Project, copy_tree, fixture, repo_root};

const BROKEN: &str = "incidents/2026-11-29-broken.md";

/// A record with an unknown key (`sevrity`, line 6): one error.
fn broken_record() -> String {
    std::fs::read_to_string(fixture("records/unknown-key.md")).expect("read the broken record")
}

/// The example records plus one record with an unknown key and an
/// unowned action item.
fn example_with_a_broken_record() -> Project {
    let p = Project::empty();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&repo_root().join(dir), &p.root().join(dir));
    }
    std::fs::copy(repo_root().join("pm.toml"), p.root().join("pm.toml")).expect("copy pm.toml");
    p.file(BROKEN, broken_record());
    p
}

fn lint(p: &Project, format: &str) -> Output {
    p.pm(["lint", "--today", "2026-11-30", "--format", format])
        .output()
}

/// The findings as JSON lines: the reference the other formats must match.
fn json_findings(p: &Project) -> Vec<Value> {
    let out = lint(p, "json");
    out.code(1);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

#[test]
fn json_lines_have_the_documented_fields_in_order() {
    let p = example_with_a_broken_record();
    let out = lint(&p, "json");
    out.code(1);
    let first = out.stdout.lines().next().expect("findings");
    let keys: Vec<&str> = [
        "lint",
        "level",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "notes",
    ]
    .into_iter()
    .collect();
    let mut at = 0;
    for key in &keys {
        let found = first[at..]
            .find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("{key} in order: {first}"));
        at += found;
    }
    let findings = json_findings(&p);
    assert!(
        findings
            .iter()
            .any(|f| f["file"] == BROKEN && f["lint"] == "unknown_key" && f["line"] == 6)
    );
}

#[test]
fn github_annotations_match_the_findings() {
    let p = example_with_a_broken_record();
    let findings = json_findings(&p);
    let summary = p.root().join("summary.md");
    let out = p
        .pm(["lint", "--today", "2026-11-30", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8 path"))
        .output();
    out.code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len(), "one command per finding");
    for (line, f) in lines.iter().zip(&findings) {
        let level = f["level"].as_str().expect("level");
        assert!(
            line.starts_with(&format!(
                "::{level} file={},line={},",
                f["file"].as_str().expect("file"),
                f["line"]
            )),
            "{line}"
        );
        let (props, message) = line
            .split_once("::")
            .map(|(_, rest)| rest)
            .and_then(|r| r.split_once("::"))
            .expect("::cmd props::message");
        assert!(props.contains("title=pm%3A "), "{props}");
        assert!(!message.contains('\n'), "{message}");
        if f["help"].is_string() {
            assert!(message.contains("%0Ahelp: "), "{message}");
        }
    }
    let summary = std::fs::read_to_string(summary).expect("job summary written");
    assert!(summary.starts_with("## pm lint"), "{summary}");
    assert!(summary.contains(&format!("`{BROKEN}:6:1`")), "{summary}");
}

#[test]
fn github_output_snapshot() {
    let p = Project::from_fixture("basic");
    p.file(BROKEN, broken_record());
    let out = lint(&p, "github");
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let p = example_with_a_broken_record();
    let findings = json_findings(&p);
    let out = lint(&p, "sarif");
    out.code(1);
    let log: Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::fixture("schemas/sarif-2.1.0-rtm.5.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("compile schema");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF log violates the schema:\n{}",
        errors.join("\n")
    );

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"], f["lint"]);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], f["lint"],
            "ruleIndex points at the rule"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["file"]);
        assert_eq!(loc["region"]["startLine"], f["line"]);
        assert_eq!(loc["region"]["startColumn"], f["column"]);
    }
    let prints: BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["pmFinding/v1"]
                .as_str()
                .expect("fingerprint")
        })
        .collect();
    assert_eq!(prints.len(), results.len(), "fingerprints are unique");
}

#[test]
fn the_schema_check_can_fail() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::fixture("schemas/sarif-2.1.0-rtm.5.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("compile schema");
    let bad = serde_json::json!({ "version": "2.1.0", "runs": [{ "results": [] }] });
    assert!(
        !validator.is_valid(&bad),
        "a run without a tool is not SARIF"
    );
}

#[test]
fn gitlab_code_quality_has_the_required_fields() {
    let p = example_with_a_broken_record();
    let findings = json_findings(&p);
    let out = lint(&p, "gitlab");
    out.code(1);
    let issues: Vec<Value> = serde_json::from_str(&out.stdout).expect("a JSON array");
    assert_eq!(issues.len(), findings.len());
    let mut prints = BTreeSet::new();
    for (i, f) in issues.iter().zip(&findings) {
        assert_eq!(i["check_name"], f["lint"]);
        assert!(
            i["description"]
                .as_str()
                .is_some_and(|d| d.starts_with(f["message"].as_str().expect("message")))
        );
        assert_eq!(i["location"]["path"], f["file"]);
        assert_eq!(i["location"]["lines"]["begin"], f["line"]);
        let severity = i["severity"].as_str().expect("severity");
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&severity));
        assert!(
            prints.insert(i["fingerprint"].as_str().expect("fingerprint").to_owned()),
            "unique fingerprints"
        );
    }
}

#[test]
fn output_writes_a_file_and_replaces_it_on_the_next_run() {
    let p = example_with_a_broken_record();
    let args = [
        "lint",
        "--today",
        "2026-11-30",
        "--format",
        "gitlab",
        "--output",
        "reports/gl-code-quality.json",
    ];
    std::fs::create_dir_all(p.root().join("reports")).expect("mkdir");
    let first = p.pm(args).output();
    first.code(1);
    assert!(first.stdout.is_empty(), "nothing on stdout with --output");
    assert!(
        first.stderr.contains("error"),
        "the summary line still goes to stderr: {}",
        first.stderr
    );
    let report = p.read("reports/gl-code-quality.json");
    assert!(report.contains("unknown_key"));
    std::fs::remove_file(p.root().join(BROKEN)).expect("fix the record");
    p.pm(args).output();
    assert!(
        !p.read("reports/gl-code-quality.json")
            .contains("unknown_key"),
        "replaced, not appended"
    );
}

#[test]
fn formats_agree_on_the_same_run_twice() {
    let p = example_with_a_broken_record();
    for format in ["json", "github", "sarif", "gitlab"] {
        assert_eq!(
            lint(&p, format).stdout,
            lint(&p, format).stdout,
            "{format} is deterministic"
        );
    }
}
