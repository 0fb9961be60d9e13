//! The closed vocabularies of the record format, each a plain enum with the
//! exact spelling records use.

/// Declares an enum of record keywords with `ALL`, `as_str` and `parse`.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every keyword, in the order the format lists them.
            pub const ALL: &'static [&'static str] = &[$($text),+];

            /// The keyword as written in records.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the exact keyword.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// The state of the incident itself (not of the document).
    Status {
        /// Still burning.
        Active = "active",
        /// Impact stopped, cause not fixed.
        Mitigated = "mitigated",
        /// Fixed and verified.
        Resolved = "resolved",
    }
);

keyword_enum!(
    /// How the fire was first noticed.
    DetectedBy {
        /// An alert or dashboard.
        Monitoring = "monitoring",
        /// A customer report.
        Customer = "customer",
        /// Someone inside noticed.
        Employee = "employee",
        /// Anything else.
        Other = "other",
        /// The record's sources do not say.
        Unknown = "unknown",
    }
);

keyword_enum!(
    /// What an action item is for.
    ActionKind {
        /// Would have caught this sooner.
        Monitoring = "monitoring",
        /// Would have prevented this.
        Prevention = "prevention",
        /// Reduces impact next time.
        Mitigation = "mitigation",
        /// How people work.
        Process = "process",
        /// Docs and playbooks.
        Documentation = "documentation",
    }
);

impl ActionKind {
    /// Human heading for a group of items of this kind.
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Monitoring => "Monitoring",
            ActionKind::Prevention => "Prevention",
            ActionKind::Mitigation => "Mitigation",
            ActionKind::Process => "Process",
            ActionKind::Documentation => "Documentation",
        }
    }
}

keyword_enum!(
    /// Progress of an action item.
    ActionStatus {
        /// Not started.
        Open = "open",
        /// Being worked on.
        InProgress = "in-progress",
        /// Finished.
        Done = "done",
        /// Decided against.
        WontDo = "wont-do",
    }
);

impl ActionStatus {
    /// Whether the item still needs work.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

keyword_enum!(
    /// What kind of recent change.
    ChangeKind {
        /// A code deploy.
        Deploy = "deploy",
        /// A configuration change.
        Config = "config",
        /// A schema or data migration.
        Migration = "migration",
        /// A change in traffic.
        Traffic = "traffic",
        /// Infrastructure.
        Infra = "infra",
        /// A dependency or vendor.
        Dependency = "dependency",
    }
);

keyword_enum!(
    /// Outcome of a hypothesis.
    HypothesisResult {
        /// Shown to be the cause.
        Confirmed = "confirmed",
        /// Ruled out.
        Rejected = "rejected",
        /// Never tested.
        Untested = "untested",
    }
);

keyword_enum!(
    /// A three-step rating (speed, risk, effectiveness).
    Rating {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
    }
);

impl Rating {
    /// 0 for low, 2 for high.
    pub fn score(self) -> u8 {
        match self {
            Rating::Low => 0,
            Rating::Medium => 1,
            Rating::High => 2,
        }
    }
}

keyword_enum!(
    /// Whether a rollback was possible.
    RollbackPossible {
        /// Yes.
        Yes = "yes",
        /// No.
        No = "no",
        /// Only in part.
        Partial = "partial",
    }
);

keyword_enum!(
    /// What was decided about rolling back.
    RollbackDecision {
        /// Rolled back.
        RolledBack = "rolled-back",
        /// Fixed forward.
        FixForward = "fix-forward",
        /// Neither.
        None = "none",
    }
);

keyword_enum!(
    /// Status reported in a stakeholder update.
    UpdateStatus {
        /// Looking into it.
        Investigating = "investigating",
        /// Cause identified.
        Identified = "identified",
        /// Fix applied, watching.
        Monitoring = "monitoring",
        /// Over.
        Resolved = "resolved",
    }
);

keyword_enum!(
    /// Who an update was for.
    Audience {
        /// Customers (status page, email).
        Customers = "customers",
        /// Inside the company.
        Internal = "internal",
    }
);

impl Audience {
    /// The other words people use for an audience, each with the keyword it
    /// means; matched without regard to case, spaces or hyphens.
    pub const SYNONYMS: &'static [(&'static str, Audience)] = &[
        ("customer", Audience::Customers),
        ("public", Audience::Customers),
        ("status page", Audience::Customers),
        ("statuspage", Audience::Customers),
        ("external", Audience::Customers),
        ("users", Audience::Customers),
        ("staff", Audience::Internal),
        ("employees", Audience::Internal),
        ("stakeholders", Audience::Internal),
    ];

    /// Reads the keyword or one of its [`Audience::SYNONYMS`].
    pub fn understand(text: &str) -> Option<Audience> {
        let norm = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
                .flat_map(char::to_lowercase)
                .collect()
        };
        let text = norm(text);
        Audience::parse(&text).or_else(|| {
            Audience::SYNONYMS
                .iter()
                .find(|(word, _)| norm(word) == text)
                .map(|(_, a)| *a)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_are_read_with_their_usual_synonyms() {
        for (text, want) in [
            ("customers", Some(Audience::Customers)),
            ("Status Page", Some(Audience::Customers)),
            ("status-page", Some(Audience::Customers)),
            ("public", Some(Audience::Customers)),
            ("internal", Some(Audience::Internal)),
            ("Employees", Some(Audience::Internal)),
            ("press", None),
        ] {
            assert_eq!(Audience::understand(text), want, "{text}");
        }
    }
}
