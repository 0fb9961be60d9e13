//! An incident's plain tables: `[impact]`, `[triage]`, `[rollback]` and
//! `[checklist]`. Uses `cx` and `header`.

use std::collections::BTreeMap;

use super::cx::Cx;
use super::header::TOP_LEVEL_KEYS;
use crate::diag::{backticked, suggest};
use crate::model::{
    CheckEntry, Impact, Located, Rollback, RollbackDecision, RollbackPossible, Triage,
};
use crate::parse::{RawImpact, RawRollback, RawStr, RawTriage, RawValue};

/// `[impact]`; a negative `users` is reported and left out.
pub(super) fn impact(cx: &mut Cx<'_>, i: &RawImpact) -> Impact {
    Impact {
        summary: Cx::text(i.summary.as_ref()),
        users: i
            .users
            .as_ref()
            .and_then(|u| match u64::try_from(*u.get_ref()) {
                Ok(n) => Some(n),
                Err(_) => {
                    cx.error(
                        "invalid_value",
                        u.span(),
                        "`users` is negative".to_owned(),
                        "write the number of users affected, e.g. `users = 1200`".to_owned(),
                    );
                    None
                }
            }),
        customer_facing: i.customer_facing,
        slo: Cx::text(i.slo.as_ref()),
    }
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
                format!("checklist entry `{step}` must be `true` or \"skipped: <reason>\""),
                format!("write `{step} = true` when it was done, or `{step} = \"skipped: why\"`"),
            ),
        }
    }
    out
}

/// A checklist value: `true` or `"skipped: <reason>"` with a reason.
fn check_entry(value: &RawValue) -> Option<CheckEntry> {
    match value.get_ref() {
        crate::parse::TomlValue::Boolean(true) => Some(CheckEntry::Done),
        crate::parse::TomlValue::String(s) => match s.trim().strip_prefix("skipped:") {
            Some(reason) if !reason.trim().is_empty() => {
                Some(CheckEntry::Skipped(reason.trim().to_owned()))
            }
            _ => None,
        },
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
