use super::draw::{column_labels, frame};
use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn sevs() -> Vec<String> {
    ["SEV1", "SEV2", "SEV3", "SEV4"].map(str::to_owned).to_vec()
}

// The plot area every test works from: 44 px margin left, 12 right, 20 top,
// 40 bottom; a wide or narrow canvas is 240 high, so the zero line is at
// y = 200 and the plot is 180 high.
#[test]
fn the_frame_is_the_size_less_the_margins() {
    let f = frame(WIDE);
    assert_eq!((f.x, f.y, f.width, f.height), (44.0, 20.0, 1044.0, 180.0));
    assert_eq!((f.right, f.bottom), (1088.0, 200.0));
}

#[test]
fn nice_axes_are_integer_and_no_higher_than_needed() {
    // Every bar at 1: the axis ends at 1, not 2.
    assert_eq!(nice_axis(1.0, 4), (1.0, 1.0));
    assert_eq!(nice_axis(0.0, 4), (1.0, 1.0));
    assert_eq!(nice_axis(3.0, 4), (3.0, 1.0));
    assert_eq!(nice_axis(6.0, 4), (6.0, 2.0));
    assert_eq!(nice_axis(7.0, 4), (8.0, 2.0));
    assert_eq!(nice_axis(13.0, 4), (15.0, 5.0));
    assert_eq!(nice_axis(f64::NAN, 4), (1.0, 1.0));
}

#[test]
fn the_window_is_the_records_own_span_or_its_newest_months() {
    // Old records keep their history: no "24 months before today".
    let w = month_window(&[d("2019-12-15"), d("2020-02-01")], None);
    let names: Vec<String> = w.iter().map(|m| m.name()).collect();
    assert_eq!(names, ["December 2019", "January 2020", "February 2020"]);
    let w = month_window(&[d("2020-01-01"), d("2026-11-02")], None);
    assert_eq!(w.len(), 83);
    let w = month_window(&[d("2020-01-01"), d("2026-11-02")], Some(24));
    assert_eq!(w.len(), 24);
    assert_eq!(w[0].name(), "December 2024");
    assert_eq!(w[23].name(), "November 2026");
    assert!(month_window(&[], None).is_empty());
}

/// Three months, four incidents: Jan has one SEV1 and one SEV3, Feb
/// none, Mar one SEV2 on top of one SEV1.
///
/// Max total 2 → axis 0..2, step 1 (ticks at 200, 110, 20). Three
/// columns over 1044 px: band 348, bar 243.6, centred at 218 and 914.
/// One incident is 90 px high; the total is printed 4 px over the stack.
#[test]
fn incidents_per_month_geometry() {
    let window = month_window(&[d("2026-01-05"), d("2026-03-20")], None);
    let c = incidents_per_month(
        &sevs(),
        &[
            (d("2026-01-05"), 0),
            (d("2026-01-20"), 2),
            (d("2026-03-20"), 1),
            (d("2026-03-02"), 0),
        ],
        &window,
    );
    let wide = &c.drawings[0];
    assert_eq!(wide.class, "is-wide");
    let ticks: Vec<(f64, &str)> = wide
        .y_ticks
        .iter()
        .map(|t| (t.y, t.label.as_str()))
        .collect();
    assert_eq!(ticks, [(200.0, "0"), (110.0, "1"), (20.0, "2")]);
    let bars: Vec<(f64, f64, f64, f64, &str)> = wide
        .bars()
        .map(|b| (b.x, b.y, b.width, b.height, b.class.as_str()))
        .collect();
    assert_eq!(
        bars,
        [
            (96.2, 110.0, 243.6, 90.0, "chart-sev-1"),
            (96.2, 20.0, 243.6, 90.0, "chart-sev-3"),
            (792.2, 110.0, 243.6, 90.0, "chart-sev-1"),
            (792.2, 20.0, 243.6, 90.0, "chart-sev-2"),
        ]
    );
    let values: Vec<(&str, f64, f64)> = wide
        .columns
        .iter()
        .map(|c| (c.value.as_str(), c.value_x, c.value_y))
        .collect();
    assert_eq!(values, [("2", 218.0, 16.0), ("2", 914.0, 16.0)]);
    assert_eq!(wide.columns[1].bars[1].title, "March 2026: 1 SEV2");
    let labels: Vec<(f64, &str, Option<&str>)> = wide
        .x_labels
        .iter()
        .map(|l| (l.x, l.text.as_str(), l.year.as_deref()))
        .collect();
    assert_eq!(
        labels,
        [
            (218.0, "Jan", Some("2026")),
            (566.0, "Feb", None),
            (914.0, "Mar", None)
        ]
    );
    assert_eq!(c.table.rows[1], ["February 2026", "0", "0", "0", "0", "0"]);
    assert_eq!(c.table.rows[2], ["March 2026", "1", "1", "0", "0", "2"]);
    assert!(c.desc.contains("4 incidents in total"), "{}", c.desc);
    assert!(
        c.desc.contains("busiest month was January 2026 with 2"),
        "{}",
        c.desc
    );
    assert!(c.desc.contains("1 month without incidents"), "{}", c.desc);
}

