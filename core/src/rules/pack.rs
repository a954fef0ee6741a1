//! Rule packs: the law as data, with effective dates, regions and confidence.
//!
//! The MRP and the subsistence minimum change every 1 January, poverty lines are
//! published per region and quarter, and a coefficient can be wrong. None of that
//! belongs in code: it lives in a versioned pack (TOML, format in
//! `docs/rule-packs.md`) that the registry signs and the device verifies
//! ([`super::signing`]). This module parses a pack, checks it, and precomputes
//! what an evaluation looks up (the poverty line of every region and quarter the
//! pack covers, the income classification as an array), so that evaluating a
//! household is a handful of indexed reads and no parsing.

use super::toml_doc::{de_date, de_opt_date};
use crate::model::{DocumentKind, Hundredths, IncomeKind, MotherAward, Quarter, Region, Tiyn};
use chrono::NaiveDate;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The pack format this code reads (`format = 1`).
pub const PACK_FORMAT: u32 = 1;

/// The default pack for Kazakhstan, compiled in (trusted as part of the binary).
pub const DEFAULT_PACK_TOML: &str = include_str!("../../packs/kz-default.toml");

/// How sure we are of a rule. Ordered from least to most sure, so the lowest
/// confidence of the rules a result used is `min()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Not confirmed: shown as "may apply", never as a firm answer.
    Unverified,
    /// One secondary source, or an inference.
    Likely,
    /// Read in an official source, or two agreeing sources.
    Verified,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [
        Confidence::Unverified,
        Confidence::Likely,
        Confidence::Verified,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Confidence::Unverified => "unverified",
            Confidence::Likely => "likely",
            Confidence::Verified => "verified",
        }
    }
}

/// Why a pack could not be read. Pack content is public law, never personal
/// data, so the TOML error text may be shown.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PackFormatError {
    #[error("the rule pack is not valid UTF-8")]
    NotUtf8,
    #[error("the rule pack is not valid TOML for this format: {0}")]
    Toml(String),
    #[error("rule pack format {found} is not supported (this build reads format {PACK_FORMAT})")]
    UnsupportedFormat { found: u32 },
    #[error("the rule pack is inconsistent: {0}")]
    Invalid(String),
}

// ---------------------------------------------------------------------------
// Exact amounts in the TOML text.
// ---------------------------------------------------------------------------

/// An amount written in tenge: an integer (`37060`) or a string with at most
/// two decimals (`"26927.17"`). Floats are refused: they are not exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tenge(Tiyn);

/// A coefficient written as a string with at most two decimals (`"16.03"`,
/// `"0.70"`) or an integer. Floats are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Coef(Hundredths);

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberText {
    Int(i64),
    Text(String),
    Float(f64),
}

/// Parses `"123"`, `"123.4"`, `"123.45"`, `"-0.5"` into hundredths.
fn parse_hundredths(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let mut cents: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    if frac.len() == 1 {
        cents *= 10;
    }
    let v = whole.checked_mul(100)?.checked_add(cents)?;
    Some(if neg { -v } else { v })
}

fn number_text<'de, D: Deserializer<'de>>(d: D, what: &str) -> Result<i64, D::Error> {
    match NumberText::deserialize(d)? {
        NumberText::Int(i) => i
            .checked_mul(100)
            .ok_or_else(|| de::Error::custom(format!("{what} out of range"))),
        NumberText::Text(s) => parse_hundredths(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "{what} must have at most two decimals, like \"16.03\""
            ))
        }),
        NumberText::Float(f) => Err(de::Error::custom(format!(
            "{what} ({f}) must be written as a string like \"16.03\" or an integer: floats are not exact"
        ))),
    }
}

impl<'de> Deserialize<'de> for Tenge {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = number_text(d, "an amount")?;
        if v < 0 {
            return Err(de::Error::custom("an amount may not be negative"));
        }
        Ok(Tenge(Tiyn(v)))
    }
}

impl<'de> Deserialize<'de> for Coef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // number_text scales integers by 100; a coefficient "16.03" is 1603.
        let v = number_text(d, "a coefficient")?;
        if v < 0 {
            return Err(de::Error::custom("a coefficient may not be negative"));
        }
        Ok(Coef(Hundredths(v)))
    }
}

fn de_tiyn<'de, D: Deserializer<'de>>(d: D) -> Result<Tiyn, D::Error> {
    Tenge::deserialize(d).map(|t| t.0)
}

fn de_hundredths<'de, D: Deserializer<'de>>(d: D) -> Result<Hundredths, D::Error> {
    Coef::deserialize(d).map(|c| c.0)
}

fn de_opt_hundredths<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Hundredths>, D::Error> {
    Option::<Coef>::deserialize(d).map(|c| c.map(|c| c.0))
}

fn de_vec_hundredths<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hundredths>, D::Error> {
    Vec::<Coef>::deserialize(d).map(|v| v.into_iter().map(|c| c.0).collect())
}

/// `"national"` or a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionOrNational {
    National,
    Region(Region),
}

impl<'de> Deserialize<'de> for RegionOrNational {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "national" {
            return Ok(RegionOrNational::National);
        }
        Region::from_code(&s)
            .map(RegionOrNational::Region)
            .ok_or_else(|| de::Error::custom(format!("unknown region code `{s}`")))
    }
}

// ---------------------------------------------------------------------------
// Public parameter types (what programmes read).
// ---------------------------------------------------------------------------

/// National parameters set by the annual budget law, in force from `from` until
/// the next entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalParams {
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    /// Monthly calculation index (MRP).
    #[serde(deserialize_with = "de_tiyn")]
    pub mrp: Tiyn,
    /// Budget-law subsistence minimum: the base of disability and
    /// loss-of-breadwinner benefits (not of the poverty line).
    #[serde(deserialize_with = "de_tiyn")]
    pub budget_pm: Tiyn,
    #[serde(deserialize_with = "de_tiyn")]
    pub min_wage: Tiyn,
    pub confidence: Confidence,
    /// The budget-law PM's own confidence when it differs from `confidence`.
    #[serde(default)]
    pub budget_pm_confidence: Option<Confidence>,
    pub source: String,
}

