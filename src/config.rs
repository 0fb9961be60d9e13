//! `pm.toml`: the repository's settings, every key optional and defaulted.
//!
//! This module owns the defaults (the incident checklist, severities, the gap
//! threshold) and turns the file into a validated [`Config`]. Unknown keys are
//! rejected with a suggestion; a bad value is a diagnostic located in the file.

use std::collections::BTreeMap;

use jiff::SignedDuration;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, backticked, suggest};
pub use crate::parse::Limits;
use crate::parse::{Spanned, TomlValue, size_text, toml_error_diagnostic};

/// A time zone with the IANA name it was given by (records and pm.toml).
#[derive(Debug, Clone)]
pub struct Zone {
    /// The zone.
    pub tz: TimeZone,
    /// Its IANA name.
    pub name: String,
}

pub use crate::source::CONFIG_FILE;

/// Rows per page of the site's lists when `[site] page_size` is not set.
/// Any fixed size keeps pages from growing with the repository; 100 rows
/// (a page of about 150 KB) rather than 50 halves the files a large site
/// writes, and each file created costs time on a real disk.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The largest `[site] page_size` accepted.
pub const MAX_PAGE_SIZE: usize = 10_000;

/// The largest `[site] trend_months` accepted (fifty years).
pub const MAX_TREND_MONTHS: usize = 600;

/// How many incidents must name an item a playbook lacks before its page
/// lists it, when `[playbooks] learned_min_incidents` is not set: one
/// incident's detail is an anecdote, two make a pattern.
pub const DEFAULT_LEARNED_MIN_INCIDENTS: usize = 2;

/// The milestones, in the order an incident reaches them.
pub const MILESTONES: [(&str, &str); 5] = [
    ("impact-start", "Impact started"),
    ("detected", "Detected"),
    ("acknowledge", "Acknowledged"),
    ("mitigate", "Mitigated"),
    ("verify-resolution", "Resolved"),
];

/// The default incident checklist, in order: step id and title.
pub const DEFAULT_CHECKLIST: [(&str, &str); 11] = [
    ("acknowledge", "Acknowledge the incident"),
    ("assess-severity", "Assess severity and impact"),
    ("notify-stakeholders", "Notify stakeholders"),
    ("check-recent-changes", "Check recent changes"),
    ("gather-evidence", "Gather logs and errors"),
    ("form-hypothesis", "Form a hypothesis"),
    ("test-hypothesis", "Test the hypothesis"),
    ("mitigate", "Mitigate or fix"),
    ("verify-resolution", "Verify the resolution"),
    ("communicate-resolution", "Communicate the resolution"),
    ("schedule-postmortem", "Schedule the postmortem"),
];

/// One step of the incident checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistStep {
    /// Stable id, used as a timeline `step` and in `[checklist]`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Severities the step is required for; `None` means every severity.
    pub required_for: Option<Vec<String>>,
}

impl ChecklistStep {
    /// Whether the step is required at `severity`.
    pub fn required_at(&self, severity: &str) -> bool {
        self.required_for
            .as_ref()
            .is_none_or(|list| list.iter().any(|s| s == severity))
    }
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description shown on the index.
    pub description: Option<String>,
    /// Base URL the site is served from (always ends with `/`).
    pub base_url: String,
    /// The repository's web address, for commit and edit links (default:
    /// derived from the `origin` remote).
    pub repository: Option<String>,
    /// Time zone for local datetimes in records that name none; without
    /// one, a datetime without offset is an error rather than a guess.
    pub timezone: Option<Zone>,
    /// Severities, worst first.
    pub severities: Vec<String>,
    /// Rows per page of every list on the site (incidents, action items).
    pub page_size: usize,
    /// Default gap threshold.
    pub gap: SignedDuration,
    /// Per-severity gap thresholds.
    pub gap_by_severity: BTreeMap<String, SignedDuration>,
    /// `##` sections every incident body must have.
    pub required_sections: Vec<String>,
    /// The incident checklist.
    pub checklist: Vec<ChecklistStep>,
    /// A time to detect longer than this asks for a monitoring action item.
    pub monitoring_after: SignedDuration,
    /// Severities whose resolved incidents need a prevention action item.
    pub prevention_for: Vec<String>,
    /// Lint levels set in `[lints]`, with the byte span of each entry.
    pub lints: BTreeMap<String, (String, std::ops::Range<usize>)>,
    /// How big a record may be (`[limits]`).
    pub limits: Limits,
    /// How many months the index's trend charts cover, the newest ones
    /// (`[site] trend_months`); `None`, the default, covers every month
    /// from the first dated incident to the newest.
    pub trend_months: Option<usize>,
    /// How many incidents must name a symptom, mitigation or other item that
    /// a playbook lacks before the playbook's page lists it as learned
    /// (`[playbooks] learned_min_incidents`, default
    /// [`DEFAULT_LEARNED_MIN_INCIDENTS`]).
    pub learned_min_incidents: usize,
    /// What the site does not publish (`[site] leave_out`); by default
    /// everything is published.
    pub leave_out: LeaveOut,
}

