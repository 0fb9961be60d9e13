//! "Today", for everything that depends on it (overdue action items, the
//! default date of `pm new`): fixed once per run, so a build is reproducible
//! with `--today` or `SOURCE_DATE_EPOCH`.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::{Error, Result};

/// "Today": `--today`, else `SOURCE_DATE_EPOCH`, else the clock (UTC).
pub fn resolve_today(flag: Option<&str>) -> Result<Date> {
    if let Some(text) = flag {
        return text.trim().parse::<Date>().map_err(|_| {
            Error::Usage(format!(
                "invalid `--today` date `{text}`: write it as YYYY-MM-DD"
            ))
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "invalid SOURCE_DATE_EPOCH `{epoch}`: expected seconds since 1970"
            ))
        })?;
        let ts = Timestamp::from_second(secs)
            .map_err(|_| Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range")))?;
        return Ok(jiff::tz::TimeZone::UTC.to_datetime(ts).date());
    }
    Ok(jiff::tz::TimeZone::UTC.to_datetime(Timestamp::now()).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_from_flag() {
        assert_eq!(
            resolve_today(Some("2026-11-28")).unwrap().to_string(),
            "2026-11-28"
        );
        assert!(resolve_today(Some("28/11/2026")).is_err());
    }
}
