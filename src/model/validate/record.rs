//! Records in and out of validation: reading and validating files in
//! parallel, and keeping the first record of each id. Uses `cx`,
//! `incident` and `playbook`.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use rayon::prelude::*;

use super::cx::Cx;
use super::incident::{Bundle, incident};
use super::playbook::playbook;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Text};
use crate::model::{Corpus, Incident, Playbook, Span, attachment};
use crate::parse::{ParsedFile, RawData};
use crate::source::SourceFile;

/// A valid record.
#[derive(Debug)]
pub enum Validated {
    /// An incident.
    Incident(Box<Incident>),
    /// A playbook.
    Playbook(Box<Playbook>),
}

impl Validated {
    /// What makes the record unique.
    pub fn id(&self) -> RecordId {
        let (incident, key, origin) = match self {
            Validated::Incident(i) => (true, &i.id, &i.origin),
            Validated::Playbook(p) => (false, &p.kind, &p.origin),
        };
        RecordId {
            incident,
            key: key.clone(),
            file: origin.file.clone(),
            opening: origin.opening.clone(),
        }
    }

    /// A corpus of this record alone.
    pub fn into_corpus(self) -> Corpus {
        let mut corpus = Corpus::default();
        corpus.add(self);
        corpus
    }
}

impl Corpus {
    /// Adds a record (its id must not be taken: see [`Ids`]).
    fn add(&mut self, record: Validated) {
        match record {
            Validated::Incident(i) => {
                self.incidents.insert(i.id.clone(), *i);
            }
            Validated::Playbook(p) => {
                self.playbooks.insert(p.kind.clone(), *p);
            }
        }
    }
}

/// What makes a record unique: an incident's id, a playbook's type; and
/// where the record is, to report it if it is not.
#[derive(Debug, Clone)]
pub struct RecordId {
    incident: bool,
    key: String,
    file: String,
    opening: Span,
}

/// The ids of the records kept so far: the first record of each id is
/// kept and every later one is reported (records come in path order).
#[derive(Debug, Default)]
pub struct Ids(BTreeMap<(bool, String), String>);

impl Ids {
    /// Whether the record of `id` is the first with its id; if it is not,
    /// reports it as a duplicate in `diags`.
    pub fn admit(&mut self, id: RecordId, diags: &mut Diagnostics) -> bool {
        let first = match self.0.entry((id.incident, id.key)) {
            Entry::Vacant(entry) => {
                entry.insert(id.file);
                return true;
            }
            Entry::Occupied(entry) => entry,
        };
        let ((incident, key), first) = (first.key(), first.get());
        let what = if *incident {
            "incident id"
        } else {
            "playbook type"
        };
        diags.push(
            Diagnostic::error(
                "duplicate_id",
                &id.file,
                format!("duplicate {what} `{key}`"),
            )
            .at(id.opening)
            .note(format!(
                "`{first}` has the same {what}; ids name pages, so each must be unique"
            ))
            .help("rename one of the files (the id is the file name, or the bundle folder's name)"),
        );
        false
    }
}

/// Validates every parsed file, in parallel, then checks ids are unique.
pub fn validate(files: Vec<ParsedFile>, config: &Config, diags: &mut Diagnostics) -> Corpus {
    let results: Vec<(Option<Validated>, Vec<Diagnostic>)> = files
        .into_par_iter()
        .map(|file| validate_file(file, config))
        .collect();
    assemble(results, diags)
}

/// Parses and validates every record in one parallel pass, registering each
/// file's text in `diags.sources`. A file's bytes and its raw front matter
/// are dropped as soon as its model exists, so the run never holds all
/// records in three forms at once (that peak cost more than the parsing).
pub fn read(records: Vec<SourceFile>, config: &Config, diags: &mut Diagnostics) -> Corpus {
    let results: Vec<ReadFile> = records
        .into_par_iter()
        .map(|file| read_one(file, config))
        .collect();
    let mut validated = Vec::with_capacity(results.len());
    for read in results {
        diags.sources.insert(read.file, read.text);
        for (path, text) in read.sources {
            diags.sources.insert(path, text);
        }
        validated.push((read.record, read.found));
    }
    assemble(validated, diags)
}

/// One record file, read: its path, its text, its record if valid, and
/// what was found.
#[derive(Debug)]
pub struct ReadFile {
    /// Repo-relative path.
    pub file: String,
    /// Its text (lossy when it was not UTF-8).
    pub text: Text,
    /// The record, when it is valid.
    pub record: Option<Validated>,
    /// Parse and validation diagnostics, and the attachments refused.
    pub found: Vec<Diagnostic>,
    /// The texts of refused attachments that findings point into, by path.
    pub sources: Vec<(String, Text)>,
}

/// Parses and validates one record file. Its bytes become its text and its
/// raw front matter is dropped as soon as the model exists.
pub fn read_one(mut file: SourceFile, config: &Config) -> ReadFile {
    let rel = file.rel.clone();
    let checked = file
        .attachments
        .take()
        .map(|list| attachment::check(&rel, list, &config.limits));
    let (refused, withheld, sources) = match checked {
        Some(checked) => {
            file.attachments = Some(checked.kept);
            (checked.found, checked.withheld, checked.sources)
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let (text, parsed) = crate::parse::parse_isolated(file, &config.limits);
    let (record, mut found) = match parsed {
        Ok(mut parsed) => {
            parsed.withheld = withheld;
            validate_file(parsed, config)
        }
        Err(found) => (None, found),
    };
    found.extend(refused);
    ReadFile {
        file: rel,
        text,
        record,
        found,
        sources,
    }
}

/// Validates one parsed file; a panic becomes an `internal_error` naming it.
/// A bundle's file lists move into the incident, uncopied.
fn validate_file(mut file: ParsedFile, config: &Config) -> (Option<Validated>, Vec<Diagnostic>) {
    let bundle = Bundle {
        attachments: file.attachments.take(),
        withheld: std::mem::take(&mut file.withheld),
    };
    // What reading found comes first; the rest of the record is checked
    // as if its lost keys had not been written.
    let found = std::mem::take(&mut file.found);
    crate::isolate::record("validating", &file.rel, || {
        let mut cx = Cx {
            file: &file,
            config,
            diags: found,
        };
        let record = match &file.data {
            RawData::Incident(raw) => {
                incident(&mut cx, raw, bundle).map(|i| Validated::Incident(Box::new(i)))
            }
            RawData::Playbook(raw) => {
                playbook(&mut cx, raw).map(|p| Validated::Playbook(Box::new(p)))
            }
        };
        (record, cx.diags)
    })
    .unwrap_or_else(|d| (None, vec![*d]))
}

/// Collects validated records into the corpus, in the order given, and
/// reports every id seen twice.
fn assemble(results: Vec<(Option<Validated>, Vec<Diagnostic>)>, diags: &mut Diagnostics) -> Corpus {
    let mut corpus = Corpus::default();
    let mut ids = Ids::default();
    for (record, found) in results {
        diags.extend(found);
        if let Some(record) = record
            && ids.admit(record.id(), diags)
        {
            corpus.add(record);
        }
    }
    corpus
}
