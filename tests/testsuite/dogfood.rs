//! The repository's own records are the demo, the docs' examples and the
//! first users of every lint: `pm lint` on them must find nothing.

use crate::support::{pm_command, repo_root};

/// The date the example records are checked against. It is fixed, so the
/// dogfood test does not start failing the day an example item falls due;
/// move it forward together with the records.
const TODAY: &str = "2026-11-30";

#[test]
fn the_example_records_are_clean() {
    let out = pm_command()
        .current_dir(repo_root())
        .args(["lint", "--today", TODAY, "--format", "json"])
        .output()
        .expect("run pm");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // One JSON object per finding on stdout: none is the only clean answer.
    assert!(
        out.status.success() && stdout.trim().is_empty(),
        "pm lint found problems in the example records:\n{stdout}{stderr}"
    );
}
