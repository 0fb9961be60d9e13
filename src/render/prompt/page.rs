//! The prompt a page offers to copy: the incident page's `postmortem`
//! prompt and the playbook page's `playbook` prompt, in Markdown, published
//! as text files the pages link to, with the command that prints the same
//! text. Uses `kinds`, `fill` and `texts`.

use serde::Serialize;

use super::kinds::{Format, Kind};
use super::playbook::playbook_prompt;
use super::texts::PromptTemplates;
use super::write::Inputs;
use crate::config::LeaveOut;
use crate::error::Result;
use crate::model::Incident;
use crate::render::urls;

/// What `prompt-box.html` shows (docs/templates.md): not the prompt
/// itself, which is published as its own text file (`url`), so a page's
/// readers do not download a prompt most of them never copy; a site that
/// leaves the prompts out (`[site] leave_out`) gives the command alone.
#[derive(Debug, Serialize)]
pub struct PromptBox {
    /// The kind (`postmortem`, `playbook`).
    pub kind: &'static str,
    /// The command that prints the same prompt.
    pub command: String,
    /// The prompt's text file, a site path (`prompts/postmortem/<id>.txt`);
    /// `None` when the site does not publish the prompts.
    pub url: Option<String>,
}

impl PromptBox {
    /// The box on an incident's page: its `postmortem` prompt.
    pub fn incident(id: &str, leave_out: &LeaveOut) -> PromptBox {
        PromptBox::of(Kind::Postmortem, id, leave_out)
    }

    /// The box on a playbook page: the type's `playbook` prompt.
    pub fn playbook(kind_of_incident: &str, leave_out: &LeaveOut) -> PromptBox {
        PromptBox::of(Kind::Playbook, kind_of_incident, leave_out)
    }

    /// The box of the `kind` prompt of `name` (an incident id or type).
    fn of(kind: Kind, name: &str, leave_out: &LeaveOut) -> PromptBox {
        let kind = kind.name();
        PromptBox {
            kind,
            command: format!("pm prompt {kind} {name}"),
            url: (!leave_out.prompts).then(|| urls::prompt(kind, name)),
        }
    }
}

impl PromptTemplates {
    /// The `postmortem` prompt of an incident, as its page offers it (the
    /// text `pm prompt postmortem <id>` prints).
    pub fn incident_page_text(&self, inputs: Inputs<'_>, incident: &Incident) -> Result<String> {
        self.postmortem_page_text(inputs, incident)
    }

    /// The `playbook` prompt of an incident type, as its playbook page
    /// offers it.
    /// `lessons` are what the type's incidents teach (the page's own).
    pub fn playbook_page_text(
        &self,
        inputs: Inputs<'_>,
        kind_of_incident: &str,
        lessons: &crate::learn::Lessons,
    ) -> Result<String> {
        let view = playbook_prompt(inputs, kind_of_incident, lessons, Format::Markdown);
        self.playbook(&view)
    }
}
