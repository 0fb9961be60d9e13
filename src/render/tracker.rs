//! The action-item tracker: every action item of every incident, open and
//! overdue first, with a stable anchor per item, grouped by owner and kind;
//! and `actions.csv`, the same items for spreadsheets (`actions_csv.rs`).
//!
//! The tracker's HTML holds each item once, as a row of the whole tracker
//! (`actions/index.html` and its `page/<n>.html`). An owner's or kind's view
//! (`actions/owners/<slug>/index.html`) copies no item: without JavaScript
//! it is a short list linking each of its items to the row that holds it
//! ([`TrackerItem::row_url`]), with it `search.js` draws the items from
//! `actions-index.js` with the page's filter set. Copying every item onto
//! its owner's and its kind's pages tripled the tracker's bytes (174 MB of
//! a 10,000-record site). The rows themselves are written light
//! (site-template/action-table.html): no class or label per cell, and the
//! permalink and the owner's and kind's links added by `search.js`.
//! Nothing here reads or writes files.

use std::collections::BTreeMap;

use serde::Serialize;

pub use super::actions_csv::{actions_csv, write_actions_csv};
use super::cx::{ActionView, Shown, ViewCx, WRITE_BUFFER, is_overdue};
use super::listing::Slugs;
use super::urls;
use crate::model::{Action, ActionKind, Incident, is_safe_url};

/// The `data-owner` value, and page name, of items without an owner. A
/// slug never starts with `_`, so no owner can take it.
pub const UNOWNED: &str = "_unowned";
/// The `data-kind` value, and page name, of items without a kind.
pub const NO_KIND: &str = "_none";

/// A dimension the tracker can be filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActionFacet {
    /// Who owns the item.
    Owner,
    /// What the item is for.
    Kind,
}

impl ActionFacet {
    /// The URL parameter and `data-*` attribute name.
    pub fn key(self) -> &'static str {
        match self {
            ActionFacet::Owner => "owner",
            ActionFacet::Kind => "kind",
        }
    }

    /// The folder of its pages, under `actions/`.
    pub fn dir(self) -> &'static str {
        match self {
            ActionFacet::Owner => urls::OWNERS,
            ActionFacet::Kind => urls::KINDS,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ActionFacet::Owner => "Owner",
            ActionFacet::Kind => "Kind",
        }
    }
}

/// The site-root-relative URL of an owner's or kind's tracker page.
pub fn tracker_page_url(facet: ActionFacet, slug: &str) -> String {
    urls::tracker_page(facet.dir(), slug)
}

/// The stable anchor of an action item ([`urls::action_anchor`]).
pub fn action_anchor(incident_id: &str, action: &Action) -> String {
    urls::action_anchor(incident_id, action.index)
}

/// The site-root-relative URL of an item on the tracker.
pub fn action_url(incident_id: &str, action: &Action) -> String {
    urls::action(incident_id, action.index)
}

/// One item on the tracker. Templates see the [`ActionView`]'s fields
/// and the item's own as one map (see its `Serialize`).
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerItem {
    pub action: ActionView,
    pub anchor: String,
    /// `overdue`, `open` or `closed`.
    pub state: &'static str,
    pub data_owner: String,
    pub data_kind: String,
    pub owner_url: String,
    pub kind_url: String,
    /// The item's row on the whole tracker: the page that holds it and its
    /// anchor (`actions/page/3.html#action-<id>-2`), site-root-relative.
    /// Owner and kind pages link here rather than copy the row.
    pub row_url: String,
    /// The item's 1-based position in its record (the number its anchor
    /// ends with).
    pub number: usize,
    /// An open item's urgency in words: `Overdue by 3 days`, or within a
    /// week of its due date `Due today`, `Due tomorrow`, `Due in 5 days`.
    pub due_note: Option<String>,
}

