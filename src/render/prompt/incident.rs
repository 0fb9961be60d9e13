//! What an incident's prompt template reads ([`IncidentPrompt`]): the
//! record's facts, each written for the prompt's format, and a named
//! placeholder wherever the record lacks one (`[not recorded yet: add
//! [triage] error]`), so a template never drops a blank silently and a
//! nearly empty record still gives a prompt that says what to fill. Uses
//! `kinds` and `write`.

use std::borrow::Cow;

use serde::Serialize;

use super::kinds::{Format, Kind};
use super::write::{Inputs, Writer, placeholder, ratings};
use crate::analysis::{Analysis, Coverage, step_due};
use crate::config::MILESTONES;
use crate::humanize as format;
use crate::model::{
    ChangeKind, HypothesisResult, Incident, Playbook, Status, Triage, Users, mitigation_rank,
};

/// A log attachment's text, read by the caller (`render` reads no files).
#[derive(Debug, Clone)]
pub struct LogFile {
    /// The attachment's name in the bundle, as `[triage] logs` gives it.
    pub name: String,
    /// Its last lines.
    pub tail: String,
    /// How many lines were left out before them.
    pub cut: usize,
}

/// Everything an incident's prompt template reads (docs/templates.md lists
/// the fields). Lists are never empty: a missing fact is one placeholder.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct IncidentPrompt {
    pub markdown: bool,
    /// `**` in Markdown, empty in text: `{{ b }}Error:{{ b }}`.
    pub b: &'static str,
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub severity: String,
    #[serde(rename = "type")]
    pub kind_of_incident: String,
    pub status: &'static str,
    pub stage: &'static str,
    pub services: String,
    pub summary: String,
    pub error: String,
    pub symptoms: Vec<String>,
    pub system: String,
    pub stack_trace: String,
    pub logs: Vec<String>,
    pub started: String,
    pub changes: Vec<String>,
    pub last_deploy: String,
    pub impact: Vec<String>,
    pub rollback_possible: String,
    pub rollback_reason: String,
    pub rollback_decision: String,
    pub mitigations: Vec<String>,
    pub untested: Vec<String>,
    pub checked: Vec<String>,
    pub tried: Vec<String>,
    pub timeline: Vec<String>,
    pub durations: Vec<String>,
    pub root_cause: String,
    pub confirmed: Vec<String>,
    pub gaps: Vec<String>,
    pub missing_milestones: Vec<String>,
    pub missing_steps: Vec<String>,
    pub actions: Vec<String>,
    pub updates: Vec<String>,
    pub playbook: PlaybookHints,
}

/// What the incident type's playbook already says, for the prompts it helps.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct PlaybookHints {
    pub title: String,
    pub first_checks: Vec<String>,
    pub commands: Vec<String>,
}

