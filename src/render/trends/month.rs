//! Calendar months and quarters, and the window of months the charts cover.
//!
//! The window comes from the records only (never the clock): from the month
//! of the earliest dated event to the month of the latest, optionally cut to
//! the newest `[site] trend_months`.

use jiff::civil::Date;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

impl Month {
    /// The month a day falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Months since year 0, for arithmetic.
    pub(super) fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    fn from_index(i: i32) -> Month {
        Month {
            year: i16::try_from(i.div_euclid(12)).unwrap_or(i16::MAX),
            month: i8::try_from(i.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// `Mar`.
    pub(super) fn short(self) -> &'static str {
        let name = self.long();
        name.get(..3).unwrap_or(name)
    }

    fn long(self) -> &'static str {
        MONTHS
            .get(usize::try_from(self.month - 1).unwrap_or(0))
            .copied()
            .unwrap_or("")
    }

    /// `March 2026`.
    pub fn name(self) -> String {
        format!("{} {}", self.long(), self.year)
    }

    /// 1 to 4.
    pub(super) fn quarter(self) -> i8 {
        (self.month - 1) / 3 + 1
    }
}

/// A quarter: its year and number (1 to 4).
pub(super) type Quarter = (i16, i8);

/// `Q3 2026`.
pub(super) fn quarter_name(q: Quarter) -> String {
    format!("Q{} {}", q.1, q.0)
}

/// The quarters `window` touches, in order.
pub(super) fn quarters(window: &[Month]) -> Vec<Quarter> {
    let mut out: Vec<Quarter> = Vec::new();
    for m in window {
        let q = (m.year, m.quarter());
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    out
}

/// The months the charts cover: every month from the earliest of `dates` to
/// the latest, or only the newest `limit` of them. Empty without dates.
pub fn month_window(dates: &[Date], limit: Option<usize>) -> Vec<Month> {
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Vec::new();
    };
    let end = Month::of(*last).index();
    let mut start = Month::of(*first).index();
    if let Some(limit) = limit {
        let back = i32::try_from(limit.max(1)).unwrap_or(i32::MAX) - 1;
        start = start.max(end - back);
    }
    (start..=end).map(Month::from_index).collect()
}
