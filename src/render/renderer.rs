//! The site's files and how each is rendered: [`Page`], the jobs, and
//! [`Renderer`], which turns a job into bytes with the compiled
//! [`Templates`]. Every `impl Renderer` is in this file.

use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use super::cx::{SiteView, ViewCx};
use super::listing::{Facet, ListRow};
use super::lists::{Lists, ListsJob, ListsPage};
use super::pager::PagerView;
use super::prompt::PromptBox;
use super::templates::{Templates, error_chain};
use super::{feeds, history, json, search, tracker, urls};
use crate::config::LeaveOut;
use crate::error::{Error, Result};
use crate::model::Incident;

/// One file of the site to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `index.html`, page 1 of the index, for a caller rendering this one
    /// page: it sorts the site's lists itself. [`Renderer::pages`] gives
    /// [`Page::FromLists`] jobs instead, which share them.
    Index,
    /// `actions/index.html`, page 1 of the tracker (see [`Page::Index`]).
    Actions,
    /// `playbooks/<type>/index.html` (see [`Page::Index`]).
    Playbook(String),
    /// `incidents/<id>/index.html`.
    Incident(String),
    /// `prompts/postmortem/<id>.txt`, the prompt the incident page offers.
    IncidentPrompt(String),
    /// `prompts/playbook/<type>.txt`, the prompt the playbook page offers.
    PlaybookPrompt(String),
    /// `incidents.json`.
    Json,
    /// `actions.csv`.
    ActionsCsv,
    /// `404.html`.
    NotFound,
    /// A file made from the lists every list page shares: a page of the
    /// index, of a listing or of the tracker, a playbook page, the search
    /// indexes, the feed, the sitemap.
    FromLists(ListsJob),
    /// A static asset: name and bytes index into the asset list.
    Asset(usize),
}

impl Page {
    /// The incident type whose lessons ([`ViewCx::lessons`]) this file
    /// shows: a playbook page's or its prompt's.
    pub fn lessons_of(&self) -> Option<&str> {
        match self {
            Page::Playbook(kind)
            | Page::PlaybookPrompt(kind)
            | Page::FromLists(ListsJob {
                what: ListsPage::Playbook(kind),
                ..
            }) => Some(kind),
            _ => None,
        }
    }
}

/// Renders pages of one site.
pub struct Renderer<'a> {
    /// Inputs of the views.
    pub cx: ViewCx<'a>,
    /// Compiled templates.
    pub templates: &'a Templates,
}

#[derive(Serialize)]
struct Common<'a> {
    root: &'a str,
    /// The site's fixed files, so templates take their names from `urls`.
    files: urls::Files,
    canonical: Option<String>,
    site: &'a SiteView,
    page_title: &'a str,
    nav: &'a str,
    /// Set by the pages of a paginated list.
    pager: Option<&'a PagerView>,
}

