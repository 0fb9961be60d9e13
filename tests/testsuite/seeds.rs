//! pm's seed playbooks: `pm new --playbook <type>` and `pm init --playbooks`
//! write a generic starting point for each common incident type.

use crate::support::Project;

const SEEDS: [&str; 8] = [
    "database",
    "bad-deploy",
    "dependency-outage",
    "config-change",
    "capacity",
    "certificate-expiry",
    "data-corruption",
    "network",
];

/// A finished incident of type `kind` that lints clean on its own.
fn incident(kind: &str) -> String {
    format!(
        r#"+++
title = "Example {kind} incident"
severity = "SEV3"
type = "{kind}"
status = "resolved"
services = ["api"]
commander = "alex"
summary = "Something broke for 25 minutes and was fixed."
detected_by = "monitoring"

[impact]
users = 120
customer_facing = true

[[timeline]]
at = 2026-11-20T10:00:00Z
text = "Errors start"
step = "impact-start"

[[timeline]]
at = 2026-11-20T10:04:00Z
text = "Alert fires"
step = "detected"

[[timeline]]
at = 2026-11-20T10:06:00Z
text = "On-call acknowledges"
step = "acknowledge"

[[timeline]]
at = 2026-11-20T10:08:00Z
text = "Severity set to SEV3"
step = "assess-severity"

[[timeline]]
at = 2026-11-20T10:10:00Z
text = "Recent changes checked"
step = "gather-evidence"

[[timeline]]
at = 2026-11-20T10:15:00Z
text = "Change reverted"
step = "mitigate"

[[timeline]]
at = 2026-11-20T10:25:00Z
text = "Errors back to zero for 10 minutes"
step = "verify-resolution"

[[timeline]]
at = 2026-11-20T10:30:00Z
text = "Postmortem review booked"
step = "schedule-postmortem"

[[changes]]
at = 2026-11-20T10:00:00Z
kind = "config"
text = "A setting changed"
suspect = true

[[hypotheses]]
text = "The setting change causes the errors"
result = "confirmed"

[[updates]]
at = 2026-11-20T10:12:00Z
status = "identified"
audience = "internal"
text = "Cause found; reverting."

[[updates]]
at = 2026-11-20T10:26:00Z
status = "resolved"
audience = "customers"
text = "Some requests failed between 10:00 and 10:15 UTC. It is fixed."

[[actions]]
kind = "monitoring"
text = "Alert sooner"
owner = "alex"
due = 2026-11-20
status = "done"
closed = 2026-11-20

[[actions]]
kind = "prevention"
text = "Validate the setting before applying it"
owner = "alex"
due = 2026-11-20
status = "done"
closed = 2026-11-20
+++

## Summary

A setting changed and requests failed until it was reverted.

## Impact

About 4 % of calls failed.

## Root cause

The new value was wrong and nothing checked it.
"#
    )
}

#[test]
fn every_seed_lints_with_no_findings_beside_an_incident_of_its_type() {
    for kind in SEEDS {
        let p = Project::empty();
        let out = p.pm(["new", "--playbook", kind]).output();
        out.code(0);
        assert_eq!(out.stdout, format!("playbooks/{kind}.md\n"));
        p.file(&format!("incidents/2026-11-20-{kind}.md"), incident(kind));
        let lint = p.pm(["lint", "--today", "2026-11-30"]).output();
        lint.code(0);
        assert!(
            lint.stderr.contains("0 errors, 0 warnings"),
            "seed `{kind}` has findings:\n{}",
            lint.stderr
        );
        let json = p
            .pm(["lint", "--today", "2026-11-30", "--format", "json"])
            .output();
        json.code(0);
        assert_eq!(json.stdout.trim(), "", "seed `{kind}`: {}", json.stdout);

        let text = p.read(&format!("playbooks/{kind}.md"));
        let (front, body) = text
            .strip_prefix("+++\n")
            .and_then(|t| t.split_once("\n+++\n"))
            .expect("front matter");
        assert!(
            front.starts_with("# Seed playbook from pm"),
            "seed `{kind}` is not marked as a starting point:\n{front}"
        );
        let first_paragraph = body.trim_start().split("\n\n").next().unwrap_or("");
        assert!(
            first_paragraph.starts_with("This is a seed playbook from pm"),
            "seed `{kind}`'s body does not start by saying it is a seed:\n{body}"
        );
        for key in [
            "symptoms = [",
            "first_checks = [",
            "causes = [",
            "[[mitigations]]",
            "resolution = [",
            "verification = [",
            "[[commands]]",
        ] {
            assert!(front.contains(key), "seed `{kind}` lacks `{key}`");
        }
    }
}

#[test]
fn init_playbooks_writes_every_seed_and_keeps_them_on_a_second_run() {
    let p = Project::empty();
    let first = p.pm(["init", "--playbooks"]).output();
    first.code(0);
    for kind in SEEDS {
        let rel = format!("playbooks/{kind}.md");
        assert!(p.exists(&rel), "{rel} missing:\n{}", first.stderr);
    }
    assert_eq!(
        first.stderr.matches("created `").count(),
        8,
        "{}",
        first.stderr
    );
    assert!(
        first.stderr.contains("wrote 8 seed playbooks"),
        "{}",
        first.stderr
    );
    // Only the playbooks: `--playbooks` adds them to a repository, nothing else.
    assert!(!p.exists("pm.toml"));
    assert!(!p.exists("incidents"));

    let edited = format!(
        "{}\n<!-- edited by hand -->\n",
        p.read("playbooks/network.md")
    );
    p.file("playbooks/network.md", &edited);
    let second = p.pm(["init", "--playbooks"]).output();
    second.code(0);
    assert_eq!(
        second.stderr.matches("kept existing `").count(),
        8,
        "{}",
        second.stderr
    );
    assert!(
        second.stderr.contains("wrote 0 seed playbooks (8 kept"),
        "{}",
        second.stderr
    );
    assert_eq!(p.read("playbooks/network.md"), edited);
}

#[test]
fn init_playbooks_fills_in_only_the_missing_seeds() {
    let p = Project::empty();
    p.file("playbooks/database.md", "ours\n");
    p.pm(["init", "--playbooks"]).output().code(0);
    assert_eq!(p.read("playbooks/database.md"), "ours\n");
    assert!(p.exists("playbooks/network.md"));
}

#[test]
fn new_playbook_network_writes_the_seed_and_refuses_a_second_time() {
    let p = Project::empty();
    let first = p.pm(["new", "--playbook", "network"]).output();
    first.code(0);
    assert_eq!(first.stdout, "playbooks/network.md\n");
    let text = p.read("playbooks/network.md");
    assert!(text.contains("title = \"Network incidents\""), "{text}");
    assert!(text.contains("dig +short"), "{text}");
    let second = p.pm(["new", "--playbook", "network"]).output();
    second.code(2);
    assert!(
        second.stderr.contains("playbooks/network.md"),
        "{}",
        second.stderr
    );
    assert_eq!(
        p.read("playbooks/network.md"),
        text,
        "the first file must be untouched"
    );
}

#[test]
fn new_playbook_without_a_seed_is_the_blank_scaffold() {
    let p = Project::empty();
    p.pm(["new", "--playbook", "queue-backlog"])
        .output()
        .code(0);
    let text = p.read("playbooks/queue-backlog.md");
    assert!(
        text.contains("title = \"queue-backlog incidents\""),
        "{text}"
    );
    assert!(!text.contains("Seed playbook from pm"), "{text}");
}
