//! Broken records: every folder under `tests/fixtures/malformed/` is a records
//! repository with one defect, and pm must answer each with a located
//! diagnostic that says how to fix it. See `tests/README.md`, "Adding a case".

use std::path::{Path, PathBuf};

use crate::support::{Output, Project, fixture, list_files};

const TODAY: &str = "2026-11-30";

/// Cases that are not a broken record: the repository is fine and must pass.
const ACCEPTED: &[&str] = &["bom-crlf"];

/// Cases whose defect is outside `incidents/` and `playbooks/`.
const NOT_A_RECORD: &[&str] = &["bad-pm-toml"];

fn case_name(dir: &Path) -> String {
    dir.file_name()
        .expect("case folder has a name")
        .to_string_lossy()
        .into_owned()
}

/// Every case folder, sorted.
fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture("malformed"))
        .expect("read tests/fixtures/malformed")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Whether a line is a rustc-style location, `--> <path>:<line>:<col>`.
fn is_location(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("--> ") else {
        return false;
    };
    let mut parts = rest.rsplitn(3, ':');
    let col = parts.next().unwrap_or("");
    let line_no = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    !path.is_empty()
        && [line_no, col]
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && *n != "0")
}

/// Each case on its own: exit 1 with a location and a `help:` line (exit 0
/// for the accepted ones), and a snapshot to read as a user would.
#[test]
fn lint_each_case() {
    insta::glob!("../fixtures", "malformed/*", |dir| {
        let case = case_name(dir);
        let p = Project::from_dir(dir);
        let out = p.pm(["lint", "--today", TODAY]).output();
        if ACCEPTED.contains(&case.as_str()) {
            out.code(0);
            assert!(
                !out.stderr.contains("error[") && !out.stderr.contains("warning["),
                "{case}: an accepted record must lint clean\n{}",
                out.stderr
            );
        } else {
            out.code(1);
            assert!(
                out.stderr.lines().any(is_location),
                "{case}: no `--> <path>:<line>:<col>` location\n{}",
                out.stderr
            );
            assert!(
                out.stderr
                    .lines()
                    .any(|l| l.trim_start().starts_with("= help: ")),
                "{case}: no `help:` line\n{}",
                out.stderr
            );
        }
        insta::assert_snapshot!(out.snapshot());
    });
}

#[test]
fn the_bom_crlf_case_really_has_a_bom_and_crlf() {
    // Guards against a checkout or an editor normalising the fixture, which
    // would turn the case into a plain valid record.
    let bytes = std::fs::read(fixture(
        "malformed/bom-crlf/incidents/2026-11-02-api-errors.md",
    ))
    .expect("read the bom-crlf record");
    assert!(
        bytes.starts_with(b"\xef\xbb\xbf+++\r\n"),
        "BOM, then `+++` and CRLF"
    );
    let lf = bytes.iter().filter(|b| **b == b'\n').count();
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    assert_eq!(lf, crlf, "every line ends in CRLF");
}

/// One finding of `pm lint --format json`, reduced to what must survive
/// whatever else is in the repository: which lint, where.
fn findings(out: &Output) -> Vec<(String, String, u64, u64)> {
    out.stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            let n = |k: &str| v[k].as_u64().unwrap_or_default();
            (s("file"), s("lint"), n("line"), n("column"))
        })
        .collect()
}

/// Where a case's record file goes in the shared repository: same folders,
/// the case name appended to the file stem, so no two cases share an id while
/// an invalid id stays invalid and a duplicate pair stays a pair.
fn renamed(case: &str, rel: &str) -> String {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = name.strip_suffix(".md").unwrap_or(name);
    format!("{dir}/{stem}-{case}.md")
}

