//! `pm event`: one timeline event added to a record, now or `--at`. Also
//! the editing every record-changing command shares (`pm import`,
//! `pm status-update --record`): find the record by id, read it, place the
//! new entries, check the edit makes nothing worse, write it back only if
//! the file did not change meanwhile, and print what was added.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::cli::*;
use crate::diag::{self, Diagnostics, Level};
use crate::edit::{self, Entry, EntryValue, Place, written_time};
use crate::error::{Error, Result};
use crate::markdown::Depth;
use crate::model::time::{self, Zone};
use crate::pipeline::Ui;
use crate::pipeline::lint::lint_loaded;
use crate::pipeline::load::{Loaded, Overrides, check_root, load_set};
use crate::{EXIT_FINDINGS, EXIT_OK, output, scaffold, source};

use super::repo::root_of;
use super::report::report;

/// The tables the record template writes after the timeline, and the
/// comment that follows its (commented) timeline: a record without a
/// timeline gets one before the first of them.
pub(super) const AFTER_TIMELINE: &[&str] = &[
    scaffold::AFTER_TIMELINE_COMMENT,
    "checklist",
    "changes",
    "hypotheses",
    "mitigations",
    "rollback",
    "updates",
    "actions",
];

/// "Now": `PM_NOW` (an RFC 3339 instant, for tests and reproducible
/// examples), else the system clock.
pub(super) fn now() -> Result<Timestamp> {
    match std::env::var("PM_NOW") {
        Ok(text) => text.trim().parse::<Timestamp>().map_err(|_| {
            Error::Usage(format!(
                "invalid PM_NOW `{text}`: write an instant with its offset, e.g. `2026-12-06T14:02:00Z`"
            ))
        }),
        Err(_) => Ok(Timestamp::now()),
    }
}

/// A record about to be edited, as read.
pub(super) struct Target {
    /// The record's path, as shown (repo-relative).
    pub(super) rel: String,
    /// Its path on disk.
    path: PathBuf,
    /// The file as read: the edit starts from it, and the write happens
    /// only if the file still holds it.
    text: String,
    /// The file as discovered (kind, stem, attachments), to lint variants.
    file: source::SourceFile,
    /// `pm.toml`, as read.
    config_bytes: Option<Vec<u8>>,
    /// The record's time zone (its own, else pm.toml's).
    pub(super) zone: Option<Zone>,
    /// Its timeline events that could be read: position, instant and text.
    pub(super) events: Vec<(usize, Timestamp, String)>,
    /// Error-level findings on it before the edit.
    errors: Vec<diag::Diagnostic>,
}

/// What [`open`] found: the record, or the exit code of a refusal already
/// reported.
pub(super) enum Opened {
    /// The record, ready to edit.
    Record(Box<Target>),
    /// Refused (front matter unreadable); the diagnostics were printed.
    Refused(u8),
}

/// Finds incident `id`, reads it and checks it can be edited.
pub(super) fn open(cli: &Cli, id: &str, ui: Ui) -> Result<Opened> {
    let root = root_of(cli);
    check_root(&root)?;
    let mut diags = Diagnostics::new();
    // List every record but read only this one: an edit during an incident
    // should not wait for a large repository to be read.
    let tree = source::WorkTree::new(&root);
    let listing = source::list_in(&tree, &mut diags)?;
    let config_bytes = listing.config;
    let mut incidents: Vec<source::Unread> = listing
        .records
        .into_iter()
        .filter(|f| f.kind == source::RecordKind::Incident)
        .collect();
    let Some(at) = incidents.iter().position(|f| f.stem == id) else {
        let mut message = format!("no incident `{id}`");
        if let Some(s) = diag::suggest(id, incidents.iter().map(|f| f.stem.as_str())) {
            message.push_str(&format!("\n  help: did you mean `{s}`?"));
        } else {
            message.push_str("\n  help: the id is the record's file name without `.md` (or its bundle folder's name)");
        }
        return Err(Error::Usage(message));
    };
    if incidents.iter().filter(|f| f.stem == id).count() > 1 {
        let files: Vec<&str> = incidents
            .iter()
            .filter(|f| f.stem == id)
            .map(|f| f.rel.as_str())
            .collect();
        return Err(Error::Usage(format!(
            "two records have the id `{id}`: {}\n  help: rename one (`pm lint` reports it as `duplicate_id`), then run the command again",
            diag::backticked(&files)
        )));
    }
    let file = incidents.swap_remove(at).read(&tree)?;
    let text = String::from_utf8(file.bytes.clone()).ok();
    let (loaded, errors) = lint_alone(config_bytes.as_deref(), file.clone(), &mut diags);
    let Some(mut loaded) = loaded else {
        return refuse(&mut diags, ui, &file.rel, "`pm.toml` cannot be read");
    };
    let readable = text.as_deref().is_some_and(|t| {
        !matches!(
            edit::count_entries(t, "timeline"),
            Err(edit::EditError::Unreadable)
        )
    });
    let (Some(text), true) = (text, readable) else {
        return refuse(&mut diags, ui, &file.rel, "its front matter cannot be read");
    };
    let Some(incident) = loaded.corpus.incidents.remove(id) else {
        return refuse(
            &mut diags,
            ui,
            &file.rel,
            "pm cannot read it as an incident",
        );
    };
    Ok(Opened::Record(Box::new(Target {
        rel: file.rel.clone(),
        path: root.join(&file.rel),
        text,
        file,
        config_bytes,
        zone: incident.zone.clone(),
        events: incident
            .timeline
            .iter()
            .map(|e| (e.index, e.at, e.text.clone()))
            .collect(),
        errors,
    })))
}

