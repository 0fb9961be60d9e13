//! `pm playbook diff`: what the lessons say that a curated playbook does
//! not, as text and as JSON. Uses `matching` and `lessons`.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::lessons::{Item, Lessons, MitigationLesson, Section, normalise, normalise_command};
use super::matching::Stems;
use crate::humanize;
use crate::model::Playbook;

/// What `lessons` teach that `playbook` does not say yet: per section, the
/// items that match none of the section's curated items, neither by
/// normalised text nor by meaning ([`Stems`]). Commands match by their
/// normalised text only: in a shell a changed word is a changed command.
/// Without a playbook, everything is unsaid.
pub fn unsaid(lessons: &Lessons, playbook: Option<&Playbook>) -> Lessons {
    let Some(p) = playbook else {
        return lessons.clone();
    };
    let curated =
        |items: Option<&Vec<String>>| -> Vec<String> { items.cloned().unwrap_or_default() };
    let keep = |items: &[Item], said: &[String]| -> Vec<Item> {
        let keys: HashSet<String> = said.iter().map(|s| normalise(s)).collect();
        let stems: Vec<Stems> = said.iter().map(|s| Stems::of(s)).collect();
        items
            .iter()
            .filter(|i| {
                if keys.contains(&i.key) {
                    return false;
                }
                let mine = Stems::of(&i.text);
                !stems.iter().any(|s| s.matches(&mine))
            })
            .cloned()
            .collect()
    };
    let options: Vec<String> = p
        .mitigations
        .iter()
        .flatten()
        .map(|m| m.option.clone())
        .collect();
    let runs: HashSet<String> = p
        .commands
        .iter()
        .map(|c| normalise_command(&c.run))
        .collect();
    let unsaid_mitigations: Vec<Item> = keep(
        &lessons
            .mitigations
            .iter()
            .map(|m| m.item.clone())
            .collect::<Vec<_>>(),
        &options,
    );
    let unsaid_keys: HashSet<&str> = unsaid_mitigations.iter().map(|i| i.key.as_str()).collect();
    Lessons {
        kind: lessons.kind.clone(),
        incidents: lessons.incidents.clone(),
        symptoms: keep(&lessons.symptoms, &curated(p.symptoms.as_ref())),
        first_checks: keep(&lessons.first_checks, &curated(p.first_checks.as_ref())),
        causes: keep(&lessons.causes, &curated(p.causes.as_ref())),
        mitigations: lessons
            .mitigations
            .iter()
            .filter(|m| unsaid_keys.contains(m.item.key.as_str()))
            .cloned()
            .collect(),
        resolution: keep(&lessons.resolution, &curated(p.resolution.as_ref())),
        verification: keep(&lessons.verification, &curated(p.verification.as_ref())),
        commands: lessons
            .commands
            .iter()
            .filter(|c| !runs.contains(&c.key))
            .cloned()
            .collect(),
    }
}

/// `seen in 2 incidents: a, b`.
pub fn seen_in_line(item: &Item) -> String {
    let ids: Vec<&str> = item.seen_in.iter().map(|s| s.id.as_str()).collect();
    format!(
        "seen in {}: {}",
        humanize::plural(ids.len(), "incident"),
        ids.join(", ")
    )
}

/// `tried 2 times, worked 1`.
pub fn record_line(m: &MitigationLesson) -> String {
    let times = if m.tried == 1 { "time" } else { "times" };
    format!("tried {} {times}, worked {}", m.tried, m.worked)
}

/// `effectiveness high, speed high, risk low` (the ratings given).
pub fn ratings_line(m: &MitigationLesson) -> String {
    [
        ("effectiveness", m.effectiveness),
        ("speed", m.speed),
        ("risk", m.risk),
    ]
    .iter()
    .filter_map(|(name, r)| r.map(|r| format!("{name} {}", r.as_str())))
    .collect::<Vec<_>>()
    .join(", ")
}

