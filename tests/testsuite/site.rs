//! The site beyond the incident pages: the index with its trend charts and
//! filters, listing pages, the action-item tracker, `actions.csv`, the Atom
//! feed, the sitemap, `404.html` and the search index, on
//! `tests/fixtures/site` (five incidents across types, services, severities
//! and months; two services whose slugs collide; a title with `</script>`;
//! an action text that looks like a spreadsheet formula).

use crate::support::{Project, list_files};

const TODAY: &str = "2026-11-30";

fn built(extra: &[&str]) -> Project {
    let p = Project::from_fixture("site");
    let mut args = vec!["build", "--today", TODAY];
    args.extend_from_slice(extra);
    p.pm(&args).output().code(0);
    p
}

/// The `<main>` element of a built page: the part the page's own template
/// renders (the frame is base.html's).
fn main_of(p: &Project, rel: &str) -> String {
    let page = p.read(&format!("public/{rel}"));
    let start = page.find("<main").expect("a <main>");
    let end = page.find("</main>").expect("a </main>") + "</main>".len();
    page[start..end].to_owned()
}

#[test]
fn index_main_snapshot() {
    let p = built(&[]);
    insta::assert_snapshot!(main_of(&p, "index.html"));
}

#[test]
fn listing_page_snapshot() {
    let p = built(&[]);
    // "Orders DB (EU)" shares its slug with the service "orders-db-eu", which
    // is written as its slug and keeps it; the other gets a hash suffix.
    let services: Vec<String> = list_files(&p.root().join("public/services"));
    assert_eq!(
        services,
        [
            "api/index.html",
            "checkout/index.html",
            "dns/index.html",
            "orders-db-eu-92a7298e/index.html",
            "orders-db-eu/index.html",
            "status-page/index.html",
            "webhooks/index.html",
        ]
    );
    insta::assert_snapshot!(main_of(&p, "services/orders-db-eu-92a7298e/index.html"));
    let other = main_of(&p, "services/orders-db-eu/index.html");
    assert!(other.contains("Reports stale: replica lag on orders-db-eu"));
    assert!(!other.contains("Checkout slow"), "collided slugs mixed up");
}

#[test]
fn every_facet_value_has_a_listing_page() {
    let p = built(&[]);
    let files = list_files(&p.root().join("public"));
    for page in [
        "severities/sev1/index.html",
        "severities/sev4/index.html",
        "types/database/index.html",
        "statuses/mitigated/index.html",
        "years/2025/index.html",
        "years/2026/index.html",
        "actions/owners/dana-ops/index.html",
        "actions/kinds/prevention/index.html",
    ] {
        assert!(files.iter().any(|f| f == page), "no {page}");
    }
    let sev3 = main_of(&p, "severities/sev3/index.html");
    assert!(sev3.contains("Reports stale") && sev3.contains("Status banner"));
    assert!(!sev3.contains("Checkout slow"));
}

#[test]
fn tracker_snapshot() {
    let p = built(&[]);
    insta::assert_snapshot!(main_of(&p, "actions/index.html"));
}

/// A tracker row is written once per action item (49,605 times at 10,000
/// records), so it carries what a reader needs and no per-cell markup:
/// style.css styles and labels the cells by position, search.js adds the
/// permalink.
#[test]
fn tracker_rows_carry_no_per_cell_markup() {
    let p = built(&[]);
    let page = main_of(&p, "actions/index.html");
    let rows: Vec<&str> = page
        .split("<tr id=\"action-")
        .skip(1)
        .filter_map(|r| r.split("</tbody>").next())
        .filter_map(|r| r.split("\n<tr").next())
        .collect();
    assert!(rows.len() > 5, "{page}");
    // Links to outside trackers send no referrer, said once for the page.
    assert!(
        p.read("public/actions/index.html")
            .contains("<meta name=\"referrer\" content=\"no-referrer\">")
    );
    for row in &rows {
        for heavy in [
            "class=\"action",
            "data-label",
            "quiet-link",
            "permalink",
            "datetime=",
            // No optional end tag, no rel per link (session 13).
            "</td>",
            "</th>",
            "</tr>",
            "rel=\"noreferrer\"",
        ] {
            assert!(!row.contains(heavy), "{heavy} in a row: {row}");
        }
        // Owner and kind links are relative to the tracker's folder.
        assert!(!row.contains("href=\"../actions/"), "{row}");
        assert!(row.len() < 800, "{} bytes: {row}", row.len());
    }
    assert!(page.contains("<table class=\"data actions tracker\" id=\"actions-open-table\">"));
}