/// The compact drawing (for phones) shows the newest 12 months and says
/// so; the data table keeps every month.
#[test]
fn compact_drawings_show_the_newest_months() {
    let window = month_window(&[d("2025-01-05"), d("2026-06-20")], None);
    assert_eq!(window.len(), 18);
    let c = incidents_per_month(
        &sevs(),
        &[(d("2025-01-05"), 0), (d("2026-06-20"), 1)],
        &window,
    );
    let compact = &c.drawings[1];
    assert_eq!(
        (compact.class, compact.width),
        ("is-compact", COMPACT.width)
    );
    assert_eq!(
        compact.columns.len(),
        1,
        "January 2025 is not in the newest 12"
    );
    assert_eq!(
        compact.x_labels.last().map(|l| l.text.as_str()),
        Some("Jun")
    );
    assert!(
        compact.note.contains("newest 12 months"),
        "{}",
        compact.note
    );
    assert!(c.drawings[0].note.is_empty());
    assert_eq!(c.table.rows.len(), 18);
}

/// Two quarters (Q4 2025: Nov and Dec; Q1 2026: Jan): Q4 medians 1h
/// and 3h → 2h; Q1 has one incident, not measured.
///
/// Max 2h → hours axis 0..2 step 1 (linear: one value). Two columns over
/// the narrow plot (504 px): band 252, so Q4's point is at x = 170, y at
/// 2h of 2h = 20. No line: a single point; its label fits above it.
#[test]
fn resolve_per_quarter_geometry() {
    let h = |n| Some(SignedDuration::from_hours(n));
    let window = month_window(&[d("2025-11-10"), d("2026-01-03")], None);
    let c = resolve_per_quarter(
        &[
            (d("2025-11-10"), h(1)),
            (d("2025-12-01"), h(3)),
            (d("2026-01-03"), None),
        ],
        &window,
    );
    let wide = &c.drawings[0];
    let ticks: Vec<(f64, &str)> = wide
        .y_ticks
        .iter()
        .map(|t| (t.y, t.label.as_str()))
        .collect();
    assert_eq!(ticks, [(200.0, "0h"), (110.0, "1h"), (20.0, "2h")]);
    assert_eq!(wide.points.len(), 1);
    let p = &wide.points[0];
    assert_eq!(
        (p.x, p.y, p.label.as_str(), p.label_x, p.label_y),
        (170.0, 20.0, "2h 0m", 170.0, 11.0)
    );
    assert_eq!(p.title, "Q4 2025: median 2h 0m, from 2 of 2 incidents");
    assert!(wide.lines.is_empty());
    assert_eq!(c.table.rows[1], ["Q1 2026", "—", "from 0 of 1 incident"]);
    assert!(
        c.desc
            .contains("Only Q4 2025 has a measured incident: 2h 0m"),
        "{}",
        c.desc
    );
}

/// Q1 45m, Q2 none, Q3 90m and Q4 30m: minutes axis (max 90m < 2h, 3x the
/// least), 0..100 step 50. Four columns over 504 px: band 126, centres
/// 107, 233, 359, 485. Q2 breaks the line: one line Q3–Q4 only.
#[test]
fn a_quarter_without_data_breaks_the_line() {
    let m = |n| Some(SignedDuration::from_mins(n));
    let window = month_window(&[d("2026-01-10"), d("2026-12-01")], None);
    let c = resolve_per_quarter(
        &[
            (d("2026-01-10"), m(45)),
            (d("2026-07-10"), m(90)),
            (d("2026-12-01"), m(30)),
        ],
        &window,
    );
    let wide = &c.drawings[0];
    let ticks: Vec<&str> = wide.y_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(ticks, ["0m", "50m", "100m"]);
    let pts: Vec<(f64, f64)> = wide.points.iter().map(|p| (p.x, p.y)).collect();
    // 45m: 200 - 0.45 * 180 = 119; 90m: 38; 30m: 146.
    assert_eq!(pts, [(107.0, 119.0), (359.0, 38.0), (485.0, 146.0)]);
    assert_eq!(wide.lines.len(), 1);
    assert_eq!(wide.lines[0].points, "359,38 485,146");
    assert!(
        c.desc
            .contains("Shortest: 30m in Q4 2026; longest: 1h 30m in Q3 2026")
    );
    assert!(
        c.desc
            .contains("1 quarter without a measured incident has no point")
    );
}

