//! The slim incident and analysis a streamed build keeps of each record
//! for the files across records, once its own files are written
//! ([`slim`]), and how they are kept ([`compact`]).

use crate::analysis::Analysis;
use crate::model::{self, Incident};
use crate::render;
use std::collections::BTreeMap;

/// An incident as the files across records read it: what only its own
/// page showed (already written) is let go, and so is the text of its
/// file. The lists, the tracker, the feed, `incidents.json` and the search
/// index (the terms of its body, counted here, not its text) read its heading fields (tags included: the search index's
/// facts), impact, action items and analysis; the
/// playbook pages learn from its triage, confirmed hypotheses,
/// mitigations, the events of the steps they learn from, its root-cause
/// paragraph and the commands its body quotes; the feed dates it by its
/// newest event and update; `incidents.json` reads the ids and states of
/// its checklist steps and whether each gap is explained. Everything else
/// is emptied, and the timeline
/// keeps those events alone (with the analysis' time order to match).
/// A test builds each example site both ways and compares every byte.
pub(crate) fn slim(mut incident: Incident, mut analysis: Analysis) -> (Incident, Analysis) {
    let i = &mut incident;
    i.origin.text = Default::default();
    i.origin.body_lines = Default::default();
    i.public_title = None;
    i.commander = None;
    i.responders = Vec::new();
    i.detected_by = None;
    if let Some(triage) = &mut i.triage {
        triage.system = None;
        triage.stack_trace = None;
        triage.logs = Vec::new();
    }
    i.checklist = BTreeMap::new();
    i.changes = Vec::new();
    i.rollback = None;
    i.allows = Vec::new();
    i.attachments = Vec::new();
    i.withheld = Vec::new();
    i.hypotheses
        .retain(|h| h.result == model::HypothesisResult::Confirmed);
    let newest_update = (i.updates.iter().enumerate())
        .filter_map(|(n, u)| u.at.map(|at| (at, n)))
        .max();
    i.updates = match newest_update.and_then(|(_, n)| i.updates.get(n)) {
        Some(update) => vec![model::Update {
            text: String::new(),
            ..update.clone()
        }],
        None => Vec::new(),
    };
    slim_timeline(i, &mut analysis);
    let body = &mut analysis.body;
    body.html = String::new();
    body.headings = Vec::new();
    body.raw_html_lines = Vec::new();
    body.links = Vec::new();
    body.code_blocks
        .retain(|block| crate::learn::command_of(block).is_some());
    body.section_leads
        .retain(|lead| (lead.heading).eq_ignore_ascii_case(crate::learn::ROOT_CAUSE_HEADING));
    // The search index's terms of the body, counted now, instead of its text.
    analysis.body_terms = Some(render::search::DocTerms::pack(&body.plain));
    body.plain = String::new();
    body.code_blocks.shrink_to_fit();
    body.section_leads.shrink_to_fit();
    // `incidents.json` reads each checklist step's id and state, and whether
    // a gap is explained; their titles, reasons, evidence and explanations
    // were the page's. So few checklists are left that [`compact`] keeps one
    // copy of each.
    analysis.checklist = (analysis.checklist.iter())
        .map(|step| {
            use crate::analysis::{Coverage, Evidence};
            let coverage = match &step.coverage {
                Coverage::Done(Evidence::Event(_)) => Coverage::Done(Evidence::Event(0)),
                Coverage::Done(evidence) => Coverage::Done(evidence.clone()),
                Coverage::Skipped(_) => Coverage::Skipped(String::new()),
                Coverage::Unknown(_) => Coverage::Unknown(String::new()),
                Coverage::Missing => Coverage::Missing,
            };
            crate::analysis::StepCoverage {
                id: step.id.clone(),
                title: String::new(),
                required: step.required,
                coverage,
            }
        })
        .collect();
    for gap in &mut analysis.gaps {
        if let Some(explanation) = &mut gap.explanation {
            *explanation = String::new();
        }
    }
    (incident, analysis)
}

/// The distinct slim checklists kept so far (see [`slim`]): most incidents
/// share one of a few.
pub(super) type Checklists =
    std::collections::HashSet<std::sync::Arc<[crate::analysis::StepCoverage]>>;

