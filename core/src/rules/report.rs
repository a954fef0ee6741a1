//! The pre-check report: structured, serializable, and free of human text.
//!
//! A report must be rendered in Kazakh, Russian or English, stored, synced and
//! compared across rule packs (re-screening), so it holds message ids with typed
//! arguments, never sentences, and never a name or an IIN: members are referred
//! to by their index in the form and their relation to the head.

use super::pack::Confidence;
use crate::model::{
    DocumentKind, Hundredths, IncomeKind, Quarter, Region, Relation, Tiyn, YearMonth,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The notice every report carries: this is a pre-check, the district
/// commission decides.
pub const NOTICE_PRE_CHECK_NOT_DECISION: &str = "report-pre-check-not-decision";

/// A localization message id (`tsa-step-pci`). Static in code, owned when read
/// back from JSON.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsgId(pub Cow<'static, str>);

impl MsgId {
    pub const fn new(id: &'static str) -> MsgId {
        MsgId(Cow::Borrowed(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&'static str> for MsgId {
    fn from(id: &'static str) -> MsgId {
        MsgId::new(id)
    }
}

impl From<String> for MsgId {
    fn from(id: String) -> MsgId {
        MsgId(Cow::Owned(id))
    }
}

/// A member as the report names them: position in the form and relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberRef {
    /// 0-based index in `household.members` (rendered 1-based).
    pub index: u32,
    pub relation: Relation,
}

/// A typed message argument, formatted by the renderer for the language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Tiyn(Tiyn),
    Count(i64),
    Date(NaiveDate),
    /// An exact coefficient such as 16.03 (MRP) or 1.61 (PM).
    Coefficient(Hundredths),
    /// A share written as a percentage: `Hundredths(70)` renders as 70%.
    Percent(Hundredths),
    Quarter(Quarter),
    Month(YearMonth),
    Region(Region),
    Income(IncomeKind),
    Document(DocumentKind),
    Member(MemberRef),
    Relation(Relation),
    Programme(ProgrammeId),
    Confidence(Confidence),
    /// Another message, rendered in place (e.g. a reason).
    Message(MsgId),
}

impl From<Tiyn> for Value {
    fn from(v: Tiyn) -> Value {
        Value::Tiyn(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Count(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Count(i64::from(v))
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Value {
        Value::Count(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Value {
        Value::Date(v)
    }
}
impl From<Hundredths> for Value {
    fn from(v: Hundredths) -> Value {
        Value::Coefficient(v)
    }
}
impl From<Quarter> for Value {
    fn from(v: Quarter) -> Value {
        Value::Quarter(v)
    }
}
impl From<YearMonth> for Value {
    fn from(v: YearMonth) -> Value {
        Value::Month(v)
    }
}
impl From<Region> for Value {
    fn from(v: Region) -> Value {
        Value::Region(v)
    }
}
impl From<IncomeKind> for Value {
    fn from(v: IncomeKind) -> Value {
        Value::Income(v)
    }
}
impl From<DocumentKind> for Value {
    fn from(v: DocumentKind) -> Value {
        Value::Document(v)
    }
}
impl From<MemberRef> for Value {
    fn from(v: MemberRef) -> Value {
        Value::Member(v)
    }
}
impl From<Relation> for Value {
    fn from(v: Relation) -> Value {
        Value::Relation(v)
    }
}
impl From<ProgrammeId> for Value {
    fn from(v: ProgrammeId) -> Value {
        Value::Programme(v)
    }
}
impl From<Confidence> for Value {
    fn from(v: Confidence) -> Value {
        Value::Confidence(v)
    }
}
impl From<MsgId> for Value {
    fn from(v: MsgId) -> Value {
        Value::Message(v)
    }
}

/// A named argument of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arg {
    pub name: Cow<'static, str>,
    pub value: Value,
}

impl Arg {
    pub fn new(name: &'static str, value: impl Into<Value>) -> Arg {
        Arg {
            name: Cow::Borrowed(name),
            value: value.into(),
        }
    }
}

/// A message id with its arguments: one step of the arithmetic, a flag, a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MsgId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Arg>,
}

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message {
            id: MsgId::new(id),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Value>) -> Message {
        self.args.push(Arg::new(name, value));
        self
    }

    /// The argument named `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.args.iter().find(|a| a.name == name).map(|a| &a.value)
    }
}

/// `msg!("tsa-step-pci", total = t, members = n)` builds a [`Message`].
#[macro_export]
macro_rules! msg {
    ($id:expr $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::rules::report::Message {
            id: $crate::rules::report::MsgId::new($id),
            args: vec![$($crate::rules::report::Arg::new(stringify!($name), $val)),*],
        }
    };
}

/// The programmes a report can contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeId {
    TargetedSocialAssistance,
    Childbirth,
    Childcare,
    LargeFamily,
    AwardedMothers,
    Disability,
    Carer,
    Breadwinner,
    SpecialServices,
    /// Advisory: essential expenses against income.
    AdvisoryExpenditure,
    /// Advisory: early risk flags.
    AdvisoryRiskFlags,
}

impl ProgrammeId {
    pub const ALL: [ProgrammeId; 11] = [
        ProgrammeId::TargetedSocialAssistance,
        ProgrammeId::Childbirth,
        ProgrammeId::Childcare,
        ProgrammeId::LargeFamily,
        ProgrammeId::AwardedMothers,
        ProgrammeId::Disability,
        ProgrammeId::Carer,
        ProgrammeId::Breadwinner,
        ProgrammeId::SpecialServices,
        ProgrammeId::AdvisoryExpenditure,
        ProgrammeId::AdvisoryRiskFlags,
    ];

    /// Snake-case code; the programme's name is the message `programme-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            ProgrammeId::TargetedSocialAssistance => "targeted_social_assistance",
            ProgrammeId::Childbirth => "childbirth",
            ProgrammeId::Childcare => "childcare",
            ProgrammeId::LargeFamily => "large_family",
            ProgrammeId::AwardedMothers => "awarded_mothers",
            ProgrammeId::Disability => "disability",
            ProgrammeId::Carer => "carer",
            ProgrammeId::Breadwinner => "breadwinner",
            ProgrammeId::SpecialServices => "special_services",
            ProgrammeId::AdvisoryExpenditure => "advisory_expenditure",
            ProgrammeId::AdvisoryRiskFlags => "advisory_risk_flags",
        }
    }

    pub fn is_advisory(self) -> bool {
        matches!(
            self,
            ProgrammeId::AdvisoryExpenditure | ProgrammeId::AdvisoryRiskFlags
        )
    }
}

