//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

use serde::Serialize;
use serde_json::{Value, json};

use super::records::{fingerprints, has_file, message_with_help, records};
use crate::diag::{Diagnostics, Level, codes};
use crate::error::{Error, Result};
use crate::lint::LINTS;

/// One rule of the tool: a lint or a schema check.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<&'static str>,
}

/// The first paragraph under "What it does", as plain text.
fn what_it_does(explanation: &str) -> String {
    explanation
        .split("### What it does")
        .nth(1)
        .and_then(|rest| rest.split("###").next())
        .map(|p| p.trim().replace('\n', " "))
        .unwrap_or_default()
}

fn rules() -> Vec<Rule> {
    let lints = LINTS.iter().map(|l| Rule {
        id: l.name,
        name: l.name.to_owned(),
        short_description: Text {
            text: l.summary.to_owned(),
        },
        full_description: Text {
            text: what_it_does(l.explanation),
        },
        help: Help {
            text: format!("{}. Run `pm explain {}` for more.", l.summary, l.name),
            markdown: l.explanation,
        },
        default_configuration: Configuration {
            level: match l.group.default_level() {
                crate::lint::LintLevel::Deny => "error",
                crate::lint::LintLevel::Warn => "warning",
                crate::lint::LintLevel::Allow => "none",
            },
        },
        properties: Properties {
            tags: vec!["lint", l.group.name()],
        },
    });
    let checks = codes::CODES.iter().map(|c| Rule {
        id: c.name,
        name: c.name.to_owned(),
        short_description: Text {
            text: c.summary.to_owned(),
        },
        full_description: Text {
            text: what_it_does(c.explanation),
        },
        help: Help {
            text: format!("{}. Run `pm explain {}` for more.", c.summary, c.name),
            markdown: c.explanation,
        },
        default_configuration: Configuration { level: "error" },
        properties: Properties {
            tags: vec!["schema"],
        },
    });
    lints.chain(checks).collect()
}

/// The SARIF log: one run of pm with every rule and every finding.
pub fn log(diags: &Diagnostics) -> Result<String> {
    let rules = rules();
    let records = records(diags);
    let prints = fingerprints(&records);
    let results: Vec<Value> = records
        .iter()
        .zip(prints)
        .map(|((d, r), fingerprint)| {
            let mut result = json!({
                "ruleId": r.lint,
                "level": match d.level { Level::Error => "error", Level::Warning => "warning" },
                "message": { "text": message_with_help(r) },
                "partialFingerprints": { "pmFinding/v1": fingerprint },
            });
            if let Some(index) = rules.iter().position(|rule| rule.id == r.lint) {
                result["ruleIndex"] = json!(index);
            }
            if has_file(r) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": r.file, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": r.end_column,
                        }
                    }
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pm",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Serialize {
            what: "the SARIF log",
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_have_descriptions() {
        for rule in rules() {
            assert!(!rule.full_description.text.is_empty(), "{}", rule.id);
        }
    }
}
