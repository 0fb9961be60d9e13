//! The prompt a page offers to copy: the incident page's `postmortem`
//! prompt and the playbook page's `playbook` prompt, in Markdown, with the
//! command that prints the same text. Uses `kinds`, `fill` and `texts`.

use serde::Serialize;

use super::incident::incident_prompt;
use super::kinds::{Format, Kind};
use super::playbook::playbook_prompt;
use super::texts::PromptTemplates;
use super::write::Inputs;
use crate::error::Result;
use crate::model::Incident;

/// What `prompt-box.html` shows (docs/templates.md).
#[derive(Debug, Serialize)]
pub struct PromptBox {
    /// The kind (`postmortem`, `playbook`).
    pub kind: &'static str,
    /// The command that prints the same prompt.
    pub command: String,
    /// The prompt, as Markdown text (Tera escapes it on the page).
    pub text: String,
}

impl PromptTemplates {
    /// The `postmortem` prompt of an incident, for its page.
    pub fn incident_box(&self, inputs: Inputs<'_>, incident: &Incident) -> Result<PromptBox> {
        let kind = Kind::Postmortem;
        let view = incident_prompt(inputs, incident, kind, Format::Markdown, &[]);
        Ok(PromptBox {
            kind: kind.name(),
            command: format!("pm prompt {} {}", kind.name(), incident.id),
            text: self.incident(kind, &view)?,
        })
    }

    /// The `playbook` prompt of an incident type, for its playbook page.
    pub fn playbook_box(&self, inputs: Inputs<'_>, kind_of_incident: &str) -> Result<PromptBox> {
        let lessons = crate::learn::learn(kind_of_incident, inputs.corpus, inputs.analyses);
        let view = playbook_prompt(inputs, kind_of_incident, &lessons, Format::Markdown);
        Ok(PromptBox {
            kind: Kind::Playbook.name(),
            command: format!("pm prompt {} {kind_of_incident}", Kind::Playbook.name()),
            text: self.playbook(&view)?,
        })
    }
}
