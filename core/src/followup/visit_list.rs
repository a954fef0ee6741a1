//! The visit list: on the next trip to a settlement, whom to see and why.
//!
//! The mobile centre's van comes back to a village every few weeks, often
//! with no signal there. Families get lost between services unless someone
//! follows up (UNICEF brief), plans are reviewed regularly (Taubaev et al.,
//! block 3), and an exit is only a success if it holds a year (block 4). So
//! the device computes, offline, from the records it holds, each household
//! that needs a visit on a date and every reason, oldest first:
//!
//! | reason | when | cleared by |
//! |---|---|---|
//! | [`VisitReasonKind::ReturnedCase`] | the registry returned the case | a correction (the status changes on sync) |
//! | [`VisitReasonKind::MeasureOverdue`] | a measure of a signed plan is planned or in progress past its due date | a visit's progress or a plan revision marking it done, missed or cancelled |
//! | [`VisitReasonKind::ReferralNoOutcome`] | a referral has no outcome and nothing happened on it for [`VisitListSettings::referral_quiet_days`] | a step or an outcome |
//! | [`VisitReasonKind::DocumentsMissing`] | a document of the form or of an open referral is not in hand | a visit that collected it, a form or referral marking it |
//! | [`VisitReasonKind::PlanReviewDue`] | a review date of a signed plan has come and no visit reviewed the plan since | a visit that checked [`Check::PlanReview`] |
//! | [`VisitReasonKind::Rescreen`] | the pre-check changed under a new rule pack | the caller's re-screen no longer lists it |
//! | [`VisitReasonKind::ExitFollowUp`] | 3, 6 or 12 months after an exit | a visit that checked [`Check::ExitFollowUp`] on or after that date |
//! | [`VisitReasonKind::NextVisitDue`] | the last visit's `next_visit` has come | any later visit |
//! | [`VisitReasonKind::LongStay`] | under a plan for [`VisitListSettings::long_stay_quarters`] quarters or more | a plan review within [`VisitListSettings::long_stay_review_days`] |
//!
//! Households are ordered by their most urgent reason (the order of the
//! table), then by how long it has waited, then by id: the same input
//! always gives the same list.

use super::exit::ExitRecord;
use super::plan::{IntegrationPlan, MeasureStatus};
use super::referral::Referral;
use super::visit::{Check, Visit};
use crate::model::{months_between, DocumentKind, FormStatus};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// What the device knows of one household for its visit list: the latest
/// version of each follow-up record, and flags from the form and the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFile {
    pub household_id: Uuid,
    pub plans: Vec<IntegrationPlan>,
    pub referrals: Vec<Referral>,
    pub visits: Vec<Visit>,
    pub exits: Vec<ExitRecord>,
    /// Documents the form lists as missing or requested.
    pub missing_documents: Vec<DocumentKind>,
    /// The date of the form that lists them.
    pub form_date: Option<NaiveDate>,
    /// The registry returned the case for correction.
    pub returned: bool,
    /// The pre-check changed under a newer rule pack (see `rules::rescreen`).
    pub rescreen_changed: bool,
}

/// The list's settings: practice, not law (the sources give no numbers for
/// them), so each is a setting a district may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitListSettings {
    /// A referral with no outcome is listed once nothing happened on it for
    /// this many days (two weeks: between two trips of the van).
    pub referral_quiet_days: i64,
    /// Months after an exit at which the family is seen again.
    pub exit_checks_months: Vec<u32>,
    /// A family under plans for this many consecutive quarters is a long
    /// stay (8: two years).
    pub long_stay_quarters: u32,
    /// A plan review this recent clears a long stay.
    pub long_stay_review_days: i64,
}

impl Default for VisitListSettings {
    fn default() -> VisitListSettings {
        VisitListSettings {
            referral_quiet_days: 14,
            exit_checks_months: vec![3, 6, 12],
            long_stay_quarters: 8,
            long_stay_review_days: 90,
        }
    }
}

/// Why a household is on the list, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitReasonKind {
    ReturnedCase,
    MeasureOverdue,
    ReferralNoOutcome,
    DocumentsMissing,
    PlanReviewDue,
    Rescreen,
    ExitFollowUp,
    NextVisitDue,
    LongStay,
}

