//! The site's lists, worked out once per build, and how they are cut into
//! pages.
//!
//! Every page that lists part of the corpus (the index, the listing pages,
//! the action tracker and its owner and kind pages, a playbook's incidents)
//! shows at most `[site] page_size` rows, so no page grows with the
//! repository; the complete data stays in `incidents.json`, `actions.csv`
//! and the search indexes, which `search.js` filters in the browser.
//!
//! [`Lists`] holds what those pages share: the incidents newest first
//! (sorted once), the members of each facet value, the tracker's order, and
//! figures (summaries, trends, the search index) computed on first use.
//! [`Renderer::pages`] makes it once and hands it to each page job in an
//! `Arc`, so rendering a thousand list pages sorts nothing a thousand times.
//!
//! Page 1 of a list keeps its URL (`index.html`, `severities/sev2/index.html`,
//! `actions/index.html`); page `n` is `page/<n>.html` in the same folder
//! (`page/2.html`, `severities/sev2/page/2.html`): one new folder per list
//! and one file per page, and page 1 is the canonical address of the list.
//! Nothing here reads or writes files.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::listing::{Facet, FacetView, Facets, ListRow, listing_url};
use super::shared::Shared;
use super::tracker::{ActionFacet, Tracker, tracker_page_url};
use super::trends::Trends;
use super::view::{PlaybookLink, SummaryView, ViewCx};
use super::{Page, Renderer, feeds, search, trends, view};
use crate::error::{Error, Result};
use crate::model::Incident;

/// The site-root-relative URL of page `number` (1-based) of a list whose
/// first page is `first` (`severities/sev2/index.html`).
pub fn page_url(first: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_owned();
    }
    match first.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/page/{number}.html"),
        None => format!("page/{number}.html"),
    }
}

/// The prefix from page `number` of a list to the site root, given the
/// prefix from its first page: pages after the first sit one folder deeper.
pub fn page_root(first_root: &str, number: usize) -> String {
    if number <= 1 {
        first_root.to_owned()
    } else {
        format!("{first_root}../")
    }
}

/// How many pages `total` rows take, at least one.
pub fn page_count(total: usize, size: usize) -> usize {
    total.div_ceil(size.max(1)).max(1)
}

/// Where a page stands in its list, for the pagination links.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    /// This page, 1-based.
    pub number: usize,
    /// How many pages the list has (at least 1).
    pub count: usize,
    /// Rows in the whole list.
    pub total: usize,
    /// Rows per page.
    pub size: usize,
    /// 1-based positions of the first and last row on this page (0 and 0
    /// for an empty list).
    pub first: usize,
    /// See `first`.
    pub last: usize,
    /// This page, site-root-relative.
    pub url: String,
    /// Page 1, site-root-relative.
    pub first_url: String,
    /// The previous page, none on page 1.
    pub prev_url: Option<String>,
    /// The next page, none on the last.
    pub next_url: Option<String>,
    /// Page numbers to link: the first, the last, and two either side of
    /// this one, with a gap entry (`number` none) where pages are skipped.
    pub links: Vec<PageLink>,
}

/// One entry of the page-number links.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page, or none for a gap (`…`).
    pub number: Option<usize>,
    /// Its URL, site-root-relative; none for a gap.
    pub url: Option<String>,
    /// Whether it is the page being shown.
    pub current: bool,
}

impl PagerView {
    /// Page `number` of a list of `total` rows whose first page is `first`.
    pub fn new(first: &str, number: usize, total: usize, size: usize) -> PagerView {
        let size = size.max(1);
        let count = page_count(total, size);
        let number = number.clamp(1, count);
        let mut shown: Vec<usize> = vec![1, count];
        shown.extend(number.saturating_sub(2).max(1)..=(number + 2).min(count));
        shown.sort_unstable();
        shown.dedup();
        let mut links = Vec::with_capacity(shown.len() + 2);
        let mut previous = 0;
        for n in shown {
            if n > previous + 2 {
                links.push(PageLink {
                    number: None,
                    url: None,
                    current: false,
                });
            } else if n == previous + 2 {
                // One page skipped: its number takes no more room than `…`.
                links.push(PageLink {
                    number: Some(n - 1),
                    url: Some(page_url(first, n - 1)),
                    current: false,
                });
            }
            links.push(PageLink {
                number: Some(n),
                url: Some(page_url(first, n)),
                current: n == number,
            });
            previous = n;
        }
        PagerView {
            number,
            count,
            total,
            size,
            first: if total == 0 {
                0
            } else {
                (number - 1) * size + 1
            },
            last: (number * size).min(total),
            url: page_url(first, number),
            first_url: first.to_owned(),
            prev_url: (number > 1).then(|| page_url(first, number - 1)),
            next_url: (number < count).then(|| page_url(first, number + 1)),
            links,
        }
    }

