//! Large-family allowance: a monthly allowance, without an income test, to
//! families raising four or more minors (or full-time students under 23) living
//! together. 4 children 16.03 MRP, 5: 20.04, 6: 24.05, 7: 28.06, 8 and more:
//! 4 MRP per child (domain file, "Other benefits", V).

use super::EvalContext;
use crate::model::{Activity, IncomeKind, Relation};
use crate::msg;
use crate::rules::report::{Amount, Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "large-family-step-children",
    "large-family-step-amount",
    "large-family-flag-already-received",
];

/// Children of the family for this allowance: sons, daughters, step- and
/// grandchildren living in the household.
pub(crate) fn is_child(r: Relation) -> bool {
    matches!(
        r,
        Relation::Child | Relation::Stepchild | Relation::Grandchild
    )
}

/// Pushes one result when the family has at least the pack's minimum of children.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.large_family;
    let members = ctx.members();
    let counted = members
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            is_child(m.relation)
                && ctx.ages[*i].is_some_and(|a| {
                    a <= p.child_max_age
                        || (a <= p.student_max_age && m.activity == Some(Activity::StudentFullTime))
                })
        })
        .count();
    let missing = ctx.missing_birth_dates(|m| is_child(m.relation));
    let possible = counted + missing.len();
    if possible < p.min_children as usize {
        return;
    }
    let mut r = ProgrammeResult::new(
        ProgrammeId::LargeFamily,
        Outcome::LikelyEligible,
        p.confidence,
    );
    if !missing.is_empty() && counted < p.min_children as usize {
        r.outcome = Outcome::MissingInformation { fields: missing };
        out.push(r);
        return;
    }
    let children = u32::try_from(counted).unwrap_or(u32::MAX);
    r.step(msg!(
        "large-family-step-children",
        children = children,
        minors = p.child_max_age + 1,
        students = p.student_max_age + 1
    ));
    let Some(coefficient) = p.mrp_for(children) else {
        return;
    };
    let amount = ctx.mrp().times(coefficient);
    r.step(msg!(
        "large-family-step-amount",
        coefficient = coefficient,
        mrp = ctx.mrp(),
        amount = amount
    ));
    if ctx
        .household
        .incomes
        .iter()
        .any(|i| i.kind == IncomeKind::LargeFamilyAllowance)
    {
        r.flag(msg!("large-family-flag-already-received"));
    }
    r.used(ctx.globals.confidence);
    r.amount = Some(Amount::monthly(amount));
    r.documents_from(&p.documents);
    r.used(p.documents_confidence);
    out.push(r);
}
