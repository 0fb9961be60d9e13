//! From `Raw*` mirrors to the model, reporting every problem on the way.
//!
//! Its files, each using only those before it in this list:
//! `cx` (the context of one file and the checks of single values),
//! `mitigation` (one validator for incidents' and playbooks' mitigations),
//! `header` (an incident's top-level keys), `tables` (`[impact]`,
//! `[triage]`, `[rollback]`, `[checklist]`), `timeline` (`[[timeline]]`),
//! `entries` (`[[actions]]`, `[[changes]]`, `[[hypotheses]]`,
//! `[[updates]]`), `incident`, `playbook`, and `record` (reading and
//! validating files in parallel, and unique ids). This file only names
//! them.

mod cx;
mod entries;
mod header;
mod incident;
mod mitigation;
mod playbook;
mod record;
mod tables;
mod timeline;

#[cfg(test)]
mod tests;

pub use cx::{is_valid_id, slug};
pub use record::{Ids, ReadFile, RecordId, Validated, read, read_one, validate};
