//! A point in time as the record format writes it, in the record's zone:
//! a bare time on the previous event's day, a local datetime, or, where the
//! local time is ambiguous (the hour the clocks go back) or the record has
//! no zone, a datetime with its offset.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

/// How a new entry's time is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrittenTime {
    /// `14:02:00`: on the day of the entry written above it.
    Bare(Time),
    /// `2026-11-03T14:02:00`: wall-clock time in the record's zone.
    Local(DateTime),
    /// `2026-11-03T14:02:00Z` or `…+01:00`: an exact instant.
    Offset(DateTime, Offset),
}

impl WrittenTime {
    /// The time as TOML writes it (unquoted), to the second.
    pub fn to_toml(&self) -> String {
        match self {
            WrittenTime::Bare(t) => t.strftime("%H:%M:%S").to_string(),
            WrittenTime::Local(dt) => dt.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
            WrittenTime::Offset(dt, offset) => {
                let seconds = offset.seconds();
                let zone = if seconds == 0 {
                    "Z".to_owned()
                } else {
                    let sign = if seconds < 0 { '-' } else { '+' };
                    let minutes = seconds.unsigned_abs() / 60;
                    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
                };
                format!("{}{zone}", dt.strftime("%Y-%m-%dT%H:%M:%S"))
            }
        }
    }

    /// The time as a TOML datetime value.
    pub(super) fn datetime(&self) -> toml_edit::Datetime {
        // Every shape above is one TOML reads; parsing keeps toml_edit's own
        // type without building its fields by hand.
        self.to_toml().parse().unwrap_or(toml_edit::Datetime {
            date: None,
            time: None,
            offset: None,
        })
    }
}

/// How to write the instant `at` in `zone`: a bare time when the entry above
/// it (`previous`, its day in the zone) is on the same day and bare times
/// are allowed, else a local datetime; with its offset when the local time
/// happened twice (or without a zone, in UTC with `Z`). Seconds are kept,
/// fractions dropped.
pub fn written_time(
    at: Timestamp,
    zone: Option<&TimeZone>,
    previous: Option<Date>,
    bare_allowed: bool,
) -> WrittenTime {
    let at = Timestamp::from_second(at.as_second()).unwrap_or(at);
    let Some(tz) = zone else {
        return WrittenTime::Offset(Offset::UTC.to_datetime(at), Offset::UTC);
    };
    let local = tz.to_datetime(at);
    match tz.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { .. } => {
            if bare_allowed && previous == Some(local.date()) {
                WrittenTime::Bare(local.time())
            } else {
                WrittenTime::Local(local)
            }
        }
        // A time in the hour the clocks went back is read twice; a time in
        // the hour they skipped cannot come from a real instant, but say
        // the offset either way rather than let the reader guess.
        AmbiguousOffset::Fold { .. } | AmbiguousOffset::Gap { .. } => {
            WrittenTime::Offset(local, tz.to_offset(at))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn bare_on_the_same_day_local_otherwise_offset_in_a_fold() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let day = Date::constant(2026, 12, 6);
        let at = ts("2026-12-06T13:02:00Z");
        assert_eq!(
            written_time(at, Some(&berlin), Some(day), true).to_toml(),
            "14:02:00"
        );
        assert_eq!(
            written_time(at, Some(&berlin), Some(day), false).to_toml(),
            "2026-12-06T14:02:00"
        );
        assert_eq!(
            written_time(at, Some(&berlin), None, true).to_toml(),
            "2026-12-06T14:02:00"
        );
        assert_eq!(
            written_time(ts("2026-12-06T13:02:07.5Z"), None, None, true).to_toml(),
            "2026-12-06T13:02:07Z"
        );
        // 02:30 happened twice in Berlin on 25 October 2026.
        let second = ts("2026-10-25T01:30:00Z");
        assert_eq!(
            written_time(second, Some(&berlin), None, true).to_toml(),
            "2026-10-25T02:30:00+01:00"
        );
    }
}
