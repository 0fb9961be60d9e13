//! The shape of the crate, held to docs/design-decisions.md ("One package,
//! a staged pipeline"), which states it once:
//!
//! - the stage list (the fenced block marked `stages`): every top-level
//!   module of `src/` is on it, and a module uses only modules of its own
//!   stage or earlier ones;
//! - the owners (the block marked `owners`): each mandated library is named
//!   only in the modules that own it;
//! - no two files of `src/` use each other: a file's uses are resolved to
//!   the file that defines what they name (through `pub use` re-exports),
//!   and the graph of files has no cycle.
//!
//! The test reads the source as text, without test modules and comments, the
//! way clippy tests its own shape; `checker_*` tests prove it can fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::repo_root;

/// The fenced block of design-decisions.md whose info string is `text <tag>`.
fn doc_block(tag: &str) -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(repo_root().join("docs/design-decisions.md"))
        .expect("read docs/design-decisions.md");
    let fence = format!("```text {tag}\n");
    let start = doc
        .find(&fence)
        .unwrap_or_else(|| panic!("docs/design-decisions.md has no ```text {tag} block"));
    let body = &doc[start + fence.len()..];
    let body = &body[..body.find("```").expect("the block is closed")];
    body.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|words| !words.is_empty())
        .collect()
}

/// The stages, first to last: each a list of top-level modules.
fn stages() -> Vec<Vec<String>> {
    doc_block("stages")
}

/// Each owned library and the top-level modules that may name it.
fn owners() -> BTreeMap<String, Vec<String>> {
    doc_block("owners")
        .into_iter()
        .map(|mut words| {
            let library = words.remove(0);
            (library, words)
        })
        .collect()
}

/// The code of a file without its test module (inline, or declared as
/// `#[cfg(test)] mod tests;`) and comments.
fn non_test_code(text: &str) -> String {
    let text = text.replace("#[cfg(test)]\nmod tests;", "");
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .map(|l| match l.find("//") {
            // A comment, not `://` inside a string (good enough for pm's code).
            Some(i) if !l[..i].ends_with(':') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path the code names: `a::b::c`, with `{…}` groups expanded
/// (`crate::{a::B, c}` gives `crate::a::B` and `crate::c`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            is_ident(bytes[i]) && (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':');
        if !starts {
            i += 1;
            continue;
        }
        let (path, end) = read_path(&bytes, i);
        i = end.max(i + 1);
        out.extend(path.into_iter().filter(|p| p.len() > 1));
    }
    out
}

/// The path(s) starting at `i`, and where they end.
fn read_path(s: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        let start = i;
        while i < s.len() && is_ident(s[i]) {
            i += 1;
        }
        if i == start {
            return (vec![prefix], i);
        }
        prefix.push(s[start..i].iter().collect::<String>());
        if s.get(i) == Some(&':') && s.get(i + 1) == Some(&':') {
            i += 2;
            if s.get(i) == Some(&'{') {
                let mut all = Vec::new();
                i += 1;
                loop {
                    while i < s.len() && (s[i].is_whitespace() || s[i] == ',') {
                        i += 1;
                    }
                    if i >= s.len() || s[i] == '}' {
                        return (all, i + 1);
                    }
                    let (inner, end) = read_path(s, i);
                    for p in inner {
                        let mut full = prefix.clone();
                        full.extend(p);
                        all.push(full);
                    }
                    // Skip `as name` and anything up to the next item.
                    i = end;
                    while i < s.len() && s[i] != ',' && s[i] != '}' {
                        i += 1;
                    }
                }
            }
            continue;
        }
        return (vec![prefix], i);
    }
}

/// One file of `src/`: its module path and what it defines.
struct File {
    rel: PathBuf,
    module: Vec<String>,
    code: String,
    /// Items defined here (functions, types, consts, macros…).
    defines: BTreeSet<String>,
    /// Child modules declared here (`mod x;`).
    children: BTreeSet<String>,
    /// `pub use` re-exports: name → the path it names.
    reexports: BTreeMap<String, Vec<String>>,
}

