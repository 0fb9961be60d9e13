//! A playbook: its sections, ranked mitigations and commands. Uses `cx` and
//! `mitigation`.

use std::collections::BTreeMap;

use crate::parse::Spanned;

use super::cx::Cx;
use super::mitigation;
use crate::model::{Command, Playbook, Span};
use crate::parse::{RawCommand, RawPlaybook, RawStr};

/// The sections that are lists of text.
const SECTIONS: [&str; 5] = [
    "symptoms",
    "first_checks",
    "causes",
    "resolution",
    "verification",
];

/// The playbook, when its type and title are valid; every problem found is
/// in `cx.diags` either way.
pub(super) fn playbook(cx: &mut Cx<'_>, raw: &RawPlaybook) -> Option<Playbook> {
    let kind = cx.id();
    let title = cx
        .required(raw.title.as_ref(), "title", None, "\"Database incidents\"")
        .or_else(|| cx.stand_in("title"));
    // A section left out for its reported error (a wrong type, a misspelt
    // key) is not reported again as missing: it stands in as written, as
    // one item, for the lints.
    let stand_ins: BTreeMap<&str, Vec<String>> = SECTIONS
        .iter()
        .filter_map(|key| Some((*key, vec![cx.lost_entry(key, None)?.written.clone()])))
        .collect();
    let list = |v: &Option<Spanned<Vec<RawStr>>>, key: &str| {
        v.as_ref()
            .map(|l| Cx::texts(l.get_ref()))
            .or_else(|| stand_ins.get(key).cloned())
    };
    let mitigations = raw
        .mitigations
        .as_ref()
        .map(|list| mitigation::ranked_in_playbook(cx, list.get_ref()));
    let commands = commands(cx, &raw.commands);
    let allows = cx.allows(&raw.allow);
    let section_spans = section_spans(cx, raw);
    Some(Playbook {
        kind: kind?,
        origin: cx.origin(),
        title: title?.value,
        owner: Cx::text(raw.owner.as_ref()),
        symptoms: list(&raw.symptoms, "symptoms"),
        first_checks: list(&raw.first_checks, "first_checks"),
        causes: list(&raw.causes, "causes"),
        mitigations,
        resolution: list(&raw.resolution, "resolution"),
        verification: list(&raw.verification, "verification"),
        section_spans,
        commands,
        allows,
    })
}

/// `[[commands]]`: each needs a `label` and a `run`.
fn commands(cx: &mut Cx<'_>, raw: &[Spanned<RawCommand>]) -> Vec<Command> {
    raw.iter()
        .filter_map(|entry| {
            let c = entry.get_ref();
            let label = cx.required(
                c.label.as_ref(),
                "label",
                Some(entry.span()),
                "\"active connections\"",
            );
            let run = cx.required(
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
        .collect()
}

/// Where each of the six sections present is written, by key.
fn section_spans(cx: &Cx<'_>, raw: &RawPlaybook) -> BTreeMap<&'static str, Span> {
    let mut spans = BTreeMap::new();
    for (key, span) in [
        ("symptoms", raw.symptoms.as_ref().map(Spanned::span)),
        ("first_checks", raw.first_checks.as_ref().map(Spanned::span)),
        ("causes", raw.causes.as_ref().map(Spanned::span)),
        ("mitigations", raw.mitigations.as_ref().map(Spanned::span)),
        ("resolution", raw.resolution.as_ref().map(Spanned::span)),
        ("verification", raw.verification.as_ref().map(Spanned::span)),
    ] {
        if let Some(span) = span {
            spans.insert(key, cx.span(span));
        }
    }
    spans
}
