//! The registry: every lint, sorted by name. Adding a lint means adding its
//! file here and its fixture under `tests/fixtures/lints/<name>/`.

use super::Lint;

pub(crate) use template_placeholders::PLACEHOLDERS;

mod duplicate_timeline_events;
mod events_in_the_future;
mod events_out_of_order;
mod incomplete_playbooks;
mod inverted_milestones;
mod misdated_ids;
mod missing_checklist_steps;
mod missing_milestones;
mod missing_monitoring_actions;
mod missing_playbooks;
mod missing_prevention_actions;
mod missing_sections;
mod overdue_action_items;
mod raw_html;
mod resolved_without_resolution;
mod stale_playbooks;
mod template_placeholders;
mod undated_action_items;
mod unexplained_timeline_gaps;
mod unkinded_action_items;
mod unowned_action_items;
mod unresolved_links;

/// Every lint, sorted by name.
pub static LINTS: &[&Lint] = &[
    &duplicate_timeline_events::LINT,
    &events_in_the_future::LINT,
    &events_out_of_order::LINT,
    &incomplete_playbooks::LINT,
    &inverted_milestones::LINT,
    &misdated_ids::LINT,
    &missing_checklist_steps::LINT,
    &missing_milestones::LINT,
    &missing_monitoring_actions::LINT,
    &missing_playbooks::LINT,
    &missing_prevention_actions::LINT,
    &missing_sections::LINT,
    &overdue_action_items::LINT,
    &raw_html::LINT,
    &resolved_without_resolution::LINT,
    &stale_playbooks::LINT,
    &template_placeholders::LINT,
    &undated_action_items::LINT,
    &unexplained_timeline_gaps::LINT,
    &unkinded_action_items::LINT,
    &unowned_action_items::LINT,
    &unresolved_links::LINT,
];