#[test]
fn tracker_owner_page_links_only_that_owners_items() {
    let p = built(&[]);
    let page = main_of(&p, "actions/owners/dana-ops/index.html");
    assert!(page.contains("Action items: Dana Ops"));
    // No row of its own: a link to each of its items' rows on the tracker.
    assert_eq!(page.matches("<tr id=\"action-").count(), 0, "{page}");
    let links: Vec<&str> = page
        .split("href=\"../../")
        .skip(1)
        .filter_map(|l| l.split('"').next())
        .filter(|l| l.contains("#action-"))
        .collect();
    // Stable anchors: incident id and 1-based position in the record.
    assert_eq!(
        links,
        [
            "index.html#action-2026-03-10-queue-backlog-1",
            "index.html#action-2026-01-15-orders-db-pool-2"
        ],
        "{page}"
    );
    // With JavaScript, the page's filter is fixed to its owner.
    assert!(
        page.contains("<option value=\"dana-ops\" selected>"),
        "{page}"
    );
    assert!(!page.contains("<option value=\"sam\""), "{page}");
}

/// The tracker's HTML holds each action item once: one row on the pages of
/// the whole tracker, none on the owner and kind pages, which link to that
/// row on the page holding it (so they work without JavaScript).
#[test]
fn the_trackers_html_holds_each_action_item_once() {
    let p = Project::from_fixture("site");
    // One item a page: the tracker of all items has a page per item, and
    // the owners' and kinds' views four links a page (`LINKS_PER_ROW`), so
    // their three items or fewer fit on one.
    p.file(
        "pm.toml",
        p.read("pm.toml")
            .replace("[site]\n", "[site]\npage_size = 1\n"),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let ids: Vec<String> = p
        .read("public/actions.csv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_owned)
        .collect();
    assert!(ids.len() > 5, "{ids:?}");
    let pages: Vec<String> = list_files(&p.root().join("public/actions"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(
        pages
            .iter()
            .any(|f| f == &format!("page/{}.html", ids.len()))
    );
    assert!(
        !pages
            .iter()
            .any(|f| (f.starts_with("owners/") || f.starts_with("kinds/")) && f.contains("/page/")),
        "{pages:?}"
    );
    let html: Vec<(String, String)> = pages
        .iter()
        .map(|f| (f.clone(), p.read(&format!("public/actions/{f}"))))
        .collect();
    for id in &ids {
        let files = rows_in(&html, id);
        assert_eq!(files.len(), 1, "{id} has a row on {files:?}");
        assert!(
            !files[0].starts_with("owners/") && !files[0].starts_with("kinds/"),
            "{id} is copied onto {files:?}"
        );
    }
    // Each item is linked from its owner's page and its kind's page, to the
    // page of the whole tracker that holds its row.
    let mut linked: std::collections::BTreeMap<&str, usize> = Default::default();
    for (file, page) in &html {
        if !file.starts_with("owners/") && !file.starts_with("kinds/") {
            continue;
        }
        for link in page.split("href=\"").skip(1) {
            let Some((target, anchor)) = link.split('"').next().and_then(|l| l.split_once('#'))
            else {
                continue;
            };
            if !anchor.starts_with("action-") {
                continue;
            }
            let id = ids.iter().find(|i| *i == anchor).expect("a known item");
            *linked.entry(id).or_default() += 1;
            // Relative to the page, which is `depth` folders under actions/.
            let depth = file.matches('/').count();
            let target = target
                .strip_prefix(&"../".repeat(depth))
                .unwrap_or_else(|| panic!("{file}: {target}"));
            assert_eq!(
                rows_in(&html, id),
                [target],
                "{file} links {id} to {target}"
            );
        }
    }
    for id in &ids {
        assert_eq!(linked.get(id.as_str()), Some(&2), "{id}");
    }
}

/// The files of `html` holding the row of item `id`.
fn rows_in<'h>(html: &'h [(String, String)], id: &str) -> Vec<&'h str> {
    html.iter()
        .filter(|(_, page)| page.contains(&format!("<tr id=\"{id}\"")))
        .map(|(f, _)| f.as_str())
        .collect()
}

#[test]
fn actions_csv_snapshot() {
    let p = built(&[]);
    let csv = p.read("public/actions.csv");
    // RFC 4180: CRLF line ends; a formula-looking cell is defused with `'`.
    assert!(csv.ends_with("\r\n"));
    assert!(
        csv.split('\n').all(|l| l.is_empty() || l.ends_with('\r')),
        "CRLF line ends"
    );
    assert!(csv.contains(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"pool dashboard\"\")\","));
    assert!(csv.contains(",'-1 point: lint banner texts for markup,"));
    insta::assert_snapshot!(csv.replace("\r\n", "⏎\n"));
}

#[test]
fn atom_snapshot() {
    let p = built(&[]);
    insta::assert_snapshot!(p.read("public/atom.xml"));
}

#[test]
fn search_index_snapshot() {
    let p = built(&[]);
    let json = p.read("public/search-index.json");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    insta::assert_snapshot!(serde_json::to_string_pretty(&value).expect("pretty"));
}

#[test]
fn search_shards_are_script_safe_and_hold_the_rows_of_the_json() {
    let p = built(&[]);
    let from_json: serde_json::Value =
        serde_json::from_str(&p.read("public/search-index.json")).expect("search-index.json");
    let files = list_files(&p.root().join("public/search"));
    assert!(files.contains(&"index.js".to_owned()), "{files:?}");
    let mut rows = Vec::new();
    for file in &files {
        let js = p.read(&format!("public/search/{file}"));
        let name = file.trim_end_matches(".js");
        let body = js
            .strip_prefix(&format!("PM_SEARCH_SHARD(\"{name}\", "))
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("{file}: PM_SEARCH_SHARD(\"{name}\", <json>);"));
        for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!body.contains(c), "{c:?} left in search/{file}");
        }
        let value: serde_json::Value = serde_json::from_str(body).expect("JSON in the script");
        if name.starts_with("docs/") {
            rows.extend(value.as_array().expect("rows").iter().cloned());
        }
        if name == "index" {
            for key in [
                "version",
                "page_size",
                "facets",
                "severity_rank",
                "playbooks",
                "paths",
            ] {
                assert_eq!(value[key], from_json[key], "{key}");
            }
        }
    }
    // The rows, in order, are the JSON's incidents without their excerpt.
    let mut incidents = from_json["incidents"]
        .as_array()
        .expect("incidents")
        .clone();
    for i in &mut incidents {
        i.as_object_mut().expect("an object").remove("text");
    }
    assert_eq!(rows, incidents);
    assert!(
        from_json.to_string().contains("</script>"),
        "the title survives"
    );
}

