//! The output folder (issue 16): what `pm build` may replace, remove and
//! swap, whatever symbolic links, flags, concurrent builds, kills and mounts
//! it meets.
//!
//! Every test runs the real binary on a copy of a fixture repository and
//! checks, besides the exit code and the message, that the files that must
//! survive did.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::hardening::{examples, leftovers, tree};
use crate::hardening_disk::mount_namespace;
use crate::support::{Output, Project, list_files, pm_command, redact};

const TODAY: &str = "2026-11-30";

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A folder outside the repository that looks like a site pm made (it has
/// the marker) and holds a file that must survive every build.
fn other_site(parent: &Path, name: &str) -> std::path::PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(dir.join("deeper")).unwrap();
    for file in [".pm-site", "sentinel.txt", "deeper/sentinel.txt"] {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(file))
            .unwrap();
    }
    dir
}

#[track_caller]
fn assert_other_site_intact(dir: &Path) {
    assert_eq!(
        list_files(dir),
        [".pm-site", "deeper/sentinel.txt", "sentinel.txt"],
        "`{}` was emptied through a symbolic link",
        dir.display()
    );
}

// ---------------------------------------------------------------------------
// Item 5: leftover cleanup never follows a symbolic link

#[cfg(unix)]
#[test]
fn symlinked_leftovers_are_never_followed() {
    let elsewhere = tempfile::tempdir().unwrap();
    let p = Project::from_fixture("basic");
    p.pm(["build", "--today", TODAY]).output().code(0);
    let names = [
        ".public.pm-evil",
        ".public.pm-staging-999999",
        ".public.pm-old-999999",
        ".public.pm-trash-999999",
    ];
    let mut targets = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let target = other_site(elsewhere.path(), &format!("site-{i}"));
        symlink(&target, &p.root().join(name));
        targets.push(target);
    }
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(0);
    for target in &targets {
        assert_other_site_intact(target);
    }
    for name in names {
        let link = std::fs::symlink_metadata(p.root().join(name)).unwrap();
        assert!(link.file_type().is_symlink(), "{name} was replaced");
    }
    assert!(
        out.stderr
            .contains("warning: left `./.public.pm-staging-999999` alone"),
        "{}",
        out.stderr
    );
    assert!(p.root().join("public/.pm-site").is_file());

    // With no site in place, a symlinked "site moved aside" is not put back.
    let p = Project::from_fixture("basic");
    let target = other_site(elsewhere.path(), "moved-aside");
    symlink(&target, &p.root().join(".public.pm-old-999999"));
    p.pm(["build", "--today", TODAY]).output().code(0);
    assert_other_site_intact(&target);
    let public = std::fs::symlink_metadata(p.root().join("public")).unwrap();
    assert!(public.is_dir(), "public/ is the symbolic link");
    assert!(p.root().join("public/index.html").is_file());
}

// ---------------------------------------------------------------------------
// Item 6: the output location is checked on the real path

/// Every file of the repository (`.git` included) with its bytes.
fn everything(p: &Project) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(p.root())
}

#[cfg(unix)]
#[test]
fn no_output_path_replaces_the_repository_its_records_or_its_history() {
    let p = Project::from_fixture("basic");
    p.commit_all("records", 1_700_000_000);
    let aliases = tempfile::tempdir().unwrap();
    let alias = aliases.path().join("alias");
    symlink(p.root(), &alias);
    symlink(&p.root().join("incidents"), &p.root().join("shortcut"));
    let before = everything(&p);
    assert!(before.keys().any(|f| f.starts_with(".git/")), "no history");
    assert!(before.keys().any(|f| f.starts_with("incidents/")));
    let via = |rel: &str| alias.join(rel).to_string_lossy().into_owned();
    let cases = [
        (via("incidents"), "incidents"),
        (via("playbooks/../incidents"), "incidents"),
        (via(""), "the repository"),
        (via("."), "the repository"),
        (alias.to_string_lossy().into_owned(), "the repository"),
        (".git".to_owned(), ".git"),
        (".git/objects".to_owned(), ".git"),
        (via(".git"), ".git"),
        ("shortcut".to_owned(), "incidents"),
        ("shortcut/new".to_owned(), "incidents"),
        ("site-template".to_owned(), "site-template"),
        ("pm.toml".to_owned(), "pm.toml"),
    ];
    for (target, what) in &cases {
        let out = p
            .pm(["build", "--today", TODAY, "--force", "-o", target])
            .output();
        assert_eq!(out.code, Some(2), "-o {target}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "error: refusing to write to `{}`",
                redact(target, p.root())
            )) && out.stderr.contains(what)
                && out.stderr.contains("help: "),
            "-o {target}: {}",
            out.stderr
        );
        assert_eq!(everything(&p), before, "-o {target} changed the repository");
    }
    // An ordinary output folder still works, through the alias too.
    p.pm(["build", "--today", TODAY, "-o", &via("public")])
        .output()
        .code(0);
    assert!(p.root().join("public/.pm-site").is_file());
}

