//! Learning: what the incidents of one type teach its playbook.
//!
//! [`learn`] reads a type's incidents (drafts left out) and gathers, per
//! playbook section, what the records say: symptoms responders saw, the
//! checks that found the cause, the causes confirmed, the mitigations weighed
//! and how they fared, the steps that fixed and verified it, and the shell
//! commands the postmortems quote. Every item keeps the incidents it came
//! from. Items merge when their text is the same after [`normalise`], and
//! items of different incidents also when they mean the same ([`Stems`]:
//! shared word stems; commands only as written). A curated playbook item is
//! matched to them by the same rule, so [`unsaid`] keeps only what a
//! curated playbook does not say yet in any words, and a curated mitigation
//! finds its record; [`diff_text`] and [`diff_json`] print that for
//! `pm playbook diff`.
//!
//! Pure: reads the model and the analysis (and bodies through
//! [`crate::markdown`]); renders no pages and writes nothing.
//!
//! Its files, each using only those before it in this list: `matching`
//! (whether two texts mean the same), `lessons` (what learning yields, and
//! the text items merge on), `commands` (shell
//! commands quoted in bodies), `collect` ([`learn`]), `diff` ([`unsaid`],
//! [`diff_text`], [`diff_json`]). This file only names them.

mod collect;
mod commands;
mod diff;
mod lessons;
mod matching;
#[cfg(test)]
mod tests;

pub use collect::{LEARNED_STEPS, ROOT_CAUSE_HEADING, learn};
pub use commands::command_of;
pub use diff::{diff_json, diff_text, one_line, ratings_line, record_line, seen_in_line, unsaid};
pub use lessons::{
    Item, Lessons, MitigationLesson, Outcome, Section, Seen, normalise, normalise_command,
};
pub use matching::{MIN_OVERLAP, MIN_SHARED, Stems, stem};
