//! After the intake across the FFI: integration plans, referrals, visits,
//! exits (`komek_core::followup`, docs/case-follow-up.md), the plan and
//! referrals proposed from a pre-check, and the visit list of a settlement.
//!
//! The records mirror the core's field for field (dates as `YYYY-MM-DD`,
//! instants as timestamps); [`FollowUpRecord`] carries any of the four, so
//! the store's generic calls (`save_record`, `finalize_record`, …) are one
//! method each here too.

use crate::enums::{mirror_enum, DocumentKind, DocumentStatus, FormStatus};
use crate::scalars::{count, to_system_time, to_utc, IsoDate};
use komek_core::followup as core;
use std::time::SystemTime;
use uuid::Uuid;

mirror_enum!(
    /// The kind of a follow-up record.
    RecordKind => komek_core::followup::RecordKind { Plan, Referral, Visit, Exit }
);
mirror_enum!(
    /// A measure of an integration plan (label kind `Measure`).
    MeasureKind => komek_core::followup::MeasureKind {
        JobSearch, Training, TemporaryWork, PublicWork, StartBusiness, SubsidiaryFarming,
        Education, Health, SocialCultural, SchoolAttendance,
    }
);
mirror_enum!(
    MeasureStatus => komek_core::followup::MeasureStatus {
        Planned, InProgress, Done, Missed, Cancelled,
    }
);
mirror_enum!(
    Responsible => komek_core::followup::Responsible {
        Family, CareerCentre, SocialWorker, Akimat, HealthBody, EducationBody, Ngo,
    }
);
mirror_enum!(
    SignatureMethod => komek_core::followup::SignatureMethod { Paper, DigitalSignature, Witnessed }
);
mirror_enum!(
    Service => komek_core::followup::Service {
        Diagnosis, MedicalSocialExpertise, Pmpc, SpecialSocialServices, CareerCentre,
        Transport, Other,
    }
);
mirror_enum!(
    Ground => komek_core::followup::Ground {
        ChildDisability, Disability, OldAgeNoSelfCare, NoParentalCare, Neglect,
        DeviantBehaviour, ReleasedFromPrison, Homelessness, Probation, Violence,
        Unemployment, Other,
    }
);
mirror_enum!(
    StepKind => komek_core::followup::StepKind {
        Informed, DocumentsRequested, DocumentsCollected, Submitted, AppointmentSet,
        Attended, Facilitated, Chased,
    }
);
mirror_enum!(
    ReferralResult => komek_core::followup::ReferralResult { Granted, Refused, Withdrawn, NotNeeded }
);
mirror_enum!(
    Check => komek_core::followup::Check {
        PlanReview, PlanMeasures, Documents, Referrals, ChildrenSchool, Health, Housing,
        Income, ExitFollowUp, ReturnedCase, Rescreen,
    }
);
mirror_enum!(
    ExitReason => komek_core::followup::ExitReason { IncomeRose, Employment, Moved, Refused, Other }
);
mirror_enum!(
    VisitReasonKind => komek_core::followup::VisitReasonKind {
        ReturnedCase, MeasureOverdue, ReferralNoOutcome, DocumentsMissing, PlanReviewDue,
        Rescreen, ExitFollowUp, NextVisitDue, LongStay,
    }
);

/// What every record carries.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecordHead {
    pub id: Uuid,
    pub household_id: Uuid,
    pub version: u32,
    pub replaces: Option<u32>,
    pub status: FormStatus,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Measure {
    pub id: Uuid,
    pub kind: MeasureKind,
    pub member: Option<Uuid>,
    pub responsible: Responsible,
    pub due: IsoDate,
    pub status: MeasureStatus,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Obligation {
    pub id: Uuid,
    pub text: String,
    pub member: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Signature {
    pub method: SignatureMethod,
    pub signed_on: IsoDate,
    pub witness: Option<String>,
}

/// An integration plan of a social contract.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IntegrationPlan {
    pub head: RecordHead,
    pub recipient: Uuid,
    pub authority: String,
    pub drawn_up_by: Option<Uuid>,
    pub covered_members: Vec<Uuid>,
    pub starts_on: IsoDate,
    pub ends_on: Option<IsoDate>,
    pub measures: Vec<Measure>,
    pub obligations: Vec<Obligation>,
    pub review_dates: Vec<IsoDate>,
    pub signature: Option<Signature>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReferralDocument {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReferralStep {
    pub on: IsoDate,
    pub kind: StepKind,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReferralOutcome {
    pub on: IsoDate,
    pub result: ReferralResult,
    pub note: Option<String>,
}

/// A referral to a committee or service, followed to its outcome.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Referral {
    pub head: RecordHead,
    pub member: Uuid,
    pub service: Service,
    pub service_name: Option<String>,
    pub ground: Ground,
    pub opened_on: IsoDate,
    pub documents: Vec<ReferralDocument>,
    pub steps: Vec<ReferralStep>,
    pub outcome: Option<ReferralOutcome>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MeasureProgress {
    pub plan: Uuid,
    pub measure: Uuid,
    pub status: MeasureStatus,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CollectedDocument {
    pub kind: DocumentKind,
    pub member: Option<Uuid>,
}

/// A follow-up visit.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Visit {
    pub head: RecordHead,
    pub on: IsoDate,
    pub seen: Vec<Uuid>,
    pub checked: Vec<Check>,
    pub progress: Vec<MeasureProgress>,
    pub documents_collected: Vec<CollectedDocument>,
    pub new_circumstances: Option<String>,
    pub next_visit: Option<IsoDate>,
}

/// A family's exit from assistance.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExitRecord {
    pub head: RecordHead,
    pub on: IsoDate,
    pub reason: ExitReason,
    pub note: Option<String>,
}

/// Any follow-up record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FollowUpRecord {
    Plan { plan: IntegrationPlan },
    Referral { referral: Referral },
    Visit { visit: Visit },
    Exit { exit: ExitRecord },
}

/// Every record of a household (latest version of each).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FollowUpFile {
    pub plans: Vec<IntegrationPlan>,
    pub referrals: Vec<Referral>,
    pub visits: Vec<Visit>,
    pub exits: Vec<ExitRecord>,
}

/// One reason a household is on the visit list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VisitReason {
    pub kind: VisitReasonKind,
    pub since: Option<IsoDate>,
    pub days: i64,
    pub record: Option<Uuid>,
    pub item: Option<Uuid>,
    pub count: Option<u32>,
}