    /// The range of rows this page shows, 0-based.
    fn range(&self) -> std::ops::Range<usize> {
        self.first.saturating_sub(1)..self.last
    }
}

/// The index's facets, and its map from severity to listing URL.
type IndexFacets = (Shared<Vec<FacetView>>, Shared<BTreeMap<String, String>>);

/// What every list page of one build shares. See the module documentation.
pub struct Lists {
    /// Rows per page.
    pub page_size: usize,
    /// Incident ids, newest first (by start, then id, both descending).
    order: Vec<String>,
    /// Each incident's list row, by position in `order`, made the first
    /// time a page lists it: the index and its listing pages share it.
    rows: Vec<OnceLock<Shared<ListRow>>>,
    facets: Facets,
    tracker: Tracker,
    summary: OnceLock<Shared<SummaryView>>,
    listing_summaries: BTreeMap<(Facet, String), OnceLock<SummaryView>>,
    trends: OnceLock<Shared<Trends>>,
    facet_views: OnceLock<IndexFacets>,
    playbooks: OnceLock<Shared<Vec<PlaybookLink>>>,
    search: OnceLock<std::result::Result<String, String>>,
}

impl std::fmt::Debug for Lists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lists")
            .field("page_size", &self.page_size)
            .field("incidents", &self.order.len())
            .field("actions", &self.tracker.len())
            .finish_non_exhaustive()
    }
}

impl Lists {
    /// Sorts the site's incidents and action items once, and groups them.
    pub fn new(cx: &ViewCx<'_>) -> Lists {
        let mut dated: Vec<(Option<jiff::Timestamp>, &Incident)> = cx
            .corpus
            .incidents
            .values()
            .map(|i| (cx.analyses.incidents.get(&i.id).and_then(|a| a.start), i))
            .collect();
        dated.sort_by(|(sa, a), (sb, b)| sb.cmp(sa).then_with(|| b.id.cmp(&a.id)));
        let incidents: Vec<&Incident> = dated.into_iter().map(|(_, i)| i).collect();
        let facets = Facets::of(cx, &incidents);
        let listing_summaries = facets
            .listings()
            .map(|(f, s, _)| ((f, s.to_owned()), OnceLock::new()))
            .collect();
        Lists {
            page_size: cx.config.page_size.max(1),
            tracker: Tracker::new(cx, &incidents),
            order: incidents.iter().map(|i| i.id.clone()).collect(),
            rows: incidents.iter().map(|_| OnceLock::new()).collect(),
            facets,
            summary: OnceLock::new(),
            listing_summaries,
            trends: OnceLock::new(),
            facet_views: OnceLock::new(),
            playbooks: OnceLock::new(),
            search: OnceLock::new(),
        }
    }