fn load_files() -> Vec<File> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = repo_root().join("src");
    let mut paths_ = Vec::new();
    walk(&src, &mut paths_);
    paths_.sort();
    paths_
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&src).expect("under src").to_path_buf();
            let text = std::fs::read_to_string(&path).expect("read source");
            let code = non_test_code(&text);
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let mut defines = BTreeSet::new();
            let mut children = BTreeSet::new();
            let mut reexports = BTreeMap::new();
            for line in code.lines() {
                // Only items at the top level of the file.
                if !line.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    continue;
                }
                let mut l = line.trim_end();
                if let Some(r) = l.strip_prefix("pub(") {
                    l = r.split_once(')').map_or(r, |(_, rest)| rest).trim_start();
                } else if let Some(r) = l.strip_prefix("pub ") {
                    l = r;
                }
                for qualifier in ["async ", "unsafe "] {
                    l = l.strip_prefix(qualifier).unwrap_or(l);
                }
                if l.starts_with("const fn ") {
                    l = &l["const ".len()..];
                }
                let mut words = l
                    .split(|c: char| !is_ident(c) && c != '!')
                    .filter(|w| !w.is_empty());
                match (words.next(), words.next()) {
                    (Some("mod"), Some(name)) if l.ends_with(';') => {
                        children.insert(name.to_owned());
                    }
                    (
                        Some(
                            "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static"
                            | "union" | "macro_rules!",
                        ),
                        Some(name),
                    ) => {
                        defines.insert(name.to_owned());
                    }
                    _ => {}
                }
            }
            // `pub use a::{B, c::D};` and `pub(crate) use …`.
            for stmt in code.split(';') {
                let stmt = stmt.trim();
                let Some(at) = stmt.find("use ") else {
                    continue;
                };
                if !stmt[..at].trim_start().starts_with("pub") {
                    continue;
                }
                for p in paths(&stmt[at + 4..]) {
                    if let Some(name) = p.last() {
                        reexports.insert(name.clone(), p.clone());
                    }
                }
            }
            File {
                rel,
                module,
                code,
                defines,
                children,
                reexports,
            }
        })
        .collect()
}

/// The file of a module path, if there is one.
fn file_of(files: &[File], module: &[String]) -> Option<usize> {
    files
        .iter()
        .position(|f| f.module == module && f.rel != Path::new("main.rs"))
}

/// The file that defines what `path` (absolute, from the crate root) names:
/// the deepest module file on the path, following re-exports.
fn resolve(files: &[File], path: &[String], depth: usize) -> Option<usize> {
    if depth > 8 {
        return None;
    }
    for split in (0..path.len()).rev() {
        let Some(at) = file_of(files, &path[..split]) else {
            continue;
        };
        let Some(name) = path.get(split) else {
            return Some(at);
        };
        let file = &files[at];
        if file.children.contains(name) {
            // A child module: the deeper file (when it exists) was tried first.
            return file_of(files, &path[..=split]).or(Some(at));
        }
        if file.defines.contains(name) {
            return Some(at);
        }
        if let Some(target) = file.reexports.get(name) {
            let absolute = absolute(files, at, target)?;
            return resolve(files, &absolute, depth + 1).or(Some(at));
        }
        return Some(at);
    }
    None
}

/// A path written in file `at`, from the crate root; `None` for another
/// crate's path.
fn absolute(files: &[File], at: usize, path: &[String]) -> Option<Vec<String>> {
    let file = &files[at];
    let first = path.first()?.as_str();
    let mut base = match first {
        "crate" => Vec::new(),
        "self" => file.module.clone(),
        "super" => {
            let mut m = file.module.clone();
            m.pop();
            m
        }
        name if file.children.contains(name) => {
            let mut m = file.module.clone();
            m.push(name.to_owned());
            return Some(m.into_iter().chain(path[1..].iter().cloned()).collect());
        }
        _ => return None,
    };
    let mut rest = &path[1..];
    while rest.first().is_some_and(|p| p == "super") {
        base.pop();
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The files each file uses (not itself).
fn uses(files: &[File]) -> Vec<BTreeSet<usize>> {
    (0..files.len())
        .map(|at| {
            paths(&files[at].code)
                .iter()
                .filter_map(|p| absolute(files, at, p))
                .filter_map(|p| resolve(files, &p, 0))
                .filter(|&target| target != at)
                .collect()
        })
        .collect()
}

/// The cycles of the file graph, each as its files (Tarjan's components).
fn cycles(graph: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct Tarjan<'a> {
        graph: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        found: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in self.graph[v].iter() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    self.found.push(component);
                }
            }
        }
    }
    let n = graph.len();
    let mut t = Tarjan {
        graph,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    t.found
}

