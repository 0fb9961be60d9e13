//! The prompt templates: `site-template/prompts/<kind>.md`, compiled into
//! the binary, each overridable by a repository's own file of the same
//! name, rendered as plain text (no HTML escaping: a prompt is pasted, not
//! shown; a page escapes it when it shows it). Uses `kinds` and `fill`.

use serde::Serialize;
use tera::{Context, Tera};

use super::super::overrides::{Override, error_chain as chain};
use super::super::status::tidy;
use super::incident::{IncidentPrompt, incident_prompt};
use super::kinds::{Format, KINDS, Kind};
use super::playbook::PlaybookPrompt;
use super::postmortem::builtin_markdown;
use super::write::Inputs;
use crate::error::{Error, Result};
use crate::model::Incident;

/// The built-in prompt templates: name inside `site-template/`, text.
pub const PROMPT_TEMPLATES: &[(&str, &str)] = &[
    (
        "prompts/commands.md",
        include_str!("../../../site-template/prompts/commands.md"),
    ),
    (
        "prompts/correlation.md",
        include_str!("../../../site-template/prompts/correlation.md"),
    ),
    (
        "prompts/database.md",
        include_str!("../../../site-template/prompts/database.md"),
    ),
    (
        "prompts/logs.md",
        include_str!("../../../site-template/prompts/logs.md"),
    ),
    (
        "prompts/mitigation.md",
        include_str!("../../../site-template/prompts/mitigation.md"),
    ),
    (
        "prompts/playbook.md",
        include_str!("../../../site-template/prompts/playbook.md"),
    ),
    (
        "prompts/postmortem.md",
        include_str!("../../../site-template/prompts/postmortem.md"),
    ),
    (
        "prompts/rollback.md",
        include_str!("../../../site-template/prompts/rollback.md"),
    ),
    (
        "prompts/stack-trace.md",
        include_str!("../../../site-template/prompts/stack-trace.md"),
    ),
    (
        "prompts/status-update.md",
        include_str!("../../../site-template/prompts/status-update.md"),
    ),
    (
        "prompts/stuck.md",
        include_str!("../../../site-template/prompts/stuck.md"),
    ),
    (
        "prompts/triage.md",
        include_str!("../../../site-template/prompts/triage.md"),
    ),
];

/// Whether a file of `site-template/` is a prompt template (not a page or
/// an asset of the site).
pub fn is_prompt_template(name: &str) -> bool {
    name.starts_with("prompts/")
}

/// The prompt templates of one run, compiled once.
pub struct PromptTemplates {
    tera: Tera,
    /// Whether `prompts/postmortem.md` is the built-in one, which
    /// [`PromptTemplates::postmortem_page_text`] writes without tera.
    builtin_postmortem: bool,
}

impl std::fmt::Debug for PromptTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PromptTemplates")
    }
}

impl PromptTemplates {
    /// Compiles the built-in prompts, each replaced by the repository's
    /// `site-template/prompts/<kind>.md` when it has one. A file under
    /// `prompts/` that names no kind is refused, so a typo in its name does
    /// not leave the built-in text in use unnoticed.
    pub fn load(overrides: &[Override]) -> Result<PromptTemplates> {
        let mut sources: Vec<(String, String)> = PROMPT_TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        for file in overrides.iter().filter(|f| is_prompt_template(&f.name)) {
            let Some(slot) = sources.iter_mut().find(|(n, _)| *n == file.name) else {
                let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
                return Err(Error::Template(format!(
                    "`site-template/{}` is not a prompt pm knows; prompt templates are \
                     `site-template/prompts/<kind>.md`, for the kinds {}",
                    file.name,
                    names.join(", ")
                )));
            };
            slot.1 = String::from_utf8(file.bytes.clone()).map_err(|_| {
                Error::Template(format!("`site-template/{}` is not valid UTF-8", file.name))
            })?;
        }
        let builtin_postmortem = !overrides
            .iter()
            .any(|f| f.name == Kind::Postmortem.template());
        let mut tera = Tera::new();
        // Prompts are text: nothing is escaped here.
        tera.autoescape_on(Vec::<&'static str>::new());
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| Error::Template(format!("`site-template/prompts/`: {}", chain(&e))))?;
        Ok(PromptTemplates {
            tera,
            builtin_postmortem,
        })
    }

    /// Renders an incident's prompt.
    pub fn incident(&self, kind: Kind, view: &IncidentPrompt) -> Result<String> {
        self.render(kind, view)
    }

    /// Renders a playbook's prompt.
    pub fn playbook(&self, view: &PlaybookPrompt) -> Result<String> {
        self.render(Kind::Playbook, view)
    }

    /// The `postmortem` prompt of an incident in Markdown, as its page
    /// offers it: written from Rust when the template is the built-in one
    /// (see `postmortem.rs`), else by the repository's template.
    pub fn postmortem_page_text(&self, inputs: Inputs<'_>, incident: &Incident) -> Result<String> {
        if self.builtin_postmortem {
            return Ok(tidy(&builtin_markdown(inputs, incident)));
        }
        let kind = Kind::Postmortem;
        let view = incident_prompt(inputs, incident, kind, Format::Markdown, &[]);
        self.incident(kind, &view)
    }

    fn render(&self, kind: Kind, view: &impl Serialize) -> Result<String> {
        let name = kind.template();
        let context = Context::from_serialize(view).map_err(|e| Error::Template(chain(&e)))?;
        let text = self.tera.render(&name, &context).map_err(|e| {
            Error::Template(format!("rendering `site-template/{name}`: {}", chain(&e)))
        })?;
        Ok(tidy(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_builtin_template_and_every_template_a_kind() {
        for about in KINDS {
            let name = about.kind.template();
            assert!(
                PROMPT_TEMPLATES.iter().any(|(n, _)| *n == name),
                "no built-in {name}"
            );
        }
        assert_eq!(PROMPT_TEMPLATES.len(), KINDS.len());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site-template/prompts");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("prompts/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let listed: Vec<String> = PROMPT_TEMPLATES
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        assert_eq!(
            on_disk, listed,
            "site-template/prompts/ and PROMPT_TEMPLATES disagree"
        );
    }

    #[test]
    fn builtin_prompts_compile() {
        PromptTemplates::load(&[]).unwrap();
    }

    #[test]
    fn an_override_with_an_unknown_name_is_refused() {
        let over = Override {
            name: "prompts/triag.md".into(),
            bytes: b"x".to_vec(),
        };
        let Err(Error::Template(message)) = PromptTemplates::load(&[over]) else {
            panic!("an unknown prompt name must be refused");
        };
        assert!(
            message.contains("site-template/prompts/triag.md"),
            "{message}"
        );
    }
}