impl GlobalParams {
    pub fn budget_pm_confidence(&self) -> Confidence {
        self.budget_pm_confidence.unwrap_or(self.confidence)
    }
}

/// A statistical subsistence minimum (BNS) of a region, or of the country.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticalPm {
    pub region: RegionOrNational,
    pub quarter: Quarter,
    /// The month the figure was published for, when it is a monthly figure.
    #[serde(default)]
    pub month: Option<crate::model::YearMonth>,
    #[serde(deserialize_with = "de_tiyn")]
    pub amount: Tiyn,
    pub confidence: Confidence,
    pub source: String,
    /// Which layer set it: 0 the national pack, 1.. its overlays in order.
    #[serde(skip)]
    pub layer: u8,
}

/// A published regional figure for one quarter (poverty line or median income).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterFigure {
    pub region: Region,
    pub quarter: Quarter,
    #[serde(deserialize_with = "de_tiyn")]
    pub amount: Tiyn,
    pub confidence: Confidence,
    pub source: String,
    /// Which layer set it: 0 the national pack, 1.. its overlays in order.
    #[serde(skip)]
    pub layer: u8,
}

/// A district whose akimat declared livestock, poultry or land not
/// income-generating.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictFlags {
    pub region: Region,
    /// As the household's `location.district` names it (KATO code or name).
    pub district: String,
    #[serde(default)]
    pub livestock_not_income: bool,
    #[serde(default)]
    pub land_not_income: bool,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    pub confidence: Confidence,
    pub source: String,
    /// Which layer set it: 0 the national pack, 1.. its overlays in order.
    #[serde(skip)]
    pub layer: u8,
}

/// How the poverty line is computed in a period when none is published.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PovertyLineRule {
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    /// Share of the regional statistical PM of the previous quarter.
    #[serde(deserialize_with = "de_hundredths")]
    pub pm_share: Hundredths,
    /// Share of the median income of the previous quarter, when the rule uses it.
    #[serde(default, deserialize_with = "de_opt_hundredths")]
    pub median_share: Option<Hundredths>,
    pub confidence: Confidence,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildSupplement {
    #[serde(deserialize_with = "de_hundredths")]
    pub mrp: Hundredths,
    pub min_age: u32,
    pub max_age: u32,
    pub confidence: Confidence,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditionality {
    pub able_bodied_min_age: u32,
    pub retirement_age_men: u32,
    pub retirement_age_women: u32,
    pub retirement_age_confidence: Confidence,
    /// A child up to this age (inclusive) makes caring for them a reason for
    /// unconditional TSA ("a child under 3" is 2).
    pub cared_child_max_age: u32,
    /// Months TSA is refused after a broken social contract.
    pub refusal_months: u32,
    /// Retirement ages with effective dates (they change by half years);
    /// when empty, `retirement_age_men/women` apply at all dates.
    #[serde(default)]
    pub retirement_ages: Vec<RetirementAges>,
    pub confidence: Confidence,
    pub source: String,
}

/// Retirement ages in force from a date, in years with up to two decimals
/// (`"61.5"` is 61 years and 6 months).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetirementAges {
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "de_hundredths")]
    pub men: Hundredths,
    #[serde(deserialize_with = "de_hundredths")]
    pub women: Hundredths,
    pub confidence: Confidence,
    pub source: String,
}

impl Conditionality {
    /// The retirement ages (men, women) in calendar months on `date`, with
    /// the confidence of the rule that set them.
    pub fn retirement_months(&self, date: NaiveDate) -> (u32, u32, Confidence) {
        let months =
            |h: Hundredths| u32::try_from(h.0.saturating_mul(12) / 100).unwrap_or(u32::MAX);
        match self.retirement_ages.iter().rev().find(|r| r.from <= date) {
            Some(r) => (months(r.men), months(r.women), r.confidence),
            None => (
                self.retirement_age_men.saturating_mul(12),
                self.retirement_age_women.saturating_mul(12),
                self.retirement_age_confidence,
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processing {
    pub centre_working_days: u32,
    pub akim_working_days: u32,
    pub max_calendar_days: u32,
    pub confidence: Confidence,
    pub source: String,
}

/// The 2025 asset screens: each "may lead to refusal", never a firm result.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetScreens {
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    /// Non-mortgage loans above this many budget-law PM per member.
    #[serde(deserialize_with = "de_hundredths")]
    pub loans_pm_per_member: Hundredths,
    /// Deposits above this many MRP.
    #[serde(deserialize_with = "de_hundredths")]
    pub deposits_mrp: Hundredths,
    /// More cars than this.
    pub max_cars: u32,
    pub large_family_min_children: u32,
    pub cars_exempt_large_family: bool,
    pub cars_exempt_disabled_child: bool,
    /// Card spending per member a month above the poverty line (2025 screen).
    #[serde(default)]
    pub card_spending_over_line: bool,
    pub confidence: Confidence,
    pub source: String,
}

/// Whether an income kind counts towards TSA, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeRule {
    pub kind: IncomeKind,
    pub counted: bool,
    /// Message id suffix: the text is `income-reason-<reason>`.
    pub reason: String,
    pub confidence: Confidence,
    pub source: String,
}

impl IncomeRule {
    /// The l10n message id of the reason.
    pub fn reason_id(&self) -> String {
        format!("income-reason-{}", self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTsa {
    confidence: Confidence,
    source: String,
    amount_confidence: Confidence,
    amount_source: String,
    documents: Vec<DocumentKind>,
    alimony_documents: Vec<DocumentKind>,
    documents_confidence: Confidence,
    poverty_line_rules: Vec<PovertyLineRule>,
    child_supplement: ChildSupplement,
    conditionality: Conditionality,
    processing: Processing,
    #[serde(default)]
    asset_screens: Vec<AssetScreens>,
    #[serde(default)]
    absent_members: Vec<AbsentMemberRule>,
    #[serde(default)]
    rounding: Option<RoundingRule>,
    incomes: Vec<IncomeRule>,
}

/// Whether a member temporarily away counts in the TSA family.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsentMemberRule {
    pub absence: crate::model::Absence,
    pub counted: bool,
    pub confidence: Confidence,
    pub source: String,
}

/// How a monthly amount is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Paid to the tiyn, as computed.
    Tiyn,
    /// Rounded half up to whole tenge.
    WholeTenge,
}

/// The rounding of the amount paid, with its confidence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingRule {
    pub paid: Rounding,
    pub confidence: Confidence,
    pub source: String,
}

impl RoundingRule {
    /// `amount` as it is paid.
    pub fn apply(&self, amount: Tiyn) -> Tiyn {
        match self.paid {
            Rounding::Tiyn => amount,
            Rounding::WholeTenge => Tiyn(amount.mul_div(1, 100).get().saturating_mul(100)),
        }
    }
}

/// Targeted social assistance parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsaParams {
    pub confidence: Confidence,
    pub source: String,
    /// Confidence of "(PL − PCI) × members".
    pub amount_confidence: Confidence,
    pub amount_source: String,
    pub documents: Vec<DocumentKind>,
    /// Added when the family has alimony income in the reference quarter.
    pub alimony_documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub poverty_line_rules: Vec<PovertyLineRule>,
    pub child_supplement: ChildSupplement,
    pub conditionality: Conditionality,
    pub processing: Processing,
    pub asset_screens: Vec<AssetScreens>,
    /// Members temporarily away: counted or not (kinds not listed count).
    pub absent_members: Vec<AbsentMemberRule>,
    /// How the amount is paid; `None`: to the tiyn, rule unverified.
    pub rounding: Option<RoundingRule>,
    /// Indexed by `IncomeKind as usize` (every kind is classified).
    incomes: Vec<IncomeRule>,
}

impl TsaParams {
    /// How `kind` is treated (every kind is classified: checked at parse time).
    pub fn income(&self, kind: IncomeKind) -> &IncomeRule {
        // Parse guarantees one entry per kind, in `IncomeKind::ALL` order.
        &self.incomes[kind as usize]
    }