/// The [`ActionView`]'s fields, then the item's own, in the order
/// `#[serde(flatten)]` gave them. Written by hand: serde writes a flattened
/// struct as a map of unknown length, and Tera turned each of its keys into
/// a string of its own and grew the map as it went, for each of the
/// tracker's rows (a sixth of the tracker's pages' work).
impl Serialize for TrackerItem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every field named: one added must be written here.
        let TrackerItem {
            action,
            anchor,
            state,
            data_owner,
            data_kind,
            owner_url,
            kind_url,
            row_url,
            number,
            due_note,
        } = self;
        let mut s = serializer.serialize_struct("TrackerItem", ActionView::FIELDS + 9)?;
        action.serialize_fields(&mut s)?;
        s.serialize_field("anchor", anchor)?;
        s.serialize_field("state", state)?;
        s.serialize_field("data_owner", data_owner)?;
        s.serialize_field("data_kind", data_kind)?;
        s.serialize_field("owner_url", owner_url)?;
        s.serialize_field("kind_url", kind_url)?;
        s.serialize_field("row_url", row_url)?;
        s.serialize_field("number", number)?;
        s.serialize_field("due_note", due_note)?;
        s.end()
    }
}

/// An item on an owner's or kind's page: a link to its row on the whole
/// tracker ([`TrackerItem::row_url`]) and what the link says, nothing more.
/// Made as a [`TrackerItem`], each of the owner's and kind's items cost its
/// text rendered from Markdown and eleven fields the page never prints,
/// twice per item (its owner's page and its kind's).
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerLink<'a> {
    pub row_url: String,
    pub incident_title: &'a str,
    pub number: usize,
    pub due_note: Option<String>,
    pub overdue: bool,
    pub status: &'static str,
    pub due: Option<String>,
    pub closed: Option<String>,
}

/// An item of a tracker page: a row on the whole tracker's pages, a link
/// to that row on an owner's or kind's page. Templates see the row's or
/// the link's fields (the link's have the row's names).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum TrackerEntry<'a> {
    /// On the whole tracker.
    Row(Box<TrackerItem>),
    /// On an owner's or kind's page.
    Link(TrackerLink<'a>),
}

/// How many of an owner's or kind's links a page holds per row of the
/// site's page size (`[site] page_size`). Without JavaScript those pages
/// list links to the items' rows, about 180 bytes each against a row's
/// 600: four links to a row keep their pages as heavy as the whole
/// tracker's, in a quarter of the pages (each page's header, counts, form
/// and page links were 8.7 KB, 8.8 MB over the 1,010 pages of 10,000
/// records).
pub const LINKS_PER_ROW: usize = 4;

/// How many items a tracker page lists: `page_size` on the whole tracker,
/// [`LINKS_PER_ROW`] times that on an owner's or kind's page.
pub fn items_per_page(filtered: bool, page_size: usize) -> usize {
    let page_size = page_size.max(1);
    if filtered {
        page_size.saturating_mul(LINKS_PER_ROW)
    } else {
        page_size
    }
}

/// How many days ahead an open item counts as due soon ("this week").
pub const DUE_SOON_DAYS: i64 = 7;

/// An open item's urgency in words, against `today` (`--today` or
/// `SOURCE_DATE_EPOCH` when given): so the tracker marks urgency in text,
/// not only in colour. `None` for closed items, items without a due date
/// and items due later than [`DUE_SOON_DAYS`] ahead.
pub fn due_note(action: &Action, today: jiff::civil::Date) -> Option<String> {
    let due = action.due.filter(|_| action.status.is_open())?;
    let days = i64::from(today.until(due).ok()?.get_days());
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    match days {
        d if d < 0 => Some(format!("Overdue by {} {}", -d, plural(-d))),
        0 => Some("Due today".to_owned()),
        1 => Some("Due tomorrow".to_owned()),
        d if d <= DUE_SOON_DAYS => Some(format!("Due in {d} days")),
        _ => None,
    }
}

/// Counts of one owner's or kind's items.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct GroupRow {
    pub label: String,
    pub slug: String,
    pub url: String,
    pub open: usize,
    pub overdue: usize,
    pub closed: usize,
    /// The earliest due date of its open items.
    pub next_due: Option<String>,
    pub current: bool,
}

