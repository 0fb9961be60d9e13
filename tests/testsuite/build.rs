//! `pm build`: the site's files, drafts, the output folder's safety rules,
//! atomic replacement and byte-identical output.

use std::path::Path;

use crate::support::{Project, list_files};

const TODAY: &str = "2026-11-30";

fn build(p: &Project, extra: &[&str]) -> crate::support::Output {
    let mut args = vec!["build", "--today", TODAY];
    args.extend_from_slice(extra);
    p.pm(&args).output()
}

/// Every file under `dir` with its bytes, for comparing whole sites.
fn site(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).expect("read site file");
            (rel, bytes)
        })
        .collect()
}

#[test]
fn build_writes_the_site_and_leaves_drafts_out() {
    let p = Project::from_fixture("basic");
    let out = build(&p, &[]);
    out.code(0);
    insta::assert_snapshot!(list_files(&p.root().join("public")).join("\n"));
    let index = p.read("public/index.html");
    assert!(
        index.contains("API error spike"),
        "published incident listed"
    );
    assert!(!index.contains("Queue backlog"), "draft left out");
    assert!(!p.exists("public/incidents/2026-11-20-queue-backlog/index.html"));
}

#[test]
fn build_with_drafts_includes_them() {
    let p = Project::from_fixture("basic");
    build(&p, &["--drafts"]).code(0);
    assert!(p.exists("public/incidents/2026-11-20-queue-backlog/index.html"));
}

#[test]
fn incident_page_snapshot() {
    let p = Project::from_fixture("basic");
    build(&p, &[]).code(0);
    insta::assert_snapshot!(p.read("public/incidents/2026-11-02-api-error-spike/index.html"));
}

#[test]
fn incidents_json_snapshot() {
    let p = Project::from_fixture("basic");
    build(&p, &[]).code(0);
    let json = p.read("public/incidents.json");
    // Compact: one line and a final newline (indented, it was 40 % larger).
    assert_eq!(json.lines().count(), 1, "{json}");
    assert!(json.ends_with("}\n"));
    // The snapshot is indented for review; the shape is the file's.
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let pretty = serde_json::to_string_pretty(&doc).expect("JSON") + "\n";
    insta::assert_snapshot!(pretty);
}

#[test]
fn a_foreign_output_folder_is_refused_and_kept() {
    let p = Project::from_fixture("basic");
    p.file("public/notes.txt", "not pm's");
    let out = build(&p, &[]);
    out.code(2);
    insta::assert_snapshot!(out.snapshot());
    assert_eq!(list_files(&p.root().join("public")), ["notes.txt"]);
}

#[test]
fn force_replaces_a_foreign_output_folder() {
    let p = Project::from_fixture("basic");
    p.file("public/notes.txt", "not pm's");
    build(&p, &["--force"]).code(0);
    assert!(!p.exists("public/notes.txt"));
    assert!(p.exists("public/index.html"));
}

#[test]
fn the_records_folders_are_never_an_output_even_with_force() {
    let p = Project::from_fixture("basic");
    let before = site(p.root());
    for target in [".", "incidents", "playbooks", "public/../incidents", ".."] {
        let out = build(&p, &["--force", "-o", target]);
        assert_eq!(out.code, Some(2), "-o {target}: {}", out.stderr);
        assert!(
            out.stderr.contains("would replace records"),
            "-o {target}: {}",
            out.stderr
        );
    }
    assert_eq!(site(p.root()), before, "nothing in the repository changed");
}

#[test]
fn a_failed_build_leaves_the_last_good_site() {
    let p = Project::from_fixture("basic");
    build(&p, &[]).code(0);
    let good = site(&p.root().join("public"));
    p.file(
        "incidents/2026-11-25-broken.md",
        std::fs::read_to_string(crate::support::fixture("records/unknown-key.md"))
            .expect("read the broken record"),
    );
    let out = build(&p, &[]);
    out.code(1);
    assert!(
        out.stderr.contains("incidents/2026-11-25-broken.md"),
        "{}",
        out.stderr
    );
    assert_eq!(site(&p.root().join("public")), good, "old site intact");
    let leftovers: Vec<_> = std::fs::read_dir(p.root())
        .expect("read root")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".pm-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left: {leftovers:?}"
    );
}

#[test]
fn a_rebuild_replaces_the_site_whole() {
    let p = Project::from_fixture("basic");
    build(&p, &["--drafts"]).code(0);
    assert!(p.exists("public/incidents/2026-11-20-queue-backlog/index.html"));
    build(&p, &[]).code(0);
    assert!(
        !p.exists("public/incidents/2026-11-20-queue-backlog"),
        "pages of the previous build do not linger"
    );
}

#[test]
fn a_leftover_staging_folder_is_cleaned_up() {
    let p = Project::from_fixture("basic");
    // What a build killed mid-write leaves behind: a marked staging folder.
    p.file(".public.pm-staging-999999/.pm-site", "pm");
    p.file(".public.pm-staging-999999/index.html", "half");
    build(&p, &[]).code(0);
    assert!(!p.exists(".public.pm-staging-999999"));
}