impl Renderer<'_> {
    /// Every page of the site, in a stable order, with its output path.
    pub fn pages(&self) -> Vec<(String, Page)> {
        self.pages_with(&Arc::new(Lists::new(&self.cx)), true)
    }

    /// An incident's own files, with their paths: its page and the prompt
    /// the page offers, unless the site leaves the prompts out
    /// (`leave_out`). A streamed build writes them as soon as the incident
    /// is linted.
    pub fn incident_pages(id: &str, leave_out: &LeaveOut) -> Vec<(String, Page)> {
        let mut pages = vec![(urls::incident(id), Page::Incident(id.to_owned()))];
        if let Some(url) = PromptBox::incident(id, leave_out).url {
            pages.push((url, Page::IncidentPrompt(id.to_owned())));
        }
        pages
    }

    /// [`Renderer::pages`] but the incidents' own ([`Renderer::incident_pages`]):
    /// the files made from every record, which a streamed build writes last.
    pub fn pages_across(&self) -> Vec<(String, Page)> {
        self.pages_across_with(&Arc::new(Lists::new(&self.cx)))
    }

    /// [`Renderer::pages_across`] drawing on `lists`, made by the caller
    /// (`pm serve` renders the pages looked at last from them first).
    pub fn pages_across_with(&self, lists: &Arc<Lists>) -> Vec<(String, Page)> {
        let mut pages = self.pages_with(lists, true);
        pages.retain(|(_, page)| !matches!(page, Page::Incident(_) | Page::IncidentPrompt(_)));
        pages
    }

    /// [`Renderer::pages_across`] but the search index's files (which a
    /// streamed build writes first, as they are made:
    /// [`Renderer::write_search`]), in the groups a streamed build writes one
    /// after another: the sitemap; then the tracker's
    /// pages with `incidents.json` and `actions.csv`; then the index, the
    /// listings and every other page, the playbook pages and their prompts
    /// (which learn each type's lessons) among them. Before each group
    /// after the first, [`Renderer::relist`] gives
    /// the groups left lists of their own, so what one group's pages cached
    /// in their lists (the tracker's items, the listings'
    /// rows) is let go before the next group fills its own: the build's
    /// memory holds one group's caches at a time, not all of them. Each
    /// group's files are the same bytes whichever lists made them.
    pub fn phases_across(&self) -> Vec<Vec<(String, Page)>> {
        let mut across = self.pages_with(&Arc::new(Lists::new(&self.cx)), false);
        across.retain(|(_, page)| !matches!(page, Page::Incident(_) | Page::IncidentPrompt(_)));
        let mut phases: Vec<Vec<(String, Page)>> = vec![Vec::new(); 3];
        for (path, page) in across {
            let n = match &page {
                Page::FromLists(ListsJob {
                    what: ListsPage::SearchJson | ListsPage::SearchShard(_) | ListsPage::Sitemap,
                    ..
                }) => 0,
                Page::FromLists(ListsJob {
                    what: ListsPage::Tracker(..) | ListsPage::ActionsJs,
                    ..
                })
                | Page::Json
                | Page::ActionsCsv => 1,
                _ => 2,
            };
            if let Some(phase) = phases.get_mut(n) {
                phase.push((path, page));
            }
        }
        phases
    }

    /// Makes the search index (`search-index.json` and the browser's files)
    /// from lists of its own, giving each file to `sink` as it is made
    /// ([`search::build_into`]); the files [`Renderer::phases_across`]
    /// leaves out. The lists are those of `phases` afresh (the incidents
    /// are not sorted and grouped again), or new ones if no job of `phases`
    /// draws on lists.
    pub fn write_search<S: search::Sink>(
        &self,
        phases: &[Vec<(String, Page)>],
        sink: &mut S,
    ) -> std::result::Result<(), S::Error> {
        let lists = Self::lists_afresh(phases).unwrap_or_else(|| Lists::new(&self.cx));
        let incidents: Vec<&Incident> = lists.newest_first(&self.cx).collect();
        search::build_into(&self.cx, &incidents, lists.facets(), lists.page_size, sink)
    }

    /// Points every job of `phases` that draws on lists at new lists, made
    /// once for all of them from the lists they drew on (see
    /// [`Renderer::phases_across`] and [`Lists::afresh`]).
    pub fn relist(&self, phases: &mut [Vec<(String, Page)>]) {
        let Some(lists) = Self::lists_afresh(phases).map(Arc::new) else {
            return;
        };
        for (_, page) in phases.iter_mut().flatten() {
            if let Page::FromLists(job) = page {
                job.lists = Arc::clone(&lists);
            }
        }
    }

    /// The lists the jobs of `phases` draw on, with empty caches
    /// ([`Lists::afresh`]); `None` if no job draws on lists.
    fn lists_afresh(phases: &[Vec<(String, Page)>]) -> Option<Lists> {
        phases.iter().flatten().find_map(|(_, page)| match page {
            Page::FromLists(job) => Some(job.lists.afresh()),
            _ => None,
        })
    }

    /// Every file of the site made from `lists`; the search index's files
    /// only `with_search` (knowing them makes the index).
    fn pages_with(&self, lists: &Arc<Lists>, with_search: bool) -> Vec<(String, Page)> {
        let leave_out = &self.cx.config.leave_out;
        let mut pages = self.list_pages(lists, with_search);
        let files = urls::files(leave_out);
        if let Some(path) = files.incidents_json {
            pages.push((path.to_owned(), Page::Json));
        }
        if let Some(path) = files.actions_csv {
            pages.push((path.to_owned(), Page::ActionsCsv));
        }
        pages.push((urls::NOT_FOUND.to_owned(), Page::NotFound));
        for id in self.cx.corpus.incidents.keys() {
            pages.extend(Self::incident_pages(id, leave_out));
        }
        let playbooks = self.playbook_pages(lists);
        for (_, page) in &playbooks {
            if let Page::FromLists(ListsJob {
                what: ListsPage::Playbook(kind),
                ..
            }) = page
                && let Some(url) = PromptBox::playbook(kind, leave_out).url
            {
                pages.push((url, Page::PlaybookPrompt(kind.clone())));
            }
        }
        pages.extend(playbooks);
        for (i, (name, _)) in self.templates.assets.iter().enumerate() {
            pages.push((name.clone(), Page::Asset(i)));
        }
        if feeds::absolute_base(&self.cx).is_some() {
            pages.push((
                urls::SITEMAP.to_owned(),
                Page::FromLists(ListsJob {
                    what: ListsPage::Sitemap,
                    lists: Arc::clone(lists),
                }),
            ));
        }
        pages
    }

    fn site(&self) -> SiteView {
        SiteView {
            title: self.cx.config.title.clone(),
            description: self.cx.config.description.clone(),
            generator: format!("pm {}", env!("CARGO_PKG_VERSION")),
            commit: self
                .cx
                .history
                .and_then(|h| h.head.as_ref().map(|r| history::revision(h, r))),
        }
    }

    /// The context every page shares. `path` is the page's site-relative
    /// output path; with an absolute `base_url` it becomes the canonical URL.
    fn context(&self, root: &str, path: &str, title: &str, nav: &str) -> Result<Context> {
        let site = self.site();
        let canonical =
            urls::absolute_base(&self.cx.config.base_url).map(|base| urls::absolute(base, path));
        Context::from_serialize(&Common {
            root,
            files: urls::files(&self.cx.config.leave_out),
            canonical,
            site: &site,
            page_title: title,
            nav,
            pager: None,
        })
        .map_err(|e| Error::Template(error_chain(&e)))
    }

    fn insert<T: Serialize>(context: &mut Context, key: &'static str, value: &T) {
        context.insert(key, value);
    }

    /// Renders one file made from lists sorted for it alone.
    fn render_alone(&self, what: ListsPage) -> Result<Vec<u8>> {
        self.render_lists(&ListsJob {
            what,
            lists: Arc::new(Lists::new(&self.cx)),
        })
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>> {
        let cx = &self.cx;
        match page {
            Page::Index => self.render_alone(ListsPage::Index(1)),
            Page::Actions => self.render_alone(ListsPage::Tracker(None, 1)),
            Page::Playbook(kind) => self.render_alone(ListsPage::Playbook(kind.clone())),
            Page::FromLists(job) => self.render_lists(job),
            Page::ActionsCsv => Ok(tracker::actions_csv(cx, feeds::absolute_base(cx))),
            Page::NotFound => {
                // Served for any missing path at any depth, so links cannot
                // be relative: they start from `base_url` (`/` by default).
                let base = cx.config.base_url.clone();
                let mut c = self.context(&base, urls::NOT_FOUND, "Page not found", "404")?;
                Self::insert(&mut c, "canonical", &None::<String>);
                self.templates.render("404.html", &c)
            }
            Page::Incident(id) => {
                let incident = cx
                    .corpus
                    .incidents
                    .get(id)
                    .ok_or_else(|| Error::Template(format!("no incident `{id}`")))?;
                let path = urls::incident(id);
                let mut c =
                    self.context(&urls::root_of(&path), &path, &incident.title, "incident")?;
                Self::insert(&mut c, "incident", &cx.incident(incident));
                let prompt = PromptBox::incident(id, &cx.config.leave_out);
                Self::insert(&mut c, "prompt", &prompt);
                self.templates.render("incident.html", &c)
            }
            Page::IncidentPrompt(id) => {
                let incident = cx
                    .corpus
                    .incidents
                    .get(id)
                    .ok_or_else(|| Error::Template(format!("no incident `{id}`")))?;
                let text = self
                    .templates
                    .prompts
                    .incident_page_text((&**cx).into(), incident)?;
                Ok(text.into_bytes())
            }
            Page::PlaybookPrompt(kind) => {
                let lessons = cx.lessons(kind);
                let text =
                    (self.templates.prompts).playbook_page_text((&**cx).into(), kind, &lessons)?;
                Ok(text.into_bytes())
            }
            Page::Json => json::incidents_json(cx),
            Page::Asset(i) => Ok(self
                .templates
                .assets
                .get(*i)
                .map(|(_, bytes)| bytes.clone())
                .unwrap_or_default()),
        }
    }
}

