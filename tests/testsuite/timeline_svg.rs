//! The incident timeline drawn as inline SVG: the drawing of each fixture
//! incident, snapshotted as the `<svg>…</svg>` part of its page, plus the
//! promises the page makes around it (a sentence instead of a drawing when
//! there are no events, gap rows with their times, record text escaped), and
//! the event table around it (no empty columns, days on long incidents,
//! inline Markdown in the triage notes).

use crate::support::Project;

const TODAY: &str = "2026-11-30";

/// The `<svg …>…</svg>` of the timeline drawing, if the page has one.
fn timeline_svg(page: &str) -> Option<&str> {
    let start = page.find("<svg class=\"tl\"")?;
    let end = page[start..].find("</svg>")? + start + "</svg>".len();
    Some(&page[start..end])
}

fn built(fixture: &str) -> Project {
    let p = Project::from_fixture(fixture);
    p.pm(["build", "--today", TODAY]).output().code(0);
    p
}

fn page(p: &Project, id: &str) -> String {
    p.read(&format!("public/incidents/{id}/index.html"))
}

#[test]
fn basic_incident_drawing() {
    let p = built("basic");
    let page = page(&p, "2026-11-02-api-error-spike");
    insta::assert_snapshot!(timeline_svg(&page).expect("a drawing"));
}

#[test]
fn timeline_fixture_drawings() {
    let p = built("timeline");
    for id in [
        "2026-03-10-silent-and-explained-gaps",
        "2026-03-20-overnight-batch",
        "2026-04-01-lone-event",
        "2026-04-02-one-instant",
    ] {
        let page = page(&p, id);
        let svg = timeline_svg(&page).unwrap_or_else(|| panic!("{id}: no drawing"));
        insta::assert_snapshot!(id, svg);
    }
}

