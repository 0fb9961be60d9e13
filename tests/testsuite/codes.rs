//! Every diagnostic code the source emits is documented: a lint in the
//! registry or a schema check in `diag::codes`, so `pm explain` and the
//! SARIF rules table know it.

use std::collections::BTreeSet;

use crate::support::{pm_command, repo_root};

/// The string literal that follows each `Diagnostic::error(` or
/// `Diagnostic::warning(` in non-test code.
fn emitted_codes(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["Diagnostic::error(", "Diagnostic::warning("] {
        for (i, m) in code.match_indices(marker) {
            let rest = code[i + m.len()..].trim_start();
            if let Some(lit) = rest.strip_prefix('"') {
                out.push(lit.chars().take_while(|c| *c != '"').collect());
            }
        }
    }
    out
}

fn documented() -> BTreeSet<String> {
    let out = pm_command()
        .args(["lint", "--list"])
        .output()
        .expect("run pm");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1) // the table's header
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.contains('_'))
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_emitted_code_is_documented() {
    let known = documented();
    let mut sources = Vec::new();
    files(&repo_root().join("src"), &mut sources);
    let mut missing = Vec::new();
    let mut seen = 0;
    for file in sources {
        let text = std::fs::read_to_string(&file).expect("read source");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for name in emitted_codes(code) {
            seen += 1;
            // Rules build findings with the placeholder `lint`; the registry
            // stamps the rule's own name on them.
            if name != "lint" && !known.contains(&name) {
                missing.push(format!("{}: `{name}`", file.display()));
            }
        }
    }
    assert!(seen > 10, "the scan finds the codes");
    assert!(
        missing.is_empty(),
        "codes with no entry in diag::codes or the lint registry:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_code_is_explained() {
    for name in documented() {
        let out = pm_command()
            .args(["explain", &name])
            .output()
            .expect("run pm");
        let text = String::from_utf8_lossy(&out.stdout);
        for heading in ["What it does", "Why is this bad", "Example"] {
            assert!(
                text.contains(heading),
                "`pm explain {name}` lacks \"{heading}\":\n{text}"
            );
        }
    }
}