#[test]
fn the_script_title_is_text_everywhere() {
    let p = built(&[]);
    for page in [
        "index.html",
        "incidents/2026-03-02-status-banner-script/index.html",
        "actions/index.html",
        "types/config-change/index.html",
    ] {
        let html = p.read(&format!("public/{page}"));
        assert!(!html.contains("</script> to"), "{page}: raw </script>");
        assert!(!html.contains("<script>alert"), "{page}: raw <script>");
    }
}

#[test]
fn incidents_json_gains_stable_action_ids() {
    let p = built(&[]);
    let doc: serde_json::Value =
        serde_json::from_str(&p.read("public/incidents.json")).expect("incidents.json");
    assert_eq!(doc["version"], 3);
    let pool = doc["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .find(|i| i["id"] == "2026-01-15-orders-db-pool")
        .expect("the pool incident");
    assert_eq!(
        pool["actions"][1]["id"],
        "action-2026-01-15-orders-db-pool-2"
    );
    // Version 3: the item's address is the file's `action_url` with its
    // id in the slot, not a `url` of its own.
    assert_eq!(pool["actions"][1].get("url"), None);
    let url = doc["action_url"]
        .as_str()
        .expect("action_url")
        .replace("{id}", pool["actions"][1]["id"].as_str().expect("id"));
    assert_eq!(url, "actions/index.html#action-2026-01-15-orders-db-pool-2");
    // An open item is not overdue here, and its `overdue: false` is left out.
    assert!(
        doc["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .flat_map(|i| i["actions"].as_array().into_iter().flatten())
            .all(|a| a.get("overdue").is_none_or(|o| o == true)),
        "no `overdue: false`"
    );
}

#[test]
fn sitemap_only_with_an_absolute_base_url_and_feed_ids_never_move() {
    let relative = built(&[]);
    assert!(
        !relative.exists("public/sitemap.xml"),
        "a sitemap needs absolute URLs"
    );

    let base = "https://org.example/postmortems/";
    let absolute = built(&["--base-url", base]);
    let sitemap = absolute.read("public/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .filter_map(|l| l.strip_suffix("</loc></url>"))
        .collect();
    let pages: Vec<String> = list_files(&absolute.root().join("public"))
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .collect();
    assert_eq!(locs.len(), pages.len(), "{sitemap}");
    assert!(locs.contains(&"https://org.example/postmortems/"));
    assert!(locs.contains(&"https://org.example/postmortems/incidents/2026-01-15-orders-db-pool/"));
    assert!(locs.iter().all(|l| l.starts_with(base)));

    // Entry and feed ids do not depend on where the site is served.
    let ids = |p: &Project| -> Vec<String> {
        p.read("public/atom.xml")
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<id>"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(ids(&relative), ids(&absolute));
    assert!(ids(&relative).iter().all(|i| i.starts_with("urn:uuid:")));
    let feed = absolute.read("public/atom.xml");
    assert!(
        feed.contains(
            "href=\"https://org.example/postmortems/incidents/2026-01-15-orders-db-pool/\""
        )
    );
    // 404.html is served at any depth: its links start from the base URL.
    let not_found = absolute.read("public/404.html");
    assert!(not_found.contains("href=\"https://org.example/postmortems/style.css\""));
    assert!(
        relative
            .read("public/404.html")
            .contains("href=\"/style.css\"")
    );
}

#[test]
fn feed_and_search_do_not_depend_on_today() {
    let a = built(&[]);
    let p = Project::from_fixture("site");
    p.pm(["build", "--today", "2027-06-01"]).output().code(0);
    let search = list_files(&a.root().join("public/search"))
        .into_iter()
        .map(|f| format!("search/{f}"));
    for file in ["atom.xml".to_owned(), "search-index.json".to_owned()]
        .into_iter()
        .chain(search)
    {
        assert_eq!(
            a.read(&format!("public/{file}")),
            p.read(&format!("public/{file}")),
            "{file} changed with --today"
        );
    }
}

#[test]
fn an_override_of_a_feed_template_is_used_not_copied() {
    let p = Project::from_fixture("site");
    p.file("site-template/atom.xml", "{% extends \"pm/atom.xml\" %}");
    p.pm(["build", "--today", TODAY]).output().code(0);
    assert!(p.read("public/atom.xml").contains("<feed"));
    assert!(!p.read("public/atom.xml").contains("extends"));
}

#[test]
fn without_javascript_the_list_is_whole_and_the_listing_pages_are_offered() {
    // What a browser without JavaScript shows is the page as written: the
    // form hidden, every row shown, the listing-page links unfolded.
    let p = built(&[]);
    let index = p.read("public/index.html");
    assert!(index.contains("<form class=\"list-filter\" id=\"incident-filter\""));
    let form = &index[index.find("<form").expect("form")..];
    let form = &form[..form.find('>').expect("form tag")];
    assert!(form.ends_with(" hidden"), "{form}");
    assert_eq!(
        index
            .matches("<th scope=\"row\"><a href=\"incidents/")
            .count(),
        5
    );
    assert!(!index.contains("<tr hidden"));
    assert!(index.contains("<details class=\"browse\" open>"));
    assert!(index.contains("href=\"services/orders-db-eu-92a7298e/index.html\""));
    assert!(index.contains("<script src=\"search.js\" defer></script>"));
}

#[test]
fn a_record_holding_the_rows_root_placeholder_keeps_its_text_and_its_links() {
    // An incident's row is rendered once with this text where the page's
    // root goes (render::lists), and each page puts its root there; a record
    // whose own text holds it gets its row rendered for each page instead.
    let mark = "pm-root-5f1c2a9e-";
    let p = Project::from_fixture("site");
    let path = "incidents/2026-03-10-queue-backlog.md";
    let record = p.read(path).replacen(
        "title = \"Webhook queue backlog after a traffic spike\"",
        &format!("title = \"Webhook queue {mark} after a traffic spike\""),
        1,
    );
    assert!(record.contains(mark));
    p.file(path, record);
    p.pm(["build", "--today", TODAY]).output().code(0);
    for (page, root) in [
        ("index.html", ""),
        ("services/webhooks/index.html", "../../"),
        ("severities/sev4/index.html", "../../"),
    ] {
        let html = p.read(&format!("public/{page}"));
        let want = format!(
            "<a href=\"{root}incidents/2026-03-10-queue-backlog/index.html\">Webhook queue {mark} after a traffic spike</a>"
        );
        assert!(html.contains(&want), "{page}: no `{want}`");
    }
}

/// A record of type `capacity` for the pagination tests: one symptom all of
/// them share and one of its own.
fn capacity_incident(n: usize) -> String {
    format!(
        r#"+++
title = "Queue backlog number {n}"
severity = "SEV4"
type = "capacity"
status = "resolved"
services = ["webhooks"]

[triage]
symptoms = ["Webhook deliveries lag", "Oddity{n} in queue{n}"]

[[timeline]]
at = 2025-06-{day:02}T10:00:00Z
text = "Alert fires"
step = "detected"

[[timeline]]
at = 2025-06-{day:02}T10:20:00Z
text = "Backlog drained"
step = "verify-resolution"
+++

## Summary

Backlog {n}.

## Impact

Some deliveries were late.

## Root cause

Too few workers.
"#,
        day = n % 28 + 1
    )
}

#[test]
fn a_playbook_page_stays_small_however_many_incidents_its_type_has() {
    let p = Project::from_fixture("site");
    for n in 0..30 {
        p.file(
            &format!("incidents/2025-06-{:02}-backlog-{n:02}.md", n % 28 + 1),
            capacity_incident(n),
        );
    }
    let config = p.read("pm.toml");
    p.file(
        "pm.toml",
        config.replacen("[site]\n", "[site]\npage_size = 5\n", 1),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let page = main_of(&p, "playbooks/capacity/index.html");
    // The newest page of incidents, and the way to the others.
    let section = &page[page.find("id=\"playbook-incidents\"").expect("incidents")..];
    assert_eq!(section.matches("class=\"incident-cell\"").count(), 5);
    assert!(section.contains("The 5 newest of 31."), "{section}");
    assert!(section.contains("href=\"../../types/capacity/page/2.html\""));
    assert!(p.exists("public/types/capacity/page/2.html"));
    assert!(p.exists("public/types/capacity/page/7.html"));
    assert!(!p.exists("public/types/capacity/page/8.html"));
    // What the incidents taught: the most frequent lessons, and a count of the rest.
    let symptoms = &page[page.find("id=\"playbook-symptoms\"").expect("symptoms")..];
    let symptoms = &symptoms[..symptoms.find("</section>").expect("end of section")];
    let list = &symptoms[symptoms.find("learned-list").expect("learned list")..];
    assert_eq!(list.matches("<li>").count(), 20, "{symptoms}");
    assert!(
        symptoms.contains("And 11 more, each seen less often"),
        "{symptoms}"
    );
    // The shared symptom comes first, naming ten of the incidents it was seen in.
    let shared = &list[list
        .find("Webhook deliveries lag")
        .expect("the shared symptom")..];
    let shared = &shared[..shared.find("</li>").expect("end of item")];
    assert!(shared.contains("seen in 30 incidents:"), "{shared}");
    assert_eq!(shared.matches("<a href=").count(), 10, "{shared}");
    assert!(shared.contains("and 20 more"), "{shared}");
}

#[test]
fn actions_index_js_holds_every_item_as_plain_text_in_the_trackers_order() {
    let p = Project::from_fixture("site");
    let record = p.read("incidents/2026-03-10-queue-backlog.md");
    p.file(
        "incidents/2026-03-10-queue-backlog.md",
        record.replace(
            "text = \"Autoscale the webhook workers on queue depth\"",
            "text = \"Autoscale **the webhook** workers on `queue depth` <b>now</b>\"",
        ),
    );
    p.pm(["build", "--today", TODAY]).output().code(0);
    let js = p.read("public/actions-index.js");
    let body = js
        .strip_prefix("window.PM_ACTIONS = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("window.PM_ACTIONS = <json>;");
    for c in ['<', '>', '&'] {
        assert!(!body.contains(c), "{c:?} left in actions-index.js");
    }
    let index: serde_json::Value = serde_json::from_str(body).expect("JSON in the script");
    let items = index["items"].as_array().expect("items");
    let csv = p.read("public/actions.csv");
    assert_eq!(items.len(), csv.lines().count() - 1, "one entry per item");
    let texts: Vec<&str> = items.iter().filter_map(|i| i[2].as_str()).collect();
    assert!(
        texts.contains(&"Autoscale the webhook workers on queue depth now"),
        "Markdown made plain, as in the search index: {texts:?}"
    );
    assert!(texts.contains(&"Check pool sizes in CI, \"before\" deploys"));
    assert!(texts.contains(&"-1 point: lint banner texts for markup"));
    // Open items first, as on the tracker's pages.
    let open = index["open"].as_u64().expect("open count");
    let states: Vec<&str> = items.iter().filter_map(|i| i[6].as_str()).collect();
    let first_closed = states
        .iter()
        .position(|s| *s == "closed")
        .unwrap_or(states.len());
    assert_eq!(first_closed as u64, open);
    assert!(states[..first_closed].iter().all(|s| *s != "closed"));
    assert!(states[first_closed..].iter().all(|s| *s == "closed"));
}

/// Every rule of the built-in stylesheet is closed. A browser recovers from
/// an unclosed rule silently, by swallowing the rules that follow it into
/// it, so a lost `}` (say, in a merge) unstyles a part of the site that no
/// other test looks at.
#[test]
fn every_rule_of_the_stylesheet_is_closed() {
    let css = std::fs::read_to_string(crate::support::repo_root().join("site-template/style.css"))
        .expect("read style.css");
    let mut depth = 0usize;
    let mut line = 1;
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek() == Some(&'*') => {
                // Skip the comment, counting its lines.
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '{' => depth += 1,
            '}' => {
                assert!(depth > 0, "style.css:{line}: `}}` closes no rule");
                depth -= 1;
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "style.css: {depth} rule(s) never closed");
}
