//! The harness: copy a fixture repository to a temporary folder, run the real
//! `pm` binary in it, and hand back its output with the folder's path
//! replaced by `[ROOT]`, so snapshots read the same on every machine.

/// The generator of `cargo run --example gen_corpus`, for the tests that
/// read generated records.
#[path = "../../examples/gen_corpus.rs"]
#[allow(dead_code, reason = "the generator's command line is not used here")]
pub mod gen_corpus;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository this test suite belongs to.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// A records repository in a temporary folder, deleted when dropped.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty folder.
    pub fn empty() -> Project {
        let dir = tempfile::Builder::new()
            .prefix("pm-test-")
            .tempdir()
            .expect("create temp dir");
        Project { dir }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Project {
        Project::from_dir(&fixture(name))
    }

    /// A copy of any folder (a fixture found by `glob!`, say).
    pub fn from_dir(src: &Path) -> Project {
        let project = Project::empty();
        copy_tree(src, project.root());
        project
    }

    /// The repository's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel` (creating folders), for tests that build
    /// their case in code.
    #[expect(
        clippy::disallowed_methods,
        reason = "tests write fixture files; pm's own writes go through `output`"
    )]
    pub fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Project {
        let path = self.root().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent folder");
        }
        std::fs::write(&path, contents).expect("write fixture file");
        self
    }

    /// Reads a file of the repository (or of the built site) as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.root().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Whether `rel` exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.root().join(rel).exists()
    }

    /// Commits the whole work tree with git2 (for tests that need history).
    pub fn commit_all(&self, message: &str, when_unix: i64) {
        let repo = git2::Repository::open(self.root())
            .or_else(|_| git2::Repository::init(self.root()))
            .expect("init repo");
        let mut index = repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add all");
        index.write().expect("write index");
        let tree_id = index.write_tree().expect("write tree");
        let tree = repo.find_tree(tree_id).expect("find tree");
        let sig = git2::Signature::new(
            "Test Author",
            "test@example.com",
            &git2::Time::new(when_unix, 0),
        )
        .expect("signature");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit");
    }

    /// Makes the copy a git repository when the fixture has a `.commits`
    /// script: every other file is committed first, then each listed file
    /// at the time its line gives (`<unix seconds> <path>`), in order. Lints
    /// that read history get a real one this way.
    pub fn apply_commit_script(&self) {
        let script = self.root().join(".commits");
        let Ok(text) = std::fs::read_to_string(&script) else {
            return;
        };
        std::fs::remove_file(&script).expect("remove .commits");
        let steps: Vec<(i64, String)> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (time, path) = l.split_once(' ').expect("`<unix seconds> <path>`");
                (time.parse().expect("unix seconds"), path.trim().to_owned())
            })
            .collect();
        let listed: Vec<&str> = steps.iter().map(|(_, p)| p.as_str()).collect();
        let first: Vec<String> = list_files(self.root())
            .into_iter()
            .filter(|rel| !listed.contains(&rel.as_str()))
            .collect();
        let repo = git2::Repository::init(self.root()).expect("init repo");
        let mut index = repo.index().expect("index");
        let start = steps.first().map_or(1_700_000_000, |(t, _)| t - 1);
        let mut commit = |paths: &[String], when: i64, message: &str| {
            for path in paths {
                index.add_path(Path::new(path)).expect("add path");
            }
            index.write().expect("write index");
            let tree_id = index.write_tree().expect("write tree");
            let tree = repo.find_tree(tree_id).expect("tree");
            let sig = git2::Signature::new(
                "Fixture Author",
                "fixture@example.com",
                &git2::Time::new(when, 0),
            )
            .expect("signature");
            let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
            let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
            repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
                .expect("commit");
        };
        commit(&first, start, "fixture");
        for (when, path) in &steps {
            commit(std::slice::from_ref(path), *when, &format!("update {path}"));
        }
    }

    /// [`Project::pm`], with the shell command `setup` run first in the same
    /// process (`sh -c '<setup>; exec pm …'`): resource limits (`ulimit`) and
    /// ignored signals (`trap '' XFSZ`) it sets are inherited by pm across
    /// `exec`, and apply to pm alone, not to the test.
    pub fn pm_after<I, S>(&self, setup: &str, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let pm = pm_command();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("{setup}\nexec \"$@\""))
            .arg("sh")
            .arg(pm.get_program())
            .args(args)
            .current_dir(self.root());
        for (key, value) in pm.get_envs() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        Run {
            cmd,
            root: self.root().to_path_buf(),
        }
    }

    /// A `pm` command run in this repository, with a controlled environment.
    pub fn pm<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = pm_command();
        cmd.current_dir(self.root()).args(args);
        Run {
            cmd,
            root: self.root().to_path_buf(),
        }
    }
}

/// The real binary, with colour off and the environment pinned.
pub fn pm_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pm"));
    cmd.env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RAYON_NUM_THREADS")
        .env("CI", "true");
    cmd
}

/// A command about to run; `env` adds variables, `output` runs it.
pub struct Run {
    cmd: Command,
    root: PathBuf,
}