/// The owners' or kinds' table of a tracker page: [`GroupRow`]s. Most
/// pages show a table whole, none of its rows current (every page of the
/// whole tracker; the owners' table on a kind's page, the kinds' on an
/// owner's page): that table is made into a template value once per build
/// and shared ([`GroupRows::Shared`]), not made again for each page.
#[derive(Debug, Clone)]
pub enum GroupRows {
    /// The table whole, no row current, as a template value.
    Shared(tera::Value),
    /// The page's own rows.
    Own(Vec<GroupRow>),
}

impl GroupRows {
    /// The table of `rows` whole, as a template value when it can be made
    /// one (it always can: its rows are plain data).
    fn shared(rows: &[GroupRow]) -> GroupRows {
        tera::Value::try_from_serializable(rows)
            .map_or_else(|_| GroupRows::Own(rows.to_vec()), GroupRows::Shared)
    }
}

/// Written as the list of rows: a shared table is cloned into the page's
/// value (Tera shares its rows), not serialised again.
impl Serialize for GroupRows {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            GroupRows::Shared(value) => value.serialize(serializer),
            GroupRows::Own(rows) => rows.serialize(serializer),
        }
    }
}

/// The filter a tracker page is limited to.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerFilter {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub slug: String,
}

/// One page of the tracker.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerView<'a> {
    /// The open items on this page.
    pub open: Vec<TrackerEntry<'a>>,
    /// The closed items on this page.
    pub closed: Vec<TrackerEntry<'a>>,
    pub open_count: usize,
    pub overdue_count: usize,
    pub closed_count: usize,
    /// The page holding the first open item (page 1), site-root-relative.
    pub open_url: String,
    /// The page holding the first closed item (the last page when there is
    /// none), site-root-relative, and its number.
    pub closed_url: String,
    pub closed_page: usize,
    /// How many pages the open items fill.
    pub open_pages: usize,
    pub owners: GroupRows,
    pub kinds: GroupRows,
    pub filter: Option<TrackerFilter>,
    /// The address of an owner's and of a kind's page, `{slug}` to fill
    /// (site-root-relative): `search.js` links the rows' owner and kind
    /// cells with them, which pm writes as text.
    pub owner_pattern: String,
    pub kind_pattern: String,
    /// Rows per page of the whole tracker (`[site] page_size`): how many
    /// rows `search.js` draws at a time, on every tracker page.
    pub rows_per_page: usize,
}

/// Where an item stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    Overdue,
    Open,
    Closed,
}

impl State {
    fn of(action: &Action, today: jiff::civil::Date) -> State {
        if is_overdue(action, today) {
            State::Overdue
        } else if action.status.is_open() {
            State::Open
        } else {
            State::Closed
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            State::Overdue => "overdue",
            State::Open => "open",
            State::Closed => "closed",
        }
    }
}

/// One action item, by position: cheap to copy, compare and slice.
#[derive(Debug, Clone, Copy)]
struct Item {
    /// The incident's position in the build's newest-first order.
    incident: u32,
    /// The item's position in its record.
    action: u32,
    /// Its owner's slot in [`Tracker::owners`] (the last slot: unowned).
    owner: u32,
    /// Its kind's slot: a position in [`ActionKind::ALL`], or its length
    /// for items without a kind.
    kind: u8,
    state: State,
}

/// An owner: slug and name.
#[derive(Debug)]
struct Owner {
    slug: String,
    label: String,
    /// Its tracker page ([`tracker_page_url`]), made once for every row.
    url: String,
}

