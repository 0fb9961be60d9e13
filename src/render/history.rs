//! What git says about a page's record, as templates see it: first recorded,
//! last revised, authors, revisions linked to the forge, an edit link, and
//! for playbooks the incidents since the last revision.
//!
//! Dates are commit dates (UTC days), never the clock, so a rebuild of the
//! same commit gives the same bytes.

use jiff::Timestamp;
use serde::Serialize;

use crate::revisions::{History, Revision};

/// One commit.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct RevisionView {
    pub id: String,
    pub short: String,
    /// The commit's page on the forge, when the repository URL is known.
    pub url: Option<String>,
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub author: String,
    pub summary: String,
}

/// A record's history.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct HistoryView {
    pub first: RevisionView,
    pub last: RevisionView,
    pub authors: Vec<String>,
    /// Newest first.
    pub revisions: Vec<RevisionView>,
    /// "Edit this page" on the forge (GitHub, GitLab).
    pub edit_url: Option<String>,
}

fn day(time: i64) -> String {
    Timestamp::from_second(time)
        .map(|t| jiff::tz::TimeZone::UTC.to_datetime(t).date().to_string())
        .unwrap_or_default()
}

/// A commit as pages show it.
pub fn revision(history: &History, rev: &Revision) -> RevisionView {
    RevisionView {
        id: rev.id.clone(),
        short: rev.short_id().to_owned(),
        url: history.links.as_ref().map(|l| l.commit_url(&rev.id)),
        date: day(rev.time),
        author: rev.author.clone(),
        summary: rev.summary.clone(),
    }
}

/// The history of one record file, when git knows it.
pub fn history_view(history: Option<&History>, file: &str) -> Option<HistoryView> {
    let history = history?;
    let record = history.files.get(file)?;
    Some(HistoryView {
        first: revision(history, record.first()?),
        last: revision(history, record.last()?),
        authors: record.authors().into_iter().map(str::to_owned).collect(),
        revisions: record
            .revisions
            .iter()
            .map(|r| revision(history, r))
            .collect(),
        edit_url: history.links.as_ref().and_then(|l| l.edit_url(file)),
    })
}