impl VisitReasonKind {
    pub const ALL: [VisitReasonKind; 9] = [
        VisitReasonKind::ReturnedCase,
        VisitReasonKind::MeasureOverdue,
        VisitReasonKind::ReferralNoOutcome,
        VisitReasonKind::DocumentsMissing,
        VisitReasonKind::PlanReviewDue,
        VisitReasonKind::Rescreen,
        VisitReasonKind::ExitFollowUp,
        VisitReasonKind::NextVisitDue,
        VisitReasonKind::LongStay,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VisitReasonKind::ReturnedCase => "returned_case",
            VisitReasonKind::MeasureOverdue => "measure_overdue",
            VisitReasonKind::ReferralNoOutcome => "referral_no_outcome",
            VisitReasonKind::DocumentsMissing => "documents_missing",
            VisitReasonKind::PlanReviewDue => "plan_review_due",
            VisitReasonKind::Rescreen => "rescreen",
            VisitReasonKind::ExitFollowUp => "exit_follow_up",
            VisitReasonKind::NextVisitDue => "next_visit_due",
            VisitReasonKind::LongStay => "long_stay",
        }
    }
}

/// One reason, explained: since when, which record, and a count where one
/// applies (months after the exit, quarters of stay, documents missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitReason {
    pub kind: VisitReasonKind,
    /// When the reason arose (a due date, a review date); `None` when the
    /// device does not know (a returned case, a re-screen).
    pub since: Option<NaiveDate>,
    /// Days from `since` to the list's date.
    pub days: i64,
    /// The plan, referral or exit the reason is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Uuid>,
    /// The measure, for an overdue measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Uuid>,
    /// Months after an exit, quarters of stay, documents missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// A household to visit, with every reason, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitNeed {
    pub household_id: Uuid,
    pub reasons: Vec<VisitReason>,
}

impl VisitNeed {
    fn key(&self) -> (VisitReasonKind, i64, Uuid) {
        let top = &self.reasons[0];
        (top.kind, -top.days, self.household_id)
    }
}

/// The households of `cases` that need a visit on `date`, ordered.
pub fn visit_list(cases: &[CaseFile], date: NaiveDate, s: &VisitListSettings) -> Vec<VisitNeed> {
    let mut out: Vec<VisitNeed> = cases
        .iter()
        .filter_map(|c| {
            let mut reasons = reasons(c, date, s);
            if reasons.is_empty() {
                return None;
            }
            reasons.sort_by_key(|r| (r.kind, -r.days, r.record, r.item));
            Some(VisitNeed {
                household_id: c.household_id,
                reasons,
            })
        })
        .collect();
    out.sort_by_key(VisitNeed::key);
    out
}

fn reason(kind: VisitReasonKind, since: Option<NaiveDate>, date: NaiveDate) -> VisitReason {
    VisitReason {
        kind,
        since,
        days: since.map_or(0, |s| (date - s).num_days()),
        record: None,
        item: None,
        count: None,
    }
}

fn add_months(d: NaiveDate, m: u32) -> Option<NaiveDate> {
    d.checked_add_months(Months::new(m))
}