    /// Every incident of the site, newest first.
    pub fn newest_first<'a>(&self, cx: &ViewCx<'a>) -> impl Iterator<Item = &'a Incident> {
        let incidents = &cx.corpus.incidents;
        self.order.iter().filter_map(move |id| incidents.get(id))
    }

    /// The incidents at these positions of the newest-first order.
    fn at<'a>(&self, cx: &ViewCx<'a>, positions: &[u32]) -> Vec<&'a Incident> {
        positions
            .iter()
            .filter_map(|p| self.order.get(*p as usize))
            .filter_map(|id| cx.corpus.incidents.get(id))
            .collect()
    }

    /// The list rows of the incidents at these positions of the
    /// newest-first order.
    fn rows<'s>(
        &'s self,
        cx: &ViewCx<'_>,
        positions: impl Iterator<Item = usize>,
    ) -> Vec<&'s Shared<ListRow>> {
        positions
            .filter_map(|pos| {
                let cell = self.rows.get(pos)?;
                if let Some(row) = cell.get() {
                    return Some(row);
                }
                let incident = cx.corpus.incidents.get(self.order.get(pos)?)?;
                Some(cell.get_or_init(|| Shared::new(&self.facets.row(cx, incident))))
            })
            .collect()
    }

    /// The facets of the site's incidents.
    pub fn facets(&self) -> &Facets {
        &self.facets
    }

    /// The action items, in the tracker's order.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The serialised search index, made once for both of its files.
    fn search_index(&self, cx: &ViewCx<'_>) -> Result<&str> {
        self.search
            .get_or_init(|| search::serialize(cx, self))
            .as_deref()
            .map_err(|message| Error::Serialize {
                what: "search-index.json",
                message: message.clone(),
            })
    }

    fn index_summary(&self, cx: &ViewCx<'_>) -> &Shared<SummaryView> {
        self.summary.get_or_init(|| Shared::new(&cx.summary_view()))
    }

    fn listing_summary(&self, cx: &ViewCx<'_>, facet: Facet, slug: &str) -> Option<&SummaryView> {
        let cell = self.listing_summaries.get(&(facet, slug.to_owned()))?;
        Some(cell.get_or_init(|| {
            let members = self.facets.members(facet, slug).unwrap_or_default();
            cx.summary_of(&self.at(cx, members))
        }))
    }

    fn facet_views(&self, cx: &ViewCx<'_>) -> &IndexFacets {
        self.facet_views.get_or_init(|| {
            let views = self.facets.views(cx);
            let severity_pages: BTreeMap<String, String> = views
                .iter()
                .filter(|f| f.key == Facet::Severity.key())
                .flat_map(|f| f.options.iter())
                .map(|o| (o.label.clone(), o.url.clone()))
                .collect();
            (Shared::new(&views), Shared::new(&severity_pages))
        })
    }
}

/// A file made from the build's shared [`Lists`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListsPage {
    /// Page `n` of the index.
    Index(usize),
    /// Page `n` of a listing (`<facet dir>/<slug>/`).
    Listing(Facet, String, usize),
    /// Page `n` of the tracker, whole or for one owner or kind.
    Tracker(Option<(ActionFacet, String)>, usize),
    /// A playbook page (its newest incidents; the rest are on the type's
    /// listing pages).
    Playbook(String),
    /// `search-index.json`.
    SearchJson,
    /// `search-index.js`.
    SearchJs,
    /// `actions-index.js`.
    ActionsJs,
    /// `atom.xml`.
    Atom,
    /// `sitemap.xml`.
    Sitemap,
}

/// One job that draws on the shared [`Lists`].
#[derive(Debug, Clone)]
pub struct ListsJob {
    /// What to make.
    pub what: ListsPage,
    /// The lists of this build.
    pub lists: Arc<Lists>,
}

impl PartialEq for ListsJob {
    fn eq(&self, other: &Self) -> bool {
        self.what == other.what
    }
}

impl Eq for ListsJob {}

