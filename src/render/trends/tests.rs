use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn sevs() -> Vec<String> {
    ["SEV1", "SEV2", "SEV3", "SEV4"].map(str::to_owned).to_vec()
}

// The plot area every test works from: 44 px margin left, 12 right, 18 top,
// 40 bottom, 240 high; so the zero line is at y = 200 and the plot is
// 182 high.
#[test]
fn the_frame_is_the_size_less_the_margins() {
    let f = frame(WIDE);
    assert_eq!((f.x, f.y, f.width, f.height), (44.0, 18.0, 1044.0, 182.0));
    assert_eq!((f.right, f.bottom), (1088.0, 200.0));
}

#[test]
fn nice_axes() {
    assert_eq!(nice_axis(0.0, 4), (1.0, 1.0));
    assert_eq!(nice_axis(3.0, 4), (3.0, 1.0));
    assert_eq!(nice_axis(7.0, 4), (8.0, 2.0));
    assert_eq!(nice_axis(13.0, 4), (15.0, 5.0));
    assert_eq!(nice_axis(2.5, 4), (3.0, 1.0));
    assert_eq!(nice_axis(f64::NAN, 4), (1.0, 1.0));
}

#[test]
fn the_window_ends_at_today_and_keeps_the_newest_months() {
    let w = month_window(&[d("2026-01-15"), d("2026-02-01")], d("2026-04-30"));
    let names: Vec<String> = w.iter().map(|m| m.name()).collect();
    assert_eq!(
        names,
        ["January 2026", "February 2026", "March 2026", "April 2026"]
    );
    let w = month_window(&[d("2020-01-01"), d("2026-11-02")], d("2026-11-30"));
    assert_eq!(w.len(), MAX_MONTHS);
    assert_eq!(w[0].name(), "December 2024");
    assert!(month_window(&[], d("2026-11-30")).is_empty());
}

/// Three months, four incidents: Jan has one SEV1 and one SEV3, Feb
/// none, Mar one SEV2 on top of one SEV1.
///
/// Max total 2 → axis 0..2, step 1 (ticks at 200, 109, 18). Three
/// columns over 1044 px: band 348, bar 243.6, offset 52.2, so the
/// January bar starts at 44 + 52.2 = 96.2 and the March bar at
/// 44 + 696 + 52.2 = 792.2. One incident is 91 px high.
#[test]
fn incidents_per_month_geometry() {
    let window = month_window(&[d("2026-01-05"), d("2026-03-20")], d("2026-03-31"));
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
    let ticks: Vec<(f64, &str)> = c.y_ticks.iter().map(|t| (t.y, t.label.as_str())).collect();
    assert_eq!(ticks, [(200.0, "0"), (109.0, "1"), (18.0, "2")]);
    let bars: Vec<(f64, f64, f64, f64, &str)> = c
        .bars
        .iter()
        .map(|b| (b.x, b.y, b.width, b.height, b.class.as_str()))
        .collect();
    assert_eq!(
        bars,
        [
            (96.2, 109.0, 243.6, 91.0, "chart-sev-1"),
            (96.2, 18.0, 243.6, 91.0, "chart-sev-3"),
            (792.2, 109.0, 243.6, 91.0, "chart-sev-1"),
            (792.2, 18.0, 243.6, 91.0, "chart-sev-2"),
        ]
    );
    assert_eq!(c.bars[3].title, "March 2026: 1 SEV2");
    let labels: Vec<(f64, &str, Option<&str>)> = c
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

/// Two quarters (Q4 2025: Nov and Dec; Q1 2026: Jan): Q4 medians 1h
/// and 3h → 2h; Q1 has one incident, not measured.
///
/// Max 2h → hours axis 0..2 step 1. Two columns over the narrow plot
/// (504 px): band 252, so Q4's point is at x = 44 + 126 = 170, y at
/// 2h of 2h = 18. No line: a single point.
#[test]
fn resolve_per_quarter_geometry() {
    let h = |n| Some(SignedDuration::from_hours(n));
    let window = month_window(&[d("2025-11-10"), d("2026-01-03")], d("2026-01-31"));
    let c = resolve_per_quarter(
        &[
            (d("2025-11-10"), h(1)),
            (d("2025-12-01"), h(3)),
            (d("2026-01-03"), None),
        ],
        &window,
    );
    let ticks: Vec<(f64, &str)> = c.y_ticks.iter().map(|t| (t.y, t.label.as_str())).collect();
    assert_eq!(ticks, [(200.0, "0h"), (109.0, "1h"), (18.0, "2h")]);
    assert_eq!(c.points.len(), 1);
    let p = &c.points[0];
    assert_eq!(
        (p.x, p.y, p.label.as_str(), p.label_y),
        (170.0, 18.0, "2h 0m", 9.0)
    );
    assert_eq!(p.title, "Q4 2025: median 2h 0m, from 2 of 2 incidents");
    assert!(c.lines.is_empty());
    assert_eq!(c.table.rows[1], ["Q1 2026", "—", "from 0 of 1 incident"]);
    assert!(
        c.desc.contains("Only Q4 2025 has a measured incident: 2h"),
        "{}",
        c.desc
    );
}

/// Q1 45m, Q2 none, Q3 90m and Q4 30m: minutes axis (max 90m ≤ 2h),
/// 0..100 step 50 (90/4 = 22.5 → step 50). Four columns over 504 px:
/// band 126, centres 107, 233, 359, 485. Q2 breaks the line: one line
/// Q3–Q4 only.
#[test]
fn a_quarter_without_data_breaks_the_line() {
    let m = |n| Some(SignedDuration::from_mins(n));
    let window = month_window(&[d("2026-01-10"), d("2026-12-01")], d("2026-12-31"));
    let c = resolve_per_quarter(
        &[
            (d("2026-01-10"), m(45)),
            (d("2026-07-10"), m(90)),
            (d("2026-12-01"), m(30)),
        ],
        &window,
    );
    let ticks: Vec<&str> = c.y_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(ticks, ["0m", "50m", "100m"]);
    let pts: Vec<(f64, f64)> = c.points.iter().map(|p| (p.x, p.y)).collect();
    // 45m: 200 - 0.45 * 182 = 118.1; 90m: 36.2; 30m: 145.4.
    assert_eq!(pts, [(107.0, 118.1), (359.0, 36.2), (485.0, 145.4)]);
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.lines[0].points, "359,36.2 485,145.4");
    assert!(
        c.desc
            .contains("Shortest: 30m in Q4 2026; longest: 1h 30m in Q3 2026")
    );
    assert!(
        c.desc
            .contains("1 quarter without a measured incident has no point")
    );
}

