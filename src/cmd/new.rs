//! `pm new`: a new incident record or playbook from the template, never over a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::cli::*;
use crate::config::{self, Config};
use crate::diag::{self, Diagnostics};
use crate::error::{Error, Result};
use crate::pipeline::{Ui, resolve_today};
use crate::{EXIT_OK, edit, model, source};

use crate::scaffold;

use super::event::AFTER_TIMELINE;
use super::repo::{create_in_repo, refuse_symlinked_folders};
use super::repo::{print_path, root_of};

/// Reads `pm.toml` (or defaults) without reading records, for `pm new`.
pub(crate) fn config_only(root: &Path) -> Result<Config> {
    let path = root.join(config::CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let mut diags = Diagnostics::new();
            diags
                .sources
                .insert(config::CONFIG_FILE, std::sync::Arc::new(text.clone()));
            match Config::parse(&text, &mut diags) {
                Some(c) => Ok(c),
                None => {
                    let mut err = std::io::stderr().lock();
                    for d in diags.items() {
                        let _ = writeln!(err, "{}\n", diag::render_human(d, &diags.sources, false));
                    }
                    Err(Error::Config(path))
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(Error::io("cannot read", &path, e)),
    }
}

/// A live record's first event, detected now, where the template shows the
/// timeline. `detected`, not `impact-start`: when someone opens the record,
/// the incident has just been noticed, and when the harm began is usually
/// not known yet (add it with `pm event <id> "…" --at <time> --step
/// impact-start`).
fn first_event(record: &str, at: jiff::Timestamp, config: &Config, title: &str) -> Result<String> {
    let tz = config.timezone.as_ref().map(|z| &z.tz);
    let entry = edit::Entry {
        comment: None,
        keys: vec![
            (
                "at",
                edit::EntryValue::Time(edit::written_time(at, tz, None, false)),
            ),
            ("text", edit::EntryValue::Text(format!("Detected: {title}"))),
            ("step", edit::EntryValue::Text("detected".to_owned())),
        ],
    };
    edit::insert_entries(
        record,
        "timeline",
        &[(edit::Place::Start, entry)],
        AFTER_TIMELINE,
    )
    .map(|edited| edited.text)
    .map_err(|e| Error::Usage(format!("cannot start the live record: {e}")))
}

pub(crate) fn run(cli: &Cli, args: &NewArgs, ui: Ui) -> Result<u8> {
    let root = root_of(cli);
    let config = config_only(&root)?;
    if let Some(kind) = &args.playbook {
        if !model::is_valid_id(kind) {
            return Err(Error::Usage(format!(
                "invalid type `{kind}`: use lowercase letters, digits and `-` (e.g. `{}`)",
                model::slug(kind)
            )));
        }
        let rel = PathBuf::from(source::PLAYBOOKS_DIR).join(format!("{kind}.md"));
        create_in_repo(
            &root,
            &rel,
            &scaffold::playbook_or_seed(kind),
            "edit the existing playbook instead",
        )?;
        print_path(&rel)?;
        return Ok(EXIT_OK);
    }
    let title = args.title.as_deref().unwrap_or("").trim();
    let slug = model::slug(title);
    if slug.is_empty() {
        return Err(Error::Usage(
            "the title needs at least one letter or digit to make an id from".to_owned(),
        ));
    }
    // `--now`: a live record, dated today in the site's zone.
    let now = args.now.then(super::event::now).transpose()?;
    let date = match (&args.date, now) {
        (_, Some(at)) => model::time::date_in(at, config.timezone.as_ref()),
        (Some(d), None) => d
            .trim()
            .parse::<Date>()
            .map_err(|_| Error::Usage(format!("invalid `--date` `{d}`: write it as YYYY-MM-DD")))?,
        (None, None) => resolve_today(None)?,
    };
    let kind = args.kind.clone().unwrap_or_else(|| "untriaged".to_owned());
    if !model::is_valid_id(&kind) {
        return Err(Error::Usage(format!(
            "invalid type `{kind}`: use lowercase letters, digits and `-` (e.g. `{}`)",
            model::slug(&kind)
        )));
    }
    let severity = match &args.severity {
        Some(s) if config.severities.contains(s) => s.clone(),
        Some(s) => {
            return Err(Error::Usage(format!(
                "unknown severity `{s}`: severities are {}",
                diag::backticked(&config.severities)
            )));
        }
        None => config
            .severities
            .get(2)
            .or(config.severities.last())
            .cloned()
            .unwrap_or_default(),
    };
    let id = format!("{date}-{slug}");
    // Records may be grouped by year; follow the layout the repository already uses.
    let incidents = PathBuf::from(source::INCIDENTS_DIR);
    let year_dir = incidents.join(date.year().to_string());
    let base = if root.join(&year_dir).is_dir() {
        year_dir
    } else {
        incidents
    };
    const TAKEN: &str =
        "edit the existing record, or give the new incident a different title or `--date`";
    refuse_symlinked_folders(&root, &base.join(&id))?;
    for existing in [base.join(format!("{id}.md")), base.join(&id)] {
        if root.join(&existing).exists() {
            return Err(Error::Exists(existing, TAKEN.to_owned()));
        }
    }
    let rel = if args.bundle {
        base.join(&id).join(source::BUNDLE_INDEX)
    } else {
        base.join(format!("{id}.md"))
    };
    let mut text = scaffold::incident(&config, title, &kind, &severity, &date.to_string());
    if let Some(at) = now {
        text = first_event(&scaffold::live_incident(&text), at, &config, title)?;
    }
    create_in_repo(&root, &rel, &text, TAKEN)?;
    // The path goes to stdout (for `$EDITOR $(pm new …)`); the date the id
    // was made from goes to stderr, so a wrong day is seen at once.
    ui.status(&if args.date.is_some() {
        format!("id dated {date} (from `--date`)")
    } else {
        format!(
            "id dated {date} (today); if the incident started on another day, pass `--date YYYY-MM-DD`"
        )
    });
    print_path(&rel)?;
    Ok(EXIT_OK)
}
