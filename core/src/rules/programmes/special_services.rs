//! Special social services for families in a difficult life situation: the
//! grounds the household shows, as needs to assess, not amounts.
//!
//! Home-based services (domain file, V): children with disabilities aged 1.5-18
//! (with neuro-psychiatric or musculoskeletal conditions, which the form cannot
//! know, so "may qualify"); people with disability group I or II, and elderly
//! people who cannot look after themselves — for these two only when no
//! able-bodied adult child or spouse lives with them. The Social Code's list of
//! grounds (Art. 133) was not retrieved, so grounds carry the pack's
//! `grounds_confidence` (unverified).

use super::EvalContext;
use crate::model::{Disability, Relation};
use crate::msg;
use crate::rules::definitions::{able_bodied, at_least_months, child_with_disability, retired};
use crate::rules::report::{Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "limit-special-services-child",
    "special-services-ground-child-disability",
    "special-services-ground-disability-no-support",
    "special-services-ground-elderly-no-support",
    "special-services-step-where",
    "special-services-flag-already-receives",
];

/// Pushes one result per member who shows a ground.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.special_services;
    // An able-bodied adult child or spouse who could support the person.
    let supporter = |except: usize| {
        ctx.members().iter().enumerate().any(|(j, m)| {
            j != except
                && matches!(
                    m.relation,
                    Relation::Child | Relation::Spouse | Relation::Head
                )
                && able_bodied(ctx, j).yes()
                && !m.disability.is_disabled()
        })
    };
    for (i, m) in ctx.members().iter().enumerate() {
        let Some(age) = ctx.ages[i] else {
            continue;
        };
        // Calendar months from the birth date (18 months is the day the
        // child turns 18 calendar months), and one definition of a child with
        // a disability (a minor with a group I-III is one too).
        let old_enough = at_least_months(ctx, i, p.home_child_min_age_months);
        let adult = ctx.pack.disability.adult_min_age;
        let ground = if child_with_disability(ctx, i, adult).yes()
            && old_enough.yes()
            && age <= p.home_child_max_age
        {
            Some("special-services-ground-child-disability")
        } else if matches!(m.disability, Disability::GroupI | Disability::GroupII) && !supporter(i)
        {
            Some("special-services-ground-disability-no-support")
        } else if m.needs_care && retired(ctx, i).yes() && !supporter(i) {
            Some("special-services-ground-elderly-no-support")
        } else {
            None
        };
        let Some(ground) = ground else {
            continue;
        };
        let mut r = ProgrammeResult::new(
            ProgrammeId::SpecialServices,
            Outcome::NeedsReview,
            p.confidence,
        );
        r.member = Some(ctx.member_ref(i));
        r.step(crate::rules::report::Message {
            id: crate::rules::report::MsgId::new(ground),
            args: vec![crate::rules::report::Arg::new("member", ctx.member_ref(i))],
        });
        r.step(msg!("special-services-step-where"));
        if m.receives_special_services {
            r.flag(msg!("special-services-flag-already-receives"));
        }
        r.used(p.grounds_confidence);
        r.used(p.home_services_confidence);
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
    }
}