impl Page {
    /// Whether the page is written into its file as it is rendered
    /// ([`Renderer::render_to`]) rather than rendered whole first.
    pub fn streams(&self) -> bool {
        matches!(
            self,
            Page::Json
                | Page::ActionsCsv
                | Page::FromLists(ListsJob {
                    what: ListsPage::SearchJson | ListsPage::ActionsJs,
                    ..
                })
        )
    }

    /// Whether the page is a file of the whole site's size (tens of MB at
    /// 10,000 records): `incidents.json`, `actions.csv`,
    /// `search-index.json` and the tracker's index (the browser's search
    /// shards are small files). A streamed build renders these one at a time, so
    /// they never all wait in memory at once.
    pub fn is_large(&self) -> bool {
        matches!(self, Page::Json | Page::ActionsCsv)
            || matches!(
                self,
                Page::FromLists(ListsJob {
                    what: ListsPage::SearchJson | ListsPage::ActionsJs,
                    ..
                })
            )
    }
}

impl Renderer<'_> {
    /// Renders one page into `out`: a page that [`Page::streams`] is
    /// written as it is made, any other is rendered whole, then written.
    pub fn render_to(&self, page: &Page, out: &mut dyn std::io::Write) -> Result<()> {
        let failed = |e: std::io::Error| Error::Serialize {
            what: "a page",
            message: e.to_string(),
        };
        match page {
            Page::Json => json::write_incidents_json(&self.cx, out),
            Page::ActionsCsv => {
                tracker::write_actions_csv(&self.cx, feeds::absolute_base(&self.cx), out)
                    .map_err(failed)
            }
            Page::FromLists(ListsJob {
                what: ListsPage::ActionsJs,
                lists,
            }) => (lists.tracker())
                .write_script(&self.cx, &lists.order, lists.page_size, out)
                .map_err(failed),
            // The index as it was made, without a copy.
            Page::FromLists(ListsJob {
                what: ListsPage::SearchJson,
                lists,
            }) => {
                let json = &lists.search_index(&self.cx)?.json;
                out.write_all(json.as_bytes()).map_err(failed)?;
                out.write_all(b"\n").map_err(failed)
            }
            _ => {
                let bytes = self.render(page)?;
                out.write_all(&bytes).map_err(failed)
            }
        }
    }
}

