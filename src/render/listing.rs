//! The incident list and its filters: by severity, type, service, status
//! and year.
//!
//! Every filter works twice. Without JavaScript it is a pre-rendered listing
//! page per value (`severities/sev2/index.html`, `services/<slug>/index.html`,
//! ..., each paginated like the index); with JavaScript, `search.js` filters
//! every incident of the search index (not only the page's rows) by the
//! slugs built here, which the index also carries. Both use the same
//! path-safe slugs, so a URL parameter (`?service=<slug>`) and a page name
//! always agree. Nothing here reads or writes files.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use super::cx::{IncidentSummary, SummaryView, ViewCx};
use super::urls;
use crate::humanize as format;
use crate::markdown::excerpt;
use crate::model::{Incident, Status, slug};

/// A dimension the incident list can be filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Facet {
    /// `severity`.
    Severity,
    /// `type`.
    Type,
    /// One of `services`.
    Service,
    /// `status`.
    Status,
    /// The year the incident started (in the record's time zone).
    Year,
}

impl Facet {
    /// Every facet, in the order filters are shown.
    pub const ALL: [Facet; 5] = [
        Facet::Severity,
        Facet::Type,
        Facet::Service,
        Facet::Status,
        Facet::Year,
    ];

    /// The URL parameter and `data-*` attribute name.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Severity => "severity",
            Facet::Type => "type",
            Facet::Service => "service",
            Facet::Status => "status",
            Facet::Year => "year",
        }
    }

    /// The folder of the facet's listing pages.
    pub fn dir(self) -> &'static str {
        match self {
            Facet::Severity => urls::SEVERITIES,
            Facet::Type => urls::TYPES,
            Facet::Service => urls::SERVICES,
            Facet::Status => urls::STATUSES,
            Facet::Year => urls::YEARS,
        }
    }

    /// The facet's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Severity => "Severity",
            Facet::Type => "Type",
            Facet::Service => "Service",
            Facet::Status => "Status",
            Facet::Year => "Year",
        }
    }
}

/// Free-text values (service names, owners) mapped to path-safe slugs:
/// lowercase ASCII letters, digits and single hyphens.
///
/// The mapping is deterministic and collision-free. A value whose slug no
/// other value shares gets the plain slug; when several share one, a value
/// already written as that slug keeps it and the others get a suffix from a
/// hash of their exact text (`api-3f2a9c1e`), so adding a value never renames
/// an unrelated one. A last pass numbers anything still clashing.
#[derive(Debug, Default, Clone)]
pub struct Slugs {
    slug_of: BTreeMap<String, String>,
}

impl Slugs {
    /// Slugs for a set of values.
    pub fn new<I, S>(values: I) -> Slugs
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: BTreeSet<String> = values.into_iter().map(Into::into).collect();
        let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for v in &values {
            groups.entry(base_slug(v)).or_default().push(v);
        }
        let mut wanted: Vec<(&String, String)> = Vec::with_capacity(values.len());
        for (base, members) in &groups {
            for v in members {
                let candidate = if members.len() == 1 || *v == base {
                    base.clone()
                } else {
                    format!("{base}-{:08x}", fnv1a(v.as_bytes()) >> 32)
                };
                wanted.push((v, candidate));
            }
        }
        // Values written exactly as their slug claim it first, then the rest
        // in sorted order; a clash (only possible when a hash suffix meets a
        // real value) is numbered.
        wanted.sort_by(|(va, ca), (vb, cb)| ((*va != ca), va).cmp(&((*vb != cb), vb)));
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let mut slug_of = BTreeMap::new();
        for (v, candidate) in wanted {
            let mut slug = candidate.clone();
            let mut n = 2;
            while taken.contains(&slug) {
                slug = format!("{candidate}-{n}");
                n += 1;
            }
            taken.insert(slug.clone());
            slug_of.insert(v.clone(), slug);
        }
        Slugs { slug_of }
    }

    /// The slug of a value, if the value is known.
    pub fn get(&self, value: &str) -> Option<&str> {
        self.slug_of.get(value).map(String::as_str)
    }

    /// `(value, slug)` pairs, by value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.slug_of.iter().map(|(v, s)| (v.as_str(), s.as_str()))
    }
}

/// The slug a value asks for before clashes are settled.
fn base_slug(value: &str) -> String {
    let mut s = slug(value);
    s.truncate(60);
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() { "x".to_owned() } else { s }
}