#[test]
fn one_bad_file_never_hides_another() {
    let all = Project::empty();
    let mut expected: Vec<(String, String, u64, u64)> = Vec::new();
    let mut paths = Vec::new();
    for dir in cases() {
        let case = case_name(&dir);
        if ACCEPTED.contains(&case.as_str()) || NOT_A_RECORD.contains(&case.as_str()) {
            continue;
        }
        // What the case reports on its own...
        let alone = Project::from_dir(&dir);
        let out = alone
            .pm(["lint", "--today", TODAY, "--format", "json"])
            .output();
        out.code(1);
        let files = list_files(&dir);
        for rel in &files {
            assert!(
                rel.starts_with("incidents/") || rel.starts_with("playbooks/"),
                "{case}: {rel} is not a record file; list the case in NOT_A_RECORD"
            );
            let new = renamed(&case, rel);
            all.file(
                &new,
                std::fs::read(dir.join(rel)).expect("read fixture file"),
            );
            paths.push(new);
        }
        for (file, lint, line, column) in findings(&out) {
            let file = if files.contains(&file) {
                renamed(&case, &file)
            } else {
                file
            };
            expected.push((file, lint, line, column));
        }
    }

    // ...it must still report with every other case in the same repository.
    let human = all.pm(["lint", "--today", TODAY]).output();
    human.code(1);
    for path in &paths {
        assert!(
            human.stderr.contains(path.as_str()),
            "{path} is not named in the output\n{}",
            human.stderr
        );
    }
    let json = all
        .pm(["lint", "--today", TODAY, "--format", "json"])
        .output();
    json.code(1);
    let together = findings(&json);
    for finding in &expected {
        assert!(
            together.contains(finding),
            "{finding:?} is reported alone but not beside the other cases\n{}",
            json.stdout
        );
    }
}

#[test]
fn build_refuses_a_malformed_repository_and_writes_nothing() {
    let p = Project::from_dir(&fixture("malformed/unknown-key"));
    // A valid record beside the broken one must not be published either.
    let valid = fixture("malformed/bom-crlf/incidents/2026-11-02-api-errors.md");
    p.file(
        "incidents/2026-11-01-valid.md",
        std::fs::read(valid).expect("read the valid record"),
    );
    let before = list_files(p.root());
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(1);
    assert!(
        out.stderr
            .contains("--> incidents/2026-11-02-api-errors.md:3:1"),
        "the broken file is named and located\n{}",
        out.stderr
    );
    assert!(
        !p.exists("public"),
        "no public/ folder after a failed build"
    );
    assert_eq!(
        list_files(p.root()),
        before,
        "a failed build leaves no file behind (no staging folder either)"
    );
}

/// A value's error (a wrong type, a misspelt key) hides nothing else of its
/// record: every error and the lint findings of the rest are reported in one
/// run, each once, where it is written.
#[test]
fn value_errors_hide_nothing_else_in_their_record() {
    let p = Project::from_dir(&fixture("malformed/several-value-errors"));
    let out = p
        .pm(["lint", "--today", TODAY, "--format", "json"])
        .output();
    out.code(1);
    let file = "incidents/2026-11-02-api-errors.md";
    let mut found = findings(&out);
    found.sort();
    let mut expected: Vec<(String, String, u64, u64)> = [
        ("wrong_type", 3, 12),
        ("wrong_type", 6, 12),
        ("unknown_key", 7, 1),
        ("wrong_type", 11, 19),
        ("wrong_type", 19, 6),
        ("wrong_type", 42, 7),
        ("raw_html", 61, 1),
    ]
    .into_iter()
    .map(|(lint, line, col)| (file.to_owned(), lint.to_owned(), line, col))
    .collect();
    expected.sort();
    assert_eq!(found, expected, "{}", out.stdout);
    // The build refuses the record on the same findings.
    let build = p.pm(["build", "--today", TODAY]).output();
    build.code(1);
    assert!(
        build.stderr.contains("6 errors, 1 warning"),
        "{}",
        build.stderr
    );
}

/// A playbook's section of the wrong type, or misspelt, is reported once:
/// not again as a missing section.
#[test]
fn a_playbook_section_in_error_is_not_reported_missing_too() {
    let p = Project::empty();
    p.file(
        "playbooks/database.md",
        "+++\ntitle = \"Database\"\nsymptoms = \"slow queries\"\n\
         first_checks = [\"connections\"]\ncauses = [\"a lock\"]\n\
         resolution = [\"kill the query\"]\nverifcation = [\"p99 back\"]\n\n\
         [[mitigations]]\noption = \"Fail over\"\nspeed = \"high\"\nrisk = \"low\"\neffectiveness = \"high\"\n+++\n\n<i>x</i>\n",
    );
    let out = p
        .pm(["lint", "--today", TODAY, "--format", "json"])
        .output();
    out.code(1);
    let lints: Vec<String> = findings(&out).into_iter().map(|f| f.1).collect();
    assert_eq!(
        lints,
        ["wrong_type", "unknown_key", "raw_html"],
        "{}",
        out.stdout
    );
}
