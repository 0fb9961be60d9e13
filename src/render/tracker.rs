//! The action-item tracker: every action item of every incident, open and
//! overdue first, with a stable anchor per item, grouped by owner and kind;
//! and `actions.csv`, the same items for spreadsheets.
//!
//! Like the incident list, the tracker filters twice: a pre-rendered page
//! per owner and per kind (`actions/owners/<slug>/index.html`) without
//! JavaScript, `search.js` on `data-*` attributes with it. Nothing here
//! reads or writes files.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::listing::Slugs;
use super::view::{ActionView, ViewCx, is_overdue};
use crate::model::{Action, ActionKind, Incident};
use crate::stats::csv_cell;

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
            ActionFacet::Owner => "owners",
            ActionFacet::Kind => "kinds",
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
    format!("actions/{}/{slug}/index.html", facet.dir())
}

/// The stable anchor of an action item: its incident's id and its 1-based
/// position in the record (`action-2026-11-03-checkout-latency-2`).
/// Reordering a record's `[[actions]]` changes it; nothing else does.
pub fn action_anchor(incident_id: &str, action: &Action) -> String {
    format!("action-{incident_id}-{}", action.index + 1)
}

/// The site-root-relative URL of an item on the tracker.
pub fn action_url(incident_id: &str, action: &Action) -> String {
    format!("actions/index.html#{}", action_anchor(incident_id, action))
}

/// One item on the tracker.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerItem {
    #[serde(flatten)]
    pub action: ActionView,
    pub anchor: String,
    /// `overdue`, `open` or `closed`.
    pub state: &'static str,
    pub data_owner: String,
    pub data_kind: String,
    pub owner_url: String,
    pub kind_url: String,
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

/// The filter a tracker page is limited to.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerFilter {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub slug: String,
}

/// The tracker page's data.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct TrackerView {
    pub open: Vec<TrackerItem>,
    pub closed: Vec<TrackerItem>,
    pub open_count: usize,
    pub overdue_count: usize,
    pub closed_count: usize,
    pub owners: Vec<GroupRow>,
    pub kinds: Vec<GroupRow>,
    pub filter: Option<TrackerFilter>,
}

/// Every action item with what the tracker needs, built once per page.
pub struct Tracker<'a> {
    items: Vec<(&'a Incident, &'a Action)>,
    owners: Slugs,
}

impl<'a> Tracker<'a> {
    /// The items of every incident of the site.
    pub fn new(cx: &ViewCx<'a>) -> Tracker<'a> {
        let items: Vec<(&Incident, &Action)> = cx
            .corpus
            .incidents
            .values()
            .flat_map(|i| i.actions.iter().map(move |a| (i, a)))
            .collect();
        let owners = Slugs::new(items.iter().filter_map(|(_, a)| a.owner.clone()));
        Tracker { items, owners }
    }

    fn owner_slug(&self, action: &Action) -> String {
        action
            .owner
            .as_deref()
            .and_then(|o| self.owners.get(o))
            .unwrap_or(UNOWNED)
            .to_owned()
    }

    fn kind_slug(action: &Action) -> &'static str {
        action.kind.map_or(NO_KIND, ActionKind::as_str)
    }

    /// Every tracker page below `actions/`: facet and slug.
    pub fn pages(&self) -> Vec<(ActionFacet, String)> {
        let mut out: BTreeSet<(ActionFacet, String)> = BTreeSet::new();
        for (_, a) in &self.items {
            out.insert((ActionFacet::Owner, self.owner_slug(a)));
            out.insert((ActionFacet::Kind, Self::kind_slug(a).to_owned()));
        }
        out.into_iter().collect()
    }