/// The files and folders a site may leave out (`[site] leave_out`), each
/// named as it is in the site. They are copies of what the pages show, for
/// tools and assistants; the pages, the listing pages and the tracker,
/// which are how a reader finds an incident, cannot be left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeaveOut {
    /// `prompts`: no `prompts/` folder; the prompt boxes give the command.
    pub prompts: bool,
    /// `incidents.json` is not written.
    pub incidents_json: bool,
    /// `actions.csv` is not written.
    pub actions_csv: bool,
    /// `search-index.json` is not written (the browser's search index, in
    /// `search/`, still is).
    pub search_index_json: bool,
}

impl LeaveOut {
    /// The values `[site] leave_out` takes, as the site names them.
    pub const NAMES: [&str; 4] = [
        "prompts",
        "incidents.json",
        "actions.csv",
        "search-index.json",
    ];

    /// The flag of the value `name` (one of [`LeaveOut::NAMES`]).
    fn flag(&mut self, name: &str) -> Option<&mut bool> {
        match name {
            "prompts" => Some(&mut self.prompts),
            "incidents.json" => Some(&mut self.incidents_json),
            "actions.csv" => Some(&mut self.actions_csv),
            "search-index.json" => Some(&mut self.search_index_json),
            _ => None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Incident reviews".to_owned(),
            description: None,
            base_url: "/".to_owned(),
            repository: None,
            timezone: None,
            severities: ["SEV1", "SEV2", "SEV3", "SEV4"].map(str::to_owned).to_vec(),
            page_size: DEFAULT_PAGE_SIZE,
            trend_months: None,
            learned_min_incidents: DEFAULT_LEARNED_MIN_INCIDENTS,
            leave_out: LeaveOut::default(),
            gap: SignedDuration::from_mins(30),
            gap_by_severity: BTreeMap::new(),
            required_sections: ["Summary", "Impact", "Root cause"]
                .map(str::to_owned)
                .to_vec(),
            checklist: DEFAULT_CHECKLIST
                .iter()
                .map(|(id, title)| ChecklistStep {
                    id: (*id).to_owned(),
                    title: (*title).to_owned(),
                    required_for: None,
                })
                .collect(),
            monitoring_after: SignedDuration::from_mins(15),
            prevention_for: ["SEV1", "SEV2"].map(str::to_owned).to_vec(),
            lints: BTreeMap::new(),
            limits: Limits::default(),
        }
    }
}

/// How to write a base URL, for `[site] base_url` and `--base-url`.
pub const BASE_URL_HELP: &str = "give an absolute URL (`https://example.com/reviews/`) or a path from the server root (`/reviews/`)";

/// Whether `base` may be the site's base URL (`[site] base_url` or
/// `--base-url`): an `http://` or `https://` URL, or a path from the server
/// root. It is printed at the start of every link, so anything else
/// (`javascript:`, `data:`, a protocol-relative `//host`) is refused, as are
/// spaces, control characters and backslashes, which browsers read loosely.
pub fn is_valid_base_url(base: &str) -> bool {
    let clean = !base
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    let http = base.starts_with("https://") || base.starts_with("http://");
    let path = base.starts_with('/') && !base.starts_with("//");
    clean && (http || path)
}

/// The site's address as pm uses it, ending in `/`; `None` when it is not
/// valid ([`is_valid_base_url`]). The one rule for `pm.toml` and `--base-url`.
pub fn base_url(base: &str) -> Option<String> {
    if !is_valid_base_url(base) {
        return None;
    }
    Some(if base.ends_with('/') {
        base.to_owned()
    } else {
        format!("{base}/")
    })
}

