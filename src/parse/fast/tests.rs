//! Unit tests of the front-matter fast path.

use super::differential::{Tree, compare};
use super::*;
use crate::parse::RawIncident;

/// The fast path accepts `fm` as a generic tree, with toml's value and spans.
#[track_caller]
fn accepted(fm: &str) {
    match compare(fm) {
        Ok(v) => assert!(v.tree, "the fast path declined:\n{fm}"),
        Err(e) => panic!("{e}\n--- for:\n{fm}"),
    }
}

/// The fast path accepts `fm` as an incident, with toml's value and spans.
#[track_caller]
fn accepted_incident(fm: &str) {
    match compare(fm) {
        Ok(v) => assert!(
            v.incident && v.direct_incident,
            "the fast path declined:\n{fm}"
        ),
        Err(e) => panic!("{e}\n--- for:\n{fm}"),
    }
}

/// The fast path says "not mine" (and agrees with toml where toml reads it).
#[track_caller]
fn declined(fm: &str) {
    assert!(from_str::<Tree>(fm).is_none(), "accepted:\n{fm}");
    assert!(from_str::<RawIncident>(fm).is_none(), "accepted:\n{fm}");
    assert!(
        direct_from_str::<RawIncident>(fm).is_none(),
        "accepted:\n{fm}"
    );
    if let Err(e) = compare(fm) {
        panic!("{e}");
    }
}

#[test]
fn comments_blank_lines_and_line_endings() {
    accepted("");
    accepted("\n\n# a comment\n\n");
    accepted("a = 1 # trailing\r\nb = 2\r\n\r\n# é\r\n");
    accepted("  a = 1\n\t b = \"x\"\n");
    accepted("a = 1");
    accepted("#");
}