/// The pre-check's answer for one programme. Ordered from most to least
/// favourable for the property "adding income never improves the outcome".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    LikelyEligible,
    /// A person must look: the rules or the data are not firm enough.
    NeedsReview,
    LikelyNotEligible,
    /// Fields to fill, as paths into the form (`members[1].birth_date`).
    MissingInformation {
        fields: Vec<String>,
    },
}

impl Outcome {
    /// Message id of the outcome's headline (`outcome-likely_eligible`).
    pub fn message_id(&self) -> &'static str {
        match self {
            Outcome::LikelyEligible => "outcome-likely-eligible",
            Outcome::NeedsReview => "outcome-needs-review",
            Outcome::LikelyNotEligible => "outcome-likely-not-eligible",
            Outcome::MissingInformation { .. } => "outcome-missing-information",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Monthly,
    OneTime,
}

/// An estimated amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub value: Tiyn,
    pub period: Period,
}

impl Amount {
    pub fn monthly(value: Tiyn) -> Amount {
        Amount {
            value,
            period: Period::Monthly,
        }
    }

    pub fn one_time(value: Tiyn) -> Amount {
        Amount {
            value,
            period: Period::OneTime,
        }
    }
}

/// An income that did not count, the total of that kind, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedIncome {
    pub kind: IncomeKind,
    pub amount: Tiyn,
    pub reason: MsgId,
}

