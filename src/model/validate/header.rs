//! An incident's top-level keys that need more than a plain string:
//! `severity` (from pm.toml's list), `type` (an id), `status`, `timezone`
//! and `detected_by`. Uses `cx`.

use jiff::tz::TimeZone;

use super::cx::{Cx, is_valid_id, slug};
use crate::diag::{Diagnostic, backticked, suggest};
use crate::model::time::Zone;
use crate::model::{DetectedBy, Located, Status};
use crate::parse::RawIncident;

/// The keys an incident's front matter takes before its first table header.
pub(super) const TOP_LEVEL_KEYS: &[&str] = &[
    "title",
    "public_title",
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
pub(super) fn unique_suggestion<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
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

/// `severity`: required, and one of pm.toml's severities. An unknown one
/// is reported and kept (the record is still valid), and so is one whose
/// wrong type was reported (`severity = 3` stands in as `3`).
pub(super) fn severity(cx: &mut Cx<'_>, raw: &RawIncident) -> Option<Located<String>> {
    let severity = cx.required(raw.severity.as_ref(), "severity", None, "\"SEV2\"");
    if severity.is_none() {
        return cx.stand_in("severity");
    }
    if let Some(sev) = &severity
        && cx.config.severity_rank(&sev.value).is_none()
    {
        let sevs = &cx.config.severities;
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
        cx.diags.push(
            Diagnostic::error(
                "invalid_value",
                &cx.file.rel,
                format!("unknown severity `{}`", sev.value),
            )
            .at(span)
            .help(help),
        );
    }
    severity
}

/// `type`: required, and an id (it names the playbook and a page). An
/// invalid one is reported and kept. An unquoted one (`type = database`),
/// reported as such, stands in when it is an id; any other type error
/// leaves the incident without a type.
pub(super) fn kind(cx: &mut Cx<'_>, raw: &RawIncident) -> Option<Located<String>> {
    let kind = cx.required(raw.kind.as_ref(), "type", None, "\"database\"");
    if kind.is_none() {
        return cx
            .stand_in("type")
            .filter(|k| is_valid_id(&k.value) && !k.value.bytes().all(|b| b.is_ascii_digit()));
    }
    if let Some(k) = &kind
        && !is_valid_id(&k.value)
    {
        let span = k.span.clone();
        cx.diags.push(
            Diagnostic::error(
                "invalid_value",
                &cx.file.rel,
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
    kind
}

/// `status`: required, and one of [`Status::ALL`]; an unquoted one
/// (`status = resolved`), reported as such, stands in.
pub(super) fn status(cx: &mut Cx<'_>, raw: &RawIncident) -> Option<Located<Status>> {
    let written = cx.required(raw.status.as_ref(), "status", None, "\"resolved\"");
    if written.is_none() {
        return cx.stand_in("status").and_then(|s| {
            Status::parse(&s.value).map(|value| Located {
                value,
                span: s.span,
            })
        });
    }
    match (&written, raw.status.as_ref()) {
        (Some(loc), Some(rawv)) => cx
            .keyword(Some(rawv), "status", Status::parse, Status::ALL)
            .map(|s| Located {
                value: s,
                span: loc.span.clone(),
            }),
        _ => None,
    }
}

/// `timezone`: an IANA name, else pm.toml's default zone.
pub(super) fn zone(cx: &mut Cx<'_>, raw: &RawIncident) -> Option<Zone> {
    let Some(tz) = &raw.timezone else {
        return cx.config.timezone.clone();
    };
    match TimeZone::get(tz.get_ref().trim()) {
        Ok(z) => Some(Zone {
            tz: z,
            name: tz.get_ref().trim().to_owned(),
        }),
        Err(_) => {
            cx.error(
                "invalid_value",
                tz.span(),
                format!("unknown time zone `{}`", tz.get_ref()),
                "use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`".to_owned(),
            );
            None
        }
    }
}

/// `detected_by`, with its span.
pub(super) fn detected_by(cx: &mut Cx<'_>, raw: &RawIncident) -> Option<Located<DetectedBy>> {
    raw.detected_by.as_ref().and_then(|v| {
        let span = cx.span(v.span());
        cx.keyword(Some(v), "detected_by", DetectedBy::parse, DetectedBy::ALL)
            .map(|d| Located { value: d, span })
    })
}
