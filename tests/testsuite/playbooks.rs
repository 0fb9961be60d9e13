//! Playbooks learned from incidents: `pm playbook draft`, `pm playbook diff`
//! and the playbook page (generated, and curated with what the incidents add).
//!
//! `tests/fixtures/playbooks` holds three incidents of type `cache` and no
//! playbook; several of their items are written differently but are the
//! same after normalisation, so they merge.

use crate::support::{Project, copy_tree, pm_command, repo_root};

const TODAY: &str = "2026-11-30";

/// The `<main>` element of a built page: what the page says, without the
/// site's header and footer.
fn main_content(page: &str) -> &str {
    let start = page.find("<main").expect("a <main> element");
    let end = page.find("</main>").expect("the end of <main>") + "</main>".len();
    &page[start..end]
}

#[test]
fn draft_writes_a_playbook_that_lints_clean_and_says_everything_learned() {
    let p = Project::from_fixture("playbooks");
    let out = p.pm(["playbook", "draft", "cache"]).output();
    out.code(0);
    assert_eq!(out.stdout, "playbooks/cache.md\n");
    let draft = p.read("playbooks/cache.md");
    insta::assert_snapshot!(draft);

    // The draft is a valid playbook: no errors, not reported missing, all
    // six sections present.
    let lint = p
        .pm(["lint", "--today", TODAY, "--format", "json"])
        .output();
    lint.code(0);
    for line in lint.stdout.lines() {
        assert!(!line.contains("\"level\":\"error\""), "{line}");
        assert!(!line.contains("missing_playbooks"), "{line}");
        assert!(!line.contains("incomplete_playbooks"), "{line}");
    }

    // It says everything the incidents taught: the diff is empty.
    let diff = p.pm(["playbook", "diff", "cache"]).output();
    diff.code(0);
    assert_eq!(
        diff.stdout.matches(": nothing new\n").count(),
        7,
        "the draft leaves something out:\n{}",
        diff.stdout
    );

    // `--output -` prints the same text.
    let printed = p
        .pm(["playbook", "draft", "cache", "--output", "-"])
        .output();
    printed.code(0);
    assert_eq!(printed.stdout, draft);
}

#[test]
fn draft_never_overwrites() {
    let p = Project::from_fixture("playbooks");
    p.pm(["playbook", "draft", "cache"]).output().code(0);
    let edited = format!("{}\nEdited by hand.\n", p.read("playbooks/cache.md"));
    p.file("playbooks/cache.md", &edited);
    let second = p.pm(["playbook", "draft", "cache"]).output();
    second.code(2);
    insta::assert_snapshot!(second.snapshot());
    assert_eq!(
        p.read("playbooks/cache.md"),
        edited,
        "the file is untouched"
    );

    // An explicit `--output` is refused the same way, and a new path is written.
    let out = p
        .pm([
            "playbook",
            "draft",
            "cache",
            "--output",
            "playbooks/cache.md",
        ])
        .output();
    out.code(2);
    assert_eq!(p.read("playbooks/cache.md"), edited);
    let out = p
        .pm(["playbook", "draft", "cache", "--output", "drafts/cache.md"])
        .output();
    out.code(0);
    assert_eq!(out.stdout, "drafts/cache.md\n");
    assert!(p.exists("drafts/cache.md"));
}

#[test]
fn draft_and_diff_refuse_unknown_types() {
    let p = Project::from_fixture("playbooks");
    let out = p.pm(["playbook", "draft", "cahce"]).output();
    out.code(2);
    insta::assert_snapshot!(out.snapshot());
    let out = p.pm(["playbook", "diff", "../cache"]).output();
    out.code(2);
    assert!(out.stderr.contains("invalid type"), "{}", out.stderr);
    assert!(!p.exists("playbooks"), "nothing is written");
}

#[test]
fn diff_on_the_example_repository() {
    let root = repo_root();
    let out = pm_command()
        .arg("--root")
        .arg(&root)
        .args(["playbook", "diff", "config-change"])
        .output()
        .expect("run pm");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));

    let json = pm_command()
        .arg("--root")
        .arg(&root)
        .args(["playbook", "diff", "config-change", "--format", "json"])
        .output()
        .expect("run pm");
    assert_eq!(json.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(value["version"], 1);
    assert_eq!(value["playbook"], "playbooks/config-change.md");
    assert_eq!(
        value["incidents"],
        serde_json::json!([
            "2021-06-08-fastly-global-cdn-errors",
            "2024-07-05-github-webhooks-background-job-auth",
            "2025-11-18-cloudflare-bot-management-feature-file",
            "2026-03-05-edge-rate-limit-too-broad"
        ])
    );
    // Every option the edge incident weighed is in the playbook in other
    // words ("Revert PR #5388 through GitOps" is "Revert the change through
    // GitOps"), so none of its options is unsaid; the published incidents'
    // own options are.
    let mitigations = value["sections"]["mitigations"]
        .as_array()
        .expect("mitigations");
    assert!(!mitigations.is_empty());
    assert!(
        mitigations
            .iter()
            .all(|m| m["incidents"].as_array().is_some_and(|ids| !ids
                .iter()
                .any(|id| id == "2026-03-05-edge-rate-limit-too-broad"))),
        "{mitigations:?}"
    );
}