    pub fn incomes(&self) -> &[IncomeRule] {
        &self.incomes
    }

    /// The poverty-line rule in force on `date`.
    pub fn poverty_line_rule(&self, date: NaiveDate) -> Option<&PovertyLineRule> {
        self.poverty_line_rules
            .iter()
            .rev()
            .find(|r| r.from <= date && !matches!(r.until, Some(u) if date > u))
    }

    /// How a member away for `absence` is treated (`None`: not in the pack).
    pub fn absent_member(&self, absence: crate::model::Absence) -> Option<&AbsentMemberRule> {
        self.absent_members.iter().find(|r| r.absence == absence)
    }

    /// The asset screens in force on `date`, if any.
    pub fn asset_screens_on(&self, date: NaiveDate) -> Option<&AssetScreens> {
        self.asset_screens
            .iter()
            .rev()
            .find(|r| r.from <= date && !matches!(r.until, Some(u) if date > u))
    }
}

/// One-time childbirth benefit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildbirthParams {
    #[serde(deserialize_with = "de_hundredths")]
    pub first_to_third_mrp: Hundredths,
    #[serde(deserialize_with = "de_hundredths")]
    pub fourth_and_later_mrp: Hundredths,
    /// Births within this many days before the evaluation date are shown.
    pub claim_window_days: u32,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

/// Monthly childcare benefit to age 1.5 (carers outside social insurance).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildcareParams {
    /// 1st, 2nd, 3rd, 4th-and-later child (the last applies to all later).
    #[serde(deserialize_with = "de_vec_hundredths")]
    pub mrp_by_child_order: Vec<Hundredths>,
    pub until_age_months: u32,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub until_age_confidence: Confidence,
    pub source: String,
}