/// Fills an incident's prompt of `kind`. `logs` holds the text of the log
/// attachments the caller could read.
pub fn incident_prompt(
    inputs: Inputs<'_>,
    incident: &Incident,
    kind: Kind,
    format: Format,
    logs: &[LogFile],
) -> IncidentPrompt {
    let analysis = inputs.analyses.incidents.get(&incident.id);
    let w = writer(inputs, incident, format);
    let none = Triage::default();
    let triage = incident.triage.as_ref().unwrap_or(&none);
    let or = |value: Option<&String>, what: &str, block: bool| match value {
        Some(v) if !v.trim().is_empty() && block => w.block(v),
        Some(v) if !v.trim().is_empty() => w.inline(v),
        _ => placeholder(what),
    };
    let hints = playbook_hints(
        &w,
        inputs.corpus.playbooks.get(&incident.kind.value),
        incident,
    );
    IncidentPrompt {
        markdown: format == Format::Markdown,
        b: w.bold(),
        kind: kind.name(),
        id: incident.id.clone(),
        title: w.inline(&incident.title),
        severity: incident.severity.value.clone(),
        kind_of_incident: incident.kind.value.clone(),
        status: incident.status.value.as_str(),
        stage: super::super::status::stage(incident),
        services: services(incident),
        summary: or(incident.summary.as_ref(), "summary", false),
        error: or(triage.error.as_ref(), "[triage] error", true),
        symptoms: w.items(
            triage.symptoms.iter().map(|s| w.inline(s)).collect(),
            "[triage] symptoms",
        ),
        system: or(triage.system.as_ref(), "[triage] system", false),
        stack_trace: or(triage.stack_trace.as_ref(), "[triage] stack_trace", true),
        logs: w.items(log_entries(&w, &triage.logs, logs), "[triage] logs"),
        started: started(&w, analysis),
        changes: w.items(changes(&w, incident), "[[changes]]"),
        last_deploy: last_deploy(&w, incident),
        impact: impact(&w, incident),
        rollback_possible: rollback(incident, |r| r.possible.map(|p| p.as_str().to_owned()))
            .unwrap_or_else(|| placeholder("[rollback] possible")),
        rollback_reason: rollback(incident, |r| r.reason.as_ref().map(|t| w.inline(t)))
            .unwrap_or_else(|| placeholder("[rollback] reason")),
        rollback_decision: rollback(incident, |r| r.decision.map(|d| d.as_str().to_owned()))
            .unwrap_or_else(|| placeholder("[rollback] decision")),
        mitigations: w.items(mitigations(&w, incident), "[[mitigations]]"),
        untested: hypotheses(&w, incident, HypothesisResult::Untested),
        checked: w.items(checked(&w, incident, analysis), "[[hypotheses]]"),
        tried: w.items(tried(&w, incident), "[[mitigations]] with chosen = true"),
        timeline: w.items(timeline(&w, incident, analysis), "[[timeline]]"),
        durations: durations(analysis),
        root_cause: root_cause(&w, incident, analysis),
        confirmed: hypotheses(&w, incident, HypothesisResult::Confirmed),
        gaps: gaps(&w, analysis),
        missing_milestones: missing_milestones(analysis, incident.status.value),
        missing_steps: missing_steps(analysis),
        actions: w.items(actions(&w, incident), "[[actions]]"),
        updates: updates(&w, incident),
        playbook: hints,
    }
}

/// How an incident's prompt writes values: in `format`, times in the
/// record's zone (else the repository's).
pub(super) fn writer<'a>(inputs: Inputs<'a>, incident: &'a Incident, format: Format) -> Writer<'a> {
    Writer {
        markdown: inputs.markdown,
        format,
        zone: incident.zone.as_ref().or(inputs.config.timezone.as_ref()),
    }
}

/// The services, or the placeholder naming the key.
pub(super) fn services(incident: &Incident) -> String {
    if incident.services.is_empty() {
        placeholder("services")
    } else {
        incident.services.join(", ")
    }
}

fn rollback(
    incident: &Incident,
    get: impl Fn(&crate::model::Rollback) -> Option<String>,
) -> Option<String> {
    incident.rollback.as_ref().and_then(get)
}

/// `[triage] logs`: an attachment's last lines when the caller read it, or
/// the excerpt as written.
fn log_entries(
    w: &Writer<'_>,
    entries: &[crate::model::Located<String>],
    files: &[LogFile],
) -> Vec<String> {
    entries
        .iter()
        .map(|entry| match files.iter().find(|f| f.name == entry.value) {
            Some(file) if file.cut > 0 => format!(
                "{} (its last lines; {} earlier lines left out):\n{}",
                file.name,
                file.cut,
                w.block(&file.tail)
            ),
            Some(file) => format!("{}:\n{}", file.name, w.block(&file.tail)),
            None => w.block(&entry.value),
        })
        .collect()
}

