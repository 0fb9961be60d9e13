//! Prompts for an assistant, filled from a record: what `pm prompt` prints
//! and what the incident and playbook pages offer to copy.
//!
//! A prompt is a short frame with the record's facts in it and a few
//! questions, written by a template under `site-template/prompts/`. Every
//! fact the frame needs and the record lacks is a placeholder naming the key
//! to fill, never left out. pm only writes the text: it never sends it
//! anywhere.
//!
//! The files, in order, each using only those before it: `kinds` (the
//! kinds, what each asks and reads, the formats), `write` (how values and
//! placeholders are written), `incident` and `playbook` (what each template
//! reads), `postmortem` (the built-in postmortem prompt written from Rust),
//! `texts` (the templates, compiled and rendered), `page` (the
//! prompt a page offers to copy). This file only names them.

mod incident;
mod kinds;
mod page;
mod playbook;
mod postmortem;
mod texts;
mod write;

pub use incident::{IncidentPrompt, LogFile, PlaybookHints, incident_prompt};
pub use kinds::{About, Format, KINDS, Kind};
pub use page::PromptBox;
pub use playbook::{PlaybookPrompt, SectionPrompt, playbook_prompt};
pub use texts::{PROMPT_TEMPLATES, PromptTemplates, is_prompt_template};
pub use write::{Inputs, placeholder};
