//! Unit tests of splitting records and reading their front matter.

use super::*;

#[test]
fn splits_lf_crlf_and_bom() {
    let text = "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nbody\r\n";
    let s = split_front_matter(text).unwrap();
    assert_eq!(&text[s.front_matter.clone()], "title = \"x\"\r\n");
    assert_eq!(&text[s.body_start..], "body\r\n");
    assert_eq!(&text[s.opening], "+++");
}

#[test]
fn empty_missing_and_unterminated_are_told_apart() {
    assert_eq!(split_front_matter(""), Err(SplitError::Empty));
    assert_eq!(split_front_matter(" \n\n"), Err(SplitError::Empty));
    assert_eq!(
        split_front_matter("# Title\n"),
        Err(SplitError::Missing(0..7))
    );
    assert_eq!(
        split_front_matter("+++\ntitle = 1\n"),
        Err(SplitError::Unterminated(0..3))
    );
}

#[test]
fn closing_delimiter_at_end_of_file_without_newline() {
    let s = split_front_matter("+++\na = 1\n+++").unwrap();
    assert_eq!(s.front_matter, 4..10);
    assert_eq!(s.body_start, 13);
}

/// The closing delimiter is the first later line that reads `+++` with
/// at most trailing whitespace, as a walk over every line finds it.
#[test]
fn closing_delimiter_is_the_first_line_that_is_only_the_delimiter() {
    fn by_walking_lines(text: &str) -> Option<(Range<usize>, usize)> {
        let mut lines = LineIter { text, pos: 0 };
        let (_, fm_start) = lines.next()?;
        lines
            .find(|(line, _)| text[line.clone()].trim_end() == DELIMITER)
            .map(|(line, after)| (fm_start..line.start, after))
    }
    for text in [
        "+++\n+++",
        "+++\n+++\n",
        "+++\r\n+++\r\nbody",
        "+++\na = \"+++\"\n +++\n++++\n+++x\n+++ \t\nbody\n+++\n",
        "+++\n\n+++\r\n",
        "+++\na\n+++\u{3000}\nb",
        "+++\na\n++",
        "+++\n\n\n",
    ] {
        let found = split_front_matter(text)
            .ok()
            .map(|s| (s.front_matter, s.body_start));
        assert_eq!(found, by_walking_lines(text), "{text:?}");
    }
}

#[test]
fn unknown_key_error_suggests_the_closest_key() {
    let fm = "title = \"x\"\nseverty = \"SEV1\"\n";
    let err = toml::from_str::<RawIncident>(fm).unwrap_err();
    let d = toml_error_diagnostic(&err, "incidents/a.md", fm, 4);
    assert_eq!(d.message, "unknown key `severty`");
    assert_eq!(d.help.as_deref(), Some("did you mean `severity`?"));
    assert_eq!(d.span, Some(16..23));
}

fn diagnostic_of(fm: &str) -> Diagnostic {
    let err = toml::from_str::<RawIncident>(fm).unwrap_err();
    toml_error_diagnostic(&err, "incidents/a.md", fm, 4)
}

#[test]
fn an_empty_record_points_at_its_start() {
    let d = SplitError::Empty.into_diagnostic("incidents/a.md", RecordKind::Incident);
    assert_eq!(d.span, Some(0..0));
    assert!(d.help.is_some());
}

#[test]
fn wrong_type_names_the_key_and_writes_the_fix() {
    let d = diagnostic_of("title = \"x\"\nservices = \"api\"\n");
    assert_eq!(
        d.message,
        "wrong type for `services`: expected an array, found a string"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write a list in square brackets: `services = [\"api\"]`")
    );
    assert_eq!(d.span, Some(4 + 23..4 + 28));
}

#[test]
fn unquoted_string_help_quotes_the_value() {
    let d = diagnostic_of("severity = SEV3\n");
    assert_eq!(d.message, "invalid TOML: string values must be quoted");
    assert_eq!(
        d.help.as_deref(),
        Some("put the value in double quotes: `severity = \"SEV3\"`")
    );
}

#[test]
fn impossible_dates_get_date_help() {
    let d = diagnostic_of("[[timeline]]\nat = 2026-11-31T10:00:00Z\n");
    assert!(
        d.message.starts_with("invalid TOML: invalid date"),
        "{}",
        d.message
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("months have 28 to 31 days")
    );
}

#[test]
fn a_top_level_key_after_a_table_header_is_explained() {
    let d = diagnostic_of("title = \"x\"\n\n[impact]\nusers = 3\nstatus = \"resolved\"\n");
    assert_eq!(d.message, "unknown key `status`");
    assert_eq!(
        d.notes,
        ["after a `[impact]` header, every key belongs to that table until the next header"]
    );
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("if `status` is a top-level key, move it above the first table header"),
        "{:?}",
        d.help
    );
}

#[test]
fn wrong_type_error_says_what_was_expected() {
    let fm = "draft = \"yes\"\n";
    let err = toml::from_str::<RawIncident>(fm).unwrap_err();
    let d = toml_error_diagnostic(&err, "incidents/a.md", fm, 0);
    assert_eq!(d.code, "wrong_type");
    assert!(d.message.contains("expected a boolean"), "{}", d.message);
}
