use super::*;
use jiff::civil::{DateTime, Time};

const RECORD: &str = "+++\n# A comment at the top\ntitle = \"Disk full\"   # trailing comment\nseverity = \"SEV3\"\ntype = \"capacity\"\nstatus = \"active\"\n\n[impact]\nusers = 3\n\n# The timeline\n[[timeline]]\nat = 2026-12-06T14:00:00\ntext = \"Alert\"\nstep = \"detected\"\n\n[[timeline]]\nat = 14:10:00\ntext = \"\"\"\nmulti\nline\"\"\"   # kept\n\n# What changed\n[[changes]]\ntext = \"deploy\"\n+++\n\n## Summary\n\nBody   with  spaces.\n";

fn entry(text: &str, time: WrittenTime) -> Entry {
    Entry {
        comment: None,
        keys: vec![
            ("at", EntryValue::Time(time)),
            ("text", EntryValue::Text(text.to_owned())),
        ],
    }
}

fn bare(h: i8, m: i8) -> WrittenTime {
    WrittenTime::Bare(Time::constant(h, m, 0, 0))
}

/// `text` with `block` inserted after the first `anchor`.
fn with_after(text: &str, anchor: &str, block: &str) -> String {
    text.replacen(anchor, &format!("{anchor}{block}"), 1)
}

#[test]
fn an_entry_after_the_last_keeps_every_other_byte() {
    let edited = insert_entries(
        RECORD,
        "timeline",
        &[(Place::After(1), entry("Disk \"cleaned\"", bare(14, 20)))],
        &["changes"],
    )
    .unwrap();
    let block = "\n[[timeline]]\nat = 14:20:00\ntext = 'Disk \"cleaned\"'\n";
    assert_eq!(
        edited.text,
        with_after(RECORD, "line\"\"\"   # kept\n", block)
    );
    assert!(
        edited
            .text
            .ends_with("## Summary\n\nBody   with  spaces.\n")
    );
    assert_eq!(
        edited.blocks,
        ["[[timeline]]\nat = 14:20:00\ntext = 'Disk \"cleaned\"'\n"]
    );
}

#[test]
fn entries_go_between_and_before_existing_ones() {
    let mut first = entry(
        "Impact starts",
        WrittenTime::Local(DateTime::constant(2026, 12, 6, 13, 50, 0, 0)),
    );
    first.comment = Some("imported from slack:#inc\n, prune".to_owned());
    let edited = insert_entries(
        RECORD,
        "timeline",
        &[
            (Place::After(0), entry("between", bare(14, 5))),
            (Place::Start, first),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(edited.blocks.len(), 2);
    assert!(edited.text.contains("# The timeline\n# imported from slack:#inc , prune\n[[timeline]]\nat = 2026-12-06T13:50:00\ntext = \"Impact starts\"\n\n[[timeline]]\nat = 2026-12-06T14:00:00\n"));
    assert!(edited.text.contains("step = \"detected\"\n\n[[timeline]]\nat = 14:05:00\ntext = \"between\"\n\n[[timeline]]\nat = 14:10:00"));
    assert_eq!(count_entries(&edited.text, "timeline"), Ok(4));
}

#[test]
fn a_first_entry_goes_above_the_comments_of_the_next_table() {
    let record =
        "+++\ntitle = \"x\"\n\n# What changed\n[[changes]]\ntext = \"deploy\"\n+++\nbody\n";
    let edited = insert_entries(
        record,
        "timeline",
        &[(
            Place::Start,
            entry(
                "Alert",
                WrittenTime::Local(DateTime::constant(2026, 12, 6, 14, 0, 0, 0)),
            ),
        )],
        &["checklist", "changes"],
    )
    .unwrap();
    assert_eq!(
        edited.text,
        "+++\ntitle = \"x\"\n\n[[timeline]]\nat = 2026-12-06T14:00:00\ntext = \"Alert\"\n\n# What changed\n[[changes]]\ntext = \"deploy\"\n+++\nbody\n"
    );
    let bare_record = "+++\ntitle = \"x\"\n# status = \"\"\n+++\nbody\n";
    let edited = insert_entries(
        bare_record,
        "updates",
        &[(
            Place::Start,
            entry(
                "Update",
                WrittenTime::Local(DateTime::constant(2026, 12, 6, 14, 0, 0, 0)),
            ),
        )],
        &["actions"],
    )
    .unwrap();
    assert_eq!(
        edited.text,
        "+++\ntitle = \"x\"\n# status = \"\"\n\n[[updates]]\nat = 2026-12-06T14:00:00\ntext = \"Update\"\n+++\nbody\n"
    );
}

#[test]
fn crlf_records_get_crlf_lines() {
    let record = RECORD.replace('\n', "\r\n");
    let edited = insert_entries(
        &record,
        "timeline",
        &[(Place::After(1), entry("x", bare(14, 20)))],
        &[],
    )
    .unwrap();
    assert_eq!(
        edited.text,
        with_after(
            &record,
            "line\"\"\"   # kept\r\n",
            "\r\n[[timeline]]\r\nat = 14:20:00\r\ntext = \"x\"\r\n"
        )
    );
}

#[test]
fn unreadable_or_odd_front_matter_is_refused() {
    let e = entry("x", bare(14, 20));
    assert_eq!(
        insert_entries(
            "+++\ntitle = \n+++\n",
            "timeline",
            &[(Place::Start, e.clone())],
            &[]
        ),
        Err(EditError::Unreadable)
    );
    assert_eq!(
        insert_entries(
            "no front matter",
            "timeline",
            &[(Place::Start, e.clone())],
            &[]
        ),
        Err(EditError::Unreadable)
    );
    assert!(matches!(
        insert_entries(
            "+++\ntimeline = []\n+++\n",
            "timeline",
            &[(Place::Start, e.clone())],
            &[]
        ),
        Err(EditError::NotAnArray { .. })
    ));
    assert_eq!(
        insert_entries(RECORD, "timeline", &[(Place::After(5), e)], &[]),
        Err(EditError::NoSuchEntry(5))
    );
}

#[test]
fn a_text_with_a_delimiter_line_stays_on_one_line() {
    let text = "see below\n+++\nnot the end";
    let edited = insert_entries(
        RECORD,
        "timeline",
        &[(Place::After(1), entry(text, bare(14, 20)))],
        &[],
    )
    .unwrap();
    assert!(
        edited.blocks[0].contains("text = \"see below\\n+++\\nnot the end\"\n"),
        "{}",
        edited.blocks[0]
    );
    assert!(
        edited
            .text
            .ends_with("## Summary\n\nBody   with  spaces.\n")
    );
}
