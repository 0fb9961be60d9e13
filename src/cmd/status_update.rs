//! `pm status-update`: a status update for stakeholders, from the record.

use std::io::Write as _;
use std::path::Path;

use crate::cli::*;
use crate::diag::{self, Diagnostics, Level};
use crate::error::{Error, Result};
use crate::markdown::Depth;
use crate::pipeline::Ui;
use crate::{EXIT_FINDINGS, EXIT_OK, edit, render};

use crate::pipeline::load::load;

use super::event;
use super::repo::root_of;
use super::report::report;

pub(crate) fn run(cli: &Cli, args: &StatusUpdateArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let mut diags = Diagnostics::new();
    let no_rev = SourceArgs {
        rev: None,
        require_history: false,
    };
    let loaded = load(&root, &no_rev, Depth::Outline, &mut diags)?;
    let file_errors = diags.items().iter().any(|d| d.level == Level::Error);
    let Some(loaded) = loaded else {
        diags.sort();
        report(&diags, Format::Human, ui)?;
        return Ok(EXIT_FINDINGS);
    };
    let is_record = |file: &str| {
        file.strip_suffix(".md")
            .map(|f| f.strip_suffix("/index").unwrap_or(f))
            .and_then(|f| f.rsplit('/').next())
            == Some(args.id.as_str())
    };
    // A record with errors drafts no update, whether it could not be read
    // or was read past a wrong value: what it says may not be what was
    // meant, and this text goes to customers.
    if let Some(broken) =
        (diags.items().iter()).find(|d| d.level == Level::Error && is_record(&d.file))
    {
        let file = broken.file.clone();
        diags.retain(|d| d.level == Level::Error);
        diags.sort();
        report(&diags, Format::Human, ui)?;
        return Err(Error::Usage(format!(
            "the record `{file}` has errors (reported above), so no update can be drafted from it\n  help: fix them (`pm lint {file}`), then run this again"
        )));
    }
    if !loaded.corpus.incidents.contains_key(&args.id) {
        // Report why the records could not be read, if that may be why.
        if file_errors {
            diags.sort();
            report(&diags, Format::Human, ui)?;
        }
        let ids = loaded.corpus.incidents.keys().map(String::as_str);
        let mut message = format!("no incident `{}`", args.id);
        if let Some(s) = diag::suggest(&args.id, ids) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        }
        return Err(Error::Usage(message));
    }
    if let Some(incident) = loaded.corpus.incidents.get(&args.id)
        && incident.draft
    {
        ui.status(&format!(
            "note: `{}` is a draft (`draft = true`): it is left off the site until you remove that line",
            incident.origin.file
        ));
    }
    let text = render::status::status_update(
        &loaded.corpus,
        &loaded.analyses,
        &loaded.config,
        &loaded.templates,
        &args.id,
        match args.audience {
            UpdateAudience::Customers => render::status::Audience::Customers,
            UpdateAudience::Internal => render::status::Audience::Internal,
        },
        args.format == UpdateFormat::Markdown,
    )?;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    if args.record {
        let stage = loaded
            .corpus
            .incidents
            .get(&args.id)
            .map_or("investigating", render::status::stage);
        return record(cli, args, &stage.to_lowercase(), &text, ui);
    }
    Ok(EXIT_OK)
}

/// `--record`: the drafted update added to the record's `[[updates]]`, as
/// sent now.
fn record(cli: &Cli, args: &StatusUpdateArgs, status: &str, text: &str, ui: Ui) -> Result<u8> {
    let target = match event::open(cli, &args.id, ui)? {
        event::Opened::Record(t) => t,
        event::Opened::Refused(code) => return Ok(code),
    };
    let at = event::now()?;
    let audience = match args.audience {
        UpdateAudience::Customers => "customers",
        UpdateAudience::Internal => "internal",
    };
    let tz = target.zone.as_ref().map(|z| &z.tz);
    let entry = edit::Entry {
        comment: None,
        keys: vec![
            (
                "at",
                edit::EntryValue::Time(edit::written_time(at, tz, None, false)),
            ),
            ("status", edit::EntryValue::Text(status.to_owned())),
            ("audience", edit::EntryValue::Text(audience.to_owned())),
            ("text", edit::EntryValue::Text(text.trim().to_owned())),
        ],
    };
    event::add_update(&target, entry, event::Write::Yes, ui)
}
