//! pm's git history pass alone, for `benches/git_history.sh`.
//!
//! ```text
//! cargo run --release --example history_pass -- --root DIR [--rev REV] [--dump FILE]
//! ```
//!
//! Lists the record files under `DIR/incidents/` and `DIR/playbooks/` (every
//! `.md` file, hidden names skipped, nothing read), calls
//! [`pm::source::git::history`] once, as `pm build` does, and prints a
//! summary on stdout: how many files have a history, how many revisions were
//! found, and a digest of every (file, commit, time, author, summary) so two
//! versions of the walk can be checked for the same answer. `--dump FILE`
//! writes those rows in full. The time of the history call alone goes to
//! stderr; the benchmark times the whole process.

use std::error::Error;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pm::source::git::history;
use pm::source::{EntryKind, INCIDENTS_DIR, PLAYBOOKS_DIR, Reader, WorkTree};

type Res<T> = Result<T, Box<dyn Error>>;

/// Every `.md` file under `rel` (root-relative, `/`-separated), in sorted order.
fn markdown_files(tree: &WorkTree<'_>, rel: &Path, out: &mut Vec<String>) -> Res<()> {
    let Some(entries) = tree.list(rel)? else {
        return Ok(());
    };
    for (name, kind) in entries {
        let path = rel.join(&name);
        match kind {
            EntryKind::Dir => markdown_files(tree, &path, out)?,
            EntryKind::File if name.ends_with(".md") => {
                out.push(pm::source::rel_string(&path));
            }
            EntryKind::File | EntryKind::Other | EntryKind::Submodule => {}
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: a digest that does not depend on a crate's algorithm.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn run() -> Res<()> {
    let mut root = PathBuf::from(".");
    let mut rev = None;
    let mut dump = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("`{name}` needs a value"));
        match a.as_str() {
            "--root" => root = PathBuf::from(value("--root")?),
            "--rev" => rev = Some(value("--rev")?),
            "--dump" => dump = Some(PathBuf::from(value("--dump")?)),
            "-h" | "--help" => {
                return Err("usage: history_pass --root DIR [--rev REV] [--dump FILE]".into());
            }
            other => return Err(format!("unknown argument `{other}`; see --help").into()),
        }
    }
    let tree = WorkTree::new(&root);
    let mut files = Vec::new();
    for dir in [INCIDENTS_DIR, PLAYBOOKS_DIR] {
        markdown_files(&tree, Path::new(dir), &mut files)?;
    }
    let files = files.into_iter().collect();

    let started = Instant::now();
    let found = history(&root, rev.as_deref(), &files, None)
        .map_err(|no| format!("no history: {}; {}", no.reason, no.help))?;
    let elapsed = started.elapsed();

    let mut digest = 0xcbf2_9ce4_8422_2325_u64;
    let mut revisions = 0usize;
    let mut rows = String::new();
    for (file, h) in &found.files {
        for r in &h.revisions {
            let row = format!(
                "{file}\t{}\t{}\t{}\t{}\n",
                r.id, r.time, r.author, r.summary
            );
            fnv(&mut digest, row.as_bytes());
            if dump.is_some() {
                rows.push_str(&row);
            }
            revisions += 1;
        }
    }
    if let Some(path) = dump {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(rows.as_bytes()))
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    let oldest = found
        .files
        .values()
        .filter_map(|h| h.first().map(|r| r.time))
        .min()
        .unwrap_or_default();
    writeln!(
        std::io::stdout().lock(),
        "files {}, with history {}, revisions {revisions}, oldest first commit at {oldest}, digest {digest:016x}",
        files.len(),
        found.files.len(),
    )?;
    writeln!(
        std::io::stderr().lock(),
        "history_pass: history() took {:.3} s",
        elapsed.as_secs_f64()
    )?;
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "history_pass: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
