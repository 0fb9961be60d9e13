//! GitLab Code Quality: a JSON array of issues, shown in merge requests.

use serde::Serialize;

use super::records::{fingerprints, has_file, message_with_help, records};
use crate::diag::{Diagnostics, Level};
use crate::error::{Error, Result};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The Code Quality report (`artifacts: reports: codequality`).
pub fn code_quality(diags: &Diagnostics) -> Result<String> {
    let records = records(diags);
    let prints = fingerprints(&records);
    let issues: Vec<Issue<'_>> = records
        .iter()
        .zip(prints)
        .map(|((d, r), fingerprint)| Issue {
            description: message_with_help(r),
            check_name: r.lint,
            fingerprint,
            severity: match d.level {
                Level::Error => "major",
                Level::Warning => "minor",
            },
            location: Location {
                // GitLab needs a path; findings about the command line
                // point at the configuration file.
                path: if has_file(r) { r.file } else { "pm.toml" },
                lines: Lines {
                    begin: r.line,
                    end: r.end_line,
                },
            },
        })
        .collect();
    serde_json::to_string_pretty(&issues)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::Serialize {
            what: "the GitLab report",
            message: e.to_string(),
        })
}