/// A household to visit, most urgent reason first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VisitNeed {
    pub household_id: Uuid,
    pub reasons: Vec<VisitReason>,
}

// ---- core → FFI --------------------------------------------------------------

fn map<A, B: From<A>>(v: Vec<A>) -> Vec<B> {
    v.into_iter().map(Into::into).collect()
}

impl From<core::RecordHead> for RecordHead {
    fn from(h: core::RecordHead) -> RecordHead {
        RecordHead {
            id: h.id,
            household_id: h.household_id,
            version: h.version,
            replaces: h.replaces,
            status: h.status.into(),
            created_at: to_system_time(h.created_at),
            updated_at: to_system_time(h.updated_at),
        }
    }
}

impl From<RecordHead> for core::RecordHead {
    fn from(h: RecordHead) -> core::RecordHead {
        core::RecordHead {
            id: h.id,
            household_id: h.household_id,
            version: h.version,
            replaces: h.replaces,
            status: h.status.into(),
            created_at: to_utc(h.created_at),
            updated_at: to_utc(h.updated_at),
        }
    }
}

impl From<core::Measure> for Measure {
    fn from(m: core::Measure) -> Measure {
        Measure {
            id: m.id,
            kind: m.kind.into(),
            member: m.member,
            responsible: m.responsible.into(),
            due: m.due,
            status: m.status.into(),
            note: m.note,
        }
    }
}

impl From<Measure> for core::Measure {
    fn from(m: Measure) -> core::Measure {
        core::Measure {
            id: m.id,
            kind: m.kind.into(),
            member: m.member,
            responsible: m.responsible.into(),
            due: m.due,
            status: m.status.into(),
            note: m.note,
        }
    }
}

impl From<core::Obligation> for Obligation {
    fn from(o: core::Obligation) -> Obligation {
        Obligation {
            id: o.id,
            text: o.text,
            member: o.member,
        }
    }
}

impl From<Obligation> for core::Obligation {
    fn from(o: Obligation) -> core::Obligation {
        core::Obligation {
            id: o.id,
            text: o.text,
            member: o.member,
        }
    }
}

impl From<core::Signature> for Signature {
    fn from(s: core::Signature) -> Signature {
        Signature {
            method: s.method.into(),
            signed_on: s.signed_on,
            witness: s.witness,
        }
    }
}

impl From<Signature> for core::Signature {
    fn from(s: Signature) -> core::Signature {
        core::Signature {
            method: s.method.into(),
            signed_on: s.signed_on,
            witness: s.witness,
        }
    }
}

impl From<core::IntegrationPlan> for IntegrationPlan {
    fn from(p: core::IntegrationPlan) -> IntegrationPlan {
        IntegrationPlan {
            head: p.head.into(),
            recipient: p.parties.recipient,
            authority: p.parties.authority,
            drawn_up_by: p.parties.drawn_up_by,
            covered_members: p.covered_members,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            measures: map(p.measures),
            obligations: map(p.obligations),
            review_dates: p.review_dates,
            signature: p.signature.map(Into::into),
            note: p.note,
        }
    }
}

impl From<IntegrationPlan> for core::IntegrationPlan {
    fn from(p: IntegrationPlan) -> core::IntegrationPlan {
        core::IntegrationPlan {
            head: p.head.into(),
            parties: core::Parties {
                recipient: p.recipient,
                authority: p.authority,
                drawn_up_by: p.drawn_up_by,
            },
            covered_members: p.covered_members,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            measures: map(p.measures),
            obligations: map(p.obligations),
            review_dates: p.review_dates,
            signature: p.signature.map(Into::into),
            note: p.note,
        }
    }
}

