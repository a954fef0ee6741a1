//! The household intake form as a whole: location, housing, consent, members,
//! incomes, expenses, assets, documents and the support the family asks for.

use super::assets::Assets;
use super::calendar::YearMonth;
use super::circumstances::TsaRefusal;
use super::member::{Member, Relation};
use super::money::Tiyn;
use super::region::Region;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The form's schema version. Bump it, with a migration of stored forms, when a
/// field changes meaning; adding an optional field with a default does not.
pub const SCHEMA_VERSION: u16 = 1;

/// One household's intake form, at one version.
///
/// Versions: a draft keeps its version while it is edited; finalizing freezes
/// it. A correction of a finalized form is a new draft with `version + 1` and
/// `replaces = Some(version)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// 1 to [`SCHEMA_VERSION`]; a form from a newer app is refused.
    #[serde(deserialize_with = "known_schema_version")]
    pub schema_version: u16,
    /// Made on the device when the intake starts.
    pub id: Uuid,
    pub version: u32,
    /// The finalized version this one corrects.
    #[serde(default)]
    pub replaces: Option<u32>,
    pub status: FormStatus,
    pub location: Location,
    /// Street address or description; personal data.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub housing: Housing,
    #[serde(default)]
    pub consents: Vec<Consent>,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub incomes: Vec<Income>,
    #[serde(default)]
    pub expenses: Vec<Expense>,
    #[serde(default)]
    pub assets: Assets,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub wanted_support: Vec<SupportMeasure>,
    /// The family lost its breadwinner (death or declared dead); the dependants
    /// may receive the loss-of-breadwinner benefit.
    #[serde(default)]
    pub breadwinner_lost: bool,
    /// A previous refusal or termination of targeted social assistance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_tsa_refusal: Option<TsaRefusal>,
    /// Average monthly spending from the family's bank cards over the
    /// reference quarter (the 2025 card-spending screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_spending_monthly: Option<Tiyn>,
    #[serde(default)]
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub finalized_at: Option<DateTime<Utc>>,
}

fn known_schema_version<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    super::strict::known_version(d, SCHEMA_VERSION)
}

impl Household {
    /// A new, empty draft for `region`, version 1.
    pub fn new_draft(region: Region, now: DateTime<Utc>) -> Household {
        Household {
            schema_version: SCHEMA_VERSION,
            id: Uuid::new_v4(),
            version: 1,
            replaces: None,
            status: FormStatus::Draft,
            location: Location {
                region,
                district: None,
                settlement: None,
            },
            address: None,
            housing: Housing::default(),
            consents: Vec::new(),
            members: Vec::new(),
            incomes: Vec::new(),
            expenses: Vec::new(),
            assets: Assets::default(),
            documents: Vec::new(),
            wanted_support: Vec::new(),
            breadwinner_lost: false,
            previous_tsa_refusal: None,
            card_spending_monthly: None,
            notes: None,
            created_at: now,
            updated_at: now,
            finalized_at: None,
        }
    }

    /// The head of the household, if exactly one member is marked head.
    pub fn head(&self) -> Option<&Member> {
        let mut heads = self.members.iter().filter(|m| m.relation == Relation::Head);
        match (heads.next(), heads.next()) {
            (Some(h), None) => Some(h),
            _ => None,
        }
    }

    pub fn member(&self, id: Uuid) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// A consent that is recorded, not withdrawn and not expired on `on`.
    pub fn has_valid_consent(&self, on: NaiveDate) -> bool {
        self.consents.iter().any(|c| c.is_valid_on(on))
    }

    /// The draft that corrects this finalized form: same content, next version,
    /// naming this one as replaced.
    pub fn correction(&self, now: DateTime<Utc>) -> Household {
        let mut next = self.clone();
        next.version = self.version + 1;
        next.replaces = Some(self.version);
        next.status = FormStatus::Draft;
        next.updated_at = now;
        next.finalized_at = None;
        next
    }

    pub fn is_final(&self) -> bool {
        self.status == FormStatus::Final
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormStatus {
    Draft,
    Final,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub region: Region,
    /// District KATO code or name, as the rule pack's district flags name it.
    #[serde(default)]
    pub district: Option<String>,
    /// Village or town.
    #[serde(default)]
    pub settlement: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Housing {
    #[serde(default)]
    pub tenure: Option<Tenure>,
    /// Monthly rent, when renting.
    #[serde(default)]
    pub monthly_rent: Option<Tiyn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tenure {
    Own,
    Rent,
    WithRelatives,
    NoHousing,
    Other,
}

/// Prior consent to the processing of personal data (Law 94-V): who consented,
/// to which operator, for what purpose, until when, which data, and whether it
/// may be transferred to the central registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub id: Uuid,
    pub recorded_at: DateTime<Utc>,
    pub method: ConsentMethod,
    /// The operator the consent is given to (the social protection department).
    pub operator: String,
    pub purpose: String,
    pub valid_until: NaiveDate,
    /// The categories of data covered, e.g. `identity`, `income`, `health`.
    #[serde(default)]
    pub data_categories: Vec<String>,
    pub transfer_to_registry: bool,
    #[serde(default)]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Consent {
    pub fn is_valid_on(&self, on: NaiveDate) -> bool {
        self.withdrawn_at.is_none() && on <= self.valid_until
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    SignedPaper,
    DigitalSignature,
    OralWithWitness,
}

/// A document the family has, lacks or has requested. No scans or photos: paper
/// copies of identity documents may not be collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub kind: DocumentKind,
    /// The member it concerns, when it concerns one.
    #[serde(default)]
    pub member_id: Option<Uuid>,
    pub status: DocumentStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Application,
    IdentityDocument,
    BankAccount,
    AlimonyCertificate,
    UnemploymentCertificate,
    MarriageCertificate,
    DivorceCertificate,
    BirthCertificate,
    DisabilityCertificate,
    MedicalCard,
    RehabilitationProgrammeExtract,
    CourtDecisionOnIncapacity,
    DeathCertificate,
    IncomeCertificate,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Have,
    Missing,
    Requested,
}

/// Support measures people ask for (resilience study, Table 10): the menu of an
/// integration plan under a social contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportMeasure {
    StartOwnBusiness,
    SubsidiaryFarming,
    Education,
    JobSkills,
    AdditionalJob,
    Job,
}

/// One income received by one member in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Income {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: IncomeKind,
    pub amount: Tiyn,
    pub month: YearMonth,
}

/// Kinds of income. Whether a kind counts towards targeted social assistance is
/// decided by the rule pack (data, with the reason), not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeKind {
    Wages,
    Pension,
    /// Social benefits other than those named below.
    SocialBenefit,
    AdultDisabilityBenefit,
    SurvivorBenefit,
    ChildcareBenefit,
    CarerBenefit,
    Alimony,
    SubsidiaryFarming,
    Business,
    PropertyRentOrSale,
    Securities,
    GiftOrInheritance,
    Credit,
    FreeOfCharge,
    DepositInterest,
    MoneyTransfer,
    Winnings,
    LargeFamilyAllowance,
    EmploymentMeasures,
    EmploymentRelocationOneTime,
    HousingCertificate,
    TargetedSocialAssistance,
    HousingAssistance,
    FuneralAllowance,
    ChildDisabilityBenefit,
    SpecialChildDisabilityBenefit,
    Scholarship,
    AwardedMothersAllowance,
    Other,
}

