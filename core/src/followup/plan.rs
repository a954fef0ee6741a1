//! The individual integration plan of a social contract.
//!
//! Conditional TSA is paid under a social contract: the family's able-bodied
//! members take part in employment measures; if the contract is broken,
//! payments stop and TSA is refused for 6 months (domain file, TSA,
//! "Unconditional vs conditional"). The proactive-TSA study (Taubaev et al.,
//! block 3) describes the plan behind it: a contract between the recipient
//! and an authorised body setting out the duties of both, measures with a
//! timeframe each (economic, educational, health, social and cultural,
//! children's school), reviewed regularly with the recipient's progress.

use super::problems::{Checker, Invalid, Why};
use super::{
    check_ahead, check_household, check_member, check_past, check_unique, FollowUpRecord,
    RecordHead, RecordKind, MAX_ITEMS, MAX_LINE_CHARS, MAX_NOTE_CHARS,
};
use crate::model::{Household, SupportMeasure};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A household's integration plan, at one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationPlan {
    pub head: RecordHead,
    pub parties: Parties,
    /// The members the plan covers (its measures may name only them).
    pub covered_members: Vec<Uuid>,
    pub starts_on: NaiveDate,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    pub measures: Vec<Measure>,
    /// The recipient's duties under the contract, in words.
    #[serde(default)]
    pub obligations: Vec<Obligation>,
    /// When the plan is reviewed with the family, in order.
    #[serde(default)]
    pub review_dates: Vec<NaiveDate>,
    /// How the family agreed to it; required to finalize (sign) the plan.
    #[serde(default)]
    pub signature: Option<Signature>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Who the contract binds: the recipient (a member of the household) and the
/// authorised body (a career centre, the district's social protection
/// department), with the staff member who drew it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parties {
    pub recipient: Uuid,
    pub authority: String,
    #[serde(default)]
    pub drawn_up_by: Option<Uuid>,
}

/// One measure: what, for whom, who is responsible, by when, how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: Uuid,
    pub kind: MeasureKind,
    /// The member who takes part; `None` for the family as a whole.
    #[serde(default)]
    pub member: Option<Uuid>,
    pub responsible: Responsible,
    pub due: NaiveDate,
    pub status: MeasureStatus,
    #[serde(default)]
    pub note: Option<String>,
}

impl Measure {
    /// Still to be done (planned or in progress).
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            MeasureStatus::Planned | MeasureStatus::InProgress
        )
    }

    /// Open and past its due date on `date`.
    pub fn is_overdue(&self, date: NaiveDate) -> bool {
        self.is_open() && self.due < date
    }
}

/// The measures of the study's plan (block 3) and the support people ask for
/// (resilience study, Table 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Economic: registering with the career centre and looking for work.
    JobSearch,
    /// Economic: training and job skills.
    Training,
    /// Economic: temporary employment.
    TemporaryWork,
    /// Economic: public (community) work.
    PublicWork,
    /// Economic: starting a business.
    StartBusiness,
    /// Economic: help with subsidiary farming.
    SubsidiaryFarming,
    /// Educational: adult education, vocational training.
    Education,
    /// Health: cooperation with medical bodies.
    Health,
    /// Social and cultural participation.
    SocialCultural,
    /// Children's school attendance and performance.
    SchoolAttendance,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 10] = [
        MeasureKind::JobSearch,
        MeasureKind::Training,
        MeasureKind::TemporaryWork,
        MeasureKind::PublicWork,
        MeasureKind::StartBusiness,
        MeasureKind::SubsidiaryFarming,
        MeasureKind::Education,
        MeasureKind::Health,
        MeasureKind::SocialCultural,
        MeasureKind::SchoolAttendance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeasureKind::JobSearch => "job_search",
            MeasureKind::Training => "training",
            MeasureKind::TemporaryWork => "temporary_work",
            MeasureKind::PublicWork => "public_work",
            MeasureKind::StartBusiness => "start_business",
            MeasureKind::SubsidiaryFarming => "subsidiary_farming",
            MeasureKind::Education => "education",
            MeasureKind::Health => "health",
            MeasureKind::SocialCultural => "social_cultural",
            MeasureKind::SchoolAttendance => "school_attendance",
        }
    }

    /// Employment measures in the sense of the social contract.
    pub fn is_employment(self) -> bool {
        matches!(
            self,
            MeasureKind::JobSearch
                | MeasureKind::Training
                | MeasureKind::TemporaryWork
                | MeasureKind::PublicWork
                | MeasureKind::StartBusiness
                | MeasureKind::SubsidiaryFarming
        )
    }

    /// The measure for a support the family asked for on the form.
    pub fn for_wanted(w: SupportMeasure) -> MeasureKind {
        match w {
            SupportMeasure::StartOwnBusiness => MeasureKind::StartBusiness,
            SupportMeasure::SubsidiaryFarming => MeasureKind::SubsidiaryFarming,
            SupportMeasure::Education => MeasureKind::Education,
            SupportMeasure::JobSkills => MeasureKind::Training,
            SupportMeasure::AdditionalJob => MeasureKind::TemporaryWork,
            SupportMeasure::Job => MeasureKind::JobSearch,
        }
    }
}

