//! Hostile sizes and shapes (issue 9, item 5): each finishes in bounded time
//! and memory, with a clear diagnostic where a `[limits]` setting is
//! exceeded, and one bad record never stops the others from being read.
//!
//! Every run here goes through [`bounded`]: pm under `ulimit -v` (address
//! space) on two threads, killed and failed if it is not done in time. The big
//! inputs are generated at run time; none is committed.

use std::time::Duration;

use crate::support::{Output, Project};

const TODAY: &str = "2026-11-30";

/// Address space pm may use in these tests (virtual, so generous: thread
/// stacks and the allocator's reservations count too).
const MEMORY_KIB: u64 = 2 * 1024 * 1024;

/// Wall time after which a run is taken to be stuck. A debug build on a busy
/// CI machine does each of these in a few seconds; the quadratic or unbounded
/// behaviours these tests guard against take minutes.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// Runs pm with a memory cap and a time limit.
fn bounded(p: &Project, args: &[&str]) -> Output {
    let out = p
        .pm_after(&format!("ulimit -v {MEMORY_KIB}"), args)
        .env("RAYON_NUM_THREADS", "2")
        .output_within(TIME_LIMIT);
    assert!(
        out.code.is_some(),
        "pm was killed by a signal (stack overflow or abort?)\n{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("panicked at") && !out.stderr.contains("internal_error"),
        "pm panicked:\n{}",
        out.stderr
    );
    out
}

/// A complete incident: its front matter's head (before the `[[timeline]]`
/// tables), and the body after the closing `+++`.
fn record(head_extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"Shape\"\nseverity = \"SEV3\"\ntype = \"x\"\nstatus = \"resolved\"\n\
         services = [\"api\"]\ncommander = \"alex\"\ndetected_by = \"monitoring\"\n\
         summary = \"s\"\n{head_extra}\n[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"start\"\n\
         step = \"impact-start\"\n+++\n\n## Summary\n\nS.\n\n{body}"
    )
}

/// A repository with one ordinary record beside the hostile ones, so each
/// test also shows the others are still read.
fn repo() -> Project {
    let p = Project::empty();
    p.file("pm.toml", "[lints]\nmissing_playbooks = \"allow\"\n");
    p.file(
        "incidents/2026-01-01-ordinary.md",
        record("", "An ordinary record.\n"),
    );
    p
}

/// The ordinary record was read, validated and linted: its findings are
/// there (printed in full by `pm lint`, folded by `pm build`).
#[track_caller]
fn ordinary_was_read(out: &Output) {
    assert!(
        out.stderr.contains("missing_checklist_steps")
            && out.stderr.contains("incidents/2026-01-01-ordinary.md:1:1"),
        "the ordinary record was not linted:\n{}",
        &out.stderr[..out.stderr.len().min(4000)]
    );
}

/// The `limit_exceeded` diagnostic of `file`, as printed (first four lines).
#[track_caller]
fn limit_diagnostic(out: &Output, file: &str) -> String {
    let start = out
        .stderr
        .find("error[limit_exceeded]")
        .unwrap_or_else(|| panic!("no limit_exceeded diagnostic:\n{}", out.stderr));
    let text: String = out.stderr[start..]
        .lines()
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains(file), "{text}");
    text
}

#[test]
fn a_50_mb_record_is_refused_before_it_is_parsed() {
    let p = repo();
    // All of it front matter, broken TOML at the very end: had pm decoded or
    // parsed the file, it would report `invalid_toml` (after tens of seconds).
    let mut big = String::from("+++\ntitle = \"Pasted log\"\n");
    let line = format!("# {}\n", "log line ".repeat(11));
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(&line);
    }
    big.push_str("broken = \n+++\n");
    p.file("incidents/2026-01-02-big.md", &big);
    for command in ["lint", "build"] {
        let out = bounded(&p, &[command, "--today", TODAY]);
        out.code(1);
        let d = limit_diagnostic(&out, "incidents/2026-01-02-big.md:1:1");
        assert!(
            d.starts_with("error[limit_exceeded]: record is 50.0 MiB, over the 1 MiB limit"),
            "{d}"
        );
        assert!(!out.stderr.contains("invalid_toml"), "{}", out.stderr);
        ordinary_was_read(&out);
    }
    assert!(!p.exists("public"), "a build with an error wrote a site");
}

#[test]
fn front_matter_over_its_limit_is_refused_before_toml_parsing() {
    let p = repo();
    let comment = format!("# {}\n", "x".repeat(98));
    let head = format!("{}broken = \n", comment.repeat(3000)); // 300 KB
    p.file("incidents/2026-01-02-long.md", record(&head, "Body.\n"));
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    let d = limit_diagnostic(&out, "incidents/2026-01-02-long.md:1:1");
    assert!(
        d.starts_with("error[limit_exceeded]: front matter is 296.1 KiB, over the 256 KiB limit"),
        "{d}"
    );
    assert!(!out.stderr.contains("invalid_toml"), "{}", out.stderr);
    ordinary_was_read(&out);
    // Raised in pm.toml, the same record is read, and its TOML error found.
    p.file(
        "pm.toml",
        "[lints]\nmissing_playbooks = \"allow\"\n[limits]\nfront_matter_size = \"512 KiB\"\n",
    );
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    assert!(!out.stderr.contains("limit_exceeded"), "{}", out.stderr);
    assert!(out.stderr.contains("error[invalid_toml]"), "{}", out.stderr);
}

