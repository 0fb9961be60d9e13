//! How a prompt writes a record's values: record text as written or as a
//! reader sees it, verbatim text fenced, lists whose later lines stay in
//! their item, and the placeholder that names a key the record lacks. What
//! every prompt is filled from ([`Inputs`]). Uses `kinds`.

use jiff::Timestamp;

use super::kinds::Format;
use crate::analysis::Analyses;
use crate::config::{Config, Zone};
use crate::humanize as format;
use crate::markdown::Markdown;
use crate::model::{Corpus, Rating};

/// What a prompt is filled from: the loaded repository.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The valid records.
    pub corpus: &'a Corpus,
    /// What was derived from them.
    pub analyses: &'a Analyses,
    /// Settings (the time zone of records without their own).
    pub config: &'a Config,
    /// Markdown, to turn record text into plain text for `Format::Text`.
    pub markdown: &'a Markdown,
}

impl<'a> From<&crate::analysis::Facts<'a>> for Inputs<'a> {
    fn from(facts: &crate::analysis::Facts<'a>) -> Inputs<'a> {
        Inputs {
            corpus: facts.corpus,
            analyses: facts.analyses,
            config: facts.config,
            markdown: facts.markdown,
        }
    }
}

/// The placeholder for a fact the record lacks: names what to add.
pub fn placeholder(what: &str) -> String {
    format!("[not recorded yet: add {what}]")
}

/// How values are written for one prompt.
pub(super) struct Writer<'a> {
    pub(super) markdown: &'a Markdown,
    pub(super) format: Format,
    pub(super) zone: Option<&'a Zone>,
}

impl Writer<'_> {
    /// `**` in Markdown, nothing in text: templates write labels as
    /// `{{ b }}Error:{{ b }}`.
    pub(super) fn bold(&self) -> &'static str {
        match self.format {
            Format::Markdown => "**",
            Format::Text => "",
        }
    }

    /// Inline Markdown of a record: as written, or as a reader sees it.
    pub(super) fn inline(&self, text: &str) -> String {
        match self.format {
            Format::Markdown => text.trim().to_owned(),
            Format::Text => self.markdown.inline_and_text(text).1,
        }
    }

    /// Appends [`Writer::inline`] of `text` to `out`.
    pub(super) fn push_inline(&self, out: &mut String, text: &str) {
        match self.format {
            Format::Markdown => out.push_str(text.trim()),
            Format::Text => out.push_str(&self.markdown.inline_and_text(text).1),
        }
    }

    /// Verbatim text (an error, a trace, a log): fenced in Markdown, with a
    /// fence longer than any run of backticks inside it.
    pub(super) fn block(&self, text: &str) -> String {
        let text = text.trim_matches('\n').trim_end();
        match self.format {
            Format::Markdown => {
                let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                format!("{fence}text\n{text}\n{fence}")
            }
            Format::Text => text.to_owned(),
        }
    }

    /// A command line, verbatim (fenced as shell in Markdown).
    pub(super) fn command(&self, label: &str, run: &str) -> String {
        let block = self.block(run);
        let block = match self.format {
            Format::Markdown => block.replacen("text\n", "sh\n", 1),
            Format::Text => block,
        };
        format!("{}:\n{block}", self.inline(label))
    }

    /// `2026-11-03 14:02 CET` in the record's zone.
    pub(super) fn when(&self, at: Timestamp) -> String {
        format::datetime(at, self.zone)
    }

    /// When a timeline event happened, as the record knows it: its day
    /// alone for a day-only event, `≈` before an approximate time.
    pub(super) fn event_when(&self, event: &crate::model::Event) -> String {
        if event.day_only {
            format::day(event.at, self.zone).to_string()
        } else {
            format::approx(event.approx, self.when(event.at))
        }
    }

    /// The items of a list, or the placeholder naming `what` when there are
    /// none (see [`list_item`]).
    pub(super) fn items(&self, items: Vec<String>, what: &str) -> Vec<String> {
        if items.is_empty() {
            vec![placeholder(what)]
        } else {
            items
                .into_iter()
                .map(|i| if i.contains('\n') { list_item(&i) } else { i })
                .collect()
        }
    }
}

/// One entry of a list, its lines after the first indented by two spaces:
/// a template writes `- {{ item }}`, and a fenced block or a second
/// paragraph then stays inside its list item.
pub(super) fn list_item(text: &str) -> String {
    text.replace('\n', "\n  ").replace("\n  \n", "\n\n")
}

/// A rating triple as people read it: `speed high, risk low, effectiveness high`.
pub(super) fn ratings(
    speed: Option<Rating>,
    risk: Option<Rating>,
    effectiveness: Option<Rating>,
) -> String {
    let parts: Vec<String> = [
        ("speed", speed),
        ("risk", risk),
        ("effectiveness", effectiveness),
    ]
    .into_iter()
    .filter_map(|(name, r)| r.map(|r| format!("{name} {}", r.as_str())))
    .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer(markdown: &Markdown, format: Format) -> Writer<'_> {
        Writer {
            markdown,
            format,
            zone: None,
        }
    }

    #[test]
    fn a_block_is_fenced_longer_than_any_backticks_inside_it() {
        let md = Markdown::new();
        let w = writer(&md, Format::Markdown);
        assert_eq!(w.block("a\n"), "```text\na\n```");
        assert_eq!(w.block("``` and ````\n"), "`````text\n``` and ````\n`````");
        let t = writer(&md, Format::Text);
        assert_eq!(t.block("\n  indented\n"), "  indented");
    }

    #[test]
    fn text_format_shows_inline_markdown_as_a_reader_sees_it() {
        let md = Markdown::new();
        let t = writer(&md, Format::Text);
        assert_eq!(
            t.inline("Declared **SEV2** on `checkout`"),
            "Declared SEV2 on checkout"
        );
        let m = writer(&md, Format::Markdown);
        assert_eq!(m.inline(" `pool_size` "), "`pool_size`");
    }

    #[test]
    fn list_items_keep_their_later_lines_inside_the_item() {
        assert_eq!(list_item("one"), "one");
        assert_eq!(list_item("a:\n```sh\nx\n```"), "a:\n  ```sh\n  x\n  ```");
        assert_eq!(list_item("p\n\nq"), "p\n\n  q");
    }

    #[test]
    fn placeholders_name_the_key() {
        assert_eq!(
            placeholder("[triage] error"),
            "[not recorded yet: add [triage] error]"
        );
        let md = Markdown::new();
        let w = writer(&md, Format::Markdown);
        assert_eq!(
            w.items(Vec::new(), "[[changes]]"),
            vec!["[not recorded yet: add [[changes]]]".to_owned()]
        );
    }
}