/// Prints why a record is not edited; exit code 1.
fn refuse(diags: &mut Diagnostics, ui: Ui, rel: &str, why: &str) -> Result<Opened> {
    // Only what stops the edit: the rest of a record with a value error is
    // read and linted too, and its warnings are `pm lint`'s to show.
    diags.retain(|d| d.level == Level::Error);
    diags.sort();
    report(diags, Format::Human, ui)?;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "error: `{rel}` was not edited: {why}\n  help: fix the errors above (`pm lint {rel}` shows them), then run the command again"
    );
    Ok(Opened::Refused(EXIT_FINDINGS))
}

/// Loads and lints one record on its own (with `pm.toml`), all in memory,
/// into `diags`. Returns what was loaded and the record's error-level
/// findings.
fn lint_alone(
    config: Option<&[u8]>,
    file: source::SourceFile,
    diags: &mut Diagnostics,
) -> (Option<Loaded>, Vec<diag::Diagnostic>) {
    let rel = file.rel.clone();
    let set = source::SourceSet {
        config: config.map(<[u8]>::to_vec),
        records: vec![file],
        templates: Vec::new(),
    };
    let mut loaded = load_set(set, Depth::Outline, &Overrides::default(), diags);
    if let Some(loaded) = loaded.as_mut() {
        // "Today" only decides warnings (future events, overdue actions),
        // which do not stop an edit.
        let today = crate::resolve_today(None).unwrap_or(Date::constant(2026, 1, 1));
        lint_loaded(loaded, &crate::lint::CliLevels::default(), today, diags);
    }
    let errors = diags
        .items()
        .iter()
        .filter(|d| d.level == Level::Error && d.file == rel)
        .cloned()
        .collect();
    (loaded, errors)
}

/// A new timeline event, before it is placed and written.
#[derive(Debug, Clone)]
pub(super) struct NewEvent {
    /// When it happened.
    pub(super) at: Timestamp,
    /// What happened.
    pub(super) text: String,
    /// Its milestone or checklist step.
    pub(super) step: Option<String>,
    /// Who did or saw it.
    pub(super) who: Option<String>,
    /// Where the fact comes from.
    pub(super) source: Option<String>,
    /// A comment line above it (imports mark their events to prune).
    pub(super) comment: Option<String>,
}

impl Target {
    /// Whether an event with this instant and text is in the record
    /// already (compared as `duplicate_timeline_events` compares them).
    pub(super) fn has_event(&self, at: Timestamp, text: &str) -> bool {
        let text = text.trim().to_lowercase();
        self.events
            .iter()
            .any(|(_, t, e)| *t == at && e.trim().to_lowercase() == text)
    }

    /// The day of `at` in the record's zone.
    pub(super) fn day(&self, at: Timestamp) -> Date {
        time::date_in(at, self.zone.as_ref())
    }

