//! Turning the datetimes written in records into absolute instants.
//!
//! TOML datetimes come in four shapes (offset datetime, local datetime, local
//! date, local time); every one becomes a [`Timestamp`] here, or a located
//! explanation of why it cannot. A local time that falls in a DST gap or fold
//! is refused rather than guessed.

use crate::parse::{TomlDatetime as Datetime, TomlOffset};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

pub use crate::config::Zone;

/// How a time was written; kept so messages can say what to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `2026-11-03T14:02:00Z` or with `+01:00`.
    Offset,
    /// `2026-11-03T14:02:00`.
    Local,
    /// `14:02:00`, on the previous event's day.
    BareTime,
}

/// Why a datetime could not be resolved: message and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// What is wrong (lowercase).
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl TimeError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        TimeError {
            message: message.into(),
            help: help.into(),
        }
    }
}

fn civil_date(dt: &Datetime) -> Result<Option<Date>, TimeError> {
    let Some(d) = dt.date else { return Ok(None) };
    Date::new(d.year as i16, d.month as i8, d.day as i8)
        .map(Some)
        .map_err(|_| {
            TimeError::new(
                format!("`{dt}` is not a valid date"),
                "check the year, month and day",
            )
        })
}

fn civil_time(dt: &Datetime) -> Result<Option<Time>, TimeError> {
    let Some(t) = dt.time else { return Ok(None) };
    let nanos = i32::try_from(t.nanosecond.unwrap_or(0)).unwrap_or(0);
    Time::new(
        t.hour as i8,
        t.minute as i8,
        t.second.unwrap_or(0) as i8,
        nanos,
    )
    .map(Some)
    .map_err(|_| {
        TimeError::new(
            format!("`{dt}` is not a valid time"),
            "hours run 00-23, minutes and seconds 00-59",
        )
    })
}

/// What a bare time (`14:02:00`) takes from the event written above it: that
/// event's calendar date as written, and its UTC offset if it wrote one.
///
/// After `2024-07-29T20:00:00-04:00`, a bare `21:00:00` is 29 July 21:00
/// at −04:00: reading the date and offset back in another zone (or in UTC)
/// would move it to another day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BareTimeBase {
    /// The day as written on the event above (or inherited by it).
    pub date: Date,
    /// The offset written on the event above (or inherited by it); `None`
    /// when it was a local time, read in the record's zone.
    pub offset: Option<Offset>,
}

/// Resolves a point in time written in a record.
///
/// `zone` is the record's (or pm.toml's) time zone; `previous` what the
/// event before passes on to a bare time (see [`BareTimeBase`]). Returns
/// the instant, how it was written, and what it passes on to a bare time
/// after it.
pub fn resolve_instant(
    dt: &Datetime,
    zone: Option<&Zone>,
    previous: Option<BareTimeBase>,
) -> Result<(Timestamp, Written, BareTimeBase), TimeError> {
    let date = civil_date(dt)?;
    let time = civil_time(dt)?;
    match (date, time, dt.offset) {
        (Some(date), Some(time), Some(offset)) => {
            let minutes = match offset {
                TomlOffset::Z => 0,
                TomlOffset::Custom { minutes } => i32::from(minutes),
            };
            let offset = Offset::from_seconds(minutes * 60).map_err(|_| {
                TimeError::new(
                    format!("offset of `{dt}` is out of range"),
                    "offsets run from -25:59 to +25:59",
                )
            })?;
            let ts = at_offset(DateTime::from_parts(date, time), offset, dt)?;
            let base = BareTimeBase {
                date,
                offset: Some(offset),
            };
            Ok((ts, Written::Offset, base))
        }
        (Some(date), Some(time), None) => {
            let zone = zone.ok_or_else(|| no_zone(dt))?;
            let base = BareTimeBase { date, offset: None };
            Ok((
                local_to_instant(DateTime::from_parts(date, time), zone, dt)?,
                Written::Local,
                base,
            ))
        }
        (None, Some(time), _) => {
            let Some(base) = previous else {
                return Err(TimeError::new(
                    format!("bare time `{dt}` has no day: it is the first dated event"),
                    "write the full datetime on the first event, e.g. `2026-11-03T14:02:00Z`; later events may then give just the time",
                ));
            };
            let local = DateTime::from_parts(base.date, time);
            let ts = match base.offset {
                Some(offset) => at_offset(local, offset, dt)?,
                None => local_to_instant(local, zone.ok_or_else(|| no_zone(dt))?, dt)?,
            };
            Ok((ts, Written::BareTime, base))
        }
        (Some(_), None, _) => Err(TimeError::new(
            format!("`{dt}` is a date without a time"),
            format!("add the time of day, e.g. `{dt}T14:02:00Z`"),
        )),
        (None, None, _) => Err(TimeError::new(
            "empty datetime",
            "write a datetime such as `2026-11-03T14:02:00Z`",
        )),
    }
}

