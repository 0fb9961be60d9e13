//! "Today", for everything that depends on it (overdue action items, the
//! site's "as of" date and trend window, the default date of `pm new`):
//! fixed once per run.
//!
//! What pm writes (`pm build`, `pm serve`, `pm stats`) never reads the
//! clock: without `--today` or `SOURCE_DATE_EPOCH`, its "today" is the
//! newest day the published records mention ([`records_today`]), so the
//! same records give the same bytes on any day. Checks of the present
//! (`pm lint`'s overdue and future-event lints) and `pm new`'s default date
//! read the clock: there, "now" is the point.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::error::{Error, Result};
use crate::model::{Corpus, Incident};

/// "Today" when one is given: `--today`, else `SOURCE_DATE_EPOCH`; `None`
/// when neither is.
pub(crate) fn given_today(flag: Option<&str>) -> Result<Option<Date>> {
    if let Some(text) = flag {
        return text.trim().parse::<Date>().map(Some).map_err(|_| {
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
        return Ok(Some(TimeZone::UTC.to_datetime(ts).date()));
    }
    Ok(None)
}

/// "Today" for a check of the present: `--today`, else `SOURCE_DATE_EPOCH`,
/// else the clock (UTC).
pub fn resolve_today(flag: Option<&str>) -> Result<Date> {
    Ok(given_today(flag)?.unwrap_or_else(clock_today))
}

/// Debug builds only: a `YYYY-MM-DD` the clock reads as today, so tests can
/// prove that what pm writes does not depend on the day it runs.
#[cfg(debug_assertions)]
const CLOCK_VAR: &str = "PM_CLOCK_DATE";

/// Today's date by the clock (UTC); in debug builds, [`CLOCK_VAR`] if set.
fn clock_today() -> Date {
    #[cfg(debug_assertions)]
    if let Some(date) = std::env::var(CLOCK_VAR)
        .ok()
        .and_then(|d| d.trim().parse::<Date>().ok())
    {
        return date;
    }
    TimeZone::UTC.to_datetime(Timestamp::now()).date()
}

/// The newest day the published (not draft) records mention, in UTC: a
/// timeline event, a change, a stakeholder update or the day an action item
/// was closed. Due dates are left out: they are the future by design, and
/// counting them would keep every item from ever being overdue. With no
/// dated record at all, 1970-01-01 (nothing can be overdue then anyway).
pub(crate) fn records_today(corpus: &Corpus) -> Date {
    (corpus.incidents.values())
        .filter_map(newest_day)
        .max()
        .unwrap_or(EPOCH)
}

/// "Today" when no record is dated.
pub(crate) const EPOCH: Date = Date::constant(1970, 1, 1);

/// The newest day one incident mentions, as [`records_today`] counts it:
/// `None` for a draft, or an incident with no dated entry.
pub(crate) fn newest_day(incident: &Incident) -> Option<Date> {
    let day = |ts: Timestamp| TimeZone::UTC.to_datetime(ts).date();
    if incident.draft {
        return None;
    }
    let i = incident;
    let events = i.timeline.iter().map(|e| day(e.at));
    let changes = i.changes.iter().filter_map(|c| c.at.map(day));
    let updates = i.updates.iter().filter_map(|u| u.at.map(day));
    let closed = i.actions.iter().filter_map(|a| a.closed);
    events.chain(changes).chain(updates).chain(closed).max()
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
        assert!(given_today(Some("2026-13-01")).is_err());
    }

    #[test]
    fn without_dated_records_today_is_the_epoch() {
        assert_eq!(
            records_today(&Corpus::default()),
            Date::constant(1970, 1, 1)
        );
    }
}
