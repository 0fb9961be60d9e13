use jiff::{SignedDuration, Timestamp};

use super::axis::tick_step;
use super::draw::draw;
use super::flags::{Flag, assign_lanes, overlaps};
use super::scale::choose_breaks;
use super::shapes::*;
use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Events as (time, milestone step), gaps as (from, to, explanation).
fn input(events: &[(&str, Option<&'static str>)], gaps: &[(&str, &str, Option<&str>)]) -> Input {
    let mut instants: Vec<Instant> = Vec::new();
    for (at, step) in events {
        let at = ts(at);
        let milestones: Vec<_> = step.iter().map(|s| (*s, milestone_label(s))).collect();
        match instants.last_mut() {
            Some(last) if last.at == at => {
                last.texts.push("e".into());
                last.milestones.extend(milestones);
            }
            _ => instants.push(Instant {
                at,
                texts: vec!["e".into()],
                milestones,
            }),
        }
    }
    Input {
        tz: TimeZone::UTC,
        zone_name: "UTC".into(),
        events: events.len(),
        window: instants
            .first()
            .zip(instants.last())
            .map(|(a, b)| (a.at, b.at)),
        instants,
        gaps: gaps
            .iter()
            .enumerate()
            .map(|(i, (from, to, why))| GapIn {
                from: ts(from),
                to: ts(to),
                explanation: why.map(str::to_owned),
                before_anchor: format!("event-{}", i + 2),
            })
            .collect(),
        threshold: SignedDuration::from_mins(30),
    }
}

fn xs(svg: &TimelineSvg) -> Vec<f64> {
    svg.events.iter().map(|e| e.x).collect()
}

/// Every number in the drawing, for the rounding and bounds checks.
fn numbers(svg: &TimelineSvg) -> Vec<f64> {
    fn walk(v: &serde_json::Value, out: &mut Vec<f64>) {
        match v {
            serde_json::Value::Number(n) => out.extend(n.as_f64()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::to_value(svg).unwrap(), &mut out);
    out
}

fn texts_overlap(a: &TextAt, b: &TextAt, font: f64) -> bool {
    let span = |t: &TextAt| {
        let w = text_width(&t.text, font);
        match t.anchor {
            "end" => (t.x - w, t.x),
            "middle" => (t.x - w / 2.0, t.x + w / 2.0),
            _ => (t.x, t.x + w),
        }
    };
    a.y == b.y && overlaps(span(a), span(b))
}

#[test]
fn tick_steps_grow_with_the_span() {
    // k is units per second; a step is chosen so ticks are >= 80 apart.
    let per_hour = |units: f64| units / 3600.0;
    assert_eq!(tick_step(per_hour(1000.0)), 5); // 5m = 83 units
    assert_eq!(tick_step(per_hour(920.0)), 10); // 5m = 77: too tight
    assert_eq!(tick_step(per_hour(920.0 / 2.0)), 15);
    assert_eq!(tick_step(per_hour(920.0 / 5.0)), 30);
    assert_eq!(tick_step(per_hour(920.0 / 10.0)), 60);
    assert_eq!(tick_step(per_hour(920.0 / 20.0)), 120);
    assert_eq!(tick_step(per_hour(920.0 / 48.0)), 360);
    assert_eq!(tick_step(per_hour(920.0 / 200.0)), 1440);
    assert_eq!(tick_step(per_hour(920.0 / 10_000.0)), 10080);
    assert_eq!(tick_step(0.0), 10080);
}

#[test]
fn a_hand_worked_example_places_events_by_time() {
    // 10:00 to 11:00 on a 920-unit track from x = 40: 15 minutes is 230.
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", None),
            ("2026-11-03T10:15:00Z", None),
            ("2026-11-03T11:00:00Z", None),
        ],
        &[],
    ))
    .unwrap();
    assert_eq!(xs(&svg), vec![40.0, 270.0, 960.0]);
    assert!(svg.breaks.is_empty());
    assert_eq!(svg.width, 1000.0);
    // No flags: the band starts under the top padding.
    assert_eq!(svg.band.y, 10.0);
    assert_eq!(svg.center_y, 38.0);
    assert!(svg.events.iter().all(|e| e.y == 38.0 && !e.milestone));
    // 10-minute ticks (5m would be 77 units apart), the day on the first.
    let ticks: Vec<(&str, f64)> = svg
        .ticks
        .iter()
        .map(|t| (t.label.text.as_str(), t.x))
        .collect();
    assert_eq!(
        ticks,
        vec![
            ("10:00", 40.0),
            ("10:10", 193.3),
            ("10:20", 346.7),
            ("10:30", 500.0),
            ("10:40", 653.3),
            ("10:50", 806.7),
            ("11:00", 960.0)
        ]
    );
    assert_eq!(
        svg.ticks[0].date.as_ref().map(|d| d.text.as_str()),
        Some("3 Nov")
    );
    assert!(svg.ticks[1..].iter().all(|t| t.date.is_none()));
    assert_eq!(svg.zone.text, "Times in UTC");
    assert_eq!(svg.view_box, format!("0 0 1000 {}", svg.height));
}

#[test]
fn gap_rectangles_span_the_silence_and_carry_their_length() {
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", None),
            ("2026-11-03T10:15:00Z", None),
            ("2026-11-03T11:00:00Z", None),
        ],
        &[("2026-11-03T10:15:00Z", "2026-11-03T11:00:00Z", None)],
    ))
    .unwrap();
    let g = &svg.gaps[0];
    assert_eq!(
        g.rect,
        Rect {
            x: 270.0,
            y: 10.0,
            width: 690.0,
            height: BAND_H
        }
    );
    assert!(!g.explained);
    assert_eq!(g.length, "45m");
    assert_eq!((g.from.as_str(), g.to.as_str()), ("10:15", "11:00"));
    // The label fits inside, centred on the silence, on the marker line.
    assert_eq!(g.label.text, "⚠ 45m");
    assert_eq!(
        (g.label.x, g.label.y, g.label.anchor),
        (615.0, 42.0, "middle")
    );
    assert!(g.leader.is_none());
    assert_eq!(
        g.title,
        "Unexplained gap of 45m, 10:15 → 11:00: no event recorded for longer than 30m"
    );
    assert_eq!(g.before_anchor, "event-2");
    assert!(svg.desc.contains("1 unexplained gap longer than 30m"));
    assert!(svg.legend.iter().any(|l| l.kind == "gap-unexplained"));
}