impl ChildcareParams {
    /// The coefficient for the `order`-th child (1-based).
    pub fn mrp_for_order(&self, order: u32) -> Option<Hundredths> {
        let i = usize::try_from(order.max(1) - 1).ok()?;
        self.mrp_by_child_order
            .get(i)
            .or_else(|| self.mrp_by_child_order.last())
            .copied()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildrenCoefficient {
    pub children: u32,
    #[serde(deserialize_with = "de_hundredths")]
    pub mrp: Hundredths,
}

/// Monthly large-family allowance (no income test).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LargeFamilyParams {
    pub min_children: u32,
    /// Minors: up to this age inclusive.
    pub child_max_age: u32,
    /// Full-time students up to this age inclusive ("under 23" is 22).
    pub student_max_age: u32,
    pub per_child_from: u32,
    #[serde(deserialize_with = "de_hundredths")]
    pub per_child_mrp: Hundredths,
    pub by_children: Vec<ChildrenCoefficient>,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

impl LargeFamilyParams {
    /// The monthly coefficient (of the MRP) for `children` children, `None`
    /// below the minimum.
    pub fn mrp_for(&self, children: u32) -> Option<Hundredths> {
        if children < self.min_children {
            return None;
        }
        if children >= self.per_child_from {
            return Some(Hundredths(self.per_child_mrp.0 * i64::from(children)));
        }
        self.by_children
            .iter()
            .find(|c| c.children == children)
            .map(|c| c.mrp)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardCoefficient {
    pub award: MotherAward,
    #[serde(deserialize_with = "de_hundredths")]
    pub mrp: Hundredths,
    /// In force from this date (an allowance may change mid-year); absent:
    /// from the start of the pack.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub from: Option<NaiveDate>,
    pub confidence: Confidence,
    pub source: String,
}

/// Monthly allowance to awarded mothers (lifelong, no income test).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardedMothersParams {
    pub awards: Vec<AwardCoefficient>,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

impl AwardedMothersParams {
    pub fn award(&self, award: MotherAward) -> Option<&AwardCoefficient> {
        self.awards.iter().find(|a| a.award == award)
    }

    /// The coefficient of `award` in force on `date`: the entry with the
    /// latest `from` not after `date`.
    pub fn award_on(&self, award: MotherAward, date: NaiveDate) -> Option<&AwardCoefficient> {
        self.awards
            .iter()
            .filter(|a| a.award == award && a.from.is_none_or(|f| f <= date))
            .max_by_key(|a| a.from)
    }
}

/// Coefficients of the budget-law PM by disability group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupCoefficients {
    #[serde(deserialize_with = "de_hundredths")]
    pub group_i: Hundredths,
    #[serde(deserialize_with = "de_hundredths")]
    pub group_ii: Hundredths,
    #[serde(deserialize_with = "de_hundredths")]
    pub group_iii: Hundredths,
}

/// State social disability benefits (× budget-law PM).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisabilityParams {
    /// Children up to this age inclusive get `child_pm` ("under 7" is 6).
    pub child_max_age: u32,
    #[serde(deserialize_with = "de_hundredths")]
    pub child_pm: Hundredths,
    pub adult_min_age: u32,
    /// Age 7-18, and adults disabled since childhood.
    pub since_childhood: GroupCoefficients,
    /// Adults, general illness.
    pub general_illness: GroupCoefficients,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearAmount {
    pub year: i32,
    #[serde(deserialize_with = "de_tiyn")]
    pub amount: Tiyn,
    pub confidence: Confidence,
    pub source: String,
}

/// Benefit to a parent caring for a child with a disability.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarerParams {
    /// × budget-law PM, used for years without a published amount.
    #[serde(deserialize_with = "de_hundredths")]
    pub pm_coefficient: Hundredths,
    #[serde(default)]
    pub published: Vec<YearAmount>,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

impl CarerParams {
    pub fn published_for(&self, year: i32) -> Option<&YearAmount> {
        self.published.iter().find(|p| p.year == year)
    }
}

/// Loss-of-breadwinner benefit (× budget-law PM, shared equally).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreadwinnerParams {
    /// By number of dependants 1, 2, …; the last applies to all larger numbers.
    #[serde(deserialize_with = "de_vec_hundredths")]
    pub pm_by_dependants: Vec<Hundredths>,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

impl BreadwinnerParams {
    pub fn pm_for(&self, dependants: u32) -> Option<Hundredths> {
        if dependants == 0 {
            return None;
        }
        let i = usize::try_from(dependants - 1).ok()?;
        self.pm_by_dependants
            .get(i)
            .or_else(|| self.pm_by_dependants.last())
            .copied()
    }
}

/// Special social services (families in a difficult life situation).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialServicesParams {
    pub home_child_min_age_months: u32,
    pub home_child_max_age: u32,
    pub documents: Vec<DocumentKind>,
    pub documents_confidence: Confidence,
    pub grounds_confidence: Confidence,
    pub home_services_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

/// Thresholds of the advisory views (not law).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvisoryParams {
    /// "Refused by less than this per person".
    #[serde(deserialize_with = "de_tiyn")]
    pub near_miss_per_person: Tiyn,
    #[serde(deserialize_with = "de_hundredths")]
    pub rent_share_of_income: Hundredths,
    pub sole_carer_child_max_age: u32,
    /// Minimum expenditure standard per person as a share of the statistical PM.
    #[serde(deserialize_with = "de_hundredths")]
    pub expenditure_standard_pm_share: Hundredths,
    pub expenditure_confidence: Confidence,
    pub confidence: Confidence,
    pub source: String,
}

/// A region's own TSA parameters for a period, replacing the national ones.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionOverride {
    pub region: Region,
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    #[serde(default, deserialize_with = "de_opt_date")]
    pub until: Option<NaiveDate>,
    /// Replaces the poverty-line rule's `pm_share`.
    #[serde(default, deserialize_with = "de_opt_hundredths")]
    pub pm_share: Option<Hundredths>,
    /// Replaces the poverty-line rule's `median_share`.
    #[serde(default, deserialize_with = "de_opt_hundredths")]
    pub median_share: Option<Hundredths>,
    /// Replaces the child supplement (MRP per child).
    #[serde(default, deserialize_with = "de_opt_hundredths")]
    pub child_supplement_mrp: Option<Hundredths>,
    pub confidence: Confidence,
    pub source: String,
}

impl RegionOverride {
    fn in_force(&self, region: Region, date: NaiveDate) -> bool {
        self.region == region && self.from <= date && !matches!(self.until, Some(u) if date > u)
    }
}

// ---------------------------------------------------------------------------
// The poverty line, resolved.
// ---------------------------------------------------------------------------

/// Where the subsistence minimum behind an estimated poverty line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PmSource {
    /// The region's PM of the previous quarter, as the rule says.
    Regional,
    /// The region's PM of an earlier quarter (the right one is not in the pack).
    RegionalEarlier,
    /// The national PM: the region has none in the pack (needs review).
    National,
}

/// The poverty line of one region for one quarter of application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PovertyLine {
    /// Published by the region.
    Published {
        amount: Tiyn,
        confidence: Confidence,
        /// The layer it came from (`RulePack::layer_name`).
        layer: u8,
    },
    /// Computed from the subsistence minimum (and the median income, when the
    /// rule uses it and the pack has it).
    Estimated {
        amount: Tiyn,
        pm: Tiyn,
        pm_quarter: Quarter,
        pm_source: PmSource,
        pm_share: Hundredths,
        /// Median income, its quarter, and its share, when used.
        median: Option<(Tiyn, Hundredths)>,
        /// The rule uses a median share but the pack has no median income.
        median_missing: bool,
        confidence: Confidence,
        /// The layer of the PM (and median) used (`RulePack::layer_name`).
        layer: u8,
    },
    /// Neither a published line nor any subsistence minimum.
    Unknown,
}

impl PovertyLine {
    pub fn amount(&self) -> Option<Tiyn> {
        match *self {
            PovertyLine::Published { amount, .. } | PovertyLine::Estimated { amount, .. } => {
                Some(amount)
            }
            PovertyLine::Unknown => None,
        }
    }

    pub fn confidence(&self) -> Confidence {
        match *self {
            PovertyLine::Published { confidence, .. }
            | PovertyLine::Estimated { confidence, .. } => confidence,
            PovertyLine::Unknown => Confidence::Unverified,
        }
    }
}

