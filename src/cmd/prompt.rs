//! `pm prompt`: a prompt for an assistant, filled from a record, printed on
//! stdout. pm never sends it anywhere.

use std::io::Write as _;
use std::path::Path;

use crate::cli::*;
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::markdown::Depth;
use crate::model::Incident;
use crate::pipeline::Ui;
use crate::pipeline::load::{Loaded, load};
use crate::render::prompt::{self, Format, Inputs, KINDS, Kind, LogFile, PromptTemplates};
use crate::{EXIT_FINDINGS, EXIT_OK, learn};

use super::repo::root_of;
use super::report::report;

/// How many lines of a log attachment a prompt quotes: the last ones,
/// where an incident usually is.
const LOG_TAIL_LINES: usize = 100;

pub(crate) fn run(cli: &Cli, args: &PromptArgs, ui: Ui) -> Result<u8> {
    if args.list {
        print(&list())?;
        return Ok(EXIT_OK);
    }
    let Some(kind) = args.kind.map(kind_of) else {
        return Err(Error::Usage(
            "name a prompt: `pm prompt <KIND> <ID>`; `pm prompt --list` lists them".to_owned(),
        ));
    };
    let Some(target) = args.target.as_deref() else {
        let what = if kind == Kind::Playbook {
            "an incident type: `pm prompt playbook <TYPE>`, e.g. `pm prompt playbook database`"
        } else {
            "an incident id (its file name under incidents/, without `.md`)"
        };
        return Err(Error::Usage(format!(
            "`pm prompt {}` needs {what}",
            kind.name()
        )));
    };
    let format = match args.format {
        PromptFormat::Markdown => Format::Markdown,
        PromptFormat::Text => Format::Text,
    };
    let root = root_of(cli);
    let mut diags = Diagnostics::new();
    let no_rev = SourceArgs {
        rev: None,
        require_history: false,
    };
    // The playbook prompt learns causes from the write-ups' first
    // paragraphs, which only a page-deep read gives.
    let depth = if kind == Kind::Playbook {
        Depth::Page
    } else {
        Depth::Outline
    };
    let Some(loaded) = load(&root, &no_rev, depth, &mut diags)? else {
        // pm.toml is unusable: its errors say why.
        diags.sort();
        report(&diags, crate::cli::Format::Human, ui)?;
        return Ok(EXIT_FINDINGS);
    };
    let templates = PromptTemplates::load(&loaded.templates)?;
    let inputs = Inputs {
        corpus: &loaded.corpus,
        analyses: &loaded.analyses,
        config: &loaded.config,
        markdown: &loaded.markdown,
    };
    let (file, text) = if kind == Kind::Playbook {
        known_type(&loaded, target)?;
        let lessons = learn::learn(target, &loaded.corpus, &loaded.analyses);
        let view = prompt::playbook_prompt(inputs, target, &lessons, format);
        let file = loaded
            .corpus
            .playbooks
            .get(target)
            .map(|p| p.origin.file.clone());
        (file, templates.playbook(&view)?)
    } else {
        let Some(incident) = loaded.corpus.incidents.get(target) else {
            return unreadable(&loaded, target, diags, ui);
        };
        let logs = read_logs(incident, ui);
        let view = prompt::incident_prompt(inputs, incident, kind, format, &logs);
        (
            Some(incident.origin.file.clone()),
            templates.incident(kind, &view)?,
        )
    };
    // A record with errors still gives a prompt from what could be read,
    // but the person pasting it should know it is incomplete.
    let flawed = file.as_deref().is_some_and(|f| has_errors(&diags, f));
    if let Some(file) = file.as_deref().filter(|_| flawed) {
        report_file(diags, file, ui)?;
        ui.status(&format!(
            "warning: `{}` has errors (above): the prompt below is filled from what pm could read of it",
            diag::printable(file)
        ));
    }
    print(&text)?;
    Ok(if flawed { EXIT_FINDINGS } else { EXIT_OK })
}

/// The kind `pm prompt` was given, as the render stage names it.
fn kind_of(kind: PromptKind) -> Kind {
    match kind {
        PromptKind::Triage => Kind::Triage,
        PromptKind::StackTrace => Kind::StackTrace,
        PromptKind::Logs => Kind::Logs,
        PromptKind::Correlation => Kind::Correlation,
        PromptKind::Mitigation => Kind::Mitigation,
        PromptKind::Database => Kind::Database,
        PromptKind::Rollback => Kind::Rollback,
        PromptKind::Stuck => Kind::Stuck,
        PromptKind::Commands => Kind::Commands,
        PromptKind::StatusUpdate => Kind::StatusUpdate,
        PromptKind::Postmortem => Kind::Postmortem,
        PromptKind::Playbook => Kind::Playbook,
    }
}

