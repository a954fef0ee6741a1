//! Follow-up visits: what the mobile centre saw and did on each trip back.
//!
//! Social workers who reach out and monitor regularly are what helps families
//! through the system (UNICEF brief); the proactive-TSA study asks for regular
//! assessment of each recipient's progress (Taubaev et al., blocks 3 and 4).
//! A visit records the date, who was seen, what was checked, the progress of
//! the plan's measures, the documents collected, new circumstances, and when
//! to come back.

use super::plan::MeasureStatus;
use super::problems::{Checker, Invalid, Why};
use super::{
    check_ahead, check_household, check_member, check_past, check_unique, FollowUpRecord,
    RecordHead, RecordKind, MAX_ITEMS, MAX_NOTE_CHARS,
};
use crate::model::{DocumentKind, Household};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub head: RecordHead,
    pub on: NaiveDate,
    /// The members met.
    #[serde(default)]
    pub seen: Vec<Uuid>,
    /// What was looked at.
    #[serde(default)]
    pub checked: Vec<Check>,
    /// The status of plan measures as found on the visit.
    #[serde(default)]
    pub progress: Vec<MeasureProgress>,
    #[serde(default)]
    pub documents_collected: Vec<CollectedDocument>,
    /// What changed in the family (a birth, a job lost, a move): personal.
    #[serde(default)]
    pub new_circumstances: Option<String>,
    /// When to come back.
    #[serde(default)]
    pub next_visit: Option<NaiveDate>,
}

/// What a visit looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The plan was reviewed with the family.
    PlanReview,
    PlanMeasures,
    Documents,
    Referrals,
    ChildrenSchool,
    Health,
    Housing,
    Income,
    /// After an exit: did it hold?
    ExitFollowUp,
    /// The case the registry returned was gone through again.
    ReturnedCase,
    /// The family was screened again under a new rule pack.
    Rescreen,
}

impl Check {
    pub const ALL: [Check; 11] = [
        Check::PlanReview,
        Check::PlanMeasures,
        Check::Documents,
        Check::Referrals,
        Check::ChildrenSchool,
        Check::Health,
        Check::Housing,
        Check::Income,
        Check::ExitFollowUp,
        Check::ReturnedCase,
        Check::Rescreen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Check::PlanReview => "plan_review",
            Check::PlanMeasures => "plan_measures",
            Check::Documents => "documents",
            Check::Referrals => "referrals",
            Check::ChildrenSchool => "children_school",
            Check::Health => "health",
            Check::Housing => "housing",
            Check::Income => "income",
            Check::ExitFollowUp => "exit_follow_up",
            Check::ReturnedCase => "returned_case",
            Check::Rescreen => "rescreen",
        }
    }
}

/// A measure's status as found on the visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureProgress {
    pub plan: Uuid,
    pub measure: Uuid,
    pub status: MeasureStatus,
    #[serde(default)]
    pub note: Option<String>,
}

/// A document handed over on the visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectedDocument {
    pub kind: DocumentKind,
    #[serde(default)]
    pub member: Option<Uuid>,
}

impl Visit {
    /// An empty visit of `household_id` on `on`.
    pub fn new(head: RecordHead, on: NaiveDate) -> Visit {
        Visit {
            head,
            on,
            seen: Vec::new(),
            checked: Vec::new(),
            progress: Vec::new(),
            documents_collected: Vec::new(),
            new_circumstances: None,
            next_visit: None,
        }
    }
}

impl FollowUpRecord for Visit {
    const KIND: RecordKind = RecordKind::Visit;

    fn head(&self) -> &RecordHead {
        &self.head
    }

    fn head_mut(&mut self) -> &mut RecordHead {
        &mut self.head
    }

    fn check(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::default();
        check_household(&mut c, &self.head, household);
        check_past(&mut c, "on", self.on, today);
        c.bounded("seen", &self.seen, MAX_ITEMS);
        for (i, m) in self.seen.iter().enumerate() {
            check_member(&mut c, household, &format!("seen[{i}]"), *m);
        }
        check_unique(&mut c, "seen", self.seen.iter().copied());
        c.bounded("checked", &self.checked, MAX_ITEMS);
        c.bounded("progress", &self.progress, MAX_ITEMS);
        for (i, p) in self.progress.iter().enumerate() {
            c.optional(
                &format!("progress[{i}].note"),
                p.note.as_deref(),
                MAX_NOTE_CHARS,
                true,
            );
        }
        c.bounded("documents_collected", &self.documents_collected, MAX_ITEMS);
        for (i, doc) in self.documents_collected.iter().enumerate() {
            if let Some(m) = doc.member {
                check_member(
                    &mut c,
                    household,
                    &format!("documents_collected[{i}].member"),
                    m,
                );
            }
        }
        c.optional(
            "new_circumstances",
            self.new_circumstances.as_deref(),
            MAX_NOTE_CHARS,
            true,
        );
        if let Some(next) = self.next_visit {
            if next <= self.on {
                c.push("next_visit", Why::BeforeStart);
            }
            check_ahead(&mut c, "next_visit", next, today);
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests_support::{d, family, now};

    #[test]
    fn a_visit_is_in_the_past_and_its_next_one_after_it() {
        let h = family();
        let mut v = Visit::new(RecordHead::new(h.id, now()), d(2026, 3, 1));
        v.seen = vec![h.members[0].id, h.members[1].id];
        v.checked = vec![Check::PlanMeasures, Check::Documents];
        v.next_visit = Some(d(2026, 4, 1));
        v.check(&h, d(2026, 3, 1)).unwrap();

        v.on = d(2026, 3, 2);
        v.seen.push(h.members[0].id);
        v.seen.push(Uuid::new_v4());
        v.next_visit = Some(d(2026, 3, 2));
        v.documents_collected.push(CollectedDocument {
            kind: DocumentKind::BirthCertificate,
            member: Some(Uuid::new_v4()),
        });
        let e = v.check(&h, d(2026, 3, 1)).unwrap_err();
        for (field, why) in [
            ("on", Why::InFuture),
            ("seen[2]", Why::Duplicate),
            ("seen[3]", Why::UnknownMember),
            ("next_visit", Why::BeforeStart),
            ("documents_collected[0].member", Why::UnknownMember),
        ] {
            assert!(e.has(field, why), "{field}: {why:?} in {e}");
        }
    }
}
