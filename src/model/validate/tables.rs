//! An incident's plain tables: `[impact]`, `[triage]`, `[rollback]` and
//! `[checklist]`. Uses `cx` and `header`.

use std::collections::BTreeMap;

use super::cx::Cx;
use super::header::TOP_LEVEL_KEYS;
use crate::diag::{backticked, suggest};
use crate::model::{
    CheckEntry, Figure, Impact, Located, Rollback, RollbackDecision, RollbackPossible, Triage,
    Users,
};
use crate::parse::{
    RawFigure, RawImpact, RawRollback, RawStr, RawTriage, RawValue, Spanned, TomlValue,
};

/// `[impact]`; a negative or mistyped `users` and a figure without its
/// value or unit are reported and left out.
pub(super) fn impact(cx: &mut Cx<'_>, i: &RawImpact) -> Impact {
    Impact {
        summary: Cx::text(i.summary.as_ref()),
        users: i.users.as_ref().and_then(|u| users(cx, u)),
        regions: Cx::texts(&i.regions),
        figures: i.figures.iter().filter_map(|f| figure(cx, f)).collect(),
        customer_facing: i.customer_facing,
        slo: Cx::text(i.slo.as_ref()),
    }
}

/// `users`: a count (a non-negative integer) or a description (a string).
fn users(cx: &mut Cx<'_>, u: &RawValue) -> Option<Users> {
    let help = "write a count (`users = 1200`) or, when the source gives none, a description (`users = \"all customers in us-east-1\"`)";
    match u.get_ref() {
        TomlValue::Integer(n) => match u64::try_from(*n) {
            Ok(n) => Some(Users::Count(n)),
            Err(_) => {
                cx.error(
                    "invalid_value",
                    u.span(),
                    "`users` is negative".to_owned(),
                    help.to_owned(),
                );
                None
            }
        },
        TomlValue::String(text) => Some(text.trim())
            .filter(|t| !t.is_empty())
            .map(|t| Users::Described(t.to_owned())),
        other => {
            cx.error(
                "wrong_type",
                u.span(),
                format!(
                    "wrong type for `users`: expected an integer or a string, found {}",
                    super::cx::a_type(other)
                ),
                help.to_owned(),
            );
            None
        }
    }
}

/// One `[[impact.figures]]` entry: `value` (a number) and `unit` required.
fn figure(cx: &mut Cx<'_>, entry: &Spanned<RawFigure>) -> Option<Figure> {
    let f = entry.get_ref();
    let unit = cx.required(
        f.unit.as_ref(),
        "unit",
        Some(entry.span()),
        "\"data centres\"",
    );
    #[expect(
        clippy::cast_precision_loss,
        reason = "a figure of a postmortem is far below 2^53"
    )]
    let value = match f.value.as_ref().map(|v| (v, v.get_ref())) {
        Some((_, TomlValue::Integer(n))) => Some(*n as f64),
        Some((_, TomlValue::Float(x))) if x.is_finite() => Some(*x),
        Some((v, other)) => {
            cx.error(
                "wrong_type",
                v.span(),
                format!("wrong type for `value`: expected a number, found {}", super::cx::a_type(other)),
                "write the number without quotes (`value = 19`, `value = 8.5`) and what it counts in `unit`; put prose in `[impact] summary`".to_owned(),
            );
            None
        }
        None if cx.lost("value", Some(entry.span())) => None,
        None => {
            cx.error(
                "missing_key",
                entry.span(),
                "missing required key `value` in an impact figure".to_owned(),
                "add the number, e.g. `value = 19` with `unit = \"data centres\"`".to_owned(),
            );
            None
        }
    };
    Some(Figure {
        value: value?,
        unit: unit?.value,
        source: Cx::text(f.source.as_ref()),
        approx: f.approx.unwrap_or(false),
    })
}

/// `[triage]`: a stack trace and logs keep their indentation.
pub(super) fn triage(cx: &Cx<'_>, t: &RawTriage) -> Triage {
    Triage {
        error: Cx::text(t.error.as_ref()),
        symptoms: Cx::texts(&t.symptoms),
        system: Cx::text(t.system.as_ref()),
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
                span: cx.span(l.span()),
            })
            .collect(),
    }
}

/// `[rollback]`.
pub(super) fn rollback(cx: &mut Cx<'_>, r: &RawRollback) -> Rollback {
    Rollback {
        possible: cx.keyword(
            r.possible.as_ref(),
            "possible",
            RollbackPossible::parse,
            RollbackPossible::ALL,
        ),
        decision: cx.keyword(
            r.decision.as_ref(),
            "decision",
            RollbackDecision::parse,
            RollbackDecision::ALL,
        ),
        reason: Cx::text(r.reason.as_ref()),
    }
}

/// `[checklist]`: each key a step of pm.toml's checklist, each value `true`
/// or `"skipped: <reason>"`. Wrong entries are reported and left out.
pub(super) fn checklist(
    cx: &mut Cx<'_>,
    raw: &BTreeMap<RawStr, RawValue>,
) -> BTreeMap<String, Located<CheckEntry>> {
    let known: Vec<&str> = cx.config.checklist.iter().map(|s| s.id.as_str()).collect();
    let mut out = BTreeMap::new();
    for (key, value) in raw {
        let step = key.get_ref().trim();
        if !known.contains(&step) {
            unknown_step(cx, key, &known);
            continue;
        }
        let span = key.span().start..value.span().end;
        match check_entry(value) {
            Some(e) => {
                out.insert(
                    step.to_owned(),
                    Located {
                        value: e,
                        span: cx.span(span),
                    },
                );
            }
            None => cx.error(
                "invalid_value",
                value.span(),
                format!(
                    "checklist entry `{step}` must be `true`, \"skipped: <reason>\" or \"unknown: <reason>\""
                ),
                format!(
                    "write `{step} = true` when it was done, `{step} = \"skipped: why\"` when it was not, or `{step} = \"unknown: why\"` when the record's sources do not say"
                ),
            ),
        }
    }
    out
}

/// A checklist value: `true`, or `"skipped: <reason>"` or
/// `"unknown: <reason>"` with a reason.
fn check_entry(value: &RawValue) -> Option<CheckEntry> {
    let reason = |s: &str, prefix: &str| {
        s.trim()
            .strip_prefix(prefix)
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    };
    match value.get_ref() {
        TomlValue::Boolean(true) => Some(CheckEntry::Done),
        TomlValue::String(s) => reason(s, "skipped:")
            .map(CheckEntry::Skipped)
            .or_else(|| reason(s, "unknown:").map(CheckEntry::Unknown)),
        _ => None,
    }
}

/// Reports a key of `[checklist]` that is no step; a top-level key written
/// after the header is told to move up.
fn unknown_step(cx: &mut Cx<'_>, key: &RawStr, known: &[&str]) {
    let step = key.get_ref().trim();
    let help = if TOP_LEVEL_KEYS.contains(&step) {
        format!(
            "`{step}` is a top-level key, but it sits under `[checklist]`: move it above the first table header (after a header, every key belongs to that table)"
        )
    } else {
        match suggest(step, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("checklist steps are {}", backticked(known)),
        }
    };
    cx.error(
        "unknown_key",
        key.span(),
        format!("unknown checklist step `{step}`"),
        help,
    );
}
