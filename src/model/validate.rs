//! From `Raw*` mirrors to the model, reporting every problem on the way.

use crate::diag::Text;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;

use jiff::tz::TimeZone;
use rayon::prelude::*;
use toml::Spanned;

use super::time::{self, TimeError, Zone};
use super::{
    Action, ActionKind, ActionStatus, Allow, Audience, ChangeKind, CheckEntry, Command, Corpus,
    DetectedBy, Event, Hypothesis, HypothesisResult, Impact, Incident, Located, Mitigation, Origin,
    Playbook, PlaybookMitigation, Rating, Rollback, RollbackDecision, RollbackPossible, Status,
    Triage, Update, UpdateStatus, is_safe_url,
};
use crate::config::Config;
use crate::diag::backticked;
use crate::diag::{Diagnostic, Diagnostics, suggest};
use crate::parse::{ParsedFile, RawData, RawIncident, RawPlaybook, RawStr, RawValue};
use crate::source::{RecordKind, SourceFile};

/// Whether `id` is a valid incident id or type: `[a-z0-9]` words joined by single `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The keys an incident's front matter takes before its first table header.
const TOP_LEVEL_KEYS: &[&str] = &[
    "title",
    "severity",
    "type",
    "status",
    "draft",
    "services",
    "tags",
    "commander",
    "responders",
    "timezone",
    "summary",
    "detected_by",
    "allow",
];

