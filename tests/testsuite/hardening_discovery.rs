//! Hardening II (issue 16): discovery, limits and reporting. Symlinked and
//! submodule folders are never followed, in the working tree as with
//! `--rev`; one record cannot make the site quadratic; file names with
//! control characters cannot drive the terminal or CI annotations; a
//! mistyped path is an error; CSV cells are safe in every locale.

use std::path::Path;

use crate::support::{Output, Project, list_files};

const TODAY: &str = "2026-11-30";

/// Text that lives only outside the repository: it must appear nowhere pm
/// writes or prints.
const SECRET: &str = "SECRET-FROM-OUTSIDE-THE-REPOSITORY";

/// A complete, ordinary incident; `head` goes into its front matter before
/// the timeline.
fn record(title: &str, head: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nseverity = \"SEV3\"\ntype = \"x\"\nstatus = \"resolved\"\n\
         services = [\"api\"]\ncommander = \"alex\"\ndetected_by = \"monitoring\"\n\
         summary = \"s\"\n{head}\n[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"t\"\n\
         step = \"impact-start\"\n+++\n\n## Summary\n\nS.\n"
    )
}

fn repo() -> Project {
    let p = Project::empty();
    p.file("pm.toml", "[lints]\nmissing_playbooks = \"allow\"\n");
    p
}

/// A folder outside the repository with records, a playbook and a template
/// that all carry [`SECRET`].
fn outside() -> Project {
    let o = Project::empty();
    o.file("incidents/2026-01-01-secret.md", record(SECRET, ""));
    o.file(
        "playbooks/x.md",
        format!("+++\ntitle = \"{SECRET}\"\nowner = \"a\"\n+++\n\n{SECRET}\n"),
    );
    o.file("site-template/index.html", SECRET);
    o
}