#[test]
fn explained_gaps_keep_their_reason() {
    // 10:00, 10:31 (a 31-minute gap), 10:40, then 18:00: the long
    // silence becomes a break.
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", None),
            ("2026-11-03T10:31:00Z", None),
            ("2026-11-03T10:40:00Z", None),
            ("2026-11-03T18:00:00Z", None),
        ],
        &[
            (
                "2026-11-03T10:00:00Z",
                "2026-11-03T10:31:00Z",
                Some("vendor & <co>"),
            ),
            (
                "2026-11-03T10:40:00Z",
                "2026-11-03T18:00:00Z",
                Some("overnight"),
            ),
        ],
    ))
    .unwrap();
    assert!(svg.gaps.iter().all(|g| g.explained));
    assert_eq!(svg.gaps[0].explanation.as_deref(), Some("vendor & <co>"));
    assert_eq!(
        svg.gaps[0].title,
        "Explained gap of 31m, 10:00 → 10:31: vendor & <co>"
    );
    assert!(svg.desc.contains("2 gaps longer than 30m, all explained"));
    // The 7h 20m silence is drawn as a break.
    assert_eq!(svg.breaks.len(), 1);
    assert!(svg.breaks[0].gap && svg.breaks[0].label.is_none());
    assert!(svg.gaps[1].compressed);
    assert!(svg.gaps[1].title.contains("drawn shorter than to scale"));
    assert_eq!(svg.gaps[1].rect.width, BREAK_W);
}