#[test]
fn the_drawing_is_an_accessible_image() {
    let p = built("timeline");
    let page = page(&p, "2026-03-10-silent-and-explained-gaps");
    let svg = timeline_svg(&page).unwrap();
    assert!(svg.contains(r#"role="img""#));
    assert!(
        svg.contains(r#"aria-labelledby="review-timeline-svg-title review-timeline-svg-desc""#)
    );
    assert!(svg.contains(r#"<title id="review-timeline-svg-title">Incident timeline</title>"#));
    assert!(svg.contains(
        "Timeline of 7 events on 2026-03-10 from 14:00 to 16:20 CET; 2 gaps longer than 30m, 1 of them unexplained."
    ));
    assert!(svg.contains(r#"width="100%""#));
    assert!(svg.contains("Times in Europe/Berlin (CET)"));
    // The page's CSP forbids inline styles: colours come from classes.
    assert!(!svg.contains("style="));
    assert!(svg.contains(r#"class="tl-gap tl-gap-unexplained""#));
    assert!(svg.contains(r#"class="tl-gap tl-gap-explained""#));
}

#[test]
fn record_text_in_the_drawing_is_escaped() {
    let p = built("timeline");
    let page = page(&p, "2026-03-10-silent-and-explained-gaps");
    let svg = timeline_svg(&page).unwrap();
    // A gap's explanation, in its <title> tooltip.
    assert!(svg.contains("the evening peak &amp; waiting for the batch"));
    // An event's text is in the event table, not in the drawing: its marks
    // carry no tooltip repeating the table.
    assert!(page.contains("Rollback started &lt;after a silence nobody explained&gt;"));
    assert!(!svg.contains("Rollback started"));
    assert!(!page.contains("<after a silence"));
}

#[test]
fn gap_rows_in_the_table_give_the_times() {
    let p = built("timeline");
    let page = page(&p, "2026-03-10-silent-and-explained-gaps");
    assert!(page.contains(
        r#"<span class="gap-label"><span aria-hidden="true">⚠ </span>Unexplained gap:</span> 50m with no event, <span class="gap-span">from 14:08 to 14:58</span> (longer than 30m)"#
    ));
    assert!(page.contains(
        r#"<span class="gap-label">Explained gap:</span> 1h 13m with no event, <span class="gap-span">from 15:02 to 16:15</span>: Watching"#
    ));
    let page = self::page(&p, "2026-03-20-overnight-batch");
    assert!(page.contains(
        r#"<span class="gap-span">from 20 Mar 22:10 to 21 Mar 07:40</span>: Overnight: nobody watches the batch"#
    ));
}

#[test]
fn no_events_no_drawing_but_a_sentence() {
    let p = built("timeline");
    let page = page(&p, "2026-04-03-no-events");
    assert!(timeline_svg(&page).is_none());
    assert!(page.contains("No timeline recorded."));
}

/// The part of `page` from `start` to the next `end`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let a = page.find(start).unwrap_or_else(|| panic!("no {start}"));
    let b = page[a..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"))
        + a;
    &page[a..b]
}

#[test]
fn the_event_table_leaves_out_empty_columns_and_names_the_day_on_long_incidents() {
    let p = Project::from_fixture("timeline");
    // One event with evidence and a who: those columns appear; Source stays out.
    p.file(
        "incidents/2026-05-01-with-evidence.md",
        "+++\ntitle = \"Evidence on one event\"\nseverity = \"SEV3\"\ntype = \"batch\"\nstatus = \"resolved\"\n\n\
         [triage]\nsymptoms = [\"`orders-db` replica lag over *30 s*\"]\n\n\
         [[timeline]]\nat = 2026-05-01T10:00:00Z\ntext = \"Lag alert\"\nstep = \"detected\"\n\
         evidence = \"https://grafana.example/d/lag\"\nwho = \"sam\"\n\n\
         [[timeline]]\nat = 2026-05-01T10:20:00Z\ntext = \"Replica rebuilt\"\nstep = \"verify-resolution\"\n+++\n\
         ## Summary\nLag.\n",
    );
    p.pm(["build", "--today", TODAY]).output().code(0);

    // No event of the overnight batch has evidence, a who or a source.
    let overnight = page(&p, "2026-03-20-overnight-batch");
    // The head's cells, light: no end tags, ending where the body starts.
    let head = between(&overnight, "<table class=\"data timeline\">", "<tbody>");
    assert!(head.ends_with("<th>Step"), "{head}");
    for col in ["Who", "Source", "Evidence"] {
        assert!(
            !head.contains(&format!("<th>{col}")),
            "an empty {col} column:\n{head}"
        );
    }
    // Over three days, a checklist step's evidence names the day.
    assert!(
        overnight.contains("Evidence: timeline event on 21 Mar 07:45"),
        "no day in the checklist evidence"
    );

    let one = page(&p, "2026-05-01-with-evidence");
    let head = between(&one, "<table class=\"data timeline\">", "<tbody>");
    assert!(
        head.contains("<th>Who<th>") && head.ends_with("<th>Evidence"),
        "{head}"
    );
    assert!(!head.contains("<th>Source"), "{head}");
    // One day: a time is enough (10:20 UTC in the fixture's Europe/Berlin).
    assert!(one.contains("Evidence: timeline event at 12:20"), "{one}");
    // Triage symptoms are inline Markdown, like event text.
    assert!(
        one.contains("<li><code>orders-db</code> replica lag over <em>30 s</em></li>"),
        "symptom not rendered:\n{}",
        between(&one, "id=\"review-triage\"", "</details>")
    );
}

#[test]
fn the_drawing_is_written_in_whole_units() {
    // Half a unit of a 1000-unit drawing is under a pixel: the page carries
    // whole numbers (a few hundred of them a drawing), never `193.3`.
    let p = built("timeline");
    for id in [
        "2026-03-10-silent-and-explained-gaps",
        "2026-03-20-overnight-batch",
        "2026-04-01-lone-event",
    ] {
        let page = page(&p, id);
        let svg = timeline_svg(&page).unwrap_or_else(|| panic!("{id}: no drawing"));
        for attr in [
            " x=\"",
            " y=\"",
            " cx=\"",
            " cy=\"",
            " r=\"",
            " width=\"",
            " d=\"",
            " points=\"",
        ] {
            for value in svg.split(attr).skip(1) {
                let value = value.split('"').next().unwrap_or_default();
                assert!(
                    !value.contains('.'),
                    "{id}: {}{value}\" is not in whole units",
                    attr.trim_start()
                );
            }
        }
        // One path draws every flag's pole, and no mark repeats the event
        // table in a tooltip.
        assert_eq!(svg.matches("<path class=\"tl-poles\"").count(), 1, "{id}");
        let marks = between(svg, "<g class=\"tl-events\">", "</g>");
        assert!(!marks.contains("<title>"), "{id}: a mark has a tooltip");
    }
}