impl Config {
    /// The gap threshold for an incident of `severity`.
    pub fn gap_for(&self, severity: &str) -> SignedDuration {
        self.gap_by_severity
            .get(severity)
            .copied()
            .unwrap_or(self.gap)
    }

    /// 1-based rank of a severity (1 = worst), when it is known.
    pub fn severity_rank(&self, severity: &str) -> Option<usize> {
        self.severities
            .iter()
            .position(|s| s == severity)
            .map(|i| i + 1)
    }

    /// Every value a timeline `step` may take: milestones, then checklist steps.
    pub fn step_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = MILESTONES.iter().map(|(id, _)| *id).collect();
        for step in &self.checklist {
            if !ids.contains(&step.id.as_str()) {
                ids.push(&step.id);
            }
        }
        ids
    }

    /// Parses `pm.toml` text. Problems are pushed to `diags`; `None` means the
    /// file is unusable and the run should stop after reporting them.
    pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Config> {
        let before = diags.count(crate::diag::Level::Error);
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let offset = text.len() - body.len();
        let raw: RawConfig = match crate::parse::toml_document(body) {
            Ok(raw) => raw,
            Err(err) => {
                diags.push(toml_error_diagnostic(&err, CONFIG_FILE, body, offset));
                return None;
            }
        };
        let shift = |span: std::ops::Range<usize>| span.start + offset..span.end + offset;
        let mut config = Config::default();
        let bad = |diags: &mut Diagnostics, span, message: String, help: String| {
            diags.push(
                Diagnostic::error("invalid_config", CONFIG_FILE, message)
                    .at(shift(span))
                    .help(help),
            );
        };
        if let Some(site) = raw.site {
            if let Some(title) = site.title {
                config.title = title;
            }
            config.description = site.description;
            if let Some(base) = site.base_url {
                if let Some(valid) = base_url(base.get_ref()) {
                    config.base_url = valid;
                } else {
                    bad(
                        diags,
                        base.span(),
                        format!(
                            "`base_url` is neither an http(s) URL nor a path from the server root: `{}`",
                            base.get_ref()
                        ),
                        BASE_URL_HELP.to_owned(),
                    );
                }
            }
            if let Some(repo) = site.repository {
                let url = repo.get_ref().trim().trim_end_matches('/');
                if url.starts_with("https://") || url.starts_with("http://") {
                    config.repository = Some(url.to_owned());
                } else {
                    bad(
                        diags,
                        repo.span(),
                        format!("`repository` is not a web address: `{}`", repo.get_ref()),
                        "give the repository's https URL, e.g. `https://github.com/acme/incident-records`".to_owned(),
                    );
                }
            }
            if let Some(tz) = site.timezone {
                match TimeZone::get(tz.get_ref()) {
                    Ok(zone) => {
                        config.timezone = Some(Zone {
                            tz: zone,
                            name: tz.get_ref().clone(),
                        });
                    }
                    Err(_) => bad(
                        diags,
                        tz.span(),
                        format!("unknown time zone `{}`", tz.get_ref()),
                        "use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`"
                            .to_owned(),
                    ),
                }
            }
            if let Some(severities) = site.severities {
                if severities.get_ref().is_empty() {
                    bad(
                        diags,
                        severities.span(),
                        "`severities` is empty".to_owned(),
                        "list at least one severity, worst first, e.g. `[\"SEV1\", \"SEV2\"]`"
                            .to_owned(),
                    );
                } else {
                    config.severities = severities.into_inner();
                }
            }
            if let Some(size) = site.page_size {
                match usize::try_from(*size.get_ref()) {
                    Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => config.page_size = n,
                    _ => bad(
                        diags,
                        size.span(),
                        format!(
                            "`page_size` must be between 1 and {MAX_PAGE_SIZE}, not {}",
                            size.get_ref()
                        ),
                        format!(
                            "rows per page of the site's lists; the default is {DEFAULT_PAGE_SIZE}"
                        ),
                    ),
                }
            }
            if let Some(months) = site.trend_months {
                match usize::try_from(*months.get_ref()) {
                    Ok(n) if (1..=MAX_TREND_MONTHS).contains(&n) => config.trend_months = Some(n),
                    _ => bad(
                        diags,
                        months.span(),
                        format!(
                            "`trend_months` must be between 1 and {MAX_TREND_MONTHS}, not {}",
                            months.get_ref()
                        ),
                        "the newest months the index's charts cover; leave it out to cover every month from the first incident to the newest".to_owned(),
                    ),
                }
            }
            // A value named twice is the same value: the list is a set,
            // as `prevention_for` is.
            for name in site.leave_out.unwrap_or_default() {
                if let Some(flag) = config.leave_out.flag(name.get_ref()) {
                    *flag = true;
                    continue;
                }
                let mut help = format!("`leave_out` takes {}", backticked(&LeaveOut::NAMES));
                if let Some(s) = suggest(name.get_ref(), LeaveOut::NAMES) {
                    help = format!("did you mean `{s}`? {help}");
                }
                bad(
                    diags,
                    name.span(),
                    format!(
                        "`leave_out` names no file pm can leave out: `{}`",
                        name.get_ref()
                    ),
                    help,
                );
            }
        }
        if let Some(min) = raw.playbooks.and_then(|p| p.learned_min_incidents) {
            match usize::try_from(*min.get_ref()) {
                Ok(n) if n >= 1 => config.learned_min_incidents = n,
                _ => bad(
                    diags,
                    min.span(),
                    format!(
                        "`learned_min_incidents` must be 1 or more, not {}",
                        min.get_ref()
                    ),
                    format!(
                        "how many incidents must name an item before a playbook's page lists it as learned; the default is {DEFAULT_LEARNED_MIN_INCIDENTS}"
                    ),
                ),
            }
        }
        let severities = config.severities.clone();
        let check_severity = |diags: &mut Diagnostics, sev: &Spanned<String>| {
            if !severities.contains(sev.get_ref()) {
                let mut help = format!("severities are {}", backticked(&severities));
                if let Some(s) = suggest(sev.get_ref(), severities.iter().map(String::as_str)) {
                    help = format!("did you mean `{s}`? {help}");
                }
                bad(
                    diags,
                    sev.span(),
                    format!("unknown severity `{}`", sev.get_ref()),
                    help,
                );
            }
        };
        if let Some(timeline) = raw.timeline {
            if let Some(gap) = timeline.gap {
                match parse_threshold(gap.get_ref()) {
                    Some(d) => config.gap = d,
                    None => bad(
                        diags,
                        gap.span(),
                        format!("invalid duration `{}`", gap.get_ref()),
                        "write a positive duration such as \"30m\", \"1h 30m\" or \"45 minutes\""
                            .to_owned(),
                    ),
                }
            }
            for (sev, gap) in timeline.gap_by_severity.unwrap_or_default() {
                check_severity(diags, &sev);
                match parse_threshold(gap.get_ref()) {
                    Some(d) => {
                        config.gap_by_severity.insert(sev.into_inner(), d);
                    }
                    None => bad(
                        diags,
                        gap.span(),
                        format!("invalid duration `{}`", gap.get_ref()),
                        "write a positive duration such as \"30m\" or \"1h\"".to_owned(),
                    ),
                }
            }
        }
        if let Some(actions) = raw.actions {
            if let Some(after) = actions.monitoring_after {
                match parse_threshold(after.get_ref()) {
                    Some(d) => config.monitoring_after = d,
                    None => bad(
                        diags,
                        after.span(),
                        format!("invalid duration `{}`", after.get_ref()),
                        "write a positive duration such as \"15m\" or \"1h\"".to_owned(),
                    ),
                }
            }
            if let Some(sevs) = actions.prevention_for {
                for sev in &sevs {
                    check_severity(diags, sev);
                }
                config.prevention_for = sevs.into_iter().map(Spanned::into_inner).collect();
            }
        }
        if let Some(body) = raw.body
            && let Some(sections) = body.required_sections
        {
            config.required_sections = sections;
        }
        if let Some(checklist) = raw.checklist {
            if let Some(steps) = checklist.steps {
                config.checklist = steps
                    .into_iter()
                    .map(|s| ChecklistStep {
                        title: s.title.unwrap_or_else(|| s.id.clone()),
                        id: s.id,
                        required_for: None,
                    })
                    .collect();
            }
            let ids: Vec<String> = config.checklist.iter().map(|s| s.id.clone()).collect();
            for (step, sevs) in checklist.required_for.unwrap_or_default() {
                for sev in &sevs {
                    check_severity(diags, sev);
                }
                match config
                    .checklist
                    .iter_mut()
                    .find(|s| s.id == *step.get_ref())
                {
                    Some(s) => {
                        s.required_for = Some(sevs.into_iter().map(Spanned::into_inner).collect());
                    }
                    None => {
                        let mut help = format!("checklist steps are {}", backticked(&ids));
                        if let Some(s) = suggest(step.get_ref(), ids.iter().map(String::as_str)) {
                            help = format!("did you mean `{s}`? {help}");
                        }
                        bad(
                            diags,
                            step.span(),
                            format!("unknown checklist step `{}`", step.get_ref()),
                            help,
                        );
                    }
                }
            }
        }
        if let Some(limits) = raw.limits {
            let mut size = |value: Option<Spanned<TomlValue>>, key: &str, out: &mut usize| {
                let Some(value) = value else { return };
                match parse_size(value.get_ref()) {
                    Some(n) => *out = n,
                    None => bad(
                        diags,
                        value.span(),
                        format!("invalid size for `{key}`: `{}`", value.get_ref()),
                        format!(
                            "write a positive size such as \"{}\", \"512 KiB\" or a number of bytes",
                            size_text(*out)
                        ),
                    ),
                }
            };
            size(
                limits.record_size,
                "record_size",
                &mut config.limits.record_size,
            );
            size(
                limits.front_matter_size,
                "front_matter_size",
                &mut config.limits.front_matter_size,
            );
            size(
                limits.attachment_size,
                "attachment_size",
                &mut config.limits.attachment_size,
            );
            let defaults = Limits::DEFAULT;
            for (value, key, out, example) in [
                (
                    limits.timeline_events,
                    "timeline_events",
                    &mut config.limits.timeline_events,
                    defaults.timeline_events,
                ),
                (
                    limits.services,
                    "services",
                    &mut config.limits.services,
                    defaults.services,
                ),
                (limits.tags, "tags", &mut config.limits.tags, defaults.tags),
                (
                    limits.responders,
                    "responders",
                    &mut config.limits.responders,
                    defaults.responders,
                ),
                (
                    limits.actions,
                    "actions",
                    &mut config.limits.actions,
                    defaults.actions,
                ),
            ] {
                let Some(value) = value else { continue };
                match usize::try_from(*value.get_ref()) {
                    Ok(n) if n > 0 => *out = n,
                    _ => bad(
                        diags,
                        value.span(),
                        format!("invalid `{key}`: `{}`", value.get_ref()),
                        format!("write a positive whole number, e.g. `{example}`"),
                    ),
                }
            }
        }
        for (lint, level) in raw.lints.unwrap_or_default() {
            let span = lint.span().start..level.span().end;
            if !matches!(level.get_ref().as_str(), "allow" | "warn" | "deny") {
                bad(
                    diags,
                    level.span(),
                    format!("unknown lint level `{}`", level.get_ref()),
                    "use `allow`, `warn` or `deny`".to_owned(),
                );
                continue;
            }
            config
                .lints
                .insert(lint.into_inner(), (level.into_inner(), shift(span)));
        }
        (diags.count(crate::diag::Level::Error) == before).then_some(config)
    }
}