#[test]
fn a_gap_too_narrow_for_its_label_gets_a_flag() {
    // Events every 25 minutes for 12 hours (no silence long enough to
    // break), with one 31-minute gap: 40 units, too narrow for "⚠ 31m".
    let mut events = vec!["2026-11-03T10:00:00Z".to_owned()];
    let mut t = ts("2026-11-03T10:31:00Z");
    while t <= ts("2026-11-03T22:00:00Z") {
        events.push(t.to_string());
        t = t.checked_add(SignedDuration::from_mins(25)).unwrap();
    }
    let events: Vec<(&str, Option<&'static str>)> =
        events.iter().map(|e| (e.as_str(), None)).collect();
    let svg = draw(&input(
        &events,
        &[("2026-11-03T10:00:00Z", "2026-11-03T10:31:00Z", None)],
    ))
    .unwrap();
    assert!(svg.breaks.is_empty());
    let g = &svg.gaps[0];
    assert!(g.rect.width < text_width(&g.label.text, SMALL_FONT) + 8.0);
    // The label sits in the lane above the band, on a pole from the
    // middle of the rectangle down to its top.
    let leader = g.leader.unwrap();
    assert_eq!(leader.x1, r1(g.rect.x + g.rect.width / 2.0));
    assert_eq!(leader.y2, svg.band.y);
    assert_eq!(g.label.y, svg.band.y - 8.0);
    assert_eq!(g.label.anchor, "start");
}

#[test]
fn long_silences_become_breaks_and_the_rest_is_to_scale() {
    // A busy hour, three days of quiet, a busy half hour.
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", Some("impact-start")),
            ("2026-11-03T10:10:00Z", Some("detected")),
            ("2026-11-03T10:20:00Z", None),
            ("2026-11-03T11:00:00Z", Some("mitigate")),
            ("2026-11-06T09:00:00Z", None),
            ("2026-11-06T09:30:00Z", Some("verify-resolution")),
        ],
        &[(
            "2026-11-03T11:00:00Z",
            "2026-11-06T09:00:00Z",
            Some("waiting for the weekly batch"),
        )],
    ))
    .unwrap();
    assert_eq!(svg.breaks.len(), 1);
    // 90 minutes to scale share 920 - 72 = 848 units.
    let x = xs(&svg);
    assert_eq!(x[0], 40.0);
    assert_eq!(x[1], r1(40.0 + 848.0 / 9.0));
    assert_eq!(x[3], r1(40.0 + 848.0 * 60.0 / 90.0));
    assert_eq!(x[4], r1(x[3] + BREAK_W));
    assert_eq!(x[5], 960.0);
    // The days show where they change, on both sides of the break.
    let days: Vec<&str> = svg
        .ticks
        .iter()
        .filter_map(|t| t.date.as_ref().map(|d| d.text.as_str()))
        .collect();
    assert_eq!(days, vec!["3 Nov", "6 Nov"]);
    assert!(svg.desc.contains("drawn shorter than to scale"));
    assert!(svg.legend.iter().any(|l| l.kind == "break"));
    // Milestone flags across days name the day where it changes.
    let labels: Vec<&str> = svg
        .milestones
        .iter()
        .map(|m| m.label.text.as_str())
        .collect();
    assert_eq!(
        labels,
        vec![
            "Impact started 3 Nov 10:00",
            "Detected 10:10",
            "Mitigated 11:00",
            "Resolved 6 Nov 09:30"
        ]
    );
}