/// A slim incident and analysis copied afresh, on the thread that keeps them
/// all, with their checklist shared with the incidents kept before that
/// have the same. The copies take only the room they fill (the originals'
/// lists and strings grew as they were read, and have room to spare), and
/// they sit together instead of scattered among the pages of memory each
/// record's pass used and freed, which the allocator can then give back.
pub(super) fn compact(
    incident: &Incident,
    analysis: &Analysis,
    checklists: &mut Checklists,
) -> (Incident, Analysis) {
    let mut analysis = analysis.clone();
    match checklists.get(&analysis.checklist) {
        Some(shared) => analysis.checklist = shared.clone(),
        None => {
            let fresh: std::sync::Arc<[_]> = analysis.checklist.iter().cloned().collect();
            checklists.insert(fresh.clone());
            analysis.checklist = fresh;
        }
    }
    (incident.clone(), analysis)
}

/// Keeps of an incident's timeline the events of the steps playbooks
/// learn from, and its newest event (the feed's date), and of each only
/// what those read; `analysis.order` is renumbered to match.
fn slim_timeline(incident: &mut Incident, analysis: &mut Analysis) {
    let newest = (incident.timeline.iter().enumerate())
        .map(|(n, e)| (e.at, n))
        .max()
        .map(|(_, n)| n);
    let learned = |e: &model::Event| crate::learn::LEARNED_STEPS.iter().any(|s| e.has_step(s));
    let mut kept = Vec::new();
    let mut position = vec![None; incident.timeline.len()];
    for (n, event) in std::mem::take(&mut incident.timeline)
        .into_iter()
        .enumerate()
    {
        let teaches = learned(&event);
        if !teaches && Some(n) != newest {
            continue;
        }
        position[n] = Some(kept.len());
        kept.push(model::Event {
            text: if teaches { event.text } else { String::new() },
            steps: if teaches { event.steps } else { Vec::new() },
            who: None,
            source: None,
            evidence: None,
            gap: None,
            ..event
        });
    }
    kept.shrink_to_fit();
    incident.timeline = kept;
    analysis.order = (analysis.order.iter())
        .filter_map(|&n| position.get(n).copied().flatten())
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Coverage, analyze_incident, test_incident};
    use crate::config::Config;
    use crate::markdown::{Depth, Markdown};

    const ACKNOWLEDGED: &str =
        "[[timeline]]\nat = 2026-11-03T14:10:00Z\ntext = \"paged\"\nstep = \"acknowledge\"\n";
    const EARLIER: &str = "[[timeline]]\nat = 2026-11-03T14:00:00Z\ntext = \"a deploy\"\n";

    fn slim_of(front: &str) -> (Incident, Analysis) {
        let incident = test_incident(front);
        let analysis =
            analyze_incident(&incident, &Config::default(), &Markdown::new(), Depth::Page);
        slim(incident, analysis)
    }

    /// Two incidents whose checklists say the same of each step share one
    /// kept copy, even where the evidence is a different event; the kept
    /// copies' lists have no room to spare.
    #[test]
    fn kept_incidents_share_alike_checklists_and_fit_their_lists() {
        let mut checklists = Checklists::default();
        let (mut first, first_analysis) = slim_of(ACKNOWLEDGED);
        first.tags.reserve(64);
        let (second, second_analysis) = slim_of(&format!("{EARLIER}{ACKNOWLEDGED}"));
        let (third, third_analysis) = slim_of("");
        let before = (first_analysis.checklist.iter())
            .find(|s| matches!(s.coverage, Coverage::Done(_)))
            .map(|s| s.id.clone());
        assert!(before.is_some(), "a step is done by an event");
        let (first, first_analysis) = compact(&first, &first_analysis, &mut checklists);
        let (_, second_analysis) = compact(&second, &second_analysis, &mut checklists);
        let (_, third_analysis) = compact(&third, &third_analysis, &mut checklists);
        assert!(std::sync::Arc::ptr_eq(
            &first_analysis.checklist,
            &second_analysis.checklist
        ));
        assert!(!std::sync::Arc::ptr_eq(
            &first_analysis.checklist,
            &third_analysis.checklist
        ));
        assert_eq!(checklists.len(), 2);
        assert_eq!(first.tags.capacity(), first.tags.len());
        assert_eq!(first.timeline.capacity(), first.timeline.len());
    }
}
