//! `misdated_ids`: an incident whose id is dated more than a day away from
//! when the incident started.

use jiff::civil::Date;

use crate::humanize;
use crate::lint::{Findings, Group, Lint, LintCx, Scope, incident_finding};
use crate::model::Incident;

/// The lint.
pub(crate) static LINT: Lint = Lint {
    name: "misdated_ids",
    group: Group::Suspicious,
    scope: Scope::Record,
    summary: "the date in the incident's id is more than a day away from when it started",
    explanation: "### What it does\nCompares the date an incident's id starts with (`2026-11-03-…`) with the \
day the incident started (its `impact-start`, else `detected`, else its first event, in the record's time \
zone), and flags them when they are more than a day apart.\n\n### Why is this bad\nThe id is the record's \
file name and its page's address, and readers sort and search by it. `pm new` dates it today unless given \
`--date`, so a record written the day after (or the week after) an incident is filed under the wrong day, \
and nothing else notices.\n\n### Example\nAn incident that started on 3 November, written up on the 5th:\n\
```sh\ngit mv incidents/2026-11-05-checkout-errors.md incidents/2026-11-03-checkout-errors.md\n```\n\
Next time, `pm new \"Checkout errors\" --date 2026-11-03`.\n",
    check,
};

fn check(cx: &LintCx<'_>, out: &mut Findings) {
    for incident in cx.corpus.incidents.values() {
        let Some(id_date) = id_date(&incident.id) else {
            continue;
        };
        let Some(start) = cx
            .analyses
            .incidents
            .get(&incident.id)
            .and_then(|a| a.start)
        else {
            continue;
        };
        let started = humanize::day(start, incident.zone.as_ref());
        let apart = id_date
            .until(started)
            .ok()
            .map_or(0, |span| span.get_days().unsigned_abs());
        if apart <= 1 {
            continue;
        }
        out.push(
            incident_finding(
                incident,
                format!("the id is dated {id_date}, but the incident started on {started}"),
            )
            .at(incident.origin.opening.clone())
            .help(rename_help(incident, started)),
        );
    }
}

/// The date an id starts with, if it starts with one (`2026-11-03-…`).
fn id_date(id: &str) -> Option<Date> {
    id.get(..10)?.parse().ok()
}

/// `git mv` of the record (its file, or a bundle's folder) to the id of the
/// day it started.
fn rename_help(incident: &Incident, started: Date) -> String {
    let new_id = format!("{started}{}", incident.id.get(10..).unwrap_or_default());
    let file = &incident.origin.file;
    let old = if incident.bundle {
        file.rsplit_once('/').map_or(file.as_str(), |(dir, _)| dir)
    } else {
        file.as_str()
    };
    let new = match old.rfind(&incident.id) {
        Some(at) => format!("{}{new_id}{}", &old[..at], &old[at + incident.id.len()..]),
        None => return format!("rename the record to the day it started: `{new_id}`"),
    };
    format!("rename it to the day it started: `git mv {old} {new}`")
}