impl From<core::Referral> for Referral {
    fn from(r: core::Referral) -> Referral {
        Referral {
            head: r.head.into(),
            member: r.member,
            service: r.service.into(),
            service_name: r.service_name,
            ground: r.ground.into(),
            opened_on: r.opened_on,
            documents: r
                .documents
                .into_iter()
                .map(|d| ReferralDocument {
                    kind: d.kind.into(),
                    status: d.status.into(),
                })
                .collect(),
            steps: r
                .steps
                .into_iter()
                .map(|s| ReferralStep {
                    on: s.on,
                    kind: s.kind.into(),
                    note: s.note,
                })
                .collect(),
            outcome: r.outcome.map(|o| ReferralOutcome {
                on: o.on,
                result: o.result.into(),
                note: o.note,
            }),
            note: r.note,
        }
    }
}

impl From<Referral> for core::Referral {
    fn from(r: Referral) -> core::Referral {
        core::Referral {
            head: r.head.into(),
            member: r.member,
            service: r.service.into(),
            service_name: r.service_name,
            ground: r.ground.into(),
            opened_on: r.opened_on,
            documents: r
                .documents
                .into_iter()
                .map(|d| core::ReferralDocument {
                    kind: d.kind.into(),
                    status: d.status.into(),
                })
                .collect(),
            steps: r
                .steps
                .into_iter()
                .map(|s| core::ReferralStep {
                    on: s.on,
                    kind: s.kind.into(),
                    note: s.note,
                })
                .collect(),
            outcome: r.outcome.map(|o| core::ReferralOutcome {
                on: o.on,
                result: o.result.into(),
                note: o.note,
            }),
            note: r.note,
        }
    }
}

impl From<core::Visit> for Visit {
    fn from(v: core::Visit) -> Visit {
        Visit {
            head: v.head.into(),
            on: v.on,
            seen: v.seen,
            checked: map(v.checked),
            progress: v
                .progress
                .into_iter()
                .map(|p| MeasureProgress {
                    plan: p.plan,
                    measure: p.measure,
                    status: p.status.into(),
                    note: p.note,
                })
                .collect(),
            documents_collected: v
                .documents_collected
                .into_iter()
                .map(|d| CollectedDocument {
                    kind: d.kind.into(),
                    member: d.member,
                })
                .collect(),
            new_circumstances: v.new_circumstances,
            next_visit: v.next_visit,
        }
    }
}

impl From<Visit> for core::Visit {
    fn from(v: Visit) -> core::Visit {
        core::Visit {
            head: v.head.into(),
            on: v.on,
            seen: v.seen,
            checked: map(v.checked),
            progress: v
                .progress
                .into_iter()
                .map(|p| core::MeasureProgress {
                    plan: p.plan,
                    measure: p.measure,
                    status: p.status.into(),
                    note: p.note,
                })
                .collect(),
            documents_collected: v
                .documents_collected
                .into_iter()
                .map(|d| core::CollectedDocument {
                    kind: d.kind.into(),
                    member: d.member,
                })
                .collect(),
            new_circumstances: v.new_circumstances,
            next_visit: v.next_visit,
        }
    }
}

impl From<core::ExitRecord> for ExitRecord {
    fn from(x: core::ExitRecord) -> ExitRecord {
        ExitRecord {
            head: x.head.into(),
            on: x.on,
            reason: x.reason.into(),
            note: x.note,
        }
    }
}

impl From<ExitRecord> for core::ExitRecord {
    fn from(x: ExitRecord) -> core::ExitRecord {
        core::ExitRecord {
            head: x.head.into(),
            on: x.on,
            reason: x.reason.into(),
            note: x.note,
        }
    }
}

impl From<komek_core::store::FollowUpFile> for FollowUpFile {
    fn from(f: komek_core::store::FollowUpFile) -> FollowUpFile {
        FollowUpFile {
            plans: map(f.plans),
            referrals: map(f.referrals),
            visits: map(f.visits),
            exits: map(f.exits),
        }
    }
}

impl From<core::VisitNeed> for VisitNeed {
    fn from(n: core::VisitNeed) -> VisitNeed {
        VisitNeed {
            household_id: n.household_id,
            reasons: n
                .reasons
                .into_iter()
                .map(|r| VisitReason {
                    kind: r.kind.into(),
                    since: r.since,
                    days: count(r.days),
                    record: r.record,
                    item: r.item,
                    count: r.count,
                })
                .collect(),
        }
    }
}

/// A new record head for household `household_id` (version 1, draft), with
/// a fresh id: what an app fills a new plan, referral, visit or exit with.
#[uniffi::export]
pub fn new_record_head(household_id: Uuid) -> RecordHead {
    core::RecordHead::new(household_id, chrono::Utc::now()).into()
}

/// A new referral of `member` to `service`, listing the documents the
/// service asks for as missing.
#[uniffi::export]
pub fn new_referral(
    household_id: Uuid,
    member: Uuid,
    service: Service,
    ground: Ground,
    opened_on: IsoDate,
) -> Referral {
    core::Referral::open(
        core::RecordHead::new(household_id, chrono::Utc::now()),
        member,
        service.into(),
        ground.into(),
        opened_on,
    )
    .into()
}