/// Every reason of one household on `date`. Records dated after `date` are
/// ignored (the list can be asked for a past date).
fn reasons(c: &CaseFile, date: NaiveDate, s: &VisitListSettings) -> Vec<VisitReason> {
    use VisitReasonKind as K;
    let mut out = Vec::new();
    let visits: Vec<&Visit> = c
        .visits
        .iter()
        .filter(|v| v.head.status == FormStatus::Final && v.on <= date)
        .collect();
    let last_visit_with = |check: Check| {
        visits
            .iter()
            .filter(|v| v.checked.contains(&check))
            .map(|v| v.on)
            .max()
    };
    let last_exit = c
        .exits
        .iter()
        .filter(|x| x.head.status == FormStatus::Final && x.on <= date)
        .max_by_key(|x| x.on);
    // Plans signed and started after the last exit (an exit closes them).
    let plans: Vec<&IntegrationPlan> = c
        .plans
        .iter()
        .filter(|p| p.head.status == FormStatus::Final && p.starts_on <= date)
        .filter(|p| last_exit.is_none_or(|x| p.starts_on > x.on))
        .collect();

    if c.returned {
        out.push(reason(K::ReturnedCase, None, date));
    }

    // The latest status each measure was found in on a visit.
    let mut found: HashMap<(Uuid, Uuid), (NaiveDate, MeasureStatus)> = HashMap::new();
    for v in &visits {
        for p in &v.progress {
            let e = found.entry((p.plan, p.measure)).or_insert((v.on, p.status));
            if v.on >= e.0 {
                *e = (v.on, p.status);
            }
        }
    }
    for p in &plans {
        for m in &p.measures {
            let status = found
                .get(&(p.head.id, m.id))
                .map_or(m.status, |(_, st)| *st);
            let open = matches!(status, MeasureStatus::Planned | MeasureStatus::InProgress);
            if open && m.due < date {
                let mut r = reason(K::MeasureOverdue, Some(m.due), date);
                r.record = Some(p.head.id);
                r.item = Some(m.id);
                out.push(r);
            }
        }
    }

    let mut missing_since: Option<NaiveDate> = None;
    let mut missing: u32 = 0;
    for r in c.referrals.iter().filter(|r| r.opened_on <= date) {
        if r.outcome.is_some() {
            continue;
        }
        let last = r.last_activity();
        if (date - last).num_days() >= s.referral_quiet_days {
            let mut x = reason(K::ReferralNoOutcome, Some(last), date);
            x.record = Some(r.head.id);
            out.push(x);
        }
        let n = r.missing_documents().count() as u32;
        if n > 0 {
            missing += n;
            missing_since = Some(missing_since.map_or(r.opened_on, |d| d.min(r.opened_on)));
        }
    }
    if let Some(form_date) = c.form_date.filter(|d| *d <= date) {
        let collected: Vec<DocumentKind> = visits
            .iter()
            .filter(|v| v.on >= form_date)
            .flat_map(|v| v.documents_collected.iter().map(|d| d.kind))
            .collect();
        let n = c
            .missing_documents
            .iter()
            .filter(|k| !collected.contains(k))
            .count() as u32;
        if n > 0 {
            missing += n;
            missing_since = Some(missing_since.map_or(form_date, |d| d.min(form_date)));
        }
    }
    if missing > 0 {
        let mut x = reason(K::DocumentsMissing, missing_since, date);
        x.count = Some(missing);
        out.push(x);
    }

    let last_review = last_visit_with(Check::PlanReview);
    for p in &plans {
        let due = p
            .review_dates
            .iter()
            .filter(|r| **r <= date && last_review.is_none_or(|l| **r > l))
            .min();
        if let Some(due) = due {
            let mut x = reason(K::PlanReviewDue, Some(*due), date);
            x.record = Some(p.head.id);
            out.push(x);
        }
    }

    if c.rescreen_changed {
        out.push(reason(K::Rescreen, None, date));
    }

    if let Some(x) = last_exit {
        let back_in = c.plans.iter().any(|p| {
            p.head.status == FormStatus::Final && p.starts_on > x.on && p.starts_on <= date
        });
        let last_check = last_visit_with(Check::ExitFollowUp);
        let milestone = s
            .exit_checks_months
            .iter()
            .filter_map(|m| add_months(x.on, *m).map(|d| (*m, d)))
            .filter(|(_, d)| *d <= date)
            .max_by_key(|(_, d)| *d);
        if let Some((months, due)) = milestone {
            if !back_in && last_check.is_none_or(|l| l < due) {
                let mut r = reason(K::ExitFollowUp, Some(due), date);
                r.record = Some(x.head.id);
                r.count = Some(months);
                out.push(r);
            }
        }
    }

    if let Some(last) = visits.iter().max_by_key(|v| v.on) {
        if let Some(next) = last.next_visit.filter(|n| *n <= date) {
            out.push(reason(K::NextVisitDue, Some(next), date));
        }
    }

    if let Some(since) = plans.iter().map(|p| p.starts_on).min() {
        let quarters = months_between(since, date).unwrap_or(0) / 3;
        let reviewed_lately =
            last_review.is_some_and(|l| (date - l).num_days() < s.long_stay_review_days);
        if quarters >= s.long_stay_quarters && !reviewed_lately {
            let mut r = reason(K::LongStay, Some(since), date);
            r.count = Some(quarters);
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
#[path = "visit_list_tests.rs"]
mod tests;
