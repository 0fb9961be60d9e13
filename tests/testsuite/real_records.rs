//! The example repository's records written from published postmortems
//! (issue 18): each links its source, `pm lint` finds nothing in them (see
//! `dogfood.rs`), and together they use what version 2 of the format added
//! for facts as published: approximate times, several steps in one event,
//! impact described in words with sourced figures, unknowns and day-only
//! facts.

use serde_json::Value;

use crate::support::{Project, repo_root};

/// The published-postmortem records' front matter, by file name.
fn published() -> Vec<(String, String)> {
    let mut files = Vec::new();
    crate::support::md_files(&repo_root().join("incidents"), &mut files);
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let front = text.split("+++").nth(1)?.to_owned();
            let name = path.file_name()?.to_string_lossy().into_owned();
            front
                .contains("\"published-postmortem\"")
                .then_some((name, front))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn at_least_three_records_from_published_postmortems_each_linking_its_source() {
    let records = published();
    assert!(
        records.len() >= 3,
        "{:?}",
        records.iter().map(|r| &r.0).collect::<Vec<_>>()
    );
    for (name, front) in &records {
        let summary = front
            .lines()
            .find(|l| l.starts_with("summary = "))
            .unwrap_or_default();
        assert!(
            summary.contains("https://"),
            "{name}: the summary links the published source"
        );
    }
}

#[test]
fn together_they_use_what_published_postmortems_need() {
    let all: String = published().into_iter().map(|(_, f)| f).collect();
    for (what, needle) in [
        ("an approximate time", "approx = true"),
        ("an event that is several steps", "step = ["),
        ("impact described in words", "users = \""),
        ("a sourced figure", "figures = ["),
        ("an unknown checklist step", "= \"unknown: "),
        ("a day-only fact", "at = 2021-05-12\n"),
    ] {
        assert!(all.contains(needle), "no record shows {what} (`{needle}`)");
    }
}

#[test]
fn their_figures_are_computed_from_the_published_times() {
    let p = Project::empty();
    let root = repo_root();
    let out = p.root().join("site");
    let (root, out) = (root.to_string_lossy(), out.to_string_lossy());
    p.pm([
        "build",
        "--root",
        &root,
        "--today",
        "2026-11-30",
        "--output",
        &out,
    ])
    .output()
    .code(0);
    let doc: Value = serde_json::from_str(&p.read("site/incidents.json")).expect("JSON");
    let find = |id: &str| {
        doc["incidents"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("{id} in incidents.json"))
    };
    // Fastly: 09:47 onset, 09:48 detected, 95 % normal at 10:36 (49 minutes).
    let fastly = find("2021-06-08-fastly-global-cdn-errors");
    assert_eq!(fastly["durations"]["time_to_detect"], 60);
    assert_eq!(fastly["durations"]["time_to_mitigate"], 49 * 60);
    // Datadog: alerted 3 minutes after 06:00; the declaration is derived.
    let datadog = find("2023-03-08-datadog-multi-region-outage");
    assert_eq!(datadog["durations"]["time_to_detect"], 180);
    assert_eq!(
        datadog["impact"]["regions"].as_array().map(Vec::len),
        Some(5)
    );
    assert_eq!(datadog["checklist"]["schedule-postmortem"], "unknown");
    // Cloudflare: the start is approximate, so every duration from it is.
    let cloudflare = find("2025-11-18-cloudflare-bot-management-feature-file");
    let approximate = cloudflare["approximate"].to_string();
    assert!(approximate.contains("time_to_mitigate"), "{approximate}");
    assert_eq!(
        cloudflare["durations"]["time_to_mitigate"],
        (14 * 60 + 30 - (11 * 60 + 20)) * 60
    );
}
