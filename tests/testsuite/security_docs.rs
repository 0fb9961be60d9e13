//! `docs/security.md` must stay true: every test it names exists, and the
//! limits' defaults it gives are pm's.

use crate::support::repo_root;

fn doc() -> String {
    std::fs::read_to_string(repo_root().join("docs/security.md")).expect("read docs/security.md")
}

/// Every `` `<module>::<test>`  `` in the document whose module is a file of
/// the test suite.
#[test]
fn every_test_the_page_names_exists() {
    let doc = doc();
    let mut named = Vec::new();
    for quoted in doc.split('`').skip(1).step_by(2) {
        let Some((module, test)) = quoted.split_once("::") else {
            continue;
        };
        let path = repo_root().join(format!("tests/testsuite/{module}.rs"));
        if module.chars().all(|c| c.is_ascii_lowercase() || c == '_') && path.is_file() {
            let code = std::fs::read_to_string(&path).expect("read test module");
            named.push((quoted.to_owned(), code.contains(&format!("fn {test}("))));
        }
    }
    assert!(named.len() > 30, "the page names its tests: {named:?}");
    let missing: Vec<&str> = named
        .iter()
        .filter(|(_, found)| !found)
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "docs/security.md names tests that do not exist: {missing:?}"
    );
}

#[test]
fn the_limits_table_gives_pm_s_defaults() {
    let doc = doc();
    let limits = pm::parse::Limits::DEFAULT;
    for row in [
        format!(
            "| `record_size` | `\"{}\"` |",
            pm::parse::size_text(limits.record_size)
        ),
        format!(
            "| `front_matter_size` | `\"{}\"` |",
            pm::parse::size_text(limits.front_matter_size)
        ),
        format!("| `timeline_events` | `{}` |", limits.timeline_events),
        format!("| `services` | `{}` |", limits.services),
        format!("| `tags` | `{}` |", limits.tags),
        format!("| `responders` | `{}` |", limits.responders),
        format!("| `actions` | `{}` |", limits.actions),
    ] {
        assert!(doc.contains(&row), "docs/security.md lacks the row `{row}`");
    }
}
