//! `docs/format.md` is the format's reference; its examples must stay true.
//!
//! Every ` ```toml ` block is checked by pm itself: a block that starts with
//! `+++` is a whole record, any other block is a fragment of one and is
//! checked inside a minimal record; ` ```toml-pm-config ` blocks are whole
//! `pm.toml` files. Lint names the prose mentions must exist.

use std::collections::BTreeSet;

use crate::support::{Project, pm_command, repo_root};

/// A fenced block of the document: its info string, first line, text, and
/// the `## ` section it is in.
struct Block {
    info: String,
    line: usize,
    text: String,
    section: String,
}

fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    let mut section = String::new();
    for (i, line) in doc.lines().enumerate() {
        match &mut open {
            None => {
                if let Some(heading) = line.strip_prefix("## ") {
                    section = heading.to_owned();
                } else if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_owned(),
                        line: i + 2,
                        text: String::new(),
                        section: section.clone(),
                    });
                }
            }
            Some(block) => {
                if line.starts_with("```") {
                    out.extend(open.take());
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "docs/format.md has an unclosed code block");
    out
}

fn format_md() -> String {
    std::fs::read_to_string(repo_root().join("docs/format.md")).expect("read docs/format.md")
}

/// The head of the record a fragment is checked in.
const FRAGMENT_HEAD: &str = r#"+++
title = "Fragment from docs/format.md"
severity = "SEV2"
type = "database"
status = "resolved"
services = ["checkout"]
timezone = "Europe/Berlin"
"#;

#[test]
fn every_toml_example_is_valid() {
    let doc = format_md();
    let toml_blocks: Vec<Block> = blocks(&doc)
        .into_iter()
        .filter(|b| b.info == "toml")
        .collect();
    assert!(toml_blocks.len() >= 8, "the reference shows its examples");
    let p = Project::empty();
    let mut records = Vec::new();
    for b in &toml_blocks {
        let text = if b.text.starts_with("+++") {
            b.text.clone()
        } else {
            format!("{FRAGMENT_HEAD}{}+++\n\nExample body.\n", b.text)
        };
        // Whole records in the playbook section are playbooks; the file name
        // gives the block's line in docs/format.md.
        let rel = if b.text.starts_with("+++") && b.section.starts_with("Playbook") {
            format!("playbooks/format-md-line-{}.md", b.line)
        } else {
            format!("incidents/2026-11-03-format-md-line-{}.md", b.line)
        };
        p.file(&rel, text);
        records.push((b.line, rel));
    }
    let out = p
        .pm(["lint", "--today", "2026-11-30", "--format", "json"])
        .output();
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains(r#""level":"error""#))
        .collect();
    assert!(
        errors.is_empty() && out.code == Some(0),
        "examples in docs/format.md (file names give the line) have errors:\n{}\n{}",
        errors.join("\n"),
        out.stderr
    );
}

#[test]
fn every_pm_config_example_is_valid() {
    let doc = format_md();
    let configs: Vec<Block> = blocks(&doc)
        .into_iter()
        .filter(|b| b.info == "toml-pm-config")
        .collect();
    assert!(!configs.is_empty());
    for b in configs {
        let p = Project::from_fixture("basic");
        p.file("pm.toml", &b.text);
        let out = p.pm(["lint", "--today", "2026-11-30"]).output();
        assert!(
            out.code == Some(0) && !out.stderr.contains("pm.toml"),
            "pm.toml example at docs/format.md:{} is not valid:\n{}",
            b.line,
            out.stderr
        );
    }
}

/// Names written as `lint = "x"`, `"lint":"x"`, `warning[x]` or `error[x]`
/// in the prose.
fn lint_names_mentioned(doc: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect()
    };
    for marker in ["lint = \"", "\"lint\":\"", "warning[", "error["] {
        for (i, _) in doc.match_indices(marker) {
            let name = ident(&doc[i + marker.len()..]);
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn every_lint_the_docs_name_exists() {
    let list = pm_command()
        .args(["lint", "--list"])
        .output()
        .expect("run pm lint --list");
    let list = String::from_utf8_lossy(&list.stdout);
    let known: BTreeSet<&str> = list
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    // `--list` names lints first, then schema checks; both may be named.
    assert!(known.contains("unexplained_timeline_gaps"), "{list}");
    assert!(known.contains("unknown_key"), "{list}");
    for doc in ["docs/format.md", "README.md"] {
        let text = std::fs::read_to_string(repo_root().join(doc)).expect("read doc");
        for name in lint_names_mentioned(&text) {
            assert!(
                known.contains(name.as_str()),
                "{doc} names `{name}`, which is neither a lint nor a check"
            );
        }
    }
}
