//! A Slack channel export, in Slack's layout: `channels.json` (the
//! channels), `users.json` (the members), and one folder per channel holding
//! one `YYYY-MM-DD.json` file per day, each an array of message objects
//! (`ts`, `user`, `text`, `subtype`, …). Join and leave notices are left
//! out; bot messages and thread replies are kept; mentions are written as
//! names.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use serde::Deserialize;

use super::export::{Export, Failure, Message, failure, line_span, read_text};
use crate::diag::Diagnostic;

/// A channel of `channels.json`.
#[derive(Deserialize)]
struct Channel {
    id: String,
    name: String,
}

/// A member of `users.json`.
#[derive(Deserialize)]
struct User {
    id: String,
    name: String,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    display_name: Option<String>,
}

/// One message of a day file.
#[derive(Deserialize)]
struct SlackMessage {
    ts: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    bot_profile: Option<BotProfile>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    subtype: Option<String>,
}

#[derive(Deserialize)]
struct BotProfile {
    #[serde(default)]
    name: Option<String>,
}

/// Subtypes that say nothing about the incident.
const NOISE: &[&str] = &[
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "channel_archive",
    "channel_unarchive",
    "group_join",
    "group_leave",
    "pinned_item",
    "unpinned_item",
];

/// Reads the export folder `dir`; `channel` picks one of its channels (by
/// name, with or without `#`).
pub(super) fn read(dir: &Path, shown: &str, channel: Option<&str>) -> Result<Export, Box<Failure>> {
    let channels: Vec<Channel> = json_file(
        &dir.join("channels.json"),
        &format!("{shown}/channels.json"),
    )?;
    let users: Vec<User> = match std::fs::symlink_metadata(dir.join("users.json")) {
        Ok(_) => json_file(&dir.join("users.json"), &format!("{shown}/users.json"))?,
        Err(_) => Vec::new(),
    };
    let names: BTreeMap<String, String> = users
        .into_iter()
        .map(|u| {
            let display = u
                .profile
                .and_then(|p| p.display_name)
                .filter(|n| !n.trim().is_empty());
            let real = u.real_name.filter(|n| !n.trim().is_empty());
            (u.id, display.or(real).unwrap_or(u.name))
        })
        .collect();
    let channel_names: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
    let picked = match channel.map(|c| c.trim_start_matches('#')) {
        Some(wanted) => channels.iter().find(|c| c.name == wanted).ok_or_else(|| {
            let mut help = format!(
                "the export holds {}",
                crate::diag::backticked(&channel_names)
            );
            if let Some(s) = crate::diag::suggest(wanted, channel_names.iter().copied()) {
                help = format!("did you mean `{s}`? ({help})");
            }
            failure(
                Diagnostic::error(
                    "malformed_export",
                    format!("{shown}/channels.json"),
                    format!("no channel `{wanted}` in the export"),
                )
                .help(help),
                None,
            )
        })?,
        None => match channels.as_slice() {
            [only] => only,
            _ => {
                return Err(failure(
                    Diagnostic::error(
                        "malformed_export",
                        format!("{shown}/channels.json"),
                        format!(
                            "the export holds {} channels; say which one",
                            channels.len()
                        ),
                    )
                    .help(format!(
                        "pass `--channel <name>`: {}",
                        crate::diag::backticked(&channel_names)
                    )),
                    None,
                ));
            }
        },
    };
    let folder = dir.join(&picked.name);
    let mut days: Vec<String> = std::fs::read_dir(&folder)
        .map_err(|e| {
            failure(
                Diagnostic::error(
                    "malformed_export",
                    format!("{shown}/{}", picked.name),
                    format!("cannot read the channel's folder: {e}"),
                )
                .help("a Slack export holds one folder per channel, named after it"),
                None,
            )
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_day_file(n))
        .collect();
    days.sort();
    let mut messages = Vec::new();
    for day in days {
        let shown_day = format!("{shown}/{}/{day}", picked.name);
        let list: Vec<SlackMessage> = json_file(&folder.join(&day), &shown_day)?;
        for (index, m) in list.into_iter().enumerate() {
            if m.subtype.as_deref().is_some_and(|s| NOISE.contains(&s)) {
                continue;
            }
            let at = m.ts.as_deref().and_then(epoch).ok_or_else(|| {
                failure(
                    Diagnostic::error(
                        "malformed_export",
                        shown_day.clone(),
                        format!(
                            "message {} has no valid `ts` (Slack's send time, seconds since 1970)",
                            index + 1
                        ),
                    )
                    .help("each message needs `\"ts\": \"1764943320.000100\"`"),
                    None,
                )
            })?;
            let text = markup(m.text.as_deref().unwrap_or(""), &names, &channels);
            if text.is_empty() {
                continue;
            }
            let who = m
                .user
                .as_ref()
                .map(|u| names.get(u).cloned().unwrap_or_else(|| u.clone()))
                .or(m.username)
                .or(m.bot_profile.and_then(|b| b.name));
            messages.push(Message { at, who, text });
        }
    }
    Ok(Export {
        messages,
        source: format!("slack:#{}", picked.name),
    })
}

/// Whether `name` is a day file (`2026-12-06.json`).
fn is_day_file(name: &str) -> bool {
    name.strip_suffix(".json")
        .is_some_and(|d| d.parse::<jiff::civil::Date>().is_ok())
}

/// Slack's `ts` (`"1764943320.000100"`, seconds since 1970) as an instant,
/// to the second.
fn epoch(ts: &str) -> Option<Timestamp> {
    let seconds = ts.split('.').next()?.parse::<i64>().ok()?;
    Timestamp::from_second(seconds).ok()
}

/// A JSON file of the export; broken JSON is located by line and column.
fn json_file<T: serde::de::DeserializeOwned>(path: &Path, shown: &str) -> Result<T, Box<Failure>> {
    let text = read_text(path, shown)?;
    serde_json::from_str(&text).map_err(|e| {
        let span = line_span(&text, e.line());
        let at = (span.start + e.column().saturating_sub(1)).min(span.end);
        failure(
            Diagnostic::error(
                "malformed_export",
                shown,
                format!("not a valid Slack export file: {e}"),
            )
            .at(at..at)
            .help("re-export the channel from Slack, or fix the JSON at this line"),
            Some(Arc::clone(&text)),
        )
    })
}

/// Slack's message markup as plain inline text: `<@U123>` → `@name`,
/// `<#C123|name>` → `#name`, `<https://x|label>` → `[label](https://x)`,
/// `<https://x>` → the URL, and `&amp;`, `&lt;`, `&gt;` unescaped.
fn markup(text: &str, users: &BTreeMap<String, String>, channels: &[Channel]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + close];
        let (target, label) = match inner.split_once('|') {
            Some((t, l)) => (t, Some(l)),
            None => (inner, None),
        };
        if let Some(id) = target.strip_prefix('@') {
            let name = label.map(str::to_owned).or_else(|| users.get(id).cloned());
            out.push('@');
            out.push_str(name.as_deref().unwrap_or(id));
        } else if let Some(id) = target.strip_prefix('#') {
            let name = label
                .map(str::to_owned)
                .or_else(|| channels.iter().find(|c| c.id == id).map(|c| c.name.clone()));
            out.push('#');
            out.push_str(name.as_deref().unwrap_or(id));
        } else if let Some(special) = target.strip_prefix('!') {
            out.push('@');
            out.push_str(label.unwrap_or(special));
        } else {
            match label {
                Some(l) => out.push_str(&format!("[{l}]({target})")),
                None => out.push_str(target),
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_names_and_links() {
        let users = [("U1".to_owned(), "alice".to_owned())].into();
        let channels = vec![Channel {
            id: "C9".to_owned(),
            name: "ops".to_owned(),
        }];
        assert_eq!(
            markup(
                "<@U1> see <#C9> and <https://g.example/d|the graph> &amp; <!here> <@U2>",
                &users,
                &channels
            ),
            "@alice see #ops and [the graph](https://g.example/d) & @here @U2"
        );
        assert_eq!(markup("a < b", &users, &channels), "a < b");
    }

    #[test]
    fn epochs() {
        assert_eq!(
            epoch("1764943320.000100").unwrap().to_string(),
            "2025-12-05T14:02:00Z"
        );
        assert!(epoch("soon").is_none());
    }
}
