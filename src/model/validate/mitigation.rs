//! Mitigations, in incidents (`[[mitigations]]`, the options weighed) and in
//! playbooks (`mitigations`, the options ranked): one validator for what
//! both share. Uses `cx`.

use std::ops::Range;

use crate::parse::Spanned;

use super::cx::Cx;
use crate::model::{Mitigation, PlaybookMitigation, Rating, mitigation_rank};
use crate::parse::{RawMitigation, RawPlaybookMitigation, RawStr};

/// The keys every mitigation has, as written.
struct RawOption<'r> {
    option: Option<&'r RawStr>,
    speed: Option<&'r RawStr>,
    risk: Option<&'r RawStr>,
    effectiveness: Option<&'r RawStr>,
}

/// The keys every mitigation has, validated.
struct Weighed {
    option: String,
    speed: Option<Rating>,
    risk: Option<Rating>,
    effectiveness: Option<Rating>,
}

/// A mitigation's `option` (required: without it the entry is dropped and
/// its ratings are not read) and its three ratings. `entry` is the span of
/// the whole entry, where a missing `option` is reported.
fn weighed(
    cx: &mut Cx<'_>,
    raw: RawOption<'_>,
    entry: Range<usize>,
    example: &str,
) -> Option<Weighed> {
    let option = cx.required(raw.option, "option", Some(entry), example)?;
    Some(Weighed {
        option: option.value,
        speed: cx.rating(raw.speed, "speed"),
        risk: cx.rating(raw.risk, "risk"),
        effectiveness: cx.rating(raw.effectiveness, "effectiveness"),
    })
}

/// An incident's `[[mitigations]]`, in the order written.
pub(super) fn weighed_in_incident(
    cx: &mut Cx<'_>,
    raw: &[Spanned<RawMitigation>],
) -> Vec<Mitigation> {
    raw.iter()
        .filter_map(|entry| {
            let m = entry.get_ref();
            let keys = RawOption {
                option: m.option.as_ref(),
                speed: m.speed.as_ref(),
                risk: m.risk.as_ref(),
                effectiveness: m.effectiveness.as_ref(),
            };
            let w = weighed(cx, keys, entry.span(), "\"roll back the deploy\"")?;
            Some(Mitigation {
                option: w.option,
                speed: w.speed,
                risk: w.risk,
                effectiveness: w.effectiveness,
                chosen: m.chosen.unwrap_or(false),
                outcome: Cx::text(m.outcome.as_ref()),
            })
        })
        .collect()
}

/// A playbook's `mitigations`, best first ([`mitigation_rank`]).
pub(super) fn ranked_in_playbook(
    cx: &mut Cx<'_>,
    raw: &[Spanned<RawPlaybookMitigation>],
) -> Vec<PlaybookMitigation> {
    let mut out: Vec<PlaybookMitigation> = raw
        .iter()
        .filter_map(|entry| {
            let m = entry.get_ref();
            let keys = RawOption {
                option: m.option.as_ref(),
                speed: m.speed.as_ref(),
                risk: m.risk.as_ref(),
                effectiveness: m.effectiveness.as_ref(),
            };
            let w = weighed(cx, keys, entry.span(), "\"fail over to the replica\"")?;
            Some(PlaybookMitigation {
                option: w.option,
                speed: w.speed,
                risk: w.risk,
                effectiveness: w.effectiveness,
                notes: Cx::text(m.notes.as_ref()),
            })
        })
        .collect();
    out.sort_by_key(|m| mitigation_rank(m.effectiveness, m.speed, m.risk));
    out
}
