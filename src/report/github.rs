//! GitHub Actions: workflow commands that become annotations on the pull
//! request's lines, and a Markdown job summary.

use std::fmt::Write as _;

use super::records::{has_file, records};
use crate::diag::{Diagnostics, Level, printable};

/// GitHub shows at most this many annotations of each level per step; the
/// rest are only in the log and the job summary.
pub(super) const ANNOTATIONS_PER_LEVEL: usize = 10;

/// `::error file=…,line=…::message` lines, escaped as the Actions toolkit does.
pub fn annotations(diags: &Diagnostics) -> String {
    let mut out = String::new();
    for (d, r) in records(diags) {
        let command = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let mut props = Vec::new();
        if has_file(&r) {
            props.push(format!("file={}", escape_property(&printable(r.file))));
            props.push(format!("line={}", r.line));
            props.push(format!("endLine={}", r.end_line));
            if r.line == r.end_line {
                props.push(format!("col={}", r.column));
                props.push(format!("endColumn={}", r.end_column));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("pm: {}", r.lint))
        ));
        // Each part on one line, without control characters; the `\n`
        // between them is the annotation's own line break.
        let mut message = printable(r.message).into_owned();
        if let Some(help) = r.help {
            let _ = write!(message, "\nhelp: {}", printable(help));
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    out
}

/// The job summary: counts, a table of findings, and how many went past the
/// annotation limit.
pub fn summary(diags: &Diagnostics, files: usize) -> String {
    let errors = diags.count(Level::Error);
    let warnings = diags.count(Level::Warning);
    let mut out = String::from("## pm lint\n\n");
    let _ = writeln!(
        out,
        "{}\n",
        crate::diag::summary_line(errors, warnings, files)
    );
    if errors + warnings == 0 {
        out.push_str("No findings.\n");
        return out;
    }
    let hidden = errors.saturating_sub(ANNOTATIONS_PER_LEVEL)
        + warnings.saturating_sub(ANNOTATIONS_PER_LEVEL);
    if hidden > 0 {
        let _ = writeln!(
            out,
            "GitHub annotates at most {ANNOTATIONS_PER_LEVEL} errors and {ANNOTATIONS_PER_LEVEL} warnings per step: \
             {hidden} of these findings are not shown on the pull request's lines.\n"
        );
    }
    out.push_str("| level | lint | where | message |\n|---|---|---|---|\n");
    for (d, r) in records(diags) {
        let place = if has_file(&r) {
            format!("`{}:{}:{}`", printable(r.file), r.line, r.column)
        } else {
            format!("`{}`", printable(r.file))
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            d.level.as_str(),
            r.lint,
            place,
            escape_cell(&printable(r.message))
        );
    }
    out
}

/// Escapes a command's message as `@actions/core` does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the data escapes plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Keeps a message inside one Markdown table cell.
fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_toolkit() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn control_characters_in_file_names_become_escapes() {
        assert_eq!(
            printable("incidents/a\x1b[31m.md"),
            "incidents/a\\u{1b}[31m.md"
        );
        assert_eq!(printable("a\nb\x07\u{9b}"), "a\\nb\\u{7}\\u{9b}");
        assert!(matches!(
            printable("plain/ü.md"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
