//! The site's URL scheme, in one place: every page, feed, sitemap, search
//! index and script takes its paths and links from here, and no other file
//! of `render/` formats a site path.
//!
//! Paths are site-root-relative (`incidents/<id>/index.html`). A page links
//! to another by putting [`root_of`] its own path in front of the other's.
//! A folder's page is `<folder>/index.html`, and its canonical address is the
//! folder itself ([`absolute`] drops the `index.html`).
//!
//! Page 1 of a list keeps its URL (`index.html`, `severities/sev2/index.html`,
//! `actions/index.html`); page `n` is `page/<n>.html` in the same folder
//! (`page/2.html`, `severities/sev2/page/2.html`): one new folder per list
//! and one file per page, and page 1 is the canonical address of the list.
//!
//! This file names no other file of `render/`: it is the bottom of the
//! module's order. Paths are joined with `concat` and numbers written with
//! `itoa`, not `format!`, which interprets its pattern on every call: a
//! build asks for some of these paths for every action of every record
//! (the tracker's `action_on_page` was 1 % of a build, session 15).

use crate::config::LeaveOut;

/// The index, page 1.
pub const INDEX: &str = "index.html";
/// The action tracker, page 1.
pub const ACTIONS: &str = "actions/index.html";
/// The page served for any missing path.
pub const NOT_FOUND: &str = "404.html";
/// Every incident as JSON.
pub const INCIDENTS_JSON: &str = "incidents.json";
/// Every action item as CSV.
pub const ACTIONS_CSV: &str = "actions.csv";
/// The Atom feed.
pub const ATOM: &str = "atom.xml";
/// The sitemap (only with an absolute `base_url`).
pub const SITEMAP: &str = "sitemap.xml";
/// The search index as JSON.
pub const SEARCH_JSON: &str = "search-index.json";
/// The folder of the browser's search index: a manifest and the shards a
/// query loads (`search/terms/3.js`), see [`search_file`].
pub const SEARCH_DIR: &str = "search";
/// The browser's search index's manifest, [`search_file`] of `index`.
pub const SEARCH_JS: &str = "search/index.js";
/// The script that searches the browser's index, loaded on the first search.
pub const SEARCH_ENGINE_JS: &str = "search-engine.js";
/// The tracker's index as a script.
pub const ACTIONS_JS: &str = "actions-index.js";
/// The folder of the prompts the pages offer, see [`prompt`].
pub const PROMPTS: &str = "prompts";

/// The folders of the listing pages, one per facet of the incidents
/// (`severities/<slug>/index.html`).
pub const SEVERITIES: &str = "severities";
/// See [`SEVERITIES`].
pub const TYPES: &str = "types";
/// See [`SEVERITIES`].
pub const SERVICES: &str = "services";
/// See [`SEVERITIES`].
pub const STATUSES: &str = "statuses";
/// See [`SEVERITIES`].
pub const YEARS: &str = "years";
/// The folders of the tracker's pages per owner and per kind, under
/// `actions/` (`actions/owners/<slug>/index.html`).
pub const OWNERS: &str = "owners";
/// See [`OWNERS`].
pub const KINDS: &str = "kinds";

/// The site's fixed files, as templates link them: `{{ root }}{{ files.index }}`.
/// A file the site leaves out (`[site] leave_out`) is `None`, which a
/// template tests (`{% if files.incidents_json %}`) before linking it.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Files {
    /// [`INDEX`].
    pub index: &'static str,
    /// [`ACTIONS`].
    pub actions: &'static str,
    /// [`INCIDENTS_JSON`], unless the site leaves it out.
    pub incidents_json: Option<&'static str>,
    /// [`ACTIONS_CSV`], unless the site leaves it out.
    pub actions_csv: Option<&'static str>,
    /// [`ATOM`].
    pub atom: &'static str,
    /// [`SEARCH_JS`].
    pub search_index_js: &'static str,
    /// [`SEARCH_ENGINE_JS`].
    pub search_engine_js: &'static str,
    /// [`ACTIONS_JS`].
    pub actions_index_js: &'static str,
}

