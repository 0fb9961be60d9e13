//! `atom.xml` and `sitemap.xml`: the data their templates place.
//!
//! Feed and entry ids are `urn:uuid:` name-based (SHA-1, version 5) UUIDs of
//! the site title and the incident id, so they do not change when the site
//! moves (a new `base_url`, a mirror, a local copy) and two sites with
//! different titles never share one. Renaming the site changes them. Every
//! date comes from the records: an entry is published when the incident
//! started and updated at its latest recorded instant (timeline events,
//! status updates, action items' `closed` dates); the feed's `updated` is
//! the newest entry's. Nothing here reads the clock or writes files.

use jiff::Timestamp;
use serde::Serialize;

use super::cx::ViewCx;
use super::urls;
use crate::humanize as format;
use crate::markdown::escape_html;
use crate::model::Incident;

/// The most entries the feed holds (the newest incidents).
pub const FEED_ENTRIES: usize = 50;

/// The namespace of pm's name-based UUIDs (a fixed random value).
const NAMESPACE: [u8; 16] = [
    0x4f, 0x1c, 0x8e, 0x2a, 0x93, 0x57, 0x4b, 0x6d, 0xa2, 0x0e, 0x71, 0xc5, 0x3d, 0x98, 0xb4, 0x26,
];

/// The feed's data.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct FeedView {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub updated: String,
    /// The feed's own URL: absolute with an absolute `base_url`, else
    /// relative to the feed.
    pub self_url: String,
    pub site_url: String,
    pub entries: Vec<EntryView>,
}

/// One incident in the feed.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct EntryView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub published: String,
    pub updated: String,
    pub severity: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// HTML, escaped by the template (Atom `type="html"`).
    pub content_html: String,
}

/// The site's absolute URL when `base_url` is an absolute http(s) URL.
pub fn absolute_base<'a>(cx: &ViewCx<'a>) -> Option<&'a str> {
    urls::absolute_base(&cx.config.base_url)
}

/// The `urn:uuid:` id of a name under the site's title.
fn urn(title: &str, name: &str) -> String {
    format!("urn:uuid:{}", uuid_v5(&format!("pm\n{title}\n{name}")))
}

/// The latest instant a record writes down.
fn last_recorded(incident: &Incident) -> Option<Timestamp> {
    let events = incident.timeline.iter().map(|e| e.at);
    let updates = incident.updates.iter().filter_map(|u| u.at);
    let closed = incident.actions.iter().filter_map(|a| {
        a.closed.and_then(|d| {
            jiff::tz::TimeZone::UTC
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .ok()
        })
    });
    events.chain(updates).chain(closed).max()
}

/// The feed: the first [`FEED_ENTRIES`] of `newest_first` (the site's
/// incidents, newest first, as the build sorted them once); incidents
/// without any recorded time are left out (Atom requires dates).
pub fn feed<'a>(cx: &ViewCx<'a>, newest_first: impl IntoIterator<Item = &'a Incident>) -> FeedView {
    let title = xml_text(&cx.config.title);
    let base = absolute_base(cx);
    let url = |path: &str| match base {
        Some(b) => urls::absolute(b, path),
        None => path.to_owned(),
    };
    let mut entries = Vec::new();
    for incident in newest_first {
        if entries.len() == FEED_ENTRIES {
            break;
        }
        let start = cx
            .analyses
            .incidents
            .get(&incident.id)
            .and_then(|a| a.start);
        let (Some(start), Some(last)) = (start, last_recorded(incident)) else {
            continue;
        };
        let summary = cx.summary(incident);
        let mut content = String::new();
        if let Some(s) = &incident.summary {
            content.push_str("<p>");
            content.push_str(&xml_text(&cx.markdown.inline(s)));
            content.push_str("</p>");
        }
        let mut facts = vec![
            escape_html(&incident.severity.value),
            escape_html(&incident.kind.value),
            escape_html(summary.status),
        ];
        if !incident.services.is_empty() {
            facts.push(format!(
                "services: {}",
                escape_html(&incident.services.join(", "))
            ));
        }
        if let Some(ttr) = &summary.time_to_resolve {
            facts.push(format!("time to resolve {}", escape_html(ttr)));
        }
        content.push_str(&format!("<p>{}</p>", xml_text(&facts.join(" · "))));
        entries.push(EntryView {
            id: urn(&cx.config.title, &format!("incident\n{}", incident.id)),
            title: xml_text(&incident.title),
            url: url(&summary.url),
            published: format::iso(start),
            updated: format::iso(last.max(start)),
            severity: xml_text(&incident.severity.value),
            kind: xml_text(&incident.kind.value),
            content_html: content,
        });
    }
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    FeedView {
        id: urn(&cx.config.title, "feed"),
        subtitle: cx.config.description.as_deref().map(xml_text),
        title,
        updated,
        self_url: url(urls::ATOM),
        site_url: url(urls::INDEX),
        entries,
    }
}

/// The absolute URLs of the site's pages for `sitemap.xml`, given the
/// site-relative paths of its HTML pages; `None` without an absolute
/// `base_url` (a sitemap must list absolute URLs).
pub fn sitemap(cx: &ViewCx<'_>, pages: &[String]) -> Option<Vec<String>> {
    let base = absolute_base(cx)?;
    Some(
        pages
            .iter()
            .filter(|p| urls::is_listed_page(p))
            .map(|p| urls::absolute(base, p))
            .collect(),
    )
}

/// Text without the characters XML 1.0 forbids (control characters other
/// than tab, line feed and carriage return; U+FFFE and U+FFFF), which TOML
/// escapes can put in a title.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// A version 5 (name-based, SHA-1) UUID of `name` in pm's namespace
/// (RFC 9562, section 5.5), in its hyphenated form.
fn uuid_v5(name: &str) -> String {
    let mut input = NAMESPACE.to_vec();
    input.extend_from_slice(name.as_bytes());
    let hash = sha1(&input);
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// SHA-1 (FIPS 180-4). Used only to name things (UUIDs), never for
/// security.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
                20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha1_matches_the_published_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&sha1(&vec![b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn uuids_are_version_5_and_stable() {
        let a = uuid_v5("pm\nIncident reviews\nfeed");
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5", "{a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_eq!(a, uuid_v5("pm\nIncident reviews\nfeed"));
        assert_ne!(a, uuid_v5("pm\nOther reviews\nfeed"));
    }

    #[test]
    fn xml_forbidden_characters_are_dropped() {
        assert_eq!(xml_text("a\u{1}b\tc\u{ffff}"), "ab\tc");
    }
}
