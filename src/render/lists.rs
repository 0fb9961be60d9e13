//! The site's lists, worked out once per build.
//!
//! Every page that lists part of the corpus (the index, the listing pages,
//! the action tracker and its owner and kind pages, a playbook's incidents)
//! shows one page of a list ([`super::pager`]); the complete data stays in
//! `incidents.json`, `actions.csv` and the search indexes, which `search.js`
//! filters in the browser.
//!
//! [`Lists`] holds what those pages share: the incidents newest first
//! (sorted once), the members of each facet value, the tracker's order, and
//! figures (summaries, trends, the search index) computed on first use.
//! [`super::Renderer::pages`] makes it once and hands it to each page job in
//! an `Arc`, so rendering a thousand list pages sorts nothing a thousand
//! times. Nothing here reads or writes files.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::cx::{PlaybookLink, SummaryView, ViewCx};
use super::listing::{Facet, FacetView, Facets, ListRow};
use super::pager::page_count;
use super::shared::Shared;
use super::tracker::{ActionFacet, Tracker, items_per_page, tracker_page_url};
use super::trends::Trends;
use super::{search, trends, urls};
use crate::error::{Error, Result};
use crate::model::Incident;

/// The index's facets, and its map from severity to listing URL.
type IndexFacets = (Shared<Vec<FacetView>>, Shared<BTreeMap<String, String>>);

