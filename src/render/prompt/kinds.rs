//! The prompt kinds: their names, what each asks, and the record keys each
//! reads, for `pm prompt --list` and the template file names. Uses nothing
//! else of `prompt/`.

/// A prompt `pm prompt` can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// First look at a fire.
    Triage,
    /// Read a stack trace.
    StackTrace,
    /// Read the logs.
    Logs,
    /// One cause for several symptoms.
    Correlation,
    /// Rank the ways to stop the harm.
    Mitigation,
    /// A database in trouble.
    Database,
    /// Roll back or fix forward.
    Rollback,
    /// A fresh angle when the responders are stuck.
    Stuck,
    /// Commands to gather more data.
    Commands,
    /// A customer-facing update.
    StatusUpdate,
    /// The post-incident analysis.
    Postmortem,
    /// A playbook for an incident type (takes a type, not an id).
    Playbook,
}

/// What `--list` says of a kind.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// The kind.
    pub kind: Kind,
    /// The name on the command line and of the template (`stack-trace`).
    pub name: &'static str,
    /// What the prompt asks the assistant, in a line.
    pub asks: &'static str,
    /// The record keys it fills in, as docs/format.md names them.
    pub reads: &'static [&'static str],
}

/// Every kind, in the order of an incident (the fire, then after it).
pub const KINDS: &[About] = &[
    About {
        kind: Kind::Triage,
        name: "triage",
        asks: "likely cause, what to check first, fastest confirmation, quickest mitigation",
        reads: &[
            "[triage] error",
            "[triage] symptoms",
            "[[changes]]",
            "[triage] system",
        ],
    },
    About {
        kind: Kind::StackTrace,
        name: "stack-trace",
        asks: "the error in one sentence, our code or a library, where to look first, likely cause",
        reads: &["[triage] stack_trace", "[triage] error", "[triage] system"],
    },
    About {
        kind: Kind::Logs,
        name: "logs",
        asks: "when it started, before vs after, correlations, the error-rate pattern",
        reads: &[
            "[triage] logs (excerpts, or bundle attachments)",
            "[triage] error",
            "[[timeline]] impact-start/detected",
        ],
    },
    About {
        kind: Kind::Correlation,
        name: "correlation",
        asks: "one cause that explains every symptom, and how to confirm it",
        reads: &[
            "[triage] symptoms",
            "[[timeline]] impact-start/detected",
            "[[changes]]",
        ],
    },
    About {
        kind: Kind::Mitigation,
        name: "mitigation",
        asks: "options ranked by speed, risk of making it worse, and effectiveness",
        reads: &[
            "[triage] error",
            "[triage] symptoms",
            "[impact]",
            "[rollback] possible",
            "[[mitigations]]",
        ],
    },
    About {
        kind: Kind::Database,
        name: "database",
        asks: "likely cause, the query that shows it, the quick fix",
        reads: &[
            "[triage] error",
            "[triage] symptoms",
            "[triage] logs",
            "[[changes]]",
            "playbook [[commands]]",
        ],
    },
    About {
        kind: Kind::Rollback,
        name: "rollback",
        asks: "is the deploy the cause, what rollback fixes and breaks, roll back or fix forward",
        reads: &[
            "[triage] symptoms",
            "[[changes]] kind = \"deploy\"",
            "[rollback] possible",
            "[rollback] reason",
        ],
    },
    About {
        kind: Kind::Stuck,
        name: "stuck",
        asks: "what has not been checked, which assumption may be wrong, a different angle",
        reads: &[
            "[triage] error",
            "[triage] symptoms",
            "[[hypotheses]]",
            "[[timeline]]",
            "[[mitigations]] chosen",
        ],
    },
    About {
        kind: Kind::Commands,
        name: "commands",
        asks: "commands for resources, processes, logs, database connections, network, service health",
        reads: &[
            "[triage] system",
            "services",
            "[triage] error",
            "[triage] symptoms",
            "playbook [[commands]]",
        ],
    },
    About {
        kind: Kind::StatusUpdate,
        name: "status-update",
        asks: "an honest, plain customer update: what is being done, when the next one comes",
        reads: &["[impact]", "summary", "status", "[[updates]]"],
    },
    About {
        kind: Kind::Postmortem,
        name: "postmortem",
        asks: "the timeline with its gaps, monitoring, prevention, action items",
        reads: &[
            "[[timeline]]",
            "[impact]",
            "## Root cause",
            "[[hypotheses]] confirmed",
            "[[actions]]",
            "gaps and missing checklist steps pm found",
        ],
    },
    About {
        kind: Kind::Playbook,
        name: "playbook",
        asks: "per section: symptoms, first checks, causes, mitigations, resolution, verification",
        reads: &[
            "the type's incidents (what pm learns from them)",
            "playbooks/<type>.md",
        ],
    },
];

impl Kind {
    /// What `--list` says of this kind.
    pub fn about(self) -> &'static About {
        // Every kind is in KINDS (a test checks it); the first entry is a
        // harmless answer should one ever be missing.
        KINDS.iter().find(|a| a.kind == self).unwrap_or(&KINDS[0])
    }

    /// The name on the command line (`stack-trace`).
    pub fn name(self) -> &'static str {
        self.about().name
    }

    /// The template's name inside `site-template/` (`prompts/triage.md`).
    pub fn template(self) -> String {
        format!("prompts/{}.md", self.name())
    }
}

/// The format of a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown: labels in bold, verbatim text in fenced blocks.
    Markdown,
    /// Plain text for chat boxes: no markup, record text as a reader sees it.
    Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once() {
        let all = [
            Kind::Triage,
            Kind::StackTrace,
            Kind::Logs,
            Kind::Correlation,
            Kind::Mitigation,
            Kind::Database,
            Kind::Rollback,
            Kind::Stuck,
            Kind::Commands,
            Kind::StatusUpdate,
            Kind::Postmortem,
            Kind::Playbook,
        ];
        assert_eq!(KINDS.len(), all.len());
        for kind in all {
            assert_eq!(KINDS.iter().filter(|a| a.kind == kind).count(), 1);
            assert_eq!(kind.about().kind, kind);
        }
    }
}