/// 64-bit FNV-1a: small, stable across platforms and releases.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The calendar day an incident started on, in its own time zone.
pub(super) fn start_date(cx: &ViewCx<'_>, incident: &Incident) -> Option<Date> {
    cx.analyses
        .incidents
        .get(&incident.id)
        .and_then(|a| a.start)
        .map(|s| format::day(s, incident.zone.as_ref()))
}

/// Slugs of every facet value in the corpus, and which incidents have each.
#[derive(Debug, Default)]
pub struct Facets {
    slugs: BTreeMap<Facet, Slugs>,
    /// Per facet and slug, the positions of its incidents in the build's
    /// newest-first order, ascending (so newest first too).
    members: BTreeMap<(Facet, String), Vec<u32>>,
}

impl Facets {
    /// The facets of `incidents`, the site's incidents newest first.
    pub fn of(cx: &ViewCx<'_>, incidents: &[&Incident]) -> Facets {
        // Each incident's values, worked out once (the year needs its time zone).
        let raw: Vec<Vec<(Facet, String)>> = incidents
            .iter()
            .map(|i| {
                Facet::ALL
                    .into_iter()
                    .flat_map(|f| raw_values(cx, f, i).into_iter().map(move |v| (f, v)))
                    .collect()
            })
            .collect();
        let mut values: BTreeMap<Facet, BTreeSet<&str>> = BTreeMap::new();
        for vs in &raw {
            for (f, v) in vs {
                values.entry(*f).or_default().insert(v);
            }
        }
        let slugs: BTreeMap<Facet, Slugs> = Facet::ALL
            .into_iter()
            .map(|f| (f, Slugs::new(values.remove(&f).unwrap_or_default())))
            .collect();
        let mut members: BTreeMap<(Facet, String), Vec<u32>> = BTreeMap::new();
        for (pos, vs) in raw.iter().enumerate() {
            let pos = u32::try_from(pos).unwrap_or(u32::MAX);
            for (f, v) in vs {
                if let Some(s) = slugs.get(f).and_then(|m| m.get(v)) {
                    let list = members.entry((*f, s.to_owned())).or_default();
                    // An incident with the same service twice counts once.
                    if list.last() != Some(&pos) {
                        list.push(pos);
                    }
                }
            }
        }
        Facets { slugs, members }
    }

    /// The slug of a facet value.
    pub fn slug(&self, facet: Facet, value: &str) -> Option<&str> {
        self.slugs.get(&facet).and_then(|s| s.get(value))
    }

    /// `(value, slug)` pairs of a facet, by value.
    pub fn values(&self, facet: Facet) -> impl Iterator<Item = (&str, &str)> {
        self.slugs.get(&facet).into_iter().flat_map(Slugs::iter)
    }

    /// Every listing page's facet and slug with its number of incidents,
    /// in a stable order.
    pub fn listings(&self) -> impl Iterator<Item = (Facet, &str, usize)> {
        self.members
            .iter()
            .map(|((facet, slug), list)| (*facet, slug.as_str(), list.len()))
    }

    /// The positions (in the newest-first order) of the incidents with this
    /// facet value.
    pub fn members(&self, facet: Facet, slug: &str) -> Option<&[u32]> {
        self.members
            .get(&(facet, slug.to_owned()))
            .map(Vec::as_slice)
    }

    /// The value a slug stands for.
    pub fn value(&self, facet: Facet, slug: &str) -> Option<&str> {
        self.slugs
            .get(&facet)?
            .iter()
            .find(|(_, s)| *s == slug)
            .map(|(v, _)| v)
    }

    /// The options of one facet's filter, in the order people expect:
    /// severities worst first, statuses in incident order, years newest first,
    /// other values alphabetically.
    pub fn options(&self, cx: &ViewCx<'_>, facet: Facet) -> Vec<FacetOption> {
        let Some(slugs) = self.slugs.get(&facet) else {
            return Vec::new();
        };
        let mut options: Vec<FacetOption> = slugs
            .iter()
            .map(|(value, slug)| FacetOption {
                label: value.to_owned(),
                slug: slug.to_owned(),
                url: urls::listing(facet.dir(), slug),
                count: self.members(facet, slug).map_or(0, <[u32]>::len),
                rank: cx.config.severity_rank(value).unwrap_or(0),
                current: false,
            })
            .filter(|o| o.count > 0)
            .collect();
        match facet {
            Facet::Severity => options.sort_by_key(|o| (o.rank, o.label.clone())),
            Facet::Status => options.sort_by_key(|o| {
                Status::ALL
                    .iter()
                    .position(|s| *s == o.label)
                    .unwrap_or(usize::MAX)
            }),
            Facet::Year => options.sort_by(|a, b| b.label.cmp(&a.label)),
            Facet::Type | Facet::Service => {}
        }
        if facet != Facet::Severity {
            for o in &mut options {
                o.rank = 0;
            }
        }
        options
    }