#[test]
fn flags_never_overlap_and_poles_cross_no_text_below() {
    // Five milestones within four minutes: a staircase of lanes.
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", Some("impact-start")),
            ("2026-11-03T10:01:00Z", Some("detected")),
            ("2026-11-03T10:02:00Z", Some("acknowledge")),
            ("2026-11-03T10:03:00Z", Some("mitigate")),
            ("2026-11-03T10:04:00Z", Some("verify-resolution")),
            ("2026-11-03T10:30:00Z", None),
        ],
        &[],
    ))
    .unwrap();
    let m = &svg.milestones;
    assert_eq!(m.len(), 5);
    for (i, a) in m.iter().enumerate() {
        for b in &m[i + 1..] {
            assert!(
                !texts_overlap(&a.label, &b.label, LABEL_FONT),
                "{a:?} / {b:?}"
            );
        }
        // A pole from a higher lane passes no label below it.
        for b in m.iter().filter(|b| b.label.y > a.label.y) {
            let w = text_width(&b.label.text, LABEL_FONT);
            let (l, r) = (b.label.x, b.label.x + w);
            assert!(!(l < a.pole.x1 && a.pole.x1 < r), "{a:?} crosses {b:?}");
        }
    }
    // Earlier milestones sit higher.
    assert!(m.windows(2).all(|w| w[0].label.y < w[1].label.y));
    // Poles run from the label down to the diamond.
    assert!(m.iter().all(|f| f.pole.y2 == r1(svg.center_y - DIAMOND)));
}

#[test]
fn lanes_stagger_only_what_collides() {
    let flags = [
        Flag {
            x: 100.0,
            width: 100.0,
        },
        Flag {
            x: 150.0,
            width: 100.0,
        },
        Flag {
            x: 600.0,
            width: 100.0,
        },
    ];
    assert_eq!(assign_lanes(&flags), vec![1, 0, 0]);
    // Near the right edge a flag's text runs left of its pole.
    let edge = Flag {
        x: 990.0,
        width: 100.0,
    };
    assert!(edge.flipped());
    assert_eq!(edge.anchor(), "end");
    assert_eq!(assign_lanes(&[]), Vec::<usize>::new());
}

#[test]
fn a_single_event_sits_in_the_middle_of_an_hour() {
    let svg = draw(&input(&[("2026-11-03T14:02:00Z", Some("detected"))], &[])).unwrap();
    assert_eq!(xs(&svg), vec![500.0]);
    assert!(svg.events[0].milestone);
    assert!(
        svg.ticks
            .iter()
            .any(|t| t.label.text == "14:02" && t.x == 500.0)
    );
    assert_eq!(
        svg.desc,
        "Timeline of 1 event at 14:02 UTC on 2026-11-03; no gap longer than 30m."
    );
    assert!(svg.gaps.is_empty() && svg.breaks.is_empty());
}

#[test]
fn events_at_one_instant_share_one_marker() {
    let svg = draw(&input(
        &[
            ("2026-11-03T14:02:00Z", Some("impact-start")),
            ("2026-11-03T14:02:00Z", Some("detected")),
            ("2026-11-03T14:02:00Z", None),
        ],
        &[],
    ))
    .unwrap();
    assert_eq!(svg.events.len(), 1);
    assert_eq!(svg.events[0].title.matches("\n– ").count(), 3);
    assert_eq!(svg.milestones.len(), 2);
    assert!(svg.desc.starts_with("Timeline of 3 events at 14:02 UTC"));
}

#[test]
fn no_events_no_drawing() {
    assert!(draw(&input(&[], &[])).is_none());
}

#[test]
fn numbers_are_rounded_and_inside_the_drawing() {
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", Some("impact-start")),
            ("2026-11-03T10:07:13Z", Some("detected")),
            ("2026-11-03T10:19:59Z", None),
            ("2026-11-04T03:00:01Z", Some("verify-resolution")),
        ],
        &[("2026-11-03T10:19:59Z", "2026-11-04T03:00:01Z", None)],
    ))
    .unwrap();
    for n in numbers(&svg) {
        assert_eq!(
            (n * 10.0).round(),
            n * 10.0,
            "{n} has more than one decimal"
        );
        assert!((-0.0..=WIDTH).contains(&n) || n <= svg.height, "{n}");
    }
    let x = xs(&svg);
    assert!(x.windows(2).all(|w| w[0] < w[1]));
    assert!(x.iter().all(|x| (PAD_X..=PAD_X + TRACK).contains(x)));
}

