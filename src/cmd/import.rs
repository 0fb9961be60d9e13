//! `pm import`: timeline events added to a record from a Slack export, a CSV
//! or a JSON Lines file. Events already in the record are skipped; each new
//! one carries `source` and a comment marking it for the author to prune.

use std::io::Write as _;

use jiff::civil::Date;

use crate::cli::*;
use crate::config::Zone;
use crate::diag::{self, Diagnostics};
use crate::error::{Error, Result};
use crate::pipeline::{Ui, shown};
use crate::{EXIT_FINDINGS, import};

use super::event::{NewEvent, Opened, Write, add_events, open};

/// `--from` / `--to`.
fn day(flag: &str, text: Option<&str>) -> Result<Option<Date>> {
    text.map(|t| {
        t.trim()
            .parse::<Date>()
            .map_err(|_| Error::Usage(format!("invalid `--{flag}` `{t}`: write it as YYYY-MM-DD")))
    })
    .transpose()
}

pub(crate) fn run(cli: &Cli, args: &ImportArgs, ui: Ui) -> Result<u8> {
    let from = day("from", args.from.as_deref())?;
    let to = day("to", args.to.as_deref())?;
    let zone = match &args.zone {
        Some(name) => Some(Zone {
            tz: jiff::tz::TimeZone::get(name.trim()).map_err(|_| {
                Error::Usage(format!(
                    "unknown `--zone` `{name}`: use an IANA name such as `Europe/Berlin` or `UTC`"
                ))
            })?,
            name: name.trim().to_owned(),
        }),
        None => None,
    };
    let target = match open(cli, &args.id, ui)? {
        Opened::Record(t) => t,
        Opened::Refused(code) => return Ok(code),
    };
    let options = import::Options {
        kind: args.format.map(|f| match f {
            ImportFormat::Slack => import::Kind::Slack,
            ImportFormat::Csv => import::Kind::Csv,
            ImportFormat::Jsonl => import::Kind::JsonLines,
        }),
        channel: args.channel.clone(),
        // Times without an offset are the export's, not the record's: only
        // `--zone` says which zone that is.
        zone,
    };
    let shown_file = shown(&args.file);
    let export = match import::read(&args.file, &shown_file, &options) {
        Ok(export) => export,
        Err(failure) => {
            let mut diags = Diagnostics::new();
            if let Some(text) = failure.text {
                diags.sources.insert(failure.diagnostic.file.clone(), text);
            }
            diags.push(failure.diagnostic);
            super::report::report(&diags, Format::Human, ui)?;
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: nothing was imported into `{}`", target.rel);
            return Ok(EXIT_FINDINGS);
        }
    };
    let source = args.source.clone().unwrap_or(export.source);
    let read = export.messages.len();
    let mut events: Vec<NewEvent> = Vec::new();
    let mut duplicates = 0;
    let mut outside = 0;
    for message in export.messages {
        let day = target.day(message.at);
        if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
            outside += 1;
            continue;
        }
        let text = message.text.trim().to_owned();
        let again = events
            .iter()
            .any(|e| e.at == message.at && e.text.to_lowercase() == text.to_lowercase());
        if again || target.has_event(message.at, &text) {
            duplicates += 1;
            continue;
        }
        events.push(NewEvent {
            at: message.at,
            text,
            step: None,
            who: message.who,
            source: Some(source.clone()),
            comment: Some(format!(
                "imported from {source}: keep what matters, add a step, delete the rest"
            )),
        });
    }
    let mut skipped = Vec::new();
    if duplicates > 0 {
        skipped.push(format!(
            "{} already in the record",
            diag::plural(duplicates, "message")
        ));
    }
    if outside > 0 {
        skipped.push(format!(
            "{} outside --from/--to",
            diag::plural(outside, "message")
        ));
    }
    ui.status(&format!(
        "read {} from `{shown_file}`{}",
        diag::plural(read, "message"),
        if skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped {}", skipped.join(", "))
        }
    ));
    let write = if args.dry_run {
        Write::DryRun
    } else {
        Write::Yes
    };
    add_events(&target, events, "imported event", write, ui)
}