    /// Every facet with its options, for the filter form and the
    /// "browse by" links.
    pub fn views(&self, cx: &ViewCx<'_>) -> Vec<FacetView> {
        Facet::ALL
            .into_iter()
            .map(|f| FacetView {
                key: f.key(),
                label: f.label(),
                options: self.options(cx, f),
            })
            .filter(|v| !v.options.is_empty())
            .collect()
    }

    /// One incident as a row of a filterable list.
    pub fn row(&self, cx: &ViewCx<'_>, incident: &Incident) -> ListRow {
        let slug = |facet: Facet, value: &str| self.slug(facet, value).unwrap_or("").to_owned();
        let service_links: Vec<FacetLink> = incident
            .services
            .iter()
            .map(|s| {
                let slug = slug(Facet::Service, s);
                FacetLink {
                    label: s.clone(),
                    url: urls::listing(Facet::Service.dir(), &slug),
                    slug,
                }
            })
            .collect();
        let year = start_date(cx, incident).map(|d| d.year().to_string());
        let data_type = slug(Facet::Type, &incident.kind.value);
        let summary_short = incident
            .summary
            .as_deref()
            .map(|s| excerpt(&cx.markdown.plain(s), SUMMARY_SHOWN))
            .filter(|s| !s.is_empty());
        ListRow {
            incident: cx.summary(incident),
            summary_short,
            data_severity: slug(Facet::Severity, &incident.severity.value),
            type_url: urls::listing(Facet::Type.dir(), &data_type),
            data_type,
            data_service: service_links
                .iter()
                .map(|l| l.slug.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            data_status: slug(Facet::Status, incident.status.value.as_str()),
            data_year: year
                .as_deref()
                .map(|y| slug(Facet::Year, y))
                .unwrap_or_default(),
            severity_url: urls::listing(
                Facet::Severity.dir(),
                &slug(Facet::Severity, &incident.severity.value),
            ),
            service_links,
        }
    }

    /// One page of a listing, or `None` for an unknown facet value.
    /// `summary` holds the figures of all its incidents (not only this
    /// page's), `rows` the page's incidents.
    pub fn listing<'s>(
        &self,
        cx: &ViewCx<'_>,
        facet: Facet,
        slug: &str,
        summary: &'s SummaryView,
    ) -> Option<ListingView<'s>> {
        let value = self.value(facet, slug)?.to_owned();
        let mut siblings = self.options(cx, facet);
        for o in &mut siblings {
            o.current = o.slug == slug;
        }
        // Every value's page listing every other value made the site grow
        // with the square of the number of values (3,000 services: 1.6 GB);
        // a window of neighbours around the current value keeps each page's
        // size bounded, and the index's filter lists them all.
        let siblings_hidden = siblings.len().saturating_sub(SIBLINGS_SHOWN);
        if siblings_hidden > 0 {
            let at = siblings.iter().position(|o| o.current).unwrap_or(0);
            let start = at
                .saturating_sub(SIBLINGS_SHOWN / 2)
                .min(siblings.len() - SIBLINGS_SHOWN);
            siblings = siblings
                .into_iter()
                .skip(start)
                .take(SIBLINGS_SHOWN)
                .collect();
        }
        let title = match facet {
            Facet::Severity => format!("{value} incidents"),
            Facet::Type => format!("Incidents of type {value}"),
            Facet::Service => format!("Incidents affecting {value}"),
            Facet::Status => format!("{} incidents", capitalize(&value)),
            Facet::Year => format!("Incidents of {value}"),
        };
        let playbook = (facet == Facet::Type
            && (cx.corpus.playbooks.contains_key(&value) || crate::model::is_valid_id(&value)))
        .then(|| urls::playbook(&value));
        Some(ListingView {
            key: facet.key(),
            label: facet.label(),
            value,
            slug: slug.to_owned(),
            title,
            summary,
            siblings,
            siblings_hidden,
            playbook_url: playbook,
        })
    }
}

/// The raw values an incident has for a facet (several for services).
fn raw_values(cx: &ViewCx<'_>, facet: Facet, incident: &Incident) -> Vec<String> {
    match facet {
        Facet::Severity => vec![incident.severity.value.clone()],
        Facet::Type => vec![incident.kind.value.clone()],
        Facet::Service => incident.services.clone(),
        Facet::Status => vec![incident.status.value.as_str().to_owned()],
        Facet::Year => start_date(cx, incident)
            .map(|d| vec![d.year().to_string()])
            .unwrap_or_default(),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// One value of a facet, as a filter option and a link to its page.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct FacetOption {
    pub label: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
    /// Severity rank (1 = worst), 0 for other facets.
    pub rank: usize,
    /// Whether this is the value of the page being shown.
    pub current: bool,
}

/// A facet and its values.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct FacetView {
    pub key: &'static str,
    pub label: &'static str,
    pub options: Vec<FacetOption>,
}

