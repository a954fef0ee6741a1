//! The applicant's own "am I likely eligible?" on their phone: no store, no
//! unlock, no names or IINs, nothing kept.
//!
//! Mirrors `komek_core::rules::SelfCheckInput`. Missing answers come back as
//! `Outcome.MissingInformation` naming the input's own paths (`region`,
//! `members[1].age`).

use crate::enums::{
    Absence, Activity, Disability, ExpenseCategory, IncomeKind, Lang, LoanPurpose, MotherAward,
    Region, Relation, ResidencyStatus, Sex, Tenure,
};
use crate::error::{KomekError, Result};
use crate::household::TsaRefusal;
use crate::report::{precheck, Precheck};
use crate::rule_pack::RulePack;
use crate::scalars::IsoDate;
use komek_core::model::Tiyn;
use komek_core::rules::pack::try_default_pack;
use komek_core::rules::selfcheck as core;
use std::sync::Arc;

/// What an applicant answers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SelfCheckInput {
    #[uniffi(default = None)]
    pub region: Option<Region>,
    /// District as the rule pack names it (KATO code), when known.
    #[uniffi(default = None)]
    pub district: Option<String>,
    #[uniffi(default = [])]
    pub members: Vec<SelfCheckMember>,
    #[uniffi(default = None)]
    pub tenure: Option<Tenure>,
    #[uniffi(default = None)]
    pub monthly_rent: Option<Tiyn>,
    /// Essential monthly expenses.
    #[uniffi(default = [])]
    pub expenses: Vec<SelfCheckExpense>,
    #[uniffi(default = [])]
    pub loans: Vec<SelfCheckLoan>,
    /// Savings and deposits, total.
    #[uniffi(default = None)]
    pub deposits: Option<Tiyn>,
    #[uniffi(default = 0)]
    pub cars: u32,
    #[uniffi(default = 0)]
    pub livestock_head: u32,
    #[uniffi(default = false)]
    pub breadwinner_lost: bool,
    /// TSA refused or stopped before: the result says when the family can
    /// apply again.
    #[uniffi(default = None)]
    pub previous_tsa_refusal: Option<TsaRefusal>,
}

/// One person in the family, without name or IIN.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SelfCheckMember {
    pub relation: Relation,
    /// Age in whole years; used when the birth date is not given.
    #[uniffi(default = None)]
    pub age: Option<u32>,
    /// Preferred over `age` when known.
    #[uniffi(default = None)]
    pub birth_date: Option<IsoDate>,
    #[uniffi(default = None)]
    pub sex: Option<Sex>,
    #[uniffi(default = None)]
    pub status: Option<ResidencyStatus>,
    #[uniffi(default = None)]
    pub disability: Option<Disability>,
    #[uniffi(default = false)]
    pub disabled_since_childhood: bool,
    #[uniffi(default = false)]
    pub long_illness: bool,
    #[uniffi(default = None)]
    pub activity: Option<Activity>,
    /// Indexes (in `members`) of the people this person cares for.
    #[uniffi(default = [])]
    pub cares_for: Vec<u32>,
    #[uniffi(default = false)]
    pub needs_care: bool,
    #[uniffi(default = false)]
    pub receives_special_services: bool,
    #[uniffi(default = None)]
    pub mother_award: Option<MotherAward>,
    /// Monthly incomes of the last quarter, by kind (average per month).
    #[uniffi(default = [])]
    pub incomes: Vec<SelfCheckIncome>,
    /// Away from the family for now: the law decides whether they count.
    #[uniffi(default = None)]
    pub absence: Option<Absence>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SelfCheckIncome {
    pub kind: IncomeKind,
    /// Per month.
    pub monthly: Tiyn,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SelfCheckExpense {
    pub category: ExpenseCategory,
    /// Per month.
    pub amount: Tiyn,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SelfCheckLoan {
    pub purpose: LoanPurpose,
    pub outstanding: Tiyn,
    pub monthly_payment: Tiyn,
}

impl From<SelfCheckMember> for core::SelfCheckMember {
    fn from(m: SelfCheckMember) -> core::SelfCheckMember {
        core::SelfCheckMember {
            relation: m.relation.into(),
            age: m.age,
            birth_date: m.birth_date,
            sex: m.sex.map(Into::into),
            status: m.status.map(Into::into).unwrap_or_default(),
            disability: m.disability.map(Into::into).unwrap_or_default(),
            disabled_since_childhood: m.disabled_since_childhood,
            long_illness: m.long_illness,
            activity: m.activity.map(Into::into),
            cares_for: m
                .cares_for
                .into_iter()
                .map(|i| usize::try_from(i).unwrap_or(usize::MAX))
                .collect(),
            needs_care: m.needs_care,
            receives_special_services: m.receives_special_services,
            mother_award: m.mother_award.map(Into::into),
            incomes: m
                .incomes
                .into_iter()
                .map(|i| core::SelfCheckIncome {
                    kind: i.kind.into(),
                    monthly: i.monthly,
                })
                .collect(),
            absence: m.absence.map(Into::into),
        }
    }
}

impl From<SelfCheckInput> for core::SelfCheckInput {
    fn from(i: SelfCheckInput) -> core::SelfCheckInput {
        core::SelfCheckInput {
            region: i.region.map(Into::into),
            district: i.district,
            members: i.members.into_iter().map(Into::into).collect(),
            tenure: i.tenure.map(Into::into),
            monthly_rent: i.monthly_rent,
            expenses: i
                .expenses
                .into_iter()
                .map(|e| komek_core::model::Expense {
                    category: e.category.into(),
                    amount: e.amount,
                })
                .collect(),
            loans: i
                .loans
                .into_iter()
                .map(|l| core::SelfCheckLoan {
                    purpose: l.purpose.into(),
                    outstanding: l.outstanding,
                    monthly_payment: l.monthly_payment,
                })
                .collect(),
            deposits: i.deposits,
            cars: i.cars,
            livestock_head: i.livestock_head,
            breadwinner_lost: i.breadwinner_lost,
            previous_tsa_refusal: i
                .previous_tsa_refusal
                .map(|r| komek_core::model::TsaRefusal {
                    date: r.date,
                    reason: r.reason.into(),
                }),
        }
    }
}

/// The applicant's self-check on `date` in `lang`, under `pack` (the embedded
/// default when not given). Pure: nothing is stored.
#[uniffi::export(default(pack = None))]
pub fn self_check(
    input: SelfCheckInput,
    date: IsoDate,
    lang: Lang,
    pack: Option<Arc<RulePack>>,
) -> Result<Precheck> {
    let input = core::SelfCheckInput::from(input);
    let report = match pack {
        Some(p) => komek_core::rules::self_check(&input, &p.pack, date),
        None => komek_core::rules::self_check(&input, try_default_pack()?, date),
    }
    .map_err(|e| KomekError::invalid(e.to_string()))?;
    Ok(precheck(&report, lang))
}