impl Run {
    /// Sets an environment variable for this run.
    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.cmd.env(key, value);
        self
    }

    /// Runs the command like [`Run::output`], but fails the test when it is
    /// not done within `limit` (killing it first). Its output goes through
    /// files, so a run that prints megabytes cannot block on a full pipe.
    #[expect(
        clippy::disallowed_methods,
        reason = "the test's own files for pm's output, in a temporary folder"
    )]
    pub fn output_within(mut self, limit: std::time::Duration) -> Output {
        let dir = tempfile::tempdir().expect("temp dir for output");
        let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
        let file = |p: &Path| std::fs::File::create(p).expect("create output file");
        let started = std::time::Instant::now();
        let mut child = self
            .cmd
            .stdout(file(&out_path))
            .stderr(file(&err_path))
            .spawn()
            .expect("run pm");
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for pm") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = std::fs::read(&err_path).unwrap_or_default();
                let tail = String::from_utf8_lossy(&stderr[stderr.len().saturating_sub(2000)..])
                    .into_owned();
                panic!(
                    "pm did not finish within {limit:?}; it was killed\n--- stderr (end)\n{tail}"
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let read = |p: &Path| {
            redact(
                &String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()),
                &self.root,
            )
        };
        Output {
            code: status.code(),
            stdout: read(&out_path),
            stderr: read(&err_path),
        }
    }

    /// Runs the command and collects what it did.
    pub fn output(mut self) -> Output {
        let out = self.cmd.output().expect("run pm");
        let redact = |bytes: &[u8]| redact(&String::from_utf8_lossy(bytes), &self.root);
        Output {
            code: out.status.code(),
            stdout: redact(&out.stdout),
            stderr: redact(&out.stderr),
        }
    }
}

/// What a run printed and how it exited, paths already redacted.
#[derive(Debug)]
pub struct Output {
    /// The exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Output {
    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Output {
        assert_eq!(
            self.code,
            Some(expected),
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// One text for a snapshot: the exit code, stdout and stderr.
    pub fn snapshot(&self) -> String {
        let mut s = String::new();
        let code = self
            .code
            .map_or_else(|| "signal".to_owned(), |c| c.to_string());
        let _ = writeln!(s, "exit: {code}");
        let _ = writeln!(s, "--- stdout");
        s.push_str(&self.stdout);
        let _ = writeln!(s, "--- stderr");
        s.push_str(&self.stderr);
        s
    }
}

/// Replaces the temporary folder's path (also as the OS canonicalises it) with
/// `[ROOT]` and normalises Windows separators.
pub fn redact(text: &str, root: &Path) -> String {
    let mut out = text.to_owned();
    let mut roots = vec![root.to_path_buf()];
    if let Ok(canonical) = root.canonicalize() {
        roots.push(canonical);
    }
    roots.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    for r in roots {
        out = out.replace(&*r.to_string_lossy(), "[ROOT]");
    }
    out
}

/// Copies a folder tree (files and folders; no symlinks in fixtures).
pub fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create destination");
    let entries = std::fs::read_dir(src).unwrap_or_else(|e| panic!("read {}: {e}", src.display()));
    for entry in entries {
        let entry = entry.expect("dir entry");
        let ty = entry.file_type().expect("file type");
        let to = dst.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy file");
        }
    }
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Appends the `.md` files under `dir` to `out`, in sorted order.
pub fn md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("dir entry").path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            md_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
}

/// Random edits of a text, for the differential property tests: an offset
/// drawn at random lands on the nearest character boundary at or before it
/// (the text stays UTF-8), a line number on an existing line.
pub mod edits {
    /// `i`, wrapped to the text's length, moved back to a character boundary.
    pub fn boundary(text: &str, i: usize) -> usize {
        let mut i = i % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// `piece` inserted at offset `i`.
    pub fn insert(text: &str, i: usize, piece: &str) -> String {
        let mut s = text.to_owned();
        s.insert_str(boundary(text, i), piece);
        s
    }

    /// The character at offset `i` removed (none at the end).
    pub fn delete_char(text: &str, i: usize) -> String {
        let mut s = text.to_owned();
        let i = boundary(text, i);
        if i < s.len() {
            s.remove(i);
        }
        s
    }

    /// The character at offset `i` written twice (none at the end).
    pub fn duplicate_char(text: &str, i: usize) -> String {
        let i = boundary(text, i);
        let mut s = text.to_owned();
        if let Some(c) = text[i..].chars().next() {
            s.insert(i, c);
        }
        s
    }

    /// `change` applied to the lines (each with its line ending) and the
    /// index of line `n`; the text as it is when it has no line.
    fn with_lines(text: &str, n: usize, change: impl FnOnce(&mut Vec<String>, usize)) -> String {
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
        if !lines.is_empty() {
            let i = n % lines.len();
            change(&mut lines, i);
        }
        lines.concat()
    }

    /// Line `n` removed.
    pub fn delete_line(text: &str, n: usize) -> String {
        with_lines(text, n, |lines, i| {
            lines.remove(i);
        })
    }

    /// Line `n` written twice.
    pub fn duplicate_line(text: &str, n: usize) -> String {
        with_lines(text, n, |lines, i| lines.insert(i, lines[i].clone()))
    }

    /// Lines `a` and `b` swapped.
    pub fn swap_lines(text: &str, a: usize, b: usize) -> String {
        with_lines(text, a, |lines, i| {
            let j = b % lines.len();
            lines.swap(i, j);
        })
    }
}
