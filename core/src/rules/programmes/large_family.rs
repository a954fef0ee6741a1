//! Large-family allowance: a monthly allowance, without an income test, to
//! families raising four or more minors (or full-time students under 23) living
//! together. 4 children 16.03 MRP, 5: 20.04, 6: 24.05, 7: 28.06, 8 and more:
//! 4 MRP per child (domain file, "Other benefits", V).

use super::EvalContext;
use crate::model::{IncomeKind, Relation};
use crate::msg;
use crate::rules::definitions::{is_child as child_of_family, is_child_relation, Tri};
use crate::rules::report::{Amount, MsgId, Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "review-age-near-limit",
    "limit-large-family",
    "large-family-step-children",
    "large-family-step-amount",
    "large-family-flag-already-received",
];

/// Children of the family for this allowance: sons, daughters, step- and
/// grandchildren living in the household (one definition:
/// [`crate::rules::definitions`]).
pub(crate) fn is_child(r: Relation) -> bool {
    is_child_relation(r)
}

/// Pushes one result when the family has at least the pack's minimum of children.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.large_family;
    let mut counted = 0usize;
    let mut uncertain = Vec::new();
    for i in 0..ctx.members().len() {
        if ctx.birth_window(i).is_none() {
            continue;
        }
        match child_of_family(ctx, i, p.child_max_age, Some(p.student_max_age)) {
            Tri::Yes => counted += 1,
            Tri::Unknown => uncertain.push(i),
            Tri::No => {}
        }
    }
    // A child without any age changes the count, so it is always asked for.
    let missing = ctx.missing_birth_dates(|m| is_child(m.relation));
    let possible = counted + uncertain.len() + missing.len();
    if possible < p.min_children as usize {
        return;
    }
    let mut r = ProgrammeResult::new(
        ProgrammeId::LargeFamily,
        Outcome::LikelyEligible,
        p.confidence,
    );
    if !missing.is_empty() {
        r.outcome = Outcome::MissingInformation { fields: missing };
        out.push(r);
        return;
    }
    for &i in &uncertain {
        r.flag(msg!(
            "review-age-near-limit",
            member = ctx.member_ref(i),
            limit = MsgId::new("limit-large-family")
        ));
    }
    if counted < p.min_children as usize {
        // Only the uncertain ages could make the family large.
        r.outcome = Outcome::NeedsReview;
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
        return;
    }
    if !uncertain.is_empty() {
        // Large either way; the amount depends on the uncertain ages.
        r.outcome = Outcome::NeedsReview;
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
