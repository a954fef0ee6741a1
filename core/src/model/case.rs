//! A case's status at the registry: what a supervisor decided about a
//! household's form. The registry owns it; the device keeps the last status it
//! heard of, and the sync protocol carries it (`sync::wire` re-exports it), so
//! it lives here, below both the store and the sync client.

use serde::{Deserialize, Serialize};

/// The registry's status of a case (a household). The registry owns it.
///
/// Statuses grow with the work (a newer registry may add one); a device
/// reads a status it does not know as [`CaseStatus::Unknown`] instead of
/// refusing the whole page, and shows it as "update the app to see this
/// status". The registry never sends `Unknown` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    UnderReview,
    Approved,
    Returned,
    Rejected,
    /// A status this version of the library does not know.
    #[serde(other)]
    Unknown,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::UnderReview => "under_review",
            CaseStatus::Approved => "approved",
            CaseStatus::Returned => "returned",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Unknown => "unknown",
        }
    }

    /// A status the registry uses (never [`CaseStatus::Unknown`]): for
    /// what the registry stores and what supervisors ask for.
    pub fn parse(s: &str) -> Option<CaseStatus> {
        [
            CaseStatus::Received,
            CaseStatus::UnderReview,
            CaseStatus::Approved,
            CaseStatus::Returned,
            CaseStatus::Rejected,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// What a device stored, [`CaseStatus::Unknown`] included.
    pub fn parse_stored(s: &str) -> Option<CaseStatus> {
        if s == CaseStatus::Unknown.as_str() {
            return Some(CaseStatus::Unknown);
        }
        CaseStatus::parse(s)
    }

    /// A decision after which the case does not move without a new version.
    pub fn is_final(self) -> bool {
        matches!(self, CaseStatus::Approved | CaseStatus::Rejected)
    }
}
