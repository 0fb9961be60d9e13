//! `pm stats`: the index page's figures in the terminal, grouped.
//!
//! Pure computation over the model and the analysis; every aggregate keeps
//! how many incidents it was measured from, because a duration is absent
//! (never zero) when its milestones are missing.

use std::collections::BTreeMap;

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::Serialize;

use crate::analysis::{Analyses, Analysis};
use crate::config::Config;
use crate::model::{Corpus, Incident};

/// How incidents are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// One group for everything.
    All,
    /// By severity, worst first.
    Severity,
    /// By incident type.
    Type,
    /// By service: an incident counts once for each of its services.
    Service,
    /// By the month the incident started (`2026-11`).
    Month,
}

impl By {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            By::All => "all",
            By::Severity => "severity",
            By::Type => "type",
            By::Service => "service",
            By::Month => "month",
        }
    }
}

/// One measured duration across a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// Incidents the duration could be measured for.
    pub measured: usize,
    /// Median, in seconds.
    pub median_seconds: Option<i64>,
    /// 90th percentile (nearest rank), in seconds.
    pub p90_seconds: Option<i64>,
    /// How many of the measured durations lean on an approximate time
    /// (`approx = true` on one of their milestones).
    pub approximate: usize,
}

impl Measure {
    /// The measure of `(duration, approximate)` pairs.
    fn of(measured: Vec<(SignedDuration, bool)>) -> Measure {
        let approximate = measured.iter().filter(|(_, approx)| *approx).count();
        let mut values: Vec<SignedDuration> = measured.into_iter().map(|(d, _)| d).collect();
        values.sort();
        let secs = |d: SignedDuration| d.as_secs();
        Measure {
            approximate,
            measured: values.len(),
            median_seconds: crate::analysis::median(&mut values).map(secs),
            p90_seconds: percentile(&values, 90).map(secs),
        }
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at
/// least `p` % of the values at or below it.
fn percentile(sorted: &[SignedDuration], p: usize) -> Option<SignedDuration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The group's value (`SEV1`, `database`, `2026-11`, or `all`).
    pub key: String,
    /// Incidents in the group.
    pub incidents: usize,
    /// Impact start to detection.
    pub time_to_detect: Measure,
    /// Impact start (else detection) to mitigation.
    pub time_to_mitigate: Measure,
    /// Impact start (else detection) to verified resolution.
    pub time_to_resolve: Measure,
    /// Action items open or in progress.
    pub open_actions: usize,
    /// Open action items past their due date.
    pub overdue_actions: usize,
}

/// `pm stats` output, version 1 (fields may be added, never removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Shape version.
    pub version: u32,
    /// The grouping.
    pub by: &'static str,
    /// Only incidents that started on or after this date.
    pub since: Option<String>,
    /// "Today" for overdue items.
    pub today: String,
    /// One row per group, in a stable order.
    pub rows: Vec<Row>,
}

/// Computes the figures. Drafts are left out, as on the site.
pub fn compute(
    corpus: &Corpus,
    analyses: &Analyses,
    config: &Config,
    by: By,
    since: Option<Date>,
    today: Date,
) -> Stats {
    let start_day = |i: &Incident, a: &Analysis| {
        a.start
            .map(|t| crate::humanize::day(t, i.zone.as_ref().or(config.timezone.as_ref())))
    };
    let mut groups: BTreeMap<(usize, String), Vec<(&Incident, &Analysis)>> = BTreeMap::new();
    for incident in corpus.incidents.values().filter(|i| !i.draft) {
        let Some(analysis) = analyses.incidents.get(&incident.id) else {
            continue;
        };
        let day = start_day(incident, analysis);
        if let Some(since) = since
            && day.is_none_or(|d| d < since)
        {
            continue;
        }
        let keys: Vec<(usize, String)> = match by {
            By::All => vec![(0, "all".to_owned())],
            By::Severity => {
                let rank = config
                    .severity_rank(&incident.severity.value)
                    .unwrap_or(usize::MAX);
                vec![(rank, incident.severity.value.clone())]
            }
            By::Type => vec![(0, incident.kind.value.clone())],
            By::Service if incident.services.is_empty() => vec![(0, "(none)".to_owned())],
            By::Service => incident.services.iter().map(|s| (0, s.clone())).collect(),
            By::Month => vec![(
                0,
                day.map_or_else(
                    || "(undated)".to_owned(),
                    |d| d.strftime("%Y-%m").to_string(),
                ),
            )],
        };
        for key in keys {
            groups.entry(key).or_default().push((incident, analysis));
        }
    }
    let rows = groups
        .into_iter()
        .map(|((_, key), members)| {
            let durations = |f: fn(&Analysis) -> (Option<SignedDuration>, bool)| {
                Measure::of(
                    members
                        .iter()
                        .filter_map(|(_, a)| {
                            let (d, approx) = f(a);
                            d.map(|d| (d, approx))
                        })
                        .collect(),
                )
            };
            let actions = members.iter().flat_map(|(i, _)| i.actions.iter());
            Row {
                key,
                incidents: members.len(),
                time_to_detect: durations(|a| (a.durations.detect, a.durations.approx.detect)),
                time_to_mitigate: durations(|a| {
                    (a.durations.mitigate, a.durations.approx.mitigate)
                }),
                time_to_resolve: durations(|a| (a.durations.resolve, a.durations.approx.resolve)),
                open_actions: actions.clone().filter(|a| a.status.is_open()).count(),
                overdue_actions: actions
                    .filter(|a| a.status.is_open() && a.due.is_some_and(|d| d < today))
                    .count(),
            }
        })
        .collect();
    Stats {
        version: 1,
        by: by.name(),
        since: since.map(|d| d.to_string()),
        today: today.to_string(),
        rows,
    }
}

