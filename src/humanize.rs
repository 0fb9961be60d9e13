//! How pm writes instants, durations and counts for people: pages and
//! diagnostic messages use the same words.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::config::Zone;

mod local;

/// `text` marked approximate (`≈06:34`, `≈49m`) when `approx`: the one
/// mark pages, prompts and `pm stats` put before a time or figure that leans
/// on an approximate time.
pub fn approx(approx: bool, text: String) -> String {
    if approx { format!("≈{text}") } else { text }
}

/// `2h 14m`, `45m`, `3d 0h`, `40s`: rounded to the nearest of its smaller
/// unit, largest first. From an hour up it always shows two units, so a
/// reader knows how precise it is (`2d 0h` is 2 days to the hour, never
/// 2 days and 22 minutes cut off); under an hour, whole minutes; under a
/// minute, seconds.
pub fn duration(d: SignedDuration) -> String {
    let mut out = String::with_capacity(8);
    if d.is_negative() {
        out.push('-');
    }
    push_duration(&mut out, d.as_secs().unsigned_abs());
    out
}

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// A length in seconds rounded to the smallest unit [`duration`] shows of
/// it: seconds under a minute, minutes under a day, hours from a day up.
fn rounded(secs: u64) -> u64 {
    // Rounding to the smaller unit can carry into a larger one (23h 59m 40s
    // is 24h 0m, so 1d 0h): round again from the unit the result reaches.
    let rounded_to = |secs: u64, unit: u64| secs.saturating_add(unit / 2) / unit * unit;
    let mut secs = secs;
    if secs >= MINUTE {
        secs = rounded_to(secs, MINUTE);
    }
    if secs >= DAY {
        secs = rounded_to(secs, HOUR);
    }
    secs
}

/// Appends an unsigned length in seconds as [`duration`] writes it.
fn push_duration(out: &mut String, secs: u64) {
    let secs = rounded(secs);
    let (big, big_unit, small, small_unit) = if secs >= DAY {
        (secs / DAY, 'd', Some(secs % DAY / HOUR), 'h')
    } else if secs >= HOUR {
        (secs / HOUR, 'h', Some(secs % HOUR / MINUTE), 'm')
    } else if secs >= MINUTE {
        (secs / MINUTE, 'm', None, 's')
    } else {
        (secs, 's', None, 's')
    };
    push_number(out, big);
    out.push(big_unit);
    if let Some(small) = small {
        out.push(' ');
        push_number(out, small);
        out.push(small_unit);
    }
}

