//! Who sees what: centres belong to districts, and a supervisor's scope is
//! one district, one centre, or the whole country (national).
//!
//! A national registry holds every district's cases; a district office must
//! see and decide only its own. The scope is a property of the supervisor,
//! kept by the storage beside the password; each backend filters lists and
//! checks decisions against it inside the same statement or transaction
//! (never a filter applied afterwards in process memory), so what a
//! supervisor of district A can learn about district B is nothing: a case of
//! another district answers exactly as an unknown id would (404), and the
//! storage tells the caller apart only to audit the denial.
//!
//! A case's centre is the centre of the device that stored its first
//! version (a case never changes device, a device never changes centre);
//! its district is its centre's, kept on the case row so that a district's
//! queue is one index range. Moving a centre to another district moves its
//! cases in the same transaction. This module holds the types and the
//! [`ScopedStorage`] trait; the SQL is in `sqlite/districts.rs` and
//! `postgres/districts.rs`.

use crate::storage::{AuditRow, CaseRow, Decision, DeviceRecord, Result};
use komek_core::sync::wire::CaseStatus;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// The district centres are in until a supervisor puts them elsewhere
/// (every centre that existed before districts did). Shown as "(default)".
pub const DEFAULT_DISTRICT: &str = "";

/// What a supervisor sees and decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Scope {
    /// Every case of every district; also creates districts and moves
    /// centres.
    National,
    /// The cases of the centres of this district.
    District(String),
    /// The cases of this centre's devices.
    Centre(String),
}

impl Scope {
    /// Whether a case (or device) of `centre`, in `district`, is in scope.
    pub fn covers(&self, centre: &str, district: &str) -> bool {
        match self {
            Scope::National => true,
            Scope::District(d) => d == district,
            Scope::Centre(c) => c == centre,
        }
    }

    pub fn is_national(&self) -> bool {
        matches!(self, Scope::National)
    }

    /// How the storage keeps it: (kind, name).
    pub fn to_parts(&self) -> (&'static str, &str) {
        match self {
            Scope::National => ("national", ""),
            Scope::District(d) => ("district", d),
            Scope::Centre(c) => ("centre", c),
        }
    }

    /// The scope a stored (kind, name) stands for; `None` for a kind this
    /// registry does not know (a damaged or newer row).
    pub fn from_parts(kind: &str, name: &str) -> Option<Scope> {
        match kind {
            "national" => Some(Scope::National),
            "district" => Some(Scope::District(name.to_string())),
            "centre" => Some(Scope::Centre(name.to_string())),
            _ => None,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |n: &str| {
            if n.is_empty() {
                "(default)".to_string()
            } else {
                n.to_string()
            }
        };
        match self {
            Scope::National => write!(f, "national"),
            Scope::District(d) => write!(f, "district {}", shown(d)),
            Scope::Centre(c) => write!(f, "centre {}", shown(c)),
        }
    }
}

/// A centre and the district it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreRow {
    pub name: String,
    pub district: String,
}

/// Where a page of cases ends: the (updated_at, case id) of its last case.
/// The next page starts after it, so a page never repeats or skips a case
/// that did not move meanwhile (keyset paging, one index range per page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseCursor {
    pub updated_at: i64,
    pub case_id: Uuid,
}

impl CaseCursor {
    pub fn after(row: &CaseRow) -> CaseCursor {
        CaseCursor {
            updated_at: row.updated_at,
            case_id: row.case_id,
        }
    }
}

/// `UPDATED_AT.CASE_ID`, e.g. `1764850000.0b4f…`.
impl fmt::Display for CaseCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.updated_at, self.case_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a cursor is UPDATED_AT.CASE_ID, as the previous page's `next` gave it")]
pub struct BadCursor;

impl FromStr for CaseCursor {
    type Err = BadCursor;

    fn from_str(s: &str) -> std::result::Result<CaseCursor, BadCursor> {
        let (at, id) = s.split_once('.').ok_or(BadCursor)?;
        Ok(CaseCursor {
            updated_at: at.parse().map_err(|_| BadCursor)?,
            case_id: Uuid::try_parse(id).map_err(|_| BadCursor)?,
        })
    }
}

/// The most rows one page may ask for.
pub const MAX_PAGE: u32 = 500;
/// The rows a page holds when the caller does not say.
pub const DEFAULT_PAGE: u32 = 50;

/// A page size as asked (`None`: the default), brought within 1..=MAX_PAGE.
pub fn page_size(limit: Option<u32>) -> u32 {
    limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// Which cases to list: in a scope, with a status or all, a page at a time,
/// oldest change first.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    pub status: Option<CaseStatus>,
    pub after: Option<CaseCursor>,
    pub limit: u32,
}

/// How many cases of the scope have each status (whatever the filter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub received: u64,
    pub under_review: u64,
    pub approved: u64,
    pub returned: u64,
    pub rejected: u64,
}

impl StatusCounts {
    pub fn add(&mut self, status: CaseStatus, n: u64) {
        let slot = match status {
            CaseStatus::Received => &mut self.received,
            CaseStatus::UnderReview => &mut self.under_review,
            CaseStatus::Approved => &mut self.approved,
            CaseStatus::Returned => &mut self.returned,
            CaseStatus::Rejected => &mut self.rejected,
            // The registry never stores a status it does not know.
            CaseStatus::Unknown => return,
        };
        *slot += n;
    }

