//! Referrals to committees and services, followed until they have an outcome.
//!
//! A family with a child with a disability goes through diagnosis, the
//! medical-social expertise (certification committee) and, for pedagogical
//! needs, the psychological-medical-pedagogical consultation (PMPC); each
//! stage asks for documents, and families "get lost in the twists and turns
//! of the system" unless a social worker refers, facilitates and monitors
//! (UNICEF brief, domain file "After the intake"). Special social services
//! have their own grounds and documents (domain file, "Special social
//! services"). A referral records where, for whom, on what ground, the
//! documents and their status, each step with its date, and the outcome.

use super::problems::{Checker, Invalid, Why};
use super::{
    check_household, check_member, check_past, FollowUpRecord, RecordHead, RecordKind, MAX_ITEMS,
    MAX_LINE_CHARS, MAX_NOTE_CHARS,
};
use crate::model::{DocumentKind, DocumentStatus, Household};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub head: RecordHead,
    /// The member referred.
    pub member: Uuid,
    pub service: Service,
    /// The named office (which committee, which centre), when known.
    #[serde(default)]
    pub service_name: Option<String>,
    pub ground: Ground,
    pub opened_on: NaiveDate,
    #[serde(default)]
    pub documents: Vec<ReferralDocument>,
    #[serde(default)]
    pub steps: Vec<ReferralStep>,
    #[serde(default)]
    pub outcome: Option<ReferralOutcome>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a member is referred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Diagnosis at a clinic or hospital (before the expertise).
    Diagnosis,
    /// The medical-social expertise (disability certification).
    MedicalSocialExpertise,
    /// The psychological-medical-pedagogical consultation.
    Pmpc,
    /// Special social services (home, day care, residential, temporary stay).
    SpecialSocialServices,
    /// The career centre (employment measures, unemployment certificate).
    CareerCentre,
    /// Transport for people with disabilities (invataxi).
    Transport,
    Other,
}

impl Service {
    pub const ALL: [Service; 7] = [
        Service::Diagnosis,
        Service::MedicalSocialExpertise,
        Service::Pmpc,
        Service::SpecialSocialServices,
        Service::CareerCentre,
        Service::Transport,
        Service::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::Diagnosis => "diagnosis",
            Service::MedicalSocialExpertise => "medical_social_expertise",
            Service::Pmpc => "pmpc",
            Service::SpecialSocialServices => "special_social_services",
            Service::CareerCentre => "career_centre",
            Service::Transport => "transport",
            Service::Other => "other",
        }
    }

    /// The documents the service asks for when they are not in the state
    /// systems (domain file: special social services; referrals for a child
    /// with a disability; unemployment certification).
    pub fn documents(self) -> &'static [DocumentKind] {
        match self {
            Service::Diagnosis => &[DocumentKind::IdentityDocument, DocumentKind::MedicalCard],
            Service::MedicalSocialExpertise => &[
                DocumentKind::Application,
                DocumentKind::IdentityDocument,
                DocumentKind::MedicalCard,
            ],
            Service::Pmpc => &[
                DocumentKind::Application,
                DocumentKind::BirthCertificate,
                DocumentKind::MedicalCard,
                DocumentKind::DisabilityCertificate,
            ],
            Service::SpecialSocialServices => &[
                DocumentKind::Application,
                DocumentKind::MedicalCard,
                DocumentKind::DisabilityCertificate,
                DocumentKind::RehabilitationProgrammeExtract,
            ],
            Service::CareerCentre => &[DocumentKind::IdentityDocument],
            Service::Transport => &[DocumentKind::DisabilityCertificate],
            Service::Other => &[],
        }
    }
}

/// The ground of a referral: the grounds of special social services (2008
/// law, V for that law; the Social Code's Art. 133 list is U) and the
/// ordinary ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    ChildDisability,
    Disability,
    /// Cannot look after oneself in old age.
    OldAgeNoSelfCare,
    NoParentalCare,
    Neglect,
    DeviantBehaviour,
    ReleasedFromPrison,
    Homelessness,
    Probation,
    Violence,
    /// Needs work (employment measures, certification).
    Unemployment,
    Other,
}

