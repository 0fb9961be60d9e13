//! Panic isolation (issue 9, item 5): a panic in one record's processing
//! becomes an `internal_error` naming that file, and the other records are
//! still processed. A failpoint of debug builds (`PM_FAILPOINT=<stage>:<file>`,
//! see `src/isolate.rs`) makes pm panic inside a chosen stage on a chosen
//! record; without the isolation the panic would end pm with exit code 101.

use crate::support::{Output, Project, list_files};

const TODAY: &str = "2026-11-30";
const VICTIM: &str = "incidents/2026-01-02-victim.md";
const BYSTANDER: &str = "incidents/2026-01-01-bystander.md";

fn record(title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nseverity = \"SEV3\"\ntype = \"x\"\nstatus = \"resolved\"\n\
         services = [\"api\"]\ncommander = \"alex\"\ndetected_by = \"monitoring\"\n\
         summary = \"s\"\n\n[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"start\"\n\
         step = \"impact-start\"\n+++\n\n## Summary\n\n{title} text.\n"
    )
}

fn repo() -> Project {
    let p = Project::empty();
    p.file("pm.toml", "[lints]\nmissing_playbooks = \"allow\"\n");
    p.file(BYSTANDER, record("Bystander"));
    p.file(VICTIM, record("Victim"));
    p
}

fn with_failpoint(p: &Project, spec: &str, args: &[&str]) -> Output {
    p.pm(args)
        .env("PM_FAILPOINT", spec)
        .env("RUST_BACKTRACE", "0")
        .output()
}

/// The `internal_error` of `file` for `stage`, as printed.
#[track_caller]
fn assert_internal_error(out: &Output, stage: &str, file: &str) {
    let expected = format!(
        "error[internal_error]: pm failed while {stage} this record: failpoint `{stage}:{file}` (PM_FAILPOINT)\n--> {file}\n"
    );
    assert!(
        out.stderr.contains(&expected),
        "expected\n{expected}\nin\n{}",
        out.stderr
    );
}

#[test]
fn a_panic_in_any_stage_names_the_record_and_the_others_are_linted() {
    let p = repo();
    let clean = p.pm(["lint", "--today", TODAY]).output();
    clean.code(0);
    assert!(clean.stderr.contains(VICTIM) && clean.stderr.contains(BYSTANDER));
    for stage in ["parsing", "validating", "analysing", "linting"] {
        let out = with_failpoint(
            &p,
            &format!("{stage}:{VICTIM}"),
            &["lint", "--today", TODAY],
        );
        // 1, as for any error in a record; a panic escaping would be 101.
        out.code(1);
        assert_internal_error(&out, stage, VICTIM);
        assert_eq!(
            out.stderr.matches("error[").count(),
            1,
            "{stage}: {}",
            out.stderr
        );
        // The bystander got all of its findings, the same as without the panic.
        let findings = |o: &Output| {
            o.stderr
                .split("\n\n")
                .filter(|d| d.contains(&format!("--> {BYSTANDER}:")))
                // The panic's own message may come before the first one.
                .map(|d| d[d.find("warning[").unwrap_or(0)..].to_owned())
                .collect::<Vec<_>>()
        };
        assert!(!findings(&clean).is_empty());
        assert_eq!(findings(&out), findings(&clean), "{stage}");
        // The victim has nothing but the internal error.
        assert_eq!(
            out.stderr.matches(&format!("--> {VICTIM}")).count(),
            1,
            "{stage}"
        );
    }
}

#[test]
fn a_panic_while_building_keeps_the_previous_site() {
    let p = repo();
    p.pm(["build", "--today", TODAY]).output().code(0);
    let site = |p: &Project| {
        list_files(&p.root().join("public"))
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(p.root().join("public").join(&f)).unwrap();
                (f, bytes)
            })
            .collect::<Vec<_>>()
    };
    let before = site(&p);
    p.file(BYSTANDER, record("Bystander, revised"));
    for stage in ["parsing", "validating", "analysing", "linting", "rendering"] {
        let out = with_failpoint(
            &p,
            &format!("{stage}:{VICTIM}"),
            &["build", "--today", TODAY],
        );
        out.code(1);
        assert_internal_error(&out, stage, VICTIM);
        assert!(
            out.stderr
                .contains("error: the site was not built; the previous site, if any, is unchanged"),
            "{}",
            out.stderr
        );
        assert_eq!(site(&p), before, "{stage}: the previous site changed");
        let leftovers: Vec<_> = std::fs::read_dir(p.root())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".pm-"))
            .collect();
        assert!(leftovers.is_empty(), "{stage}: {leftovers:?}");
    }
    // A page of the whole site (not one record's) is named by its path.
    let out = with_failpoint(
        &p,
        "rendering:<site>/index.html",
        &["build", "--today", TODAY],
    );
    out.code(1);
    assert!(
        out.stderr.contains(
            "error[internal_error]: pm failed while rendering the records: failpoint `rendering:<site>/index.html`"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(site(&p), before);
    // Without the failpoint the revised bystander is published.
    p.pm(["build", "--today", TODAY]).output().code(0);
    assert!(p.read("public/index.html").contains("Bystander, revised"));
}
