//! Childcare benefit to age 1.5, for carers outside social insurance: a monthly
//! amount per child under one and a half, by the child's birth order: 1st 5.76,
//! 2nd 6.81, 3rd 7.85, 4th and later 8.90 MRP (domain file, V; the exact end date
//! at 1.5 years: U, so results carry the pack's `until_age_confidence`).

use super::EvalContext;
use crate::model::IncomeKind;
use crate::msg;
use crate::rules::definitions::{at_least_months, birth_order, is_child_relation, Tri};
use crate::rules::report::{Amount, MsgId, Outcome, ProgrammeId, ProgrammeResult};
use chrono::Months;

pub const MESSAGE_IDS: &[&str] = &[
    "review-age-near-limit",
    "limit-childcare",
    "childcare-step-young-child",
    "childcare-step-order",
    "childcare-step-amount",
    "childcare-flag-insured-parent",
];

/// Pushes one result per child younger than the pack's age limit.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.childcare;
    let members = ctx.members();
    // A parent with wages may be in social insurance, which pays its own benefit.
    let wage_earner = ctx
        .household
        .incomes
        .iter()
        .any(|i| i.kind == IncomeKind::Wages);
    for (i, child) in members.iter().enumerate() {
        if !is_child_relation(child.relation) {
            continue;
        }
        let Some((_, latest)) = ctx.birth_window(i) else {
            continue;
        };
        // Under the limit: not yet `until_age_months` calendar months old.
        let under = match at_least_months(ctx, i, p.until_age_months) {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        };
        if under == Tri::No || ctx.date < latest {
            continue;
        }
        let mut r = ProgrammeResult::new(
            ProgrammeId::Childcare,
            Outcome::LikelyEligible,
            p.confidence,
        );
        r.member = Some(ctx.member_ref(i));
        if under == Tri::Unknown {
            // Only an age, near the limit: cannot be decided.
            r.outcome = Outcome::NeedsReview;
            r.flag(msg!(
                "review-age-near-limit",
                member = ctx.member_ref(i),
                limit = MsgId::new("limit-childcare")
            ));
            r.documents_from(&p.documents);
            r.used(p.documents_confidence);
            out.push(r);
            continue;
        }
        // Under the limit for sure; with only an age, the latest possible
        // birth date orders the children.
        let born = child.birth_date.unwrap_or(latest);
        let until = born
            .checked_add_months(Months::new(p.until_age_months))
            .unwrap_or(born);
        if child.birth_date.is_some() {
            r.step(msg!(
                "childcare-step-young-child",
                member = ctx.member_ref(i),
                born = born,
                until = until
            ));
        }
        let missing = ctx.missing_birth_dates(|m| is_child_relation(m.relation));
        if !missing.is_empty() {
            r.outcome = Outcome::MissingInformation { fields: missing };
            out.push(r);
            continue;
        }
        let (order, _) = birth_order(ctx, i, born);
        let Some(coefficient) = p.mrp_for_order(order) else {
            continue;
        };
        r.step(msg!(
            "childcare-step-order",
            member = ctx.member_ref(i),
            order = order
        ));
        let amount = ctx.mrp().times(coefficient);
        r.step(msg!(
            "childcare-step-amount",
            coefficient = coefficient,
            mrp = ctx.mrp(),
            amount = amount
        ));
        if wage_earner {
            r.outcome = Outcome::NeedsReview;
            r.flag(msg!("childcare-flag-insured-parent"));
        }
        r.used(p.until_age_confidence);
        r.used(ctx.globals.confidence);
        r.amount = Some(Amount::monthly(amount));
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
    }
}