impl Ground {
    pub const ALL: [Ground; 12] = [
        Ground::ChildDisability,
        Ground::Disability,
        Ground::OldAgeNoSelfCare,
        Ground::NoParentalCare,
        Ground::Neglect,
        Ground::DeviantBehaviour,
        Ground::ReleasedFromPrison,
        Ground::Homelessness,
        Ground::Probation,
        Ground::Violence,
        Ground::Unemployment,
        Ground::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Ground::ChildDisability => "child_disability",
            Ground::Disability => "disability",
            Ground::OldAgeNoSelfCare => "old_age_no_self_care",
            Ground::NoParentalCare => "no_parental_care",
            Ground::Neglect => "neglect",
            Ground::DeviantBehaviour => "deviant_behaviour",
            Ground::ReleasedFromPrison => "released_from_prison",
            Ground::Homelessness => "homelessness",
            Ground::Probation => "probation",
            Ground::Violence => "violence",
            Ground::Unemployment => "unemployment",
            Ground::Other => "other",
        }
    }
}

/// A document the referral needs, and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralDocument {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
}

/// A step taken, with its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralStep {
    pub on: NaiveDate,
    pub kind: StepKind,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The family was told about the service and what it needs.
    Informed,
    DocumentsRequested,
    DocumentsCollected,
    /// The application went to the service or committee.
    Submitted,
    AppointmentSet,
    /// The member was seen or examined.
    Attended,
    /// Transport arranged (invataxi) or another obstacle removed.
    Facilitated,
    /// The service was chased for an answer.
    Chased,
}

impl StepKind {
    pub const ALL: [StepKind; 8] = [
        StepKind::Informed,
        StepKind::DocumentsRequested,
        StepKind::DocumentsCollected,
        StepKind::Submitted,
        StepKind::AppointmentSet,
        StepKind::Attended,
        StepKind::Facilitated,
        StepKind::Chased,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StepKind::Informed => "informed",
            StepKind::DocumentsRequested => "documents_requested",
            StepKind::DocumentsCollected => "documents_collected",
            StepKind::Submitted => "submitted",
            StepKind::AppointmentSet => "appointment_set",
            StepKind::Attended => "attended",
            StepKind::Facilitated => "facilitated",
            StepKind::Chased => "chased",
        }
    }
}

/// How the referral ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralOutcome {
    pub on: NaiveDate,
    pub result: ReferralResult,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralResult {
    /// The service was granted (a disability established, a place given).
    Granted,
    Refused,
    /// The family withdrew.
    Withdrawn,
    /// It turned out not to be needed.
    NotNeeded,
}

impl ReferralResult {
    pub const ALL: [ReferralResult; 4] = [
        ReferralResult::Granted,
        ReferralResult::Refused,
        ReferralResult::Withdrawn,
        ReferralResult::NotNeeded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReferralResult::Granted => "granted",
            ReferralResult::Refused => "refused",
            ReferralResult::Withdrawn => "withdrawn",
            ReferralResult::NotNeeded => "not_needed",
        }
    }
}

impl Referral {
    /// A new referral of `member` to `service`, with the documents the
    /// service asks for listed as missing.
    pub fn open(
        head: RecordHead,
        member: Uuid,
        service: Service,
        ground: Ground,
        opened_on: NaiveDate,
    ) -> Referral {
        Referral {
            head,
            member,
            service,
            service_name: None,
            ground,
            opened_on,
            documents: service
                .documents()
                .iter()
                .map(|k| ReferralDocument {
                    kind: *k,
                    status: DocumentStatus::Missing,
                })
                .collect(),
            steps: Vec::new(),
            outcome: None,
            note: None,
        }
    }

    /// The date of the last thing that happened: the last step, or the opening.
    pub fn last_activity(&self) -> NaiveDate {
        self.steps
            .iter()
            .map(|s| s.on)
            .max()
            .unwrap_or(self.opened_on)
            .max(self.opened_on)
    }

