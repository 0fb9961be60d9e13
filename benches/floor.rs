//! The floor `pm build` works against: a bare pipeline that only reads every
//! record, splits off the front matter, renders the Markdown body with comrak
//! (pm's options) into a minimal page, and writes it, on every core with rayon.
//! No TOML, no validation, no analysis, no templates, no atomic swap.
//!
//! ```text
//! cargo bench --bench floor                            # a generated 1,000-record corpus
//! cargo bench --bench floor -- --corpus DIR --out DIR  # a corpus on disk (benches/compare.sh)
//! ```
//!
//! Pages go to `<out>/incidents/<id>/index.html`, the layout pm writes, so the
//! file system does the same number of inode creations. `--out` must be empty
//! or absent. Prints the wall time and the page count.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code, reason = "only the generator's corpus functions are used")]
mod gen_corpus;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn options() -> comrak::Options<'static> {
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.render.escape = true;
    options
}

/// Every `.md` file under `dir`, recursively.
fn records(dir: &Path, out: &mut Vec<PathBuf>) -> Res<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            records(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Reads, renders and writes one record.
fn page(path: &Path, out: &Path, options: &comrak::Options<'_>) -> Res<()> {
    let text = std::fs::read_to_string(path)?;
    let body_at = text.match_indices("+++\n").nth(1).map_or(0, |(i, _)| i + 4);
    let (front, body) = text.split_at(body_at);
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title = "))
        .unwrap_or("")
        .trim_matches('"');
    let html = comrak::markdown_to_html(body, options);
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("a record without a name")?;
    let dir = out.join("incidents").join(id);
    std::fs::create_dir_all(&dir)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join("index.html"))?;
    let title = escape(title);
    write!(
        file,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body><main><h1>{title}</h1>\n{html}</main></body></html>\n"
    )?;
    Ok(())
}

fn run(corpus: &Path, out: &Path) -> Res<usize> {
    let mut files = Vec::new();
    records(&corpus.join("incidents"), &mut files)?;
    let options = options();
    std::fs::create_dir_all(out.join("incidents"))?;
    files
        .par_iter()
        .map(|p| page(p, out, &options))
        .collect::<Res<Vec<()>>>()?;
    Ok(files.len())
}

fn main() -> std::process::ExitCode {
    match main_inner() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "floor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn main_inner() -> Res<()> {
    let mut corpus = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            // `cargo bench` passes `--bench`; filters are ignored.
            _ => {}
        }
    }
    let mut stdout = std::io::stdout().lock();
    let (corpus, out, _tmp) = match (corpus, out) {
        (Some(c), Some(o)) => (c, o, None),
        (None, None) => {
            let tmp = tempfile::tempdir()?;
            let corpus = tmp.path().join("corpus");
            for g in gen_corpus::corpus(42, 1000) {
                let path = corpus.join(format!("incidents/{}/{}.md", g.year, g.id));
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                f.write_all(g.record.as_bytes())?;
            }
            let out = tmp.path().join("out");
            (corpus, out, Some(tmp))
        }
        _ => return Err("give both `--corpus DIR` and `--out DIR`, or neither".into()),
    };
    if std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some()) {
        return Err(format!("`{}` is not empty", out.display()).into());
    }
    let started = Instant::now();
    let pages = run(&corpus, &out)?;
    writeln!(
        stdout,
        "floor: {pages} pages read, rendered with comrak and written in {:.3} s on {} threads",
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    )?;
    Ok(())
}
