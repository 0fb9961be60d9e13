//! Tests of reading a front matter past its value errors.

use super::*;
use crate::parse::{RawIncident, RawPlaybook};

fn messages(read: &Recovered<RawIncident>) -> Vec<String> {
    read.errors
        .iter()
        .map(|e| e.message().trim().to_owned())
        .collect()
}

fn lost_keys(read: &Recovered<RawIncident>) -> Vec<(String, String)> {
    read.lost
        .iter()
        .map(|l| (l.table.clone(), l.key.clone()))
        .collect()
}

const SEVERAL: &str = "title = \"T\"\nseverity = 3\nservices = \"api\"\ndraft = \"no\"\n\
type = \"db\"\n\n[impact]\ncustomer_facing = \"yes\"\nsummary = \"Slow\"\n\n\
[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = 5\n\n[[timeline]]\nat = 2026-01-01T11:00:00Z\ntext = \"Fixed\"\n";

#[test]
fn every_wrong_type_is_reported_once_and_the_rest_is_read() {
    let read = read::<RawIncident>(SEVERAL);
    let value = read.value.as_ref().expect("the rest of the record is read");
    assert_eq!(read.errors.len(), 5, "{:?}", messages(&read));
    assert!(
        messages(&read)
            .iter()
            .all(|m| m.starts_with("invalid type"))
    );
    let mut lost = lost_keys(&read);
    lost.sort();
    let expected = [
        ("", "draft"),
        ("", "services"),
        ("", "severity"),
        ("impact", "customer_facing"),
        ("timeline", "text"),
    ];
    assert_eq!(
        lost,
        expected.map(|(t, k)| (t.to_owned(), k.to_owned())).to_vec()
    );
    assert_eq!(value.title.as_ref().unwrap().get_ref(), "T");
    assert_eq!(value.kind.as_ref().unwrap().get_ref(), "db");
    assert!(value.severity.is_none() && value.services.is_empty());
    assert_eq!(value.timeline.len(), 2);
    // Spans are those of the text as written.
    let summary = value.impact.as_ref().unwrap().summary.as_ref().unwrap();
    assert_eq!(&SEVERAL[summary.span()], "\"Slow\"");
    let severity = read.lost.iter().find(|l| l.key == "severity").unwrap();
    assert_eq!(&SEVERAL[severity.range.clone()], "severity = 3");
    assert_eq!(severity.written, "3");
    assert_eq!(severity.value, Some(toml::Value::Integer(3)));
}

#[test]
fn each_error_points_where_it_is_written() {
    let read = read::<RawIncident>(SEVERAL);
    let mut at: Vec<&str> = read
        .errors
        .iter()
        .map(|e| &SEVERAL[e.span().unwrap()])
        .collect();
    at.sort_unstable();
    assert_eq!(at, ["\"api\"", "\"no\"", "\"yes\"", "3", "5"]);
}

#[test]
fn unknown_keys_impossible_dates_and_unquoted_words_are_left_out_too() {
    let fm = "title = \"T\"\nseverty = \"SEV1\"\nstatus = resolved\n\n[[timeline]]\n\
at = 2026-11-31T10:00:00Z\ntext = \"A\"\n";
    let read = read::<RawIncident>(fm);
    assert!(read.value.is_some(), "{:?}", messages(&read));
    assert_eq!(read.errors.len(), 3, "{:?}", messages(&read));
    let status = read.lost.iter().find(|l| l.key == "status").unwrap();
    assert_eq!(
        (status.written.as_str(), &status.value),
        ("resolved", &None)
    );
    assert!(
        read.lost
            .iter()
            .any(|l| l.table == "timeline" && l.key == "at")
    );
    assert!(
        read.lost
            .iter()
            .any(|l| l.table.is_empty() && l.key == "severty")
    );
}

#[test]
fn an_unknown_table_is_left_out_with_every_table_of_its_name() {
    let fm = "title = \"T\"\n\n[[action]]\ntext = \"a\"\n\n[[timeline]]\nat = 10:00:00\ntext = \"x\"\n\n[[action]]\ntext = \"b\"\n";
    let read = read::<RawIncident>(fm);
    assert_eq!(messages(&read).len(), 1, "{:?}", messages(&read));
    assert!(messages(&read)[0].starts_with("unknown field `action`"));
    let value = read.value.expect("read past the unknown table");
    assert_eq!(value.timeline.len(), 1);
    assert_eq!(read.lost.len(), 2);
    assert!(read.lost.iter().all(|l| l.whole_table && l.key == "action"));
}

#[test]
fn a_wrong_value_inside_an_inline_table_loses_the_whole_line() {
    let fm = "title = \"T\"\nallow = [{ lint = 3, reason = \"r\" }]\nseverity = 2\n";
    let read = read::<RawIncident>(fm);
    assert!(
        read.value
            .as_ref()
            .expect("read past the allow line")
            .allow
            .is_empty()
    );
    assert_eq!(read.errors.len(), 2);
    assert_eq!(lost_keys(&read)[0], (String::new(), "allow".to_owned()));
}

