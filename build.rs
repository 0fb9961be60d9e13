//! Build script: records the commit pm was built from, for `pm --version`.
//! Outside a git checkout (a crates.io download) the version stays plain.

use std::process::Command;

fn main() {
    let commit = git(&["log", "-1", "--format=%h %cs"]);
    let version = env!("CARGO_PKG_VERSION");
    let long = match commit {
        Some(c) => format!("{version} ({c})"),
        None => version.to_owned(),
    };
    println!("cargo:rustc-env=PM_LONG_VERSION={long}");
    // Rebuild when HEAD moves (a new commit, a checkout). The files are
    // where git says they are (in a worktree `.git` is a file, and HEAD
    // lives under the main repository's `.git/worktrees/`); a path that
    // does not exist would make cargo rerun this script, and rebuild pm, on
    // every build, so only existing ones are named.
    let mut watched = false;
    for (flag, file) in [
        ("--git-dir", "HEAD"),
        ("--git-common-dir", "refs/heads"),
        ("--git-common-dir", "packed-refs"),
    ] {
        let path = git(&["rev-parse", flag]).map(|dir| std::path::Path::new(&dir).join(file));
        if let Some(path) = path.filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
            watched = true;
        }
    }
    if !watched {
        println!("cargo:rerun-if-changed=build.rs");
    }
}

/// What `git <args>` prints, trimmed; `None` when git fails or is missing.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
