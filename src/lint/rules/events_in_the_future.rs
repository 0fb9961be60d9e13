//! `events_in_the_future`: a timeline event dated after today.

use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "events_in_the_future",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "a timeline event is dated after today",
    explanation: "### What it does\nFinds timeline events whose date, as the record reads it (in its time \
zone), is after today. \"Today\" is `--today`, else `SOURCE_DATE_EPOCH`, else the system clock in `pm lint` and the newest day the records mention in `pm build`.\n\n\
### Why is this bad\nA record is written after the fact; a future date is a typo (often the year or the month) \
that puts the incident in the wrong place in every trend.\n\n### Example\n```toml\n[[timeline]]\n\
at = 2026-11-03T14:02:00Z   # not 2027-11-03\ntext = \"paged\"\n```\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    // No time zone is more than 26 hours ahead of UTC (jiff's bound), so
    // an instant 26 hours before tomorrow's midnight in UTC is on today or
    // earlier everywhere: most events need no zone.
    let midnight = cx.today.to_datetime(jiff::civil::Time::midnight());
    let surely_past = jiff::tz::Offset::UTC
        .to_timestamp(midnight)
        .ok()
        .and_then(|t| t.checked_sub(jiff::SignedDuration::from_hours(2)).ok())
        .unwrap_or(jiff::Timestamp::MIN);
    for incident in cx.corpus.incidents.values() {
        for event in incident.timeline.iter().filter(|e| e.at >= surely_past) {
            // The day as the record reads it: in its zone, not in UTC.
            let day = crate::humanize::day(event.at, incident.zone.as_ref());
            if day > cx.today {
                out.push(
                    incident_finding(
                        incident,
                        format!("event is dated {day}, after today ({})", cx.today),
                    )
                    .at(event.at_span.clone())
                    .help("check the year and month of this datetime"),
                );
            }
        }
    }
}