/// Resolves a value that may be a whole day (`2026-11-02`) or a point in time.
/// A day resolves to its start in the zone (UTC without one).
pub fn resolve_day_or_instant(
    dt: &Datetime,
    zone: Option<&Zone>,
) -> Result<(Timestamp, bool), TimeError> {
    match (civil_date(dt)?, dt.time) {
        (Some(date), None) => {
            let tz = zone.map_or(TimeZone::UTC, |z| z.tz.clone());
            let ts = tz
                .to_ambiguous_timestamp(date.to_datetime(Time::midnight()))
                .compatible()
                .map_err(|_| {
                    TimeError::new(
                        format!("`{dt}` is out of range"),
                        "use a date between the years 1 and 9999",
                    )
                })?;
            Ok((ts, true))
        }
        _ => resolve_instant(dt, zone, None).map(|(ts, _, _)| (ts, false)),
    }
}

/// A calendar date (for `due` and `closed`).
pub fn resolve_date(dt: &Datetime) -> Result<Date, TimeError> {
    match (civil_date(dt)?, dt.time) {
        (Some(date), None) => Ok(date),
        _ => Err(TimeError::new(
            format!("`{dt}` is not a plain date"),
            "write just the day, without quotes, e.g. `2026-12-01`",
        )),
    }
}

/// A wall-clock time read at a fixed offset.
fn at_offset(local: DateTime, offset: Offset, written: &Datetime) -> Result<Timestamp, TimeError> {
    offset.to_timestamp(local).map_err(|_| {
        TimeError::new(
            format!("`{written}` is out of range"),
            "use a date between the years 1 and 9999",
        )
    })
}

fn no_zone(dt: &Datetime) -> TimeError {
    TimeError::new(
        format!("`{dt}` has no UTC offset and no time zone is set"),
        "add `timezone = \"Europe/Berlin\"` (your zone) to the record or `[site] timezone` to pm.toml, or write the offset, e.g. `2026-11-03T14:02:00Z`",
    )
}

fn local_to_instant(
    local: DateTime,
    zone: &Zone,
    written: &Datetime,
) -> Result<Timestamp, TimeError> {
    let ambiguous = zone.tz.to_ambiguous_timestamp(local);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local).map_err(|_| {
            TimeError::new(
                format!("`{written}` is out of range"),
                "use a date between the years 1 and 9999",
            )
        }),
        AmbiguousOffset::Gap { before, after } => {
            // Read with either offset, the time lands on the other side of the jump;
            // say where, so the reader can tell which one they meant.
            let local_with = |offset: Offset| {
                offset.to_timestamp(local).map_or_else(
                    |_| String::new(),
                    |ts| {
                        format!(
                            " ({} local time)",
                            zone.tz.to_datetime(ts).strftime("%H:%M")
                        )
                    },
                )
            };
            Err(TimeError::new(
                format!(
                    "`{written}` does not exist in {}: the clocks jumped from {} to {}",
                    zone.name,
                    toml_offset(before),
                    toml_offset(after)
                ),
                format!(
                    "write the offset the time was read in: `{0}{1}`{2} or `{0}{3}`{4}",
                    with_date(local),
                    toml_offset(before),
                    local_with(before),
                    toml_offset(after),
                    local_with(after),
                ),
            ))
        }
        AmbiguousOffset::Fold { before, after } => Err(TimeError::new(
            format!(
                "`{written}` happened twice in {}: the clocks went back from {} to {}",
                zone.name,
                toml_offset(before),
                toml_offset(after)
            ),
            format!(
                "write the offset to say which, e.g. `{0}{1}` (first) or `{0}{2}` (second)",
                with_date(local),
                toml_offset(before),
                toml_offset(after)
            ),
        )),
    }
}