    pub fn get(&self, status: CaseStatus) -> u64 {
        match status {
            CaseStatus::Received => self.received,
            CaseStatus::UnderReview => self.under_review,
            CaseStatus::Approved => self.approved,
            CaseStatus::Returned => self.returned,
            CaseStatus::Rejected => self.rejected,
            CaseStatus::Unknown => 0,
        }
    }

    pub fn total(&self) -> u64 {
        self.received + self.under_review + self.approved + self.returned + self.rejected
    }
}

/// One page of cases; `next` is `None` on the last page.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub cases: Vec<CaseRow>,
    pub counts: StatusCounts,
    pub next: Option<CaseCursor>,
}

/// One page of devices (enrolment order); `total` in the scope.
#[derive(Debug, Clone)]
pub struct DevicePage {
    pub devices: Vec<(DeviceRecord, String)>,
    pub total: u64,
}

/// One page of the audit log (oldest first); `next` is the `after` of the
/// following page, `None` on the last.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub next: Option<i64>,
}

/// Districts, centres and scoped reads and decisions: part of every
/// [`crate::Storage`] (a supertrait), one transaction per call.
pub trait ScopedStorage {
    /// A new, empty district; `Conflict` when the name is taken. Audited.
    fn add_district(&self, name: &str, by: &str, now: i64) -> Result<()>;
    /// Every district, by name (the default one, `""`, first).
    fn districts(&self) -> Result<Vec<String>>;
    /// Put `centre` in `district` (creating the centre if new), and its
    /// cases with it, in one transaction. `NotFound` when the district does
    /// not exist. Audited.
    fn put_centre(&self, centre: &str, district: &str, by: &str, now: i64) -> Result<()>;
    /// Every known centre (named by a code, a device or a supervisor's
    /// scope), by name.
    fn centres(&self) -> Result<Vec<CentreRow>>;
    /// Add a supervisor with `scope`, or set a new password (every session
    /// of `name` ends) and, when `scope` is given, a new scope. A new
    /// supervisor without a scope is national. `NotFound` when the scope's
    /// district or centre does not exist. Audited.
    fn add_supervisor_in(
        &self,
        name: &str,
        password_hash: &str,
        scope: Option<&Scope>,
        now: i64,
    ) -> Result<()>;
    /// The scope of a supervisor; `None` when there is no such supervisor.
    fn supervisor_scope(&self, name: &str) -> Result<Option<Scope>>;
    /// A page of the cases in `scope`, and the scope's counts per status.
    fn case_page(&self, scope: &Scope, query: &CaseQuery) -> Result<CasePage>;
    /// [`crate::Storage::decide`] for a supervisor of `scope`: a case
    /// outside it is `OutOfScope` (nothing changes; the caller answers as
    /// for an unknown case and audits the denial), checked under the
    /// decision's own lock on the case.
    fn decide_in(&self, scope: &Scope, decision: &Decision, now: i64) -> Result<CaseRow>;
    /// A page of the devices of `scope`'s centres (enrolment order), each
    /// with its centre's district.
    fn device_page(&self, scope: &Scope, limit: u32, offset: u64) -> Result<DevicePage>;
    /// A page of the audit log, rows after `after` (a row's `seq`).
    fn audit_page(&self, after: i64, limit: u32) -> Result<AuditPage>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_cover_their_own_cases_only() {
        let national = Scope::National;
        let north = Scope::District("North".into());
        let team = Scope::Centre("Team 2".into());
        assert!(national.covers("Team 9", "South"));
        assert!(north.covers("Team 9", "North"));
        assert!(!north.covers("Team 9", "South"));
        assert!(
            !north.covers("North", ""),
            "a centre named like the district"
        );
        assert!(team.covers("Team 2", "South"));
        assert!(!team.covers("Team 3", "North"));
        for s in [national, north, team] {
            let (kind, name) = s.to_parts();
            assert_eq!(Scope::from_parts(kind, name), Some(s.clone()));
        }
        assert_eq!(Scope::from_parts("regional", "x"), None);
    }

    #[test]
    fn cursors_read_back_and_refuse_anything_else() {
        let c = CaseCursor {
            updated_at: 1_764_850_000,
            case_id: Uuid::from_bytes([7; 16]),
        };
        assert_eq!(c.to_string().parse::<CaseCursor>(), Ok(c));
        for bad in ["", "12", "x.0707", "12.not-a-uuid", ".", "1.2.3"] {
            assert_eq!(bad.parse::<CaseCursor>(), Err(BadCursor), "{bad}");
        }
    }

    #[test]
    fn page_sizes_stay_within_bounds() {
        assert_eq!(page_size(None), DEFAULT_PAGE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(10_000)), MAX_PAGE);
        let mut counts = StatusCounts::default();
        counts.add(CaseStatus::Returned, 2);
        counts.add(CaseStatus::Received, 3);
        assert_eq!(counts.get(CaseStatus::Returned), 2);
        assert_eq!(counts.total(), 5);
    }
}
