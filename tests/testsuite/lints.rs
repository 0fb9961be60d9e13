//! Lints: every folder under `tests/fixtures/lints/` is a records repository
//! named after the one lint that must fire in it, with near-misses beside
//! each hit that must stay silent. See `tests/README.md`, "Adding a case".
//!
//! - `every_fixture_reports_exactly_the_expected_findings`: the findings of
//!   each fixture, worked out by hand from the records, against
//!   `pm lint --format json`.
//! - `lint_each_fixture`: the human output of each fixture, as a snapshot.
//! - meta-tests: fixtures, registry and docs stay in step with the lints.
//! - level resolution, end to end, on the `unexplained_timeline_gaps` fixture.
//! - `#[ignore = "pm bug: ..."]` tests: the correct behaviour of a rule that
//!   is wrong today. Remove the `ignore` with the fix.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{Output, Project, fixture, repo_root};

const TODAY: &str = "2026-11-30";

/// One finding of `pm lint --format json`.
#[derive(Debug, Clone)]
struct Finding {
    lint: String,
    level: String,
    file: String,
    line: u64,
    message: String,
    help: Option<String>,
    notes: Vec<String>,
}

/// Parses `pm lint --format json` (one object per line) from stdout.
fn findings(out: &Output) -> Vec<Finding> {
    out.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let s = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("`{k}` is not a string: {line}"))
                    .to_owned()
            };
            Finding {
                lint: s("lint"),
                level: s("level"),
                file: s("file"),
                line: v["line"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("`line` is not a number: {line}")),
                message: s("message"),
                help: v["help"].as_str().map(str::to_owned),
                notes: v["notes"]
                    .as_array()
                    .unwrap_or_else(|| panic!("`notes` is not an array: {line}"))
                    .iter()
                    .map(|n| n.as_str().unwrap_or_default().to_owned())
                    .collect(),
            }
        })
        .collect()
}

/// `pm lint --today 2026-11-30 --format json <extra>` in `p`.
fn lint_json(p: &Project, extra: &[&str]) -> (Output, Vec<Finding>) {
    let mut args = vec!["lint", "--today", TODAY, "--format", "json"];
    args.extend_from_slice(extra);
    let out = p.pm(args).output();
    let found = findings(&out);
    (out, found)
}

/// The findings of one lint only.
fn of<'a>(found: &'a [Finding], lint: &str) -> Vec<&'a Finding> {
    found.iter().filter(|f| f.lint == lint).collect()
}

/// `(lint, file, line)` of each finding, sorted.
fn places(found: &[Finding]) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = found
        .iter()
        .map(|f| (f.lint.clone(), f.file.clone(), f.line))
        .collect();
    v.sort();
    v
}

/// The folders under `tests/fixtures/lints/`, sorted.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture("lints"))
        .expect("read tests/fixtures/lints")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .expect("fixture folder has a name")
        .to_string_lossy()
        .into_owned()
}

/// Every lint `pm lint --list` prints, in its order.
fn listed_lints() -> Vec<String> {
    let out = Project::empty().pm(["lint", "--list"]).output();
    out.code(0);
    let mut lines = out.stdout.lines();
    let header = lines.next().expect("a header line");
    assert!(header.starts_with("lint "), "unexpected header: {header}");
    lines
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().expect("a lint name").to_owned())
        .collect()
}

// ---------------------------------------------------------------------------
// The findings of each fixture, worked out by hand.
// ---------------------------------------------------------------------------

/// What one fixture must report: every finding is of the fixture's lint, at
/// the level of its group, and the list is complete, so the near-misses in the
/// fixture are proven silent.
struct Case {
    lint: &'static str,
    /// `error` for correctness lints (deny), `warning` for the others.
    level: &'static str,
    /// `(file, line, fragments the message must contain)`.
    findings: &'static [(&'static str, u64, &'static [&'static str])],
}

