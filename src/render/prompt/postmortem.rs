//! The built-in `postmortem` prompt in Markdown, written from Rust: the
//! text `site-template/prompts/postmortem.md` gives, to the byte, without
//! filling every field of [`IncidentPrompt`](super::IncidentPrompt) and
//! serialising it for tera. A build writes this prompt for every incident
//! (the file its page links to), and tera's way was about 8 % of a build's
//! work. Only the built-in template takes this path: a repository that
//! overrides `prompts/postmortem.md` gets its own template rendered by
//! tera, as before. The test `the_fast_postmortem_prompt_is_the_template_s`
//! holds the two to the same text on every example and fixture record.
//! Uses `kinds`, `write` and `incident`.

use super::incident::{
    actions, durations, gaps, hypotheses, impact, missing_milestones, missing_steps, root_cause,
    services, timeline, writer,
};
use super::kinds::Format;
use super::write::Inputs;
use crate::model::{HypothesisResult, Incident};

/// The `postmortem` prompt of `incident` in Markdown, as the built-in
/// template writes it before [`tidy`](crate::render::status::tidy).
pub(super) fn builtin_markdown(inputs: Inputs<'_>, incident: &Incident) -> String {
    let analysis = inputs.analyses.incidents.get(&incident.id);
    let w = writer(inputs, incident, Format::Markdown);
    let b = w.bold();
    let timeline = w.items(timeline(&w, incident, analysis), "[[timeline]]");
    let confirmed = hypotheses(&w, incident, HypothesisResult::Confirmed);
    let gaps = gaps(&w, analysis);
    let missing_milestones = missing_milestones(analysis, incident.status.value);
    let missing_steps = missing_steps(analysis);
    let actions = w.items(actions(&w, incident), "[[actions]]");

    let mut out = String::with_capacity(4096);
    let list = |out: &mut String, label: &str, items: &[String]| {
        for item in items {
            out.push_str("- ");
            out.push_str(label);
            out.push_str(item);
            out.push('\n');
        }
    };
    out.push_str(
        "Help me write the postmortem of a production incident. Be concrete; do not invent \
         facts that are not below.\n\n",
    );
    for part in [
        b,
        "Incident:",
        b,
        " ",
        &w.inline(&incident.title),
        " (",
        &incident.severity.value,
        ", ",
        incident.status.value.as_str(),
        "; services: ",
        &services(incident),
        ")\n\n",
        b,
        "Timeline:",
        b,
    ] {
        out.push_str(part);
    }
    if timeline.len() > 1 {
        out.push_str(" (a time without a date is on the day of the line above, in its time zone)");
    }
    out.push('\n');
    list(&mut out, "", &timeline);
    for part in ["\n", b, "Impact:", b, "\n"] {
        out.push_str(part);
    }
    list(&mut out, "", &impact(&w, incident));
    list(&mut out, "", &durations(analysis));
    for part in ["\n", b, "Root cause:", b, "\n"] {
        out.push_str(part);
    }
    out.push_str(&root_cause(&w, incident, analysis));
    out.push('\n');
    if !confirmed.is_empty() {
        for part in ["\n", b, "Confirmed hypotheses:", b, "\n"] {
            out.push_str(part);
        }
        list(&mut out, "", &confirmed);
    }
    for part in ["\n", b, "What pm already found in the record:", b, "\n"] {
        out.push_str(part);
    }
    list(&mut out, "Gap: ", &gaps);
    list(&mut out, "Missing milestone: ", &missing_milestones);
    list(&mut out, "Missing checklist step: ", &missing_steps);
    if gaps.is_empty() && missing_milestones.is_empty() && missing_steps.is_empty() {
        out.push_str("- no gaps, and every milestone and required checklist step is recorded\n");
    }
    for part in ["\n", b, "Action items so far:", b, "\n"] {
        out.push_str(part);
    }
    list(&mut out, "", &actions);
    for part in [
        "\n",
        b,
        "Questions:",
        b,
        "\n1. The timeline, with its gaps: what happened in each silence, and what is missing?\n\
         2. What monitoring would have caught this sooner?\n\
         3. What would have prevented it?\n\
         4. Which action items should follow, each with an owner and a due date?\n",
    ] {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::texts::{PROMPT_TEMPLATES, PromptTemplates};
    use crate::cli::SourceArgs;
    use crate::diag::Diagnostics;
    use crate::markdown::Depth;
    use crate::render::Override;

    /// Every record a repository of the project has: the example
    /// repository's and every fixture's.
    fn roots() -> Vec<PathBuf> {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut roots = vec![manifest.to_owned()];
        let mut dirs = vec![manifest.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.join("incidents").is_dir() {
                    roots.push(path.clone());
                }
                if path.is_dir() {
                    dirs.push(path);
                }
            }
        }
        roots.sort();
        roots
    }

    /// The built-in postmortem prompt written from Rust is, to the byte,
    /// what tera writes from `site-template/prompts/postmortem.md`, on every
    /// incident of the example repository and of the fixtures (an override
    /// that is the built-in text takes tera's way).
    #[test]
    fn the_fast_postmortem_prompt_is_the_template_s() {
        let builtin = PROMPT_TEMPLATES
            .iter()
            .find(|(name, _)| *name == "prompts/postmortem.md")
            .map(|(_, text)| text.as_bytes().to_vec())
            .unwrap();
        let fast = PromptTemplates::load(&[]).unwrap();
        let tera = PromptTemplates::load(&[Override {
            name: "prompts/postmortem.md".into(),
            bytes: builtin,
        }])
        .unwrap();
        let source = SourceArgs {
            rev: None,
            require_history: false,
        };
        let mut compared = 0;
        for root in roots() {
            for depth in [Depth::Outline, Depth::Page] {
                let mut diags = Diagnostics::new();
                let Ok(Some(loaded)) =
                    crate::pipeline::load::load(&root, &source, depth, &mut diags)
                else {
                    continue;
                };
                let inputs = super::Inputs {
                    corpus: &loaded.corpus,
                    analyses: &loaded.analyses,
                    config: &loaded.config,
                    markdown: &loaded.markdown,
                };
                for incident in loaded.corpus.incidents.values() {
                    let one = fast.postmortem_page_text(inputs, incident).unwrap();
                    let other = tera.postmortem_page_text(inputs, incident).unwrap();
                    assert_eq!(one, other, "{}: {}", root.display(), incident.id);
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "only {compared} prompts compared");
    }
}