/// The example set: a curated item is matched to the incidents' own
/// wording, so each curated mitigation that was weighed shows its record;
/// one-off items (seen in one incident) stay off the curated pages, and
/// what two incidents said in different words is one item seen twice.
#[test]
fn example_playbook_pages_match_curated_items_by_meaning() {
    let p = Project::empty();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&repo_root().join(dir), &p.root().join(dir));
    }
    p.file(
        "pm.toml",
        std::fs::read_to_string(repo_root().join("pm.toml")).expect("pm.toml"),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let record = |kind: &str, option: &str| -> String {
        let page = p.read(&format!("public/playbooks/{kind}/index.html"));
        let row = page
            .split("<tr>")
            .find(|r| r.contains(option))
            .unwrap_or_else(|| panic!("{kind}: no row for {option}"));
        row.split("class=\"record\">")
            .nth(1)
            .unwrap_or_default()
            .to_owned()
    };
    for (kind, option) in [
        ("config-change", "Revert the change through GitOps"),
        ("database", "Scale the offending job or consumer to zero"),
        ("database", "Build the missing index concurrently"),
    ] {
        let r = record(kind, option);
        assert!(
            r.starts_with("tried 1 time, worked 1"),
            "{kind}: {option}: {r}"
        );
    }
    for kind in ["database", "bad-deploy"] {
        let page = p.read(&format!("public/playbooks/{kind}/index.html"));
        assert!(
            !page.contains("not in this playbook yet"),
            "{kind}: one-off items are listed"
        );
        assert!(
            page.contains("seen in fewer than 2 incidents each"),
            "{kind}"
        );
    }
    // The same meaning in two incidents is one learned item, counted twice,
    // named by its more general wording: Fastly's "declares the incident
    // mitigated (their word for all services restored)" and Cloudflare's
    // "All services restored: impact ends".
    let page = p.read("public/playbooks/config-change/index.html");
    let learned: Vec<&str> = page
        .split("<ul class=\"learned-list\">")
        .skip(1)
        .flat_map(|list| {
            list.split("</ul>")
                .next()
                .unwrap_or_default()
                .split("<li>")
                .skip(1)
        })
        .collect();
    assert_eq!(learned.len(), 1, "config-change: {learned:?}");
    assert!(
        learned[0].starts_with("All services restored: impact ends")
            && learned[0].contains("seen in 2 incidents")
            && learned[0].contains("2021-06-08-fastly-global-cdn-errors")
            && learned[0].contains("2025-11-18-cloudflare-bot-management-feature-file"),
        "config-change: {learned:?}"
    );
    // Both incidents that weighed a rollback, in their own words, are the
    // record of the curated rollback.
    let r = record("bad-deploy", "Roll back to the previous release");
    assert!(
        r.starts_with("tried 1 time, worked 1")
            && r.contains("2025-09-30-gateway-risk-deadline-rollback")
            && r.contains("2026-06-11-refund-events-schema-fix-forward"),
        "bad-deploy: {r}"
    );
}

#[test]
fn generated_playbook_page() {
    let p = Project::from_fixture("playbooks");
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = p.read("public/playbooks/cache/index.html");
    insta::assert_snapshot!(main_content(&page));
}

#[test]
fn curated_playbook_page_shows_what_the_file_does_not_say_yet() {
    let p = Project::from_fixture("playbooks");
    // Some items as the incidents wrote them (other case, backticks,
    // punctuation), some not: only the second kind are learned under it.
    p.file(
        "playbooks/cache.md",
        r#"+++
title = "Cache incidents"
owner = "team-platform"
symptoms = ["checkout p99 above 2 s", "Memory near `maxmemory`"]
first_checks = ["INFO stats shows evicted_keys climbing."]
causes = ["maxmemory is too small for the catalogue"]
resolution = ["Raise `maxmemory` and size it from the catalogue"]
verification = ["Hit rate above 95 % for 15 minutes"]

[[mitigations]]
option = "Flush the cache"
speed = "high"
risk = "high"
effectiveness = "low"
notes = "Sends every read to the database"

[[mitigations]]
option = "Raise maxmemory"
speed = "high"
risk = "low"
effectiveness = "high"

[[commands]]
label = "Evictions and misses"
run = "redis-cli -h cache INFO stats | grep -E 'evicted_keys|keyspace_misses'"
+++

Ask #team-platform before restarting a cache node.
"#,
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = p.read("public/playbooks/cache/index.html");
    insta::assert_snapshot!(main_content(&page));
}