impl Renderer<'_> {
    /// Every file made from `lists`, with its path: the pages of every list,
    /// the playbook pages, the search indexes, the feed and the sitemap.
    fn list_pages(&self, lists: &Arc<Lists>, with_search: bool) -> Vec<(String, Page)> {
        let job = |what: ListsPage| {
            Page::FromLists(ListsJob {
                what,
                lists: Arc::clone(lists),
            })
        };
        // The paged lists (index, tracker, listings, the tracker's owners
        // and kinds), in the order the sitemap lists them.
        let mut pages: Vec<(String, Page)> = (lists.paged().into_iter())
            .map(|(path, what)| (path, job(what)))
            .collect();
        pages.push((urls::ATOM.to_owned(), job(ListsPage::Atom)));
        if with_search {
            if !self.cx.config.leave_out.search_index_json {
                pages.push((urls::SEARCH_JSON.to_owned(), job(ListsPage::SearchJson)));
            }
            // The index's files are known once it is made (once, here).
            if let Ok(index) = lists.search_index(&self.cx) {
                for (n, shard) in index.shards.iter().enumerate() {
                    let path = urls::search_file(&shard.name);
                    pages.push((path, job(ListsPage::SearchShard(n))));
                }
            }
        }
        pages.push((urls::ACTIONS_JS.to_owned(), job(ListsPage::ActionsJs)));
        pages
    }

    /// The playbook pages, after the incident pages in the site's order.
    fn playbook_pages(&self, lists: &Arc<Lists>) -> Vec<(String, Page)> {
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

    /// An incident's list row (`incident-row.html`) for pages whose root is
    /// each of `roots`, rendered from one context.
    fn row(&self, row: &ListRow, roots: &[&str]) -> Result<Vec<String>> {
        let mut c = Context::new();
        c.insert("i", row);
        c.insert("files", &urls::files(&self.cx.config.leave_out));
        (roots.iter())
            .map(|root| {
                c.insert("root", root);
                let html = self.templates.render("incident-row.html", &c)?;
                Ok(String::from_utf8_lossy(&html).trim().to_owned())
            })
            .collect()
    }

    /// Renders one file made from the shared lists.
    fn render_lists(&self, job: &ListsJob) -> Result<Vec<u8>> {
        let cx = &self.cx;
        let lists = &*job.lists;
        let today = cx.today.to_string();
        match &job.what {
            ListsPage::Index(n) => {
                let pager = PagerView::new(urls::INDEX, *n, lists.order.len(), lists.page_size);
                let title = titled("Incidents", &pager);
                let root = urls::root_of(&pager.url);
                let mut c = self.context(&root, &pager.url, &title, "index")?;
                let rows = lists.rows(cx, pager.range(), &root, &|r, roots| self.row(r, roots))?;
                let (facets, severity_pages) = lists.facet_views(cx);
                c.insert("summary", lists.index_summary(cx));
                c.insert("rows", &rows);
                c.insert("severity_pages", severity_pages);
                c.insert("facets", facets);
                c.insert("trends", lists.trends(cx));
                c.insert("playbooks", lists.playbooks(cx));
                c.insert("today", &today);
                c.insert("pager", &pager);
                self.templates.render("index.html", &c)
            }
            ListsPage::Listing(facet, slug, n) => {
                let members = lists
                    .facets()
                    .members(*facet, slug)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{slug}`")))?;
                let first = urls::listing(facet.dir(), slug);
                let pager = PagerView::new(&first, *n, members.len(), lists.page_size);
                let root = urls::root_of(&pager.url);
                let rows = lists.rows(
                    cx,
                    members[pager.range()].iter().map(|p| *p as usize),
                    &root,
                    &|r, roots| self.row(r, roots),
                )?;
                let summary = lists
                    .listing_summary(cx, *facet, slug)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{slug}`")))?;
                let view = lists
                    .facets()
                    .listing(cx, *facet, slug, summary)
                    .ok_or_else(|| Error::Template(format!("no incidents for `{slug}`")))?;
                let title = titled(&view.title, &pager);
                let mut c = self.context(&root, &pager.url, &title, "listing")?;
                c.insert("listing", &view);
                c.insert("rows", &rows);
                c.insert("today", &today);
                c.insert("pager", &pager);
                self.templates.render("listing.html", &c)
            }
            ListsPage::Tracker(filter, n) => {
                let filter = filter.as_ref().map(|(f, s)| (*f, s.as_str()));
                let tracker = lists
                    .tracker()
                    .view(cx, &lists.order, filter, lists.page_size, *n)
                    .ok_or_else(|| Error::Template("no such action items".to_owned()))?;
                let (first, title, nav) = match (filter, &tracker.filter) {
                    (Some((facet, slug)), Some(f)) => (
                        tracker::tracker_page_url(facet, slug),
                        format!("Action items: {}", f.value),
                        "tracker",
                    ),
                    _ => (
                        urls::ACTIONS.to_owned(),
                        "Action items".to_owned(),
                        "actions",
                    ),
                };
                let total = tracker.open_count + tracker.closed_count;
                let size = tracker::items_per_page(filter.is_some(), lists.page_size);
                let pager = PagerView::new(&first, *n, total, size);
                let root = urls::root_of(&pager.url);
                let mut c = self.context(&root, &pager.url, &titled(&title, &pager), nav)?;
                c.insert("actions", &tracker);
                c.insert("today", &today);
                c.insert("pager", &pager);
                self.templates.render("actions.html", &c)
            }
            ListsPage::Playbook(kind) => {
                let of_type: Vec<&Incident> = match lists.facets().slug(Facet::Type, kind) {
                    Some(slug) => lists.at(
                        cx,
                        lists
                            .facets()
                            .members(Facet::Type, slug)
                            .unwrap_or_default(),
                    ),
                    None => Vec::new(),
                };
                let listing = lists
                    .facets()
                    .slug(Facet::Type, kind)
                    .map(|slug| urls::listing(Facet::Type.dir(), slug));
                let view = cx.playbook(
                    kind,
                    cx.corpus.playbooks.get(kind),
                    &of_type,
                    lists.page_size,
                    listing,
                );
                let path = urls::playbook(kind);
                let mut c = self.context(&urls::root_of(&path), &path, &view.title, "playbook")?;
                c.insert("playbook", &view);
                c.insert("prompt", &PromptBox::playbook(kind, &cx.config.leave_out));
                self.templates.render("playbook.html", &c)
            }
            ListsPage::SearchJson => {
                let mut out = lists.search_index(cx)?.json.clone();
                out.push('\n');
                Ok(out.into_bytes())
            }
            ListsPage::SearchShard(n) => Ok(lists
                .search_index(cx)?
                .shards
                .get(*n)
                .map(|s| s.script.clone())
                .unwrap_or_default()),
            ListsPage::ActionsJs => Ok(lists.tracker().script(cx, &lists.order, lists.page_size)),
            ListsPage::Atom => {
                let mut c = self.context("", urls::ATOM, "Feed", "feed")?;
                c.insert("feed", &feeds::feed(cx, lists.newest_first(cx)));
                self.templates.render("atom.xml", &c)
            }
            ListsPage::Sitemap => {
                let paths: Vec<String> = self
                    // The search index's files are not listed.
                    .pages_with(&job.lists, false)
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                let urls = feeds::sitemap(cx, &paths).unwrap_or_default();
                let mut c = self.context("", urls::SITEMAP, "Sitemap", "sitemap")?;
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