#[test]
fn local_ticks_and_days_follow_the_zone() {
    let mut i = input(
        &[
            ("2026-11-03T22:00:00Z", None),
            ("2026-11-03T23:30:00Z", None),
        ],
        &[],
    );
    i.tz = TimeZone::get("Europe/Berlin").unwrap();
    i.zone_name = "Europe/Berlin".into();
    let svg = draw(&i).unwrap();
    // 23:00 to 00:30 in Berlin: the day changes at the 00:00 tick.
    let labelled: Vec<(String, Option<String>)> = svg
        .ticks
        .iter()
        .map(|t| {
            (
                t.label.text.clone(),
                t.date.as_ref().map(|d| d.text.clone()),
            )
        })
        .collect();
    assert!(labelled.contains(&("23:00".into(), Some("3 Nov".into()))));
    assert!(labelled.contains(&("00:00".into(), Some("4 Nov".into()))));
    assert_eq!(svg.zone.text, "Times in Europe/Berlin (CET)");
}

#[test]
fn choose_breaks_takes_the_longest_silences_first_and_stops() {
    let h = 3600;
    // Ten-minute steps around a 3-day silence: only it is broken.
    let s = [600, 600, 600, 72 * h, 600, 600];
    assert_eq!(
        choose_breaks(&s, 1800),
        vec![false, false, false, true, false, false]
    );
    // Short silences are never broken, however crowded.
    assert_eq!(choose_breaks(&[60, 60, 50 * 60], 1800), vec![false; 3]);
    // Never the last silence drawn to scale.
    assert_eq!(choose_breaks(&[10 * h], 1800), vec![false]);
    assert_eq!(choose_breaks(&[], 1800), Vec::<bool>::new());
}

/// An incident read the way `pm build` reads it, with its analysis.
fn analysed(front: &str) -> (Incident, Analysis) {
    let incident = crate::analysis::test_incident(front);
    let analysis = crate::analysis::analyze_incident(
        &incident,
        &crate::config::Config::default(),
        &crate::markdown::Markdown::new(),
        crate::markdown::Depth::Outline,
    );
    (incident, analysis)
}

#[test]
fn events_written_out_of_order_are_drawn_in_time_order() {
    let (incident, analysis) = analysed(
        r#"
[[timeline]]
at = 2026-11-03T10:00:00Z
text = "impact"
step = "impact-start"
[[timeline]]
at = 2026-11-03T10:40:00Z
text = "**fixed**"
step = "mitigate"
[[timeline]]
at = 2026-11-03T10:10:00Z
text = "paged, written late"
step = "detected"
"#,
    );
    let md = crate::markdown::Markdown::new();
    let text: Vec<String> = incident
        .timeline
        .iter()
        .map(|e| md.inline_and_text(&e.text).1)
        .collect();
    let svg = layout(&incident, &analysis, &text).unwrap();
    assert_eq!(svg.events.len(), 3);
    let x = xs(&svg);
    assert!(x.windows(2).all(|w| w[0] < w[1]), "{x:?}");
    assert!(svg.events[1].title.ends_with("paged, written late"));
    assert!(svg.events[2].title.contains("Mitigated"));
    assert!(svg.events[2].title.ends_with("fixed"));
    // The 30-minute silence is not longer than the threshold: no gap.
    assert!(svg.gaps.is_empty());
    let steps: Vec<&str> = svg.milestones.iter().map(|m| m.step).collect();
    assert_eq!(steps, vec!["impact-start", "detected", "mitigate"]);
}

#[test]
fn an_incident_without_events_has_no_drawing() {
    let (incident, analysis) = analysed("");
    assert!(layout(&incident, &analysis, &[]).is_none());
}