// ---------------------------------------------------------------------------
// The pack.
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    format: u32,
    version: String,
    #[serde(deserialize_with = "de_date")]
    issued: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    valid_from: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    valid_until: NaiveDate,
    #[serde(default)]
    description: Option<String>,
    globals: Vec<GlobalParams>,
    #[serde(default)]
    subsistence_minimum: Vec<StatisticalPm>,
    #[serde(default)]
    poverty_line: Vec<QuarterFigure>,
    #[serde(default)]
    median_income: Vec<QuarterFigure>,
    #[serde(default)]
    districts: Vec<DistrictFlags>,
    #[serde(default)]
    region_overrides: Vec<RegionOverride>,
    #[serde(default)]
    overlay_keys: Vec<super::overlay::OverlayKey>,
    tsa: RawTsa,
    childbirth: ChildbirthParams,
    childcare: ChildcareParams,
    large_family: LargeFamilyParams,
    awarded_mothers: AwardedMothersParams,
    disability: DisabilityParams,
    carer: CarerParams,
    breadwinner: BreadwinnerParams,
    special_services: SpecialServicesParams,
    advisory: AdvisoryParams,
}

/// A parsed, checked rule pack with its lookups precomputed.
#[derive(Debug, Clone)]
pub struct RulePack {
    pub version: String,
    pub issued: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub description: Option<String>,
    /// Sorted by `from`.
    pub globals: Vec<GlobalParams>,
    pub subsistence_minimum: Vec<StatisticalPm>,
    pub published_poverty_lines: Vec<QuarterFigure>,
    pub median_income: Vec<QuarterFigure>,
    pub districts: Vec<DistrictFlags>,
    pub region_overrides: Vec<RegionOverride>,
    pub tsa: TsaParams,
    pub childbirth: ChildbirthParams,
    pub childcare: ChildcareParams,
    pub large_family: LargeFamilyParams,
    pub awarded_mothers: AwardedMothersParams,
    pub disability: DisabilityParams,
    pub carer: CarerParams,
    pub breadwinner: BreadwinnerParams,
    pub special_services: SpecialServicesParams,
    pub advisory: AdvisoryParams,
    /// The keys allowed to sign each region's overlay, and what it may set.
    pub overlay_keys: Vec<super::overlay::OverlayKey>,
    /// Names of the layers: `[0]` this pack's version, then each overlay
    /// applied (`RulePack::with_overlays`).
    pub layers: Vec<String>,
    /// Poverty line per (region, quarter of application) for every quarter the
    /// pack covers, computed once at parse time.
    lines: HashMap<(Region, Quarter), PovertyLine>,
}

/// The longest pack version, in bytes.
pub const MAX_VERSION_BYTES: usize = 64;

/// Check a pack version against its grammar, `[a-z0-9][a-z0-9._-]{0,63}`
/// (e.g. `kz-2026.1`). A version names the pack in a URL path
/// (`GET /v1/rules/{version}`), in pull pages and in file names: no `/`,
/// no spaces, no upper case (two packs must not differ by case only), no
/// leading dot, and short enough for every frame that carries it.
pub fn check_version(version: &str) -> Result<(), PackFormatError> {
    let bytes = version.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(b);
    let first_ok = bytes
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !first_ok || bytes.len() > MAX_VERSION_BYTES || !bytes.iter().all(allowed) {
        return Err(PackFormatError::Invalid(format!(
            "version must be 1 to {MAX_VERSION_BYTES} characters of a-z, 0-9, '.', '-', '_', \
             starting with a letter or digit"
        )));
    }
    Ok(())
}