/// Every action item in the tracker's order, and the items of each owner
/// and kind, worked out once per build. Pages are slices of these lists:
/// no page compares or copies the items of another.
#[derive(Debug)]
pub struct Tracker {
    /// Open items first (overdue first, then by due date, undated last,
    /// incident id, position), then closed ones (latest closed first).
    items: Vec<Item>,
    /// `items[..open]` are the open ones.
    open: usize,
    /// Owners by slot; the last is "unowned".
    owners: Vec<Owner>,
    /// An owner's slot by slug.
    owner_slots: BTreeMap<String, u32>,
    /// Positions in `items` of each owner's items, ascending.
    by_owner: Vec<Vec<u32>>,
    /// Positions in `items` of each kind's items, ascending.
    by_kind: Vec<Vec<u32>>,
    owner_rows: Vec<GroupRow>,
    kind_rows: Vec<GroupRow>,
    /// `owner_rows` and `kind_rows` whole, as pages without a current row
    /// of theirs show them.
    owner_table: GroupRows,
    kind_table: GroupRows,
    /// Each kind slot's tracker page, made once for every row.
    kind_urls: Vec<String>,
}

/// The slug of a kind slot.
fn kind_slug(slot: u8) -> &'static str {
    ActionKind::ALL
        .get(usize::from(slot))
        .copied()
        .unwrap_or(NO_KIND)
}

fn kind_slot(kind: Option<ActionKind>) -> u8 {
    let n = ActionKind::ALL.len();
    let slot = kind.map_or(n, |k| {
        ActionKind::ALL
            .iter()
            .position(|x| *x == k.as_str())
            .unwrap_or(n)
    });
    u8::try_from(slot).unwrap_or(u8::MAX)
}

fn kind_label(slot: u8) -> &'static str {
    ActionKind::ALL
        .get(usize::from(slot))
        .and_then(|k| ActionKind::parse(k))
        .map_or("No kind given", ActionKind::label)
}

/// A list of positions that counts as `usize` for slicing.
fn positions(list: &[u32]) -> impl Iterator<Item = usize> + '_ {
    list.iter().map(|p| *p as usize)
}