/// The site's fixed files, for every page's context, but those
/// `leave_out` names.
pub fn files(leave_out: &LeaveOut) -> Files {
    Files {
        index: INDEX,
        actions: ACTIONS,
        incidents_json: (!leave_out.incidents_json).then_some(INCIDENTS_JSON),
        actions_csv: (!leave_out.actions_csv).then_some(ACTIONS_CSV),
        atom: ATOM,
        search_index_js: SEARCH_JS,
        search_engine_js: SEARCH_ENGINE_JS,
        actions_index_js: ACTIONS_JS,
    }
}

/// An incident's page.
pub fn incident(id: &str) -> String {
    ["incidents/", id, "/index.html"].concat()
}

/// A file of the browser's search index: `search/<name>.js`, where `name`
/// is the name it registers under (`index`, `terms/3`, `docs/12`,
/// `filters/severity/sev2`). `search-engine.js` finds a shard the same way,
/// beside the manifest.
pub fn search_file(name: &str) -> String {
    [SEARCH_DIR, "/", name, ".js"].concat()
}

/// A prompt a page offers, published as plain text beside the site's pages
/// rather than in them: `prompts/<kind>/<name>.txt` (`kind` is
/// `postmortem` for an incident id, `playbook` for an incident type). Its
/// own folder, so no bundle attachment can take its name.
pub fn prompt(kind: &str, name: &str) -> String {
    [PROMPTS, "/", kind, "/", name, ".txt"].concat()
}

/// A file attached to an incident, published beside its page.
pub fn attachment(incident_id: &str, name: &str) -> String {
    ["incidents/", incident_id, "/", name].concat()
}

/// A playbook's page (curated or generated) for an incident type.
pub fn playbook(kind: &str) -> String {
    ["playbooks/", kind, "/index.html"].concat()
}

/// Page 1 of a listing: the incidents with one value of a facet, whose
/// folder is `dir` (`severities`, `services`…).
pub fn listing(dir: &str, slug: &str) -> String {
    [dir, "/", slug, "/index.html"].concat()
}

/// Page 1 of the tracker for one owner or kind, whose folder is `dir`
/// (`owners`, `kinds`).
pub fn tracker_page(dir: &str, slug: &str) -> String {
    ["actions/", dir, "/", slug, "/index.html"].concat()
}

/// The stable anchor of an action item: its incident's id and its 1-based
/// position in the record (`action-2026-11-03-checkout-latency-2`).
/// Reordering a record's `[[actions]]` changes it; nothing else does.
pub fn action_anchor(incident_id: &str, index: usize) -> String {
    [
        "action-",
        incident_id,
        "-",
        itoa::Buffer::new().format(index.saturating_add(1)),
    ]
    .concat()
}

/// An action item on the tracker (`index` is its 0-based position in the
/// record).
pub fn action(incident_id: &str, index: usize) -> String {
    [ACTIONS, "#", &action_anchor(incident_id, index)].concat()
}

/// An action item's row, whose anchor is `anchor` ([`action_anchor`]), on
/// the page of the whole tracker that holds it (`page` is 1-based):
/// `actions/page/3.html#action-<id>-2`. Unlike [`action`], which page 1 of
/// the tracker takes to the right page with JavaScript, this address
/// reaches the row without it.
pub fn action_on_page(anchor: &str, page_number: usize) -> String {
    let mut out = page(ACTIONS, page_number);
    out.push('#');
    out.push_str(anchor);
    out
}

/// The anchor of the event at timeline index `index` (file order, stable):
/// `event-3`. The event table and the drawing both use it.
pub fn event_anchor(index: usize) -> String {
    [
        "event-",
        itoa::Buffer::new().format(index.saturating_add(1)),
    ]
    .concat()
}