/// `pm playbook diff` as plain text: `unsaid` section by section.
/// `playbook_file` is the curated file's path, when there is one.
pub fn diff_text(unsaid: &Lessons, playbook_file: Option<&str>) -> String {
    let mut out = String::new();
    let n = humanize::plural(unsaid.incidents.len(), "incident");
    let kind = &unsaid.kind;
    let _ = match playbook_file {
        Some(file) => writeln!(
            out,
            "What {n} of type `{kind}` taught that {file} does not say yet"
        ),
        None => writeln!(
            out,
            "What {n} of type `{kind}` taught; there is no playbooks/{kind}.md yet (`pm playbook draft {kind}` writes one)"
        ),
    };
    let _ = writeln!(
        out,
        "(drafts left out; an item the playbook says in other words counts as said)"
    );
    for section in Section::ALL {
        let items = unsaid.items(section);
        out.push('\n');
        if items.is_empty() {
            let _ = writeln!(out, "{}: nothing new", section.title());
            continue;
        }
        let _ = writeln!(out, "{}: {} new", section.title(), items.len());
        match section {
            Section::Mitigations => {
                for m in &unsaid.mitigations {
                    let ratings = ratings_line(m);
                    let ratings = if ratings.is_empty() {
                        String::new()
                    } else {
                        format!(" [{ratings}]")
                    };
                    let _ = writeln!(out, "  - {}{ratings}", one_line(&m.item.text));
                    let _ = writeln!(out, "    {}; {}", record_line(m), seen_in_line(&m.item));
                    for o in &m.outcomes {
                        let what = match (o.chosen, o.worked) {
                            (true, true) => "chosen, worked",
                            (true, false) => "chosen, not mitigated",
                            (false, _) => "not chosen",
                        };
                        let text = o
                            .text
                            .as_deref()
                            .map(|t| format!(": {}", one_line(t)))
                            .unwrap_or_default();
                        let _ = writeln!(out, "      {}: {what}{text}", o.id);
                    }
                }
            }
            Section::Commands => {
                for c in items {
                    let label = c.detail.as_deref().unwrap_or("Command");
                    let _ = writeln!(out, "  - {label}");
                    for line in c.text.lines() {
                        let _ = writeln!(out, "      $ {line}");
                    }
                    let _ = writeln!(out, "    {}", seen_in_line(c));
                }
            }
            _ => {
                for item in items {
                    let _ = writeln!(out, "  - {}", one_line(&item.text));
                    if let Some(detail) = &item.detail {
                        let _ = writeln!(out, "    confirmed by: {}", one_line(detail));
                    }
                    let _ = writeln!(out, "    {}", seen_in_line(item));
                }
            }
        }
    }
    out
}

/// `pm playbook diff --format json`: the same as [`diff_text`], version 1.
pub fn diff_json(unsaid: &Lessons, playbook_file: Option<&str>) -> serde_json::Value {
    use serde_json::{Value, json};
    fn ids(item: &Item) -> Vec<&str> {
        item.seen_in.iter().map(|s| s.id.as_str()).collect()
    }
    let plain = |items: &[Item]| -> Value {
        items
            .iter()
            .map(|i| json!({ "text": i.text, "count": i.count(), "incidents": ids(i) }))
            .collect()
    };
    json!({
        "version": 1,
        "type": unsaid.kind,
        "playbook": playbook_file,
        "incidents": unsaid.incidents.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        "sections": {
            "symptoms": plain(&unsaid.symptoms),
            "first_checks": plain(&unsaid.first_checks),
            "causes": unsaid.causes.iter().map(|i| json!({
                "text": i.text, "evidence": i.detail, "count": i.count(), "incidents": ids(i),
            })).collect::<Value>(),
            "mitigations": unsaid.mitigations.iter().map(|m| json!({
                "option": m.item.text,
                "speed": m.speed,
                "risk": m.risk,
                "effectiveness": m.effectiveness,
                "tried": m.tried,
                "worked": m.worked,
                "count": m.item.count(),
                "incidents": ids(&m.item),
                "outcomes": m.outcomes.iter().map(|o| json!({
                    "incident": o.id, "chosen": o.chosen, "worked": o.worked, "outcome": o.text,
                })).collect::<Value>(),
            })).collect::<Value>(),
            "resolution": plain(&unsaid.resolution),
            "verification": plain(&unsaid.verification),
            "commands": unsaid.commands.iter().map(|c| json!({
                "label": c.detail, "run": c.text, "count": c.count(), "incidents": ids(c),
            })).collect::<Value>(),
        }
    })
}

/// Text on one line: runs of whitespace (newlines too) as one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