/// 100,000 events, in order, a second apart.
fn events(n: usize) -> String {
    let mut out = String::with_capacity(n * 70);
    for i in 0..n {
        let t = 11 * 3600 + i;
        out.push_str(&format!(
            "[[timeline]]\nat = 2026-01-{:02}T{:02}:{:02}:{:02}Z\ntext = \"event {i}\"\n\n",
            1 + t / 86_400,
            (t / 3600) % 24,
            (t / 60) % 60,
            t % 60
        ));
    }
    out
}

#[test]
fn a_100000_event_timeline_is_over_the_event_limit() {
    let p = repo();
    let text = record("", "Body.\n").replacen(
        "+++\n\n## Summary",
        &format!("{}+++\n\n## Summary", events(100_000)),
        1,
    );
    p.file("incidents/2026-01-02-events.md", &text);
    // With the default limits the file (5 MB) is too big to read at all.
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    assert!(
        limit_diagnostic(&out, "incidents/2026-01-02-events.md:1:1").contains("record is 5."),
        "{}",
        out.stderr
    );
    // With room for the file, the event limit holds: it names the event
    // over the limit, at its `[[timeline]]` line.
    p.file(
        "pm.toml",
        "[lints]\nmissing_playbooks = \"allow\"\n[limits]\nrecord_size = \"16 MiB\"\nfront_matter_size = \"16 MiB\"\n",
    );
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    // Event 1,001 is the 1,000th generated one (`event 999`): its header
    // is two lines above its text.
    let line = text[..text.find("text = \"event 999\"").unwrap()]
        .lines()
        .count()
        - 1;
    let d = limit_diagnostic(&out, &format!("incidents/2026-01-02-events.md:{line}:1"));
    assert!(
        d.starts_with("error[limit_exceeded]: timeline has 100001 events, over the limit of 1000"),
        "{d}"
    );
    assert!(
        out.stderr.contains("[[timeline]]\n")
            && out.stderr.contains("event 1001 is over the limit"),
        "{}",
        out.stderr
    );
    ordinary_was_read(&out);
}

#[test]
fn deeply_nested_markdown_builds_without_overflowing_the_stack() {
    let p = repo();
    let deep = 10_000;
    let shapes = [
        ("lists", format!("{}x\n", "- ".repeat(deep))),
        ("ordered", format!("{}x\n", "1. ".repeat(deep))),
        ("quotes", format!("{}x\n", "> ".repeat(deep))),
        ("mixed", format!("{}x\n", "> - ".repeat(deep))),
        (
            "emphasis",
            format!("{}x{}\n", "*_".repeat(deep), "_*".repeat(deep)),
        ),
        (
            "links",
            format!("{}x{}\n", "[".repeat(deep), "](u)".repeat(deep)),
        ),
        (
            "images",
            format!("{}x{}\n", "![".repeat(deep), "](u)".repeat(deep)),
        ),
        (
            "strike",
            format!("{}x{}\n", "~".repeat(deep), "~".repeat(deep)),
        ),
        // As deep as a record within the default 1 MiB can be.
        ("quotes-at-limit", format!("{}x\n", ">".repeat(1_000_000))),
    ];
    for (name, body) in &shapes {
        p.file(&format!("incidents/2026-01-02-{name}.md"), record("", body));
    }
    let out = bounded(&p, &["build", "--today", TODAY]);
    out.code(0);
    for (name, _) in &shapes {
        let page = p.read(&format!("public/incidents/2026-01-02-{name}/index.html"));
        assert!(page.contains("S.</p>"), "{name}: the body is on the page");
    }
    // The search index walks every body's text: the quotes are in it.
    assert!(
        p.read("public/search-index.json")
            .contains("2026-01-02-quotes-at-limit")
    );
}

#[test]
fn pathological_emphasis_and_brackets_finish() {
    let p = repo();
    let shapes = [
        ("brackets", "[".repeat(50_000)),
        ("emphasis", "*a ".repeat(50_000)),
        ("underscores", "_".repeat(50_000)),
        ("backticks", "`".repeat(50_000)),
        ("mixed", "*[_`~".repeat(20_000)),
        ("entities", "&#".repeat(50_000)),
        ("angles", "<".repeat(50_000)),
    ];
    for (name, body) in &shapes {
        p.file(
            &format!("incidents/2026-01-02-{name}.md"),
            record("", &format!("{body}\n")),
        );
    }
    let out = bounded(&p, &["build", "--today", TODAY]);
    out.code(0);
    assert!(p.exists("public/incidents/2026-01-02-brackets/index.html"));
}