/// The one candidate `word` is a likely typo of; `None` when there is none or
/// when several are as likely (`SEV9` is as close to `SEV1` as to `SEV4`).
fn unique_suggestion<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(exact);
    }
    let best = suggest(word, candidates.iter().map(String::as_str))?;
    let rivals = candidates.iter().map(String::as_str).filter(|c| *c != best);
    match suggest(word, rivals) {
        // A rival close enough to suggest on its own makes the guess a coin toss.
        Some(_) => None,
        None => Some(best),
    }
}

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
    opening: super::Span,
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
        .map(|file| validate_file(&file, config))
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
        .map(|list| super::attachment::check(&rel, list, &config.limits));
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
            validate_file(&parsed, config)
        }
        Err(d) => (None, vec![d]),
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
fn validate_file(file: &ParsedFile, config: &Config) -> (Option<Validated>, Vec<Diagnostic>) {
    crate::isolate::record("validating", &file.rel, || {
        let mut cx = Cx {
            file,
            config,
            diags: Vec::new(),
        };
        let record = match &file.data {
            RawData::Incident(raw) => cx.incident(raw).map(|i| Validated::Incident(Box::new(i))),
            RawData::Playbook(raw) => cx.playbook(raw).map(|p| Validated::Playbook(Box::new(p))),
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

/// Validation context for one file.
struct Cx<'a> {
    file: &'a ParsedFile,
    config: &'a Config,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn span(&self, span: Range<usize>) -> Range<usize> {
        self.file.span(span)
    }

    fn error(&mut self, code: &'static str, span: Range<usize>, message: String, help: String) {
        let span = self.span(span);
        self.diags.push(
            Diagnostic::error(code, &self.file.rel, message)
                .at(span)
                .help(help),
        );
    }

    /// A required string: missing or empty is an error at `table` (a front-matter span),
    /// or at the opening `+++` when `table` is `None`.
    fn required(
        &mut self,
        value: Option<&RawStr>,
        key: &str,
        table: Option<Range<usize>>,
        example: &str,
    ) -> Option<Located<String>> {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => Some(Located {
                value: v.get_ref().trim().to_owned(),
                span: self.span(v.span()),
            }),
            Some(v) => {
                self.error(
                    "missing_key",
                    v.span(),
                    format!("`{key}` is empty"),
                    format!("write a value, e.g. `{key} = {example}`"),
                );
                None
            }
            None => {
                let label = if table.is_some() {
                    "in this entry"
                } else {
                    "in this front matter"
                };
                let span = match table {
                    Some(s) => self.span(s),
                    None => self.file.opening.clone(),
                };
                self.diags.push(
                    Diagnostic::error(
                        "missing_key",
                        &self.file.rel,
                        format!("missing required key `{key}`"),
                    )
                    .at(span)
                    .label(label)
                    .help(format!("add `{key} = {example}`")),
                );
                None
            }
        }
    }

    fn text(value: Option<&RawStr>) -> Option<String> {
        value
            .map(|v| v.get_ref().trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn texts(values: &[RawStr]) -> Vec<String> {
        values
            .iter()
            .map(|v| v.get_ref().trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A keyword from a closed list; unknown values are errors with a suggestion.
    fn keyword<E>(
        &mut self,
        value: Option<&RawStr>,
        key: &str,
        parse: fn(&str) -> Option<E>,
        all: &[&str],
    ) -> Option<E> {
        let value = value?;
        let text = value.get_ref().trim();
        if let Some(v) = parse(text) {
            return Some(v);
        }
        let lower = text.to_lowercase();
        let help = match (parse(&lower), suggest(text, all.iter().copied())) {
            (Some(_), _) => format!("write it in lowercase: `\"{lower}\"`"),
            (None, Some(s)) => format!(
                "did you mean `\"{s}\"`? `{key}` is one of {}",
                backticked(all)
            ),
            (None, None) => format!("`{key}` is one of {}", backticked(all)),
        };
        self.error(
            "invalid_value",
            value.span(),
            format!("unknown {key} `{text}`"),
            help,
        );
        None
    }

    fn rating(&mut self, value: Option<&RawStr>, key: &str) -> Option<Rating> {
        self.keyword(value, key, Rating::parse, Rating::ALL)
    }

    /// A TOML datetime value, or a located error for strings and other types.
    fn datetime<'v>(
        &mut self,
        value: &'v RawValue,
        key: &str,
    ) -> Option<&'v toml::value::Datetime> {
        match value.get_ref() {
            toml::Value::Datetime(dt) => Some(dt),
            toml::Value::String(s) => {
                let unquoted = s.trim();
                let help = if unquoted.parse::<toml::value::Datetime>().is_ok() {
                    format!("remove the quotes: `{key} = {unquoted}`")
                } else {
                    format!("write an unquoted TOML datetime, e.g. `{key} = 2026-11-03T14:02:00Z`")
                };
                self.error(
                    "invalid_datetime",
                    value.span(),
                    format!("`{key}` is a string, not a datetime"),
                    help,
                );
                None
            }
            other => {
                self.error(
                    "wrong_type",
                    value.span(),
                    format!(
                        "wrong type: expected a datetime for `{key}`, found {}",
                        other.type_str()
                    ),
                    format!("write an unquoted TOML datetime, e.g. `{key} = 2026-11-03T14:02:00Z`"),
                );
                None
            }
        }
    }

    fn time_error(&mut self, span: Range<usize>, err: TimeError) {
        self.error("invalid_datetime", span, err.message, err.help);
    }

    fn date(&mut self, value: Option<&RawValue>, key: &str) -> Option<jiff::civil::Date> {
        let value = value?;
        let dt = self.datetime(value, key)?;
        match time::resolve_date(dt) {
            Ok(d) => Some(d),
            Err(e) => {
                self.time_error(value.span(), e);
                None
            }
        }
    }

    fn allows(&mut self, raw: &[Spanned<crate::parse::RawAllow>]) -> Vec<Allow> {
        let mut out = Vec::new();
        for entry in raw {
            let a = entry.get_ref();
            let lint = self.required(
                a.lint.as_ref(),
                "lint",
                Some(entry.span()),
                "\"unexplained_timeline_gaps\"",
            );
            let reason = match Self::text(a.reason.as_ref()) {
                Some(r) => Some(r),
                None => {
                    self.error(
                        "missing_key",
                        entry.span(),
                        "an `allow` entry needs a `reason`".to_owned(),
                        "say why the lint does not apply, e.g. `reason = \"the pager log was lost\"`".to_owned(),
                    );
                    None
                }
            };
            if let (Some(lint), Some(reason)) = (lint, reason) {
                out.push(Allow { lint, reason });
            }
        }
        out
    }

    fn origin(&self) -> Origin {
        Origin {
            file: self.file.rel.clone(),
            text: self.file.text.clone(),
            opening: self.file.opening.clone(),
            body_offset: self.file.body_offset,
            body_lines: std::sync::OnceLock::new(),
        }
    }

    /// Checks the file stem is a valid id.
    fn id(&mut self) -> Option<String> {
        let stem = &self.file.stem;
        if is_valid_id(stem) {
            return Some(stem.clone());
        }
        let suggestion = slug(stem);
        let what = match self.file.kind {
            RecordKind::Incident => "incident id",
            RecordKind::Playbook => "playbook type",
        };
        let mut d = Diagnostic::error("invalid_id", &self.file.rel, format!("invalid {what} `{stem}`"))
            .at(self.file.opening.clone())
            .label(format!("the {what} comes from this file's name"))
            .note("the id is the file name (or bundle folder name) and becomes the page's URL: lowercase letters, digits and single `-` only");
        if !suggestion.is_empty() {
            d = d.help(format!("rename the file to `{suggestion}`"));
        } else {
            d = d.help("rename the file using lowercase letters, digits and `-`");
        }
        self.diags.push(d);
        None
    }

    fn incident(&mut self, raw: &RawIncident) -> Option<Incident> {
        let id = self.id();
        let title = self.required(
            raw.title.as_ref(),
            "title",
            None,
            "\"Checkout latency after deploy\"",
        );
        let severity = self.required(raw.severity.as_ref(), "severity", None, "\"SEV2\"");
        if let Some(sev) = &severity
            && self.config.severity_rank(&sev.value).is_none()
        {
            let sevs = &self.config.severities;
            let help = match unique_suggestion(&sev.value, sevs) {
                Some(s) if s.eq_ignore_ascii_case(&sev.value) => {
                    format!("severities are case-sensitive: write `\"{s}\"`")
                }
                Some(s) => format!(
                    "did you mean `\"{s}\"`? severities are {}",
                    backticked(sevs)
                ),
                None => format!(
                    "severities are {} (set in pm.toml `[site] severities`)",
                    backticked(sevs)
                ),
            };
            let span = sev.span.clone();
            self.diags.push(
                Diagnostic::error(
                    "invalid_value",
                    &self.file.rel,
                    format!("unknown severity `{}`", sev.value),
                )
                .at(span)
                .help(help),
            );
        }
        let kind = self.required(raw.kind.as_ref(), "type", None, "\"database\"");
        if let Some(k) = &kind
            && !is_valid_id(&k.value)
        {
            let span = k.span.clone();
            self.diags.push(
                Diagnostic::error(
                    "invalid_value",
                    &self.file.rel,
                    format!("invalid type `{}`", k.value),
                )
                .at(span)
                .note("the type names `playbooks/<type>.md` and a page URL")
                .help(format!(
                    "use lowercase letters, digits and `-`, e.g. `\"{}\"`",
                    slug(&k.value)
                )),
            );
        }
        let status_raw = self.required(raw.status.as_ref(), "status", None, "\"resolved\"");
        let status = match (&status_raw, raw.status.as_ref()) {
            (Some(loc), Some(rawv)) => self
                .keyword(Some(rawv), "status", Status::parse, Status::ALL)
                .map(|s| Located {
                    value: s,
                    span: loc.span.clone(),
                }),
            _ => None,
        };
        let zone = match &raw.timezone {
            Some(tz) => match TimeZone::get(tz.get_ref().trim()) {
                Ok(z) => Some(Zone {
                    tz: z,
                    name: tz.get_ref().trim().to_owned(),
                }),
                Err(_) => {
                    self.error(
                        "invalid_value",
                        tz.span(),
                        format!("unknown time zone `{}`", tz.get_ref()),
                        "use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`"
                            .to_owned(),
                    );
                    None
                }
            },
            None => self.config.timezone.clone(),
        };
        let detected_by = raw.detected_by.as_ref().and_then(|v| {
            let span = self.span(v.span());
            self.keyword(Some(v), "detected_by", DetectedBy::parse, DetectedBy::ALL)
                .map(|d| Located { value: d, span })
        });
        let impact = raw.impact.as_ref().map(|i| Impact {
            summary: Self::text(i.summary.as_ref()),
            users: i
                .users
                .as_ref()
                .and_then(|u| match u64::try_from(*u.get_ref()) {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.error(
                            "invalid_value",
                            u.span(),
                            "`users` is negative".to_owned(),
                            "write the number of users affected, e.g. `users = 1200`".to_owned(),
                        );
                        None
                    }
                }),
            customer_facing: i.customer_facing,
            slo: Self::text(i.slo.as_ref()),
        });
        let triage = raw.triage.as_ref().map(|t| Triage {
            error: Self::text(t.error.as_ref()),
            symptoms: Self::texts(&t.symptoms),
            system: Self::text(t.system.as_ref()),
            stack_trace: t
                .stack_trace
                .as_ref()
                .map(|s| s.get_ref().trim_end().to_owned())
                .filter(|s| !s.is_empty()),
            logs: t
                .logs
                .iter()
                .filter(|l| !l.get_ref().trim().is_empty())
                .map(|l| Located {
                    value: l.get_ref().trim_end().to_owned(),
                    span: self.span(l.span()),
                })
                .collect(),
        });
        let timeline = self.timeline(raw, zone.as_ref());
        let timeline_complete = timeline.len() == raw.timeline.len();
        let checklist = self.checklist(raw);
        let actions = self.actions(raw);
        let changes = raw
            .changes
            .iter()
            .filter_map(|entry| {
                let c = entry.get_ref();
                let text = self.required(
                    c.text.as_ref(),
                    "text",
                    Some(entry.span()),
                    "\"what changed\"",
                )?;
                let mut at = None;
                let mut whole_day = false;
                if let Some(v) = &c.at
                    && let Some(dt) = self.datetime(v, "at")
                {
                    match time::resolve_day_or_instant(dt, zone.as_ref()) {
                        Ok((ts, day)) => {
                            at = Some(ts);
                            whole_day = day;
                        }
                        Err(e) => self.time_error(v.span(), e),
                    }
                }
                Some(super::Change {
                    at,
                    whole_day,
                    kind: self.keyword(c.kind.as_ref(), "kind", ChangeKind::parse, ChangeKind::ALL),
                    reference: Self::text(c.reference.as_ref()),
                    text: text.value,
                    suspect: c.suspect.unwrap_or(false),
                })
            })
            .collect();
        let hypotheses = raw
            .hypotheses
            .iter()
            .filter_map(|entry| {
                let h = entry.get_ref();
                let text = self.required(
                    h.text.as_ref(),
                    "text",
                    Some(entry.span()),
                    "\"the pool is exhausted\"",
                )?;
                let result = match h.result.as_ref() {
                    Some(r) => self.keyword(
                        Some(r),
                        "result",
                        HypothesisResult::parse,
                        HypothesisResult::ALL,
                    )?,
                    None => HypothesisResult::Untested,
                };
                Some(Hypothesis {
                    text: text.value,
                    result,
                    evidence: Self::text(h.evidence.as_ref()),
                })
            })
            .collect();
        let mitigations = raw
            .mitigations
            .iter()
            .filter_map(|entry| {
                let m = entry.get_ref();
                let option = self.required(
                    m.option.as_ref(),
                    "option",
                    Some(entry.span()),
                    "\"roll back the deploy\"",
                )?;
                Some(Mitigation {
                    option: option.value,
                    speed: self.rating(m.speed.as_ref(), "speed"),
                    risk: self.rating(m.risk.as_ref(), "risk"),
                    effectiveness: self.rating(m.effectiveness.as_ref(), "effectiveness"),
                    chosen: m.chosen.unwrap_or(false),
                    outcome: Self::text(m.outcome.as_ref()),
                })
            })
            .collect();
        let rollback = raw.rollback.as_ref().map(|r| Rollback {
            possible: self.keyword(
                r.possible.as_ref(),
                "possible",
                RollbackPossible::parse,
                RollbackPossible::ALL,
            ),
            decision: self.keyword(
                r.decision.as_ref(),
                "decision",
                RollbackDecision::parse,
                RollbackDecision::ALL,
            ),
            reason: Self::text(r.reason.as_ref()),
        });
        let updates = raw
            .updates
            .iter()
            .filter_map(|entry| {
                let u = entry.get_ref();
                let text = self.required(
                    u.text.as_ref(),
                    "text",
                    Some(entry.span()),
                    "\"We are investigating ...\"",
                )?;
                let at = u.at.as_ref().and_then(|v| {
                    let dt = self.datetime(v, "at")?;
                    match time::resolve_instant(dt, zone.as_ref(), None) {
                        Ok((ts, _)) => Some(ts),
                        Err(e) => {
                            self.time_error(v.span(), e);
                            None
                        }
                    }
                });
                Some(Update {
                    at,
                    status: self.keyword(
                        u.status.as_ref(),
                        "status",
                        UpdateStatus::parse,
                        UpdateStatus::ALL,
                    ),
                    audience: self.keyword(
                        u.audience.as_ref(),
                        "audience",
                        Audience::parse,
                        Audience::ALL,
                    ),
                    text: text.value,
                })
            })
            .collect();
        let allows = self.allows(&raw.allow);

        Some(Incident {
            id: id?,
            origin: self.origin(),
            title: title?.value,
            severity: severity?,
            kind: kind?,
            status: status?,
            draft: raw.draft.unwrap_or(false),
            services: Self::texts(&raw.services),
            tags: Self::texts(&raw.tags),
            commander: Self::text(raw.commander.as_ref()),
            responders: Self::texts(&raw.responders),
            zone,
            summary: Self::text(raw.summary.as_ref()),
            detected_by,
            impact,
            triage,
            timeline,
            checklist,
            actions,
            changes,
            hypotheses,
            mitigations,
            rollback,
            updates,
            allows,
            attachments: self.file.attachments.clone().unwrap_or_default(),
            withheld: self.file.withheld.clone(),
            timeline_complete,
            bundle: self.file.attachments.is_some(),
        })
    }

    fn timeline(&mut self, raw: &RawIncident, zone: Option<&Zone>) -> Vec<Event> {
        let steps = self.config.step_ids();
        let mut events = Vec::with_capacity(raw.timeline.len());
        let mut previous_date = None;
        for (index, entry) in raw.timeline.iter().enumerate() {
            let e = entry.get_ref();
            let Some(at_value) = &e.at else {
                self.error(
                    "missing_key",
                    entry.span(),
                    "missing required key `at` in timeline event".to_owned(),
                    "add when it happened, e.g. `at = 2026-11-03T14:02:00Z`".to_owned(),
                );
                continue;
            };
            let text = self.required(
                e.text.as_ref(),
                "text",
                Some(entry.span()),
                "\"what happened\"",
            );
            let Some(dt) = self.datetime(at_value, "at") else {
                continue;
            };
            let (at, written) = match time::resolve_instant(dt, zone, previous_date) {
                Ok(r) => r,
                Err(err) => {
                    self.time_error(at_value.span(), err);
                    continue;
                }
            };
            previous_date = Some(time::date_in(at, zone));
            let step = e.step.as_ref().and_then(|s| {
                let value = s.get_ref().trim();
                if steps.contains(&value) {
                    return Some(Located {
                        value: value.to_owned(),
                        span: self.span(s.span()),
                    });
                }
                let help = match suggest(value, steps.iter().copied()) {
                    Some(sugg) => format!("did you mean `\"{sugg}\"`?"),
                    None => format!(
                        "a step is a milestone or a checklist step: {}",
                        backticked(&steps)
                    ),
                };
                self.error(
                    "invalid_value",
                    s.span(),
                    format!("unknown step `{value}`"),
                    help,
                );
                None
            });
            let evidence = e.evidence.as_ref().and_then(|v| {
                let value = v.get_ref().trim().to_owned();
                (!value.is_empty()).then(|| Located {
                    value,
                    span: self.span(v.span()),
                })
            });
            if let Some(ev) = &evidence {
                self.check_link(&ev.value, ev.span.clone(), "evidence");
            }
            let Some(text) = text else { continue };
            events.push(Event {
                index,
                at,
                written,
                at_span: self.span(at_value.span()),
                text: text.value,
                step,
                who: Self::text(e.who.as_ref()),
                source: Self::text(e.source.as_ref()),
                evidence,
                gap: Self::text(e.gap.as_ref()),
            });
        }
        events
    }

    /// Refuses links whose scheme pm will not put in an `href`.
    fn check_link(&mut self, value: &str, span: Range<usize>, key: &str) {
        if super::has_scheme(value) && !is_safe_url(value) {
            self.diags.push(
                Diagnostic::error("invalid_url", &self.file.rel, format!("`{key}` has a scheme pm will not link to"))
                    .at(span)
                    .note("only http, https and mailto links are published; anything else could run code in a reader's browser")
                    .help("use an https:// URL, or a path to a file in the incident's bundle"),
            );
        }
    }

    fn checklist(&mut self, raw: &RawIncident) -> BTreeMap<String, Located<CheckEntry>> {
        let known: Vec<&str> = self
            .config
            .checklist
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let mut out = BTreeMap::new();
        for (key, value) in &raw.checklist {
            let step = key.get_ref().trim();
            if !known.contains(&step) {
                let help = if TOP_LEVEL_KEYS.contains(&step) {
                    format!(
                        "`{step}` is a top-level key, but it sits under `[checklist]`: move it above the first table header (after a header, every key belongs to that table)"
                    )
                } else {
                    match suggest(step, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("checklist steps are {}", backticked(&known)),
                    }
                };
                self.error(
                    "unknown_key",
                    key.span(),
                    format!("unknown checklist step `{step}`"),
                    help,
                );
                continue;
            }
            let span = key.span().start..value.span().end;
            let entry = match value.get_ref() {
                toml::Value::Boolean(true) => Some(CheckEntry::Done),
                toml::Value::String(s) => match s.trim().strip_prefix("skipped:") {
                    Some(reason) if !reason.trim().is_empty() => {
                        Some(CheckEntry::Skipped(reason.trim().to_owned()))
                    }
                    _ => None,
                },
                _ => None,
            };
            match entry {
                Some(e) => {
                    out.insert(
                        step.to_owned(),
                        Located {
                            value: e,
                            span: self.span(span),
                        },
                    );
                }
                None => self.error(
                    "invalid_value",
                    value.span(),
                    format!("checklist entry `{step}` must be `true` or \"skipped: <reason>\""),
                    format!(
                        "write `{step} = true` when it was done, or `{step} = \"skipped: why\"`"
                    ),
                ),
            }
        }
        out
    }

    fn actions(&mut self, raw: &RawIncident) -> Vec<Action> {
        let mut out = Vec::new();
        for (index, entry) in raw.actions.iter().enumerate() {
            let a = entry.get_ref();
            let text = self.required(
                a.text.as_ref(),
                "text",
                Some(entry.span()),
                "\"what will be done\"",
            );
            let kind = self.keyword(a.kind.as_ref(), "kind", ActionKind::parse, ActionKind::ALL);
            let status = match a.status.as_ref() {
                Some(s) => self.keyword(Some(s), "status", ActionStatus::parse, ActionStatus::ALL),
                None => Some(ActionStatus::Open),
            };
            let due = self.date(a.due.as_ref(), "due");
            let closed = self.date(a.closed.as_ref(), "closed");
            let link = a.link.as_ref().and_then(|l| {
                let value = l.get_ref().trim().to_owned();
                if value.is_empty() {
                    return None;
                }
                if is_safe_url(&value) && super::has_scheme(&value) {
                    Some(value)
                } else {
                    self.error(
                        "invalid_url",
                        l.span(),
                        "`link` must be an http or https URL".to_owned(),
                        "link to the tracker item, e.g. `link = \"https://tracker.example/OPS-123\"`".to_owned(),
                    );
                    None
                }
            });
            let (Some(text), Some(status)) = (text, status) else {
                continue;
            };
            out.push(Action {
                index,
                span: self.span(entry.span()),
                kind,
                text: text.value,
                owner: Self::text(a.owner.as_ref()),
                due,
                status,
                link,
                closed,
            });
        }
        out
    }

    fn playbook(&mut self, raw: &RawPlaybook) -> Option<Playbook> {
        let kind = self.id();
        let title = self.required(raw.title.as_ref(), "title", None, "\"Database incidents\"");
        let list = |v: &Option<Spanned<Vec<RawStr>>>| v.as_ref().map(|l| Self::texts(l.get_ref()));
        let mitigations = raw.mitigations.as_ref().map(|list| {
            let mut out: Vec<PlaybookMitigation> = list
                .get_ref()
                .iter()
                .filter_map(|entry| {
                    let m = entry.get_ref();
                    let option = self.required(
                        m.option.as_ref(),
                        "option",
                        Some(entry.span()),
                        "\"fail over to the replica\"",
                    )?;
                    Some(PlaybookMitigation {
                        option: option.value,
                        speed: self.rating(m.speed.as_ref(), "speed"),
                        risk: self.rating(m.risk.as_ref(), "risk"),
                        effectiveness: self.rating(m.effectiveness.as_ref(), "effectiveness"),
                        notes: Self::text(m.notes.as_ref()),
                    })
                })
                .collect();
            out.sort_by_key(|m| super::mitigation_rank(m.effectiveness, m.speed, m.risk));
            out
        });
        let commands = raw
            .commands
            .iter()
            .filter_map(|entry| {
                let c = entry.get_ref();
                let label = self.required(
                    c.label.as_ref(),
                    "label",
                    Some(entry.span()),
                    "\"active connections\"",
                );
                let run = self.required(
                    c.run.as_ref(),
                    "run",
                    Some(entry.span()),
                    "\"psql -c 'select 1'\"",
                );
                Some(Command {
                    label: label?.value,
                    run: run?.value,
                })
            })
            .collect();
        let allows = self.allows(&raw.allow);
        let mut section_spans = BTreeMap::new();
        for (key, span) in [
            ("symptoms", raw.symptoms.as_ref().map(Spanned::span)),
            ("first_checks", raw.first_checks.as_ref().map(Spanned::span)),
            ("causes", raw.causes.as_ref().map(Spanned::span)),
            ("mitigations", raw.mitigations.as_ref().map(Spanned::span)),
            ("resolution", raw.resolution.as_ref().map(Spanned::span)),
            ("verification", raw.verification.as_ref().map(Spanned::span)),
        ] {
            if let Some(span) = span {
                section_spans.insert(key, self.span(span));
            }
        }
        Some(Playbook {
            kind: kind?,
            origin: self.origin(),
            title: title?.value,
            owner: Self::text(raw.owner.as_ref()),
            symptoms: list(&raw.symptoms),
            first_checks: list(&raw.first_checks),
            causes: list(&raw.causes),
            mitigations,
            resolution: list(&raw.resolution),
            verification: list(&raw.verification),
            section_spans,
            commands,
            allows,
        })
    }
}

/// A best-effort valid id from any text (`Checkout Latency!` → `checkout-latency`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(80);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("2026-11-03-checkout-latency"));
        assert!(!is_valid_id("../etc/passwd"));
        assert!(!is_valid_id("Checkout"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
    }

    fn diagnostics_of(text: &str) -> Vec<Diagnostic> {
        let file = crate::source::SourceFile {
            kind: RecordKind::Incident,
            rel: "incidents/a.md".into(),
            stem: "a".into(),
            bytes: text.as_bytes().to_vec(),
            attachments: None,
        };
        let parsed = crate::parse::parse_file(file).1.unwrap();
        let mut diags = Diagnostics::new();
        validate(vec![parsed], &Config::default(), &mut diags);
        diags.items().to_vec()
    }

    #[test]
    fn a_top_level_key_under_checklist_is_told_to_move_up() {
        let found = diagnostics_of(
            "+++\ntitle = \"t\"\nseverity = \"SEV2\"\ntype = \"db\"\n[checklist]\nacknowledge = true\nstatus = \"resolved\"\n+++\n",
        );
        let step = found
            .iter()
            .find(|d| d.message == "unknown checklist step `status`")
            .unwrap();
        let help = step.help.as_deref().unwrap();
        assert!(
            help.contains("move it above the first table header"),
            "{help}"
        );
    }

    #[test]
    fn unknown_severity_without_a_clear_match_lists_them_all() {
        let found = diagnostics_of(
            "+++\ntitle = \"t\"\nseverity = \"SEV9\"\ntype = \"db\"\nstatus = \"resolved\"\n+++\n",
        );
        let d = found.iter().find(|d| d.code == "invalid_value").unwrap();
        assert_eq!(
            d.help.as_deref(),
            Some(
                "severities are `SEV1`, `SEV2`, `SEV3` or `SEV4` (set in pm.toml `[site] severities`)"
            )
        );
    }

    #[test]
    fn severity_suggestions_are_only_made_when_unambiguous() {
        let sevs: Vec<String> = ["SEV1", "SEV2", "SEV3", "SEV4"].map(String::from).to_vec();
        assert_eq!(unique_suggestion("SEV9", &sevs), None);
        assert_eq!(unique_suggestion("sev2", &sevs), Some("SEV2"));
        let named: Vec<String> = ["critical", "major", "minor"].map(String::from).to_vec();
        assert_eq!(unique_suggestion("critcal", &named), Some("critical"));
        assert_eq!(unique_suggestion("banana", &named), None);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Checkout p99 > 2 s!"), "checkout-p99-2-s");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("Ünïcode"), "n-code");
    }
}