/// Appends a whole number as `{}` writes it, without the formatter.
pub fn push_number(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// A gap's length next to the threshold it exceeds: [`duration`], unless
/// that rounds it to the threshold's own words (a 15m 01s gap against 15m),
/// then exact to the second (`15m 1s`), so the comparison reads true.
pub fn duration_over(length: SignedDuration, threshold: SignedDuration) -> String {
    let rounded = duration(length);
    if rounded != duration(threshold) || length == threshold {
        return rounded;
    }
    let secs = length.as_secs().unsigned_abs();
    let sign = if length.is_negative() { "-" } else { "" };
    let parts = [
        (secs / DAY, "d"),
        (secs % DAY / HOUR, "h"),
        (secs % HOUR / MINUTE, "m"),
        (secs % MINUTE, "s"),
    ];
    let exact = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect::<Vec<_>>()
        .join(" ");
    format!("{sign}{exact}")
}

/// The record's zone, UTC without one (borrowed: a clone of a zone is an
/// atomic count in and out, per call).
fn zone_of(zone: Option<&Zone>) -> &TimeZone {
    const UTC: &TimeZone = &TimeZone::UTC;
    zone.map_or(UTC, |z| &z.tz)
}

// The formats below are written out rather than given to `strftime`, which
// interprets its format string on every call: pages show three of them per
// timeline event, which made them 2 % of a large build.

/// `2026-11-03 14:02 CET` in the record's zone (UTC without one).
pub fn datetime(ts: Timestamp, zone: Option<&Zone>) -> String {
    datetime_in(ts, zone_of(zone))
}

/// `2026-11-03 14:02 CET` in a time zone.
pub fn datetime_in(ts: Timestamp, tz: &TimeZone) -> String {
    local::with_reading(ts, tz, |t, abbreviation| {
        let mut out = String::with_capacity(17 + abbreviation.len());
        push_date(&mut out, t.date());
        out.push(' ');
        push_digits(&mut out, t.hour(), 2);
        out.push(':');
        push_digits(&mut out, t.minute(), 2);
        out.push(' ');
        out.push_str(abbreviation);
        out
    })
}

/// Appends `YYYY-MM-DD`, as `{:04}-{:02}-{:02}` would write it.
fn push_date(out: &mut String, date: Date) {
    if (0..=9999).contains(&date.year()) {
        push_digits(out, date.year(), 4);
    } else {
        out.push_str(&format!("{:04}", date.year()));
    }
    out.push('-');
    push_digits(out, date.month(), 2);
    out.push('-');
    push_digits(out, date.day(), 2);
}

/// Appends a number from 0 to 9999 zero-padded to `width` digits (2 or 4):
/// `format!("{:02}")` goes through the formatter's padding, and pages
/// write four of these for each timeline event.
fn push_digits(out: &mut String, n: impl Into<i32>, width: u32) {
    let n = n.into().unsigned_abs();
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// `14:02` in the record's zone.
pub fn time_of_day(ts: Timestamp, zone: Option<&Zone>) -> String {
    time_of_day_in(ts, zone_of(zone))
}

/// `14:02` in a time zone.
pub fn time_of_day_in(ts: Timestamp, tz: &TimeZone) -> String {
    let t = local::datetime(ts, tz);
    let mut out = String::with_capacity(5);
    push_digits(&mut out, t.hour(), 2);
    out.push(':');
    push_digits(&mut out, t.minute(), 2);
    out
}

/// The calendar day of an instant in the record's zone.
pub fn day(ts: Timestamp, zone: Option<&Zone>) -> Date {
    day_in(ts, zone_of(zone))
}

/// The calendar day of an instant in a time zone.
pub fn day_in(ts: Timestamp, tz: &TimeZone) -> Date {
    local::datetime(ts, tz).date()
}

/// `12 Nov`: a day without its year, where the year is plain from the
/// context (the ticks and labels of one timeline).
pub fn short_day(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS
        .get(usize::try_from(date.month() - 1).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    let mut out = date.day().to_string();
    out.push(' ');
    out.push_str(month);
    out
}

/// The abbreviation of a time zone at an instant: `CET`, `CEST`, `UTC`.
pub fn zone_abbreviation(ts: Timestamp, tz: &TimeZone) -> String {
    local::with_reading(ts, tz, |_, abbreviation| abbreviation.to_owned())
}

/// RFC 3339 in UTC, for `datetime` attributes and JSON.
pub fn iso(ts: Timestamp) -> String {
    let t = jiff::tz::Offset::UTC.to_datetime(ts);
    let mut out = String::with_capacity(20);
    push_date(&mut out, t.date());
    out.push('T');
    for (i, part) in [t.hour(), t.minute(), t.second()].into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        push_digits(&mut out, part, 2);
    }
    out.push('Z');
    out
}

/// `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub use crate::diag::plural;

/// `2 drafts (`draft = true`): `incidents/a.md`, `incidents/b.md``, naming
/// at most five files; `None` without drafts. Said by every command that
/// leaves drafts out, so a `draft = true` left in by mistake is seen.
pub fn drafts_named<'a>(files: impl IntoIterator<Item = &'a str>) -> Option<String> {
    const NAMED: usize = 5;
    let files: Vec<&str> = files.into_iter().collect();
    if files.is_empty() {
        return None;
    }
    let mut named = files
        .iter()
        .take(NAMED)
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > NAMED {
        named.push_str(&format!(" and {} more", files.len() - NAMED));
    }
    let what = plural(files.len(), "draft");
    Some(format!("{what} (`draft = true`): {named}"))
}

/// `from 3 of 4 incidents`.
pub fn from_n_of_m(n: usize, m: usize) -> String {
    format!("from {n} of {}", plural(m, "incident"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The written-out formats agree with `format!`'s padding, from year 0
    /// to 9999 and in a zone with summer time.
    #[test]
    fn written_out_formats_match_the_formatter() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::UTC);
        let first = Timestamp::from_second(-62_167_219_200).unwrap_or(Timestamp::UNIX_EPOCH);
        let step = 7_919_993_i64; // about 92 days and a few hours: every month and hour
        for i in 0..8_000_i64 {
            let Ok(ts) = Timestamp::from_second(first.as_second() + i * step * 4) else {
                continue;
            };
            for tz in [&TimeZone::UTC, &berlin] {
                let t = tz.to_datetime(ts);
                let abbr = tz.to_offset_info(ts).abbreviation().to_owned();
                let expected = format!(
                    "{:04}-{:02}-{:02} {:02}:{:02} {abbr}",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute()
                );
                assert_eq!(datetime_in(ts, tz), expected);
                let hm = format!("{:02}:{:02}", t.hour(), t.minute());
                assert_eq!(time_of_day_in(ts, tz), hm);
            }
            let u = TimeZone::UTC.to_datetime(ts);
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                u.year(),
                u.month(),
                u.day(),
                u.hour(),
                u.minute(),
                u.second()
            );
            assert_eq!(iso(ts), expected);
        }
    }

    /// The written-out durations and days agree with the formatter and
    /// `strftime` they replace.
    #[test]
    fn written_out_durations_and_days_match_the_formatter() {
        // The formatting the formatter did, after the same rounding.
        let reference = |secs: u64| {
            let (m, h, d) = (60, 3600, 86_400);
            let s = rounded(secs);
            if s >= d {
                format!("{}d {}h", s / d, s % d / h)
            } else if s >= h {
                format!("{}h {}m", s / h, s % h / m)
            } else if s >= m {
                format!("{}m", s / m)
            } else {
                format!("{s}s")
            }
        };
        let mut secs = 0_u64;
        while secs < 40 * 86_400 {
            assert_eq!(
                duration(SignedDuration::from_secs(secs as i64)),
                reference(secs)
            );
            if secs > 0 {
                assert_eq!(
                    duration(SignedDuration::from_secs(-(secs as i64))),
                    format!("-{}", reference(secs))
                );
            }
            secs = secs * 11 / 10 + 7;
        }
        let longest = SignedDuration::from_secs(i64::MAX);
        assert_eq!(duration(longest), reference(i64::MAX as u64));
        let mut date = Date::constant(2024, 1, 1);
        for _ in 0..400 {
            assert_eq!(short_day(date), date.strftime("%-d %b").to_string());
            date = date.tomorrow().unwrap_or(date);
        }
    }

    #[test]
    fn durations_read_like_people_write_them() {
        let s = SignedDuration::from_secs;
        assert_eq!(duration(s(40)), "40s");
        assert_eq!(duration(s(45 * 60)), "45m");
        assert_eq!(duration(s(2 * 3600 + 14 * 60 + 5)), "2h 14m");
        assert_eq!(duration(s(3600)), "1h 0m");
        assert_eq!(duration(s(3 * 86_400 + 2 * 3600 + 60)), "3d 2h");
    }

    #[test]
    fn durations_are_rounded_not_cut() {
        let s = SignedDuration::from_secs;
        assert_eq!(duration(s(2 * 86_400 + 22 * 60)), "2d 0h");
        assert_eq!(duration(s(26 * 3600 + 55 * 60)), "1d 3h");
        assert_eq!(duration(s(14 * 60 + 31)), "15m");
        assert_eq!(duration(s(23 * 3600 + 59 * 60 + 40)), "1d 0h");
        assert_eq!(duration(s(59 * 60 + 50)), "1h 0m");
        assert_eq!(duration(s(-(90 * 60))), "-1h 30m");
    }

    #[test]
    fn a_gap_never_reads_as_long_as_its_threshold() {
        let s = SignedDuration::from_secs;
        assert_eq!(duration_over(s(15 * 60 + 1), s(15 * 60)), "15m 1s");
        assert_eq!(duration_over(s(15 * 60 + 29), s(15 * 60)), "15m 29s");
        assert_eq!(duration_over(s(16 * 60), s(15 * 60)), "16m");
        assert_eq!(duration_over(s(3600 + 20), s(3600)), "1h 20s");
    }

    #[test]
    fn drafts_are_counted_and_named() {
        assert_eq!(drafts_named([]), None);
        assert_eq!(
            drafts_named(["incidents/a.md"]).unwrap(),
            "1 draft (`draft = true`): `incidents/a.md`"
        );
        let many = ["a", "b", "c", "d", "e", "f", "g"];
        assert!(drafts_named(many).unwrap().ends_with("`e` and 2 more"));
    }

    #[test]
    fn counts_and_instants() {
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(12), "12");
        let ts: Timestamp = "2026-11-03T14:02:00Z".parse().unwrap();
        let berlin = Zone {
            tz: TimeZone::get("Europe/Berlin").unwrap(),
            name: "Europe/Berlin".into(),
        };
        assert_eq!(datetime(ts, Some(&berlin)), "2026-11-03 15:02 CET");
        assert_eq!(datetime(ts, None), "2026-11-03 14:02 UTC");
        assert_eq!(iso(ts), "2026-11-03T14:02:00Z");
    }

    #[test]
    fn written_out_formats_match_strftime() {
        let zones: Vec<Option<Zone>> = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"]
            .iter()
            .map(|n| {
                Some(Zone {
                    tz: TimeZone::get(n).unwrap(),
                    name: (*n).into(),
                })
            })
            .chain([None])
            .collect();
        // Every 7 h 13 m 17 s across four years: all hours, minutes and
        // seconds, and both sides of each summer-time change.
        let mut ts: Timestamp = "2023-01-01T00:00:00Z".parse().unwrap();
        let end: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        while ts < end {
            assert_eq!(iso(ts), ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
            for zone in &zones {
                let z = ts.to_zoned_datetime(zone.as_ref().map_or(TimeZone::UTC, |z| z.tz.clone()));
                assert_eq!(
                    datetime(ts, zone.as_ref()),
                    z.strftime("%Y-%m-%d %H:%M %Z").to_string()
                );
                assert_eq!(
                    time_of_day(ts, zone.as_ref()),
                    z.strftime("%H:%M").to_string()
                );
                assert_eq!(
                    zone_abbreviation(ts, z.time_zone()),
                    z.strftime("%Z").to_string()
                );
            }
            ts += SignedDuration::from_secs(7 * 3600 + 13 * 60 + 17);
        }
    }
}
