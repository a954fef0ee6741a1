//! Benefit to a parent (or carer) caring for a child with a disability: the
//! amount the pack publishes for the year (81,871 tenge in 2026, L), else the
//! pack's coefficient of the budget-law subsistence minimum (≈ 1.61), marked
//! estimated.

use super::EvalContext;
use crate::msg;
use crate::rules::definitions::child_with_disability;
use crate::rules::report::{Amount, Outcome, ProgrammeId, ProgrammeResult};
use chrono::Datelike;

pub const MESSAGE_IDS: &[&str] = &[
    "carer-step-cares-for",
    "carer-step-published",
    "carer-step-estimated",
];

/// Pushes one result per member who cares for a child with a disability.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.carer;
    let adult_age = ctx.pack.disability.adult_min_age;
    for (i, carer) in ctx.members().iter().enumerate() {
        let cared: Vec<usize> = carer
            .cares_for
            .iter()
            .filter_map(|id| ctx.index_of(*id))
            .filter(|&j| child_with_disability(ctx, j, adult_age).maybe())
            .collect();
        let Some(&child) = cared.first() else {
            continue;
        };
        let mut r = ProgrammeResult::new(ProgrammeId::Carer, Outcome::LikelyEligible, p.confidence);
        r.member = Some(ctx.member_ref(i));
        if ctx.ages[child].is_none() {
            r.outcome = Outcome::MissingInformation {
                fields: vec![ctx.birth_date_path(child)],
            };
            out.push(r);
            continue;
        }
        r.step(msg!(
            "carer-step-cares-for",
            member = ctx.member_ref(i),
            child = ctx.member_ref(child)
        ));
        let amount = match p.published_for(ctx.date.year()) {
            Some(published) => {
                r.step(msg!(
                    "carer-step-published",
                    year = i64::from(ctx.date.year()),
                    amount = published.amount
                ));
                r.used(published.confidence);
                published.amount
            }
            None => {
                let amount = ctx.budget_pm().times(p.pm_coefficient);
                r.step(msg!(
                    "carer-step-estimated",
                    coefficient = p.pm_coefficient,
                    pm = ctx.budget_pm(),
                    amount = amount
                ));
                r.used(ctx.globals.confidence);
                r.used(crate::rules::Confidence::Unverified);
                amount
            }
        };
        r.amount = Some(Amount::monthly(amount));
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
    }
}