#[test]
fn tooltips_keep_the_text_a_reader_sees() {
    let (incident, analysis) = analysed(
        r#"
[[timeline]]
at = 2026-11-03T10:00:00Z
text = "Pool at `20` &amp; **falling** <b> 'x' [link](https://x)\\\n text ![alt](a.png)"
"#,
    );
    let md = crate::markdown::Markdown::new();
    let text: Vec<String> = incident
        .timeline
        .iter()
        .map(|e| md.inline_and_text(&e.text).1)
        .collect();
    let svg = layout(&incident, &analysis, &text).unwrap();
    assert!(
        svg.events[0]
            .title
            .ends_with("– Pool at 20 & falling <b> 'x' link text"),
        "{}",
        svg.events[0].title
    );
}

/// Every text of the drawing with the font size the layout measured it at.
fn all_texts(svg: &TimelineSvg) -> Vec<(&TextAt, f64)> {
    let mut out: Vec<(&TextAt, f64)> = Vec::new();
    out.extend(svg.milestones.iter().map(|m| (&m.label, LABEL_FONT)));
    out.extend(svg.gaps.iter().map(|g| (&g.label, SMALL_FONT)));
    out.extend(
        svg.breaks
            .iter()
            .filter_map(|b| b.label.as_ref())
            .map(|t| (t, SMALL_FONT)),
    );
    for t in &svg.ticks {
        out.push((&t.label, SMALL_FONT));
        out.extend(t.date.as_ref().map(|d| (d, SMALL_FONT)));
    }
    out.push((&svg.zone, SMALL_FONT));
    out.extend(svg.legend.iter().map(|l| (&l.label, SMALL_FONT)));
    out.extend(
        svg.events
            .iter()
            .filter_map(|e| e.count_label.as_ref())
            .map(|t| (t, COUNT_FONT)),
    );
    out
}

/// A text's box: its estimated width placed by its anchor, from a font size
/// above the baseline to a quarter below it (descenders).
fn text_box(t: &TextAt, font: f64) -> ((f64, f64), (f64, f64)) {
    let w = text_width(&t.text, font);
    let x = match t.anchor {
        "end" => (t.x - w, t.x),
        "middle" => (t.x - w / 2.0, t.x + w / 2.0),
        _ => (t.x, t.x + w),
    };
    (x, (t.y - font, t.y + font / 4.0))
}

/// The pairs of texts whose boxes overlap.
fn overlapping_texts(svg: &TimelineSvg) -> Vec<String> {
    let texts = all_texts(svg);
    let mut out = Vec::new();
    for (i, (a, fa)) in texts.iter().enumerate() {
        let (ax, ay) = text_box(a, *fa);
        for (b, fb) in &texts[i + 1..] {
            let (bx, by) = text_box(b, *fb);
            if overlaps(ax, bx) && overlaps(ay, by) {
                out.push(format!(
                    "{:?} at ({}, {}) / {:?} at ({}, {})",
                    a.text, a.x, a.y, b.text, b.x, b.y
                ));
            }
        }
    }
    out
}

/// `n` events `step_mins` apart from 10:00 on 3 Nov, the first five the
/// milestones in order.
fn every(n: usize, step_mins: i64) -> Vec<(String, Option<&'static str>)> {
    let steps = [
        "impact-start",
        "detected",
        "acknowledge",
        "mitigate",
        "verify-resolution",
    ];
    let start = ts("2026-11-03T10:00:00Z");
    (0..n)
        .map(|i| {
            let at = start + SignedDuration::from_mins(step_mins * i as i64);
            (at.to_string(), steps.get(i).copied())
        })
        .collect()
}