/// Page `number` (1-based) of a list whose first page is `first`
/// (`severities/sev2/index.html`).
pub fn page(first: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_owned();
    }
    numbered_page(first, itoa::Buffer::new().format(number))
}

/// Page `number` of a list whose first page is `first`, for any page after
/// the first (or a `{n}` slot).
fn numbered_page(first: &str, number: &str) -> String {
    match first.rsplit_once('/') {
        Some((dir, _)) => [dir, "/page/", number, ".html"].concat(),
        None => ["page/", number, ".html"].concat(),
    }
}

/// The paths `search.js` links to, as patterns with named slots (`{dir}`,
/// `{slug}`, `{n}`), carried in the search and tracker indexes so the
/// script fills them in and spells no path of its own.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScriptPaths {
    /// A listing page: `{dir}` is the facet's folder, `{slug}` the value's.
    pub listing: String,
    /// The tracker's first page.
    pub tracker: String,
    /// Tracker page `{n}`, from the second on.
    pub tracker_page: String,
    /// The tracker of one kind of action item.
    pub tracker_kind: String,
    /// The tracker of one owner.
    pub tracker_owner: String,
}

/// The [`ScriptPaths`] of this URL scheme.
pub fn script_paths() -> ScriptPaths {
    ScriptPaths {
        listing: listing("{dir}", "{slug}"),
        tracker: ACTIONS.to_owned(),
        tracker_page: numbered_page(ACTIONS, "{n}"),
        tracker_kind: tracker_page(KINDS, "{slug}"),
        tracker_owner: tracker_page(OWNERS, "{slug}"),
    }
}

/// The prefix from a page at `path` back to the site root: one `../` per
/// folder (`""` for `index.html`, `../../` for an incident's page).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.bytes().filter(|b| *b == b'/').count())
}

/// The site's own absolute URL: `base_url` when it is an absolute http(s)
/// URL, which canonical links, the feed and the sitemap need.
pub fn absolute_base(base_url: &str) -> Option<&str> {
    (base_url.starts_with("https://") || base_url.starts_with("http://")).then_some(base_url)
}

/// The absolute URL of the page at `path` under an absolute base (see
/// [`absolute_base`]): a folder's `index.html` is the folder.
pub fn absolute(base: &str, path: &str) -> String {
    [base, path.trim_end_matches("index.html")].concat()
}

/// Whether a site path is a page a reader or a crawler visits (not a feed,
/// an index, a script or the error page).
pub fn is_listed_page(path: &str) -> bool {
    path.ends_with(".html") && path != NOT_FOUND
}