#[test]
fn the_output_location_is_checked_before_the_records_are_read() {
    let p = Project::from_fixture("basic");
    p.file("incidents/2026-11-25-broken.md", "+++\ntitle = \n+++\n");
    let out = p
        .pm(["build", "--today", TODAY, "--force", "-o", "incidents"])
        .output();
    out.code(2);
    assert!(
        out.stderr.contains("refusing to write to `incidents`")
            && !out.stderr.contains("2026-11-25-broken.md"),
        "the records were read first: {}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// Item 7: two builds at once

#[test]
fn two_builds_at_once_publish_one_complete_site() {
    let p = examples();
    p.pm(["build", "--today", TODAY]).output().code(0);
    let reference = tree(&p.root().join("public"));
    assert!(reference.contains_key(".pm-site"));
    let mut waited = false;
    // The second build starts a little later each round, so that it meets
    // the first at every stage: loading, writing its staging folder, swapping.
    for (round, delay) in [0u64, 10, 20, 40, 60, 80, 120, 160].into_iter().enumerate() {
        let spawn = || {
            pm_command()
                .current_dir(p.root())
                .args(["build", "--today", TODAY])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let first = spawn();
        std::thread::sleep(Duration::from_millis(delay));
        let second = spawn();
        for (which, child) in [("first", first), ("second", second)] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}, {which} build: {stderr}"
            );
            let waits = stderr
                .matches("waiting for another pm build of `./public`")
                .count();
            assert!(waits <= 1, "round {round}: said it waits {waits} times");
            waited |= waits == 1;
        }
        assert_eq!(
            tree(&p.root().join("public")),
            reference,
            "round {round}: the site is not the complete site"
        );
        assert_eq!(leftovers(&p), Vec::<String>::new(), "round {round}");
    }
    assert!(waited, "no build ever waited for the other");
    // A third build, alone, works as usual.
    p.pm(["build", "--today", TODAY]).output().code(0);
    assert_eq!(tree(&p.root().join("public")), reference);
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Item 10: a removal cut short

#[test]
fn a_removal_cut_short_is_cleaned_up_by_the_next_build() {
    let p = Project::from_fixture("basic");
    p.pm(["build", "--today", TODAY]).output().code(0);
    // What a kill during the removal of the previous site leaves: with the
    // files gone (the marker with them), only empty folders...
    for dir in ["incidents/2026-11-01-a", "playbooks", "assets"] {
        std::fs::create_dir_all(p.root().join(".public.pm-old-999997").join(dir)).unwrap();
    }
    // ...or, while files remain, the marker, which goes last.
    p.file(".public.pm-trash-999998/.pm-site", "pm");
    p.file(".public.pm-trash-999998/incidents/x/index.html", "half");
    // A folder with pm's kind of name and files but no marker may not be
    // pm's: it is left alone, with a warning.
    p.file(".public.pm-old-999999/notes.txt", "not pm's");
    let out = p.pm(["build", "--today", TODAY]).output();
    out.code(0);
    assert_eq!(leftovers(&p), [".public.pm-old-999999"], "{}", out.stderr);
    assert_eq!(p.read(".public.pm-old-999999/notes.txt"), "not pm's");
    assert!(
        out.stderr
            .contains("warning: left `./.public.pm-old-999999` alone"),
        "{}",
        out.stderr
    );
}

/// Runs `script` in a private mount namespace (`sh -c`, with `$ROOT` the
/// repository and `$PM` the binary), or says why it cannot.
#[expect(
    clippy::print_stderr,
    reason = "a test that cannot run here says so, rather than passing silently"
)]
fn in_mount_namespace(p: &Project, script: &str) -> Option<Output> {
    let unshare = match mount_namespace() {
        Ok(args) => args,
        Err(why) => {
            eprintln!("skipped: no private mount namespace in this environment ({why})");
            return None;
        }
    };
    let pm = pm_command();
    let mut cmd = Command::new("unshare");
    cmd.args(&unshare)
        .args(["sh", "-c", script])
        .current_dir(p.root())
        .env("ROOT", p.root())
        .env("PM", pm.get_program());
    for (key, value) in pm.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let out = cmd.output().unwrap();
    Some(Output {
        code: out.status.code(),
        stdout: redact(&String::from_utf8_lossy(&out.stdout), p.root()),
        stderr: redact(&String::from_utf8_lossy(&out.stderr), p.root()),
    })
}