/// When the harm started: the `impact-start` milestone, else `detected`.
fn started(w: &Writer<'_>, analysis: Option<&Analysis>) -> String {
    let first = analysis.and_then(|a| a.milestone("impact-start").or(a.milestone("detected")));
    match first {
        Some(m) if m.step == "impact-start" => w.when(m.at),
        Some(m) => format!(
            "{} (detected; when the impact started is not recorded)",
            w.when(m.at)
        ),
        None => placeholder("a [[timeline]] event with step = \"impact-start\""),
    }
}

/// One line per recent change, suspects marked.
fn changes(w: &Writer<'_>, incident: &Incident) -> Vec<String> {
    incident
        .changes
        .iter()
        .map(|c| {
            let mut line = String::new();
            if let Some(at) = c.at {
                if c.whole_day {
                    line.push_str(&format::day(at, w.zone).to_string());
                } else {
                    line.push_str(&w.when(at));
                }
                line.push_str(": ");
            }
            if let Some(kind) = c.kind {
                line.push_str(kind.as_str());
                line.push(' ');
            }
            if let Some(r) = &c.reference {
                line.push_str(r);
                line.push(' ');
            }
            line.push_str(&format!("— {}", w.inline(&c.text)));
            if c.suspect {
                line.push_str(" (suspected)");
            }
            line
        })
        .collect()
}

/// The latest deploy among the changes (the suspected one first).
fn last_deploy(w: &Writer<'_>, incident: &Incident) -> String {
    let deploys: Vec<&crate::model::Change> = incident
        .changes
        .iter()
        .filter(|c| c.kind == Some(ChangeKind::Deploy))
        .collect();
    let pick = deploys
        .iter()
        .find(|c| c.suspect)
        .or_else(|| deploys.iter().max_by_key(|c| c.at));
    match pick {
        Some(c) => {
            let mut line = String::new();
            if let Some(at) = c.at {
                line.push_str(&format!("{}: ", w.when(at)));
            }
            if let Some(r) = &c.reference {
                line.push_str(&format!("{r} — "));
            }
            line.push_str(&w.inline(&c.text));
            line
        }
        None => placeholder("a [[changes]] entry with kind = \"deploy\""),
    }
}

/// `[impact]`, one fact a line; each missing key named.
pub(super) fn impact(w: &Writer<'_>, incident: &Incident) -> Vec<String> {
    let Some(i) = &incident.impact else {
        return vec![placeholder("[impact] summary and users")];
    };
    let mut lines = vec![match &i.summary {
        Some(s) => w.inline(s),
        None => placeholder("[impact] summary"),
    }];
    lines.push(match &i.users {
        Some(Users::Count(n)) => format!("{} users affected", format::count(*n)),
        Some(Users::Described(text)) => format!("users affected: {}", w.inline(text)),
        None => placeholder("[impact] users"),
    });
    if !i.regions.is_empty() {
        lines.push(format!("regions affected: {}", i.regions.join(", ")));
    }
    for f in &i.figures {
        let source = f
            .source
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let value = format::approx(f.approx, f.value_text());
        lines.push(format!("{value} {}{source}", f.unit));
    }
    match i.customer_facing {
        Some(true) => lines.push("customers could notice it".to_owned()),
        Some(false) => lines.push("not visible to customers".to_owned()),
        None => {}
    }
    if let Some(slo) = &i.slo {
        lines.push(format!("SLO: {}", w.inline(slo)));
    }
    lines
}

/// The options weighed, best first, with ratings and outcome.
fn mitigations(w: &Writer<'_>, incident: &Incident) -> Vec<String> {
    let mut ranked: Vec<&crate::model::Mitigation> = incident.mitigations.iter().collect();
    ranked.sort_by_key(|m| mitigation_rank(m.effectiveness, m.speed, m.risk));
    ranked
        .into_iter()
        .map(|m| {
            let mut line = w.inline(&m.option);
            let rated = ratings(m.speed, m.risk, m.effectiveness);
            if !rated.is_empty() {
                line.push_str(&format!(" ({rated})"));
            }
            if m.chosen {
                line.push_str(" — chosen");
            }
            if let Some(outcome) = &m.outcome {
                line.push_str(&format!(": {}", w.inline(outcome)));
            }
            line
        })
        .collect()
}

