//! State social disability benefits, as coefficients of the budget-law
//! subsistence minimum (domain file, "Other benefits", V): a child under 7 with
//! a disability 1.61; age 7-18 and adults disabled since childhood: group I
//! 2.20, II 1.83, III 1.61; adults with a disability from general illness:
//! I 2.20, II 1.76, III 1.20.
//!
//! A child of 7-17 recorded only as "child with a disability" has no group on
//! the form; the group decides the amount, so the result needs review and shows
//! the lowest amount (group III) as the estimate.

use super::EvalContext;
use crate::model::{Disability, Hundredths, IncomeKind};
use crate::msg;
use crate::rules::pack::GroupCoefficients;
use crate::rules::report::{Amount, Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "disability-step-child-under-7",
    "disability-step-since-childhood",
    "disability-step-general-illness",
    "disability-step-amount",
    "disability-flag-group-unknown",
    "disability-flag-already-received",
];

fn group(c: &GroupCoefficients, d: Disability) -> Option<Hundredths> {
    match d {
        Disability::GroupI => Some(c.group_i),
        Disability::GroupII => Some(c.group_ii),
        Disability::GroupIII => Some(c.group_iii),
        Disability::None | Disability::Child => None,
    }
}

/// Pushes one result per member with a recorded disability.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.disability;
    for (i, m) in ctx.members().iter().enumerate() {
        if !m.disability.is_disabled() {
            continue;
        }
        let mut r = ProgrammeResult::new(
            ProgrammeId::Disability,
            Outcome::LikelyEligible,
            p.confidence,
        );
        r.member = Some(ctx.member_ref(i));
        let Some(age) = ctx.ages[i] else {
            r.outcome = Outcome::MissingInformation {
                fields: vec![ctx.birth_date_path(i)],
            };
            out.push(r);
            continue;
        };
        let coefficient = if age <= p.child_max_age {
            r.step(msg!(
                "disability-step-child-under-7",
                member = ctx.member_ref(i),
                age = age
            ));
            Some(p.child_pm)
        } else if age < p.adult_min_age || m.disabled_since_childhood {
            r.step(msg!(
                "disability-step-since-childhood",
                member = ctx.member_ref(i),
                age = age
            ));
            group(&p.since_childhood, m.disability).or_else(|| {
                r.outcome = Outcome::NeedsReview;
                r.flag(msg!(
                    "disability-flag-group-unknown",
                    group_i = p.since_childhood.group_i,
                    group_ii = p.since_childhood.group_ii,
                    group_iii = p.since_childhood.group_iii
                ));
                Some(p.since_childhood.group_iii)
            })
        } else {
            r.step(msg!(
                "disability-step-general-illness",
                member = ctx.member_ref(i),
                age = age
            ));
            let c = group(&p.general_illness, m.disability);
            if c.is_none() {
                // An adult recorded as "child with a disability": the group is needed.
                r.outcome = Outcome::MissingInformation {
                    fields: vec![ctx.member_path(i, "disability")],
                };
            }
            c
        };
        if let Some(coefficient) = coefficient {
            let amount = ctx.budget_pm().times(coefficient);
            r.step(msg!(
                "disability-step-amount",
                coefficient = coefficient,
                pm = ctx.budget_pm(),
                amount = amount
            ));
            r.amount = Some(Amount::monthly(amount));
        }
        let receives = ctx.household.incomes.iter().any(|inc| {
            inc.member_id == m.id
                && matches!(
                    inc.kind,
                    IncomeKind::AdultDisabilityBenefit | IncomeKind::ChildDisabilityBenefit
                )
        });
        if receives {
            r.flag(msg!("disability-flag-already-received"));
        }
        r.used(ctx.globals.confidence);
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
    }
}