fn with_date(local: DateTime) -> String {
    local.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

/// An offset as TOML writes it: `+02:00`, `-05:30`, never the short `+02`.
fn toml_offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The calendar date of an instant in a zone (UTC without one).
pub fn date_in(ts: Timestamp, zone: Option<&Zone>) -> Date {
    crate::humanize::day(ts, zone)
}

/// The date one day after `date`, saturating at the end of time.
pub fn next_day(date: Date) -> Date {
    date.checked_add(1.day()).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> Datetime {
        s.parse().unwrap()
    }

    fn berlin() -> Zone {
        Zone {
            tz: TimeZone::get("Europe/Berlin").unwrap(),
            name: "Europe/Berlin".into(),
        }
    }

    #[test]
    fn offset_datetimes_are_absolute() {
        let (ts, w, _) = resolve_instant(&dt("2026-11-03T15:02:00+01:00"), None, None).unwrap();
        assert_eq!(ts.to_string(), "2026-11-03T14:02:00Z");
        assert_eq!(w, Written::Offset);
    }

    #[test]
    fn local_datetimes_use_the_zone() {
        let (ts, _, _) =
            resolve_instant(&dt("2026-07-03T15:02:00"), Some(&berlin()), None).unwrap();
        assert_eq!(ts.to_string(), "2026-07-03T13:02:00Z");
    }

    #[test]
    fn bare_times_take_the_previous_day() {
        let prev = BareTimeBase {
            date: Date::new(2026, 11, 3).unwrap(),
            offset: None,
        };
        let (ts, w, _) = resolve_instant(&dt("14:05:00"), Some(&berlin()), Some(prev)).unwrap();
        assert_eq!(ts.to_string(), "2026-11-03T13:05:00Z");
        assert_eq!(w, Written::BareTime);
        assert!(resolve_instant(&dt("14:05:00"), Some(&berlin()), None).is_err());
    }

    #[test]
    fn bare_times_after_an_offset_keep_its_date_and_offset() {
        // 20:00 at -04:00 is 00:00 UTC the next day; a bare 21:00 after it
        // is still 29 July, at -04:00, with or without a zone.
        for zone in [None, Some(berlin())] {
            let (first, _, base) =
                resolve_instant(&dt("2024-07-29T20:00:00-04:00"), zone.as_ref(), None).unwrap();
            assert_eq!(first.to_string(), "2024-07-30T00:00:00Z");
            let (ts, w, next) =
                resolve_instant(&dt("21:00:00"), zone.as_ref(), Some(base)).unwrap();
            assert_eq!(ts.to_string(), "2024-07-30T01:00:00Z");
            assert_eq!(w, Written::BareTime);
            assert_eq!(next, base);
        }
    }

    #[test]
    fn local_without_zone_is_refused() {
        let err = resolve_instant(&dt("2026-07-03T15:02:00"), None, None).unwrap_err();
        assert!(err.message.contains("no UTC offset"), "{}", err.message);
    }

    #[test]
    fn dst_gap_and_fold_are_refused_with_a_fix() {
        let gap = resolve_instant(&dt("2026-03-29T02:30:00"), Some(&berlin()), None).unwrap_err();
        assert!(gap.message.contains("does not exist"), "{}", gap.message);
        assert!(gap.help.contains("2026-03-29T02:30:00+02"), "{}", gap.help);
        let fold = resolve_instant(&dt("2026-10-25T02:30:00"), Some(&berlin()), None).unwrap_err();
        assert!(fold.message.contains("happened twice"), "{}", fold.message);
    }

    #[test]
    fn dst_help_offers_offsets_toml_can_read() {
        let gap = resolve_instant(&dt("2026-03-29T02:30:00"), Some(&berlin()), None).unwrap_err();
        assert!(
            gap.message.contains("from +01:00 to +02:00"),
            "{}",
            gap.message
        );
        assert!(
            gap.help
                .contains("`2026-03-29T02:30:00+01:00` (03:30 local time)")
                && gap
                    .help
                    .contains("`2026-03-29T02:30:00+02:00` (01:30 local time)"),
            "{}",
            gap.help
        );
        let fold = resolve_instant(&dt("2026-10-25T02:30:00"), Some(&berlin()), None).unwrap_err();
        for help in [&gap.help, &fold.help] {
            for suggested in help.split('`').skip(1).step_by(2) {
                let (ts, _, _) = resolve_instant(&dt(suggested), None, None).unwrap();
                assert!(ts.to_string().starts_with("2026-"), "{suggested}");
            }
        }
        assert_eq!(
            toml_offset(Offset::from_seconds(-(5 * 3600 + 30 * 60)).unwrap()),
            "-05:30"
        );
    }

    #[test]
    fn dates_and_days() {
        assert_eq!(
            resolve_date(&dt("2026-12-01")).unwrap(),
            Date::new(2026, 12, 1).unwrap()
        );
        assert!(resolve_date(&dt("2026-12-01T10:00:00Z")).is_err());
        let (ts, whole_day) = resolve_day_or_instant(&dt("2026-11-02"), None).unwrap();
        assert!(whole_day);
        assert_eq!(ts.to_string(), "2026-11-02T00:00:00Z");
    }
}