/// A link to a facet value's listing page.
#[derive(Debug, Clone, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct FacetLink {
    pub label: String,
    pub slug: String,
    pub url: String,
}

/// One incident in a filterable list, the context of `incident-row.html`
/// (rendered once per incident and build, see `render::lists`): the list
/// summary plus the links to its listing pages and what the filters need.
/// `data_*` fields are slugs, space-separated for services.
#[derive(Debug, Clone)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ListRow {
    /// Its fields come first in the row (see its `Serialize`).
    pub incident: IncidentSummary,
    /// The summary as plain text, cut to [`SUMMARY_SHOWN`] characters.
    pub summary_short: Option<String>,
    pub data_severity: String,
    pub data_type: String,
    pub data_service: String,
    pub data_status: String,
    pub data_year: String,
    pub severity_url: String,
    pub type_url: String,
    pub service_links: Vec<FacetLink>,
}

/// The summary's fields, then the row's own, in the order
/// `#[serde(flatten)]` gave them, written as one struct
/// ([`IncidentSummary::serialize_fields`]).
impl Serialize for ListRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every field named: one added must be written here.
        let ListRow {
            incident,
            summary_short,
            data_severity,
            data_type,
            data_service,
            data_status,
            data_year,
            severity_url,
            type_url,
            service_links,
        } = self;
        let mut s = serializer.serialize_struct("ListRow", IncidentSummary::FIELDS + 9)?;
        incident.serialize_fields(&mut s)?;
        s.serialize_field("summary_short", summary_short)?;
        s.serialize_field("data_severity", data_severity)?;
        s.serialize_field("data_type", data_type)?;
        s.serialize_field("data_service", data_service)?;
        s.serialize_field("data_status", data_status)?;
        s.serialize_field("data_year", data_year)?;
        s.serialize_field("severity_url", severity_url)?;
        s.serialize_field("type_url", type_url)?;
        s.serialize_field("service_links", service_links)?;
        s.end()
    }
}

/// A page of a listing: the incidents with one facet value.
#[derive(Debug, Serialize)]
#[expect(missing_docs, reason = "documented in docs/templates.md")]
pub struct ListingView<'s> {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub slug: String,
    pub title: String,
    /// Figures for all the incidents with the value, not only this page's.
    pub summary: &'s SummaryView,
    pub siblings: Vec<FacetOption>,
    pub siblings_hidden: usize,
    pub playbook_url: Option<String>,
}

/// How many characters of an incident's summary a list row shows (plain
/// text, cut at a word): the whole summary is on the incident's page, and a
/// row is listed on the index and on every listing page of its values.
pub const SUMMARY_SHOWN: usize = 90;