const CASES: &[Case] = &[
    Case {
        lint: "duplicate_timeline_events",
        level: "warning",
        // `  paged ` at 15:05+01:00 repeats `Paged` at 14:05Z (same instant,
        // case and space ignored); same-instant-other-text and
        // same-text-other-instant stay silent. Pointed at the repeat's `at`.
        findings: &[(
            "incidents/2026-11-03-checkout-errors.md",
            20,
            &["repeats an earlier one"],
        )],
    },
    Case {
        lint: "events_in_the_future",
        level: "warning",
        // 2026-12-01T00:01Z is after today; 2026-11-30T23:59Z is not.
        findings: &[(
            "incidents/2026-11-30-search-timeouts.md",
            39,
            &["2026-12-01", "2026-11-30"],
        )],
    },
    Case {
        lint: "events_out_of_order",
        level: "error",
        // 23:40 after 23:45, and the bare 00:10 that keeps 2026-11-03; the
        // tie at 23:30 and the full next-day datetime are in order.
        findings: &[
            (
                "incidents/2026-11-03-replica-lag.md",
                35,
                &["event at 23:40", "an event at 23:45"],
            ),
            (
                "incidents/2026-11-03-replica-lag.md",
                46,
                &["event at 00:10", "an event at 23:55"],
            ),
        ],
    },
    Case {
        lint: "incomplete_playbooks",
        level: "warning",
        // database.md has no `verification` (reported at its opening `+++`);
        // `causes` with one real item beside a blank one is enough, and
        // network.md is complete.
        findings: &[("playbooks/database.md", 1, &["`verification`"])],
    },
    Case {
        lint: "inverted_milestones",
        level: "error",
        // `acknowledge` at 13:58 before `detected` at 14:00, pointed at the
        // `acknowledge` step; detection at the very instant impact started is fine.
        findings: &[(
            "incidents/2026-11-03-login-failures.md",
            12,
            &["`acknowledge` is earlier than `detected`"],
        )],
    },
    Case {
        lint: "misdated_ids",
        level: "warning",
        // Dated the 5th, started the 3rd: reported at the opening `+++`.
        // Dated the 4th, started 23:30 on the 3rd: a day apart, silent.
        findings: &[(
            "incidents/2026-11-05-checkout-errors.md",
            1,
            &["dated 2026-11-05", "started on 2026-11-03"],
        )],
    },
    Case {
        lint: "missing_checklist_steps",
        level: "warning",
        // An untested hypothesis does not test it; an `investigating` update
        // does not communicate the resolution. Declared, skipped, structured
        // and event evidence cover the rest; schedule-postmortem is not
        // required at SEV3 by pm.toml.
        findings: &[
            (
                "incidents/2026-11-03-cache-misses.md",
                1,
                &["`communicate-resolution`"],
            ),
            (
                "incidents/2026-11-03-cache-misses.md",
                1,
                &["`test-hypothesis`"],
            ),
        ],
    },
    Case {
        lint: "missing_milestones",
        level: "warning",
        // Mitigated without `acknowledge` (no `verify-resolution` is fine);
        // active without `impact-start` (no `mitigate` is fine).
        findings: &[
            (
                "incidents/2026-11-03-queue-backlog.md",
                1,
                &["`acknowledge`"],
            ),
            (
                "incidents/2026-11-20-email-delays.md",
                1,
                &["`impact-start`"],
            ),
        ],
    },
    Case {
        lint: "missing_monitoring_actions",
        level: "warning",
        // Customer detection, pointed at `detected_by`; a 20-minute detection,
        // pointed at the `detected` event. Exactly 15 minutes, and a customer
        // detection with a monitoring item, stay silent.
        findings: &[
            (
                "incidents/2026-11-03-customer-report.md",
                7,
                &["a customer detected this incident"],
            ),
            ("incidents/2026-11-03-slow-alert.md", 15, &["20m", "15m"]),
        ],
    },
    Case {
        lint: "missing_playbooks",
        level: "warning",
        // Two `cache` incidents: reported once, on the later one by start
        // (cache-eviction, 2026-11-20), not the larger id. `database` has
        // its playbook.
        findings: &[("incidents/cache-eviction.md", 4, &["`cache`"])],
    },
    Case {
        lint: "missing_prevention_actions",
        level: "warning",
        // Resolved SEV2 with only a monitoring item, at `severity`. A
        // `wont-do` prevention item, a mitigated SEV1 and a resolved SEV3
        // stay silent.
        findings: &[(
            "incidents/2026-11-03-resolved-sev2.md",
            3,
            &["SEV2", "prevention"],
        )],
    },
    Case {
        lint: "missing_sections",
        level: "warning",
        // `## IMPACT` counts (case ignored); `## Root Causes` does not.
        // Pointed at the closing `+++` on line 31, where the body starts
        // (see `missing_sections_points_at_a_line_with_text`).
        findings: &[(
            "incidents/2026-11-03-dns-outage.md",
            31,
            &["`## Root cause`"],
        )],
    },
    Case {
        lint: "overdue_action_items",
        level: "warning",
        // Open (by default) due yesterday, in progress due in October; due
        // today, done and wont-do stay silent. Pointed at `[[actions]]`.
        findings: &[
            (
                "incidents/2026-11-03-expired-certificate.md",
                33,
                &["2026-11-29", "still open"],
            ),
            (
                "incidents/2026-11-03-expired-certificate.md",
                40,
                &["2026-10-01", "still in-progress"],
            ),
        ],
    },
    Case {
        lint: "raw_html",
        level: "warning",
        // Inline `<b>`, a `<details>` block (once, at its first line) and a
        // `<br>` in a playbook body; code spans, fenced code, `1 < 2` and an
        // autolink stay silent.
        findings: &[
            (
                "incidents/2026-11-03-expired-certificate.md",
                35,
                &["shown as text"],
            ),
            (
                "incidents/2026-11-03-expired-certificate.md",
                46,
                &["shown as text"],
            ),
            ("playbooks/tls.md", 17, &["shown as text"]),
        ],
    },
    Case {
        lint: "resolved_without_resolution",
        level: "warning",
        // Resolved without `verify-resolution`, at `status`; the mitigated
        // twin stays silent.
        findings: &[(
            "incidents/2026-11-03-certificate-resolved.md",
            6,
            &["`verify-resolution`"],
        )],
    },
    Case {
        lint: "stale_playbooks",
        level: "warning",
        // The database playbook was committed on 2026-06-01: the May incident
        // is older (silent), the September and October ones are newer. The
        // network playbook was revised after its only incident (silent).
        findings: &[("playbooks/database.md", 1, &["2026-06-01", "2 incidents"])],
    },
    Case {
        lint: "template_placeholders",
        level: "warning",
        // The published record keeps `pm new`'s Impact sentence (body line
        // 30); the draft with the same sentence stays silent.
        findings: &[(
            "incidents/2026-11-03-checkout-errors.md",
            30,
            &["`Impact` section still has the template's placeholder text"],
        )],
    },
    Case {
        lint: "undated_action_items",
        level: "warning",
        // Open and in-progress without `due`; dated, done and wont-do stay silent.
        findings: &[
            (
                "incidents/2026-11-03-expired-certificate.md",
                33,
                &["no due date"],
            ),
            (
                "incidents/2026-11-03-expired-certificate.md",
                39,
                &["no due date"],
            ),
        ],
    },
    Case {
        lint: "unexplained_timeline_gaps",
        level: "warning",
        // SEV3 (30m): 45m reported; exactly 30m, 60m explained, 2h before
        // impact start and 90m after resolution stay silent. SEV1 (15m,
        // mitigated so the window ends at the last event): 20m reported,
        // exactly 15m silent. Pointed at the event that ends the silence.
        findings: &[
            (
                "incidents/2026-11-03-vendor-outage.md",
                29,
                &["45m", "threshold 30m"],
            ),
            (
                "incidents/2026-11-10-checkout-down.md",
                31,
                &["20m", "threshold 15m"],
            ),
        ],
    },
    Case {
        lint: "unkinded_action_items",
        level: "warning",
        // Open and done items without `kind`; the one with a kind is silent.
        findings: &[
            (
                "incidents/2026-11-03-expired-certificate.md",
                33,
                &["no `kind`"],
            ),
            (
                "incidents/2026-11-03-expired-certificate.md",
                39,
                &["no `kind`"],
            ),
        ],
    },
    Case {
        lint: "unowned_action_items",
        level: "warning",
        // Open without `owner`, in progress with a blank one; owned, done and
        // wont-do stay silent.
        findings: &[
            (
                "incidents/2026-11-03-expired-certificate.md",
                33,
                &["no owner"],
            ),
            (
                "incidents/2026-11-03-expired-certificate.md",
                39,
                &["no owner"],
            ),
        ],
    },
    Case {
        lint: "unresolved_links",
        level: "warning",
        // In the bundle: the `postgres.log` log, the `df.log` evidence and the
        // `graphs/iops.svg` image; `./df.txt`, a URL, `graphs/usage.svg`, a
        // pasted excerpt, `#root-cause` and `../` links resolve. In the
        // single-file record: `p99.svg`.
        findings: &[
            (
                "incidents/2026-11-03-disk-full/index.md",
                10,
                &["`postgres.log`"],
            ),
            ("incidents/2026-11-03-disk-full/index.md", 34, &["`df.log`"]),
            (
                "incidents/2026-11-03-disk-full/index.md",
                55,
                &["`graphs/iops.svg`"],
            ),
            ("incidents/2026-11-04-slow-queries.md", 17, &["`p99.svg`"]),
        ],
    },
];