/// One hypothesis as a line: its text, its result if asked, its evidence.
fn hypothesis_line(w: &Writer<'_>, h: &crate::model::Hypothesis, with_result: bool) -> String {
    let mut line = w.inline(&h.text);
    if with_result {
        line.push_str(&format!(" — {}", h.result.as_str()));
    }
    if let Some(e) = &h.evidence {
        line.push_str(&format!(" ({})", w.inline(e)));
    }
    line
}

/// The hypotheses with one result.
pub(super) fn hypotheses(
    w: &Writer<'_>,
    incident: &Incident,
    result: HypothesisResult,
) -> Vec<String> {
    incident
        .hypotheses
        .iter()
        .filter(|h| h.result == result)
        .map(|h| hypothesis_line(w, h, false))
        .collect()
}

/// What was checked: hypotheses tested, and the timeline's evidence
/// gathering and tests.
fn checked(w: &Writer<'_>, incident: &Incident, analysis: Option<&Analysis>) -> Vec<String> {
    let mut lines: Vec<String> = incident
        .hypotheses
        .iter()
        .filter(|h| h.result != HypothesisResult::Untested)
        .map(|h| hypothesis_line(w, h, true))
        .collect();
    lines.extend(events_with(
        w,
        incident,
        analysis,
        &["gather-evidence", "test-hypothesis"],
    ));
    lines
}

/// What was tried: the options chosen, and the timeline's `mitigate` events.
fn tried(w: &Writer<'_>, incident: &Incident) -> Vec<String> {
    incident
        .mitigations
        .iter()
        .filter(|m| m.chosen)
        .map(|m| match &m.outcome {
            Some(o) => format!("{} — {}", w.inline(&m.option), w.inline(o)),
            None => format!("{} — outcome not recorded", w.inline(&m.option)),
        })
        .chain(events_with(w, incident, None, &["mitigate"]))
        .collect()
}

/// The events carrying one of `steps`, in time order when known.
fn events_with(
    w: &Writer<'_>,
    incident: &Incident,
    analysis: Option<&Analysis>,
    steps: &[&str],
) -> Vec<String> {
    let order: Vec<usize> = analysis.map_or_else(
        || (0..incident.timeline.len()).collect(),
        |a| a.order.clone(),
    );
    order
        .into_iter()
        .filter_map(|i| incident.timeline.get(i))
        .filter(|e| e.steps.iter().any(|s| steps.contains(&s.value.as_str())))
        .map(|e| format!("{} {}", w.event_when(e), w.inline(&e.text)))
        .collect()
}

/// The timeline in time order: when, step, text, who and source.
pub(super) fn timeline(
    w: &Writer<'_>,
    incident: &Incident,
    analysis: Option<&Analysis>,
) -> Vec<String> {
    let order: Vec<usize> = analysis.map_or_else(
        || (0..incident.timeline.len()).collect(),
        |a| a.order.clone(),
    );
    // The `when` of the last timed event: an event on the same day, in the
    // same zone, is written with its time alone (a timeline of twenty
    // events repeated its date twenty times).
    let mut last: Option<String> = None;
    order
        .into_iter()
        .filter_map(|i| incident.timeline.get(i))
        .map(|e| {
            let mut line = if e.day_only {
                last = None;
                w.event_when(e)
            } else {
                let full = w.when(e.at);
                let mut line = String::with_capacity(full.len() + e.text.len() + 48);
                if e.approx {
                    line.push('≈');
                }
                match day_time_zone(&full) {
                    Some((day, time, zone)) => {
                        let same = last
                            .as_deref()
                            .and_then(day_time_zone)
                            .is_some_and(|(d, _, z)| d == day && z == zone);
                        line.push_str(if same { time } else { &full });
                        last = Some(full);
                    }
                    None => {
                        line.push_str(&full);
                        last = None;
                    }
                }
                line
            };
            for (i, step) in e.steps.iter().enumerate() {
                line.push_str(if i == 0 { " [" } else { ", " });
                line.push_str(&step.value);
            }
            if !e.steps.is_empty() {
                line.push(']');
            }
            line.push(' ');
            w.push_inline(&mut line, &e.text);
            for (i, by) in [e.who.as_deref(), e.source.as_deref()]
                .into_iter()
                .flatten()
                .enumerate()
            {
                line.push_str(if i == 0 { " (" } else { ", " });
                line.push_str(by);
            }
            if e.who.is_some() || e.source.is_some() {
                line.push(')');
            }
            line
        })
        .collect()
}