fn top(file: &File) -> String {
    match file.module.first() {
        Some(m) => m.clone(),
        None => file.rel.with_extension("").to_string_lossy().into_owned(),
    }
}

#[test]
fn every_module_is_on_the_stage_list_and_uses_only_earlier_stages() {
    let stages = stages();
    let rank = |m: &str| stages.iter().position(|s| s.iter().any(|x| x == m));
    let files = load_files();
    let mut problems = Vec::new();
    let tops: BTreeSet<String> = files.iter().map(top).collect();
    for listed in stages.iter().flatten() {
        if !tops.contains(listed) {
            problems.push(format!(
                "`{listed}` is on the stage list but is not a module of src/"
            ));
        }
    }
    let graph = uses(&files);
    for (at, file) in files.iter().enumerate() {
        let own = top(file);
        let Some(own_rank) = rank(&own) else {
            problems.push(format!(
                "src/{}: module `{own}` is not on the stage list",
                file.rel.display()
            ));
            continue;
        };
        for &target in &graph[at] {
            let used = top(&files[target]);
            if rank(&used).is_some_and(|r| r > own_rank) {
                problems.push(format!(
                    "src/{}: `{own}` uses `{used}`, a later stage (src/{})",
                    file.rel.display(),
                    files[target].rel.display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the pipeline must flow one way:\n{}",
        problems.join("\n")
    );
}

#[test]
fn stages_kept_apart_do_not_use_each_other() {
    let apart = doc_block("apart");
    assert!(!apart.is_empty());
    let files = load_files();
    let graph = uses(&files);
    let mut problems = Vec::new();
    for pair in &apart {
        let [user, used] = pair.as_slice() else {
            panic!("an `apart` line names two modules: {pair:?}");
        };
        for (at, file) in files.iter().enumerate() {
            if &top(file) != user {
                continue;
            }
            for &target in &graph[at] {
                if &top(&files[target]) == used {
                    problems.push(format!(
                        "src/{} uses src/{}: `{user}` must not use `{used}`",
                        file.rel.display(),
                        files[target].rel.display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_owned_library_is_named_only_by_its_owners() {
    let owners = owners();
    assert!(
        owners.contains_key("toml") && owners.contains_key("git2"),
        "{owners:?}"
    );
    let mut problems = Vec::new();
    for file in load_files() {
        let own = top(&file);
        for p in paths(&file.code) {
            let Some(library) = p.first() else { continue };
            if let Some(allowed) = owners.get(library)
                && !allowed.contains(&own)
            {
                problems.push(format!(
                    "src/{}: `{}` names `{library}`, which only {} may name",
                    file.rel.display(),
                    p.join("::"),
                    allowed.join(", ")
                ));
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_two_files_use_each_other() {
    let files = load_files();
    let graph = uses(&files);
    let found: Vec<String> = cycles(&graph)
        .into_iter()
        .map(|c| {
            c.iter()
                .map(|&f| format!("src/{}", files[f].rel.display()))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "files that use each other (directly or round a loop):\n{}",
        found.join("\n")
    );
}

#[test]
fn checker_reads_paths_groups_and_renames() {
    let code = non_test_code(
        "use crate::diag::Diagnostic;\nuse crate::{model::{A, B as C}, output};\nlet x = super::y::z(); // crate::lint\nlet u = \"http://x\";\n#[cfg(test)]\nmod tests { use crate::lint; }",
    );
    let found: Vec<String> = paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        [
            "crate::diag::Diagnostic",
            "crate::model::A",
            "crate::model::B",
            "crate::output",
            "super::y::z"
        ]
    );
}

#[test]
fn checker_finds_a_loop() {
    let graph = vec![
        BTreeSet::from([1]),
        BTreeSet::from([2]),
        BTreeSet::from([0]),
        BTreeSet::new(),
    ];
    assert_eq!(cycles(&graph), vec![vec![0, 1, 2]]);
    assert!(cycles(&[BTreeSet::from([1]), BTreeSet::new()]).is_empty());
}

#[test]
fn no_file_of_src_is_over_a_thousand_lines() {
    let long: Vec<String> = load_files()
        .iter()
        .filter_map(|f| {
            let path = repo_root().join("src").join(&f.rel);
            let lines = std::fs::read_to_string(&path).ok()?.lines().count();
            (lines > 1000).then(|| format!("src/{}: {lines} lines", f.rel.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by what their parts do:\n{}",
        long.join("\n")
    );
}