/// One programme's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeResult {
    pub programme: ProgrammeId,
    /// The member the result concerns, for per-person benefits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberRef>,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// Threshold minus the tested value (positive: below the threshold by that
    /// much; negative: above it). For TSA: poverty line − per-capita income.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<Tiyn>,
    /// The arithmetic and reasoning, in order.
    pub steps: Vec<Message>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_incomes: Vec<ExcludedIncome>,
    /// Warnings such as "may lead to refusal".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Message>,
    pub documents: Vec<DocumentKind>,
    /// The lowest confidence of the rules this result used.
    pub confidence: Confidence,
    pub advisory: bool,
    /// TSA only: the figures of the arithmetic as plain fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figures: Option<TsaFigures>,
}

/// Where the poverty line of a TSA result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineSource {
    /// Published by the region for the quarter.
    Published,
    /// Estimated from the region's PM of the previous quarter (and the median
    /// income when the pack has it).
    EstimatedRegional,
    /// Estimated from an older PM of the region.
    EstimatedEarlierPm,
    /// Estimated from the national PM: the region has none.
    EstimatedNationalPm,
    /// No line at all.
    Unknown,
}

/// Conditional (social contract) or unconditional TSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TsaConditions {
    Conditional,
    Unconditional,
}

/// The figures of a TSA pre-check, so a caller need not dig in step
/// arguments. Money in tiyn; `None` where the step was not reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsaFigures {
    /// The quarter whose incomes count.
    pub reference_quarter: Quarter,
    /// Members counted in the family (absent members the law leaves out are not).
    pub members_counted: u32,
    pub counted_income: Tiyn,
    pub per_capita_income: Tiyn,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poverty_line: Option<Tiyn>,
    pub line_source: LineSource,
    /// The line misses a figure its formula needs (the median income): the
    /// true line may be higher.
    pub line_lower_bound: bool,
    /// The rule pack (or overlay) the line came from.
    pub line_from: String,
    /// Poverty line − per-capita income.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin: Option<Tiyn>,
    /// (line − PCI) × members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_amount: Option<Tiyn>,
    /// Child supplements a month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplements: Option<Tiyn>,
    /// Monthly total as paid (after the pack's rounding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Tiyn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditionality: Option<TsaConditions>,
    /// The end of a 6-month bar after a refusal or termination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_apply_again_on: Option<NaiveDate>,
}

impl ProgrammeResult {
    /// An empty result at `confidence`, to be filled by the programme.
    pub fn new(programme: ProgrammeId, outcome: Outcome, confidence: Confidence) -> Self {
        ProgrammeResult {
            programme,
            member: None,
            outcome,
            amount: None,
            margin: None,
            steps: Vec::new(),
            excluded_incomes: Vec::new(),
            flags: Vec::new(),
            documents: Vec::new(),
            confidence,
            advisory: programme.is_advisory(),
            figures: None,
        }
    }

    pub fn step(&mut self, m: Message) {
        self.steps.push(m);
    }

    pub fn flag(&mut self, m: Message) {
        self.flags.push(m);
    }

    /// Lowers the confidence to `c` if it is lower.
    pub fn used(&mut self, c: Confidence) {
        self.confidence = self.confidence.min(c);
    }

    /// Adds documents, keeping the list free of duplicates and in order.
    pub fn documents_from(&mut self, docs: &[DocumentKind]) {
        for d in docs {
            if !self.documents.contains(d) {
                self.documents.push(*d);
            }
        }
    }
}

/// The whole pre-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub pack_version: String,
    pub evaluated_on: NaiveDate,
    pub region: Region,
    /// Always [`NOTICE_PRE_CHECK_NOT_DECISION`].
    pub notice: MsgId,
    /// Report-level notes (e.g. the pack does not cover the date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
    pub programmes: Vec<ProgrammeResult>,
}

impl Report {
    pub fn programme(&self, id: ProgrammeId) -> Option<&ProgrammeResult> {
        self.programmes.iter().find(|p| p.programme == id)
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}
