//! `pm stats`: figures checked by hand on a small repository, and a snapshot
//! on the example records.

use crate::support::{Project, pm_command, repo_root};

/// A resolved record whose milestones fall at the given minutes after
/// 10:00 UTC; `None` leaves the milestone out.
fn record(severity: &str, kind: &str, steps: &[(&str, Option<u32>)], open_action: bool) -> String {
    let mut text = format!(
        "+++\ntitle = \"Incident\"\nseverity = \"{severity}\"\ntype = \"{kind}\"\nstatus = \"resolved\"\nservices = [\"api\"]\n"
    );
    for (step, minute) in steps {
        if let Some(m) = minute {
            text.push_str(&format!(
                "\n[[timeline]]\nat = 2026-11-03T{:02}:{:02}:00Z\ntext = \"{step}\"\nstep = \"{step}\"\n",
                10 + m / 60,
                m % 60
            ));
        }
    }
    if open_action {
        text.push_str("\n[[actions]]\nkind = \"monitoring\"\ntext = \"Alert\"\nowner = \"ops\"\ndue = 2026-11-20\nstatus = \"open\"\n");
    }
    text.push_str("+++\n\n## Summary\n\nx\n");
    text
}

fn repo() -> Project {
    let p = Project::empty();
    let steps = |detect, mitigate, resolve| {
        vec![
            ("impact-start", Some(0)),
            ("detected", Some(detect)),
            ("acknowledge", Some(detect)),
            ("mitigate", Some(mitigate)),
            ("verify-resolution", Some(resolve)),
        ]
    };
    p.file(
        "incidents/2026-11-03-a.md",
        record("SEV2", "database", &steps(5, 20, 60), true),
    );
    p.file(
        "incidents/2026-11-03-b.md",
        record("SEV2", "database", &steps(15, 40, 120), false),
    );
    // No impact-start: detect is absent; mitigate and resolve run from detection (10:05).
    p.file(
        "incidents/2026-11-03-c.md",
        record(
            "SEV3",
            "config-change",
            &[
                ("detected", Some(5)),
                ("mitigate", Some(15)),
                ("verify-resolution", Some(35)),
            ],
            false,
        ),
    );
    p
}

#[test]
fn figures_by_severity_worked_out_by_hand() {
    let p = repo();
    let out = p
        .pm([
            "stats",
            "--by",
            "severity",
            "--format",
            "json",
            "--today",
            "2026-11-30",
        ])
        .output();
    out.code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    let sev2 = &rows[0];
    assert_eq!(sev2["key"], "SEV2");
    assert_eq!(sev2["incidents"], 2);
    // Detect 5m and 15m: median 10m, p90 (nearest rank 2 of 2) 15m.
    assert_eq!(
        sev2["time_to_detect"],
        serde_json::json!({"measured": 2, "median_seconds": 600, "p90_seconds": 900, "approximate": 0})
    );
    // Mitigate 20m and 40m; resolve 60m and 120m.
    assert_eq!(sev2["time_to_mitigate"]["median_seconds"], 1800);
    assert_eq!(sev2["time_to_resolve"]["median_seconds"], 5400);
    assert_eq!(sev2["time_to_resolve"]["p90_seconds"], 7200);
    // One open action item, due 2026-11-20: overdue on 2026-11-30.
    assert_eq!(sev2["open_actions"], 1);
    assert_eq!(sev2["overdue_actions"], 1);
    let sev3 = &rows[1];
    assert_eq!(sev3["time_to_detect"]["measured"], 0, "absent, never zero");
    assert_eq!(sev3["time_to_mitigate"]["median_seconds"], 600);
    assert_eq!(sev3["time_to_resolve"]["median_seconds"], 1800);
}

#[test]
fn table_and_csv() {
    let p = repo();
    let table = p
        .pm(["stats", "--by", "type", "--today", "2026-11-30"])
        .output();
    table.code(0);
    insta::assert_snapshot!(table.stdout);
    let csv = p
        .pm(["stats", "--format", "csv", "--today", "2026-11-30"])
        .output();
    csv.code(0);
    insta::assert_snapshot!(csv.stdout);
}

#[test]
fn since_filters_by_start_date() {
    let p = repo();
    let out = p
        .pm([
            "stats",
            "--since",
            "2026-11-04",
            "--format",
            "json",
            "--today",
            "2026-11-30",
        ])
        .output();
    out.code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(0));
    let bad = p.pm(["stats", "--since", "yesterday"]).output();
    bad.code(2);
}

