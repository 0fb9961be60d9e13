//! Text of the files `pm new` and `pm init` create.
//!
//! Scaffolds are valid records: every required key filled, every optional key
//! present as a comment that says what it is for, so a tired engineer can fill
//! the record top to bottom. This module only produces text; `output` writes it.

use std::fmt::Write as _;

use crate::config::Config;
use crate::diag::plural;
use crate::learn::{Lessons, Section, one_line, record_line, seen_in_line};

/// A TOML basic string literal for `text`.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The column the scaffold's `# …` comments start at.
const COMMENT_COLUMN: usize = 30;

/// `code` then `# comment`, the comment at `column` (or two spaces after a
/// longer `code`), so the scaffold's comments line up whatever the values.
fn commented(code: &str, comment: &str, column: usize) -> String {
    let pad = column.saturating_sub(code.chars().count()).max(2);
    format!("{code}{:pad$}# {comment}", "")
}

/// A new incident record.
pub(crate) fn incident(
    config: &Config,
    title: &str,
    kind: &str,
    severity: &str,
    date: &str,
) -> String {
    let zone_hint = match &config.timezone {
        Some(z) => format!("# Times without an offset are read in {} (pm.toml); override with `timezone`.", z.name),
        None => "# No [site] timezone in pm.toml: write offsets (`Z`, `+01:00`) or set `timezone` below.".to_owned(),
    };
    let severities = config
        .severities
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let step_lines: Vec<(String, &str)> = config
        .checklist
        .iter()
        .map(|s| (format!("# {} = true", s.id), s.title.as_str()))
        .collect();
    let step_column = (step_lines.iter())
        .map(|(code, _)| code.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(COMMENT_COLUMN);
    let steps = (step_lines.iter())
        .map(|(code, title)| {
            commented(
                code,
                &format!("or \"skipped: <reason>\" ({title})"),
                step_column,
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let title = toml_string(title);
    let placeholders = (crate::lint::PLACEHOLDERS.iter())
        .map(|(section, text)| format!("## {section}\n\n{text}\n"))
        .collect::<Vec<_>>()
        .join("\n");
    let severity = commented(
        &format!("severity = \"{severity}\""),
        &format!("one of {severities}"),
        COMMENT_COLUMN,
    );
    let kind = commented(
        &format!("type = \"{kind}\""),
        "names playbooks/<type>.md",
        COMMENT_COLUMN,
    );
    format!(
        r#"+++
# Incident record: docs/format.md has every key. `pm lint` checks it.
title = {title}
{severity}
{kind}
status = "resolved"           # active | mitigated | resolved
draft = true                  # delete this line when the postmortem is ready
# services = ["checkout-api"]
# tags = []
# commander = ""
# responders = []
# timezone = "Europe/Berlin"
{zone_hint}
# summary = "One paragraph: what happened, how bad, how it ended."
# detected_by = "monitoring"  # monitoring | customer | employee | other

# [impact]
# summary = ""
# users = 0
# customer_facing = true
# slo = ""

# [triage]
# error = ""                  # the error message responders saw
# symptoms = []               # errors, timeouts, user reports
# system = ""                 # what talks to what
# stack_trace = '''
# '''
# logs = []                   # attachment file names (bundle) or pasted text

# The timeline is the single source of truth for what happened when.
# Mark milestones and checklist steps with `step`: impact-start, detected,
# acknowledge, mitigate, verify-resolution, and the checklist steps below.
# `gap = "..."` on an event explains a long silence before it.
#
# [[timeline]]
# at = {date}T14:00:00Z
# text = "Error rate on checkout starts climbing"
# step = "impact-start"
#
# [[timeline]]
# at = {date}T14:02:00Z
# text = "Pager: checkout p99 > 2 s"
# step = "detected"
# source = "pagerduty"
#
# [[timeline]]
# at = 14:05:00               # bare time: the day (and offset) of the event above
# text = "On-call acknowledges"
# step = "acknowledge"
# who = ""

# Checklist steps with no timeline event can be declared here.
# [checklist]
{steps}

# [[changes]]                 # what changed recently
# at = {date}
# kind = "deploy"             # deploy | config | migration | traffic | infra | dependency
# ref = ""
# text = ""
# suspect = false

# [[hypotheses]]
# text = ""
# result = "confirmed"        # confirmed | rejected | untested
# evidence = ""

# [[mitigations]]             # options considered, with the one chosen
# option = ""
# speed = "high"              # low | medium | high
# risk = "low"
# effectiveness = "high"
# chosen = true
# outcome = ""

# [rollback]
# possible = "yes"            # yes | no | partial
# decision = "rolled-back"    # rolled-back | fix-forward | none
# reason = ""

# [[updates]]                 # stakeholder and customer communication
# at = {date}T14:30:00Z
# status = "investigating"    # investigating | identified | monitoring | resolved
# audience = "customers"      # customers | internal
# text = ""

# [[actions]]
# kind = "monitoring"         # monitoring | prevention | mitigation | process | documentation
# text = "What monitoring would have caught this sooner?"
# owner = ""
# due = {date}
# status = "open"             # open | in-progress | done | wont-do
# link = "https://tracker.example/OPS-123"
+++

{placeholders}
## What went well

## What went wrong

## Lessons
"#
    )
}

/// Where the record template's timeline ends: the comment that opens the
/// next part, `[checklist]`.
pub(crate) const AFTER_TIMELINE_COMMENT: &str = "# Checklist steps with no timeline event";

/// A new incident record made live (`pm new --now`): `status = "active"`.
/// Its first event is added by `pm new` (where [`AFTER_TIMELINE_COMMENT`]
/// says the timeline ends).
pub(crate) fn live_incident(record: &str) -> String {
    record.replacen("status = \"resolved\"  ", "status = \"active\"    ", 1)
}

/// A new playbook.
pub(crate) fn playbook(kind: &str) -> String {
    format!(
        r#"+++
# Playbook for `{kind}` incidents: docs/format.md, "Playbooks".
title = "{kind} incidents"
owner = ""
symptoms = [
  "What responders see first (alerts, errors, user reports)",
]
first_checks = [
  "The first thing to look at, and what it tells you",
]
causes = [
  "A cause seen before, and how to confirm it",
]
resolution = [
  "The steps that fix it for good",
]
verification = [
  "How to tell it is fixed (which graph, for how long)",
]

[[mitigations]]
option = "The fastest way to stop the bleeding"
speed = "high"                # low | medium | high
risk = "low"
effectiveness = "medium"
notes = ""

[[commands]]
label = "What this command shows"
run = "echo replace me"
+++

When to use this playbook, who to escalate to, and what to read next.
"#
    )
}

/// The seed playbooks: a generic starting point for each common incident
/// type, by type, for `pm new --playbook <type>` and `pm init --playbooks`.
pub(crate) const SEEDS: &[(&str, &str)] = &[
    ("database", include_str!("seeds/database.md")),
    ("bad-deploy", include_str!("seeds/bad-deploy.md")),
    (
        "dependency-outage",
        include_str!("seeds/dependency-outage.md"),
    ),
    ("config-change", include_str!("seeds/config-change.md")),
    ("capacity", include_str!("seeds/capacity.md")),
    (
        "certificate-expiry",
        include_str!("seeds/certificate-expiry.md"),
    ),
    ("data-corruption", include_str!("seeds/data-corruption.md")),
    ("network", include_str!("seeds/network.md")),
];

/// A new playbook for `kind`: its seed when pm has one, else the blank scaffold.
pub(crate) fn playbook_or_seed(kind: &str) -> String {
    SEEDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or_else(|| playbook(kind), |(_, text)| (*text).to_owned())
}

/// A TOML comment's text: one line, no control characters.
fn comment(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// A command for `run`: a multi-line literal string when it spans lines
/// (readable, nothing to escape), else a basic string.
fn toml_command(text: &str) -> String {
    let literal_ok = text.contains('\n')
        && !text.contains("'''")
        && !text.ends_with('\'')
        && !text.lines().any(|l| l.trim() == "+++")
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t');
    if literal_ok {
        format!("'''\n{text}'''")
    } else {
        toml_string(text)
    }
}

/// A playbook drafted from what a type's incidents teach
/// (`pm playbook draft`): the six sections and the commands, each item with
/// the incidents it was seen in as a comment, for a person to edit.
pub(crate) fn playbook_draft(lessons: &Lessons) -> String {
    let kind = &lessons.kind;
    let ids: Vec<&str> = lessons.incidents.iter().map(|s| s.id.as_str()).collect();
    let mut out = String::new();
    let _ = writeln!(out, "+++");
    let _ = writeln!(
        out,
        "# Playbook for `{kind}` incidents, drafted by `pm playbook draft {kind}` from\n# {} (drafts left out): {}.",
        plural(ids.len(), "incident"),
        ids.join(", ")
    );
    out.push_str(
        "# Each item names the incidents it was seen in. Reword what helps the next\n\
         # on-call as advice, cut the rest, fill the empty sections, then commit.\n",
    );
    let _ = writeln!(
        out,
        "# Later, `pm playbook diff {kind}` shows what new incidents add.\n# Format: docs/format.md, \"Playbooks\".\n"
    );
    let _ = writeln!(out, "title = {}", toml_string(&format!("{kind} incidents")));
    out.push_str("# owner = \"\"                  # the team or person who keeps it current\n");
    for section in [
        Section::Symptoms,
        Section::FirstChecks,
        Section::Causes,
        Section::Resolution,
        Section::Verification,
    ] {
        let items = lessons.items(section);
        if items.is_empty() {
            let _ = writeln!(
                out,
                "{} = []   # the incidents say nothing here yet: add what you know",
                section.key()
            );
            continue;
        }
        let _ = writeln!(out, "{} = [", section.key());
        for item in items {
            let _ = writeln!(out, "  # {}", comment(&seen_in_line(item)));
            if let Some(evidence) = &item.detail {
                let _ = writeln!(out, "  # confirmed by: {}", comment(evidence));
            }
            let _ = writeln!(out, "  {},", toml_string(&one_line(&item.text)));
        }
        let _ = writeln!(out, "]");
    }
    if lessons.mitigations.is_empty() {
        out.push_str("\n# No [[mitigations]] in the incidents yet: add each option with\n# `option`, `speed`, `risk` and `effectiveness` (low | medium | high).\n");
    } else {
        out.push_str("\n# Mitigations weighed in the incidents, ranked by effectiveness, then\n# speed, then risk. \"worked\": chosen in an incident that was mitigated.\n");
    }
    for m in &lessons.mitigations {
        let _ = writeln!(
            out,
            "\n# {}; {}",
            comment(&seen_in_line(&m.item)),
            record_line(m)
        );
        for o in &m.outcomes {
            let what = if o.chosen { "chosen" } else { "not chosen" };
            let text = o
                .text
                .as_deref()
                .map(|t| format!(": {}", comment(t)))
                .unwrap_or_default();
            let _ = writeln!(out, "#   {} ({what}){text}", o.id);
        }
        let _ = writeln!(out, "[[mitigations]]");
        let _ = writeln!(out, "option = {}", toml_string(&one_line(&m.item.text)));
        for (key, rating) in [
            ("speed", m.speed),
            ("risk", m.risk),
            ("effectiveness", m.effectiveness),
        ] {
            if let Some(r) = rating {
                let _ = writeln!(out, "{key} = \"{}\"", r.as_str());
            }
        }
        out.push_str("# notes = \"\"                  # when it applies, what to watch out for\n");
    }
    for c in &lessons.commands {
        let _ = writeln!(out, "\n# {}", comment(&seen_in_line(c)));
        let _ = writeln!(out, "[[commands]]");
        let label = c.detail.as_deref().unwrap_or("What this command shows");
        let _ = writeln!(out, "label = {}", toml_string(&one_line(label)));
        let _ = writeln!(out, "run = {}", toml_command(&c.text));
    }
    out.push_str("+++\n\n");
    out.push_str(
        "When to use this playbook, who to escalate to, and what to read next.\n\n\
         Drafted from these incidents:\n\n",
    );
    for s in &lessons.incidents {
        // Titles are shown as text: `<` would be read as raw HTML.
        let title = one_line(&s.title)
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        let _ = writeln!(out, "- `{}`: {title}", s.id);
    }
    out
}

/// `pm.toml` for `pm init`.
pub(crate) const INIT_CONFIG: &str = r#"# pm configuration: every key is optional (docs/format.md, "pm.toml").

[site]
title = "Incident reviews"
base_url = "/"
timezone = "UTC"
severities = ["SEV1", "SEV2", "SEV3", "SEV4"]

[timeline]
gap = "30m"                   # a silence longer than this inside an incident is flagged
# gap_by_severity = { SEV1 = "15m" }

[body]
required_sections = ["Summary", "Impact", "Root cause"]

[actions]
monitoring_after = "15m"      # slower detection asks for a monitoring action item
prevention_for = ["SEV1", "SEV2"]   # resolved incidents here need a prevention item

[lints]
# unexplained_timeline_gaps = "deny"
"#;

/// The example incident `pm init` creates.
pub(crate) fn init_incident(date: &str) -> String {
    format!(
        r#"+++
title = "Example: API error spike after a config change"
severity = "SEV3"
type = "config-change"
status = "resolved"
services = ["api"]
commander = "alex"
summary = "A rate-limit setting was lowered by mistake; 4 % of API calls failed for 25 minutes."
detected_by = "monitoring"

[impact]
users = 120
customer_facing = true

[[timeline]]
at = {date}T10:00:00Z
text = "Config change lowers the API rate limit from 500 to 50 requests/s"
step = "impact-start"

[[timeline]]
at = {date}T10:04:00Z
text = "Alert: API 429 rate above 2 %"
step = "detected"
source = "alertmanager"

[[timeline]]
at = {date}T10:06:00Z
text = "On-call acknowledges"
step = "acknowledge"
who = "alex"

[[timeline]]
at = {date}T10:08:00Z
text = "Severity set to SEV3: errors are retried by most clients"
step = "assess-severity"

[[timeline]]
at = {date}T10:10:00Z
text = "Config history shows the rate-limit change at 10:00"
step = "gather-evidence"

[[timeline]]
at = {date}T10:15:00Z
text = "Config change reverted"
step = "mitigate"

[[timeline]]
at = {date}T10:25:00Z
text = "429 rate back to zero for 10 minutes"
step = "verify-resolution"

[[timeline]]
at = {date}T10:30:00Z
text = "Postmortem review booked"
step = "schedule-postmortem"

[[changes]]
at = {date}T10:00:00Z
kind = "config"
text = "Rate limit lowered in the gateway config"
suspect = true

[[hypotheses]]
text = "The rate-limit change causes the 429s"
result = "confirmed"

[[updates]]
at = {date}T10:12:00Z
status = "identified"
audience = "internal"
text = "API errors caused by a config change; reverting."

[[updates]]
at = {date}T10:26:00Z
status = "resolved"
audience = "customers"
text = "A configuration error caused some API requests to fail between 10:00 and 10:15 UTC. It is fixed."

[[actions]]
kind = "monitoring"
text = "Alert on 429 rate per client, not only overall"
owner = "alex"
due = {date}
status = "done"
closed = {date}

[[actions]]
kind = "prevention"
text = "Validate rate-limit changes against last week's peak before applying"
owner = "platform"
due = {date}
status = "done"
closed = {date}
+++

## Summary

A gateway config change lowered the API rate limit tenfold. Clients got 429
responses for 25 minutes until the change was reverted.

## Impact

About 4 % of API calls failed; most clients retried successfully.

## Root cause

The limit was typed in requests per second where the file expects requests per
ten seconds, and nothing compared the new limit with real traffic.
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_record_is_active_and_keeps_the_timeline_marker() {
        let record = incident(
            &Config::default(),
            "Disk full",
            "capacity",
            "SEV3",
            "2026-12-06",
        );
        let live = live_incident(&record);
        assert!(live.contains("\nstatus = \"active\"    "));
        assert!(live.contains(AFTER_TIMELINE_COMMENT));
        assert_eq!(live.len(), record.len());
    }

    #[test]
    fn toml_strings_escape_quotes_and_controls() {
        assert_eq!(toml_string("a \"b\" \\ c\n"), "\"a \\\"b\\\" \\\\ c\\n\"");
    }
}
