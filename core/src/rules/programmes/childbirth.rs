//! One-time childbirth benefit: 38 MRP for the 1st-3rd child, 63 MRP for the
//! 4th and later (domain file, "Other benefits", V).
//!
//! The pattern the other programmes follow: find who the benefit concerns,
//! report missing data as field paths, do the arithmetic from pack values with
//! each step as a message, attach documents and the confidence used.
//!
//! The form records no mother-child links, so the birth order is the newborn's
//! place among the household's children (`child`/`stepchild`) by birth date; a
//! flag says that older children living elsewhere also count.

use super::EvalContext;
use crate::model::Relation;
use crate::msg;
use crate::rules::definitions::{birth_order, Tri};
use crate::rules::report::{Amount, MsgId, Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "review-age-near-limit",
    "limit-childbirth-window",
    "childbirth-step-newborn",
    "childbirth-step-order",
    "childbirth-step-amount",
    "childbirth-flag-order-counts-all-children",
];

fn is_child(r: Relation) -> bool {
    matches!(r, Relation::Child | Relation::Stepchild)
}

/// Pushes one result per child born within the pack's claim window before the
/// evaluation date.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.childbirth;
    let members = ctx.members();
    let in_window = |born: chrono::NaiveDate| {
        let days = (ctx.date - born).num_days();
        (0..=i64::from(p.claim_window_days)).contains(&days)
    };
    for (i, newborn) in members.iter().enumerate() {
        let Some((earliest, latest)) = ctx.birth_window(i) else {
            continue;
        };
        let window = Tri::from_bounds(in_window(latest), in_window(earliest));
        if window == Tri::No {
            continue;
        }
        let mut r = ProgrammeResult::new(
            ProgrammeId::Childbirth,
            Outcome::LikelyEligible,
            p.confidence,
        );
        r.member = Some(ctx.member_ref(i));
        let Some(born) = newborn.birth_date else {
            // Only an age: the 12-month window cannot be decided.
            r.outcome = Outcome::NeedsReview;
            r.flag(msg!(
                "review-age-near-limit",
                member = ctx.member_ref(i),
                limit = MsgId::new("limit-childbirth-window")
            ));
            r.documents_from(&p.documents);
            r.used(p.documents_confidence);
            out.push(r);
            continue;
        };
        r.step(msg!(
            "childbirth-step-newborn",
            member = ctx.member_ref(i),
            born = born
        ));

        // Birth order among the household's children; an unknown birth date of
        // another child makes the order unknown.
        let missing = ctx.missing_birth_dates(|m| is_child(m.relation));
        if !missing.is_empty() {
            r.outcome = Outcome::MissingInformation { fields: missing };
            out.push(r);
            continue;
        }
        let (order, certain) = birth_order(ctx, i, born);
        let coefficient = if order <= 3 {
            p.first_to_third_mrp
        } else {
            p.fourth_and_later_mrp
        };
        r.step(msg!(
            "childbirth-step-order",
            member = ctx.member_ref(i),
            order = order
        ));
        let amount = ctx.mrp().times(coefficient);
        r.step(msg!(
            "childbirth-step-amount",
            coefficient = coefficient,
            mrp = ctx.mrp(),
            amount = amount
        ));
        if order <= 3 && !certain {
            r.flag(msg!(
                "childbirth-flag-order-counts-all-children",
                order = order,
                later = p.fourth_and_later_mrp
            ));
        }
        r.used(ctx.globals.confidence);
        r.amount = Some(Amount::one_time(amount));
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
    }
}

#[cfg(test)]
mod tests;
