//! `pm status-update`: the next stakeholder update, drafted from the record.
//!
//! Honest without being alarming: customers read the impact in their terms
//! and what is being done; internal readers also get the latest timeline.
//! The text comes from `site-template/status-update.md`, which a repository
//! can override; it is plain text, so it is rendered without HTML escaping.

use serde::Serialize;
use tera::{Context, Tera};

use super::overrides::Override;
use crate::analysis::Analyses;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::humanize as format;
use crate::model::{Corpus, HypothesisResult, Incident, Status};

/// Text templates: not pages of the site, not copied into it.
pub const TEXT_TEMPLATES: &[(&str, &str)] = &[(
    "status-update.md",
    include_str!("../../site-template/status-update.md"),
)];

/// Who the update is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Customers: status page, email.
    Customers,
    /// Inside the company.
    Internal,
}

#[derive(Serialize)]
struct UpdateView<'a> {
    markdown: bool,
    audience: &'static str,
    id: &'a str,
    title: &'a str,
    status: &'static str,
    what_happened: String,
    impact: Vec<String>,
    doing: Vec<String>,
    started: Option<String>,
    duration: Option<String>,
    impact_duration: Option<String>,
    next_update: Option<&'static str>,
    previous_updates: usize,
}

/// The stage an update announces: a resolved incident is over, a mitigated
/// one is being watched, an active one has a cause once a hypothesis is
/// confirmed or a mitigation started.
pub fn stage(incident: &Incident) -> &'static str {
    match incident.status.value {
        Status::Resolved => "Resolved",
        Status::Mitigated => "Monitoring",
        Status::Active => {
            let confirmed = incident
                .hypotheses
                .iter()
                .any(|h| h.result == HypothesisResult::Confirmed);
            if confirmed {
                "Identified"
            } else {
                "Investigating"
            }
        }
    }
}

/// `14:02 CET`: every time in an update says its zone, as readers are in
/// many.
fn time_with_zone(ts: jiff::Timestamp, zone: Option<&crate::config::Zone>) -> String {
    let tz = zone.map_or(jiff::tz::TimeZone::UTC, |z| z.tz.clone());
    format!(
        "{} {}",
        format::time_of_day_in(ts, &tz),
        format::zone_abbreviation(ts, &tz)
    )
}

/// Drafts the next update for incident `id`.
pub fn status_update(
    corpus: &Corpus,
    analyses: &Analyses,
    config: &Config,
    overrides: &[Override],
    id: &str,
    audience: Audience,
    markdown: bool,
) -> Result<String> {
    let incident = corpus
        .incidents
        .get(id)
        .ok_or_else(|| Error::Usage(format!("no incident `{id}`")))?;
    let analysis = analyses.incidents.get(id);
    let zone = incident.zone.as_ref().or(config.timezone.as_ref());
    let status = stage(incident);
    let impact_summary = incident.impact.as_ref().and_then(|i| i.summary.clone());
    let what_happened = match audience {
        Audience::Customers => impact_summary
            .clone()
            .or_else(|| incident.summary.clone())
            .or_else(|| incident.public_title.clone())
            .unwrap_or_else(|| incident.title.clone()),
        Audience::Internal => incident
            .summary
            .clone()
            .or_else(|| impact_summary.clone())
            .unwrap_or_else(|| incident.title.clone()),
    };
    let mut impact = Vec::new();
    if let Some(i) = &incident.impact {
        if audience == Audience::Internal {
            match &i.users {
                Some(crate::model::Users::Count(n)) => {
                    impact.push(format!("{} users affected", format::count(*n)));
                }
                Some(crate::model::Users::Described(text)) => {
                    impact.push(format!("users affected: {text}"));
                }
                None => {}
            }
            if let Some(slo) = &i.slo {
                impact.push(format!("SLO: {slo}"));
            }
        }
        if !incident.services.is_empty() && audience == Audience::Internal {
            impact.push(format!("services: {}", incident.services.join(", ")));
        }
    }
    let doing = match audience {
        // The latest three events, as the responders wrote them.
        Audience::Internal => analysis
            .map(|a| {
                a.order
                    .iter()
                    .rev()
                    .take(3)
                    .rev()
                    .filter_map(|&i| incident.timeline.get(i))
                    .map(|e| format!("{} {}", time_with_zone(e.at, zone), e.text))
                    .collect()
            })
            .unwrap_or_default(),
        Audience::Customers => Vec::new(),
    };
    let started = analysis
        .and_then(|a| a.start)
        .map(|t| format::datetime(t, zone));
    let duration = analysis
        .and_then(|a| a.durations.resolve)
        .filter(|_| status == "Resolved")
        .map(format::duration);
    // What customers lived through: impact start to mitigation, not the
    // time the team took to close the incident.
    let impact_duration = analysis
        .filter(|a| !a.durations.from_detection)
        .and_then(|a| a.durations.mitigate)
        .filter(|_| status != "Investigating" && status != "Identified")
        .map(format::duration);
    let next_update =
        (status != "Resolved").then(|| match config.severity_rank(&incident.severity.value) {
            Some(1) => "30 minutes",
            Some(2) => "1 hour",
            _ => "2 hours",
        });
    let wanted = match audience {
        Audience::Customers => crate::model::Audience::Customers,
        Audience::Internal => crate::model::Audience::Internal,
    };
    let previous_updates = incident
        .updates
        .iter()
        .filter(|u| u.audience.is_none_or(|a| a == wanted))
        .count();
    let view = UpdateView {
        markdown,
        audience: match audience {
            Audience::Customers => "customers",
            Audience::Internal => "internal",
        },
        id,
        // Customers read the public title when the record gives one: the
        // internal title often names systems they have never heard of.
        title: match (audience, &incident.public_title) {
            (Audience::Customers, Some(public)) => public,
            _ => &incident.title,
        },
        status,
        what_happened,
        impact,
        doing,
        started,
        duration,
        impact_duration,
        next_update,
        previous_updates,
    };
    let (name, builtin) = TEXT_TEMPLATES[0];
    let source = match overrides.iter().find(|f| f.name == name) {
        Some(file) => String::from_utf8(file.bytes.clone())
            .map_err(|_| Error::Template(format!("`site-template/{name}` is not valid UTF-8")))?,
        None => builtin.to_owned(),
    };
    let mut tera = Tera::new();
    tera.autoescape_on(Vec::<&'static str>::new());
    tera.add_raw_template(name, &source)
        .map_err(|e| Error::Template(format!("`{name}`: {e}")))?;
    let context = Context::from_serialize(&view).map_err(|e| Error::Template(e.to_string()))?;
    let text = tera
        .render(name, &context)
        .map_err(|e| Error::Template(format!("rendering `{name}`: {e}")))?;
    Ok(tidy(&text))
}

/// A rendered text template, tidied: templates leave runs of blank lines
/// where optional parts are empty, and trailing spaces; one blank line is
/// kept, and the text ends with one newline.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        blank = if line.trim().is_empty() { blank + 1 } else { 0 };
        if blank < 2 {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}
