//! Instants read on a zone's clock, each conversion made once.
//!
//! A page asks for the same few instants again and again: the event table,
//! the drawing, the milestones, the checklist, the prompt and the tracker
//! each read an event's time in the record's zone, about 400 conversions
//! per record. In a zone with summer time each one works out that year's
//! changes from the zone's rule, so they were about 5 % of a build
//! (session 15). The conversions are remembered here, per thread, keyed by
//! the exact instant and the zone itself: a remembered reading is the one
//! jiff gave for that very instant, so no answer can differ.
//!
//! The zone is known by the identity of its name, not by its value: a
//! reading is reused only for a zone whose name is the very same string in
//! memory as the remembered zone's (so a clone of the same loaded zone),
//! and the remembered zone is kept alive by the cache, so its name can
//! never be freed and its address reused by another zone. Comparing zones
//! by value would look the name up in jiff's database on every call. Zones
//! without a name (fixed offsets) are converted every time: they are cheap.

use std::cell::RefCell;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Readings remembered per thread (a power of two): a record's drawing
/// and tables use a few dozen instants.
const SLOTS: usize = 64;

/// One instant read on the clock.
struct Reading {
    at: Timestamp,
    local: DateTime,
    abbreviation: String,
}

/// The remembered readings of one zone.
struct Readings {
    zone: Option<TimeZone>,
    slots: Vec<Option<Reading>>,
}

thread_local! {
    static READINGS: RefCell<Readings> = const {
        RefCell::new(Readings {
            zone: None,
            slots: Vec::new(),
        })
    };
}

/// Whether `a` and `b` are the same loaded zone (see the module's note).
fn same_zone(a: &TimeZone, b: &TimeZone) -> bool {
    match (a.iana_name(), b.iana_name()) {
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        _ => false,
    }
}

/// The slot an instant is remembered in.
fn slot_of(at: Timestamp) -> usize {
    let key = (at.as_second() as u64) ^ u64::from(at.subsec_nanosecond().unsigned_abs());
    // Fibonacci hashing: instants a round number of minutes apart spread
    // over every slot.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The reading of `at` in `tz`, computed.
fn read(at: Timestamp, tz: &TimeZone) -> Reading {
    let info = tz.to_offset_info(at);
    Reading {
        at,
        local: info.offset().to_datetime(at),
        abbreviation: info.abbreviation().to_owned(),
    }
}

/// `f` of the civil datetime of `at` in `tz` and the zone's abbreviation
/// then (`CET`).
pub(super) fn with_reading<R, F: FnOnce(DateTime, &str) -> R>(
    at: Timestamp,
    tz: &TimeZone,
    f: F,
) -> R {
    // Without the cache: zones without a name, and a reading asked for
    // while `f` itself reads a time.
    let afresh = |f: F| {
        let r = read(at, tz);
        f(r.local, &r.abbreviation)
    };
    if tz.iana_name().is_none() {
        return afresh(f);
    }
    READINGS.with(|cell| {
        let Ok(mut readings) = cell.try_borrow_mut() else {
            return afresh(f);
        };
        if !readings.zone.as_ref().is_some_and(|z| same_zone(z, tz)) {
            readings.zone = Some(tz.clone());
            readings.slots.clear();
            readings.slots.resize_with(SLOTS, || None);
        }
        let Some(slot) = readings.slots.get_mut(slot_of(at)) else {
            return afresh(f);
        };
        let reading = match slot {
            Some(r) if r.at == at => r,
            _ => slot.insert(read(at, tz)),
        };
        f(reading.local, &reading.abbreviation)
    })
}

/// The civil datetime of `at` in `tz`, as `tz.to_datetime(at)` gives it.
pub(super) fn datetime(at: Timestamp, tz: &TimeZone) -> DateTime {
    with_reading(at, tz, |local, _| local)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Remembered readings are jiff's own, across zones that take turns
    /// and instants that share a slot.
    #[test]
    fn remembered_readings_are_the_conversions() {
        let zones: Vec<TimeZone> = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"]
            .iter()
            .filter_map(|n| TimeZone::get(n).ok())
            .chain([TimeZone::UTC, TimeZone::fixed(jiff::tz::offset(3))])
            .collect();
        assert_eq!(zones.len(), 5);
        let start: Timestamp = "2025-10-26T00:00:00Z".parse().unwrap();
        // Each instant in every zone in turn, then again: a reading must
        // never be answered for another zone's clock.
        for round in 0..2 {
            for i in 0..500_i64 {
                let at = start + jiff::SignedDuration::from_secs(i * 757 + round);
                for (n, tz) in zones.iter().enumerate() {
                    let info = tz.to_offset_info(at);
                    with_reading(at, tz, |local, abbreviation| {
                        assert_eq!(local, tz.to_datetime(at), "zone {n}, {at}");
                        assert_eq!(abbreviation, info.abbreviation(), "zone {n}, {at}");
                    });
                    // A clone is the same zone: its readings are reused.
                    assert_eq!(datetime(at, &tz.clone()), tz.to_datetime(at));
                }
            }
        }
    }

    #[test]
    fn zones_are_known_by_identity() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        assert!(same_zone(&berlin, &berlin.clone()));
        assert!(!same_zone(&berlin, &tokyo));
        assert!(!same_zone(
            &TimeZone::fixed(jiff::tz::offset(1)),
            &TimeZone::fixed(jiff::tz::offset(1))
        ));
    }
}