#[test]
fn deeply_nested_toml_is_a_located_error() {
    let p = repo();
    let deep = 20_000;
    p.file(
        "incidents/2026-01-02-arrays.md",
        record(
            &format!("tags = {}{}", "[".repeat(deep), "]".repeat(deep)),
            "",
        ),
    );
    p.file(
        "incidents/2026-01-02-tables.md",
        record(
            &format!("tags = {}1{}", "{a=".repeat(deep), "}".repeat(deep)),
            "",
        ),
    );
    p.file(
        "incidents/2026-01-02-headers.md",
        record(&format!("[{}]", vec!["a"; deep].join(".")), ""),
    );
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    for (name, at) in [("arrays", ":10:"), ("tables", ":10:"), ("headers", ":2:")] {
        assert!(
            out.stderr.contains(&format!(
                "error[invalid_toml]: invalid TOML: tables or arrays nested too deeply\n  --> incidents/2026-01-02-{name}.md{at}"
            )) || out.stderr.contains(&format!(
                "error[invalid_toml]: invalid TOML: tables or arrays nested too deeply\n --> incidents/2026-01-02-{name}.md{at}"
            )),
            "{name}:\n{}",
            out.stderr
        );
    }
    assert!(
        out.stderr
            .contains("= help: a record needs tables and arrays a few levels deep at most"),
        "{}",
        out.stderr
    );
    ordinary_was_read(&out);
}

#[test]
fn nul_bytes_and_invalid_utf8_are_diagnosed_and_the_rest_builds() {
    let p = repo();
    // NUL in a TOML string is not TOML; in the body it is shown as U+FFFD.
    p.file(
        "incidents/2026-01-02-nul-toml.md",
        record("", "").replace("title = \"Shape\"", "title = \"Sh\0ape\""),
    );
    p.file(
        "incidents/2026-01-02-nul-body.md",
        record("", "before\0after\n"),
    );
    let mut latin1 = record("", "caf").into_bytes();
    latin1.extend_from_slice(b"\xe9 cr\xe8me\n");
    p.file("incidents/2026-01-02-latin1.md", latin1);
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    assert!(
        out.stderr.contains("error[invalid_toml]")
            && out.stderr.contains("incidents/2026-01-02-nul-toml.md:2:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "error[invalid_utf8]: file is not valid UTF-8\n  --> incidents/2026-01-02-latin1.md:21:4"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2 errors, "), "{}", out.stderr);
    ordinary_was_read(&out);
    // Without the two broken files, the record with NUL in its body builds.
    std::fs::remove_file(p.root().join("incidents/2026-01-02-nul-toml.md")).unwrap();
    std::fs::remove_file(p.root().join("incidents/2026-01-02-latin1.md")).unwrap();
    bounded(&p, &["build", "--today", TODAY]).code(0);
    let page = p.read("public/incidents/2026-01-02-nul-body/index.html");
    assert!(page.contains("before\u{fffd}after"), "NUL shown as U+FFFD");
    assert!(!page.contains('\0'));
}

#[test]
fn an_empty_repository_lints_and_builds() {
    let p = Project::empty();
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(0);
    assert!(
        out.stderr.contains("0 errors, 0 warnings in 0 files"),
        "{}",
        out.stderr
    );
    let out = bounded(&p, &["build", "--today", TODAY]);
    out.code(0);
    assert!(out.stderr.contains("built 0 incidents"), "{}", out.stderr);
    assert!(p.exists("public/index.html"));
}

/// Findings are located in time linear in the record: 50,000 raw HTML lines
/// (a pasted page of markup) cost one walk of the body, not one per finding.
#[test]
fn a_finding_on_every_line_of_a_long_body() {
    let p = repo();
    p.file(
        "incidents/2026-01-02-markup.md",
        record("", &"<b>\n\n".repeat(50_000)),
    );
    for format in ["json", "human"] {
        let out = bounded(&p, &["lint", "--format", format, "--today", TODAY]);
        out.code(0);
        let text = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(
            text.matches("raw HTML is shown as text").count(),
            50_000,
            "{format}"
        );
        // The last one points at its own line.
        let last = 21 + 2 * 49_999;
        assert!(
            text.contains(&format!("\"line\":{last},"))
                || text.contains(&format!("incidents/2026-01-02-markup.md:{last}:1")),
            "{format}"
        );
    }
}

#[test]
fn a_hundred_thousand_empty_files() {
    let p = repo();
    let dir = p.root().join("incidents/empty");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..100_000 {
        std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(dir.join(format!("e{i:06}.md")))
            .unwrap();
    }
    let out = bounded(&p, &["lint", "--today", TODAY]);
    out.code(1);
    assert!(
        out.stderr.contains("100000 errors, ") && out.stderr.contains(" in 100001 files"),
        "{}",
        &out.stderr[out.stderr.len().saturating_sub(500)..]
    );
    assert!(
        out.stderr
            .contains("error[front_matter]: empty record\n --> incidents/empty/e099999.md"),
        "every file is named"
    );
    ordinary_was_read(&out);
}