/// How many values of a facet a listing page links to, around its own.
pub const SIBLINGS_SHOWN: usize = 25;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_path_safe_and_plain_when_unique() {
        let s = Slugs::new(["payments-gateway", "Orders DB (EU)", "../../etc", "日本"]);
        assert_eq!(s.get("payments-gateway"), Some("payments-gateway"));
        assert_eq!(s.get("Orders DB (EU)"), Some("orders-db-eu"));
        assert_eq!(s.get("../../etc"), Some("etc"));
        assert_eq!(s.get("日本"), Some("x"));
        for (_, slug) in s.iter() {
            assert!(crate::model::is_valid_id(slug), "{slug}");
        }
    }

    #[test]
    fn clashing_slugs_are_told_apart_deterministically() {
        let a = Slugs::new(["api", "API", "Api!"]);
        let b = Slugs::new(["Api!", "API", "api"]);
        assert_eq!(
            a.get("api"),
            Some("api"),
            "the value written as the slug keeps it"
        );
        let api = a.get("API").unwrap();
        let api2 = a.get("Api!").unwrap();
        assert!(api.starts_with("api-") && api2.starts_with("api-") && api != api2);
        assert_eq!(a.get("API"), b.get("API"), "independent of input order");
        // Adding an unrelated value renames nothing.
        let c = Slugs::new(["api", "API", "Api!", "billing"]);
        assert_eq!(c.get("API"), a.get("API"));
    }

    #[test]
    fn a_hash_suffix_meeting_a_real_value_is_numbered() {
        let hashed = format!("api-{:08x}", fnv1a(b"API") >> 32);
        let s = Slugs::new(["api".to_owned(), "API".to_owned(), hashed.clone()]);
        let all: BTreeSet<&str> = s.iter().map(|(_, v)| v).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(s.get(&hashed), Some(hashed.as_str()));
    }

    /// IncidentSummary and ListRow as `#[serde(flatten)]` wrote them,
    /// before their `Serialize` was written by hand.
    #[derive(Serialize)]
    struct Summary<'a> {
        id: &'a str,
        url: &'a str,
        title: &'a str,
        severity: &'a str,
        severity_rank: usize,
        #[serde(rename = "type")]
        kind: &'a str,
        playbook_url: &'a Option<String>,
        status: &'static str,
        services: &'a [String],
        date: &'a Option<String>,
        started: &'a Option<String>,
        time_to_resolve: &'a Option<String>,
        draft: bool,
        summary: &'a Option<String>,
        summary_html: &'a Option<String>,
        open_actions: usize,
    }

    #[derive(Serialize)]
    struct Flattened<'a> {
        #[serde(flatten)]
        incident: Summary<'a>,
        summary_short: &'a Option<String>,
        data_severity: &'a str,
        data_type: &'a str,
        data_service: &'a str,
        data_status: &'a str,
        data_year: &'a str,
        severity_url: &'a str,
        type_url: &'a str,
        service_links: &'a [FacetLink],
    }

    #[test]
    fn a_list_row_has_the_fields_flatten_gave_it_in_the_same_order() {
        let i = IncidentSummary {
            id: "2026-01-02-db".to_owned(),
            url: "incidents/2026-01-02-db.html".to_owned(),
            title: "Database <down>".to_owned(),
            severity: "SEV1".to_owned(),
            severity_rank: 1,
            kind: "outage".to_owned(),
            playbook_url: Some("playbooks/outage/index.html".to_owned()),
            status: "resolved",
            services: vec!["db".to_owned(), "api".to_owned()],
            date: Some("2026-01-02".to_owned()),
            started: None,
            time_to_resolve: Some("1h 9m".to_owned()),
            draft: false,
            summary: Some("It broke.".to_owned()),
            summary_html: None,
            open_actions: 2,
        };
        let row = ListRow {
            incident: i.clone(),
            summary_short: Some("It broke.".to_owned()),
            data_severity: "sev1".to_owned(),
            data_type: "outage".to_owned(),
            data_service: "db api".to_owned(),
            data_status: "resolved".to_owned(),
            data_year: "2026".to_owned(),
            severity_url: "severity/sev1/index.html".to_owned(),
            type_url: "type/outage/index.html".to_owned(),
            service_links: vec![FacetLink {
                label: "db".to_owned(),
                slug: "db".to_owned(),
                url: "service/db/index.html".to_owned(),
            }],
        };
        let summary = Summary {
            id: &i.id,
            url: &i.url,
            title: &i.title,
            severity: &i.severity,
            severity_rank: i.severity_rank,
            kind: &i.kind,
            playbook_url: &i.playbook_url,
            status: i.status,
            services: &i.services,
            date: &i.date,
            started: &i.started,
            time_to_resolve: &i.time_to_resolve,
            draft: i.draft,
            summary: &i.summary,
            summary_html: &i.summary_html,
            open_actions: i.open_actions,
        };
        assert_eq!(json(&i), json(&summary));
        let flattened = Flattened {
            incident: summary,
            summary_short: &row.summary_short,
            data_severity: &row.data_severity,
            data_type: &row.data_type,
            data_service: &row.data_service,
            data_status: &row.data_status,
            data_year: &row.data_year,
            severity_url: &row.severity_url,
            type_url: &row.type_url,
            service_links: &row.service_links,
        };
        // serde_json keeps the order fields are written in (`preserve_order`).
        assert_eq!(json(&row), json(&flattened));
        assert_eq!(
            tera::Value::from_serializable(&row),
            tera::Value::from_serializable(&flattened)
        );
        // The lengths the two announce are the fields they write.
        let fields = |v: serde_json::Value| v.as_object().map_or(0, |o| o.len());
        let summary = serde_json::to_value(&i).unwrap();
        assert_eq!(fields(summary), IncidentSummary::FIELDS);
        let row = serde_json::to_value(&row).unwrap();
        assert_eq!(fields(row), IncidentSummary::FIELDS + 9);
    }

    /// serde_json's text of a value.
    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn fnv_is_the_published_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
