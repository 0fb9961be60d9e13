//! A full or read-only output disk (issue 9, item 3): `pm build` fails with
//! an error naming the path, and the previous site stays, complete.
//!
//! CI runs as root, where `chmod` stops no write, so these tests make the
//! disk itself fail:
//!
//! - a full disk: a tmpfs just large enough for the old site, mounted over
//!   the output's folder (`ENOSPC` part-way through the new site);
//! - a read-only disk: the same tmpfs remounted read-only (`EROFS`);
//! - a file too large: `ulimit -f` (RLIMIT_FSIZE) with `SIGXFSZ` ignored, so
//!   writes past the limit fail with `EFBIG`, as a write to a full disk
//!   fails. This one needs no privilege and always runs.
//!
//! The mounts are made in a private mount namespace (`unshare --mount`, as a
//! mapped root in a new user namespace when pm's tests do not run as root),
//! so nothing outside the test sees them. Where the kernel or container
//! allows neither, those two tests say so on stderr and pass without
//! running; the `ulimit` test still proves the failing write.

use std::path::Path;
use std::process::Command;

use crate::support::{Output, Project, list_files, pm_command, redact};

const TODAY: &str = "2026-11-30";

fn site(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// The example records, built once: the site every test tries to replace.
fn built() -> (Project, Vec<(String, Vec<u8>)>) {
    let p = Project::empty();
    for dir in ["incidents", "playbooks"] {
        crate::support::copy_tree(&crate::support::repo_root().join(dir), &p.root().join(dir));
    }
    p.file(
        "pm.toml",
        std::fs::read(crate::support::repo_root().join("pm.toml")).unwrap(),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let before = site(&p.root().join("public"));
    assert!(before.len() > 20);
    // The next build has something new to write.
    let record = "playbooks/database.md";
    let text = p
        .read(record)
        .replacen("title = \"", "title = \"Revised: ", 1);
    p.file(record, text);
    (p, before)
}

/// The `.pm-` staging or retired folders beside `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".pm-"))
        .collect()
}

#[track_caller]
fn assert_refused(out: &Output, dir: &str, errno: &str) {
    out.code(2);
    let expected = format!("error: cannot write the site into `{dir}`: ");
    assert!(
        out.stderr.contains(&expected) && out.stderr.contains(errno),
        "expected `{expected}` and `{errno}`:\n{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("help: nothing was replaced: the previous site, if any, is unchanged"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_write_that_fails_part_way_keeps_the_previous_site() {
    let (p, before) = built();
    // 8 KiB per file: the marker and small files are written, the index is not.
    let out = p
        .pm_after("trap '' XFSZ\nulimit -f 8", ["build", "--today", TODAY])
        .output();
    assert_refused(&out, "./public", "File too large (os error 27)");
    assert!(
        out.stderr.contains(".public.pm-staging-"),
        "names the file: {}",
        out.stderr
    );
    assert_eq!(
        site(&p.root().join("public")),
        before,
        "the old site changed"
    );
    assert_eq!(leftovers(p.root()), Vec::<String>::new());
    // With room again, the new site replaces the old one.
    p.pm(["build", "--today", TODAY]).output().code(0);
    assert!(p.read("public/index.html").contains("Revised: "));
}

/// How to get a private mount namespace here, if at all: `unshare`'s
/// arguments, or why not.
pub(crate) fn mount_namespace() -> Result<Vec<&'static str>, String> {
    let mut why = Vec::new();
    for args in [
        vec!["--mount"],
        vec!["--user", "--map-root-user", "--mount"],
    ] {
        let probe = Command::new("unshare")
            .args(&args)
            .args([
                "sh",
                "-c",
                "mount -t tmpfs tmpfs /mnt 2>&1 || mount -t tmpfs tmpfs /tmp",
            ])
            .output();
        match probe {
            Ok(o) if o.status.success() => return Ok(args),
            Ok(o) => why.push(format!(
                "`unshare {}`: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => why.push(format!("`unshare`: {e}")),
        }
    }
    Err(why.join("; "))
}

/// Builds into `<root>/disk/public`, where `disk` is a tmpfs holding a copy
/// of the previous site, prepared by `setup` (run after the copy, with
/// `$DISK` set). What is left on the tmpfs afterwards is copied to
/// `<root>/after` for the test to read, since the mount ends with the
/// namespace. `None` when this environment cannot mount.
#[expect(
    clippy::print_stderr,
    reason = "a test that cannot run here says so, rather than passing silently"
)]
fn build_on_tmpfs(p: &Project, setup: &str) -> Option<Output> {
    let unshare = match mount_namespace() {
        Ok(args) => args,
        Err(why) => {
            eprintln!(
                "skipped: no private mount namespace in this environment ({why}); \
                 a_write_that_fails_part_way_keeps_the_previous_site covers a failing write"
            );
            return None;
        }
    };
    let root = p.root();
    std::fs::create_dir_all(root.join("disk")).unwrap();
    let script = format!(
        "set -e\n\
         DISK=\"$ROOT/disk\"\n\
         mount -t tmpfs tmpfs \"$DISK\"\n\
         cp -a \"$ROOT/public\" \"$DISK/public\"\n\
         {setup}\n\
         set +e\n\
         \"$PM\" build --today {TODAY} -o \"$DISK/public\"\n\
         code=$?\n\
         mkdir \"$ROOT/after\"\n\
         cp -a \"$DISK/.\" \"$ROOT/after/\"\n\
         exit $code\n"
    );
    let pm = pm_command();
    let mut cmd = Command::new("unshare");
    cmd.args(&unshare)
        .args(["sh", "-c", &script])
        .current_dir(root)
        .env("ROOT", root)
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
        stdout: redact(&String::from_utf8_lossy(&out.stdout), root),
        stderr: redact(&String::from_utf8_lossy(&out.stderr), root),
    })
}

#[test]
fn a_full_output_disk_keeps_the_previous_site() {
    let (p, before) = built();
    // Room for the old site and 64 KiB more: the new one fills the disk.
    let Some(out) = build_on_tmpfs(
        &p,
        "used=$(du -sk \"$DISK\" | cut -f1)\nmount -o remount,size=$((used + 64))k \"$DISK\"",
    ) else {
        return;
    };
    assert_refused(
        &out,
        "[ROOT]/disk/public",
        "No space left on device (os error 28)",
    );
    assert!(
        out.stderr.contains(" `[ROOT]/disk/.public.pm-staging-"),
        "names the file: {}",
        out.stderr
    );
    assert_eq!(
        site(&p.root().join("after/public")),
        before,
        "the old site changed"
    );
    assert_eq!(leftovers(&p.root().join("after")), Vec::<String>::new());
}

#[test]
fn a_read_only_output_disk_keeps_the_previous_site() {
    let (p, before) = built();
    let Some(out) = build_on_tmpfs(&p, "mount -o remount,ro \"$DISK\"") else {
        return;
    };
    assert_refused(
        &out,
        "[ROOT]/disk/public",
        "Read-only file system (os error 30)",
    );
    // The first write is the build lock beside the output (`.public.pm-lock`).
    assert!(
        out.stderr
            .contains("cannot open the lock file `[ROOT]/disk/.public.pm-lock`"),
        "names the file: {}",
        out.stderr
    );
    assert_eq!(
        site(&p.root().join("after/public")),
        before,
        "the old site changed"
    );
    assert_eq!(leftovers(&p.root().join("after")), Vec::<String>::new());
}