#[test]
fn a_syntax_error_stops_the_reading_as_before() {
    let fm = "title = \"T\"\nseverity == 3\nstatus = 1\n";
    let read = read::<RawIncident>(fm);
    assert!(read.value.is_none());
    assert_eq!(read.errors.len(), 1);
    assert!(read.lost.is_empty());
}

#[test]
fn reading_stops_after_max_errors() {
    let mut fm = String::from("title = \"T\"\n");
    for _ in 0..MAX_ERRORS + 5 {
        fm.push_str("[[timeline]]\ntext = 1\n");
    }
    let read = read::<RawIncident>(&fm);
    assert!(read.value.is_none());
    assert_eq!(read.errors.len(), MAX_ERRORS);
}

#[test]
fn a_string_left_open_on_its_line_is_left_out_with_its_line() {
    // A basic string ends at its line: the lines after it are read as written.
    let fm = "title = \"T\nseverity = 3\n";
    let read = read::<RawIncident>(fm);
    assert!(read.value.is_some());
    assert_eq!(read.errors.len(), 2);
    assert_eq!(read.lost.len(), 2);
}

#[test]
fn a_clean_front_matter_is_read_at_once() {
    let read = read::<RawPlaybook>("title = \"Database\"\nsymptoms = [\"slow\"]\n");
    assert!(read.value.is_some() && read.errors.is_empty() && read.lost.is_empty());
}

#[test]
fn blanking_keeps_length_lines_and_utf8() {
    let mut text = "a = \"é€\"\r\nb = [\n  1,\n]\nc = 1\n".to_owned();
    let before = text.len();
    blank(&mut text, 0..25);
    assert_eq!(text.len(), before);
    assert_eq!(text.lines().count(), 5);
    assert!(text.ends_with("c = 1\n"));
    assert_eq!(text.trim_start().len(), "c = 1\n".len());
    // Ranges off char boundaries or past the end cannot panic.
    let mut text = "é = 1".to_owned();
    blank(&mut text, 1..99);
    assert_eq!(text, " ".repeat("é = 1".len()));
}

#[test]
fn deep_nesting_is_read_past_on_a_small_stack() {
    let deep = 20_000;
    for fm in [
        format!(
            "title = \"T\"\ntags = {}{}\nseverity = 3\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
        format!(
            "title = \"T\"\ntags = {}1{}\nseverity = 3\n",
            "{a=".repeat(deep),
            "}".repeat(deep)
        ),
        format!("title = \"T\"\n[{}]\nx = 1\n", vec!["a"; deep].join(".")),
    ] {
        let read = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let read = read::<RawIncident>(&fm);
                (read.value.is_some(), read.errors.len())
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(read.1 >= 1, "{read:?}");
    }
}

/// Every value of a record, one at a time given each wrong type: the rest
/// of the record is read, and the one error points at that value.
#[test]
fn any_one_wrong_value_is_read_past() {
    let record = "title = \"T\"\nseverity = \"SEV2\"\ntype = \"db\"\nstatus = \"resolved\"\n\
draft = false\nservices = [\"api\"]\n\n[impact]\nsummary = \"S\"\ncustomer_facing = true\n\n\
[[timeline]]\nat = 2026-01-01T10:00:00Z\ntext = \"A\"\napprox = true\n\n\
[[actions]]\ntext = \"B\"\nowner = \"o\"\n";
    let lines: Vec<&str> = record.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((key, _)) = line.split_once(" = ") else {
            continue;
        };
        for wrong in ["3", "\"x\"", "true", "[1]", "{ a = 1 }", "1979-05-27"] {
            let mut edited = lines.clone();
            let replaced = format!("{key} = {wrong}");
            edited[i] = &replaced;
            let fm = edited.join("\n") + "\n";
            let read = read::<RawIncident>(&fm);
            assert!(read.value.is_some(), "{fm}\n{:?}", read.errors);
            assert!(read.errors.len() <= 1, "{fm}\n{:?}", read.errors);
            for e in &read.errors {
                let at = e.span().unwrap();
                let line_start = fm[..at.start].matches('\n').count();
                assert_eq!(line_start, i, "{fm}\n{e:?}");
            }
        }
    }
}

proptest::proptest! {
    /// No text makes reading past errors panic, loop or go over its bound.
    #[test]
    fn reading_past_errors_never_panics(fm in "(([a-z]{1,3} ?= ?([0-9]|\"[a-z]*\"|true|\\[[0-9, ]*\\]|\\{ ?[a-z] ?= ?[0-9] ?\\})|\\[\\[?[a-z]{1,3}\\]\\]?|[#\"\\[{=])?\n{0,2}){0,30}") {
        let read = read::<RawIncident>(&fm);
        proptest::prop_assert!(read.errors.len() <= MAX_ERRORS);
        for lost in &read.lost {
            proptest::prop_assert!(lost.range.end <= fm.len());
        }
    }
}
