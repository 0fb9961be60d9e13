//! `pm playbook`: draft a playbook from its incidents, or diff it against them.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::*;
use crate::diag::{self, Diagnostics};
use crate::error::{Error, Result};
use crate::markdown::Depth;
use crate::pipeline::Ui;
use crate::{EXIT_FINDINGS, EXIT_OK, learn, model, source};

use crate::pipeline::load::load;
use crate::{cli, scaffold};

use super::repo::create_in_repo;
use super::repo::{print_path, root_of};
use super::report::report;

/// `pm playbook draft|diff`: what a type's incidents teach its playbook.
pub(crate) fn run(cli: &Cli, args: &cli::PlaybookArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let kind = match &args.command {
        cli::PlaybookCommand::Draft(a) => &a.kind,
        cli::PlaybookCommand::Diff(a) => &a.kind,
    };
    if !model::is_valid_id(kind) {
        return Err(Error::Usage(format!(
            "invalid type `{kind}`: use lowercase letters, digits and `-` (e.g. `{}`)",
            model::slug(kind)
        )));
    }
    let mut diags = Diagnostics::new();
    let source_args = SourceArgs {
        rev: None,
        require_history: false,
    };
    // Lessons read code blocks and section leads: a page-depth digest.
    let loaded = load(&root, &source_args, Depth::Page, &mut diags)?;
    if diags.has_errors() {
        // Records with errors are left out of what is learned; say so, and
        // in the exit code.
        diags.sort();
        report(&diags, Format::Human, ui)?;
    }
    let Some(loaded) = loaded else {
        return Ok(EXIT_FINDINGS);
    };
    let code = if diags.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    let playbook = loaded.corpus.playbooks.get(kind);
    let lessons = learn::learn(kind, &loaded.corpus, &loaded.analyses);
    if lessons.incidents.is_empty()
        && !matches!(args.command, cli::PlaybookCommand::Diff(_) if playbook.is_some())
    {
        let kinds: std::collections::BTreeSet<&str> = loaded
            .corpus
            .incidents
            .values()
            .map(|i| i.kind.value.as_str())
            .chain(loaded.corpus.playbooks.keys().map(String::as_str))
            .collect();
        let mut message =
            format!("no incident of type `{kind}` to learn from (drafts are left out)");
        if let Some(s) = diag::suggest(kind, kinds.iter().copied()) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        return Err(Error::Usage(message));
    }
    let mut out = std::io::stdout().lock();
    let w = |e| Error::io("cannot write", Path::new("<stdout>"), e);
    match &args.command {
        cli::PlaybookCommand::Draft(a) => {
            let text = scaffold::playbook_draft(&lessons);
            let hint = format!(
                "`pm playbook diff {kind}` shows what the incidents add to it; write the draft elsewhere with `--output`, or print it with `--output -`"
            );
            match &a.output {
                Some(path) if path.as_os_str() == "-" => {
                    out.write_all(text.as_bytes()).map_err(w)?
                }
                Some(path) => {
                    create_in_repo(&root, path, &text, &hint)?;
                    print_path(path)?;
                }
                None => {
                    let rel = PathBuf::from(source::PLAYBOOKS_DIR).join(format!("{kind}.md"));
                    create_in_repo(&root, &rel, &text, &hint)?;
                    print_path(&rel)?;
                }
            }
        }
        cli::PlaybookCommand::Diff(a) => {
            let rest = learn::unsaid(&lessons, playbook);
            let file = playbook.map(|p| p.origin.file.as_str());
            let text = match a.format {
                cli::DiffFormat::Text => learn::diff_text(&rest, file),
                cli::DiffFormat::Json => {
                    let mut json = serde_json::to_string_pretty(&learn::diff_json(&rest, file))
                        .map_err(|e| Error::Serialize {
                            what: "the playbook diff",
                            message: e.to_string(),
                        })?;
                    json.push('\n');
                    json
                }
            };
            out.write_all(text.as_bytes()).map_err(w)?;
        }
    }
    Ok(code)
}