/// The human table: durations as `median (p90)` with `n/m` measured, and
/// `≈` before them when some of the measured durations are approximate.
pub fn table(stats: &Stats) -> String {
    let duration = |m: &Measure, of: usize| match (m.median_seconds, m.p90_seconds) {
        (Some(median), Some(p90)) => format!(
            "{} ({}) {}/{of}",
            crate::humanize::approx(
                m.approximate > 0,
                crate::humanize::duration(SignedDuration::from_secs(median))
            ),
            crate::humanize::duration(SignedDuration::from_secs(p90)),
            m.measured
        ),
        _ => format!("- 0/{of}"),
    };
    let group = if stats.by == "all" { "group" } else { stats.by };
    let mut rows = vec![[
        group.to_owned(),
        "incidents".to_owned(),
        "time to detect".to_owned(),
        "time to mitigate".to_owned(),
        "time to resolve".to_owned(),
        "open actions".to_owned(),
        "overdue".to_owned(),
    ]];
    for r in &stats.rows {
        rows.push([
            r.key.clone(),
            r.incidents.to_string(),
            duration(&r.time_to_detect, r.incidents),
            duration(&r.time_to_mitigate, r.incidents),
            duration(&r.time_to_resolve, r.incidents),
            r.open_actions.to_string(),
            r.overdue_actions.to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// CSV with a header row; durations in seconds, empty when not measured.
pub fn csv(stats: &Stats) -> String {
    let mut out = String::from(
        "group,incidents,detect_measured,detect_median_s,detect_p90_s,mitigate_measured,mitigate_median_s,mitigate_p90_s,resolve_measured,resolve_median_s,resolve_p90_s,open_actions,overdue_actions,detect_approximate,mitigate_approximate,resolve_approximate\n",
    );
    let opt = |v: Option<i64>| v.map(|s| s.to_string()).unwrap_or_default();
    for r in &stats.rows {
        let mut cells = vec![csv_cell(&r.key), r.incidents.to_string()];
        for m in [&r.time_to_detect, &r.time_to_mitigate, &r.time_to_resolve] {
            cells.extend([
                m.measured.to_string(),
                opt(m.median_seconds),
                opt(m.p90_seconds),
            ]);
        }
        cells.extend([r.open_actions.to_string(), r.overdue_actions.to_string()]);
        // Added after the first columns, so readers by position keep working.
        for m in [&r.time_to_detect, &r.time_to_mitigate, &r.time_to_resolve] {
            cells.push(m.approximate.to_string());
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// One CSV cell: quoted when needed (RFC 4180, and also when it holds a
/// `;`, which spreadsheets in semicolon locales take as the separator), and
/// with a leading `'` when it would start a spreadsheet formula.
pub fn csv_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len() + 2);
    push_csv_cell(&mut cell, text);
    cell
}

/// [`csv_cell`] written onto the end of `out`: a cell that needs neither
/// the guard nor quotes (most) is copied as it is, without a string of
/// its own.
pub fn push_csv_cell(out: &mut String, text: &str) {
    let guarded = text.starts_with(FORMULA_STARTS);
    // The characters are ASCII: a byte scan finds them.
    let quoted = (text.bytes()).any(|b| matches!(b, b',' | b';' | b'"' | b'\n' | b'\r'));
    if quoted {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    if quoted {
        for (i, part) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentile() {
        let mins = |v: &[i64]| -> Vec<SignedDuration> {
            v.iter().map(|m| SignedDuration::from_mins(*m)).collect()
        };
        // 10 values: the 9th (rank ceil(0.9 * 10) = 9) is the p90.
        let ten = mins(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(percentile(&ten, 90), Some(SignedDuration::from_mins(9)));
        // 3 values: rank ceil(2.7) = 3, the largest.
        assert_eq!(
            percentile(&mins(&[5, 10, 60]), 90),
            Some(SignedDuration::from_mins(60))
        );
        assert_eq!(
            percentile(&mins(&[7]), 90),
            Some(SignedDuration::from_mins(7))
        );
        assert_eq!(percentile(&[], 90), None);
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("a;b"), "\"a;b\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1;2"), "\"'+1;2\"");
    }
}