    /// Places `events` in time order among the record's events (each after
    /// the last one that is not later), and writes each time as the format
    /// does: a bare time on the same day as the event above it.
    fn place_events(&self, mut events: Vec<NewEvent>) -> Vec<(Place, Entry)> {
        events.sort_by_key(|e| e.at);
        let mut existing: Vec<(usize, Timestamp)> =
            self.events.iter().map(|(i, at, _)| (*i, *at)).collect();
        existing.sort_by_key(|(i, _)| *i);
        let tz = self.zone.as_ref().map(|z| &z.tz);
        let mut out: Vec<(Place, Entry)> = Vec::with_capacity(events.len());
        let mut last: Option<(Place, Date)> = None;
        for event in events {
            let anchor = existing
                .iter()
                .filter(|(_, at)| *at <= event.at)
                .max_by_key(|(i, _)| *i);
            let place = anchor.map_or(Place::Start, |(i, _)| Place::After(*i));
            let previous = match last {
                Some((p, day)) if p == place => Some(day),
                _ => anchor.map(|(_, at)| self.day(*at)),
            };
            let written = written_time(event.at, tz, previous, true);
            let mut keys = vec![
                ("at", EntryValue::Time(written)),
                ("text", EntryValue::Text(event.text)),
            ];
            for (key, value) in [
                ("step", event.step),
                ("who", event.who),
                ("source", event.source),
            ] {
                if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                    keys.push((key, EntryValue::Text(value)));
                }
            }
            last = Some((place, self.day(event.at)));
            out.push((
                place,
                Entry {
                    comment: event.comment,
                    keys,
                },
            ));
        }
        out
    }
}

/// How an edit ends: written, or only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Write {
    /// Replace the record.
    Yes,
    /// `--dry-run`: print, write nothing.
    DryRun,
}

/// Adds timeline events to the record; `what` names them in the summary
/// (`event`, `imported event`).
pub(super) fn add_events(
    target: &Target,
    events: Vec<NewEvent>,
    what: &str,
    write: Write,
    ui: Ui,
) -> Result<u8> {
    let entries = target.place_events(events);
    let edit = Edit {
        array: "timeline",
        entries: &entries,
        before: AFTER_TIMELINE,
        what,
        print: true,
    };
    apply(target, &edit, write, ui)
}

/// Adds `entry` at the end of the record's `[[updates]]` (not printed:
/// the update's text was).
pub(super) fn add_update(target: &Target, entry: Entry, write: Write, ui: Ui) -> Result<u8> {
    let count = edit::count_entries(&target.text, "updates").unwrap_or(0);
    let place = count.checked_sub(1).map_or(Place::Start, Place::After);
    let edit = Edit {
        array: "updates",
        entries: &[(place, entry)],
        before: &["actions"],
        what: "update",
        print: false,
    };
    apply(target, &edit, write, ui)
}

/// One edit of a record: entries for one array of tables.
struct Edit<'a> {
    /// The array (`timeline`).
    array: &'a str,
    /// The entries and where each goes.
    entries: &'a [(Place, Entry)],
    /// The tables a new array goes before.
    before: &'a [&'a str],
    /// What an entry is called in messages (`event`).
    what: &'a str,
    /// Whether to print the new TOML on stdout.
    print: bool,
}