/// `2026-11-03 14:02 CET` as its day, time and zone.
fn day_time_zone(when: &str) -> Option<(&str, &str, &str)> {
    let (day, rest) = when.split_once(' ')?;
    let (time, zone) = rest.split_once(' ')?;
    Some((day, time, zone))
}

/// The four durations that could be measured.
pub(super) fn durations(analysis: Option<&Analysis>) -> Vec<String> {
    let Some(d) = analysis.map(|a| a.durations) else {
        return Vec::new();
    };
    let from = if d.from_detection {
        " (from detection: impact-start is missing)"
    } else {
        ""
    };
    [
        ("time to detect", d.detect, ""),
        ("time to acknowledge", d.acknowledge, ""),
        ("time to mitigate", d.mitigate, from),
        ("time to resolve", d.resolve, from),
    ]
    .into_iter()
    .filter_map(|(name, value, note)| {
        value.map(|v| format!("{name}: {}{note}", format::duration(v)))
    })
    .collect()
}

/// The write-up's `Root cause` section, whole, or a placeholder.
pub(super) fn root_cause(
    w: &Writer<'_>,
    incident: &Incident,
    analysis: Option<&Analysis>,
) -> String {
    let section = analysis
        .and_then(|a| section_of(incident.origin.body(), a, "Root cause"))
        .map(|text| shorten_blocks(&text));
    match section {
        Some(text) => match w.format {
            Format::Markdown => text,
            // Paragraph by paragraph, as a reader sees them.
            Format::Text => text
                .split("\n\n")
                .map(|p| w.markdown.plain(p))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n"),
        },
        None => placeholder("a \"## Root cause\" section to the write-up"),
    }
}

/// A fenced block longer than this many lines is cut in the prompt.
const BLOCK_LINES: usize = 8;
/// How many of a cut block's first lines are kept (its last line is too).
const BLOCK_HEAD: usize = 4;

/// The Markdown `text` with each fenced block of more than [`BLOCK_LINES`]
/// lines cut to its first [`BLOCK_HEAD`] lines and its last one, and a line
/// saying how many were left out and where the whole block is. A stack
/// trace's first lines say what failed and where (Go, Java), its last line
/// the error (Python); the frames between take most of a postmortem's
/// prompt and the page shows them all.
fn shorten_blocks(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        out.push(Cow::Borrowed(line));
        i += 1;
        let Some(fence) = fence_of(line) else {
            continue;
        };
        // The block's lines up to its closing fence (or the end).
        let rest = lines.get(i..).unwrap_or_default();
        let (body, _) = rest.split_at(rest.iter().take_while(|l| !closes(l, fence)).count());
        i += body.len();
        let close = lines.get(i).copied().map(Cow::Borrowed);
        i += 1;
        if body.len() > BLOCK_LINES {
            let left_out = body.len() - BLOCK_HEAD - 1;
            out.extend(body.iter().take(BLOCK_HEAD).copied().map(Cow::Borrowed));
            out.push(Cow::Owned(format!(
                "[… {left_out} lines left out: the whole block is under Root cause on the incident's page]"
            )));
            out.extend(body.last().copied().map(Cow::Borrowed));
        } else {
            out.extend(body.iter().copied().map(Cow::Borrowed));
        }
        out.extend(close);
    }
    out.join("\n")
}