impl RulePack {
    /// Parses and checks a pack. This does not verify a signature: packs from
    /// outside the binary go through [`super::signing::RuleBook::try_activate`].
    pub fn parse(bytes: &[u8]) -> Result<RulePack, PackFormatError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PackFormatError::NotUtf8)?;
        Self::parse_str(text)
    }

    pub fn parse_str(text: &str) -> Result<RulePack, PackFormatError> {
        #[derive(Deserialize)]
        struct FormatOnly {
            format: Option<u32>,
        }
        // Read the format first so a future format gets a clear error rather
        // than a list of unknown fields.
        let head: FormatOnly =
            super::toml_doc::from_str(text).unwrap_or(FormatOnly { format: None });
        if let Some(found) = head.format {
            if found != PACK_FORMAT {
                return Err(PackFormatError::UnsupportedFormat { found });
            }
        }
        let raw: RawPack = super::toml_doc::from_str(text).map_err(PackFormatError::Toml)?;
        Self::from_raw(raw)
    }

    fn from_raw(mut raw: RawPack) -> Result<RulePack, PackFormatError> {
        let invalid = |s: &str| Err(PackFormatError::Invalid(s.to_string()));
        if raw.format != PACK_FORMAT {
            return Err(PackFormatError::UnsupportedFormat { found: raw.format });
        }
        check_version(&raw.version)?;
        if raw.valid_until < raw.valid_from {
            return invalid("valid_until is before valid_from");
        }
        let mut globals = raw.globals;
        globals.sort_by_key(|g| g.from);
        if globals.is_empty() {
            return invalid("no global parameters");
        }
        if globals.windows(2).any(|w| w[0].from == w[1].from) {
            return invalid("two global parameter entries start on the same date");
        }
        // Every income kind classified exactly once, stored in kind order.
        let mut incomes: Vec<Option<IncomeRule>> = vec![None; IncomeKind::ALL.len()];
        for rule in raw.tsa.incomes {
            let slot = &mut incomes[rule.kind as usize];
            if slot.is_some() {
                return Err(PackFormatError::Invalid(format!(
                    "income kind `{}` is classified twice",
                    rule.kind.code()
                )));
            }
            if rule.reason.is_empty()
                || !rule
                    .reason
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(PackFormatError::Invalid(format!(
                    "income kind `{}`: reason must be lowercase letters, digits and '-'",
                    rule.kind.code()
                )));
            }
            *slot = Some(rule);
        }
        let mut classified = Vec::with_capacity(incomes.len());
        for (i, rule) in incomes.into_iter().enumerate() {
            match rule {
                Some(r) => classified.push(r),
                None => {
                    return Err(PackFormatError::Invalid(format!(
                        "income kind `{}` is not classified",
                        IncomeKind::ALL[i].code()
                    )))
                }
            }
        }
        let mut pl_rules = raw.tsa.poverty_line_rules;
        pl_rules.sort_by_key(|r| r.from);
        if pl_rules.is_empty() {
            return invalid("no poverty-line rule");
        }
        if raw.childcare.mrp_by_child_order.is_empty() {
            return invalid("childcare: mrp_by_child_order is empty");
        }
        if raw.breadwinner.pm_by_dependants.is_empty() {
            return invalid("breadwinner: pm_by_dependants is empty");
        }
        raw.tsa
            .conditionality
            .retirement_ages
            .sort_by_key(|r| r.from);
        let c = &raw.tsa.child_supplement;
        if c.min_age > c.max_age {
            return invalid("tsa.child_supplement: min_age above max_age");
        }
        let tsa = TsaParams {
            confidence: raw.tsa.confidence,
            source: raw.tsa.source,
            amount_confidence: raw.tsa.amount_confidence,
            amount_source: raw.tsa.amount_source,
            documents: raw.tsa.documents,
            alimony_documents: raw.tsa.alimony_documents,
            documents_confidence: raw.tsa.documents_confidence,
            poverty_line_rules: pl_rules,
            child_supplement: raw.tsa.child_supplement,
            conditionality: raw.tsa.conditionality,
            processing: raw.tsa.processing,
            asset_screens: raw.tsa.asset_screens,
            absent_members: raw.tsa.absent_members,
            rounding: raw.tsa.rounding,
            incomes: classified,
        };
        let mut pack = RulePack {
            version: raw.version.clone(),
            issued: raw.issued,
            valid_from: raw.valid_from,
            valid_until: raw.valid_until,
            description: raw.description,
            globals,
            subsistence_minimum: raw.subsistence_minimum,
            published_poverty_lines: raw.poverty_line,
            median_income: raw.median_income,
            districts: raw.districts,
            region_overrides: raw.region_overrides,
            tsa,
            childbirth: raw.childbirth,
            childcare: raw.childcare,
            large_family: raw.large_family,
            awarded_mothers: raw.awarded_mothers,
            disability: raw.disability,
            carer: raw.carer,
            breadwinner: raw.breadwinner,
            special_services: raw.special_services,
            advisory: raw.advisory,
            overlay_keys: raw.overlay_keys,
            layers: vec![raw.version.clone()],
            lines: HashMap::new(),
        };
        super::overlay::check_keys(&pack.overlay_keys)?;
        pack.precompute_lines();
        Ok(pack)
    }

    /// Precomputes the poverty line of every region × quarter the pack covers.
    pub(crate) fn precompute_lines(&mut self) {
        let mut lines = HashMap::new();
        let last = Quarter::of(self.valid_until);
        let mut q = Quarter::of(self.valid_from);
        while q <= last {
            for region in Region::ALL {
                lines.insert((region, q), self.compute_poverty_line(region, q));
            }
            q = next_quarter(q);
        }
        self.lines = lines;
    }

    /// The name of a layer: the pack's version, or an overlay's.
    pub fn layer_name(&self, layer: u8) -> &str {
        self.layers
            .get(usize::from(layer))
            .map_or(self.version.as_str(), String::as_str)
    }

    /// The global parameters in force on `date` (`None` before the first entry).
    pub fn globals_on(&self, date: NaiveDate) -> Option<&GlobalParams> {
        self.globals.iter().rev().find(|g| g.from <= date)
    }

    /// Whether `date` lies within the pack's validity.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && date <= self.valid_until
    }

    /// The region override in force, if any.
    pub fn region_override(&self, region: Region, date: NaiveDate) -> Option<&RegionOverride> {
        self.region_overrides
            .iter()
            .rev()
            .find(|o| o.in_force(region, date))
    }

    /// The district's livestock/land flags, when its akimat declared them.
    pub fn district_flags(
        &self,
        region: Region,
        district: &str,
        date: NaiveDate,
    ) -> Option<&DistrictFlags> {
        self.districts.iter().find(|d| {
            d.region == region
                && d.district == district
                && !matches!(d.from, Some(f) if f > date)
                && !matches!(d.until, Some(u) if date > u)
        })
    }

    /// The child supplement coefficient (MRP per child) in `region` on `date`,
    /// with the confidence of the rule that set it.
    pub fn child_supplement_mrp(
        &self,
        region: Region,
        date: NaiveDate,
    ) -> (Hundredths, Confidence) {
        match self
            .region_override(region, date)
            .and_then(|o| o.child_supplement_mrp.map(|m| (m, o.confidence)))
        {
            Some(v) => v,
            None => (
                self.tsa.child_supplement.mrp,
                self.tsa.child_supplement.confidence,
            ),
        }
    }

    /// The poverty line for an application in `quarter` in `region`
    /// (precomputed for the quarters the pack covers).
    pub fn poverty_line(&self, region: Region, quarter: Quarter) -> PovertyLine {
        match self.lines.get(&(region, quarter)) {
            Some(line) => *line,
            None => self.compute_poverty_line(region, quarter),
        }
    }

    fn compute_poverty_line(&self, region: Region, quarter: Quarter) -> PovertyLine {
        if let Some(p) = self
            .published_poverty_lines
            .iter()
            .find(|p| p.region == region && p.quarter == quarter)
        {
            return PovertyLine::Published {
                amount: p.amount,
                confidence: p.confidence,
                layer: p.layer,
            };
        }
        let date = quarter.first_day();
        let Some(rule) = self.tsa.poverty_line_rule(date) else {
            return PovertyLine::Unknown;
        };
        let ov = self.region_override(region, date);
        let pm_share = ov.and_then(|o| o.pm_share).unwrap_or(rule.pm_share);
        let median_share = match ov.and_then(|o| o.median_share) {
            Some(m) => Some(m),
            None => rule.median_share,
        };
        let base = quarter.previous();
        let Some((pm, pm_quarter, pm_source, pm_conf, mut layer)) =
            self.statistical_pm(region, base)
        else {
            return PovertyLine::Unknown;
        };
        let from_pm = pm.times(pm_share);
        let mut amount = from_pm;
        let mut median = None;
        let mut median_missing = false;
        let mut confidence = rule.confidence.min(pm_conf);
        if let Some(share) = median_share {
            match self
                .median_income
                .iter()
                .find(|m| m.region == region && m.quarter == base)
            {
                Some(m) => {
                    amount = amount.max(m.amount.times(share));
                    median = Some((m.amount, share));
                    confidence = confidence.min(m.confidence);
                    layer = layer.max(m.layer);
                }
                None => median_missing = true,
            }
        }
        if let Some(o) = ov {
            confidence = confidence.min(o.confidence);
        }
        // An estimate is at most "likely"; from another quarter's or the
        // national PM it is unverified.
        confidence = confidence.min(match pm_source {
            PmSource::Regional => Confidence::Likely,
            PmSource::RegionalEarlier | PmSource::National => Confidence::Unverified,
        });
        PovertyLine::Estimated {
            amount,
            pm,
            pm_quarter,
            pm_source,
            pm_share,
            median,
            median_missing,
            confidence,
            layer,
        }
    }

    /// The statistical PM for `region` in `quarter`: the region's own, else the
    /// region's latest earlier one, else the national one (latest up to
    /// `quarter`).
    fn statistical_pm(
        &self,
        region: Region,
        quarter: Quarter,
    ) -> Option<(Tiyn, Quarter, PmSource, Confidence, u8)> {
        let latest = |who: RegionOrNational| {
            self.subsistence_minimum
                .iter()
                .filter(|p| p.region == who && p.quarter <= quarter)
                .max_by_key(|p| p.quarter)
        };
        if let Some(p) = latest(RegionOrNational::Region(region)) {
            let source = if p.quarter == quarter {
                PmSource::Regional
            } else {
                PmSource::RegionalEarlier
            };
            return Some((p.amount, p.quarter, source, p.confidence, p.layer));
        }
        latest(RegionOrNational::National).map(|p| {
            (
                p.amount,
                p.quarter,
                PmSource::National,
                p.confidence,
                p.layer,
            )
        })
    }
}

