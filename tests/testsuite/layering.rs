//! The pipeline flows one way (STYLE.md): a module may use the stages
//! before it, never a later one. This test reads `src/**` and fails on any
//! `crate::<later stage>` in non-test code, the way clippy tests its own shape.

use std::path::Path;

use crate::support::repo_root;

/// Modules from first to last. Modules on one line may use each other.
const STAGES: &[&[&str]] = &[
    &["diag", "error", "isolate"],
    &["source"],
    &["parse"],
    &["config"],
    &["humanize"],
    &["markdown"],
    &["model"],
    &["analysis"],
    &["learn"],
    &["stats"],
    &["lint"],
    &["report"],
    &["render"],
    &["output"],
    &["scaffold"],
    // The command layer drives every stage.
    &["cli", "lib", "main", "serve"],
];

fn rank(module: &str) -> Option<usize> {
    STAGES.iter().position(|stage| stage.contains(&module))
}

/// The top-level module a file under `src/` belongs to.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    first.unwrap_or_default().trim_end_matches(".rs").to_owned()
}

/// The code of a file without its `#[cfg(test)]` module and comments.
fn non_test_code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules named as `crate::<name>` or in `crate::{a, b::c}` in `code`.
fn crate_paths(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, m) in code.match_indices("crate::") {
        let rest = &code[i + m.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: split at commas outside braces.
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        out.push(ident(&group[j..]));
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|name| !name.is_empty());
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_stage_uses_a_later_one() {
    let src = repo_root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let module = module_of(rel);
        let Some(own) = rank(&module) else {
            violations.push(format!(
                "src/{}: module `{module}` has no place in STAGES",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read source");
        for used in crate_paths(&non_test_code(&text)) {
            match rank(&used) {
                Some(r) if r <= own => {}
                Some(_) => violations.push(format!(
                    "src/{}: `{module}` uses the later stage `{used}`",
                    rel.display()
                )),
                // `crate::run` and other items of lib.rs itself.
                None => {}
            }
        }
    }
    assert!(
        violations.is_empty(),
        "the pipeline must flow one way:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_checker_sees_a_violation() {
    let code = "use crate::diag::Diagnostic;\nuse crate::render::Page;\nuse crate::{model::{A, B}, output};\n// crate::lint in a comment\n#[cfg(test)]\nmod tests { use crate::lint; }";
    assert_eq!(
        crate_paths(&non_test_code(code)),
        ["diag", "render", "model", "output"]
    );
    assert!(rank("render") > rank("parse"));
}