impl Tracker {
    /// The items of every incident of `incidents` (newest first, as the
    /// build orders them).
    pub fn new(cx: &ViewCx<'_>, incidents: &[&Incident]) -> Tracker {
        let owners_slugs = Slugs::new(
            incidents
                .iter()
                .flat_map(|i| i.actions.iter().filter_map(|a| a.owner.as_deref())),
        );
        let mut owners: Vec<Owner> = owners_slugs
            .iter()
            .map(|(label, slug)| Owner {
                slug: slug.to_owned(),
                label: label.to_owned(),
                url: tracker_page_url(ActionFacet::Owner, slug),
            })
            .collect();
        let owner_by_label: BTreeMap<&str, u32> = owners
            .iter()
            .enumerate()
            .map(|(i, o)| (o.label.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let unowned = u32::try_from(owners.len()).unwrap_or(u32::MAX);
        let mut items: Vec<(Item, &Incident, &Action)> = Vec::new();
        for (pos, incident) in incidents.iter().enumerate() {
            for a in &incident.actions {
                let owner = a
                    .owner
                    .as_deref()
                    .and_then(|o| owner_by_label.get(o).copied())
                    .unwrap_or(unowned);
                items.push((
                    Item {
                        incident: u32::try_from(pos).unwrap_or(u32::MAX),
                        action: u32::try_from(a.index).unwrap_or(u32::MAX),
                        owner,
                        kind: kind_slot(a.kind),
                        state: State::of(a, cx.today),
                    },
                    incident,
                    a,
                ));
            }
        }
        owners.push(Owner {
            slug: UNOWNED.to_owned(),
            label: "Unowned".to_owned(),
            url: tracker_page_url(ActionFacet::Owner, UNOWNED),
        });
        // The tracker's order, sorted once for every page.
        items.sort_by(|(x, ia, a), (y, ib, b)| {
            let closed = |s: State| s == State::Closed;
            closed(x.state).cmp(&closed(y.state)).then_with(|| {
                if closed(x.state) {
                    b.closed
                        .cmp(&a.closed)
                        .then_with(|| ia.id.cmp(&ib.id))
                        .then_with(|| a.index.cmp(&b.index))
                } else {
                    x.state
                        .cmp(&y.state)
                        .then_with(|| a.due.is_none().cmp(&b.due.is_none()))
                        .then_with(|| a.due.cmp(&b.due))
                        .then_with(|| ia.id.cmp(&ib.id))
                        .then_with(|| a.index.cmp(&b.index))
                }
            })
        });
        let open = items
            .iter()
            .take_while(|(i, _, _)| i.state != State::Closed)
            .count();
        let mut by_owner: Vec<Vec<u32>> = vec![Vec::new(); owners.len()];
        let mut by_kind: Vec<Vec<u32>> = vec![Vec::new(); ActionKind::ALL.len() + 1];
        for (n, (item, _, _)) in items.iter().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            if let Some(list) = by_owner.get_mut(item.owner as usize) {
                list.push(n);
            }
            if let Some(list) = by_kind.get_mut(usize::from(item.kind)) {
                list.push(n);
            }
        }
        let due = |i: usize| items.get(i).and_then(|(_, _, a)| a.due);
        let row = |facet: ActionFacet, slug: &str, label: &str, list: &[u32]| {
            let open = positions(list).take_while(|p| *p < open).count();
            GroupRow {
                url: tracker_page_url(facet, slug),
                label: label.to_owned(),
                slug: slug.to_owned(),
                open,
                overdue: positions(list)
                    .filter(|p| {
                        items
                            .get(*p)
                            .is_some_and(|(i, _, _)| i.state == State::Overdue)
                    })
                    .count(),
                closed: list.len() - open,
                // The earliest due date among open items.
                next_due: positions(list)
                    .take(open)
                    .filter_map(due)
                    .min()
                    .map(|d| d.to_string()),
                current: false,
            }
        };
        let mut owner_rows: Vec<GroupRow> = owners
            .iter()
            .zip(&by_owner)
            .filter(|(_, list)| !list.is_empty())
            .map(|(o, list)| row(ActionFacet::Owner, &o.slug, &o.label, list))
            .collect();
        // Who has the most pressing work first: overdue, then open. Owners
        // come sorted by name, "unowned" last; the sort is stable.
        owner_rows.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(b.open.cmp(&a.open))
                .then_with(|| {
                    (a.slug == UNOWNED, a.label.to_lowercase(), &a.slug).cmp(&(
                        b.slug == UNOWNED,
                        b.label.to_lowercase(),
                        &b.slug,
                    ))
                })
        });
        let kind_rows: Vec<GroupRow> = by_kind
            .iter()
            .enumerate()
            .filter(|(_, list)| !list.is_empty())
            .map(|(slot, list)| {
                let slot = u8::try_from(slot).unwrap_or(u8::MAX);
                row(ActionFacet::Kind, kind_slug(slot), kind_label(slot), list)
            })
            .collect();
        let owner_slots = owners
            .iter()
            .enumerate()
            .map(|(i, o)| (o.slug.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        Tracker {
            items: items.into_iter().map(|(i, _, _)| i).collect(),
            open,
            owners,
            owner_slots,
            by_owner,
            by_kind,
            kind_urls: (0..=ActionKind::ALL.len())
                .map(|s| {
                    let slot = u8::try_from(s).unwrap_or(u8::MAX);
                    tracker_page_url(ActionFacet::Kind, kind_slug(slot))
                })
                .collect(),
            owner_table: GroupRows::shared(&owner_rows),
            kind_table: GroupRows::shared(&kind_rows),
            owner_rows,
            kind_rows,
        }
    }

    /// Every owner and kind with items (facet and slug) and how many items
    /// it has; its pages hold [`items_per_page`]`(true, page_size)` each.
    pub fn filters(&self) -> Vec<(ActionFacet, &str, usize)> {
        let mut out: Vec<(ActionFacet, &str, usize)> = self
            .owners
            .iter()
            .zip(&self.by_owner)
            .filter(|(_, l)| !l.is_empty())
            .map(|(o, l)| (ActionFacet::Owner, o.slug.as_str(), l.len()))
            .collect();
        for (slot, list) in self.by_kind.iter().enumerate() {
            if !list.is_empty() {
                let slot = u8::try_from(slot).unwrap_or(u8::MAX);
                out.push((ActionFacet::Kind, kind_slug(slot), list.len()));
            }
        }
        out.sort();
        out
    }

    /// How many items the whole tracker holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there is no action item at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The positions (in the tracker's order) of a filter's items; `None`
    /// for an unknown slug.
    fn selection(&self, filter: Option<(ActionFacet, &str)>) -> Option<Selection<'_>> {
        match filter {
            None => Some(Selection::All(self.items.len())),
            Some((ActionFacet::Owner, slug)) => {
                let slot = *self.owner_slots.get(slug)?;
                self.by_owner
                    .get(slot as usize)
                    .filter(|l| !l.is_empty())
                    .map(|l| Selection::Subset(l))
            }
            Some((ActionFacet::Kind, slug)) => {
                let slot = (0..=ActionKind::ALL.len())
                    .find(|s| kind_slug(u8::try_from(*s).unwrap_or(u8::MAX)) == slug)?;
                self.by_kind
                    .get(slot)
                    .filter(|l| !l.is_empty())
                    .map(|l| Selection::Subset(l))
            }
        }
    }