/// Q1 1h, Q2 2h, Q3 30h: 30h is over three times 2h, so the axis
/// follows the others (hours, 0..2) and Q3 is drawn clipped at the top
/// edge (y = 18) with an arrow. Three columns over 504 px: band 168,
/// centres 128, 296, 464.
#[test]
fn a_far_outlier_is_clipped_at_the_top() {
    let h = |n| Some(SignedDuration::from_hours(n));
    let window = month_window(&[d("2026-01-10"), d("2026-09-01")], d("2026-09-30"));
    let c = resolve_per_quarter(
        &[
            (d("2026-01-10"), h(1)),
            (d("2026-04-10"), h(2)),
            (d("2026-09-01"), h(30)),
        ],
        &window,
    );
    let ticks: Vec<&str> = c.y_ticks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(ticks, ["0h", "1h", "2h"]);
    let pts: Vec<(f64, f64, &str, &str)> = c
        .points
        .iter()
        .map(|p| (p.x, p.y, p.class.as_str(), p.label.as_str()))
        .collect();
    assert_eq!(
        pts,
        [
            (128.0, 109.0, "chart-point", "1h 0m"),
            (296.0, 18.0, "chart-point", "2h 0m"),
            (464.0, 18.0, "chart-point is-clipped", "↑ 1d 6h"),
        ]
    );
    assert_eq!(c.lines[0].points, "128,109 296,18 464,18");
    assert!(
        c.desc
            .contains("Off the scale, drawn at the top edge: Q3 2026 (1d 6h)."),
        "{}",
        c.desc
    );
}

/// Two months: January opens 3 and closes 1, February closes 2; one
/// closed item has no date. Max 3 → axis 0..3 step 1. Band 252 over the
/// 504 px plot; bars 95.76 wide starting 25.2 into the band: January
/// opened at x = 69.2, closed at 165.0; February closed at 417.0.
#[test]
fn actions_per_month_geometry() {
    let window = month_window(&[d("2026-01-02")], d("2026-02-28"));
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
    let bars: Vec<(f64, f64, f64, f64, &str)> = c
        .bars
        .iter()
        .map(|b| (b.x, b.y, b.width, b.height, b.class.as_str()))
        .collect();
    assert_eq!(
        bars,
        [
            (69.2, 18.0, 95.8, 182.0, "chart-opened"),
            (165.0, 139.3, 95.8, 60.7, "chart-closed"),
            (417.0, 78.7, 95.8, 121.3, "chart-closed"),
        ]
    );
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

/// Columns 20 px wide keep every other label (26 / 20 rounds up to 2):
/// Nov, Jan, Mar; the year goes under the first label shown in each year.
#[test]
fn thinned_labels_put_the_year_on_the_first_shown() {
    let window = month_window(&[d("2025-11-01")], d("2026-04-30"));
    let plot = frame(NARROW);
    let labels = column_labels(&plot, &window, 20.0, |m| m.short().to_owned(), |m| m.year);
    let shown: Vec<(&str, Option<&str>)> = labels
        .iter()
        .map(|l| (l.text.as_str(), l.year.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [("Nov", Some("2025")), ("Jan", Some("2026")), ("Mar", None)]
    );
}

#[test]
fn no_dated_incidents_give_empty_charts_not_panics() {
    assert!(incidents_per_month(&sevs(), &[], &[]).empty);
    assert!(resolve_per_quarter(&[], &[]).empty);
    assert!(actions_per_month(&[], &[], 3, &[]).empty);
    // A severity index out of range and dates outside the window are ignored.
    let window = month_window(&[d("2026-01-01")], d("2026-01-31"));
    let c = incidents_per_month(
        &sevs(),
        &[(d("2026-01-01"), 9), (d("1999-01-01"), 0)],
        &window,
    );
    assert!(c.bars.is_empty());
}