/// The fence a line opens (three or more backticks or tildes, all the
/// same): that character and how many.
fn fence_of(line: &str) -> Option<(u8, usize)> {
    let trimmed = line.trim_start().as_bytes();
    let c = trimmed
        .first()
        .copied()
        .filter(|c| matches!(c, b'`' | b'~'))?;
    let n = trimmed.iter().take_while(|x| **x == c).count();
    (n >= 3).then_some((c, n))
}

/// Whether `line` closes a block opened by `fence`: at least as many of
/// its character, and nothing else.
fn closes(line: &str, (c, n): (u8, usize)) -> bool {
    let trimmed = line.trim().as_bytes();
    trimmed.len() >= n && trimmed.iter().all(|x| *x == c)
}

/// The Markdown under the heading named `name` (without case), up to the
/// next heading of the same or a higher level; `None` when it is absent or
/// empty.
fn section_of(body: &str, analysis: &Analysis, name: &str) -> Option<String> {
    let headings = &analysis.body.headings;
    let at = headings
        .iter()
        .position(|h| h.text.trim().eq_ignore_ascii_case(name))?;
    let heading = &headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= heading.level)
        .map_or(usize::MAX, |h| h.line);
    // Lines are numbered from 1: those after the heading's, before `end`.
    let text: Vec<&str> = (body.lines().skip(heading.line))
        .take(end.saturating_sub(heading.line + 1))
        .map(str::trim_end)
        .collect();
    let text = text.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The silences pm found, unexplained ones marked.