    /// `overdue`, `open` or `closed`.
    fn state(cx: &ViewCx<'_>, action: &Action) -> &'static str {
        if is_overdue(action, cx.today) {
            "overdue"
        } else if action.status.is_open() {
            "open"
        } else {
            "closed"
        }
    }

    fn item(&self, cx: &ViewCx<'_>, incident: &Incident, action: &Action) -> TrackerItem {
        let data_owner = self.owner_slug(action);
        let data_kind = Self::kind_slug(action).to_owned();
        TrackerItem {
            anchor: action_anchor(&incident.id, action),
            state: Self::state(cx, action),
            owner_url: tracker_page_url(ActionFacet::Owner, &data_owner),
            kind_url: tracker_page_url(ActionFacet::Kind, &data_kind),
            data_owner,
            data_kind,
            action: cx.action(incident, action),
        }
    }

    /// Counts per owner or kind, from the records alone (no Markdown is
    /// rendered for them: a page per owner must not render every item).
    fn groups(
        &self,
        cx: &ViewCx<'_>,
        facet: ActionFacet,
        current: Option<(ActionFacet, &str)>,
    ) -> Vec<GroupRow> {
        let mut rows: BTreeMap<(u8, String), GroupRow> = BTreeMap::new();
        for (_, a) in &self.items {
            let (slug, label) = match facet {
                ActionFacet::Owner => (
                    self.owner_slug(a),
                    a.owner.clone().unwrap_or_else(|| "Unowned".to_owned()),
                ),
                ActionFacet::Kind => (
                    Self::kind_slug(a).to_owned(),
                    a.kind.map_or("No kind given", ActionKind::label).to_owned(),
                ),
            };
            // Kinds in the format's order, "no kind" last; owners by name,
            // "unowned" last (then re-sorted by open work below).
            let (order, sort_label) = match facet {
                ActionFacet::Kind => (
                    a.kind.map_or(u8::MAX, |k| {
                        ActionKind::ALL
                            .iter()
                            .position(|x| *x == k.as_str())
                            .map_or(u8::MAX, |p| u8::try_from(p).unwrap_or(u8::MAX))
                    }),
                    String::new(),
                ),
                ActionFacet::Owner => (u8::from(slug == UNOWNED), label.to_lowercase()),
            };
            let row = rows
                .entry((order, format!("{sort_label}\u{0}{slug}")))
                .or_insert_with(|| GroupRow {
                    url: tracker_page_url(facet, &slug),
                    current: current.is_some_and(|(f, s)| f == facet && s == slug),
                    label,
                    slug,
                    open: 0,
                    overdue: 0,
                    closed: 0,
                    next_due: None,
                });
            match Self::state(cx, a) {
                "closed" => row.closed += 1,
                state => {
                    row.open += 1;
                    if state == "overdue" {
                        row.overdue += 1;
                    }
                    let d = a.due.map(|d| d.to_string());
                    if d.is_some() && (row.next_due.is_none() || d < row.next_due) {
                        row.next_due = d;
                    }
                }
            }
        }
        let mut rows: Vec<GroupRow> = rows.into_values().collect();
        if facet == ActionFacet::Owner {
            // Who has the most pressing work first: overdue, then open. The
            // map's order (by name) breaks ties; the sort is stable.
            rows.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)));
        }
        rows
    }

    /// The tracker, whole (`filter` = `None`) or for one owner or kind.
    /// `None` when the slug names no owner or kind with items.
    pub fn view(
        &self,
        cx: &ViewCx<'_>,
        filter: Option<(ActionFacet, &str)>,
    ) -> Option<TrackerView> {
        let owners = self.groups(cx, ActionFacet::Owner, filter);
        let kinds = self.groups(cx, ActionFacet::Kind, filter);
        let filter = match filter {
            None => None,
            Some((facet, slug)) => {
                let list = if facet == ActionFacet::Owner {
                    &owners
                } else {
                    &kinds
                };
                let row = list.iter().find(|r| r.slug == slug)?;
                Some(TrackerFilter {
                    key: facet.key(),
                    label: facet.label(),
                    value: row.label.clone(),
                    slug: slug.to_owned(),
                })
            }
        };
        let keep = |a: &Action| match &filter {
            None => true,
            Some(f) if f.key == "owner" => self.owner_slug(a) == f.slug,
            Some(f) => Self::kind_slug(a) == f.slug,
        };
        let mut open = Vec::new();
        let mut closed = Vec::new();
        for (i, a) in self.items.iter().filter(|(_, a)| keep(a)) {
            let item = self.item(cx, i, a);
            if item.state == "closed" {
                closed.push((a.closed, a.index, item));
            } else {
                open.push((a.due, a.index, item));
            }
        }
        open.sort_by(|(da, ia, a), (db, ib, b)| {
            b.action
                .overdue
                .cmp(&a.action.overdue)
                .then_with(|| da.is_none().cmp(&db.is_none()))
                .then_with(|| da.cmp(db))
                .then_with(|| a.action.incident_id.cmp(&b.action.incident_id))
                .then_with(|| ia.cmp(ib))
        });
        closed.sort_by(|(ca, ia, a), (cb, ib, b)| {
            cb.cmp(ca)
                .then_with(|| a.action.incident_id.cmp(&b.action.incident_id))
                .then_with(|| ia.cmp(ib))
        });
        let overdue_count = open.iter().filter(|(_, _, a)| a.action.overdue).count();
        Some(TrackerView {
            open_count: open.len(),
            closed_count: closed.len(),
            overdue_count,
            open: open.into_iter().map(|(_, _, a)| a).collect(),
            closed: closed.into_iter().map(|(_, _, a)| a).collect(),
            owners,
            kinds,
            filter,
        })
    }
}

/// `actions.csv`: one row per action item, by incident id and position,
/// RFC 4180 (CRLF line ends, fields quoted when needed, cells that would
/// start a spreadsheet formula prefixed with `'`). `site_url` is the
/// site's absolute URL when there is one, for the `url` column.
pub fn actions_csv(cx: &ViewCx<'_>, site_url: Option<&str>) -> Vec<u8> {
    let mut out = String::new();
    let header = [
        "id",
        "incident",
        "incident_title",
        "kind",
        "text",
        "owner",
        "due",
        "status",
        "closed",
        "overdue",
        "link",
        "url",
    ];
    push_row(&mut out, header.iter().map(|s| (*s).to_owned()));
    for incident in cx.corpus.incidents.values() {
        for a in &incident.actions {
            let view = cx.action(incident, a);
            push_row(
                &mut out,
                [
                    action_anchor(&incident.id, a),
                    incident.id.clone(),
                    incident.title.clone(),
                    a.kind.map(ActionKind::as_str).unwrap_or("").to_owned(),
                    a.text.clone(),
                    a.owner.clone().unwrap_or_default(),
                    a.due.map(|d| d.to_string()).unwrap_or_default(),
                    a.status.as_str().to_owned(),
                    a.closed.map(|d| d.to_string()).unwrap_or_default(),
                    view.overdue.to_string(),
                    a.link.clone().unwrap_or_default(),
                    format!("{}{}", site_url.unwrap_or(""), action_url(&incident.id, a)),
                ],
            );
        }
    }
    out.into_bytes()
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}
