//! [`FromTree`] for the records' front matter structs, as their derived
//! `Deserialize` reads them (see `direct.rs`).

use super::direct::{FromTree, Node, read};
use super::tree::Value;
use crate::parse::{
    RawAction, RawAllow, RawChange, RawCommand, RawEvent, RawFigure, RawHypothesis, RawImpact,
    RawIncident, RawMitigation, RawPlaybook, RawPlaybookMitigation, RawRollback, RawTriage,
    RawUpdate,
};

/// [`FromTree`] for a struct of the records, as its derived `Deserialize`
/// with `deny_unknown_fields` reads a table: each field by its key (as
/// renamed), an unknown key refused, an absent one as [`FromTree::absent`].
/// A list that leaves out a field fails to compile.
macro_rules! from_tree {
    ($($name:ident { $($field:ident: $key:literal),* $(,)? })*) => {$(
        impl FromTree for $name {
            fn from_tree(src: &str, Node(item): Node<'_>) -> Option<Self> {
                let Value::Table(entries) = item.value else {
                    return None;
                };
                $(let mut $field = None;)*
                for entry in entries {
                    match src.get(entry.key.range())? {
                        $($key => $field = Some(read(src, entry.item)?),)*
                        _ => return None,
                    }
                }
                Some($name {
                    $($field: match $field {
                        Some(value) => value,
                        None => FromTree::absent()?,
                    },)*
                })
            }
        }
    )*};
}

from_tree! {
    RawIncident {
        title: "title",
        public_title: "public_title",
        severity: "severity",
        kind: "type",
        status: "status",
        draft: "draft",
        services: "services",
        tags: "tags",
        commander: "commander",
        responders: "responders",
        timezone: "timezone",
        summary: "summary",
        detected_by: "detected_by",
        impact: "impact",
        triage: "triage",
        timeline: "timeline",
        checklist: "checklist",
        actions: "actions",
        changes: "changes",
        hypotheses: "hypotheses",
        mitigations: "mitigations",
        rollback: "rollback",
        updates: "updates",
        allow: "allow",
    }
    RawImpact {
        summary: "summary",
        users: "users",
        regions: "regions",
        figures: "figures",
        customer_facing: "customer_facing",
        slo: "slo",
    }
    RawFigure {
        value: "value",
        unit: "unit",
        source: "source",
        approx: "approx",
    }
    RawTriage {
        error: "error",
        symptoms: "symptoms",
        system: "system",
        stack_trace: "stack_trace",
        logs: "logs",
    }
    RawEvent {
        at: "at",
        approx: "approx",
        text: "text",
        step: "step",
        who: "who",
        source: "source",
        evidence: "evidence",
        gap: "gap",
    }
    RawAction {
        kind: "kind",
        text: "text",
        owner: "owner",
        due: "due",
        status: "status",
        link: "link",
        closed: "closed",
    }
    RawChange {
        at: "at",
        until: "until",
        kind: "kind",
        reference: "ref",
        text: "text",
        suspect: "suspect",
    }
    RawHypothesis {
        at: "at",
        text: "text",
        result: "result",
        evidence: "evidence",
    }
    RawMitigation {
        option: "option",
        speed: "speed",
        risk: "risk",
        effectiveness: "effectiveness",
        chosen: "chosen",
        outcome: "outcome",
    }
    RawRollback {
        possible: "possible",
        decision: "decision",
        reason: "reason",
    }
    RawUpdate {
        at: "at",
        status: "status",
        audience: "audience",
        text: "text",
    }
    RawAllow {
        lint: "lint",
        reason: "reason",
    }
    RawPlaybook {
        title: "title",
        owner: "owner",
        symptoms: "symptoms",
        first_checks: "first_checks",
        causes: "causes",
        mitigations: "mitigations",
        resolution: "resolution",
        verification: "verification",
        commands: "commands",
        allow: "allow",
    }
    RawPlaybookMitigation {
        option: "option",
        speed: "speed",
        risk: "risk",
        effectiveness: "effectiveness",
        notes: "notes",
    }
    RawCommand {
        label: "label",
        run: "run",
    }
}
