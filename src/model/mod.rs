//! The validated model: incidents and playbooks as pm understands them.
//!
//! [`validate`] turns the `Raw*` mirrors of [`crate::parse`] into these types,
//! reporting every problem it meets (missing keys, unknown values, bad ids,
//! unresolvable times) and keeping whatever it can. Nothing here knows serde,
//! TOML or git; every span is a byte range in the record's file.

//!
//! Files, in order (each uses only earlier ones): `enums`, `time`,
//! `records` (the types), `attachment`, `validate`.

pub mod attachment;
mod enums;
mod records;
pub mod time;
mod validate;

pub use enums::{
    ActionKind, ActionStatus, Audience, ChangeKind, DetectedBy, HypothesisResult, Rating,
    RollbackDecision, RollbackPossible, Status, UpdateStatus,
};
pub use records::{
    Action, Allow, Change, CheckEntry, Command, Corpus, Event, Figure, Hypothesis, Impact,
    Incident, Located, Mitigation, Origin, Playbook, PlaybookMitigation, Rollback, Span, Triage,
    Update, Users, has_scheme, is_safe_url, mitigation_rank,
};
pub use time::{Written, Zone};
pub use validate::{
    Ids, ReadFile, RecordId, Validated, is_valid_id, read, read_one, slug, validate,
};
