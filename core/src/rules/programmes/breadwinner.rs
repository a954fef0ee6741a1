//! Loss-of-breadwinner benefit: a monthly amount, a coefficient of the budget-law
//! subsistence minimum by the number of dependants (1: 0.92, 2: 1.70, 3: 2.25,
//! 4: 2.60, 5: 2.75, 6 and more: 3.00), shared equally (domain file, V).
//!
//! Who is a dependant is our reading (L), since the form records no dependency:
//! children under 18, full-time students under 23, members with a disability,
//! and a spouse or parent of retirement age.

use super::large_family::is_child;
use super::EvalContext;
use crate::model::{Activity, Relation, Sex};
use crate::msg;
use crate::rules::pack::Confidence;
use crate::rules::report::{Amount, Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "breadwinner-step-dependants",
    "breadwinner-step-amount",
    "breadwinner-step-share",
];

/// Pushes one result when the household records the loss of its breadwinner.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    if !ctx.household.breadwinner_lost {
        return;
    }
    let p = &ctx.pack.breadwinner;
    let cond = &ctx.pack.tsa.conditionality;
    let mut r = ProgrammeResult::new(
        ProgrammeId::Breadwinner,
        Outcome::LikelyEligible,
        p.confidence,
    );
    let missing = ctx.missing_birth_dates(|_| true);
    if !missing.is_empty() {
        r.outcome = Outcome::MissingInformation { fields: missing };
        out.push(r);
        return;
    }
    let dependants = ctx
        .members()
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            let age = ctx.ages[*i].unwrap_or(0);
            let retirement = match m.sex {
                Some(Sex::Male) => cond.retirement_age_men,
                _ => cond.retirement_age_women,
            };
            (is_child(m.relation) && age < 18)
                || (m.activity == Some(Activity::StudentFullTime) && age < 23)
                || m.disability.is_disabled()
                || (matches!(
                    m.relation,
                    Relation::Spouse | Relation::Parent | Relation::Head
                ) && age >= retirement)
        })
        .count();
    let n = u32::try_from(dependants).unwrap_or(u32::MAX);
    r.step(msg!("breadwinner-step-dependants", dependants = n));
    let Some(coefficient) = p.pm_for(n) else {
        r.outcome = Outcome::LikelyNotEligible;
        r.used(Confidence::Likely);
        out.push(r);
        return;
    };
    let amount = ctx.budget_pm().times(coefficient);
    r.step(msg!(
        "breadwinner-step-amount",
        coefficient = coefficient,
        pm = ctx.budget_pm(),
        amount = amount
    ));
    r.step(msg!(
        "breadwinner-step-share",
        dependants = n,
        share = amount.mul_div(1, i64::from(n))
    ));
    r.used(Confidence::Likely); // the reading of who is a dependant
    r.used(cond.retirement_age_confidence);
    r.used(ctx.globals.confidence);
    r.amount = Some(Amount::monthly(amount));
    r.documents_from(&p.documents);
    r.used(p.documents_confidence);
    out.push(r);
}