    /// The item at position `n` of the tracker, as the page shows it: a
    /// row on the whole tracker, a link to that row on an owner's or kind's
    /// page (`link`). Made for the page that lists it and dropped with it
    /// (kept for every page, the 49,605 items of 10,000 records held about
    /// 50 MB until the end of the build).
    fn entry<'c>(
        &self,
        cx: &'c ViewCx<'_>,
        order: &[String],
        page_size: usize,
        n: usize,
        link: bool,
    ) -> Option<TrackerEntry<'c>> {
        let item = self.items.get(n)?;
        let id = order.get(item.incident as usize)?;
        let incident = cx.corpus.incidents.get(id)?;
        let action = incident.actions.get(item.action as usize)?;
        // The row's anchor, made once for its address and, on a row, itself.
        let anchor = action_anchor(id, action);
        let row_url = urls::action_on_page(&anchor, n / page_size.max(1) + 1);
        if link {
            return Some(TrackerEntry::Link(TrackerLink {
                row_url,
                incident_title: &incident.title,
                number: action.index + 1,
                due_note: due_note(action, cx.today),
                overdue: is_overdue(action, cx.today),
                status: action.status.as_str(),
                due: action.due.map(|d| d.to_string()),
                closed: action.closed.map(|d| d.to_string()),
            }));
        }
        let owner = self.owners.get(item.owner as usize)?;
        let data_kind = kind_slug(item.kind);
        Some(TrackerEntry::Row(Box::new(TrackerItem {
            anchor,
            row_url,
            number: action.index + 1,
            state: item.state.as_str(),
            owner_url: owner.url.clone(),
            kind_url: self
                .kind_urls
                .get(usize::from(item.kind))
                .cloned()
                .unwrap_or_else(|| tracker_page_url(ActionFacet::Kind, data_kind)),
            data_owner: owner.slug.clone(),
            data_kind: data_kind.to_owned(),
            due_note: due_note(action, cx.today),
            action: cx.action(incident, action),
        })))
    }

    /// One page of the tracker, whole (`filter` = `None`) or for one owner
    /// or kind; `number` is 1-based. `None` when the slug names no owner or
    /// kind with items.
    pub fn view<'c>(
        &self,
        cx: &'c ViewCx<'_>,
        order: &[String],
        filter: Option<(ActionFacet, &str)>,
        page_size: usize,
        number: usize,
    ) -> Option<TrackerView<'c>> {
        let selection = self.selection(filter)?;
        let total = selection.len();
        let open_count = selection.count_below(self.open);
        let rows_per_page = page_size.max(1);
        let page_size = items_per_page(filter.is_some(), page_size);
        let start = number
            .saturating_sub(1)
            .saturating_mul(page_size)
            .min(total);
        let end = start.saturating_add(page_size).min(total);
        let mut open = Vec::new();
        let mut closed = Vec::new();
        for n in start..end {
            let at = selection.at(n);
            let Some(view) = self.entry(cx, order, rows_per_page, at, filter.is_some()) else {
                continue;
            };
            if n < open_count {
                open.push(view);
            } else {
                closed.push(view);
            }
        }
        let overdue_count = (0..open_count)
            .take_while(|n| {
                self.items
                    .get(selection.at(*n))
                    .is_some_and(|i| i.state == State::Overdue)
            })
            .count();
        let first_url = match filter {
            None => urls::ACTIONS.to_owned(),
            Some((facet, slug)) => tracker_page_url(facet, slug),
        };
        let pages = total.div_ceil(page_size).max(1);
        let closed_page = if total > open_count {
            open_count / page_size + 1
        } else {
            pages
        };
        // The filter's own table has its row current; the other table is
        // shown whole, as on the whole tracker.
        let mut owners = self.owner_table.clone();
        let mut kinds = self.kind_table.clone();
        let filter = match filter {
            None => None,
            Some((facet, slug)) => {
                let rows = if facet == ActionFacet::Owner {
                    &self.owner_rows
                } else {
                    &self.kind_rows
                };
                let row = rows.iter().find(|r| r.slug == slug)?;
                let current = GroupRow {
                    current: true,
                    ..row.clone()
                };
                if facet == ActionFacet::Owner {
                    // An owner's page shows its own row of the owners table,
                    // not every owner's: with every row on every owner's
                    // page, the tracker grew with the square of the number
                    // of owners (one record with 500 owners: 70 MB). The
                    // whole tracker and the kinds' pages list them all, and
                    // each owner's page links back to it.
                    owners = GroupRows::Own(vec![current]);
                } else {
                    kinds = GroupRows::Own(
                        rows.iter()
                            .map(|r| {
                                if r.slug == slug {
                                    current.clone()
                                } else {
                                    r.clone()
                                }
                            })
                            .collect(),
                    );
                }
                Some(TrackerFilter {
                    key: facet.key(),
                    label: facet.label(),
                    value: row.label.clone(),
                    slug: slug.to_owned(),
                })
            }
        };
        Some(TrackerView {
            open,
            closed,
            open_count,
            overdue_count,
            closed_count: total - open_count,
            open_url: urls::page(&first_url, 1),
            closed_url: urls::page(&first_url, closed_page),
            closed_page,
            open_pages: open_count.div_ceil(page_size),
            owners,
            kinds,
            filter,
            owner_pattern: tracker_page_url(ActionFacet::Owner, "{slug}"),
            kind_pattern: tracker_page_url(ActionFacet::Kind, "{slug}"),
            rows_per_page,
        })
    }

    /// `actions-index.js`: every item in the tracker's order, for
    /// `search.js` to filter the whole tracker in the browser and to find
    /// the page of an item's anchor. Compact: incidents and owners are
    /// listed once and items refer to them by position.
    pub fn script(&self, cx: &ViewCx<'_>, order: &[String], page_size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a vector fails only as serialising does.
        if self.write_script(cx, order, page_size, &mut out).is_err() {
            out = b"window.PM_ACTIONS = null;\n".to_vec();
        }
        out
    }

    /// [`Tracker::script`], written into `out` as it is made.
    pub fn write_script(
        &self,
        cx: &ViewCx<'_>,
        order: &[String],
        page_size: usize,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct Index<'a> {
            version: u32,
            page_size: usize,
            open: usize,
            incidents: Vec<(&'a str, &'a str, String)>,
            owners: Vec<(&'a str, &'a str)>,
            kinds: Vec<(&'static str, &'static str)>,
            paths: urls::ScriptPaths,
            items: Vec<ScriptItem<'a>>,
        }
        #[derive(Serialize)]
        struct ScriptItem<'a>(
            u32,
            usize,
            String,
            u32,
            u8,
            &'static str,
            &'static str,
            Option<Shown<jiff::civil::Date>>,
            Option<Shown<jiff::civil::Date>>,
            Option<&'a str>,
        );
        // Only the incidents that have items, renumbered densely: each
        // incident's slot by its position in `order`.
        let mut incident_slot: Vec<Option<u32>> = vec![None; order.len()];
        let mut incidents = Vec::new();
        let mut items = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let Some(id) = order.get(item.incident as usize) else {
                continue;
            };
            let Some(incident) = cx.corpus.incidents.get(id) else {
                continue;
            };
            let Some(action) = incident.actions.get(item.action as usize) else {
                continue;
            };
            let Some(known) = incident_slot.get_mut(item.incident as usize) else {
                continue;
            };
            let slot = *known.get_or_insert_with(|| {
                incidents.push((
                    incident.id.as_str(),
                    incident.title.as_str(),
                    urls::incident(&incident.id),
                ));
                u32::try_from(incidents.len() - 1).unwrap_or(u32::MAX)
            });
            items.push(ScriptItem(
                slot,
                action.index + 1,
                plain(cx, &action.text),
                item.owner,
                item.kind,
                action.status.as_str(),
                item.state.as_str(),
                action.due.map(Shown),
                action.closed.map(Shown),
                action.link.as_deref().filter(|l| is_safe_url(l)),
            ));
        }
        let index = Index {
            version: 1,
            page_size,
            open: self.open,
            incidents,
            owners: self
                .owners
                .iter()
                .map(|o| (o.slug.as_str(), o.label.as_str()))
                .collect(),
            kinds: (0..=ActionKind::ALL.len())
                .map(|s| {
                    let s = u8::try_from(s).unwrap_or(u8::MAX);
                    (kind_slug(s), kind_label(s))
                })
                .collect(),
            paths: urls::script_paths(),
            items,
        };
        out.write_all(b"window.PM_ACTIONS = ")?;
        let mut safe = super::search::ScriptSafe::new(&mut *out);
        // serde_json writes a token at a time: gathered first, the escaper
        // looks at long runs, not at each quote and comma on its own.
        let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, &mut safe);
        serde_json::to_writer(&mut buffered, &index)?;
        buffered
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        safe.finish()?;
        out.write_all(b";\n")
    }
}

