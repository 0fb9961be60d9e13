//! The CI recipes in `docs/ci/` must work: every line that runs `pm` is run,
//! through `sh`, on a git copy of the example records, with the CI system's
//! variables filled in.

use std::path::Path;

use crate::support::{Project, copy_tree, repo_root};

const SUBCOMMANDS: &[&str] = &["lint", "build", "stats", "log", "new", "explain"];

/// The shell command of each line that runs pm, without its YAML wrapping.
fn pm_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter(|l| {
            SUBCOMMANDS.iter().any(|sub| {
                let needle = format!("pm {sub}");
                l.match_indices(&needle).any(|(i, _)| {
                    i == 0 || matches!(l.as_bytes()[i - 1], b' ' | b'"' | b'(' | b';')
                })
            })
        })
        .map(|l| {
            let l = l
                .strip_prefix("run:")
                .or_else(|| l.strip_prefix("- "))
                .unwrap_or(l);
            l.trim().to_owned()
        })
        .collect()
}

/// GitHub's `${{ … }}` expressions as they would be on a pull request.
fn github_expressions(line: &str) -> String {
    line.replace("${{ github.base_ref }}", "main")
        .replace("${{ github.repository_owner }}", "acme")
        .replace("${{ github.event.repository.name }}", "incident-records")
}

/// A git repository holding the example records, with `origin/main`.
fn example_repo() -> Project {
    let p = Project::empty();
    for dir in ["incidents", "playbooks"] {
        copy_tree(&repo_root().join(dir), &p.root().join(dir));
    }
    std::fs::copy(repo_root().join("pm.toml"), p.root().join("pm.toml")).expect("copy pm.toml");
    p.commit_all("records", 1_796_000_000);
    let repo = git2::Repository::open(p.root()).expect("open");
    let head = repo.head().expect("head").target().expect("oid");
    repo.reference("refs/remotes/origin/main", head, true, "origin/main")
        .expect("origin/main");
    p
}

fn run_recipe(file: &str) -> usize {
    let text =
        std::fs::read_to_string(repo_root().join("docs/ci").join(file)).expect("read recipe");
    let lines = pm_lines(&text);
    let pm_dir = Path::new(env!("CARGO_BIN_EXE_pm"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        pm_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for line in &lines {
        let p = example_repo();
        let command = github_expressions(line).replace("exec pm", "pm");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(p.root())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("CI", "true")
            .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
            .env("CI_PAGES_URL", "https://acme.gitlab.io/incident-records")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .expect("run sh");
        assert!(
            out.status.success(),
            "{file}: `{command}` failed ({:?})\n{}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("warning: no git history"),
            "{file}: `{command}` ran without history"
        );
    }
    lines.len()
}

#[test]
fn the_github_workflow_commands_run() {
    assert_eq!(run_recipe("github-actions.yml"), 3);
}

#[test]
fn the_gitlab_ci_commands_run() {
    assert_eq!(run_recipe("gitlab-ci.yml"), 3);
}

#[test]
fn the_pre_commit_hook_runs() {
    assert_eq!(run_recipe("pre-commit"), 1);
}

#[test]
fn the_extractor_finds_pm_and_only_pm() {
    let yaml = "      - run: cargo install --locked --git \"$PM_GIT\" pm\n      run: SOURCE_DATE_EPOCH=1 pm build --rev HEAD\n    - pm lint --format gitlab\n# pm lint in a comment\n    - npm build\n";
    assert_eq!(
        pm_lines(yaml),
        [
            "SOURCE_DATE_EPOCH=1 pm build --rev HEAD",
            "pm lint --format gitlab"
        ]
    );
}
