//! Rendering pages: the only user of Tera.
//!
//! The built-in templates are compiled into the binary; a repository's own
//! `site-template/` overrides any of them by file name, and can extend the
//! original as `pm/<name>`. Rendering is split into [`Page`] jobs so the
//! output stage can render and write them in parallel without ever holding
//! the whole site in memory. Nothing here writes to disk.
//!
//! The files, in order: each names only files above it, never one below.
//!
//! - `urls`: the site's URL scheme, the one place that formats site paths;
//!   `overrides`: the repository's own templates, as `site-template/` holds them.
//! - `shared`, `pager`: a value serialised once for many pages; where a
//!   page stands in its list.
//! - `history`, `cx`: a file's git history as a page shows it; [`ViewCx`],
//!   what every view reads, and the views many pages share.
//! - `timeline/`: the incident timeline's drawing (its geometry, and the
//!   markup written from it); `event_table`, `action_sections`, `notes`:
//!   the incident page's table of events and gaps, its action items and its
//!   working notes, written as HTML.
//! - `listing`, `search`, `actions_csv`, `tracker`, `trends`: the facets and
//!   their listing pages, the search index, `actions.csv`, the action
//!   tracker, the index's charts.
//! - `view`, `playbook`, `json`, `feeds`, `status`: the incident page, the
//!   playbook page, `incidents.json`, the feed and sitemap, status updates.
//! - `prompt/`: prompts for an assistant, filled from a record.
//! - `lists`: the lists every list page of one build shares.
//! - `templates`: the compiled templates and assets.
//! - `renderer`: [`Page`], the jobs, and [`Renderer`], which turns each job
//!   into bytes.
//!
//! [`ViewCx`]: view::ViewCx

mod action_sections;
mod actions_csv;
pub mod cx;
mod event_table;
pub mod feeds;
pub mod history;
mod json;
pub mod listing;
mod lists;
mod notes;
mod overrides;
pub mod pager;
pub mod playbook;
pub mod prompt;
mod renderer;
pub mod search;
pub mod shared;
pub mod status;
mod templates;
pub mod timeline;
pub mod tracker;
pub mod trends;
pub mod urls;
pub mod view;

pub use lists::{Lists, ListsJob, ListsPage};
pub use overrides::Override;
pub use renderer::{Page, Renderer};
pub use templates::{BUILTIN_ASSETS, BUILTIN_TEMPLATES, Templates};