#[test]
fn every_fixture_reports_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for case in CASES {
        let p = Project::from_dir(&fixture("lints").join(case.lint));
        p.apply_commit_script();
        let (out, found) = lint_json(&p, &[]);

        let expected_code = if case.level == "error" { 1 } else { 0 };
        if out.code != Some(expected_code) {
            failures.push(format!(
                "{}: exit {:?}, expected {expected_code}\n{}",
                case.lint, out.code, out.stderr
            ));
        }

        let mut expected: Vec<(String, String, u64)> = case
            .findings
            .iter()
            .map(|(file, line, _)| (case.lint.to_owned(), (*file).to_owned(), *line))
            .collect();
        expected.sort();
        let actual = places(&found);
        if actual != expected {
            failures.push(format!(
                "{}: findings differ\n  expected {expected:?}\n  actual   {actual:?}\n{}",
                case.lint, out.stdout
            ));
            continue;
        }

        // Match each expected finding to a distinct actual one at the same
        // place whose message holds every fragment.
        let mut used = vec![false; found.len()];
        for (file, line, fragments) in case.findings {
            let hit = found.iter().enumerate().position(|(i, f)| {
                !used[i]
                    && f.file == *file
                    && f.line == *line
                    && fragments.iter().all(|frag| f.message.contains(frag))
            });
            match hit {
                Some(i) => used[i] = true,
                None => failures.push(format!(
                    "{}: no finding at {file}:{line} whose message contains {fragments:?}\n{}",
                    case.lint, out.stdout
                )),
            }
        }
        for f in &found {
            if f.level != case.level {
                failures.push(format!(
                    "{}: {}:{} is a {}, expected a {}",
                    case.lint, f.file, f.line, f.level, case.level
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Each fixture's human output, one snapshot per lint.
#[test]
fn lint_each_fixture() {
    insta::glob!("../fixtures", "lints/*", |dir| {
        let p = Project::from_dir(dir);
        p.apply_commit_script();
        let out = p.pm(["lint", "--today", TODAY]).output();
        insta::assert_snapshot!(out.snapshot());
    });
}

// ---------------------------------------------------------------------------
// Meta-tests.
// ---------------------------------------------------------------------------

#[test]
fn every_lint_has_a_fixture_and_every_fixture_names_a_lint() {
    let lints: BTreeSet<String> = listed_lints().into_iter().collect();
    let folders: BTreeSet<String> = fixture_dirs().iter().map(|d| dir_name(d)).collect();
    let without_fixture: Vec<_> = lints.difference(&folders).collect();
    let not_a_lint: Vec<_> = folders.difference(&lints).collect();
    assert!(
        without_fixture.is_empty(),
        "lints without a tests/fixtures/lints/<lint>/ folder: {without_fixture:?}"
    );
    assert!(
        not_a_lint.is_empty(),
        "fixture folders that name no lint: {not_a_lint:?}"
    );
    let cases: BTreeSet<String> = CASES.iter().map(|c| c.lint.to_owned()).collect();
    assert_eq!(
        cases, lints,
        "CASES must hold one hand-worked entry per lint"
    );
}

#[test]
fn the_registry_is_sorted_and_lists_every_rule_file() {
    let rules = repo_root().join("src/lint/rules");
    let mut files: Vec<String> = std::fs::read_dir(&rules)
        .expect("read src/lint/rules")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            p.file_stem()
                .expect("a file stem")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|stem| stem != "mod")
        .collect();
    files.sort();

    let registry = std::fs::read_to_string(rules.join("mod.rs")).expect("read rules/mod.rs");
    let modules: Vec<String> = registry
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .filter_map(|l| l.strip_suffix(';'))
        .map(str::to_owned)
        .collect();
    let entries: Vec<String> = registry
        .lines()
        .filter_map(|l| l.trim().strip_prefix('&'))
        .filter_map(|l| l.strip_suffix("::LINT,"))
        .map(str::to_owned)
        .collect();

    let sorted = |v: &[String]| v.windows(2).all(|w| w[0] < w[1]);
    assert!(sorted(&modules), "`mod` lines are not sorted: {modules:?}");
    assert!(sorted(&entries), "LINTS is not sorted: {entries:?}");
    assert_eq!(modules, files, "`mod` lines and rule files differ");
    assert_eq!(entries, files, "LINTS entries and rule files differ");

    // Each file defines the lint it is named after, and the binary lists them
    // in the registry's order.
    for stem in &files {
        let source = std::fs::read_to_string(rules.join(format!("{stem}.rs"))).expect("read rule");
        assert!(
            source.contains(&format!("name: \"{stem}\",")),
            "src/lint/rules/{stem}.rs does not define the lint `{stem}`"
        );
    }
    assert_eq!(
        listed_lints(),
        files,
        "`pm lint --list` and the registry differ"
    );
}

#[test]
fn every_explanation_has_the_three_headings() {
    for lint in listed_lints() {
        let out = Project::empty().pm(["explain", &lint]).output();
        out.code(0);
        // Rendered for a terminal: a heading is its own line, without `###`.
        let names = ["What it does", "Why is this bad", "Example"];
        let headings: Vec<&str> = out.stdout.lines().filter(|l| names.contains(l)).collect();
        for wanted in names {
            assert!(
                headings.contains(&wanted),
                "`pm explain {lint}` has no \"{wanted}\" heading\n{}",
                out.stdout
            );
        }
        let at = |h: &str| headings.iter().position(|x| *x == h);
        assert!(
            at("What it does") < at("Why is this bad") && at("Why is this bad") < at("Example"),
            "`pm explain {lint}`: headings out of order: {headings:?}"
        );
    }
}

#[test]
fn every_message_is_lowercase_without_a_period_and_has_help() {
    let mut bad = Vec::new();
    for dir in fixture_dirs() {
        let p = Project::from_dir(&dir);
        p.apply_commit_script();
        let (_, found) = lint_json(&p, &[]);
        assert!(!found.is_empty(), "{}: no findings", dir_name(&dir));
        for f in found {
            let first = f.message.chars().next();
            if first.is_none_or(char::is_uppercase) {
                bad.push(format!(
                    "{}: message starts uppercase or is empty: {:?}",
                    f.lint, f.message
                ));
            }
            if f.message.ends_with('.') {
                bad.push(format!(
                    "{}: message ends with a period: {:?}",
                    f.lint, f.message
                ));
            }
            if f.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
                bad.push(format!("{}: no help for {:?}", f.lint, f.message));
            }
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

// ---------------------------------------------------------------------------
// Level resolution, end to end, on the `unexplained_timeline_gaps` fixture:
// a 45m gap in incidents/2026-11-03-vendor-outage.md:29 (SEV3) and a 20m gap
// in incidents/2026-11-10-checkout-down.md:31 (SEV1).
// ---------------------------------------------------------------------------

const GAPS: &str = "unexplained_timeline_gaps";
const VENDOR: &str = "incidents/2026-11-03-vendor-outage.md";
const CHECKOUT: &str = "incidents/2026-11-10-checkout-down.md";

fn gaps_fixture() -> Project {
    Project::from_dir(&fixture("lints").join(GAPS))
}

/// Appends lines to the fixture's pm.toml, which ends in its `[lints]` table.
fn add_to_lints_table(p: &Project, lines: &str) {
    let config = p.read("pm.toml");
    assert_eq!(
        config.lines().rev().find(|l| l.starts_with('[')),
        Some("[lints]"),
        "the fixture's pm.toml no longer ends in its [lints] table"
    );
    p.file("pm.toml", format!("{config}{lines}"));
}

/// Puts `allow = [...]` right after `status` in the vendor-outage record, so
/// it lands on line 6.
fn allow_in_vendor_record(p: &Project, entries: &str) {
    let text = p.read(VENDOR);
    let anchor = "status = \"resolved\"\n";
    assert_eq!(
        text.lines().nth(4),
        Some(anchor.trim_end()),
        "`status` is no longer on line 5"
    );
    p.file(
        VENDOR,
        text.replacen(anchor, &format!("{anchor}allow = [{entries}]\n"), 1),
    );
}

/// `(file, line, level)` of the gap findings.
fn gap_levels(found: &[Finding]) -> Vec<(String, u64, String)> {
    let mut v: Vec<_> = of(found, GAPS)
        .into_iter()
        .map(|f| (f.file.clone(), f.line, f.level.clone()))
        .collect();
    v.sort();
    v
}

fn both_gaps(level: &str) -> Vec<(String, u64, String)> {
    vec![
        (VENDOR.to_owned(), 29, level.to_owned()),
        (CHECKOUT.to_owned(), 31, level.to_owned()),
    ]
}

#[test]
fn level_default_is_the_groups() {
    let (out, found) = lint_json(&gaps_fixture(), &[]);
    out.code(0);
    assert_eq!(gap_levels(&found), both_gaps("warning"));
    for f in of(&found, GAPS) {
        assert!(
            f.notes
                .iter()
                .any(|n| n.contains("by default (group `suspicious`)")),
            "{:?}",
            f.notes
        );
    }
}

#[test]
fn level_deny_in_pm_toml_is_an_error_and_fails() {
    let p = gaps_fixture();
    add_to_lints_table(&p, "unexplained_timeline_gaps = \"deny\"\n");
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    assert_eq!(gap_levels(&found), both_gaps("error"));
    for f in of(&found, GAPS) {
        assert!(
            f.notes.iter().any(|n| n.contains("`pm.toml`")),
            "{:?}",
            f.notes
        );
    }
}

#[test]
fn level_allow_on_the_command_line_hides_it_even_over_pm_toml() {
    let p = gaps_fixture();
    let (out, found) = lint_json(&p, &["-A", GAPS]);
    out.code(0);
    assert_eq!(gap_levels(&found), vec![]);

    add_to_lints_table(&p, "unexplained_timeline_gaps = \"deny\"\n");
    let (out, found) = lint_json(&p, &["-A", GAPS]);
    out.code(0);
    assert_eq!(
        gap_levels(&found),
        vec![],
        "the command line overrides pm.toml"
    );
}

#[test]
fn level_warn_and_deny_take_a_group_name() {
    let p = gaps_fixture();
    add_to_lints_table(&p, "unexplained_timeline_gaps = \"allow\"\n");
    let (out, found) = lint_json(&p, &[]);
    out.code(0);
    assert_eq!(gap_levels(&found), vec![], "allowed in pm.toml");

    // `-W suspicious` brings it back as a warning...
    let (out, found) = lint_json(&p, &["-W", "suspicious"]);
    out.code(0);
    assert_eq!(gap_levels(&found), both_gaps("warning"));
    for f in of(&found, GAPS) {
        assert!(
            f.notes
                .iter()
                .any(|n| n.contains("the command line (group `suspicious`)")),
            "{:?}",
            f.notes
        );
    }

    // ...and `-D suspicious` as an error.
    let (out, found) = lint_json(&p, &["-D", "suspicious"]);
    out.code(1);
    assert_eq!(gap_levels(&found), both_gaps("error"));

    // A group leaves the other groups alone: `-D style` denies
    // missing_playbooks (allowed in pm.toml) and leaves the gaps allowed.
    let (out, found) = lint_json(&p, &["-D", "style"]);
    out.code(1);
    assert_eq!(gap_levels(&found), vec![]);
    assert!(
        found
            .iter()
            .all(|f| f.lint == "missing_playbooks" && f.level == "error"),
        "{}",
        out.stdout
    );
}

#[test]
fn level_a_records_allow_hides_it_in_that_record_only() {
    let p = gaps_fixture();
    allow_in_vendor_record(
        &p,
        "{ lint = \"unexplained_timeline_gaps\", reason = \"the vendor's status page was our only source\" }",
    );
    let (out, found) = lint_json(&p, &[]);
    out.code(0);
    assert_eq!(
        gap_levels(&found),
        vec![(CHECKOUT.to_owned(), 31, "warning".to_owned())]
    );

    // It wins over the command line too.
    let (out, found) = lint_json(&p, &["-D", GAPS]);
    assert_eq!(
        gap_levels(&found),
        vec![(CHECKOUT.to_owned(), 31, "error".to_owned())]
    );
    out.code(1);
}

#[test]
fn level_an_allow_without_reason_is_an_error() {
    let p = gaps_fixture();
    allow_in_vendor_record(&p, "{ lint = \"unexplained_timeline_gaps\" }");
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    let missing: Vec<_> = found
        .iter()
        .filter(|f| f.file == VENDOR && f.line == 6 && f.level == "error")
        .collect();
    assert_eq!(missing.len(), 1, "{}", out.stdout);
    assert_eq!(missing[0].lint, "missing_key");
    assert!(missing[0].message.contains("`reason`"), "{:?}", missing[0]);
    assert!(
        missing[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("reason = ")),
        "{:?}",
        missing[0]
    );
    // The entry silences nothing: the gap in the vendor record (one line
    // lower now) is still reported.
    assert_eq!(
        gap_levels(&found),
        vec![
            (VENDOR.to_owned(), 30, "warning".to_owned()),
            (CHECKOUT.to_owned(), 31, "warning".to_owned()),
        ]
    );
}

#[test]
fn level_unknown_names_get_a_did_you_mean_everywhere() {
    let typo = "unexplained_timeline_gap";
    let did_you_mean = "did you mean `unexplained_timeline_gaps`?";
    let unknown = |found: &[Finding], file: &str| -> Vec<(u64, Option<String>)> {
        found
            .iter()
            .filter(|f| f.lint == "unknown_lint" && f.file == file)
            .map(|f| {
                assert_eq!(f.level, "error");
                assert!(f.message.contains(&format!("`{typo}`")), "{:?}", f.message);
                (f.line, f.help.clone())
            })
            .collect()
    };

    // In pm.toml: located on its line (9, after the fixture's eight).
    let p = gaps_fixture();
    add_to_lints_table(&p, &format!("{typo} = \"deny\"\n"));
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    assert_eq!(
        unknown(&found, "pm.toml"),
        vec![(9, Some(did_you_mean.to_owned()))]
    );
    assert_eq!(
        gap_levels(&found),
        both_gaps("warning"),
        "the level is not applied"
    );

    // On the command line.
    let (out, found) = lint_json(&gaps_fixture(), &["-A", typo]);
    out.code(1);
    assert_eq!(
        unknown(&found, "<command line>"),
        vec![(1, Some(did_you_mean.to_owned()))]
    );
    assert_eq!(
        gap_levels(&found),
        both_gaps("warning"),
        "nothing is allowed"
    );

    // In a record's allow: located on the entry's line.
    let p = gaps_fixture();
    allow_in_vendor_record(&p, &format!("{{ lint = \"{typo}\", reason = \"typo\" }}"));
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    assert_eq!(
        unknown(&found, VENDOR),
        vec![(6, Some(did_you_mean.to_owned()))]
    );

    // All three at once, as a user reads them.
    let p = gaps_fixture();
    add_to_lints_table(&p, &format!("{typo} = \"deny\"\n"));
    allow_in_vendor_record(&p, &format!("{{ lint = \"{typo}\", reason = \"typo\" }}"));
    let out = p.pm(["lint", "--today", TODAY, "-W", typo]).output();
    out.code(1);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn level_fail_on_warning_fails_on_warnings_only() {
    let p = gaps_fixture();
    let (out, found) = lint_json(&p, &["--fail-on", "warning"]);
    out.code(1);
    assert_eq!(gap_levels(&found), both_gaps("warning"));

    let (out, found) = lint_json(&p, &["--fail-on", "warning", "-A", GAPS]);
    out.code(0);
    assert!(found.is_empty(), "{}", out.stdout);

    // And the default, `--fail-on error`, passes warnings.
    lint_json(&p, &["--fail-on", "error"]).0.code(0);
}

// ---------------------------------------------------------------------------
// Rules that are wrong today: the tests say what is right.
// ---------------------------------------------------------------------------

/// A small record: `head` goes after `status`, then `rest` (tables), then a
/// body with the three default sections.
fn record(severity: &str, status: &str, head: &str, rest: &str) -> String {
    format!(
        "+++\ntitle = \"Test incident\"\nseverity = \"{severity}\"\ntype = \"test\"\nstatus = \"{status}\"\n{head}\n{rest}+++\n\n## Summary\n\nS.\n\n## Impact\n\nI.\n\n## Root cause\n\nR.\n"
    )
}

fn event(at: &str, text: &str, step: Option<&str>) -> String {
    let step = step.map_or_else(String::new, |s| format!("step = \"{s}\"\n"));
    format!("[[timeline]]\nat = {at}\ntext = \"{text}\"\n{step}\n")
}

#[test]
fn events_in_the_future_reads_the_day_in_the_records_zone() {
    let p = Project::empty();
    // 20:00 in New York on today is 01:00 UTC tomorrow: written today, not in the future.
    p.file(
        "incidents/2026-11-30-west.md",
        record(
            "SEV3",
            "active",
            "timezone = \"America/New_York\"",
            &event("2026-11-30T20:00:00", "Paged", Some("detected")),
        ),
    );
    // 08:00 in Tokyo tomorrow is 23:00 UTC today: written tomorrow, in the future.
    p.file(
        "incidents/2026-11-30-east.md",
        record(
            "SEV3",
            "active",
            "timezone = \"Asia/Tokyo\"",
            &event("2026-12-01T08:00:00", "Paged", Some("detected")),
        ),
    );
    let (_, found) = lint_json(&p, &[]);
    let hits = of(&found, "events_in_the_future");
    let places: Vec<_> = hits.iter().map(|f| (f.file.as_str(), f.line)).collect();
    assert_eq!(
        places,
        vec![("incidents/2026-11-30-east.md", 8)],
        "{hits:#?}"
    );
}

#[test]
fn a_records_allow_never_suggests_a_name_it_rejects() {
    let p = gaps_fixture();
    allow_in_vendor_record(
        &p,
        "{ lint = \"style\", reason = \"a group\" }, { lint = \"syle\", reason = \"a typo\" }",
    );
    let (_, found) = lint_json(&p, &[]);
    for f in of(&found, "unknown_lint") {
        let help = f.help.as_deref().unwrap_or_default();
        assert!(
            !help.contains("`style`") && !help.contains("`suspicious`"),
            "a record's allow does not take group names, so the help must not offer one: {f:#?}"
        );
    }
}

/// Was a pm bug (the help suggested `timeline_gaps`, the lint's old name);
/// fixed while these tests were written.
#[test]
fn an_allow_without_lint_suggests_a_real_lint() {
    let p = gaps_fixture();
    allow_in_vendor_record(&p, "{ reason = \"forgot the lint\" }");
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    let missing: Vec<_> = of(&found, "missing_key");
    assert_eq!(missing.len(), 1, "{}", out.stdout);
    let help = missing[0].help.clone().unwrap_or_default();
    let suggested = help
        .split("lint = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    assert!(
        listed_lints().contains(&suggested),
        "the help suggests `{suggested}`, which is not a lint: {help}"
    );
}

#[test]
fn percent_encoded_links_name_their_attachment() {
    let p = Project::empty();
    p.file(
        "incidents/2026-11-03-disk-full/index.md",
        format!(
            "{}\nThe [log](my%20log.txt) and [the same log](<my log.txt>).\n",
            record(
                "SEV3",
                "active",
                "",
                &event("2026-11-03T14:00:00Z", "Paged", Some("detected"))
            )
        ),
    );
    p.file("incidents/2026-11-03-disk-full/my log.txt", "disk full\n");
    let (_, found) = lint_json(&p, &[]);
    let hits = of(&found, "unresolved_links");
    assert!(hits.is_empty(), "both links name `my log.txt`: {hits:#?}");
}

#[test]
fn an_empty_playbook_section_points_at_its_key() {
    let p = Project::empty();
    p.file(
        "playbooks/test.md",
        "+++\ntitle = \"Test incidents\"\nsymptoms = [\"s\"]\nfirst_checks = [\"f\"]\ncauses = []\nresolution = [\"r\"]\nverification = [\"v\"]\n\n[[mitigations]]\noption = \"o\"\n+++\n",
    );
    let (_, found) = lint_json(&p, &[]);
    let hits: Vec<_> = of(&found, "incomplete_playbooks")
        .iter()
        .map(|f| (f.line, f.message.clone()))
        .collect();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(hits[0].1.contains("`causes`"), "{hits:?}");
    assert_eq!(
        hits[0].0, 5,
        "the finding should point at `causes = []` on line 5"
    );
}

/// Was a pm bug (an active incident was asked for `verify-resolution`);
/// fixed while these tests were written.
#[test]
fn the_checklist_does_not_ask_an_unfinished_incident_for_later_steps() {
    let p = Project::empty();
    let timeline = [
        event("2026-11-03T14:00:00Z", "Impact", Some("impact-start")),
        event("2026-11-03T14:05:00Z", "Paged", Some("detected")),
        event("2026-11-03T14:10:00Z", "Acknowledged", Some("acknowledge")),
    ]
    .concat();
    p.file(
        "incidents/active.md",
        record("SEV3", "active", "", &timeline),
    );
    let mitigated = format!(
        "{timeline}{}",
        event("2026-11-03T14:20:00Z", "Rolled back", Some("mitigate"))
    );
    p.file(
        "incidents/mitigated.md",
        record("SEV3", "mitigated", "", &mitigated),
    );
    let (out, found) = lint_json(&p, &[]);
    let asked = |file: &str, step: &str| {
        of(&found, "missing_checklist_steps")
            .iter()
            .any(|f| f.file == file && f.message.contains(&format!("`{step}`")))
    };
    for step in ["mitigate", "verify-resolution", "communicate-resolution"] {
        assert!(
            !asked("incidents/active.md", step),
            "an active incident is asked for `{step}`\n{}",
            out.stdout
        );
    }
    for step in ["verify-resolution", "communicate-resolution"] {
        assert!(
            !asked("incidents/mitigated.md", step),
            "a mitigated incident is asked for `{step}`\n{}",
            out.stdout
        );
    }
}

#[test]
fn inverted_milestones_follows_the_whole_milestone_order() {
    let p = Project::empty();
    // Resolved at 14:10, mitigated at 14:20: the milestones' own order is broken.
    let resolved_first = [
        event("2026-11-03T14:00:00Z", "Impact", Some("impact-start")),
        event("2026-11-03T14:05:00Z", "Paged", Some("detected")),
        event("2026-11-03T14:06:00Z", "Acknowledged", Some("acknowledge")),
        event(
            "2026-11-03T14:10:00Z",
            "Verified",
            Some("verify-resolution"),
        ),
        event("2026-11-03T14:20:00Z", "Rolled back", Some("mitigate")),
    ]
    .concat();
    p.file(
        "incidents/resolved-first.md",
        record("SEV3", "resolved", "", &resolved_first),
    );
    // Acknowledged before impact started, no `detected`.
    let ack_first = [
        event("2026-11-03T13:50:00Z", "Acknowledged", Some("acknowledge")),
        event("2026-11-03T14:00:00Z", "Impact", Some("impact-start")),
        event("2026-11-03T14:20:00Z", "Rolled back", Some("mitigate")),
    ]
    .concat();
    p.file(
        "incidents/ack-first.md",
        record("SEV3", "mitigated", "", &ack_first),
    );
    let (_, found) = lint_json(&p, &[]);
    let hits = of(&found, "inverted_milestones");
    assert!(
        hits.iter().any(|f| f.file == "incidents/resolved-first.md"
            && f.message.contains("`verify-resolution`")
            && f.message.contains("`mitigate`")),
        "verify-resolution before mitigate is not reported: {hits:#?}"
    );
    assert!(
        hits.iter().any(|f| f.file == "incidents/ack-first.md"
            && f.message.contains("`acknowledge`")
            && f.message.contains("`impact-start`")),
        "acknowledge before impact-start is not reported: {hits:#?}"
    );
}

#[test]
fn out_of_order_messages_are_true_for_every_event() {
    let p = Project::empty();
    // 15:00 is misplaced; 14:10 and 14:20 are both written after it, but
    // 14:20 is later than 14:10, the event written just before it.
    let timeline = [
        event("2026-11-03T14:00:00Z", "Paged", Some("detected")),
        event("2026-11-03T15:00:00Z", "Misplaced", None),
        event("2026-11-03T14:10:00Z", "A", None),
        event("2026-11-03T14:20:00Z", "B", None),
    ]
    .concat();
    p.file(
        "incidents/cascade.md",
        record("SEV3", "active", "", &timeline),
    );
    let (_, found) = lint_json(&p, &[]);
    let b_line = 21;
    assert_eq!(
        p.read("incidents/cascade.md").lines().nth(b_line - 1),
        Some("at = 2026-11-03T14:20:00Z")
    );
    for f in of(&found, "events_out_of_order") {
        if f.line == b_line as u64 {
            assert!(
                !f.message.contains("the event written before it"),
                "14:20 is later than 14:10, the event written before it: {f:#?}"
            );
        }
    }
}

#[test]
fn missing_sections_points_at_a_line_with_text() {
    let p = Project::from_dir(&fixture("lints").join("missing_sections"));
    let (_, found) = lint_json(&p, &[]);
    let hits = of(&found, "missing_sections");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let text = p.read(&hits[0].file);
    let line = usize::try_from(hits[0].line).expect("a line number");
    let shown = text.lines().nth(line - 1).unwrap_or_default();
    assert!(
        !shown.trim().is_empty(),
        "the finding points at line {line}, which is blank: {:#?}",
        hits[0]
    );
}

/// Issue 18: an event lost to an error holds back the lints that read the
/// timeline (they would report a gap or a milestone that is not missing),
/// but not the others: one run shows every problem of the record.
#[test]
fn a_schema_error_in_the_timeline_does_not_hide_the_records_other_findings() {
    let p = Project::empty();
    p.file(
        "incidents/2026-11-03-queue.md",
        "+++\ntitle = \"Queue\"\nseverity = \"SEV3\"\ntype = \"queue\"\nstatus = \"resolved\"\n\n\
         [[timeline]]\nat = 2026-11-03T10:00:00Z\ntext = \"Alert\"\nstep = \"detected\"\n\n\
         [[timeline]]\nat = \"10:40\"\ntext = \"Drained\"\nstep = \"verify-resolution\"\n\n\
         [[actions]]\nkind = \"monitoring\"\ntext = \"Alert earlier\"\ndue = 2026-12-01\nstatus = \"open\"\n+++\n\n## Summary\n\nx\n",
    );
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    let lints: BTreeSet<&str> = found.iter().map(|f| f.lint.as_str()).collect();
    assert!(lints.contains("invalid_datetime"), "{}", out.stdout);
    assert!(lints.contains("unowned_action_items"), "{}", out.stdout);
    assert!(lints.contains("missing_sections"), "{}", out.stdout);
    // Held back: the lost event would read as a missing milestone.
    assert!(
        !lints.contains("resolved_without_resolution"),
        "{}",
        out.stdout
    );
    assert!(!lints.contains("missing_milestones"), "{}", out.stdout);
}

/// Issue 18: a fresh `pm new` record reports each missing thing once: a
/// milestone that is also a checklist step is a missing milestone only.
#[test]
fn a_fresh_record_reports_each_problem_once() {
    let p = Project::empty();
    p.pm(["new", "Checkout errors", "--date", "2026-11-29"])
        .output()
        .code(0);
    let (_, found) = lint_json(&p, &[]);
    for step in ["acknowledge", "mitigate", "verify-resolution"] {
        let about: Vec<&str> = found
            .iter()
            .filter(|f| f.message.contains(&format!("`{step}`")))
            .map(|f| f.lint.as_str())
            .collect();
        assert_eq!(about.len(), 1, "`{step}` reported by {about:?}");
    }
}

/// Issue 18: a step written as people say it finds the step it means.
#[test]
fn a_mistyped_step_suggests_the_closest_step() {
    let p = Project::empty();
    p.file(
        "incidents/2026-11-03-queue.md",
        "+++\ntitle = \"Queue\"\nseverity = \"SEV3\"\ntype = \"queue\"\nstatus = \"resolved\"\n\n\
         [[timeline]]\nat = 2026-11-03T10:00:00Z\ntext = \"Alert\"\nstep = \"detected\"\n\n\
         [[timeline]]\nat = 10:40:00\ntext = \"Drained\"\nstep = \"verified\"\n+++\n",
    );
    let (out, found) = lint_json(&p, &[]);
    out.code(1);
    let step = found
        .iter()
        .find(|f| f.message == "unknown step `verified`")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert_eq!(
        step.help.as_deref(),
        Some("did you mean `\"verify-resolution\"`?")
    );
}

/// Issue 18: `pm explain` prints for a terminal, and takes names as people
/// type them.
#[test]
fn explain_renders_for_a_terminal_and_accepts_hyphens_and_steps() {
    let p = Project::empty();
    let out = p.pm(["explain", "missing-milestones"]).output();
    out.code(0);
    assert!(
        out.stdout.starts_with("missing_milestones: "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\nWhat it does\n"), "{}", out.stdout);
    assert!(
        !out.stdout.contains('#') && !out.stdout.contains('`'),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\x1b'), "no colour when piped");
    assert!(
        out.stderr
            .contains("`missing-milestones` read as `missing_milestones`"),
        "{}",
        out.stderr
    );
    let step = p.pm(["explain", "verify-resolution"]).output();
    step.code(0);
    assert!(
        step.stdout.contains("step = \"verify-resolution\""),
        "{}",
        step.stdout
    );
    // The record format travels with the binary, and `--help` says so.
    let format = p.pm(["explain", "format"]).output();
    format.code(0);
    assert!(
        format.stdout.starts_with("The pm record format"),
        "{}",
        format.stdout
    );
    let help = p.pm(["--help"]).output();
    assert!(
        help.stdout.contains("`pm explain format`"),
        "{}",
        help.stdout
    );
    let typo = p.pm(["explain", "verified"]).output();
    typo.code(2);
    assert!(
        typo.stderr.contains("did you mean `verify-resolution`?"),
        "{}",
        typo.stderr
    );
}

/// Issue 18: `pm explain` renders its Markdown for a terminal through
/// comrak: tables aligned in columns, lists and code indented, prose
/// wrapped, no Markdown syntax left; ANSI only when colour is on.
#[test]
fn explain_renders_markdown_for_a_terminal() {
    let p = Project::empty();
    let format = p.pm(["explain", "format"]).output();
    format.code(0);
    let text = &format.stdout;
    assert!(!text.contains('\x1b'), "no colour when piped");
    for line in text.lines() {
        assert!(
            !line.starts_with('|') && !line.starts_with('#') && !line.starts_with("```"),
            "Markdown syntax left: {line:?}"
        );
        // Code blocks (indented by four) are kept as written; prose wraps.
        if !line.starts_with("    ") {
            assert!(line.chars().count() <= 80, "not wrapped: {line:?}");
        }
    }
    // A table that fits, aligned under a rule.
    assert!(
        text.contains("key       type    required  meaning\n--------  ------  --------  ---"),
        "{text}"
    );
    assert!(
        text.contains("\npossible  string  no        yes, no or partial\n"),
        "{text}"
    );
    // A heading, underlined; a nested list item; a link as `text <url>`.
    assert!(text.contains("\nFiles and ids\n-------------\n"), "{text}");
    assert!(text.contains("\n- Files and ids\n"), "{text}");
    // Colour when asked for, even through a pipe; never with `--color never`.
    let coloured = p.pm(["--color", "always", "explain", "raw_html"]).output();
    coloured.code(0);
    assert!(
        coloured.stdout.contains("\x1b[1mWhat it does\x1b[0m"),
        "{:?}",
        coloured.stdout
    );
    let never = p.pm(["--color", "never", "explain", "raw_html"]).output();
    assert!(!never.stdout.contains('\x1b'), "{:?}", never.stdout);
}
