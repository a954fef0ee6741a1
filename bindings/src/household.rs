//! The household intake form as apps build it: typed records mirroring
//! `komek_core::model::Household`, with defaults so a new form needs few fields.
//!
//! Money is [`Tiyn`] (integer tiyn, 1 tenge = 100 tiyn; Kotlin `Long`), calendar
//! dates are [`IsoDate`], months [`IsoMonth`], instants timestamps (see
//! [`crate::scalars`]). The conversions to and from the core are in
//! [`crate::convert`]. Members are in [`crate::member`], assets in
//! [`crate::assets`].

use crate::assets::Assets;
use crate::enums::{
    ConsentMethod, DocumentKind, DocumentStatus, ExpenseCategory, FormStatus, IncomeKind,
    RefusalReason, Region, SupportMeasure, Tenure,
};
use crate::member::Member;
use crate::scalars::{IsoDate, IsoMonth};
use komek_core::model::Tiyn;
use std::time::SystemTime;
use uuid::Uuid;

/// A previous refusal or termination of targeted social assistance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TsaRefusal {
    pub date: IsoDate,
    pub reason: RefusalReason,
}

/// One household's intake form at one version. Start one with
/// `newHouseholdDraft(region)`; the store sets `status`, `version`,
/// `replaces`, `updatedAt` and `finalizedAt` itself.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Household {
    pub id: Uuid,
    pub version: u32,
    /// The finalized version this one corrects.
    #[uniffi(default = None)]
    pub replaces: Option<u32>,
    pub status: FormStatus,
    pub location: Location,
    /// Street address or description; personal data.
    #[uniffi(default = None)]
    pub address: Option<String>,
    #[uniffi(default)]
    pub housing: Housing,
    #[uniffi(default = [])]
    pub consents: Vec<Consent>,
    #[uniffi(default = [])]
    pub members: Vec<Member>,
    #[uniffi(default = [])]
    pub incomes: Vec<Income>,
    #[uniffi(default = [])]
    pub expenses: Vec<Expense>,
    #[uniffi(default)]
    pub assets: Assets,
    #[uniffi(default = [])]
    pub documents: Vec<Document>,
    #[uniffi(default = [])]
    pub wanted_support: Vec<SupportMeasure>,
    /// The family lost its breadwinner.
    #[uniffi(default = false)]
    pub breadwinner_lost: bool,
    /// A previous refusal or termination of TSA (the 6-month bar runs from
    /// its date).
    #[uniffi(default = None)]
    pub previous_tsa_refusal: Option<TsaRefusal>,
    /// Average monthly spending from the family's bank cards over the
    /// reference quarter (the card-spending screen), when known.
    #[uniffi(default = None)]
    pub card_spending_monthly: Option<Tiyn>,
    #[uniffi(default = None)]
    pub notes: Option<String>,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    #[uniffi(default = None)]
    pub finalized_at: Option<SystemTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Location {
    pub region: Region,
    /// District KATO code or name, as the rule pack's district flags name it.
    #[uniffi(default = None)]
    pub district: Option<String>,
    /// Village or town.
    #[uniffi(default = None)]
    pub settlement: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Housing {
    #[uniffi(default = None)]
    pub tenure: Option<Tenure>,
    /// Monthly rent, when renting.
    #[uniffi(default = None)]
    pub monthly_rent: Option<Tiyn>,
}

/// Prior consent to the processing of personal data (Law 94-V).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Consent {
    pub id: Uuid,
    pub recorded_at: SystemTime,
    pub method: ConsentMethod,
    /// The operator the consent is given to (the social protection department).
    pub operator: String,
    pub purpose: String,
    pub valid_until: IsoDate,
    /// Categories of data covered, e.g. `identity`, `income`, `health`.
    #[uniffi(default = [])]
    pub data_categories: Vec<String>,
    pub transfer_to_registry: bool,
    #[uniffi(default = None)]
    pub withdrawn_at: Option<SystemTime>,
}

/// A document the family has, lacks or has requested (no scans).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Document {
    pub kind: DocumentKind,
    /// The member it concerns, when it concerns one.
    #[uniffi(default = None)]
    pub member_id: Option<Uuid>,
    pub status: DocumentStatus,
}

/// One income received by one member in one month.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Income {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: IncomeKind,
    pub amount: Tiyn,
    pub month: IsoMonth,
}

/// A monthly household expense by category.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Expense {
    pub category: ExpenseCategory,
    /// Per month.
    pub amount: Tiyn,
}

/// A new, empty draft for `region`: a fresh id, version 1, created now.
#[uniffi::export]
pub fn new_household_draft(region: Region) -> Household {
    komek_core::model::Household::new_draft(region.into(), chrono::Utc::now()).into()
}

/// A fresh id for a new member, income or consent of `household`, derived
/// from the household's id, its version and the first unused index (ADR
/// 0004). Use it instead of a random UUID: a derived id costs 1 byte on the
/// 2G link instead of 16, and stays unique (an id the form still uses or
/// refers to is never handed out again). Add the record before asking for
/// the next id.
#[uniffi::export]
pub fn new_record_id(household: Household) -> crate::error::Result<Uuid> {
    Ok(komek_core::model::Household::try_from(household)?.new_record_id())
}
