//! After the intake: the social contract and integration plan, referrals,
//! follow-up visits and exit from assistance.
//!
//! A household's case does not stop at the form. A family on conditional TSA
//! signs a social contract with an individual integration plan (measures with
//! deadlines, obligations on both sides, regular reviews; broken, it stops the
//! payments for 6 months); a family in a difficult life situation is referred
//! to committees and services and gets lost between them unless someone
//! follows up; and the aim is a timely exit that holds (fewer than one family
//! in five leaves TSA and stays out a year). Sources: the domain file,
//! "After the intake" and "Special social services" (`docs/case-follow-up.md`).
//!
//! This module holds the records and their checks, pure data like
//! [`crate::model`]: [`plan`], [`referral`], [`visit`], [`exit`]; the plan
//! proposed from a pre-check ([`propose`]); and the [`visit_list`] of a
//! settlement. The store seals them under the household's key
//! (`store/followup.rs`).
//!
//! Every record has the same head ([`RecordHead`]) and the same life as a
//! form: a draft is edited in place; finalizing (signing a plan) freezes it
//! and queues it for the registry; a revision is a new draft, `version + 1`,
//! naming the version it replaces.

pub mod exit;
pub mod plan;
mod problems;
pub mod propose;
pub mod referral;
pub mod visit;
pub mod visit_list;

pub use exit::{ExitReason, ExitRecord};
pub use plan::{
    IntegrationPlan, Measure, MeasureKind, MeasureStatus, Obligation, Parties, Responsible,
    Signature, SignatureMethod,
};
pub use problems::{FieldProblem, Invalid, Why};
pub use referral::{
    Ground, Referral, ReferralDocument, ReferralOutcome, ReferralResult, ReferralStep, Service,
    StepKind,
};
pub use visit::{Check, CollectedDocument, MeasureProgress, Visit};
pub use visit_list::{CaseFile, VisitListSettings, VisitNeed, VisitReason, VisitReasonKind};

use crate::model::{FormStatus, Household};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How far ahead a due, review or next-visit date may lie: 5 years (a plan
/// is reviewed regularly; a date beyond this is a typing slip).
pub const MAX_YEARS_AHEAD: i32 = 5;
/// A note, a new circumstance, an outcome: about a page of text.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// An obligation, the authority's or service's name.
pub const MAX_LINE_CHARS: usize = 300;
/// Measures, obligations, steps, documents, review dates of one record.
pub const MAX_ITEMS: usize = 64;

/// The kinds of follow-up record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Plan,
    Referral,
    Visit,
    Exit,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Plan,
        RecordKind::Referral,
        RecordKind::Visit,
        RecordKind::Exit,
    ];

    /// The stored and queued name (`outbox.entity`, `followup.kind`).
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Plan => "plan",
            RecordKind::Referral => "referral",
            RecordKind::Visit => "visit",
            RecordKind::Exit => "exit",
        }
    }

    pub fn parse(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What every follow-up record carries: its id, its household, its version
/// and the version it replaces, draft or final, and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordHead {
    /// Made on the device.
    pub id: Uuid,
    pub household_id: Uuid,
    pub version: u32,
    /// The final version this one revises.
    #[serde(default)]
    pub replaces: Option<u32>,
    pub status: FormStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RecordHead {
    /// The head of a new draft of `household_id`, version 1.
    pub fn new(household_id: Uuid, now: DateTime<Utc>) -> RecordHead {
        RecordHead {
            id: Uuid::new_v4(),
            household_id,
            version: 1,
            replaces: None,
            status: FormStatus::Draft,
            created_at: now,
            updated_at: now,
        }
    }

    /// The head of the draft that revises this final version.
    pub fn revision(&self, now: DateTime<Utc>) -> RecordHead {
        RecordHead {
            version: self.version + 1,
            replaces: Some(self.version),
            status: FormStatus::Draft,
            updated_at: now,
            ..self.clone()
        }
    }
}

/// A follow-up record: checked against its household, stored and queued the
/// same way whatever its kind.
pub trait FollowUpRecord: Serialize + DeserializeOwned + Clone {
    const KIND: RecordKind;

    fn head(&self) -> &RecordHead;

    fn head_mut(&mut self) -> &mut RecordHead;

    /// Every problem of the record as a draft, against its household's
    /// latest form, on `today`.
    fn check(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid>;

    /// Every problem that stops it being finalized (signed, recorded): the
    /// draft's, plus what a final record must have.
    fn check_final(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid> {
        self.check(household, today)
    }
}

/// Shared checks of every record against its household.
pub(crate) fn check_member(
    c: &mut problems::Checker,
    household: &Household,
    field: &str,
    id: Uuid,
) {
    if household.member(id).is_none() {
        c.push(field, Why::UnknownMember);
    }
}

/// A date from which later dates are measured must not lie more than
/// [`MAX_YEARS_AHEAD`] years after `today`.
pub(crate) fn check_ahead(
    c: &mut problems::Checker,
    field: &str,
    date: NaiveDate,
    today: NaiveDate,
) {
    let limit = today
        .checked_add_months(chrono::Months::new(12 * MAX_YEARS_AHEAD as u32))
        .unwrap_or(NaiveDate::MAX);
    if date > limit {
        c.push(field, Why::InFuture);
    }
}

/// An event that happened (a visit, a step, a signature) is not after today.
pub(crate) fn check_past(
    c: &mut problems::Checker,
    field: &str,
    date: NaiveDate,
    today: NaiveDate,
) {
    if date > today {
        c.push(field, Why::InFuture);
    }
}

/// Ids in `ids` are unique; the path of each repeat is `field[i]`.
pub(crate) fn check_unique(
    c: &mut problems::Checker,
    field: &str,
    ids: impl Iterator<Item = Uuid>,
) {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            c.push(format!("{field}[{i}]"), Why::Duplicate);
        }
    }
}

/// The record names its own household.
pub(crate) fn check_household(c: &mut problems::Checker, head: &RecordHead, household: &Household) {
    if head.household_id != household.id {
        c.push("head.household_id", Why::WrongHousehold);
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::model::{Activity, Disability, Household, Member, Region, Relation, Sex};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }

    /// Two working-age parents and a child with a disability (made-up people).
    pub fn family() -> Household {
        let mut h = Household::new_draft(Region::Aktobe, now());
        let mut head = Member::new("Test", "Head", Relation::Head);
        head.birth_date = Some(d(1988, 11, 24));
        head.sex = Some(Sex::Male);
        head.activity = Some(Activity::Unemployed);
        let mut spouse = Member::new("Test", "Spouse", Relation::Spouse);
        spouse.birth_date = Some(d(1990, 5, 15));
        spouse.sex = Some(Sex::Female);
        spouse.activity = Some(Activity::Homemaker);
        let mut child = Member::new("Test", "Child", Relation::Child);
        child.birth_date = Some(d(2019, 6, 1));
        child.sex = Some(Sex::Female);
        child.disability = Disability::Child;
        child.activity = Some(Activity::Child);
        h.members = vec![head, spouse, child];
        h
    }
}