fn owned_input(events: &[(String, Option<&'static str>)], gaps: &[(String, String)]) -> Input {
    let events: Vec<(&str, Option<&'static str>)> =
        events.iter().map(|(a, s)| (a.as_str(), *s)).collect();
    let gaps: Vec<(&str, &str, Option<&str>)> = gaps
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str(), None))
        .collect();
    input(&events, &gaps)
}

#[test]
fn crowded_timelines_have_no_overlapping_text() {
    // Sixty events a minute apart, the milestones in the first five minutes.
    let burst = owned_input(&every(60, 1), &[]);
    // Twenty silences of 35 minutes, each an unexplained gap too narrow for
    // its label: twenty flags competing for lanes with the milestones.
    let events = every(21, 35);
    let gaps: Vec<(String, String)> = events
        .windows(2)
        .map(|w| (w[0].0.clone(), w[1].0.clone()))
        .collect();
    let silences = owned_input(&events, &gaps);
    // Bursts a few days apart: breaks, day changes on ticks and labels.
    let mut days = every(12, 2);
    for d in 1..4 {
        let at = ts("2026-11-03T10:00:00Z") + SignedDuration::from_hours(26 * d);
        for m in 0..6 {
            days.push(((at + SignedDuration::from_mins(3 * m)).to_string(), None));
        }
    }
    let days = owned_input(&days, &[]);
    for (name, input) in [("burst", burst), ("silences", silences), ("days", days)] {
        let svg = draw(&input).unwrap();
        let bad = overlapping_texts(&svg);
        assert!(
            bad.is_empty(),
            "{name}: overlapping texts:\n{}",
            bad.join("\n")
        );
        // Everything stays inside the drawing.
        for (t, font) in all_texts(&svg) {
            let ((l, r), (top, _)) = text_box(t, font);
            assert!(
                l >= 0.0 && r <= WIDTH && top >= 0.0,
                "{name}: {t:?} leaves the drawing"
            );
        }
    }
}

#[test]
fn the_overlap_check_sees_overlapping_text() {
    // The check above must be able to fail: two labels on one spot.
    let mut svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", Some("detected")),
            ("2026-11-03T11:00:00Z", None),
        ],
        &[],
    ))
    .unwrap();
    let mut twin = svg.milestones[0].clone();
    twin.label.x += 5.0;
    svg.milestones.push(twin);
    assert_eq!(overlapping_texts(&svg).len(), 1);
}

#[test]
fn close_events_share_one_mark_with_their_count() {
    let svg = draw(&input(
        &[
            ("2026-11-03T10:00:00Z", Some("impact-start")),
            ("2026-11-03T10:00:30Z", None),
            ("2026-11-03T10:00:30Z", None),
            ("2026-11-03T11:00:00Z", None),
        ],
        &[],
    ))
    .unwrap();
    assert_eq!(svg.events.len(), 2, "{:?}", svg.events);
    let first = &svg.events[0];
    assert_eq!(first.count, 3);
    assert!(first.milestone);
    assert_eq!(
        first.count_label.as_ref().map(|t| t.text.as_str()),
        Some("3")
    );
    assert!(
        first.title.starts_with("3 events close together:"),
        "{}",
        first.title
    );
    assert!(first.title.contains("Impact started"));
    // A lone event keeps its small dot and has no count.
    assert_eq!(svg.events[1].count, 1);
    assert!(svg.events[1].count_label.is_none());
    assert_eq!(svg.events[1].r, DOT);
    assert!(svg.legend.iter().any(|l| l.kind == "cluster"));
}

#[test]
fn every_kind_of_mark_is_in_the_legend() {
    let mut inp = input(
        &[
            ("2026-11-03T10:00:00Z", Some("impact-start")),
            ("2026-11-03T11:00:00Z", Some("verify-resolution")),
            ("2026-11-03T11:30:00Z", None),
        ],
        &[("2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z", None)],
    );
    inp.window = Some((ts("2026-11-03T10:00:00Z"), ts("2026-11-03T11:00:00Z")));
    let svg = draw(&inp).unwrap();
    assert!(svg.events.last().unwrap().outside);
    let kinds: Vec<&str> = svg.legend.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        vec!["event", "milestone", "outside", "window", "gap-unexplained"]
    );
    // A legend too long for one row wraps instead of leaving the drawing.
    assert!(
        svg.legend
            .iter()
            .all(|l| l.label.x + text_width(&l.label.text, SMALL_FONT) <= WIDTH)
    );
}