/// Appends the `href` of a link a record gives: an absolute URL as it is, a
/// site path after `root` (the page's way back to the site's root), both
/// escaped for HTML.
pub fn href_into(out: &mut String, root: &str, url: &str) {
    if !url.contains("://") {
        crate::markdown::escape_html_into(out, root);
    }
    crate::markdown::escape_html_into(out, url);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fills `{name}` slots the way `search.js`'s `fill` does.
    fn fill(pattern: &str, slots: &[(&str, &str)]) -> String {
        slots.iter().fold(pattern.to_owned(), |p, (name, value)| {
            p.replace(&format!("{{{name}}}"), value)
        })
    }

    /// The joined paths read as the `format!` patterns they replace.
    #[test]
    fn joined_paths_match_their_patterns() {
        assert_eq!(incident("a"), "incidents/a/index.html");
        assert_eq!(search_file("terms/3"), "search/terms/3.js");
        assert_eq!(prompt("playbook", "db"), "prompts/playbook/db.txt");
        assert_eq!(attachment("a", "x.png"), "incidents/a/x.png");
        assert_eq!(playbook("db"), "playbooks/db/index.html");
        assert_eq!(listing("services", "api"), "services/api/index.html");
        assert_eq!(
            tracker_page("owners", "ann"),
            "actions/owners/ann/index.html"
        );
        assert_eq!(action_anchor("a", 0), "action-a-1");
        assert_eq!(action("a", 9), "actions/index.html#action-a-10");
        // Page 1's address: `absolute_urls_drop_index_html` below.
        assert_eq!(
            action_on_page(&action_anchor("a", 1), 12),
            "actions/page/12.html#action-a-2"
        );
        assert_eq!(event_anchor(99), "event-100");
        assert_eq!(page("index.html", 3), "page/3.html");
        assert_eq!(absolute("https://x/", "a/index.html"), "https://x/a/");
    }

    #[test]
    fn leave_out_names_the_files_as_the_site_does() {
        assert_eq!(
            LeaveOut::NAMES,
            [PROMPTS, INCIDENTS_JSON, ACTIONS_CSV, SEARCH_JSON]
        );
        assert!(prompt("postmortem", "a").starts_with(&format!("{PROMPTS}/")));
        let all = files(&LeaveOut::default());
        assert_eq!(
            (all.incidents_json, all.actions_csv),
            (Some(INCIDENTS_JSON), Some(ACTIONS_CSV))
        );
        let none = files(&LeaveOut {
            incidents_json: true,
            actions_csv: true,
            ..LeaveOut::default()
        });
        assert_eq!((none.incidents_json, none.actions_csv), (None, None));
    }

    #[test]
    fn the_search_manifest_is_a_search_file() {
        assert_eq!(search_file("index"), SEARCH_JS);
        assert_eq!(search_file("terms/3"), "search/terms/3.js");
    }

    #[test]
    fn the_script_patterns_fill_in_to_the_paths_pm_writes() {
        let p = script_paths();
        assert_eq!(
            fill(&p.listing, &[("dir", "severities"), ("slug", "sev2")]),
            listing("severities", "sev2")
        );
        assert_eq!(p.tracker, page(ACTIONS, 1));
        assert_eq!(fill(&p.tracker_page, &[("n", "3")]), page(ACTIONS, 3));
        assert_eq!(
            fill(&p.tracker_kind, &[("slug", "prevention")]),
            tracker_page(KINDS, "prevention")
        );
        assert_eq!(
            fill(&p.tracker_owner, &[("slug", "lena")]),
            tracker_page(OWNERS, "lena")
        );
    }

    #[test]
    fn page_urls_keep_page_one_and_put_the_rest_in_a_page_folder() {
        assert_eq!(page("index.html", 1), "index.html");
        assert_eq!(page("index.html", 2), "page/2.html");
        assert_eq!(
            page("severities/sev2/index.html", 12),
            "severities/sev2/page/12.html"
        );
    }

    #[test]
    fn the_root_is_one_step_up_per_folder() {
        assert_eq!(root_of(INDEX), "");
        assert_eq!(root_of(&page(INDEX, 2)), "../");
        assert_eq!(root_of(ACTIONS), "../");
        assert_eq!(root_of(&incident("a")), "../../");
        assert_eq!(root_of(&listing("severities", "sev2")), "../../");
        assert_eq!(
            root_of(&page(&listing("severities", "sev2"), 3)),
            "../../../"
        );
        assert_eq!(root_of(&tracker_page("owners", "ann")), "../../../");
    }

    #[test]
    fn absolute_urls_drop_index_html() {
        assert_eq!(absolute_base("/"), None);
        assert_eq!(absolute_base("https://x/"), Some("https://x/"));
        assert_eq!(
            absolute("https://x/", &incident("a")),
            "https://x/incidents/a/"
        );
        assert_eq!(action("a", 1), "actions/index.html#action-a-2");
        assert_eq!(
            action_on_page(&action_anchor("a", 1), 1),
            "actions/index.html#action-a-2"
        );
        assert_eq!(
            action_on_page(&action_anchor("a", 0), 3),
            "actions/page/3.html#action-a-1"
        );
    }
}
