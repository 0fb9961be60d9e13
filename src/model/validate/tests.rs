//! Tests of validation from small records written inline.

use super::header::unique_suggestion;
use super::*;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::RecordKind;

#[test]
fn ids() {
    assert!(is_valid_id("2026-11-03-checkout-latency"));
    assert!(!is_valid_id("../etc/passwd"));
    assert!(!is_valid_id("Checkout"));
    assert!(!is_valid_id("a--b"));
    assert!(!is_valid_id("-a"));
    assert!(!is_valid_id(""));
}

fn diagnostics_of(text: &str) -> Vec<Diagnostic> {
    let file = crate::source::SourceFile {
        kind: RecordKind::Incident,
        rel: "incidents/a.md".into(),
        stem: "a".into(),
        bytes: text.as_bytes().to_vec(),
        attachments: None,
    };
    let parsed = crate::parse::parse_file(file).1.unwrap();
    let mut diags = Diagnostics::new();
    validate(vec![parsed], &Config::default(), &mut diags);
    diags.items().to_vec()
}

#[test]
fn a_top_level_key_under_checklist_is_told_to_move_up() {
    let found = diagnostics_of(
        "+++\ntitle = \"t\"\nseverity = \"SEV2\"\ntype = \"db\"\n[checklist]\nacknowledge = true\nstatus = \"resolved\"\n+++\n",
    );
    let step = found
        .iter()
        .find(|d| d.message == "unknown checklist step `status`")
        .unwrap();
    let help = step.help.as_deref().unwrap();
    assert!(
        help.contains("move it above the first table header"),
        "{help}"
    );
}

#[test]
fn unknown_severity_without_a_clear_match_lists_them_all() {
    let found = diagnostics_of(
        "+++\ntitle = \"t\"\nseverity = \"SEV9\"\ntype = \"db\"\nstatus = \"resolved\"\n+++\n",
    );
    let d = found.iter().find(|d| d.code == "invalid_value").unwrap();
    assert_eq!(
        d.help.as_deref(),
        Some(
            "severities are `SEV1`, `SEV2`, `SEV3` or `SEV4` (set in pm.toml `[site] severities`)"
        )
    );
}

#[test]
fn severity_suggestions_are_only_made_when_unambiguous() {
    let sevs: Vec<String> = ["SEV1", "SEV2", "SEV3", "SEV4"].map(String::from).to_vec();
    assert_eq!(unique_suggestion("SEV9", &sevs), None);
    assert_eq!(unique_suggestion("sev2", &sevs), Some("SEV2"));
    let named: Vec<String> = ["critical", "major", "minor"].map(String::from).to_vec();
    assert_eq!(unique_suggestion("critcal", &named), Some("critical"));
    assert_eq!(unique_suggestion("banana", &named), None);
}

#[test]
fn slugs() {
    assert_eq!(slug("Checkout p99 > 2 s!"), "checkout-p99-2-s");
    assert_eq!(slug("../../etc"), "etc");
    assert_eq!(slug("Ünïcode"), "n-code");
}