#[test]
fn output_is_byte_identical_across_thread_counts() {
    let p = Project::from_dir(&crate::support::repo_root().join("tests/fixtures/basic"));
    // The example records exercise far more of the templates than `basic`.
    for dir in ["incidents", "playbooks"] {
        crate::support::copy_tree(
            &crate::support::repo_root().join(dir),
            &p.root().join("examples").join(dir),
        );
    }
    std::fs::copy(
        crate::support::repo_root().join("pm.toml"),
        p.root().join("examples/pm.toml"),
    )
    .expect("copy pm.toml");
    let run = |threads: &str, out: &str| {
        p.pm(["--root", "examples", "build", "--today", TODAY, "-o", out])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .code(0);
    };
    run("1", "one");
    run("4", "four");
    let one = site(&p.root().join("examples/one"));
    let four = site(&p.root().join("examples/four"));
    assert!(one.len() > 10, "the example site has pages");
    assert_eq!(one.len(), four.len());
    for ((a, x), (b, y)) in one.iter().zip(&four) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs between 1 and 4 threads");
    }
}

/// Issue 9, item 4: the same records give the same bytes whatever order
/// their files were created in, whatever their modification times, the
/// machine's time zone and locale, and the wall clock (a second apart).
#[test]
fn output_is_byte_identical_across_file_order_mtimes_time_zones_and_clocks() {
    let sources = crate::support::repo_root();
    let mut files: Vec<String> = ["incidents", "playbooks"]
        .iter()
        .flat_map(|dir| {
            list_files(&sources.join(dir))
                .into_iter()
                .map(move |f| format!("{dir}/{f}"))
        })
        .collect();
    files.push("pm.toml".to_owned());
    let copy = |order: &[String]| {
        let p = Project::empty();
        for f in order {
            p.file(f, std::fs::read(sources.join(f)).expect("read example"));
        }
        p
    };
    let first = copy(&files);
    let mut reversed = files.clone();
    reversed.reverse();
    let second = copy(&reversed);
    // Different modification times on every file of the second copy.
    let touched = std::process::Command::new("find")
        .args([
            ".",
            "-exec",
            "touch",
            "-d",
            "2001-02-03 04:05:06",
            "{}",
            "+",
        ])
        .current_dir(second.root())
        .status()
        .expect("run find");
    assert!(touched.success());
    first
        .pm(["build", "--today", TODAY])
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .code(0);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    second
        .pm(["build", "--today", TODAY])
        .env("TZ", "America/St_Johns")
        .env("LC_ALL", "de_DE.UTF-8")
        .env("RAYON_NUM_THREADS", "4")
        .output()
        .code(0);
    let a = site(&first.root().join("public"));
    let b = site(&second.root().join("public"));
    assert!(a.len() > 10, "the example site has pages");
    assert_eq!(
        a.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        b.iter().map(|(f, _)| f).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path} differs between the two builds");
    }
}

#[test]
fn base_url_prefixes_absolute_links() {
    let p = Project::from_fixture("basic");
    build(&p, &["--base-url", "https://example.com/reviews/"]).code(0);
    let page = p.read("public/incidents/2026-11-02-api-error-spike/index.html");
    assert!(page.contains("https://example.com/reviews/"), "{page}");
}

#[test]
fn build_folds_warnings_into_one_line_per_lint_and_v_prints_each() {
    let p = Project::from_fixture("lints/overdue_action_items");
    let out = build(&p, &[]);
    out.code(0);
    let digest = out
        .stderr
        .lines()
        .skip_while(|l| !l.contains("findings in"))
        .take_while(|l| !l.starts_with("built "))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(digest);
    assert!(
        !out.stderr.contains("warning[overdue_action_items]"),
        "{}",
        out.stderr
    );

    let verbose = p.pm(["build", "-v", "--today", TODAY]).output();
    verbose.code(0);
    assert_eq!(
        verbose
            .stderr
            .matches("warning[overdue_action_items]")
            .count(),
        2,
        "{}",
        verbose.stderr
    );
    assert!(
        !verbose.stderr.contains("findings in"),
        "{}",
        verbose.stderr
    );
}

/// Issue 18: a `draft = true` left in by mistake is named, never silent.
#[test]
fn build_stats_and_status_update_name_the_drafts_they_leave_out() {
    let p = Project::from_fixture("basic");
    let build = p.pm(["build", "--today", TODAY]).output();
    build.code(0);
    let note = "1 draft (`draft = true`): `incidents/2026-11-20-queue-backlog.md`";
    assert!(
        build.stderr.contains(&format!(
            "note: left out {note}; pass `--drafts` to include them"
        )),
        "{}",
        build.stderr
    );
    let stats = p.pm(["stats", "--today", TODAY]).output();
    stats.code(0);
    assert!(
        stats
            .stderr
            .contains(&format!("note: left out of the figures {note}")),
        "{}",
        stats.stderr
    );
    let update = p.pm(["status-update", "2026-11-20-queue-backlog"]).output();
    update.code(0);
    assert!(
        update.stderr.contains("is a draft (`draft = true`)"),
        "{}",
        update.stderr
    );
    let with = p
        .pm(["build", "--today", TODAY, "--drafts", "-o", "all"])
        .output();
    assert!(!with.stderr.contains("left out"), "{}", with.stderr);
}