/// What every list page of one build shares. See the module documentation.
pub struct Lists {
    /// Rows per page.
    pub page_size: usize,
    /// Incident ids, newest first (by start, then id, both descending).
    /// This, the facets and the tracker are worked out once a build and
    /// shared by the lists [`Lists::afresh`] makes.
    pub(super) order: Arc<Vec<String>>,
    /// Each incident's list row as HTML, by position in `order`, rendered
    /// the first time a page lists it: the index and its listing pages
    /// share it (see [`RowHtml`]).
    rows: Vec<OnceLock<RowHtml>>,
    facets: Arc<Facets>,
    tracker: Arc<Tracker>,
    summary: OnceLock<Shared<SummaryView>>,
    listing_summaries: BTreeMap<(Facet, String), OnceLock<SummaryView>>,
    trends: OnceLock<Shared<Trends>>,
    facet_views: OnceLock<IndexFacets>,
    playbooks: OnceLock<Shared<Vec<PlaybookLink>>>,
    search: OnceLock<std::result::Result<search::Search, String>>,
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
        // The two are made apart and neither needs the other.
        let (facets, tracker) = rayon::join(
            || Facets::of(cx, &incidents),
            || Tracker::new(cx, &incidents),
        );
        Lists::with_empty_caches(
            cx.config.page_size.max(1),
            Arc::new(incidents.iter().map(|i| i.id.clone()).collect()),
            Arc::new(facets),
            Arc::new(tracker),
        )
    }

    /// Lists of the same incidents, facets and action items, with none of
    /// the pages' caches filled: a streamed build writes its files across
    /// records in groups, each with lists of its own, so that one group's
    /// caches are let go before the next fills its own, without sorting
    /// and grouping the site again.
    pub fn afresh(&self) -> Lists {
        Lists::with_empty_caches(
            self.page_size,
            Arc::clone(&self.order),
            Arc::clone(&self.facets),
            Arc::clone(&self.tracker),
        )
    }

    fn with_empty_caches(
        page_size: usize,
        order: Arc<Vec<String>>,
        facets: Arc<Facets>,
        tracker: Arc<Tracker>,
    ) -> Lists {
        let listing_summaries = facets
            .listings()
            .map(|(f, s, _)| ((f, s.to_owned()), OnceLock::new()))
            .collect();
        Lists {
            page_size,
            rows: order.iter().map(|_| OnceLock::new()).collect(),
            order,
            tracker,
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
    pub(super) fn at<'a>(&self, cx: &ViewCx<'a>, positions: &[u32]) -> Vec<&'a Incident> {
        positions
            .iter()
            .filter_map(|p| self.order.get(*p as usize))
            .filter_map(|id| cx.corpus.incidents.get(id))
            .collect()
    }

    /// The list rows, as HTML for a page whose `root` is `root`, of the
    /// incidents at these positions of the newest-first order. `render`
    /// renders `incident-row.html` for a row, once for each root given.
    pub(super) fn rows(
        &self,
        cx: &ViewCx<'_>,
        positions: impl Iterator<Item = usize>,
        root: &str,
        render: &RenderRow<'_, ListRow>,
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for pos in positions {
            let (Some(cell), Some(incident)) = (
                self.rows.get(pos),
                self.order
                    .get(pos)
                    .and_then(|id| cx.corpus.incidents.get(id)),
            ) else {
                continue;
            };
            let row = match cell.get() {
                Some(row) => row,
                None => {
                    let made = RowHtml::new(&self.facets.row(cx, incident), render)?;
                    // Another page may have made it meanwhile: the same HTML.
                    cell.get_or_init(|| made)
                }
            };
            out.push(match row {
                RowHtml::Marked(html) => html.replace(ROOT_MARK, root),
                RowHtml::PerPage => render(&self.facets.row(cx, incident), &[root])?
                    .into_iter()
                    .next()
                    .unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// The pages of the lists made from the sorted order and the groups
    /// alone, with their paths as [`super::Renderer::pages`] gives them:
    /// the index's, the listings' and the tracker's. Unlike the rest of
    /// the files across records, none needs the search index, so `pm
    /// serve` renders those it served last from these lists before it
    /// makes the index.
    pub fn paged(&self) -> Vec<(String, ListsPage)> {
        let size = self.page_size;
        let mut pages = Vec::new();
        for n in 1..=page_count(self.order.len(), size) {
            pages.push((urls::page(urls::INDEX, n), ListsPage::Index(n)));
        }
        for n in 1..=page_count(self.tracker.len(), size) {
            pages.push((urls::page(urls::ACTIONS, n), ListsPage::Tracker(None, n)));
        }
        for (facet, slug, count) in self.facets.listings() {
            let first = urls::listing(facet.dir(), slug);
            for n in 1..=page_count(count, size) {
                let what = ListsPage::Listing(facet, slug.to_owned(), n);
                pages.push((urls::page(&first, n), what));
            }
        }
        for (facet, slug, items) in self.tracker.filters() {
            let first = tracker_page_url(facet, slug);
            for n in 1..=page_count(items, items_per_page(true, size)) {
                let what = ListsPage::Tracker(Some((facet, slug.to_owned())), n);
                pages.push((urls::page(&first, n), what));
            }
        }
        pages
    }

    /// The facets of the site's incidents.
    pub fn facets(&self) -> &Facets {
        &self.facets
    }

    /// The action items, in the tracker's order.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The search index, made once for all of its files.
    pub(super) fn search_index(&self, cx: &ViewCx<'_>) -> Result<&search::Search> {
        self.search
            .get_or_init(|| {
                let incidents: Vec<&Incident> = self.newest_first(cx).collect();
                search::build(cx, &incidents, &self.facets, self.page_size)
            })
            .as_ref()
            .map_err(|message| Error::Serialize {
                what: "search-index.json",
                message: message.clone(),
            })
    }

    pub(super) fn index_summary(&self, cx: &ViewCx<'_>) -> &Shared<SummaryView> {
        self.summary.get_or_init(|| Shared::new(&cx.summary_view()))
    }

    pub(super) fn listing_summary(
        &self,
        cx: &ViewCx<'_>,
        facet: Facet,
        slug: &str,
    ) -> Option<&SummaryView> {
        let cell = self.listing_summaries.get(&(facet, slug.to_owned()))?;
        Some(cell.get_or_init(|| {
            let members = self.facets.members(facet, slug).unwrap_or_default();
            cx.summary_of(&self.at(cx, members))
        }))
    }

    pub(super) fn trends(&self, cx: &ViewCx<'_>) -> &Shared<Trends> {
        self.trends.get_or_init(|| Shared::new(&trends::trends(cx)))
    }

    pub(super) fn playbooks(&self, cx: &ViewCx<'_>) -> &Shared<Vec<PlaybookLink>> {
        self.playbooks
            .get_or_init(|| Shared::new(&cx.playbook_links()))
    }

    pub(super) fn facet_views(&self, cx: &ViewCx<'_>) -> &IndexFacets {
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

/// What a page's `root` is replaced by while an incident's row is rendered
/// once for every page that lists it. Letters and hyphens only, so HTML
/// escaping leaves it as it is.
const ROOT_MARK: &str = "pm-root-5f1c2a9e-";

/// An incident's list row, rendered once per build.
///
/// A row was a Tera value of every field of the incident's summary (about
/// 3 KB, 30 MB at 10,000 incidents, copied into each page's context); its
/// HTML is a few hundred bytes. The row is rendered with [`ROOT_MARK`] as
/// the root, and each page puts its own root in its place.
#[derive(Debug)]
enum RowHtml {
    /// The HTML, with [`ROOT_MARK`] where the page's root goes.
    Marked(Box<str>),
    /// The record's own text holds the mark, or the template does more with
    /// `root` than print it: rendered again for each page.
    PerPage,
}

/// Renders a list row's template for a row, once for each root given (in
/// that order), from one context.
pub(super) type RenderRow<'a, R> = dyn Fn(&R, &[&str]) -> Result<Vec<String>> + 'a;

impl RowHtml {
    fn new<R: ?Sized>(row: &R, render: &RenderRow<'_, R>) -> Result<RowHtml> {
        // The mark must stand exactly where the root goes: the row rendered
        // with an empty root is the marked one without its marks.
        match render(row, &[ROOT_MARK, ""])?.as_mut_slice() {
            [marked, bare] if marked.replace(ROOT_MARK, "") == *bare => {
                Ok(RowHtml::Marked(std::mem::take(marked).into_boxed_str()))
            }
            _ => Ok(RowHtml::PerPage),
        }
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
    /// A file of the browser's search index (`search/<name>.js`): the
    /// index's shard at this position.
    SearchShard(usize),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A row template: the row's text, and its link from the page's root.
    fn render_one(title: &str, root: &str) -> String {
        format!("<tr><th><a href=\"{root}incidents/x/index.html\">{title}</a>")
    }

    /// [`render_one`] for each root, as [`RenderRow`] renders.
    fn render(title: &str, roots: &[&str]) -> Result<Vec<String>> {
        Ok(roots.iter().map(|root| render_one(title, root)).collect())
    }

    fn at(row: &RowHtml, title: &str, root: &str) -> String {
        match row {
            RowHtml::Marked(html) => html.replace(ROOT_MARK, root),
            RowHtml::PerPage => render_one(title, root),
        }
    }

    #[test]
    fn a_row_rendered_once_is_the_row_rendered_for_each_page() -> Result<()> {
        let row = RowHtml::new("Checkout slow", &render)?;
        assert!(matches!(row, RowHtml::Marked(_)), "{row:?}");
        for root in ["", "../", "../../", "../../../"] {
            assert_eq!(
                at(&row, "Checkout slow", root),
                render_one("Checkout slow", root)
            );
        }
        Ok(())
    }

    #[test]
    fn a_record_holding_the_mark_is_rendered_for_each_page() -> Result<()> {
        // The record's text keeps the mark as written; only the root changes.
        let title = format!("Mark {ROOT_MARK} in a title");
        let row = RowHtml::new(title.as_str(), &render)?;
        assert!(matches!(row, RowHtml::PerPage), "{row:?}");
        assert_eq!(at(&row, &title, "../../"), render_one(&title, "../../"));
        assert!(at(&row, &title, "../../").contains(ROOT_MARK));
        // A template doing more with the root than print it.
        let counting = |_: &str, roots: &[&str]| {
            Ok(roots
                .iter()
                .map(|root| format!("{} levels", root.len() / 3))
                .collect())
        };
        assert!(matches!(RowHtml::new("x", &counting)?, RowHtml::PerPage));
        Ok(())
    }
}