    /// Documents not yet in hand.
    pub fn missing_documents(&self) -> impl Iterator<Item = &ReferralDocument> {
        self.documents
            .iter()
            .filter(|d| d.status != DocumentStatus::Have)
    }
}

impl FollowUpRecord for Referral {
    const KIND: RecordKind = RecordKind::Referral;

    fn head(&self) -> &RecordHead {
        &self.head
    }

    fn head_mut(&mut self) -> &mut RecordHead {
        &mut self.head
    }

    fn check(&self, household: &Household, today: NaiveDate) -> Result<(), Invalid> {
        let mut c = Checker::default();
        check_household(&mut c, &self.head, household);
        check_member(&mut c, household, "member", self.member);
        c.optional(
            "service_name",
            self.service_name.as_deref(),
            MAX_LINE_CHARS,
            false,
        );
        check_past(&mut c, "opened_on", self.opened_on, today);
        c.bounded("documents", &self.documents, MAX_ITEMS);
        let mut kinds = std::collections::HashSet::new();
        for (i, doc) in self.documents.iter().enumerate() {
            if !kinds.insert(doc.kind) {
                c.push(format!("documents[{i}]"), Why::Duplicate);
            }
        }
        c.bounded("steps", &self.steps, MAX_ITEMS);
        for (i, s) in self.steps.iter().enumerate() {
            if s.on < self.opened_on {
                c.push(format!("steps[{i}].on"), Why::BeforeStart);
            }
            check_past(&mut c, &format!("steps[{i}].on"), s.on, today);
            c.optional(
                &format!("steps[{i}].note"),
                s.note.as_deref(),
                MAX_NOTE_CHARS,
                true,
            );
        }
        if let Some(o) = &self.outcome {
            if o.on < self.opened_on {
                c.push("outcome.on", Why::BeforeStart);
            }
            check_past(&mut c, "outcome.on", o.on, today);
            c.optional("outcome.note", o.note.as_deref(), MAX_NOTE_CHARS, true);
        }
        c.optional("note", self.note.as_deref(), MAX_NOTE_CHARS, true);
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests_support::{d, family, now};

    #[test]
    fn a_new_referral_lists_the_services_documents_as_missing() {
        let h = family();
        let r = Referral::open(
            RecordHead::new(h.id, now()),
            h.members[2].id,
            Service::Pmpc,
            Ground::ChildDisability,
            d(2026, 3, 1),
        );
        r.check(&h, d(2026, 3, 1)).unwrap();
        assert_eq!(r.missing_documents().count(), 4);
        assert_eq!(r.last_activity(), d(2026, 3, 1));
    }

    #[test]
    fn steps_and_outcome_are_dated_between_opening_and_today() {
        let h = family();
        let mut r = Referral::open(
            RecordHead::new(h.id, now()),
            Uuid::new_v4(),
            Service::MedicalSocialExpertise,
            Ground::Disability,
            d(2026, 3, 1),
        );
        r.documents.push(r.documents[0].clone());
        r.steps = vec![
            ReferralStep {
                on: d(2026, 2, 1),
                kind: StepKind::Informed,
                note: None,
            },
            ReferralStep {
                on: d(2026, 3, 20),
                kind: StepKind::Submitted,
                note: None,
            },
        ];
        r.outcome = Some(ReferralOutcome {
            on: d(2026, 2, 28),
            result: ReferralResult::Granted,
            note: None,
        });
        let e = r.check(&h, d(2026, 3, 10)).unwrap_err();
        for (field, why) in [
            ("member", Why::UnknownMember),
            ("documents[3]", Why::Duplicate),
            ("steps[0].on", Why::BeforeStart),
            ("steps[1].on", Why::InFuture),
            ("outcome.on", Why::BeforeStart),
        ] {
            assert!(e.has(field, why), "{field}: {why:?} in {e}");
        }
        assert_eq!(r.last_activity(), d(2026, 3, 20));
    }
}
