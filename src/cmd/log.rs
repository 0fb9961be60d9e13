//! `pm log`: the timeline of one incident as text.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::cli::*;
use crate::config::{self};
use crate::diag::{self, Diagnostics};
use crate::error::{Error, Result};
use crate::markdown::Depth;
use crate::{EXIT_OK, source};

use crate::pipeline::load::load;

use super::repo::root_of;

pub(crate) fn run(cli: &Cli, args: &LogArgs) -> Result<u8> {
    let root = root_of(cli);
    let mut diags = Diagnostics::new();
    let source_args = SourceArgs {
        rev: None,
        require_history: true,
    };
    let Some(loaded) = load(&root, &source_args, Depth::Outline, &mut diags)? else {
        return Err(Error::Config(PathBuf::from(config::CONFIG_FILE)));
    };
    let file = loaded
        .corpus
        .incidents
        .get(&args.id)
        .map(|i| i.origin.file.clone())
        .or_else(|| {
            loaded
                .corpus
                .playbooks
                .get(&args.id)
                .map(|p| p.origin.file.clone())
        })
        .ok_or_else(|| {
            let ids = loaded
                .corpus
                .incidents
                .keys()
                .chain(loaded.corpus.playbooks.keys())
                .map(String::as_str);
            let mut message = format!("no incident or playbook `{}`", args.id);
            if let Some(s) = diag::suggest(&args.id, ids) {
                message.push_str(&format!("\n  help: did you mean `{s}`?"));
            }
            Error::Usage(message)
        })?;
    let history = source::git::history(
        &root,
        None,
        &std::iter::once(file.clone()).collect(),
        loaded.config.repository.as_deref(),
    )
    .map_err(|no| Error::Usage(format!("{}\n  help: {}", no.reason, no.help)))?;
    let mut out = std::io::stdout().lock();
    let w = |e| Error::io("cannot write", Path::new("<stdout>"), e);
    let Some(file_history) = history.files.get(&file) else {
        writeln!(out, "{file}: not committed yet").map_err(w)?;
        return Ok(EXIT_OK);
    };
    for rev in &file_history.revisions {
        let day = Timestamp::from_second(rev.time)
            .map(|t| jiff::tz::TimeZone::UTC.to_datetime(t).date().to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "{} {day} {:<20} {}",
            rev.short_id(),
            rev.author,
            rev.summary
        )
        .map_err(w)?;
    }
    Ok(EXIT_OK)
}