#[test]
fn strings_and_their_spans() {
    accepted(r#"a = "plain""#);
    accepted(r#"a = "tab\tquote\" back\\ nl\n u\u00e9 U\U0001F600 b\b f\f r\r e\e x\x41""#);
    accepted("a = ''\nb = 'C:\\path \"as is\"'\n");
    accepted("a = \"\"\nb = \"é ü 日本\"\n");
    // A literal tab needs no decoding; a control character or DEL is an
    // error, the decoder's to report.
    accepted("a = \"a\ttab\"\nb = \"x\"\n");
    declined("a = \"x\u{1}y\"\n");
    declined("a = \"x\u{7f}\"\n");
    declined("a = \"x\u{1f}\"\n");
}

#[test]
fn multi_line_strings_trim_their_first_newline() {
    accepted("a = '''\nline 1\n  line 2\n'''\n");
    accepted("a = '''no newline'''\nb = '''\r\ncrlf\r\nkept\r\n'''\n");
    accepted("a = '''it's ''quoted'' '''\n");
    accepted("a = '''\n'''\nb = ''''''\n");
    // One or two quotes before the closing delimiter belong to the text.
    accepted("a = '''it's''''\nb = '''x'''''\nc = \"\"\"q\"\"\"\"\"\n");
    accepted("a = \"\"\"\nbasic \\\"esc\\\" \\u00e9\n\"\"\"\n");
    accepted("a = \"\"\"one \"two\" \"\"three\"\"\"\n");
    accepted("a = \"\"\"\\\"\"\"\"\n");
}

#[test]
fn line_ending_backslashes() {
    accepted("a = \"\"\"\nThe quick \\\n   brown \\   \n\n  fox.\"\"\"\n");
    accepted("a = \"\"\"\\\r\n  x\\\r\n\"\"\"\n");
}

#[test]
fn integers_booleans_datetimes() {
    accepted("a = 0\nb = -0\nc = 42\nd = -17\ne = 9223372036854775807\nf = -9223372036854775808\n");
    accepted("t = true\nf = false\n");
    accepted(
        "a = 2026-11-03T14:02:00Z\nb = 2026-11-03T14:02:00+01:00\nc = 2026-11-03T14:02:00\n\
         j = 2026-11-03T14:02:00-00:00\nk = 2026-11-03T14:02:00.5-00:30\nl = 1979-05-27T00:32:00.999999\n\
         d = 2026-11-03\ne = 14:02:00\nf = 2026-11-03T14:02:00.123456Z\ng = 2026-11-03 14:02:00\n\
         h = 14:02\ni = 2026-11-03t14:02:00z\n",
    );
}

#[test]
fn arrays_over_lines_with_comments_and_trailing_commas() {
    accepted("a = []\nb = [ ]\nc = [1, 2, 3]\nd = [\"x\", 'y',]\n");
    accepted("a = [\n  \"one\", # first\n  # between\n  \"two\",\n]\n");
    accepted("a = [[1, 2], [\"x\"], []]\nb = [2026-01-01, 10:00:00, true]\n");
    accepted("a = [\r\n  1,\r\n  2\r\n]\r\n");
}

#[test]
fn tables_and_arrays_of_tables_span_their_headers() {
    accepted(
        "top = 1\n[impact]\nusers = 3\n[[timeline]]\nat = 10:00:00\n\n[[timeline]]\ntext = 'x'\n[other]\n",
    );
    accepted("[a] # comment\n[[b]]\n[[b]]\nx = 1\n");
    accepted("[a]\n[b]\n");
}

#[test]
fn inline_tables() {
    accepted("a = {}\nb = { x = 1, y = \"z\" }\nc = [{ lint = \"l\", reason = \"r\" }, {}]\n");
    accepted("a = { b = { c = [1, { d = 2 }] } }\n");
}

#[test]
fn incident_records_with_their_spans() {
    accepted_incident(
        "title = \"Checkout latency\"\nseverity = \"SEV2\"\nservices = [\"api\", \"db\"]\n\
         allow = [{ lint = \"x\", reason = \"y\" }]\n\n\
         [impact]\nusers = 1200\ncustomer_facing = true\n\n[checklist]\nassess-severity = true\n\
         check-recent-changes = \"skipped: known\"\n\n[[timeline]]\nat = 2026-11-03T14:02:00Z\n\
         text = \"Pager\"\n\n[[actions]]\ndue = 2026-12-01\nclosed = 2026-11-20\n",
    );
}

/// What toml_parser reads beyond the hand-written lexer this path once had:
/// each is read here, with toml's value and spans.
#[test]
fn toml_1_1_beyond_the_old_subset() {
    for fm in [
        // Whitespace inside header brackets.
        "[ a ]\nx = 1\n[[ b ]]\n[[b ]]\ny = 2\n",
        // Signs, underscores and other radixes, as `i64::from_str_radix` reads them.
        "a = +1\nb = 1_000\nc = 0x1F\nd = 0o7\ne = 0b1\nf = -9_223_372_036_854_775_808\n",
        // TOML 1.1 inline tables: a trailing comma, over lines, with comments.
        "a = { x = 1, }\nb = { x = 1\n}\nc = {\n  # why\n  y = [1,\n 2], # and\n}\n",
    ] {
        accepted(fm);
    }
}

#[test]
fn what_is_not_in_the_subset_is_left_to_toml() {
    for fm in [
        // Keys: dotted, quoted, unicode, empty, missing `=`.
        "a.b = 1\n",
        "\"a\" = 1\n",
        "'a' = 1\n",
        "é = 1\n",
        "= 1\n",
        "a 1\n",
        "a = \n",
        "a =\n",
        // Headers: dotted, quoted, unclosed, junk after.
        "[a.b]\n",
        "[\"a\"]\n",
        "[a\n",
        "[[a]\n",
        "[a]]\n",
        "[a] x\n",
        // Numbers outside the subset.
        "a = 1.5\n",
        "a = 1e3\n",
        "a = 01\n",
        "a = -01\n",
        "a = inf\n",
        "a = nan\n",
        "a = 9223372036854775808\n",
        // Invalid values.
        "a = True\n",
        "a = truex\n",
        "a = bare\n",
        "a = 1 2\n",
        "a = 2026-11-31\n",
        "a = 2026-11-03 14:02:00 Z\n",
        "a = 25:00:00\n",
        // Strings: unterminated, bad escapes, control characters.
        "a = \"open\n",
        "a = 'open\n",
        "a = '''open\n",
        "a = \"\"\"open\n",
        "a = \"\\q\"\n",
        "a = \"\\u12\"\n",
        "a = \"\\uD800\"\n",
        "a = \"\\U00110000\"\n",
        "a = \"\\ \"\n",
        "a = \"nul\u{0}\"\n",
        "a = 'del\u{7f}'\n",
        "a = \"\"\"x\\ y\"\"\"\n",
        "a = \"\"\"x\ry\"\"\"\n",
        "a = '''x\ry'''\n",
        "a = '''x''''''\n",
        "a = \"\"\"x\"\"\"\"\"\"\n",
        "a = \"x\" \"y\"\n",
        // Line endings and comments.
        "a = 1\rb = 2\n",
        "# bell \u{7}\n",
        "a = 1 # \u{0}\n",
        // Arrays and inline tables.
        "a = [,]\n",
        "a = [1,,2]\n",
        "a = [1 2]\n",
        "a = [1\n",
        "a = { x.y = 1 }\n",
        "a = { x = 1, x = 2 }\n",
        "a = [[[[[[[[[1]]]]]]]]]\n",
        // Redefinitions.
        "a = 1\na = 2\n",
        "[a]\n[a]\n",
        "a = 1\n[a]\n",
        "[a]\n[[a]]\n",
        "[[a]]\n[a]\n",
        "a = []\n[[a]]\n",
        "[t]\nx = 1\nx = 2\n",
        "[[t]]\nx = 1\nx = 2\n",
    ] {
        declined(fm);
    }
}

#[test]
fn deserialize_errors_are_left_to_toml() {
    for fm in [
        "severty = \"SEV1\"\n",
        "title = 1\n",
        "draft = \"yes\"\n",
        "services = \"api\"\n",
        "[impact]\ncustomer_facing = \"many\"\n",
        "[[timeline]]\nwhen = 10:00:00\n",
        "timeline = 1\n",
        "[impact]\nusers = -1\nstatus = \"x\"\n",
    ] {
        assert!(from_str::<RawIncident>(fm).is_none(), "accepted:\n{fm}");
        assert!(
            direct_from_str::<RawIncident>(fm).is_none(),
            "accepted:\n{fm}"
        );
        assert!(
            toml::from_str::<RawIncident>(fm).is_err(),
            "toml reads:\n{fm}"
        );
    }
}

#[test]
fn deep_nesting_is_left_to_toml_before_any_recursion() {
    let deep = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(from_str::<Tree>(&deep).is_none());
    let deep = format!("a = {}1{}\n", "{ b = ".repeat(50), " }".repeat(50));
    assert!(from_str::<Tree>(&deep).is_none());
}

#[test]
fn tables_over_the_key_limit_are_left_to_toml() {
    let keys = |n: usize| (0..n).map(|i| format!("k{i} = {i}\n")).collect::<String>();
    accepted(&keys(MAX_KEYS));
    declined(&keys(MAX_KEYS + 1));
}

#[test]
fn both_paths_read_spans_keys_and_datetimes_as_serde() {
    let fm = "[checklist]\nstep-a = true\n\n[[timeline]]\nat = 2026-11-03 14:02:00\n";
    let through_serde: RawIncident = from_str(fm).expect("in the subset");
    let direct: RawIncident = direct_from_str(fm).expect("in the subset");
    for raw in [through_serde, direct] {
        let (key, value) = raw.checklist.iter().next().expect("one entry");
        assert_eq!((key.get_ref().as_str(), key.span()), ("step-a", 12..18));
        assert_eq!(value.span(), 21..25);
        let at = raw.timeline[0].get_ref().at.as_ref().expect("at");
        assert_eq!(at.span(), 45..64);
        assert_eq!(raw.timeline[0].span(), 27..39);
        assert!(matches!(at.get_ref(), toml::Value::Datetime(_)));
    }
    // Renamed keys, every kind of value `toml::Value` holds, a playbook.
    accepted_incident(
        "type = \"disk\"\n[impact]\nusers = [1, \"a\", true, 2026-01-01, { b = [] }]\n\
         [[changes]]\nref = \"r\"\nat = 10:00:00\n",
    );
    let playbook = "title = \"P\"\nsymptoms = [\"slow\"]\n[[mitigations]]\noption = \"o\"\n\
                    [[commands]]\nrun = \"ls\"\n";
    let verdict = compare(playbook).expect("agrees with toml");
    assert!(verdict.playbook && verdict.direct_playbook);
}

/// serde reads a struct written as an array field by field; the direct
/// path leaves that to toml (which reads it so).
#[test]
fn a_struct_written_as_an_array_is_left_to_toml() {
    let fm = "rollback = [\"yes\", \"no\", \"why\"]\n";
    assert!(direct_from_str::<RawIncident>(fm).is_none());
    assert!(toml::from_str::<RawIncident>(fm).is_ok());
    compare(fm).expect("agrees with toml");
}