/// Neither the run's output nor any site folder pm wrote holds [`SECRET`].
#[track_caller]
fn assert_no_secret(p: &Project, out: &Output, sites: &[&str]) {
    assert!(
        !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
        "pm printed a file from outside the repository:\n{}\n{}",
        out.stdout,
        out.stderr
    );
    for site in sites {
        let dir = p.root().join(site);
        assert!(dir.is_dir(), "no `{site}` was written");
        for f in list_files(&dir) {
            let bytes = std::fs::read(dir.join(&f)).unwrap_or_default();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "{site}/{f} holds a file from outside the repository"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Item 3: a symlinked `incidents/`, `playbooks/` or `site-template/`

#[cfg(unix)]
fn link_folders(p: &Project, o: &Project) {
    use std::os::unix::fs::symlink;
    for dir in ["incidents", "playbooks", "site-template"] {
        symlink(o.root().join(dir), p.root().join(dir)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_records_folder_is_ignored_with_a_warning() {
    let o = outside();
    let p = repo();
    link_folders(&p, &o);
    let out = p.pm(["lint", "--today", TODAY]).output();
    out.code(0);
    for dir in ["incidents", "playbooks", "site-template"] {
        assert!(
            out.stderr.contains(&format!(
                "warning[ignored_file]: `{dir}` is a symlink, which pm does not follow; it is ignored"
            )),
            "no warning for `{dir}`:\n{}",
            out.stderr
        );
    }
    assert!(out.stderr.contains("0 files"), "{}", out.stderr);
    let out = p.pm(["build", "-v", "--today", TODAY]).output();
    out.code(0);
    assert!(p.exists("public/index.html"));
    assert_no_secret(&p, &out, &["public"]);
}

#[cfg(unix)]
#[test]
fn new_and_init_refuse_to_write_through_a_symlinked_folder() {
    let o = outside();
    let before = list_files(o.root());
    let p = repo();
    link_folders(&p, &o);
    for (args, dir) in [
        (
            &["new", "Database down", "--date", "2026-01-05"][..],
            "incidents",
        ),
        (&["new", "Database down", "--bundle"][..], "incidents"),
        (&["new", "--playbook", "database"][..], "playbooks"),
        (&["init", "--playbooks"][..], "playbooks"),
        (&["init", "--templates"][..], "site-template"),
        (&["init", "--force"][..], "incidents"),
    ] {
        let out = p.pm(args).output();
        out.code(2);
        assert!(
            out.stderr.contains(&format!(
                "error: `{dir}` is a symlink, and pm does not write through one"
            )),
            "pm {args:?}:\n{}",
            out.stderr
        );
        assert_eq!(list_files(o.root()), before, "pm {args:?} wrote outside");
    }
}

#[cfg(unix)]
#[test]
fn a_committed_symlinked_folder_reads_the_same_with_and_without_rev() {
    let o = outside();
    let p = repo();
    link_folders(&p, &o);
    p.commit_all("records as symlinks", 1_767_261_600);
    let tree = p
        .pm(["lint", "--format", "json", "--today", TODAY])
        .output();
    let rev = p
        .pm([
            "lint", "--rev", "HEAD", "--format", "json", "--today", TODAY,
        ])
        .output();
    assert_eq!(tree.code, rev.code, "{}\n{}", tree.stderr, rev.stderr);
    assert_eq!(tree.stdout, rev.stdout);
    for dir in ["incidents", "playbooks", "site-template"] {
        assert!(
            rev.stdout.contains(&format!("\"file\":\"{dir}\"")),
            "{}",
            rev.stdout
        );
    }
    let out = p
        .pm(["build", "--rev", "HEAD", "-o", "from-rev", "--today", TODAY])
        .output();
    out.code(0);
    let out2 = p
        .pm(["build", "-o", "from-tree", "--today", TODAY])
        .output();
    out2.code(0);
    assert_eq!(
        list_files(&p.root().join("from-rev")),
        list_files(&p.root().join("from-tree"))
    );
    assert_no_secret(&p, &out, &["from-rev", "from-tree"]);
    assert_no_secret(&p, &out2, &[]);
}

// ---------------------------------------------------------------------------
// Item 16 (a): submodules

/// Makes `rel` a git repository of its own holding a record, committed, and
/// commits it in the repository as a submodule (a gitlink entry), as
/// `git submodule add` does.
fn add_submodule(p: &Project, rel: &str) {
    let dir = p.root().join(rel);
    p.file(&format!("{rel}/index.md"), record(SECRET, ""));
    let sig = |name: &str| {
        git2::Signature::new(name, "t@example.com", &git2::Time::new(1_767_300_000, 0)).unwrap()
    };
    let sub = git2::Repository::init(&dir).unwrap();
    let mut index = sub.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    let tree = sub.find_tree(index.write_tree().unwrap()).unwrap();
    let head = sub
        .commit(Some("HEAD"), &sig("Sub"), &sig("Sub"), "sub", &tree, &[])
        .unwrap();
    let repo = git2::Repository::open(p.root()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add(&git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o160_000,
            uid: 0,
            gid: 0,
            file_size: 0,
            id: head,
            flags: 0,
            flags_extended: 0,
            path: rel.as_bytes().to_vec(),
        })
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let parent = repo.head().unwrap().peel_to_commit().unwrap();
    repo.commit(
        Some("HEAD"),
        &sig("Test"),
        &sig("Test"),
        "add a submodule",
        &tree,
        &[&parent],
    )
    .unwrap();
}

#[test]
fn a_submodule_in_the_records_is_ignored_with_and_without_rev() {
    let p = repo();
    p.file("incidents/2026-01-01-ok.md", record("Fine", ""));
    p.commit_all("one record", 1_767_261_600);
    add_submodule(&p, "incidents/2026-01-02-sub");
    let tree = p
        .pm(["lint", "--format", "json", "--today", TODAY])
        .output();
    let rev = p
        .pm([
            "lint", "--rev", "HEAD", "--format", "json", "--today", TODAY,
        ])
        .output();
    assert_eq!(tree.code, rev.code, "{}\n{}", tree.stderr, rev.stderr);
    assert_eq!(tree.stdout, rev.stdout);
    assert!(
        rev.stdout.contains(
            "\"file\":\"incidents/2026-01-02-sub\",\"line\":1,\"column\":1,\"end_line\":1,\"end_column\":1,\"message\":\"`incidents/2026-01-02-sub` is a git submodule, which pm does not read; it is ignored\""
        ),
        "{}",
        rev.stdout
    );
    // A submodule checkout has a `.git` file, not a folder.
    p.file(
        "incidents/2026-01-03-checkout/.git",
        "gitdir: ../../.git/modules/x\n",
    );
    p.file("incidents/2026-01-03-checkout/index.md", record(SECRET, ""));
    let out = p.pm(["build", "-v", "--today", TODAY]).output();
    out.code(0);
    assert!(
        out.stderr
            .contains("`incidents/2026-01-03-checkout` is a git submodule"),
        "{}",
        out.stderr
    );
    assert!(p.exists("public/incidents/2026-01-01-ok/index.html"));
    assert_no_secret(&p, &out, &["public"]);
}

// ---------------------------------------------------------------------------
// Item 16 (b): `--rev` on a bare repository

#[test]
fn rev_reads_a_bare_repository() {
    let p = repo();
    p.file("incidents/2026-01-01-ok.md", record("Fine", ""));
    p.commit_all("one record", 1_767_261_600);
    let work = Project::empty();
    let bare = work.root().join("records.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(p.root().to_str().unwrap(), &bare)
        .unwrap();
    let bare_arg = bare.to_str().unwrap();
    let out = work
        .pm([
            "--root", bare_arg, "lint", "--rev", "HEAD", "--format", "json", "--today", TODAY,
        ])
        .output();
    out.code(0);
    assert!(
        out.stdout.contains("incidents/2026-01-01-ok.md") && out.stderr.contains("in 1 file"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    let site = work.root().join("site");
    let out = work
        .pm([
            "--root",
            bare_arg,
            "build",
            "--rev",
            "HEAD",
            "-o",
            site.to_str().unwrap(),
            "--today",
            TODAY,
        ])
        .output();
    out.code(0);
    assert!(site.join("incidents/2026-01-01-ok/index.html").is_file());
    // Without `--rev` there is nothing to read, and pm says why.
    let out = work.pm(["--root", bare_arg, "lint"]).output();
    assert!(out.code != Some(101), "{}", out.stderr);
}

// ---------------------------------------------------------------------------
// Item 16 (c): CSV cells in semicolon locales

#[test]
fn a_csv_cell_with_a_semicolon_is_quoted() {
    let p = repo();
    p.file(
        "incidents/2026-01-01-ok.md",
        record(
            "Fine",
            "[[actions]]\ntext = \"restart db; then cache\"\nowner = \"ops;db\"\nkind = \"prevention\"\ndue = 2027-01-01\n",
        ),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let csv = p.read("public/actions.csv");
    assert!(
        csv.contains(",\"restart db; then cache\",") && csv.contains(",\"ops;db\","),
        "{csv}"
    );
}

// ---------------------------------------------------------------------------
// Item 14: a path that matches nothing

#[test]
fn a_lint_path_that_matches_nothing_is_an_error() {
    let p = repo();
    p.file("incidents/2026-01-01-ok.md", record("Fine", ""));
    let out = p.pm(["lint", "incident/", "--today", TODAY]).output();
    out.code(2);
    assert!(
        out.stderr.contains("error: `incident/` matches no record")
            && out.stderr.contains("help: did you mean `incidents/`?"),
        "{}",
        out.stderr
    );
    let out = p.pm(["lint", "src", "--today", TODAY]).output();
    out.code(2);
    assert!(
        out.stderr.contains("error: `src` matches no record")
            && out
                .stderr
                .contains("pm lints `.md` records in `incidents/` and `playbooks/`"),
        "{}",
        out.stderr
    );
    let out = p
        .pm([
            "lint",
            "incidents/2026-01-01-ok.md",
            "incidents/",
            "--today",
            TODAY,
        ])
        .output();
    out.code(0);
    assert!(out.stderr.contains("in 1 file"), "{}", out.stderr);
    // The root, as `.` or absolute, and an absolute folder in it select records.
    let root = p.root().to_str().unwrap().to_owned();
    let incidents = format!("{root}/incidents");
    for path in [".", root.as_str(), incidents.as_str()] {
        let out = p.pm(["lint", path, "--today", TODAY]).output();
        out.code(0);
        assert!(out.stderr.contains("in 1 file"), "{path}\n{}", out.stderr);
    }
}

// ---------------------------------------------------------------------------
// Item 13: control characters in file names

#[test]
fn control_characters_in_file_names_are_escaped_in_every_format() {
    let p = repo();
    p.file("incidents/2026-01-01-a\x1b[31mred.md", record("Red", ""));
    p.file("incidents/2026-01-02-new\nline.md", record("Two lines", ""));
    p.file("incidents/2026-01-03-bell\x07.txt", "not a record");
    let mut outputs = Vec::new();
    for format in ["human", "github", "gitlab", "sarif", "json"] {
        let out = p
            .pm(["lint", "--format", format, "--today", TODAY])
            .output();
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        outputs.push((format, out));
    }
    outputs.push(("build", p.pm(["build", "--today", TODAY]).output()));
    for (format, out) in &outputs {
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(
            !all.contains(['\x1b', '\x07']),
            "{format}: a raw control character was printed:\n{all}"
        );
        assert!(
            !all.contains("new\nline"),
            "{format}: a raw newline from a file name was printed:\n{all}"
        );
    }
    let human = &outputs[0].1.stderr;
    assert!(
        human.contains("incidents/2026-01-01-a\\u{1b}[31mred.md")
            && human.contains("incidents/2026-01-02-new\\nline.md")
            && human.contains("incidents/2026-01-03-bell\\u{7}.txt"),
        "{human}"
    );
    let github = &outputs[1].1.stdout;
    assert!(
        github.contains("file=incidents/2026-01-01-a\\u{1b}[31mred.md,"),
        "{github}"
    );
    // Progress messages too: a clean repository built into an odd folder.
    let clean = repo();
    clean.file("incidents/2026-01-01-ok.md", record_ok());
    let out = clean
        .pm(["build", "-o", "site\x1b[0m", "--today", TODAY])
        .output();
    out.code(0);
    assert!(
        out.stderr.contains("site\\u{1b}[0m` in ") && !out.stderr.contains('\x1b'),
        "{}",
        out.stderr
    );
    // JSON formats escape control characters themselves.
    assert!(
        outputs[4]
            .1
            .stdout
            .contains("2026-01-01-a\\u001b[31mred.md")
    );
    assert!(Path::new(&p.root().join("incidents")).is_dir());
}

// ---------------------------------------------------------------------------
// Item 4: per-record limits keep the site linear

/// A record with `n` entries in each of services, tags, responders, and
/// `actions` action items, each with its own owner.
fn wide_record(services: usize, tags: usize, responders: usize, actions: usize) -> String {
    let list = |prefix: &str, n: usize| {
        (0..n)
            .map(|i| format!("\"{prefix}-number-{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut head = format!(
        "tags = [{}]\nresponders = [{}]\n",
        list("tag", tags),
        list("responder", responders)
    );
    for i in 0..actions {
        head.push_str(&format!(
            "\n[[actions]]\ntext = \"action {i}\"\nowner = \"owner-number-{i}\"\nkind = \"prevention\"\ndue = 2027-01-01\n"
        ));
    }
    record("Wide", &head).replace(
        "services = [\"api\"]",
        &format!("services = [{}]", list("service", services)),
    )
}

#[test]
fn a_record_over_a_per_record_limit_is_refused_and_nothing_is_written() {
    for (key, n, record, needle) in [
        (
            "services",
            101,
            wide_record(101, 0, 0, 0),
            "\"service-number-100\"",
        ),
        ("tags", 101, wide_record(1, 101, 0, 0), "\"tag-number-100\""),
        (
            "responders",
            101,
            wide_record(1, 0, 101, 0),
            "\"responder-number-100\"",
        ),
        (
            "actions",
            501,
            wide_record(1, 0, 0, 501),
            "[[actions]]\ntext = \"action 500\"",
        ),
    ] {
        let p = repo();
        p.file("incidents/2026-01-01-ok.md", record_ok());
        p.file("incidents/2026-01-02-wide.md", &record);
        let out = p.pm(["build", "--today", TODAY]).output();
        out.code(1);
        let at = record.find(needle).unwrap();
        let line = record[..at].lines().count().max(1);
        let line = if record[..at].ends_with('\n') {
            line + 1
        } else {
            line
        };
        let column = at - record[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
        let limit = n - 1;
        let what = if key == "actions" {
            "action items"
        } else {
            key
        };
        assert!(
            out.stderr.contains(&format!(
                "error[limit_exceeded]: incident has {n} {what}, over the limit of {limit}\n"
            )) && out.stderr.contains(&format!(
                "--> incidents/2026-01-02-wide.md:{line}:{column}\n"
            )) && out
                .stderr
                .contains(&format!("raise `[limits] {key}` in pm.toml")),
            "{key}:\n{}",
            out.stderr
        );
        assert!(!p.exists("public"), "{key}: a refused build wrote a site");
        // Raised in pm.toml, the same record is read.
        p.file(
            "pm.toml",
            format!("[lints]\nmissing_playbooks = \"allow\"\n[limits]\n{key} = {n}\n"),
        );
        let out = p.pm(["lint", "--today", TODAY]).output();
        assert!(!out.stderr.contains("limit_exceeded"), "{}", out.stderr);
    }
}

fn record_ok() -> String {
    record("Fine", "")
}

/// What a site may weigh for one record at every per-record limit (plus an
/// ordinary one): measured at 6.8 MB (it was 71 MB when every owner's page
/// listed every owner), with room for the templates to grow.
const AT_THE_LIMITS_BOUND: u64 = 10 * 1024 * 1024;

#[test]
fn a_record_at_the_limits_builds_a_site_of_bounded_size() {
    let p = repo();
    p.file("incidents/2026-01-01-ok.md", record_ok());
    p.file(
        "incidents/2026-01-02-wide.md",
        wide_record(100, 100, 100, 500),
    );
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(0);
    let public = p.root().join("public");
    let total: u64 = list_files(&public)
        .iter()
        .map(|f| std::fs::metadata(public.join(f)).unwrap().len())
        .sum();
    assert!(
        total < AT_THE_LIMITS_BOUND,
        "the site of one record at the limits is {total} bytes"
    );
}

/// Across records, every service page used to link to every other service:
/// output grew with the square of the number of services in the repository,
/// whatever the per-record limit. Now a page links to 25 of them.
#[test]
fn a_listing_page_links_to_at_most_25_other_values() {
    let p = repo();
    for (i, prefix) in ["alpha", "beta", "gamma"].iter().enumerate() {
        p.file(
            &format!("incidents/2026-01-0{}-wide.md", i + 1),
            wide_record(100, 0, 0, 0).replace("service-number-", &format!("{prefix}-")),
        );
    }
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = p.read("public/services/beta-50/index.html");
    let siblings = &page[page.find("id=\"siblings-title\"").unwrap()..];
    let siblings = &siblings[..siblings.find("</nav>").unwrap()];
    assert_eq!(siblings.matches("<li>").count(), 25, "{siblings}");
    assert!(siblings.contains("beta-50 <span class=\"count\">1</span>"));
    assert!(siblings.contains("and 275 more"), "{siblings}");
}