impl Renderer<'_> {
    /// Every file made from `lists`, with its path: the pages of every list,
    /// the playbook pages, the search indexes, the feed and the sitemap.
    pub(super) fn list_pages(&self, lists: &Arc<Lists>) -> Vec<(String, Page)> {
        let job = |what: ListsPage| {
            Page::FromLists(ListsJob {
                what,
                lists: Arc::clone(lists),
            })
        };
        let size = lists.page_size;
        let mut pages = Vec::new();
        for n in 1..=page_count(lists.order.len(), size) {
            pages.push((page_url("index.html", n), job(ListsPage::Index(n))));
        }
        for n in 1..=page_count(lists.tracker.len(), size) {
            pages.push((
                page_url("actions/index.html", n),
                job(ListsPage::Tracker(None, n)),
            ));
        }
        pages.push(("atom.xml".to_owned(), job(ListsPage::Atom)));
        pages.push(("search-index.json".to_owned(), job(ListsPage::SearchJson)));
        pages.push(("search-index.js".to_owned(), job(ListsPage::SearchJs)));
        pages.push(("actions-index.js".to_owned(), job(ListsPage::ActionsJs)));
        for (facet, slug, count) in lists.facets.listings() {
            let first = listing_url(facet.dir(), slug);
            for n in 1..=page_count(count, size) {
                pages.push((
                    page_url(&first, n),
                    job(ListsPage::Listing(facet, slug.to_owned(), n)),
                ));
            }
        }
        for (facet, slug, count) in lists.tracker.filters() {
            let first = tracker_page_url(facet, slug);
            for n in 1..=page_count(count, size) {
                pages.push((
                    page_url(&first, n),
                    job(ListsPage::Tracker(Some((facet, slug.to_owned())), n)),
                ));
            }
        }
        pages
    }

    /// The playbook pages, after the incident pages in the site's order.
    pub(super) fn playbook_pages(&self, lists: &Arc<Lists>) -> Vec<(String, Page)> {
        self.cx
            .playbook_links()
            .into_iter()
            .map(|link| {
                (
                    link.url,
                    Page::FromLists(ListsJob {
                        what: ListsPage::Playbook(link.kind),
                        lists: Arc::clone(lists),
                    }),
                )
            })
            .collect()
    }

    /// Renders one file made from the shared lists.
    pub(super) fn render_lists(&self, job: &ListsJob) -> Result<Vec<u8>> {
        let cx = &self.cx;
        let lists = &*job.lists;
        let today = cx.today.to_string();
        match &job.what {
            ListsPage::Index(n) => {
                let pager = PagerView::new("index.html", *n, lists.order.len(), lists.page_size);
                let title = titled("Incidents", &pager);
                let root = page_root("", pager.number);
                let mut c = self.context(&root, &pager.url, &title, "index")?;
                let rows = lists.rows(cx, pager.range());
                let (facets, severity_pages) = lists.facet_views(cx);
                c.insert("summary", lists.index_summary(cx));
                // A row holds every field of the incident's summary.
                c.insert("incidents", &rows);
                c.insert("rows", &rows);
                c.insert("severity_pages", severity_pages);
                c.insert("facets", facets);
                c.insert(
                    "trends",
                    lists
                        .trends
                        .get_or_init(|| Shared::new(&trends::trends(cx))),
                );
                c.insert(
                    "playbooks",
                    lists
                        .playbooks
                        .get_or_init(|| Shared::new(&cx.playbook_links())),
                );
                c.insert("today", &today);
                c.insert("pager", &pager);
                self.templates.render("index.html", &c)
            }
            ListsPage::Listing(facet, slug, n) => {
                let members = lists
                    .facets
                    .members(*facet, slug)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{slug}`")))?;
                let first = listing_url(facet.dir(), slug);
                let pager = PagerView::new(&first, *n, members.len(), lists.page_size);
                let rows = lists.rows(cx, members[pager.range()].iter().map(|p| *p as usize));
                let summary = lists
                    .listing_summary(cx, *facet, slug)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{slug}`")))?;
                let view = lists
                    .facets
                    .listing(cx, *facet, slug, summary, rows)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{slug}`")))?;
                let title = titled(&view.title, &pager);
                let root = page_root("../../", pager.number);
                let mut c = self.context(&root, &pager.url, &title, "listing")?;
                c.insert("listing", &view);
                c.insert("rows", &view.rows);
                c.insert("today", &today);
                c.insert("pager", &pager);
                self.templates.render("listing.html", &c)
            }
            ListsPage::Tracker(filter, n) => {
                let filter = filter.as_ref().map(|(f, s)| (*f, s.as_str()));
                let tracker = lists
                    .tracker
                    .view(cx, &lists.order, filter, lists.page_size, *n)
                    .ok_or_else(|| Error::Template("no such action items".to_owned()))?;
                let (first, first_root, title, nav) = match (filter, &tracker.filter) {
                    (Some((facet, slug)), Some(f)) => (
                        tracker_page_url(facet, slug),
                        "../../../",
                        format!("Action items: {}", f.value),
                        "tracker",
                    ),
                    _ => (
                        "actions/index.html".to_owned(),
                        "../",
                        "Action items".to_owned(),
                        "actions",
                    ),
                };
                let total = tracker.open_count + tracker.closed_count;
                let pager = PagerView::new(&first, *n, total, lists.page_size);
                let root = page_root(first_root, pager.number);
                let mut c = self.context(&root, &pager.url, &titled(&title, &pager), nav)?;
                c.insert("actions", &tracker);
                c.insert("today", &today);
                c.insert("pager", &pager);
                self.templates.render("actions.html", &c)
            }
            ListsPage::Playbook(kind) => {
                let of_type: Vec<&Incident> = match lists.facets.slug(Facet::Type, kind) {
                    Some(slug) => lists.at(
                        cx,
                        lists.facets.members(Facet::Type, slug).unwrap_or_default(),
                    ),
                    None => Vec::new(),
                };
                let listing = lists
                    .facets
                    .slug(Facet::Type, kind)
                    .map(|slug| listing_url(Facet::Type.dir(), slug));
                let view = cx.playbook(
                    kind,
                    cx.corpus.playbooks.get(kind),
                    &of_type,
                    lists.page_size,
                    listing,
                );
                let mut c =
                    self.context("../../", &view::playbook_url(kind), &view.title, "playbook")?;
                c.insert("playbook", &view);
                self.templates.render("playbook.html", &c)
            }
            ListsPage::SearchJson => {
                let mut out = lists.search_index(cx)?.to_owned();
                out.push('\n');
                Ok(out.into_bytes())
            }
            ListsPage::SearchJs => Ok(search::script(lists.search_index(cx)?)),
            ListsPage::ActionsJs => Ok(lists.tracker.script(cx, &lists.order, lists.page_size)),
            ListsPage::Atom => {
                let mut c = self.context("", "atom.xml", "Feed", "feed")?;
                c.insert("feed", &feeds::feed(cx, lists.newest_first(cx)));
                self.templates.render("atom.xml", &c)
            }
            ListsPage::Sitemap => {
                let paths: Vec<String> = self
                    .pages_with(&job.lists)
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                let urls = feeds::sitemap(cx, &paths).unwrap_or_default();
                let mut c = self.context("", "sitemap.xml", "Sitemap", "sitemap")?;
                c.insert("urls", &urls);
                self.templates.render("sitemap.xml", &c)
            }
        }
    }
}

/// A page title, with the page number after the first page.
fn titled(title: &str, pager: &PagerView) -> String {
    if pager.number > 1 {
        format!("{title} (page {} of {})", pager.number, pager.count)
    } else {
        title.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_keep_page_one_and_put_the_rest_in_a_page_folder() {
        assert_eq!(page_url("index.html", 1), "index.html");
        assert_eq!(page_url("index.html", 2), "page/2.html");
        assert_eq!(
            page_url("severities/sev2/index.html", 12),
            "severities/sev2/page/12.html"
        );
        assert_eq!(page_root("../../", 1), "../../");
        assert_eq!(page_root("../../", 3), "../../../");
        assert_eq!(page_root("", 2), "../");
    }

    #[test]
    fn page_counts_round_up_and_an_empty_list_has_one_page() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(7, 0), 7);
    }

    fn numbers(p: &PagerView) -> String {
        p.links
            .iter()
            .map(|l| match (l.number, l.current) {
                (None, _) => "…".to_owned(),
                (Some(n), true) => format!("[{n}]"),
                (Some(n), false) => n.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_pager_links_both_ends_and_the_neighbourhood() {
        let p = PagerView::new("index.html", 1, 1000, 50);
        assert_eq!(numbers(&p), "[1] 2 3 … 20");
        assert_eq!((p.first, p.last, p.count), (1, 50, 20));
        assert_eq!(p.prev_url, None);
        assert_eq!(p.next_url.as_deref(), Some("page/2.html"));
        let p = PagerView::new("index.html", 10, 1000, 50);
        assert_eq!(numbers(&p), "1 … 8 9 [10] 11 12 … 20");
        assert_eq!(p.prev_url.as_deref(), Some("page/9.html"));
        let p = PagerView::new("index.html", 4, 1000, 50);
        assert_eq!(
            numbers(&p),
            "1 2 3 [4] 5 6 … 20",
            "one skipped page is shown"
        );
        let p = PagerView::new("index.html", 20, 999, 50);
        assert_eq!((p.first, p.last), (951, 999));
        assert_eq!(p.next_url, None);
        let p = PagerView::new("index.html", 1, 0, 50);
        assert_eq!((p.first, p.last, p.count), (0, 0, 1));
        assert_eq!(numbers(&p), "[1]");
        // A page past the end is the last page.
        assert_eq!(PagerView::new("index.html", 99, 120, 50).number, 3);
    }
}
