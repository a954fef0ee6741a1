//! Advisory views, always labelled advisory: not law, but what the seed studies
//! propose (Taubaev et al.: an expenditure-based assessment and early
//! identification of households at risk). They run last and read the results
//! of the programmes before them.
//!
//! - Expenses against income: the household's essential monthly expenses by
//!   category against its counted monthly income and a minimum expenditure
//!   standard (a share of the budget-law subsistence minimum per person;
//!   unverified).
//! - Early risk flags: refused by less than 5,000 tenge per person; a child with
//!   a disability and no services; a sole carer of a child under 3 with no
//!   income; rent above half of income; loans taken for food; an elderly person
//!   alone needing care; a family likely eligible for something it does not
//!   receive.

use super::EvalContext;
use crate::model::{IncomeKind, LoanPurpose, Tiyn};
use crate::msg;
use crate::rules::definitions::{child_with_disability, retired};
use crate::rules::report::{Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "advisory-step-expenses",
    "advisory-step-income",
    "advisory-step-standard",
    "advisory-step-gap",
    "advisory-flag-near-miss",
    "advisory-flag-child-disability-no-services",
    "advisory-flag-sole-carer-no-income",
    "advisory-flag-rent-over-half",
    "advisory-flag-food-loans",
    "advisory-flag-elderly-alone",
    "advisory-flag-not-received",
];

/// Counted income per month over the TSA reference quarter.
fn counted_monthly(ctx: &EvalContext<'_>, member: Option<uuid::Uuid>) -> Tiyn {
    let quarter = crate::model::Quarter::of(ctx.date).previous();
    let total: Tiyn = ctx
        .household
        .incomes
        .iter()
        .filter(|i| quarter.contains(i.month) && member.is_none_or(|m| m == i.member_id))
        .filter(|i| ctx.pack.tsa.income(i.kind).counted)
        .map(|i| i.amount)
        .sum();
    total.mul_div(1, 3)
}

/// The income kind that shows a family already receives a programme.
fn received_as(p: ProgrammeId) -> &'static [IncomeKind] {
    match p {
        ProgrammeId::TargetedSocialAssistance => &[IncomeKind::TargetedSocialAssistance],
        ProgrammeId::LargeFamily => &[IncomeKind::LargeFamilyAllowance],
        ProgrammeId::Childcare => &[IncomeKind::ChildcareBenefit],
        ProgrammeId::Disability => &[
            IncomeKind::AdultDisabilityBenefit,
            IncomeKind::ChildDisabilityBenefit,
        ],
        ProgrammeId::Carer => &[IncomeKind::CarerBenefit],
        ProgrammeId::Breadwinner => &[IncomeKind::SurvivorBenefit],
        ProgrammeId::AwardedMothers => &[IncomeKind::AwardedMothersAllowance],
        _ => &[],
    }
}

/// Pushes the expenditure view (when expenses are recorded) and the risk flags
/// (when any is raised).
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let a = &ctx.pack.advisory;
    let income = counted_monthly(ctx, None);
    let members = ctx.members().len() as i64;

    if !ctx.household.expenses.is_empty() && members > 0 {
        let expenses: Tiyn = ctx.household.expenses.iter().map(|e| e.amount).sum();
        let standard = ctx
            .budget_pm()
            .times(a.expenditure_standard_pm_share)
            .mul_div(members, 1);
        let mut r = ProgrammeResult::new(
            ProgrammeId::AdvisoryExpenditure,
            Outcome::LikelyNotEligible,
            a.expenditure_confidence,
        );
        r.step(msg!("advisory-step-expenses", amount = expenses));
        r.step(msg!("advisory-step-income", amount = income));
        r.step(msg!(
            "advisory-step-standard",
            share = a.expenditure_standard_pm_share,
            pm = ctx.budget_pm(),
            members = members,
            amount = standard
        ));
        let gap = income - expenses.max(standard);
        r.step(msg!("advisory-step-gap", amount = gap));
        r.margin = Some(gap);
        if gap.get() < 0 {
            r.outcome = Outcome::NeedsReview;
        }
        out.push(r);
    }

    let mut r = ProgrammeResult::new(
        ProgrammeId::AdvisoryRiskFlags,
        Outcome::NeedsReview,
        a.confidence,
    );
    // Refused by a small margin per person (TSA margin is line − income).
    if let Some(tsa) = out
        .iter()
        .find(|p| p.programme == ProgrammeId::TargetedSocialAssistance)
    {
        if let (Outcome::LikelyNotEligible, Some(m)) = (&tsa.outcome, tsa.margin) {
            if m.get() < 0 && -m.get() < a.near_miss_per_person.get() {
                r.flag(msg!(
                    "advisory-flag-near-miss",
                    over = Tiyn(-m.get()),
                    limit = a.near_miss_per_person
                ));
            }
        }
    }
    let adults: Vec<usize> = ctx.aged(18, 200).collect();
    for (i, m) in ctx.members().iter().enumerate() {
        let adult = ctx.pack.disability.adult_min_age;
        if child_with_disability(ctx, i, adult).yes() && !m.receives_special_services {
            r.flag(msg!(
                "advisory-flag-child-disability-no-services",
                member = ctx.member_ref(i)
            ));
        }
    }
    if adults.len() == 1 && ctx.aged(0, a.sole_carer_child_max_age).next().is_some() {
        let carer = adults[0];
        if counted_monthly(ctx, Some(ctx.members()[carer].id)).get() == 0 {
            r.flag(msg!(
                "advisory-flag-sole-carer-no-income",
                member = ctx.member_ref(carer)
            ));
        }
    }
    if let Some(rent) = ctx.household.housing.monthly_rent {
        if rent > income.times(a.rent_share_of_income) {
            r.flag(msg!(
                "advisory-flag-rent-over-half",
                rent = rent,
                income = income
            ));
        }
    }
    let food_loans = ctx
        .household
        .assets
        .loans
        .iter()
        .filter(|l| l.purpose == LoanPurpose::Food)
        .count();
    if food_loans > 0 {
        r.flag(msg!("advisory-flag-food-loans", loans = food_loans));
    }
    if ctx.members().len() == 1 && ctx.members()[0].needs_care && retired(ctx, 0).maybe() {
        r.flag(msg!(
            "advisory-flag-elderly-alone",
            member = ctx.member_ref(0)
        ));
    }
    let mut missed: Vec<ProgrammeId> = Vec::new();
    for p in out
        .iter()
        .filter(|p| p.outcome == Outcome::LikelyEligible && !p.advisory)
    {
        let kinds = received_as(p.programme);
        if !kinds.is_empty()
            && !ctx
                .household
                .incomes
                .iter()
                .any(|i| kinds.contains(&i.kind))
            && !missed.contains(&p.programme)
        {
            missed.push(p.programme);
        }
    }
    for p in missed {
        r.flag(msg!("advisory-flag-not-received", programme = p));
    }
    if !r.flags.is_empty() {
        out.push(r);
    }
}