#[test]
fn example_records_by_severity() {
    let out = pm_command()
        .current_dir(repo_root())
        .args(["stats", "--by", "severity", "--today", "2026-11-30"])
        .output()
        .expect("run pm");
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// `pm status-update` on the fixture repo (one active, one resolved
/// incident): what each audience is told, worked out from the records.
#[test]
fn status_updates_for_each_audience() {
    let p = repo();
    // Incident c is resolved, but has no impact start: a customer update
    // says it is resolved without claiming how long customers were
    // affected, promises nothing more, and names no internal detail.
    let customers = p.pm(["status-update", "2026-11-03-c"]).output();
    customers.code(0);
    insta::assert_snapshot!(customers.stdout);
    assert!(
        customers
            .stdout
            .contains("The issue is resolved. Everything"),
        "{}",
        customers.stdout
    );
    assert!(!customers.stdout.contains("services:"));
    // Made active, the update is "Investigating" with a next update due
    // within 1 hour (SEV2) and, internally, the latest timeline events.
    let active = p
        .read("incidents/2026-11-03-a.md")
        .replace("status = \"resolved\"", "status = \"active\"");
    p.file("incidents/2026-11-03-a.md", active);
    let internal = p
        .pm([
            "status-update",
            "2026-11-03-a",
            "--audience",
            "internal",
            "--format",
            "text",
        ])
        .output();
    internal.code(0);
    insta::assert_snapshot!(internal.stdout);
    assert!(
        internal.stdout.starts_with("INVESTIGATING: "),
        "{}",
        internal.stdout
    );
    assert!(
        internal.stdout.contains("within 1 hour"),
        "{}",
        internal.stdout
    );
    let unknown = p.pm(["status-update", "2026-11-03-x"]).output();
    unknown.code(2);
    assert!(
        unknown.stderr.contains("did you mean"),
        "{}",
        unknown.stderr
    );
}

/// The example repo's presale incident: customers were affected for 31m
/// (impact start to its first `mitigate` event, where the harm stopped),
/// and the update is the final one.
#[test]
fn example_status_update() {
    let out = pm_command()
        .current_dir(repo_root())
        .args(["status-update", "2026-10-08-presale-traffic-spike"])
        .output()
        .expect("run pm");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("the service was affected for 31m"), "{text}");
    assert!(text.contains("This is the final update"), "{text}");
    insta::assert_snapshot!(text);
}

/// Issue 18: an unreadable record is "has errors", not "no incident".
#[test]
fn status_update_on_a_record_with_errors_says_so() {
    let p = Project::empty();
    p.file(
        "incidents/2026-11-03-c.md",
        record("SEV2", "db", &[("detected", Some(5))], false)
            .replace("status = \"resolved\"", "status = \"fixed\""),
    );
    let out = p.pm(["status-update", "2026-11-03-c"]).output();
    out.code(2);
    assert!(
        out.stderr
            .contains("the record `incidents/2026-11-03-c.md` has errors (reported above)"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("no incident"), "{}", out.stderr);

    // A record read past a wrong value has errors too: no update from it.
    p.file(
        "incidents/2026-11-03-c.md",
        record("SEV2", "db", &[("detected", Some(5))], false)
            .replace("severity = \"SEV2\"", "severity = 2"),
    );
    let out = p.pm(["status-update", "2026-11-03-c"]).output();
    out.code(2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("error[wrong_type]"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the record `incidents/2026-11-03-c.md` has errors (reported above)"),
        "{}",
        out.stderr
    );
}

/// Issue 18: customers read how long they were affected (impact start to
/// mitigation), and every time says its zone.
#[test]
fn status_update_counts_customer_impact_and_zones_every_time() {
    let p = Project::empty();
    let steps = [
        ("impact-start", Some(0)),
        ("detected", Some(5)),
        ("mitigate", Some(20)),
        ("verify-resolution", Some(60)),
    ];
    p.file(
        "incidents/2026-11-03-c.md",
        record("SEV2", "db", &steps, false),
    );
    let customers = p.pm(["status-update", "2026-11-03-c"]).output();
    customers.code(0);
    assert!(
        customers
            .stdout
            .contains("the service was affected for 20m"),
        "{}",
        customers.stdout
    );
    assert!(!customers.stdout.contains("1h 0m"), "{}", customers.stdout);
    let internal = p
        .pm(["status-update", "2026-11-03-c", "--audience", "internal"])
        .output();
    internal.code(0);
    assert!(
        internal.stdout.contains("- 10:20 UTC mitigate"),
        "{}",
        internal.stdout
    );
}

/// Issue 18: customers read the record's `public_title` when it has one;
/// the internal update keeps the internal title.
#[test]
fn status_update_for_customers_uses_the_public_title() {
    let p = Project::empty();
    p.file(
        "incidents/2026-11-03-c.md",
        record("SEV2", "db", &[("detected", Some(5))], false).replacen(
            "title = \"Incident\"\n",
            "title = \"pgbouncer pool exhausted by the payouts batch\"\npublic_title = \"Slow payments\"\n",
            1,
        ),
    );
    let customers = p.pm(["status-update", "2026-11-03-c"]).output();
    customers.code(0);
    assert!(
        customers.stdout.contains(": Slow payments**"),
        "{}",
        customers.stdout
    );
    assert!(
        !customers.stdout.contains("pgbouncer"),
        "{}",
        customers.stdout
    );
    let internal = p
        .pm(["status-update", "2026-11-03-c", "--audience", "internal"])
        .output();
    internal.code(0);
    assert!(
        internal.stdout.contains("pgbouncer pool exhausted"),
        "{}",
        internal.stdout
    );
}