impl IncomeKind {
    pub const ALL: [IncomeKind; 30] = [
        IncomeKind::Wages,
        IncomeKind::Pension,
        IncomeKind::SocialBenefit,
        IncomeKind::AdultDisabilityBenefit,
        IncomeKind::SurvivorBenefit,
        IncomeKind::ChildcareBenefit,
        IncomeKind::CarerBenefit,
        IncomeKind::Alimony,
        IncomeKind::SubsidiaryFarming,
        IncomeKind::Business,
        IncomeKind::PropertyRentOrSale,
        IncomeKind::Securities,
        IncomeKind::GiftOrInheritance,
        IncomeKind::Credit,
        IncomeKind::FreeOfCharge,
        IncomeKind::DepositInterest,
        IncomeKind::MoneyTransfer,
        IncomeKind::Winnings,
        IncomeKind::LargeFamilyAllowance,
        IncomeKind::EmploymentMeasures,
        IncomeKind::EmploymentRelocationOneTime,
        IncomeKind::HousingCertificate,
        IncomeKind::TargetedSocialAssistance,
        IncomeKind::HousingAssistance,
        IncomeKind::FuneralAllowance,
        IncomeKind::ChildDisabilityBenefit,
        IncomeKind::SpecialChildDisabilityBenefit,
        IncomeKind::Scholarship,
        IncomeKind::AwardedMothersAllowance,
        IncomeKind::Other,
    ];

    /// The snake-case code used in rule packs and files.
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// Monthly household expenses by category (the expenditure-based advisory view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expense {
    pub category: ExpenseCategory,
    /// Per month.
    pub amount: Tiyn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseCategory {
    HousingAndUtilities,
    Food,
    Medical,
    KindergartenAndSchool,
    Transport,
    Clothing,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_household_round_trips_through_json() {
        let now = Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap();
        let mut h = Household::new_draft(Region::Aktobe, now);
        h.members.push(Member::new("A", "B", Relation::Head));
        let json = serde_json::to_string(&h).unwrap();
        let back: Household = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
    }

    /// Issue 11, finding 6: on main `incomez` was dropped and the form read
    /// as one without incomes.
    #[test]
    fn misspelled_twice_given_and_future_fields_are_refused_by_path() {
        let form = include_str!("../../../examples/intake-form.json");
        assert!(serde_json::from_str::<Household>(form).is_ok());
        let refused = |json: &str| serde_json::from_str::<Household>(json).unwrap_err();
        let e = refused(&form.replacen("\"incomes\"", "\"incomez\"", 1));
        assert!(e.to_string().starts_with("unknown field `incomez`"), "{e}");
        let e = refused(&form.replacen("\"surname\"", "\"surnme\"", 1));
        assert!(e.to_string().starts_with("unknown field `surnme`"), "{e}");
        let e = refused(&form.replacen("\"status\"", "\"version\": 3, \"status\"", 1));
        assert!(
            e.to_string().starts_with("duplicate field `version`"),
            "{e}"
        );
        let e = refused(&form.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1));
        assert!(
            e.to_string().starts_with("unsupported schema version"),
            "{e}"
        );
        let e = refused(&form.replacen("\"schema_version\": 1", "\"schema_version\": 0", 1));
        assert!(
            e.to_string().starts_with("unsupported schema version"),
            "{e}"
        );
    }

    #[test]
    fn a_correction_names_the_version_it_replaces() {
        let now = Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap();
        let mut h = Household::new_draft(Region::Aktobe, now);
        h.status = FormStatus::Final;
        h.finalized_at = Some(now);
        let c = h.correction(now);
        assert_eq!((c.version, c.replaces), (2, Some(1)));
        assert_eq!(c.status, FormStatus::Draft);
        assert_eq!(c.finalized_at, None);
        assert_eq!(c.id, h.id);
    }

    #[test]
    fn income_kind_codes_are_unique_snake_case() {
        let codes: std::collections::BTreeSet<String> =
            IncomeKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), IncomeKind::ALL.len());
        assert!(codes.contains("targeted_social_assistance"));
    }
}