/// An item's text as plain text: most are plain already, and a comrak
/// parse per item of a large tracker is the cost of a page; only text with
/// Markdown punctuation, or a block marker at the start, goes through it.
fn plain(cx: &ViewCx<'_>, text: &str) -> String {
    let markup = text.bytes().any(is_mark)
        || text
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '='));
    if markup {
        cx.markdown.plain(text)
    } else {
        let mut out = String::with_capacity(text.len());
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }
}

/// Whether a byte is Markdown punctuation [`plain`] hands to comrak. The
/// marks are ASCII, so a byte scan finds them: a `char` pattern of thirteen
/// compared each character thirteen times.
fn is_mark(b: u8) -> bool {
    matches!(
        b,
        b'*' | b'_' | b'`' | b'[' | b']' | b'<' | b'>' | b'&' | b'\\' | b'!' | b'~' | b'#' | b'|'
    )
}

/// The items a tracker page draws from: all of them, or one owner's or
/// kind's (positions in the tracker's order, ascending).
enum Selection<'a> {
    All(usize),
    Subset(&'a [u32]),
}

impl Selection<'_> {
    fn len(&self) -> usize {
        match self {
            Selection::All(n) => *n,
            Selection::Subset(list) => list.len(),
        }
    }

    /// The position in the tracker of the selection's `n`th item.
    fn at(&self, n: usize) -> usize {
        match self {
            Selection::All(_) => n,
            Selection::Subset(list) => list.get(n).map_or(usize::MAX, |p| *p as usize),
        }
    }

    /// How many of the selection's items sit before position `end` of the
    /// tracker (the open ones, for `end` = the open count).
    fn count_below(&self, end: usize) -> usize {
        match self {
            Selection::All(n) => end.min(*n),
            Selection::Subset(list) => list.partition_point(|p| (*p as usize) < end),
        }
    }
}

#[cfg(test)]
mod tests;