/// Who answers for a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Responsible {
    /// The family (the member named, or the recipient).
    Family,
    /// The career centre (labour mobility centre).
    CareerCentre,
    /// The social worker of the mobile centre or the district.
    SocialWorker,
    /// The akimat of the village or district.
    Akimat,
    /// A clinic or hospital.
    HealthBody,
    /// A school or college.
    EducationBody,
    /// A non-governmental organisation.
    Ngo,
}

impl Responsible {
    pub const ALL: [Responsible; 7] = [
        Responsible::Family,
        Responsible::CareerCentre,
        Responsible::SocialWorker,
        Responsible::Akimat,
        Responsible::HealthBody,
        Responsible::EducationBody,
        Responsible::Ngo,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Responsible::Family => "family",
            Responsible::CareerCentre => "career_centre",
            Responsible::SocialWorker => "social_worker",
            Responsible::Akimat => "akimat",
            Responsible::HealthBody => "health_body",
            Responsible::EducationBody => "education_body",
            Responsible::Ngo => "ngo",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Missed,
    Cancelled,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 5] = [
        MeasureStatus::Planned,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
        MeasureStatus::Missed,
        MeasureStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::Missed => "missed",
            MeasureStatus::Cancelled => "cancelled",
        }
    }
}

/// One duty of the recipient, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: Uuid,
    pub text: String,
    #[serde(default)]
    pub member: Option<Uuid>,
}

/// How the family agreed to the plan, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub method: SignatureMethod,
    pub signed_on: NaiveDate,
    /// The witness, when the plan was agreed before one (personal data).
    #[serde(default)]
    pub witness: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureMethod {
    /// Signed on paper; the paper stays at the centre.
    Paper,
    /// Signed with the recipient's digital signature (EDS).
    DigitalSignature,
    /// Agreed aloud before a witness (a recipient who cannot sign).
    Witnessed,
}

impl SignatureMethod {
    pub const ALL: [SignatureMethod; 3] = [
        SignatureMethod::Paper,
        SignatureMethod::DigitalSignature,
        SignatureMethod::Witnessed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SignatureMethod::Paper => "paper",
            SignatureMethod::DigitalSignature => "digital_signature",
            SignatureMethod::Witnessed => "witnessed",
        }
    }
}

impl IntegrationPlan {
    /// The open measures past their due date on `date`.
    pub fn overdue(&self, date: NaiveDate) -> impl Iterator<Item = &Measure> {
        self.measures.iter().filter(move |m| m.is_overdue(date))
    }
}

impl FollowUpRecord for IntegrationPlan {
    const KIND: RecordKind = RecordKind::Plan;

    fn head(&self) -> &RecordHead {
        &self.head
    }

    fn head_mut(&mut self) -> &mut RecordHead {
        &mut self.head
    }

    fn check(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::default();
        self.check_into(&mut c, household, today);
        c.finish()
    }

    fn check_final(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::default();
        self.check_into(&mut c, household, today);
        if self.covered_members.is_empty() {
            c.push("covered_members", Why::Missing);
        }
        if self.measures.is_empty() {
            c.push("measures", Why::Missing);
        }
        if self.review_dates.is_empty() {
            c.push("review_dates", Why::Missing);
        }
        if self.signature.is_none() {
            c.push("signature", Why::Missing);
        }
        c.finish()
    }
}