/// A removal of the previous site that stops part-way (here: a folder of it
/// is a mount point, so it cannot be removed) leaves a folder the next
/// build recognises as pm's and removes.
#[test]
fn a_removal_stopped_part_way_keeps_its_marker() {
    let p = examples();
    p.pm(["build", "--today", TODAY]).output().code(0);
    let script = format!(
        "set -e\n\
         mount -t tmpfs tmpfs \"$ROOT/public/incidents\"\n\
         set +e\n\
         \"$PM\" build --today {TODAY}\n"
    );
    let Some(out) = in_mount_namespace(&p, &script) else {
        return;
    };
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("Device or resource busy"),
        "{}",
        out.stderr
    );
    let left = leftovers(&p);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        p.root().join(&left[0]).join(".pm-site").is_file(),
        "`{}` lost its marker before its files: {:?}",
        left[0],
        list_files(&p.root().join(&left[0]))
    );
    // The mount is gone with the namespace: the next build removes the rest.
    p.pm(["build", "--today", TODAY]).output().code(0);
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Item 11: `base_url` in pm.toml

#[test]
fn a_script_base_url_in_pm_toml_is_refused_where_it_is_written() {
    let p = Project::from_fixture("basic");
    let config = p.read("pm.toml");
    assert!(config.contains("\nbase_url = \"/\"\n"));
    p.file(
        "pm.toml",
        config.replace(
            "\nbase_url = \"/\"\n",
            "\nbase_url = \"javascript:alert(1)//\"\n",
        ),
    );
    let line = config
        .lines()
        .position(|l| l.starts_with("base_url"))
        .unwrap()
        + 1;
    for command in ["build", "lint"] {
        let out = p.pm([command, "--today", TODAY]).output();
        out.code(1);
        assert!(
            out.stderr.contains("error[invalid_config]")
                && out.stderr.contains("javascript:alert(1)//")
                && out.stderr.contains(&format!("pm.toml:{line}:12"))
                && out.stderr.contains("help: "),
            "pm {command}: {}",
            out.stderr
        );
    }
    assert!(!p.exists("public"), "a site was written");
    // A path from the server root or an http(s) URL is fine.
    for good in ["/reviews", "https://example.com/reviews/"] {
        p.file(
            "pm.toml",
            config.replace(
                "\nbase_url = \"/\"\n",
                &format!("\nbase_url = \"{good}\"\n"),
            ),
        );
        p.pm(["build", "--today", TODAY]).output().code(0);
    }
}

// ---------------------------------------------------------------------------
// Item 12: an output folder that is a mount point

#[test]
fn a_mount_point_output_is_refused_before_rendering() {
    let p = Project::from_fixture("basic");
    p.pm(["build", "--today", TODAY]).output().code(0);
    // The volume holds the previous site, as it would after a build that
    // worked before the folder became a mount.
    let script = "set -e\n\
         cp -a \"$ROOT/public\" \"$ROOT/saved\"\n\
         mount -t tmpfs tmpfs \"$ROOT/public\"\n\
         cp -a \"$ROOT/saved/.\" \"$ROOT/public/\"\n\
         echo kept > \"$ROOT/public/volume.txt\"\n\
         set +e\n\
         \"$PM\" build --today 2026-11-30\n\
         code=$?\n\
         ls -A \"$ROOT/public\" >&2\n\
         exit $code\n";
    let Some(out) = in_mount_namespace(&p, script) else {
        return;
    };
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error: `./public` is a mount point")
            && out.stderr.contains("help: ")
            && out.stderr.contains("-o ./public/site"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("\nvolume.txt\n"),
        "the volume changed: {}",
        out.stderr
    );
    assert_eq!(leftovers(&p), Vec::<String>::new(), "{}", out.stderr);
    // The folder under the mount, the previous site, is untouched.
    assert!(p.root().join("public/.pm-site").is_file());
}