/// A positive size in bytes: a whole number of bytes, or a string such as
/// "512 KiB", "1 MiB", "2 GiB" or "4096 B".
fn parse_size(value: &TomlValue) -> Option<usize> {
    let n = match value {
        TomlValue::Integer(n) => usize::try_from(*n).ok()?,
        TomlValue::String(text) => {
            let text = text.trim();
            let split = text
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len());
            let (digits, unit) = text.split_at(split);
            let scale: usize = match unit.trim() {
                "" | "B" => 1,
                "KiB" => 1 << 10,
                "MiB" => 1 << 20,
                "GiB" => 1 << 30,
                _ => return None,
            };
            digits.parse::<usize>().ok()?.checked_mul(scale)?
        }
        _ => return None,
    };
    (n > 0).then_some(n)
}

/// A positive duration from a `pm.toml` string such as "30m".
fn parse_threshold(text: &str) -> Option<SignedDuration> {
    text.trim()
        .parse::<SignedDuration>()
        .ok()
        .filter(|d| d.is_positive())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    site: Option<RawSite>,
    timeline: Option<RawTimeline>,
    body: Option<RawBody>,
    checklist: Option<RawChecklist>,
    actions: Option<RawActions>,
    lints: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    limits: Option<RawLimits>,
    playbooks: Option<RawPlaybooks>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaybooks {
    learned_min_incidents: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    record_size: Option<Spanned<TomlValue>>,
    front_matter_size: Option<Spanned<TomlValue>>,
    timeline_events: Option<Spanned<i64>>,
    attachment_size: Option<Spanned<TomlValue>>,
    services: Option<Spanned<i64>>,
    tags: Option<Spanned<i64>>,
    responders: Option<Spanned<i64>>,
    actions: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActions {
    monitoring_after: Option<Spanned<String>>,
    prevention_for: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<Spanned<String>>,
    repository: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    severities: Option<Spanned<Vec<String>>>,
    page_size: Option<Spanned<i64>>,
    trend_months: Option<Spanned<i64>>,
    leave_out: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    gap: Option<Spanned<String>>,
    gap_by_severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    required_sections: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    steps: Option<Vec<RawStep>>,
    required_for: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_http_or_a_path_from_the_root() {
        for good in [
            "/",
            "/reviews",
            "/reviews/",
            "https://example.com/r/",
            "http://x/",
        ] {
            assert!(is_valid_base_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "reviews/",
            "",
            "//evil.example/",
            "/\\evil.example/",
            " /reviews",
            "/re views",
            "https://x/\n",
            "HTTPS://EXAMPLE.COM/",
        ] {
            assert!(!is_valid_base_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        let mut d = Diagnostics::new();
        let c = Config::parse("", &mut d).unwrap();
        assert_eq!(c.gap, SignedDuration::from_mins(30));
        assert_eq!(c.checklist.len(), 11);
        assert!(d.items().is_empty());
    }

    #[test]
    fn settings_are_read_and_validated() {
        let text = "[site]\ntimezone = \"Europe/Berlin\"\n[timeline]\ngap = \"1h 30m\"\ngap_by_severity = { SEV1 = \"15m\" }\n[checklist]\nrequired_for = { notify-stakeholders = [\"SEV1\"] }\n";
        let mut d = Diagnostics::new();
        let c = Config::parse(text, &mut d).unwrap();
        assert_eq!(c.gap, SignedDuration::from_mins(90));
        assert_eq!(c.gap_for("SEV1"), SignedDuration::from_mins(15));
        assert_eq!(c.gap_for("SEV2"), SignedDuration::from_mins(90));
        let notify = c
            .checklist
            .iter()
            .find(|s| s.id == "notify-stakeholders")
            .unwrap();
        assert!(notify.required_at("SEV1"));
        assert!(!notify.required_at("SEV3"));
        assert_eq!(c.timezone.unwrap().name, "Europe/Berlin");
        assert_eq!(c.page_size, DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn page_size_is_read_and_bounded() {
        let mut d = Diagnostics::new();
        let c = Config::parse("[site]\npage_size = 20\n", &mut d).unwrap();
        assert_eq!(c.page_size, 20);
        for bad in ["0", "-3", "10001"] {
            let mut d = Diagnostics::new();
            assert!(Config::parse(&format!("[site]\npage_size = {bad}\n"), &mut d).is_none());
            assert!(
                d.items()[0]
                    .message
                    .starts_with("`page_size` must be between 1 and")
            );
        }
    }

    #[test]
    fn trend_months_and_learned_min_incidents_are_read_and_bounded() {
        let mut d = Diagnostics::new();
        let c = Config::parse("", &mut d).unwrap();
        assert_eq!(c.trend_months, None);
        assert_eq!(c.learned_min_incidents, DEFAULT_LEARNED_MIN_INCIDENTS);
        let text = "[site]\ntrend_months = 12\n[playbooks]\nlearned_min_incidents = 1\n";
        let c = Config::parse(text, &mut d).unwrap();
        assert_eq!((c.trend_months, c.learned_min_incidents), (Some(12), 1));
        for bad in [
            "[site]\ntrend_months = 0\n",
            "[playbooks]\nlearned_min_incidents = -1\n",
        ] {
            let mut d = Diagnostics::new();
            assert!(Config::parse(bad, &mut d).is_none(), "{bad}");
            assert!(d.items()[0].message.contains("must be"), "{bad}");
        }
    }

    #[test]
    fn bad_values_are_located_diagnostics() {
        let text = "[timeline]\ngap = \"soon\"\ngap_by_severity = { SEV9 = \"1h\" }\n";
        let mut d = Diagnostics::new();
        assert!(Config::parse(text, &mut d).is_none());
        let messages: Vec<_> = d.items().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["invalid duration `soon`", "unknown severity `SEV9`"]
        );
    }

    #[test]
    fn limits_are_read_and_validated() {
        let mut d = Diagnostics::new();
        let c = Config::parse("", &mut d).unwrap();
        assert_eq!(c.limits, Limits::DEFAULT);
        let text = "[limits]\nrecord_size = \"2 MiB\"\nfront_matter_size = 4096\ntimeline_events = 50\nattachment_size = \"100 MiB\"\n";
        let c = Config::parse(text, &mut d).unwrap();
        assert_eq!(c.limits.record_size, 2 * 1024 * 1024);
        assert_eq!(c.limits.front_matter_size, 4096);
        assert_eq!(c.limits.timeline_events, 50);
        assert_eq!(c.limits.attachment_size, 100 * 1024 * 1024);
        let text = "[limits]\nservices = 3\ntags = 4\nresponders = 5\nactions = 6\n";
        let c = Config::parse(text, &mut d).unwrap();
        assert_eq!(
            (
                c.limits.services,
                c.limits.tags,
                c.limits.responders,
                c.limits.actions
            ),
            (3, 4, 5, 6)
        );
        for bad in [
            "services = 0",
            "tags = -2",
            "responders = 0",
            "actions = 0",
            "record_size = \"2 MB\"",
            "record_size = 0",
            "front_matter_size = -1",
            "front_matter_size = \"lots\"",
            "record_size = \"99999999999999999999 GiB\"",
            "timeline_events = 0",
            "attachment_size = \"big\"",
        ] {
            let mut d = Diagnostics::new();
            assert!(
                Config::parse(&format!("[limits]\n{bad}\n"), &mut d).is_none(),
                "{bad}"
            );
            assert_eq!(d.items()[0].code, "invalid_config", "{bad}");
            assert!(d.items()[0].span.is_some(), "{bad}");
        }
        assert_eq!(
            parse_size(&TomlValue::String("512 KiB".into())),
            Some(512 * 1024)
        );
        assert_eq!(parse_size(&TomlValue::String("10B".into())), Some(10));
    }

    #[test]
    fn leave_out_is_read_and_its_values_checked() {
        let mut d = Diagnostics::new();
        let c = Config::parse("", &mut d).unwrap();
        assert_eq!(c.leave_out, LeaveOut::default());
        let text = "[site]\nleave_out = [\"prompts\", \"actions.csv\", \"prompts\"]\n";
        let c = Config::parse(text, &mut d).unwrap();
        let expected = LeaveOut {
            prompts: true,
            actions_csv: true,
            ..LeaveOut::default()
        };
        assert_eq!(c.leave_out, expected);
        assert!(d.items().is_empty());
        let text = "[site]\nleave_out = [\"prompts\", \"incident.json\"]\n";
        assert!(Config::parse(text, &mut d).is_none());
        let diag = &d.items()[0];
        assert_eq!(
            diag.message,
            "`leave_out` names no file pm can leave out: `incident.json`"
        );
        assert!(
            (diag.help.as_deref().unwrap()).starts_with("did you mean `incidents.json`?"),
            "{:?}",
            diag.help
        );
        assert_eq!(diag.span, Some(31..46), "the value, quotes and all");
    }

    #[test]
    fn unknown_keys_are_rejected_with_a_suggestion() {
        let mut d = Diagnostics::new();
        assert!(Config::parse("[site]\ntitel = \"x\"\n", &mut d).is_none());
        let diag = &d.items()[0];
        assert_eq!(diag.message, "unknown key `titel`");
        assert_eq!(diag.help.as_deref(), Some("did you mean `title`?"));
    }
}
