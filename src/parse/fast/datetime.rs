//! The datetimes records write most, read without `toml_datetime`'s lexer.
//!
//! A timeline is mostly datetimes (`2026-11-03T14:02:00Z`), and each went
//! through `toml_datetime`'s `FromStr`, a general lexer for every form TOML
//! allows, at about a twentieth of `pm lint`'s instructions. [`quick`]
//! reads the fixed-width forms (a date, a time with seconds, both, with `Z`
//! or a `±HH:MM` offset) digit by digit with the checks `FromStr` makes,
//! and answers `None` for anything else (fractions of a second, a time
//! without seconds, any out-of-range field), which then goes to `FromStr`.
//! Where it answers, the value is `FromStr`'s: the tests below compare the
//! two over every field's edges.

use toml_datetime::{Date, Datetime, Offset, Time};

/// `text` as `text.parse::<Datetime>()` reads it, for the fixed-width
/// forms; `None` leaves it to `FromStr`.
pub(super) fn quick(text: &str) -> Option<Datetime> {
    let b = text.as_bytes();
    let (date, rest) = match b.len() {
        8 => (None, b),
        10 | 19 | 20 | 25 => {
            let date = date(b.get(..10)?)?;
            match b.get(10) {
                None => {
                    return Some(Datetime {
                        date: Some(date),
                        time: None,
                        offset: None,
                    });
                }
                Some(b'T' | b't' | b' ') => (Some(date), b.get(11..)?),
                Some(_) => return None,
            }
        }
        _ => return None,
    };
    let time = time(rest.get(..8)?)?;
    let offset = match rest.get(8..)? {
        [] => None,
        // An offset needs a date.
        _ if date.is_none() => return None,
        [b'Z' | b'z'] => Some(Offset::Z),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let minutes = i16::from(hours) * 60 + i16::from(minutes);
            Some(Offset::Custom {
                minutes: if *sign == b'-' { -minutes } else { minutes },
            })
        }
        _ => return None,
    };
    Some(Datetime {
        date,
        time: Some(time),
        offset,
    })
}

/// Two ASCII digits as a number.
fn two(a: u8, b: u8) -> Option<u8> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| (a - b'0') * 10 + (b - b'0'))
}

/// `YYYY-MM-DD`, a day that exists.
fn date(b: &[u8]) -> Option<Date> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *b else {
        return None;
    };
    let year = u16::from(two(y1, y2)?) * 100 + u16::from(two(y3, y4)?);
    let (month, day) = (two(m1, m2)?, two(d1, d2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some(Date { year, month, day })
}

/// `HH:MM:SS`, in range (a leap second allowed, as `FromStr` allows it).
fn time(b: &[u8]) -> Option<Time> {
    let [h1, h2, b':', m1, m2, b':', s1, s2] = *b else {
        return None;
    };
    let (hour, minute, second) = (two(h1, h2)?, two(m1, m2)?, two(s1, s2)?);
    (hour <= 23 && minute <= 59 && second <= 60).then_some(Time {
        hour,
        minute,
        second: Some(second),
        nanosecond: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where [`quick`] answers, `FromStr` answers the same.
    #[track_caller]
    fn agrees(text: &str) -> bool {
        let quick = quick(text);
        if let Some(value) = quick {
            assert_eq!(text.parse::<Datetime>().ok(), Some(value), "{text:?}");
        }
        quick.is_some()
    }

    #[test]
    fn every_field_s_edges_read_as_from_str_reads_them() {
        let years = [
            "0000", "1900", "2000", "2023", "2024", "2100", "9999", "20a4",
        ];
        let two_digits: Vec<String> = (0..=61)
            .map(|n| format!("{n:02}"))
            .chain(["1x".into(), "+1".into()])
            .collect();
        for year in years {
            for month in &two_digits {
                for day in &two_digits {
                    let date = format!("{year}-{month}-{day}");
                    agrees(&date);
                    agrees(&format!("{date}T00:00:00Z"));
                }
            }
        }
        for hour in &two_digits {
            for minute in &two_digits {
                for second in ["00", "59", "60", "61", "5x"] {
                    let time = format!("{hour}:{minute}:{second}");
                    agrees(&time);
                    agrees(&format!("2024-02-29T{time}"));
                    agrees(&format!("2024-02-29 {time}-{hour}:{minute}"));
                }
            }
        }
        let accepted = [
            "2026-11-03T14:02:00Z",
            "2026-11-03t14:02:00z",
            "2026-11-03 14:02:00",
            "2026-11-03T14:02:00+05:30",
            "2026-11-03T14:02:00-23:59",
            "2026-11-03",
            "14:02:00",
            "2024-02-29T23:59:60Z",
        ];
        for text in accepted {
            assert!(agrees(text), "{text:?} left to FromStr");
        }
        // Left to FromStr: fractions, no seconds, an offset with no date,
        // anything out of range or out of shape.
        for text in [
            "2026-11-03T14:02:00.5Z",
            "2026-11-03T14:02Z",
            "14:02",
            "14:02:00Z",
            "2023-02-29",
            "2026-11-03T24:00:00Z",
            "2026-11-03T14:02:00+24:00",
            "2026-11-03x14:02:00",
            "2026-11-03T14:02:00+0530",
            "2026-11-03T14:02:00 Z",
            "",
            "2026-1-03",
        ] {
            assert!(!agrees(text), "{text:?} read quickly");
        }
    }
}
