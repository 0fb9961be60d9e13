//! A new user's first ten minutes, end to end: `git init`, `pm init`,
//! `pm new`, edit, `pm lint`, `pm build`, `git add -A`.

use std::collections::BTreeMap;

use crate::support::Project;

/// The record a new user writes over `pm new`'s scaffold: every section and
/// milestone filled in, the draft line deleted.
const EDITED: &str = r#"+++
title = "Checkout errors after a deploy"
severity = "SEV3"
type = "config-change"
status = "resolved"
services = ["checkout"]
commander = "sam"
summary = "A config deploy halved the checkout pool; 3 % of checkouts failed for 20 minutes."
detected_by = "monitoring"

[[timeline]]
at = 2026-11-28T14:00:00+01:00
text = "Config deploy lowers the checkout pool from 40 to 20"
step = "impact-start"

[[timeline]]
at = 14:04:00
text = "Alert: checkout 5xx above 1 %"
step = "detected"

[[timeline]]
at = 14:06:00
text = "On-call acknowledges, sets SEV3, posts in #incidents"
step = "acknowledge"

[[timeline]]
at = 14:10:00
text = "Deploy log shows the pool change at 14:00"
step = "gather-evidence"

[[timeline]]
at = 14:20:00
text = "Config reverted; 5xx back to zero"
step = "mitigate"

[[timeline]]
at = 14:35:00
text = "5xx at zero for 15 minutes; closed on the status page"
step = "verify-resolution"

[checklist]
assess-severity = true
notify-stakeholders = true
form-hypothesis = "skipped: the deploy log showed the cause"
test-hypothesis = "skipped: the revert was the test"
communicate-resolution = true
schedule-postmortem = true

[[changes]]
at = 2026-11-28T14:00:00+01:00
kind = "config"
text = "Checkout pool size 40 -> 20"
suspect = true

[[actions]]
kind = "monitoring"
text = "Alert on pool saturation, not only on 5xx"
owner = "sam"
due = 2026-12-15
status = "open"

[[actions]]
kind = "prevention"
text = "Validate pool sizes against last week's peak in CI"
owner = "platform"
due = 2026-12-15
status = "open"
+++

## Summary

A config deploy halved the checkout connection pool; 3 % of checkouts failed
for 20 minutes until the change was reverted.

## Impact

3 % of checkouts failed between 14:00 and 14:20 CET.

## Root cause

The pool size was lowered by a config change nobody reviewed against peak load.

## Resolution

The config was reverted at 14:20; errors stayed at zero for 15 minutes.
"#;

#[test]
fn git_init_pm_init_new_edit_lint_build_add() {
    let p = Project::empty();
    let repo = git2::Repository::init(p.root()).expect("git init");
    let pm = |args: &[&str]| p.pm(args).env("PM_CLOCK_DATE", "2026-11-30").output();

    pm(&["init"]).code(0);
    let new = pm(&[
        "new",
        "Checkout errors after a deploy",
        "--date",
        "2026-11-28",
    ]);
    new.code(0);
    let path = new.stdout.trim().to_owned();
    assert_eq!(
        path,
        "incidents/2026-11-28-checkout-errors-after-a-deploy.md"
    );
    assert!(new.stderr.contains("id dated 2026-11-28"), "{}", new.stderr);
    p.file(&path, EDITED);

    let lint = pm(&["lint"]);
    lint.code(0);
    assert!(!lint.stderr.contains("error["), "{}", lint.stderr);
    // No problem is reported twice.
    let mut seen = BTreeMap::new();
    for line in lint.stderr.lines().filter(|l| l.starts_with("warning")) {
        *seen.entry(line).or_insert(0) += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "{}", lint.stderr);

    let build = pm(&["build"]);
    build.code(0);
    assert!(p.exists("public/index.html"));
    assert!(!build.stderr.contains("error["), "{}", build.stderr);

    // `git add -A`: the site is ignored, the records are staged.
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add all");
    let staged: Vec<String> = index
        .iter()
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .collect();
    assert!(staged.contains(&path), "{staged:?}");
    assert!(staged.contains(&".gitignore".to_owned()), "{staged:?}");
    assert!(
        !staged.iter().any(|f| f.starts_with("public/")),
        "the built site is staged: {staged:?}"
    );
}