/// `pm prompt --list`: each kind, what it asks and the keys it reads.
fn list() -> String {
    let width = KINDS.iter().map(|k| k.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for about in KINDS {
        let takes = if about.kind == Kind::Playbook {
            "<TYPE>"
        } else {
            "<ID>"
        };
        out.push_str(&format!(
            "{:width$}  {takes:6}  asks: {}\n{:width$}          reads: {}\n",
            about.name,
            about.asks,
            "",
            about.reads.join(", "),
        ));
    }
    out.push_str(
        "\nA key the record lacks is shown as `[not recorded yet: add <key>]`. \
         pm prints the prompt and never sends it anywhere.\n",
    );
    out
}

/// Refuses a type that has neither a playbook nor an incident.
fn known_type(loaded: &Loaded, kind: &str) -> Result<()> {
    let corpus = &loaded.corpus;
    let mut types: Vec<&str> = corpus.playbooks.keys().map(String::as_str).collect();
    types.extend(corpus.incidents.values().map(|i| i.kind.value.as_str()));
    types.sort_unstable();
    types.dedup();
    if types.contains(&kind) {
        return Ok(());
    }
    let mut message = format!(
        "no playbook and no incident of type `{}`",
        diag::printable(kind)
    );
    if let Some(incident) = corpus.incidents.get(kind) {
        // An incident id where a type belongs: name its type.
        message.push_str(&format!(
            "\n  help: `{kind}` is an incident of type `{0}`: `pm prompt playbook {0}`",
            incident.kind.value
        ));
        return Err(Error::Usage(message));
    }
    match diag::suggest(kind, types.iter().copied()) {
        Some(s) => message.push_str(&format!("\n  help: did you mean `{s}`?")),
        None if !types.is_empty() => {
            message.push_str(&format!("\n  help: the types are {}", types.join(", ")));
        }
        None => message.push_str("\n  help: the repository has no playbook or incident yet"),
    }
    Err(Error::Usage(message))
}

/// No valid incident has this id: if a record file of that name has errors
/// that kept pm from reading it, show them (exit 1); else suggest the
/// closest id (exit 2).
fn unreadable(loaded: &Loaded, id: &str, mut diags: Diagnostics, ui: Ui) -> Result<u8> {
    let file = loaded
        .files
        .iter()
        .find(|f| stem_of(f) == Some(id) && f.starts_with("incidents/"));
    if let Some(file) = file.filter(|f| has_errors(&diags, f)) {
        let file = file.clone();
        report_file(std::mem::take(&mut diags), &file, ui)?;
        let prefix = if ui.color {
            "\x1b[1;31merror\x1b[0m"
        } else {
            "error"
        };
        let _ = writeln!(
            std::io::stderr().lock(),
            "{prefix}: `{}` has errors (above) that keep pm from reading it; fix them and ask again",
            diag::printable(&file)
        );
        return Ok(EXIT_FINDINGS);
    }
    let ids = loaded.corpus.incidents.keys().map(String::as_str);
    let mut message = format!("no incident `{}`", diag::printable(id));
    if let Some(s) = diag::suggest(id, ids) {
        message.push_str(&format!("\n  help: did you mean `{s}`?"));
    } else {
        message
            .push_str("\n  help: the id is the record's file name under incidents/, without `.md`");
    }
    Err(Error::Usage(message))
}

/// The id a record file gives: its stem, or its bundle folder's name.
fn stem_of(file: &str) -> Option<&str> {
    let path = Path::new(file);
    let stem = path.file_stem()?.to_str()?;
    if stem == "index" {
        path.parent()?.file_name()?.to_str()
    } else {
        Some(stem)
    }
}

fn has_errors(diags: &Diagnostics, file: &str) -> bool {
    diags
        .items()
        .iter()
        .any(|d| d.level == Level::Error && d.file == file)
}

/// Prints the findings about one file on stderr.
fn report_file(diags: Diagnostics, file: &str, ui: Ui) -> Result<()> {
    let mut own = Diagnostics::new();
    own.extend(diags.items().iter().filter(|d| d.file == file).cloned());
    own.sources = diags.sources;
    own.sort();
    report(&own, crate::cli::Format::Human, ui)
}

/// The last lines of each log attachment `[triage] logs` names. One that
/// cannot be read, or is not text, is left to the prompt as its name, with
/// a note on stderr.
fn read_logs(incident: &Incident, ui: Ui) -> Vec<LogFile> {
    let Some(triage) = &incident.triage else {
        return Vec::new();
    };
    triage
        .logs
        .iter()
        .filter_map(|entry| {
            let file = incident
                .attachments
                .iter()
                .find(|a| a.name == entry.value)?;
            let bytes = match file.content.read() {
                Ok(bytes) => bytes,
                Err(e) => {
                    ui.status(&format!("warning: {e}; the prompt names the file instead"));
                    return None;
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                ui.status(&format!(
                    "warning: `{}` of `{}` is not UTF-8 text; the prompt names the file instead",
                    diag::printable(&file.name),
                    diag::printable(&incident.origin.file)
                ));
                return None;
            };
            let lines: Vec<&str> = text.lines().collect();
            let cut = lines.len().saturating_sub(LOG_TAIL_LINES);
            Some(LogFile {
                name: file.name.clone(),
                tail: lines[cut..].join("\n"),
                cut,
            })
        })
        .collect()
}

fn print(text: &str) -> Result<()> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))
}