/// Inserts `entries` into `array`, checks the edited record has no error
/// the original did not have and that every event kept its time, writes it
/// (unless a dry run) and prints the new TOML on stdout.
fn apply(target: &Target, edit: &Edit<'_>, write: Write, ui: Ui) -> Result<u8> {
    let Edit {
        array,
        entries,
        before,
        what,
        print,
    } = *edit;
    if entries.is_empty() {
        ui.status(&format!("nothing to add to `{}`", target.rel));
        return Ok(EXIT_OK);
    }
    let edited = edit::insert_entries(&target.text, array, entries, before).map_err(|e| {
        Error::Usage(format!(
            "`{}` was not edited: {e}\n  help: make `{array}` a list of `[[{array}]]` entries, then run the command again",
            target.rel
        ))
    })?;
    let mut file = target.file.clone();
    file.bytes = edited.text.clone().into_bytes();
    let mut diags = Diagnostics::new();
    let (loaded, errors) = lint_alone(target.config_bytes.as_deref(), file, &mut diags);
    let new_errors: Vec<&diag::Diagnostic> = errors
        .iter()
        .filter(|d| !target.errors.iter().any(|b| same_finding(b, d)))
        .collect();
    let moved = loaded.is_none_or(|l| !keeps_events(target, &l));
    if !new_errors.is_empty() || moved {
        let mut shown = Diagnostics::new();
        shown.sources = diags.sources.clone();
        shown.extend(new_errors.into_iter().cloned());
        report(&shown, Format::Human, ui)?;
        let why = if moved {
            "change the time of an event already there (one written as a bare time)"
        } else {
            "add the errors above"
        };
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "error: `{}` was not edited: the new {what} would {why}\n  help: check its time and step (or fix the record first), then run the command again",
            target.rel
        );
        return Ok(EXIT_FINDINGS);
    }
    let mut out = std::io::stdout().lock();
    let print_blocks = |out: &mut std::io::StdoutLock<'_>| -> std::io::Result<()> {
        for (i, block) in edited.blocks.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write!(out, "{block}")?;
        }
        Ok(())
    };
    if print {
        print_blocks(&mut out).map_err(|e| Error::io("cannot write", Path::new("<stdout>"), e))?;
    }
    drop(out);
    let count = diag::plural(entries.len(), what);
    if write == Write::DryRun {
        ui.status(&format!(
            "would add {count} to `{}`; nothing was written (--dry-run)",
            target.rel
        ));
        return Ok(EXIT_OK);
    }
    output::replace_if_unchanged(&target.path, target.text.as_bytes(), edited.text.as_bytes())?;
    ui.status(&format!("added {count} to `{}`", target.rel));
    if !target.errors.is_empty() {
        ui.status(&format!(
            "note: `{}` already had {}; the {what} was added because it cannot make them worse (`pm lint {}` shows them)",
            target.rel,
            diag::plural(target.errors.len(), "error"),
            target.rel
        ));
    }
    Ok(EXIT_OK)
}

/// Whether two findings are the same problem (spans move with the edit).
fn same_finding(a: &diag::Diagnostic, b: &diag::Diagnostic) -> bool {
    a.code == b.code && a.message == b.message
}

/// Whether every event of the original is in the edited record at the same
/// instant with the same text (a bare time below an inserted event could
/// take another day).
fn keeps_events(target: &Target, edited: &Loaded) -> bool {
    let Some(incident) = edited.corpus.incidents.values().next() else {
        return false;
    };
    let mut count: BTreeMap<(Timestamp, &str), isize> = BTreeMap::new();
    for e in &incident.timeline {
        *count.entry((e.at, e.text.as_str())).or_default() += 1;
    }
    for (_, at, text) in &target.events {
        *count.entry((*at, text.as_str())).or_default() -= 1;
    }
    count.values().all(|n| *n >= 0)
}

/// Reads `--at`: a datetime with offset, a local datetime or a bare time
/// (of today, in the record's zone), as the format reads them.
fn parse_at(text: &str, target: &Target, now: Timestamp) -> Result<Timestamp> {
    let dt = text
        .trim()
        .parse::<crate::parse::TomlDatetime>()
        .map_err(|_| {
            Error::Usage(format!(
                "invalid `--at` `{text}`: write `2026-12-06T14:02:00Z`, `2026-12-06T14:02` or `14:02` (today, in the record's zone)"
            ))
        })?;
    let today = target.day(now);
    // A bare `--at 14:02` is today, in the record's zone.
    let base = time::BareTimeBase {
        date: today,
        offset: None,
    };
    time::resolve_instant(&dt, target.zone.as_ref(), Some(base))
        .map(|(at, ..)| at)
        .map_err(|e| Error::Usage(format!("invalid `--at`: {}\n  help: {}", e.message, e.help)))
}

pub(crate) fn run(cli: &Cli, args: &EventArgs, ui: Ui) -> Result<u8> {
    let target = match open(cli, &args.id, ui)? {
        Opened::Record(t) => t,
        Opened::Refused(code) => return Ok(code),
    };
    let now = now()?;
    let at = match &args.at {
        Some(text) => parse_at(text, &target, now)?,
        None => now,
    };
    if args.text.trim().is_empty() {
        return Err(Error::Usage(
            "the event's text is empty: say what happened".to_owned(),
        ));
    }
    let event = NewEvent {
        at,
        text: args.text.trim().to_owned(),
        step: args.step.clone(),
        who: args.who.clone(),
        source: args.source.clone(),
        comment: None,
    };
    let write = if args.dry_run {
        Write::DryRun
    } else {
        Write::Yes
    };
    add_events(&target, vec![event], "event", write, ui)
}