/// The example set's shape: quarters of about 1 to 8 hours and one of
/// 7 d 19 h. The axis turns logarithmic (10m to 30d), every point is on the
/// scale (none pinned at the edge), the largest value is printed, and the
/// line runs through none of the labels.
#[test]
fn a_far_larger_value_gets_a_logarithmic_axis_and_stays_readable() {
    let mins = |n| Some(SignedDuration::from_mins(n));
    let window = month_window(&[d("2025-03-10"), d("2025-12-01")], None);
    let c = resolve_per_quarter(
        &[
            (d("2025-03-10"), mins(153)),
            (d("2025-05-10"), mins(42)),
            (d("2025-08-10"), mins(490)),
            (d("2025-12-01"), mins(11_220)),
        ],
        &window,
    );
    let wide = &c.drawings[0];
    let ticks: Vec<&str> = wide.y_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(ticks, ["10m", "1h", "6h", "1d", "1w", "30d"]);
    assert!(wide.note.contains("Logarithmic"), "{}", wide.note);
    assert!(c.desc.contains("logarithmic scale"), "{}", c.desc);
    let top = wide.plot.y;
    for p in &wide.points {
        assert!(p.y > top && p.y < wide.plot.bottom, "{p:?} is on the scale");
    }
    assert_eq!(wide.points[3].label, "7d 19h");
    let segs: Vec<((f64, f64), (f64, f64))> = wide
        .points
        .windows(2)
        .map(|w| ((w[0].x, w[0].y), (w[1].x, w[1].y)))
        .collect();
    for p in &wide.points {
        let half = p.label.chars().count() as f64 * 3.4;
        let rect = (
            p.label_x - half,
            p.label_y - 11.0,
            p.label_x + half,
            p.label_y + 3.0,
        );
        for (a, b) in &segs {
            assert!(
                !draw::tests::hits(*a, *b, rect),
                "the line runs through {}",
                p.label
            );
        }
    }
}

/// Two months: January opens 3 and closes 1, February closes 2; one
/// closed item has no date. Max 3 → axis 0..3 step 1. Band 252 over the
/// 504 px plot; bars 95.76 wide centred at 0.3 and 0.7 of the band.
#[test]
fn actions_per_month_geometry() {
    let window = month_window(&[d("2026-01-02"), d("2026-02-04")], None);
    let c = actions_per_month(
        &[d("2026-01-02"), d("2026-01-02"), d("2026-01-02")],
        &[
            d("2026-01-20"),
            d("2026-02-03"),
            d("2026-02-04"),
            d("2025-06-01"),
        ],
        1,
        &window,
    );
    let wide = &c.drawings[0];
    let bars: Vec<(f64, f64, f64, f64, &str)> = wide
        .bars()
        .map(|b| (b.x, b.y, b.width, b.height, b.class.as_str()))
        .collect();
    assert_eq!(
        bars,
        [
            (71.7, 20.0, 95.8, 180.0, "chart-opened"),
            (172.5, 140.0, 95.8, 60.0, "chart-closed"),
            (424.5, 80.0, 95.8, 120.0, "chart-closed"),
        ]
    );
    let values: Vec<&str> = wide.columns.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["3", "1", "2"]);
    assert_eq!(
        c.table.rows,
        [["January 2026", "3", "1"], ["February 2026", "0", "2"]]
    );
    assert!(
        c.desc.contains("3 items opened and 3 items closed"),
        "{}",
        c.desc
    );
    assert!(
        c.desc
            .contains("1 item closed without a closed date is not shown")
    );
}

/// Columns 20 px wide keep every other label (26 / 20 rounds up to 2),
/// counted from the newest, so the newest month is labelled: Dec, Feb,
/// Apr; the year goes under the first label shown in each year.
#[test]
fn thinned_labels_keep_the_newest_and_put_the_year_on_the_first_shown() {
    let window = month_window(&[d("2025-11-01"), d("2026-04-30")], None);
    let plot = frame(NARROW);
    let labels = column_labels(&plot, &window, 20.0, |m| m.short().to_owned(), |m| m.year);
    let shown: Vec<(&str, Option<&str>)> = labels
        .iter()
        .map(|l| (l.text.as_str(), l.year.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [("Dec", Some("2025")), ("Feb", Some("2026")), ("Apr", None)]
    );
}

#[test]
fn no_dated_incidents_give_empty_charts_not_panics() {
    assert!(incidents_per_month(&sevs(), &[], &[]).empty);
    assert!(resolve_per_quarter(&[], &[]).empty);
    assert!(actions_per_month(&[], &[], 3, &[]).empty);
    // A severity index out of range and dates outside the window are ignored.
    let window = month_window(&[d("2026-01-01")], None);
    let c = incidents_per_month(
        &sevs(),
        &[(d("2026-01-01"), 9), (d("1999-01-01"), 0)],
        &window,
    );
    assert!(c.drawings[0].columns.is_empty());
}