impl IntegrationPlan {
    fn check_into(&self, c: &mut Checker, household: &Household, today: NaiveDate) {
        check_household(c, &self.head, household);
        check_member(c, household, "parties.recipient", self.parties.recipient);
        c.required("parties.authority", &self.parties.authority, MAX_LINE_CHARS);
        c.bounded("covered_members", &self.covered_members, MAX_ITEMS);
        for (i, m) in self.covered_members.iter().enumerate() {
            check_member(c, household, &format!("covered_members[{i}]"), *m);
        }
        check_unique(c, "covered_members", self.covered_members.iter().copied());
        check_ahead(c, "starts_on", self.starts_on, today);
        if let Some(end) = self.ends_on {
            if end < self.starts_on {
                c.push("ends_on", Why::BeforeStart);
            }
            check_ahead(c, "ends_on", end, today);
        }
        c.bounded("measures", &self.measures, MAX_ITEMS);
        check_unique(c, "measures", self.measures.iter().map(|m| m.id));
        for (i, m) in self.measures.iter().enumerate() {
            if let Some(member) = m.member {
                if !self.covered_members.contains(&member) {
                    c.push(format!("measures[{i}].member"), Why::UnknownMember);
                }
            }
            if m.due < self.starts_on {
                c.push(format!("measures[{i}].due"), Why::BeforeStart);
            }
            check_ahead(c, &format!("measures[{i}].due"), m.due, today);
            c.optional(
                &format!("measures[{i}].note"),
                m.note.as_deref(),
                MAX_NOTE_CHARS,
                true,
            );
        }
        c.bounded("obligations", &self.obligations, MAX_ITEMS);
        check_unique(c, "obligations", self.obligations.iter().map(|o| o.id));
        for (i, o) in self.obligations.iter().enumerate() {
            c.required(&format!("obligations[{i}].text"), &o.text, MAX_LINE_CHARS);
            if let Some(member) = o.member {
                check_member(c, household, &format!("obligations[{i}].member"), member);
            }
        }
        c.bounded("review_dates", &self.review_dates, MAX_ITEMS);
        for (i, d) in self.review_dates.iter().enumerate() {
            if *d < self.starts_on {
                c.push(format!("review_dates[{i}]"), Why::BeforeStart);
            }
            check_ahead(c, &format!("review_dates[{i}]"), *d, today);
        }
        if let Some(s) = &self.signature {
            check_past(c, "signature.signed_on", s.signed_on, today);
            match (&s.method, s.witness.as_deref()) {
                (SignatureMethod::Witnessed, None) => c.push("signature.witness", Why::Missing),
                (SignatureMethod::Witnessed, Some(w)) => {
                    c.required("signature.witness", w, MAX_LINE_CHARS)
                }
                (_, w) => c.optional("signature.witness", w, MAX_LINE_CHARS, false),
            }
        }
        c.optional("note", self.note.as_deref(), MAX_NOTE_CHARS, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests_support::{d, family, now};

    fn plan(h: &Household) -> IntegrationPlan {
        let head = h.members[0].id;
        IntegrationPlan {
            head: RecordHead::new(h.id, now()),
            parties: Parties {
                recipient: head,
                authority: "Career centre".into(),
                drawn_up_by: None,
            },
            covered_members: vec![head],
            starts_on: d(2026, 3, 1),
            ends_on: Some(d(2026, 9, 1)),
            measures: vec![Measure {
                id: Uuid::new_v4(),
                kind: MeasureKind::JobSearch,
                member: Some(head),
                responsible: Responsible::CareerCentre,
                due: d(2026, 4, 1),
                status: MeasureStatus::Planned,
                note: Some("register at the centre".into()),
            }],
            obligations: vec![Obligation {
                id: Uuid::new_v4(),
                text: "attend the interviews offered".into(),
                member: Some(head),
            }],
            review_dates: vec![d(2026, 6, 1)],
            signature: None,
            note: None,
        }
    }

    #[test]
    fn a_complete_plan_passes_and_signing_needs_a_signature() {
        let h = family();
        let p = plan(&h);
        p.check(&h, d(2026, 3, 1)).unwrap();
        let e = p.check_final(&h, d(2026, 3, 1)).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(e.has("signature", Why::Missing));
        let mut signed = p.clone();
        signed.signature = Some(Signature {
            method: SignatureMethod::Paper,
            signed_on: d(2026, 3, 1),
            witness: None,
        });
        signed.check_final(&h, d(2026, 3, 1)).unwrap();
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let h = family();
        let mut p = plan(&h);
        p.parties.recipient = Uuid::new_v4();
        p.parties.authority = " ".into();
        p.covered_members.push(p.covered_members[0]);
        p.measures[0].due = d(2026, 2, 1);
        p.measures[0].note = Some("x".repeat(MAX_NOTE_CHARS + 1));
        p.measures.push(Measure {
            member: Some(h.members[1].id),
            ..p.measures[0].clone()
        });
        p.obligations[0].text = String::new();
        p.review_dates = vec![d(2026, 1, 1), d(2040, 1, 1)];
        p.ends_on = Some(d(2026, 2, 1));
        p.signature = Some(Signature {
            method: SignatureMethod::Witnessed,
            signed_on: d(2026, 3, 2),
            witness: None,
        });
        p.note = Some("bell\u{7}".into());
        let e = p.check(&h, d(2026, 3, 1)).unwrap_err();
        for (field, why) in [
            ("parties.recipient", Why::UnknownMember),
            ("parties.authority", Why::Empty),
            ("covered_members[1]", Why::Duplicate),
            ("ends_on", Why::BeforeStart),
            ("measures[1]", Why::Duplicate),
            ("measures[0].due", Why::BeforeStart),
            ("measures[0].note", Why::TooLong),
            ("measures[1].member", Why::UnknownMember),
            ("obligations[0].text", Why::Empty),
            ("review_dates[0]", Why::BeforeStart),
            ("review_dates[1]", Why::InFuture),
            ("signature.signed_on", Why::InFuture),
            ("signature.witness", Why::Missing),
            ("note", Why::ControlCharacters),
        ] {
            assert!(e.has(field, why), "{field}: {why:?} in {e}");
        }
        let other = family();
        assert!(plan(&h)
            .check(&other, d(2026, 3, 1))
            .unwrap_err()
            .has("head.household_id", Why::WrongHousehold));
    }

    #[test]
    fn overdue_means_open_and_past_due() {
        let h = family();
        let mut p = plan(&h);
        assert_eq!(
            p.overdue(d(2026, 4, 1)).count(),
            0,
            "due today is not overdue"
        );
        assert_eq!(p.overdue(d(2026, 4, 2)).count(), 1);
        p.measures[0].status = MeasureStatus::Done;
        assert_eq!(p.overdue(d(2026, 4, 2)).count(), 0);
    }
}