fn next_quarter(q: Quarter) -> Quarter {
    let (y, n) = if q.number() == 4 {
        (q.year() + 1, 1)
    } else {
        (q.year(), q.number() + 1)
    };
    Quarter::new(y, n).unwrap_or(q)
}

/// The embedded default pack, parsed once. An error here means the compiled-in
/// TOML is broken, which `default_pack_parses` catches in tests.
pub fn try_default_pack() -> Result<&'static RulePack, PackFormatError> {
    static PACK: OnceLock<Result<RulePack, PackFormatError>> = OnceLock::new();
    PACK.get_or_init(|| RulePack::parse_str(DEFAULT_PACK_TOML))
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    #[test]
    fn default_pack_parses() {
        let pack = try_default_pack().unwrap();
        assert_eq!(pack.version, "kz-2026.1");
        assert!(pack.covers(d(2026, 12, 31)) && !pack.covers(d(2027, 1, 1)));
    }

    #[test]
    fn every_income_kind_is_classified_with_a_reason() {
        let pack = try_default_pack().unwrap();
        for kind in IncomeKind::ALL {
            let rule = pack.tsa.income(kind);
            assert_eq!(rule.kind, kind, "index of {kind:?}");
            assert!(!rule.reason.is_empty());
            assert_eq!(
                rule.counted,
                rule.reason.starts_with("counted-"),
                "{kind:?}: reason prefix must say counted/excluded"
            );
        }
        // Domain file, "Incomes excluded".
        for k in [
            IncomeKind::TargetedSocialAssistance,
            IncomeKind::HousingAssistance,
            IncomeKind::FuneralAllowance,
            IncomeKind::ChildDisabilityBenefit,
            IncomeKind::SpecialChildDisabilityBenefit,
            IncomeKind::Scholarship,
            IncomeKind::AwardedMothersAllowance,
            IncomeKind::EmploymentRelocationOneTime,
        ] {
            assert!(!pack.tsa.income(k).counted, "{k:?}");
        }
        assert!(pack.tsa.income(IncomeKind::LargeFamilyAllowance).counted);
    }

    #[test]
    fn an_unclassified_or_twice_classified_kind_is_refused() {
        let without = DEFAULT_PACK_TOML.replace(
            "[[tsa.incomes]]\nkind = \"winnings\"",
            "[[tsa.incomes]]\nkind = \"securities\"",
        );
        let err = RulePack::parse_str(&without).unwrap_err();
        assert!(
            matches!(&err, PackFormatError::Invalid(m) if m.contains("classified twice")),
            "{err}"
        );
    }

    #[test]
    fn floats_and_bad_decimals_are_refused() {
        let float = DEFAULT_PACK_TOML.replace("pm_share = \"0.70\"", "pm_share = 0.70");
        let err = RulePack::parse_str(&float).unwrap_err();
        assert!(err.to_string().contains("floats are not exact"), "{err}");
        let three = DEFAULT_PACK_TOML.replace("mrp = \"1.50\"", "mrp = \"1.505\"");
        assert!(RulePack::parse_str(&three).is_err());
        assert_eq!(parse_hundredths("26927.17"), Some(2_692_717));
        assert_eq!(parse_hundredths("0.7"), Some(70));
        assert_eq!(parse_hundredths("16"), Some(1600));
        assert_eq!(parse_hundredths("1e3"), None);
        assert_eq!(parse_hundredths(".5"), None);
    }

    #[test]
    fn a_future_format_is_refused_clearly() {
        let v2 = DEFAULT_PACK_TOML.replace("format = 1", "format = 2");
        assert_eq!(
            RulePack::parse_str(&v2).unwrap_err(),
            PackFormatError::UnsupportedFormat { found: 2 }
        );
    }

    #[test]
    fn global_parameters_change_on_1_january() {
        // Domain file, "Global parameters" (V).
        let pack = try_default_pack().unwrap();
        let mrp = |y, m, day| pack.globals_on(d(y, m, day)).unwrap().mrp;
        assert_eq!(mrp(2023, 6, 1), Tiyn::from_tenge(3_450));
        assert_eq!(mrp(2024, 12, 31), Tiyn::from_tenge(3_692));
        assert_eq!(mrp(2025, 1, 1), Tiyn::from_tenge(3_932));
        assert_eq!(mrp(2026, 7, 1), Tiyn::from_tenge(4_325));
        assert_eq!(
            pack.globals_on(d(2026, 1, 1)).unwrap().budget_pm,
            Tiyn::from_tenge(50_851)
        );
        assert_eq!(
            pack.globals_on(d(2024, 3, 1))
                .unwrap()
                .budget_pm_confidence(),
            Confidence::Likely
        );
        assert!(pack.globals_on(d(2022, 12, 31)).is_none());
    }

    #[test]
    fn poverty_lines_are_precomputed_and_match_the_computation() {
        let pack = try_default_pack().unwrap();
        for region in Region::ALL {
            for quarter in ["2023-Q1", "2024-Q2", "2025-Q4", "2026-Q1", "2026-Q4"] {
                let quarter = q(quarter);
                assert_eq!(
                    pack.poverty_line(region, quarter),
                    pack.compute_poverty_line(region, quarter)
                );
            }
        }
        assert_eq!(
            pack.poverty_line(Region::Aktobe, q("2026-Q1")),
            PovertyLine::Published {
                amount: Tiyn::from_tenge(37_060),
                confidence: Confidence::Verified,
                layer: 0,
            }
        );
        // Before any PM in the pack (2023): unknown.
        assert_eq!(
            pack.poverty_line(Region::Aktobe, q("2023-Q3")),
            PovertyLine::Unknown
        );
        // Outside the precomputed range: computed on the fly (2027-Q1 from
        // the national Q4 2025 PM for Kyzylorda, still an estimate).
        assert!(matches!(
            pack.poverty_line(Region::Kyzylorda, q("2027-Q1")),
            PovertyLine::Estimated {
                pm_source: PmSource::National,
                ..
            }
        ));
    }

    #[test]
    fn benefit_coefficient_lookups() {
        let pack = try_default_pack().unwrap();
        // Large family (V): 4 → 16.03 … 7 → 28.06, 8+ → 4 MRP per child.
        let lf = &pack.large_family;
        assert_eq!(lf.mrp_for(3), None);
        assert_eq!(lf.mrp_for(4), Some(Hundredths(1603)));
        assert_eq!(lf.mrp_for(7), Some(Hundredths(2806)));
        assert_eq!(lf.mrp_for(8), Some(Hundredths(3200)));
        assert_eq!(lf.mrp_for(10), Some(Hundredths(4000)));
        // Childcare (V): 5.76, 6.81, 7.85, 8.90 for the 4th and later.
        assert_eq!(pack.childcare.mrp_for_order(1), Some(Hundredths(576)));
        assert_eq!(pack.childcare.mrp_for_order(6), Some(Hundredths(890)));
        // Breadwinner (V): 1 → 0.92 … 6+ → 3.00.
        assert_eq!(pack.breadwinner.pm_for(0), None);
        assert_eq!(pack.breadwinner.pm_for(2), Some(Hundredths(170)));
        assert_eq!(pack.breadwinner.pm_for(9), Some(Hundredths(300)));
        // Awarded mothers: Kumis alqa 6.40 (V), 7.40 others (date: U → likely).
        let am = &pack.awarded_mothers;
        assert_eq!(
            am.award(MotherAward::KumisAlqa).unwrap().mrp,
            Hundredths(640)
        );
        assert_eq!(
            am.award(MotherAward::MaternalGloryII).unwrap().mrp,
            Hundredths(740)
        );
        // Carer 2026 (L): 81,871 published.
        assert_eq!(
            pack.carer.published_for(2026).unwrap().amount,
            Tiyn::from_tenge(81_871)
        );
        // Child supplement 1.5 MRP (V) = 6,487.50 in 2026.
        let (c, _) = pack.child_supplement_mrp(Region::Aktobe, d(2026, 2, 1));
        assert_eq!(Tiyn::from_tenge(4_325).times(c), Tiyn(648_750));
    }

    #[test]
    fn rule_periods_pick_the_right_poverty_line_formula() {
        let pack = try_default_pack().unwrap();
        let r2024 = pack.tsa.poverty_line_rule(d(2024, 12, 31)).unwrap();
        assert_eq!((r2024.pm_share, r2024.median_share), (Hundredths(70), None));
        let r2025 = pack.tsa.poverty_line_rule(d(2025, 1, 1)).unwrap();
        assert_eq!(r2025.median_share, Some(Hundredths(35)));
        assert!(pack.tsa.asset_screens_on(d(2024, 12, 31)).is_none());
        assert!(pack.tsa.asset_screens_on(d(2025, 1, 1)).is_some());
    }

    /// Issue 11, finding 6: a misspelled field, a key given twice and an
    /// unknown format are refused, naming the field, never read as defaults.
    #[test]
    fn unknown_fields_duplicate_keys_and_unknown_formats_are_refused() {
        let misspelled =
            DEFAULT_PACK_TOML.replacen("[tsa]\nconfidence = ", "[tsa]\nconfidense = ", 1);
        let err = RulePack::parse_str(&misspelled).unwrap_err().to_string();
        assert!(err.contains("unknown field `confidense`"), "{err}");
        let twice = DEFAULT_PACK_TOML.replacen(
            "version = \"kz-2026.1\"",
            "version = \"kz-2026.1\"\nversion = \"kz-2026.2\"",
            1,
        );
        let err = RulePack::parse_str(&twice).unwrap_err().to_string();
        assert!(err.contains("duplicate key"), "{err}");
        let future = DEFAULT_PACK_TOML.replacen("format = 1", "format = 9", 1);
        assert!(matches!(
            RulePack::parse_str(&future),
            Err(PackFormatError::UnsupportedFormat { found: 9 })
        ));
    }
}
