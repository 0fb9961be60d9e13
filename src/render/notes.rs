//! The incident page's working notes, gathered during the fire: their views
//! (checklist coverage, triage, changes, hypotheses, mitigations weighed,
//! rollback, status updates) and the `<section id="review-notes">` written
//! from them ([`Notes::html`]), each note a collapsed `<details>` whose
//! `<summary>` holds its `<h3>`.
//!
//! Written here rather than by the template for the same reason as the
//! event table's rows (`event_table`): the notes' rows and items were most
//! of what the incident page converted into template values and looped
//! over. Tables are written light (the optional end tags left out, no text
//! between rows); list items keep theirs. Uses nothing else of `render`.

use serde::Serialize;

use super::urls;
use crate::markdown::escape_html_into as esc;

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ChecklistRow {
    pub id: String,
    pub title: String,
    pub state: &'static str,
    pub how: Option<String>,
    pub reason: Option<String>,
    pub anchor: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TriageView {
    pub error: Option<String>,
    pub symptoms: Vec<String>,
    pub symptoms_html: Vec<String>,
    pub system: Option<String>,
    pub stack_trace: Option<String>,
    pub logs: Vec<LogView>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct LogView {
    pub label: String,
    pub url: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ChangeView {
    pub at: Option<String>,
    pub kind: Option<&'static str>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text_html: String,
    pub suspect: bool,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct HypothesisView {
    pub at: Option<String>,
    pub text_html: String,
    pub result: &'static str,
    pub evidence: Option<String>,
    pub evidence_html: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct MitigationView {
    /// 1 for the best option; `None` for an option without ratings, which
    /// pm cannot rank.
    pub rank: Option<usize>,
    pub option_html: String,
    pub speed: Option<&'static str>,
    pub risk: Option<&'static str>,
    pub effectiveness: Option<&'static str>,
    pub chosen: bool,
    pub outcome: Option<String>,
    pub outcome_html: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct RollbackView {
    pub possible: Option<&'static str>,
    pub decision: Option<&'static str>,
    pub reason: Option<String>,
    pub reason_html: Option<String>,
}

#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct UpdateView {
    pub at: Option<String>,
    pub status: Option<&'static str>,
    pub audience: Option<&'static str>,
    pub text_html: String,
}

/// The working notes of one incident, borrowed from its view.
pub struct Notes<'a> {
    /// The checklist, in configured order.
    pub checklist: &'a [ChecklistRow],
    /// Required steps with evidence or skipped.
    pub checklist_done: usize,
    /// Required steps.
    pub checklist_required: usize,
    /// The `[triage]` table.
    pub triage: Option<&'a TriageView>,
    /// Recent changes.
    pub changes: &'a [ChangeView],
    /// Hypotheses.
    pub hypotheses: &'a [HypothesisView],
    /// Mitigations weighed, best first.
    pub mitigations: &'a [MitigationView],
    /// The rollback decision.
    pub rollback: Option<&'a RollbackView>,
    /// Status updates, by time.
    pub updates: &'a [UpdateView],
    /// The page's root, before a site path.
    pub root: &'a str,
}

/// `text` with its first letter upper case and the rest lower case, as
/// Tera's `capitalize` filter writes it.
fn capitalized(o: &mut String, text: &str) {
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        let rest: String = chars.as_str().to_lowercase();
        let first: String = first.to_uppercase().collect();
        esc(o, &first);
        esc(o, &rest);
    }
}

/// `s` after a count other than one.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A muted dash, for an empty cell.
const DASH: &str = "<span class=\"muted\">—</span>";

/// A note's `<details>` and `<summary>` with its heading and, when given,
/// its count.
fn open_note(o: &mut String, id: &str, title: &str, count: Option<&str>) {
    o.push_str("\n<details id=\"review-");
    o.push_str(id);
    o.push_str("\" class=\"note\">\n<summary><h3 id=\"review-");
    o.push_str(id);
    o.push_str("-title\">");
    o.push_str(title);
    o.push_str("</h3>");
    if let Some(count) = count {
        o.push_str(" <span>");
        o.push_str(count);
        o.push_str("</span>");
    }
    o.push_str("</summary>");
}

/// The scroll box and `<table>` of a note, with its head (`head`: the
/// header cells, light: the end tags HTML implies are left out here and in
/// [`close_table_note`], with no text where it would land in a cell).
fn open_table(o: &mut String, id: &str, class: &str, caption: &str, head: &str) {
    o.push_str("\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"review-");
    o.push_str(id);
    o.push_str("-title\" tabindex=\"0\">\n<table class=\"data ");
    o.push_str(class);
    o.push_str("\">");
    o.push_str(caption);
    o.push_str("\n<thead><tr>");
    o.push_str(head);
    o.push_str("<tbody>");
}

/// Closes what [`open_table`] and [`open_note`] opened.
fn close_table_note(o: &mut String) {
    o.push_str("</table>\n</div>\n</details>");
}

/// A rating as a word with its class: `good_when` is the rating that is
/// good (`high` for speed and effectiveness, `low` for risk).
fn rating(o: &mut String, value: Option<&str>, good_when: &str, bad_when: &str) {
    o.push_str("<td>");
    match value {
        Some(v) => {
            o.push_str("<span class=\"rating-");
            o.push_str(if v == good_when {
                "good"
            } else if v == bad_when {
                "bad"
            } else {
                "mid"
            });
            o.push_str("\">");
            esc(o, v);
            o.push_str("</span>");
        }
        None => o.push_str(DASH),
    }
}

impl Notes<'_> {
    /// The `<section id="review-notes">`: the checklist always, each other
    /// note when the record has it.
    pub fn html(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        let o = &mut out;
        o.push_str("\n<section id=\"review-notes\" class=\"notes\" aria-labelledby=\"review-notes-title\">\n<h2 id=\"review-notes-title\">Working notes</h2>");
        self.checklist(o);
        if let Some(t) = self.triage {
            self.triage(o, t);
        }
        self.changes(o);
        self.hypotheses(o);
        self.mitigations(o);
        if let Some(r) = self.rollback {
            rollback(o, r);
        }
        self.updates(o);
        o.push_str("\n</section>");
        out
    }

    fn checklist(&self, o: &mut String) {
        let (done, required) = (self.checklist_done, self.checklist_required);
        let count = format!("{done} of {required} required done");
        open_note(o, "checklist", "Checklist coverage", Some(&count));
        o.push_str(&format!(
            "\n<p class=\"checklist-score\">\n<strong>{done} of {required}</strong> required step{} done.",
            plural(required)
        ));
        if required > 0 {
            o.push_str(&format!(
                "\n<progress max=\"{required}\" value=\"{done}\" aria-hidden=\"true\"></progress>"
            ));
        }
        o.push_str("\n</p>");
        if !self.checklist.is_empty() {
            o.push_str("\n<ol class=\"checklist\">");
            for c in self.checklist {
                // A step: its state (the first <b>, the badge), then its
                // title (a link, or a <b>), the evidence in fine print, a
                // reason or help, each on a row of the <li>'s grid
                // (style.css); no end tag (HTML implies `</li>`).
                // A step done (most are) has no class: style.css's default.
                if c.state == "done" {
                    o.push_str("\n<li><b>");
                } else {
                    o.push_str("\n<li class=\"check-");
                    o.push_str(c.state);
                    o.push_str("\"><b>");
                }
                o.push_str(match c.state {
                    "done" => "Done",
                    "skipped" => "Skipped",
                    "missing" => "Missing",
                    "unknown" => "Not recorded",
                    _ => "Not required",
                });
                o.push_str("</b> ");
                match &c.anchor {
                    Some(anchor) => {
                        o.push_str("<a href=\"#");
                        esc(o, anchor);
                        o.push_str("\">");
                        esc(o, &c.title);
                        o.push_str("</a>");
                    }
                    None => {
                        o.push_str("<b>");
                        esc(o, &c.title);
                        o.push_str("</b>");
                    }
                }
                if let Some(how) = c.how.as_deref().filter(|h| !h.is_empty()) {
                    o.push_str("<small>Evidence: ");
                    esc(o, how);
                    o.push_str("</small>");
                }
                if let Some(reason) = c.reason.as_deref().filter(|r| !r.is_empty()) {
                    o.push_str("<span class=\"check-reason\">");
                    o.push_str(if c.state == "unknown" {
                        "Not known whether it was done: "
                    } else {
                        "Skipped because: "
                    });
                    esc(o, reason);
                    o.push_str("</span>");
                }
                if c.state == "missing" {
                    o.push_str("<span class=\"check-help\">No evidence: add a timeline event with <code>step = \"");
                    esc(o, &c.id);
                    o.push_str("\"</code>, or <code>");
                    esc(o, &c.id);
                    o.push_str(" = \"skipped: …\"</code> under <code>[checklist]</code>.</span>");
                }
            }
            o.push_str("\n</ol>");
        }
        o.push_str("\n</details>");
    }

    fn triage(&self, o: &mut String, t: &TriageView) {
        let some = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        open_note(o, "triage", "Triage notes", None);
        if !(some(&t.error)
            || !t.symptoms.is_empty()
            || some(&t.system)
            || some(&t.stack_trace)
            || !t.logs.is_empty())
        {
            o.push_str("\n<p class=\"empty\">The <code>[triage]</code> table is empty.</p>");
        }
        if let Some(error) = t.error.as_deref().filter(|s| !s.is_empty()) {
            o.push_str("\n<h4>Error</h4>\n<pre class=\"error-text\" tabindex=\"0\">");
            esc(o, error);
            o.push_str("</pre>");
        }
        if !t.symptoms.is_empty() {
            o.push_str("\n<h4>Symptoms</h4>\n<ul class=\"symptoms\">");
            for s in &t.symptoms_html {
                o.push_str("\n<li>");
                o.push_str(s);
                o.push_str("</li>");
            }
            o.push_str("\n</ul>");
        }
        if let Some(system) = t.system.as_deref().filter(|s| !s.is_empty()) {
            o.push_str("\n<h4>System overview</h4>\n<p class=\"prewrap\">");
            esc(o, system);
            o.push_str("</p>");
        }
        if let Some(trace) = t.stack_trace.as_deref().filter(|s| !s.is_empty()) {
            o.push_str("\n<h4>Stack trace</h4>\n<pre tabindex=\"0\"><code>");
            esc(o, trace);
            o.push_str("</code></pre>");
        }
        if !t.logs.is_empty() {
            o.push_str("\n<h4>Logs</h4>");
            for log in &t.logs {
                o.push_str("\n<figure class=\"log\">\n<figcaption>");
                match log.url.as_deref().filter(|u| !u.is_empty()) {
                    Some(url) => {
                        o.push_str("<a href=\"");
                        urls::href_into(o, self.root, url);
                        o.push_str("\">");
                        esc(o, &log.label);
                        o.push_str("</a>");
                    }
                    None => esc(o, &log.label),
                }
                o.push_str("</figcaption>");
                if let Some(text) = log.text.as_deref().filter(|s| !s.is_empty()) {
                    o.push_str("\n<pre tabindex=\"0\"><code>");
                    esc(o, text);
                    o.push_str("</code></pre>");
                }
                o.push_str("\n</figure>");
            }
        }
        o.push_str("\n</details>");
    }

    fn changes(&self, o: &mut String) {
        if self.changes.is_empty() {
            return;
        }
        open_note(
            o,
            "changes",
            "Recent changes",
            Some(&self.changes.len().to_string()),
        );
        open_table(
            o,
            "changes",
            "changes",
            "",
            "<th>When<th>Kind<th>Change<th>Reference<th>Suspect",
        );
        for c in self.changes {
            o.push_str(if c.suspect {
                "<tr class=\"is-suspect\"><td class=\"nowrap\">"
            } else {
                "<tr><td class=\"nowrap\">"
            });
            match c.at.as_deref().filter(|s| !s.is_empty()) {
                Some(at) => esc(o, at),
                None => o.push_str(DASH),
            }
            o.push_str("<td>");
            match c.kind {
                Some(kind) => capitalized(o, kind),
                None => o.push_str(DASH),
            }
            o.push_str("<th>");
            o.push_str(&c.text_html);
            o.push_str("<td>");
            if let Some(r) = c.reference.as_deref().filter(|s| !s.is_empty()) {
                o.push_str("<code>");
                esc(o, r);
                o.push_str("</code>");
            }
            o.push_str(if c.suspect {
                "<td><span class=\"flag flag-warn\">Suspect</span>"
            } else {
                "<td><span class=\"muted\">no</span>"
            });
        }
        close_table_note(o);
    }

    fn hypotheses(&self, o: &mut String) {
        if self.hypotheses.is_empty() {
            return;
        }
        let count = self.hypotheses.len().to_string();
        open_note(o, "hypotheses", "Hypotheses", Some(&count));
        open_table(
            o,
            "hypotheses",
            "hypotheses",
            "",
            "<th>Hypothesis<th>Outcome<th>Evidence",
        );
        for h in self.hypotheses {
            o.push_str("<tr class=\"result-");
            o.push_str(h.result);
            o.push_str("\"><th>");
            o.push_str(&h.text_html);
            if let Some(at) = h.at.as_deref().filter(|s| !s.is_empty()) {
                o.push_str(" <span class=\"muted nowrap\">(");
                esc(o, at);
                o.push_str(")</span>");
            }
            o.push_str("<td><span class=\"badge result result-");
            o.push_str(h.result);
            o.push_str("\">");
            capitalized(o, h.result);
            o.push_str("</span><td>");
            match h.evidence_html.as_deref().filter(|s| !s.is_empty()) {
                Some(e) => o.push_str(e),
                None => o.push_str(DASH),
            }
        }
        close_table_note(o);
    }

    fn mitigations(&self, o: &mut String) {
        if self.mitigations.is_empty() {
            return;
        }
        let count = self.mitigations.len().to_string();
        open_note(o, "mitigations", "Mitigations considered", Some(&count));
        open_table(
            o,
            "mitigations",
            "mitigations",
            "\n<caption>Ranked by speed, risk of making things worse, and effectiveness.</caption>",
            "<th class=\"num\">Rank<th>Option<th>Speed<th>Risk<th>Effectiveness<th>Chosen<th>Outcome",
        );
        for m in self.mitigations {
            o.push_str(if m.chosen {
                "<tr class=\"is-chosen\"><td class=\"num\">"
            } else {
                "<tr><td class=\"num\">"
            });
            match m.rank.filter(|r| *r > 0) {
                Some(rank) => o.push_str(&rank.to_string()),
                None => {
                    o.push_str("<span class=\"muted\" title=\"no ratings: not ranked\">—</span>")
                }
            }
            o.push_str("<th>");
            o.push_str(&m.option_html);
            rating(o, m.speed, "high", "low");
            rating(o, m.risk, "low", "high");
            rating(o, m.effectiveness, "high", "low");
            o.push_str(if m.chosen {
                "<td><span class=\"badge badge-chosen\"><span aria-hidden=\"true\">✓ </span>Chosen</span>"
            } else {
                "<td><span class=\"muted\">no</span>"
            });
            o.push_str("<td>");
            match m.outcome_html.as_deref().filter(|s| !s.is_empty()) {
                Some(outcome) => o.push_str(outcome),
                None => o.push_str(DASH),
            }
        }
        close_table_note(o);
    }

    fn updates(&self, o: &mut String) {
        if self.updates.is_empty() {
            return;
        }
        let count = self.updates.len().to_string();
        open_note(o, "updates", "Status updates", Some(&count));
        o.push_str("\n<ol class=\"status-history\">");
        for u in self.updates {
            // An update: a line of its time (bold), status and audience
            // (style.css finds them by position), then its text. Only an
            // update to customers has a class (style.css marks its audience).
            o.push_str(if u.audience == Some("customers") {
                "\n<li class=\"audience-customers\"><p>"
            } else {
                "\n<li><p>"
            });
            if let Some(at) = u.at.as_deref().filter(|s| !s.is_empty()) {
                o.push_str("<b>");
                esc(o, at);
                o.push_str("</b> ");
            }
            if let Some(status) = u.status {
                o.push_str("<span class=\"badge state state-");
                o.push_str(status);
                o.push_str("\">");
                capitalized(o, status);
                o.push_str("</span> ");
            }
            o.push_str("<span>");
            match u.audience {
                Some("customers") => o.push_str("Update to customers"),
                Some("internal") => o.push_str("Internal update"),
                Some(other) if !other.is_empty() => capitalized(o, other),
                _ => o.push_str("Update"),
            }
            // The <div> closes the <p>, the next <li> this one.
            o.push_str("</span><div>");
            o.push_str(&u.text_html);
            o.push_str("</div>");
        }
        o.push_str("\n</ol>\n</details>");
    }
}

/// The rollback note: whether it was possible, what was decided, and why
/// (`dl.facts`: style.css styles its `<div>`s, no class needed but the
/// wide one's; the end tags of `<dt>` and `<dd>` are implied).
fn rollback(o: &mut String, r: &RollbackView) {
    open_note(o, "rollback", "Rollback decision", None);
    o.push_str("\n<dl class=\"facts facts-compact\">\n<div><dt>Rollback possible<dd>");
    match r.possible {
        Some(p) => capitalized(o, p),
        None => o.push_str("<span class=\"muted\">not recorded</span>"),
    }
    o.push_str("</div>\n<div><dt>Decision<dd><strong>");
    match r.decision {
        Some("rolled-back") => o.push_str("Rolled back"),
        Some("fix-forward") => o.push_str("Fix forward"),
        Some("none") => o.push_str("Neither: no rollback, no fix forward"),
        Some(other) if !other.is_empty() => esc(o, other),
        _ => o.push_str("<span class=\"muted\">not recorded</span>"),
    }
    o.push_str("</strong></div>");
    if let Some(why) = r.reason_html.as_deref().filter(|s| !s.is_empty()) {
        o.push_str("\n<div class=\"fact-wide\"><dt>Why<dd>");
        o.push_str(why);
        o.push_str("</div>");
    }
    o.push_str("\n</dl>\n</details>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_escape_record_text_and_keep_every_note() {
        let checklist = [ChecklistRow {
            id: "ack".to_owned(),
            title: "Acknowledge <b>now</b>".to_owned(),
            state: "missing",
            how: None,
            reason: None,
            anchor: None,
        }];
        let changes = [ChangeView {
            at: None,
            kind: Some("config"),
            reference: Some("CHG-1 \"x\"".to_owned()),
            text_html: "Flag <code>on</code>".to_owned(),
            suspect: true,
        }];
        let updates = [UpdateView {
            at: Some("10:00".to_owned()),
            status: Some("investigating"),
            audience: Some("customers"),
            text_html: "Looking".to_owned(),
        }];
        let html = Notes {
            checklist: &checklist,
            checklist_done: 0,
            checklist_required: 1,
            triage: None,
            changes: &changes,
            hypotheses: &[],
            mitigations: &[],
            rollback: None,
            updates: &updates,
            root: "../../",
        }
        .html();
        assert!(
            html.contains("Acknowledge &lt;b&gt;now&lt;/b&gt;"),
            "{html}"
        );
        assert!(html.contains("<code>step = \"ack\"</code>"), "{html}");
        assert!(html.contains("<code>CHG-1 &quot;x&quot;</code>"), "{html}");
        assert!(html.contains("<td>Config<th>"), "{html}");
        assert!(
            html.contains(">Investigating</span> <span>Update to customers</span>"),
            "{html}"
        );
        assert!(html.contains("required step done."), "{html}");
        for id in ["review-checklist", "review-changes", "review-updates"] {
            assert!(
                html.contains(&format!("<details id=\"{id}\"")),
                "{id}: {html}"
            );
        }
        assert!(!html.contains("review-hypotheses"), "{html}");
    }

    #[test]
    fn notes_are_written_light() {
        let row = |id: &str, state, anchor: Option<&str>| ChecklistRow {
            id: id.to_owned(),
            title: id.to_owned(),
            state,
            how: anchor.map(|_| "timeline event at 10:04".to_owned()),
            reason: None,
            anchor: anchor.map(str::to_owned),
        };
        let checklist = [
            row("ack", "done", Some("event-3")),
            row("notify", "unknown", None),
        ];
        let hypotheses = [HypothesisView {
            text_html: "A bad deploy".to_owned(),
            result: "rejected",
            at: None,
            evidence: None,
            evidence_html: None,
        }];
        let updates = [UpdateView {
            at: None,
            status: None,
            audience: Some("internal"),
            text_html: "Looking".to_owned(),
        }];
        let html = Notes {
            checklist: &checklist,
            checklist_done: 1,
            checklist_required: 2,
            triage: None,
            changes: &[],
            hypotheses: &hypotheses,
            mitigations: &[],
            rollback: None,
            updates: &updates,
            root: "../../",
        }
        .html();
        // A step done is the default: no class; its state is the first <b>,
        // its title the link after it, with no wrapper and no end tag.
        assert!(
            html.contains("\n<li><b>Done</b> <a href=\"#event-3\">ack</a><small>Evidence: timeline event at 10:04</small>\n"),
            "{html}"
        );
        assert!(
            html.contains("<li class=\"check-unknown\"><b>Not recorded</b> <b>notify</b>"),
            "{html}"
        );
        // A note's count is the <span> after its heading; a table's head and
        // body leave out the end tags HTML implies; a row header needs no
        // scope in a column of <th>s.
        assert!(
            html.contains("</h3> <span>1 of 2 required done</span>"),
            "{html}"
        );
        assert!(
            html.contains("<thead><tr><th>Hypothesis<th>Outcome<th>Evidence<tbody><tr class=\"result-rejected\"><th>A bad deploy<td>"),
            "{html}"
        );
        assert!(html.contains("—</span></table>\n</div>"), "{html}");
        // Only an update to customers has a class.
        assert!(
            html.contains("\n<li><p><span>Internal update</span><div>Looking</div>"),
            "{html}"
        );
        for heavy in [
            "check-state",
            "check-done",
            "scope=",
            "</li>",
            "</th>",
            "</tbody>",
            "note-count",
            "audience-internal",
        ] {
            assert!(!html.contains(heavy), "{heavy}: {html}");
        }
    }
}