pub(super) fn gaps(w: &Writer<'_>, analysis: Option<&Analysis>) -> Vec<String> {
    analysis
        .map(|a| {
            a.gaps
                .iter()
                .map(|g| {
                    let base = format!(
                        "{} of silence from {} to {}",
                        format::duration(g.length),
                        w.when(g.from),
                        w.when(g.to)
                    );
                    match &g.explanation {
                        Some(why) => format!("{base} (explained: {})", w.inline(why)),
                        None => format!("{base} (unexplained)"),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The milestones no event marks that the incident should have reached by
/// now (as `missing_milestones` expects them), as people name them.
pub(super) fn missing_milestones(analysis: Option<&Analysis>, status: Status) -> Vec<String> {
    let Some(a) = analysis else {
        return Vec::new();
    };
    a.missing_milestones
        .iter()
        .filter(|step| step_due(step, status))
        .map(|step| {
            let label = MILESTONES
                .iter()
                .find(|(id, _)| id == step)
                .map_or(*step, |(_, label)| *label);
            format!("{label} (step = \"{step}\")")
        })
        .collect()
}

/// The required checklist steps the record shows no evidence of.
pub(super) fn missing_steps(analysis: Option<&Analysis>) -> Vec<String> {
    let Some(a) = analysis else {
        return Vec::new();
    };
    a.checklist
        .iter()
        .filter(|s| s.required && s.coverage == Coverage::Missing)
        .map(|s| format!("{} (step = \"{}\")", s.title, s.id))
        .collect()
}

/// The action items already written, with kind, owner, due date and status.
pub(super) fn actions(w: &Writer<'_>, incident: &Incident) -> Vec<String> {
    incident
        .actions
        .iter()
        .map(|a| {
            let mut line = String::new();
            if let Some(kind) = a.kind {
                line.push_str(&format!("{}: ", kind.as_str()));
            }
            line.push_str(&w.inline(&a.text));
            let mut facts = vec![a.status.as_str().to_owned()];
            if let Some(owner) = &a.owner {
                facts.push(format!("owner {owner}"));
            }
            if let Some(due) = a.due {
                facts.push(format!("due {due}"));
            }
            line.push_str(&format!(" ({})", facts.join(", ")));
            line
        })
        .collect()
}

/// The updates already sent, oldest first as written.
fn updates(w: &Writer<'_>, incident: &Incident) -> Vec<String> {
    incident
        .updates
        .iter()
        .map(|u| {
            let mut line = String::new();
            if let Some(at) = u.at {
                line.push_str(&format!("{} ", w.when(at)));
            }
            if let Some(s) = u.status {
                line.push_str(&format!("[{}] ", s.as_str()));
            }
            line.push_str(&w.inline(&u.text));
            line
        })
        .collect()
}

/// The first checks and commands of the incident type's playbook.
fn playbook_hints(
    w: &Writer<'_>,
    playbook: Option<&Playbook>,
    incident: &Incident,
) -> PlaybookHints {
    let file = format!("playbooks/{}.md", incident.kind.value);
    let Some(p) = playbook else {
        let missing = placeholder(&file);
        return PlaybookHints {
            title: missing.clone(),
            first_checks: vec![missing.clone()],
            commands: vec![missing],
        };
    };
    let first_checks = p
        .first_checks
        .iter()
        .flatten()
        .map(|c| w.inline(c))
        .collect();
    let commands = p
        .commands
        .iter()
        .map(|c| w.command(&c.label, &c.run))
        .collect();
    PlaybookHints {
        title: w.inline(&p.title),
        first_checks: w.items(first_checks, &format!("first_checks to {file}")),
        commands: w.items(commands, &format!("[[commands]] to {file}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Markdown;

    #[test]
    fn long_blocks_keep_their_first_lines_and_their_last() {
        let trace: Vec<String> = (1..=12).map(|n| format!("frame {n}")).collect();
        let text = format!("Why.\n\n```text\n{}\n```\n\nAfter.", trace.join("\n"));
        let short = shorten_blocks(&text);
        assert_eq!(
            short,
            "Why.\n\n```text\nframe 1\nframe 2\nframe 3\nframe 4\n[… 7 lines left out: \
             the whole block is under Root cause on the incident's page]\nframe 12\n```\n\nAfter."
        );
        // Short blocks, text outside blocks and a block left open stay whole.
        let small = "```\na\nb\n```\nx\n~~~~\n```\nc";
        assert_eq!(shorten_blocks(small), small);
        // A block closes on a run of its own character at least as long as
        // the one that opened it, spaces around it allowed.
        let lines = |from: usize, to: usize| -> Vec<String> {
            (from..=to).map(|n| format!("l{n}")).collect()
        };
        let left_out =
            "[… 5 lines left out: the whole block is under Root cause on the incident's page]";
        let tildes = format!("~~~~\n{}\n  ~~~~~ \nafter", lines(1, 10).join("\n"));
        assert_eq!(
            shorten_blocks(&tildes),
            format!(
                "~~~~\n{}\n{left_out}\nl10\n  ~~~~~ \nafter",
                lines(1, 4).join("\n")
            )
        );
        let ticks = format!("````\nl1\n```\n~~~~\n{}\n````", lines(4, 10).join("\n"));
        assert_eq!(
            shorten_blocks(&ticks),
            format!("````\nl1\n```\n~~~~\nl4\n{left_out}\nl10\n````")
        );
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let md = Markdown::new();
        let body =
            "## Summary\n\ns\n\n## Root cause\n\nFirst.\n\n### Detail\n\nd\n\n## Resolution\n\nr\n";
        let analysis = Analysis {
            body: md.outline(body),
            ..Analysis::default()
        };
        assert_eq!(
            section_of(body, &analysis, "root CAUSE").as_deref(),
            Some("First.\n\n### Detail\n\nd")
        );
        assert_eq!(section_of(body, &analysis, "Lessons"), None);
        let empty = "## Root cause\n\n## Resolution\n";
        let analysis = Analysis {
            body: md.outline(empty),
            ..Analysis::default()
        };
        assert_eq!(section_of(empty, &analysis, "Root cause"), None);
    }
}
