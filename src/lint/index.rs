//! The index of the repository that the lints across records read: each
//! record's few facts, kept while its text and model are let go.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::analysis::{Analyses, Glance};
use crate::model::{Corpus, Located, Span};

/// What settling the level of a finding in a file needs of its record.
#[derive(Debug, Clone)]
pub(super) struct FileFacts {
    /// The lints its `allow` names.
    pub(super) allows: Vec<String>,
    /// Whether its timeline was read whole (a playbook's always is): a
    /// record that lost an event to an error gets no lint findings.
    pub(super) complete: bool,
}

/// What the lints need to know of every record when the records themselves
/// are not at hand: the incidents and playbooks lints across records read,
/// and each file's `allow` list and whether its timeline was read whole.
/// Built from records, and merged when they are linted one by one.
#[derive(Debug, Default)]
pub struct Index {
    /// Incidents, by id.
    pub incidents: BTreeMap<String, IndexedIncident>,
    /// Playbooks, by type.
    pub playbooks: BTreeMap<String, IndexedPlaybook>,
    /// What settling the level of a finding needs, by file.
    pub(super) files: BTreeMap<String, FileFacts>,
}

impl FileFacts {
    fn new(allows: &[crate::model::Allow], complete: bool) -> FileFacts {
        FileFacts {
            allows: allows.iter().map(|a| a.lint.value.clone()).collect(),
            complete,
        }
    }
}

/// An incident in the [`Index`].
#[derive(Debug, Clone)]
pub struct IndexedIncident {
    /// Its file.
    pub file: String,
    /// Its type, where it is written.
    pub kind: Located<String>,
    /// Whether it is a draft.
    pub draft: bool,
    /// When it started.
    pub start: Option<Timestamp>,
}

impl IndexedIncident {
    /// The incident as views across records see it.
    pub fn glance<'a>(&'a self, id: &'a str) -> Glance<'a> {
        Glance {
            id,
            kind: &self.kind.value,
            draft: self.draft,
            start: self.start,
        }
    }
}

/// A playbook in the [`Index`].
#[derive(Debug, Clone)]
pub struct IndexedPlaybook {
    /// Its file.
    pub file: String,
    /// Its opening `+++` line, where findings on the whole playbook point.
    pub opening: Span,
}

impl Index {
    /// The index of `corpus`.
    pub fn new(corpus: &Corpus, analyses: &Analyses) -> Index {
        let mut index = Index::default();
        for (id, incident) in &corpus.incidents {
            index.incidents.insert(
                id.clone(),
                IndexedIncident {
                    file: incident.origin.file.clone(),
                    kind: incident.kind.clone(),
                    draft: incident.draft,
                    start: Glance::of(incident, analyses).start,
                },
            );
            let facts = FileFacts::new(&incident.allows, incident.timeline_complete);
            index.files.insert(incident.origin.file.clone(), facts);
        }
        for (kind, playbook) in &corpus.playbooks {
            index.playbooks.insert(
                kind.clone(),
                IndexedPlaybook {
                    file: playbook.origin.file.clone(),
                    opening: playbook.origin.opening.clone(),
                },
            );
            let facts = FileFacts::new(&playbook.allows, true);
            index.files.insert(playbook.origin.file.clone(), facts);
        }
        index
    }

    /// Adds the records of `other`, a few at a time (`BTreeMap::append`
    /// would rebuild the whole map on every call).
    pub fn merge(&mut self, other: Index) {
        self.incidents.extend(other.incidents);
        self.playbooks.extend(other.playbooks);
        self.files.extend(other.files);
    }

    /// The files of the indexed records.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}
