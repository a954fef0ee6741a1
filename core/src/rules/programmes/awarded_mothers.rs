//! Allowance to awarded mothers: lifelong, monthly, no income test, for a mother
//! whose state award is recorded. Kumis alqa 6.40 MRP; Altyn alqa,
//! Mother-Heroine, Maternal Glory I/II 7.40 MRP (domain file, V; the date from
//! which 7.40 applies: U, hence "likely" in the pack).

use super::EvalContext;
use crate::model::MotherAward;
use crate::msg;
use crate::rules::report::{Amount, MsgId, Outcome, ProgrammeId, ProgrammeResult};

pub const MESSAGE_IDS: &[&str] = &[
    "awarded-mothers-step-award",
    "awarded-mothers-step-amount",
    "award-kumis_alqa",
    "award-altyn_alqa",
    "award-mother_heroine",
    "award-maternal_glory_i",
    "award-maternal_glory_ii",
];

/// Pushes one result per member with a recorded award.
pub fn evaluate(ctx: &EvalContext<'_>, out: &mut Vec<ProgrammeResult>) {
    let p = &ctx.pack.awarded_mothers;
    for (i, m) in ctx.members().iter().enumerate() {
        let Some(award) = m.mother_award else {
            continue;
        };
        let Some(coefficient) = p.award_on(award, ctx.date) else {
            continue;
        };
        let mut r = ProgrammeResult::new(
            ProgrammeId::AwardedMothers,
            Outcome::LikelyEligible,
            p.confidence,
        );
        r.member = Some(ctx.member_ref(i));
        r.step(msg!(
            "awarded-mothers-step-award",
            member = ctx.member_ref(i),
            award = award_code(award)
        ));
        let amount = ctx.mrp().times(coefficient.mrp);
        r.step(msg!(
            "awarded-mothers-step-amount",
            coefficient = coefficient.mrp,
            mrp = ctx.mrp(),
            amount = amount
        ));
        r.used(coefficient.confidence);
        r.used(ctx.globals.confidence);
        r.amount = Some(Amount::monthly(amount));
        r.documents_from(&p.documents);
        r.used(p.documents_confidence);
        out.push(r);
    }
}

/// The message naming the award.
fn award_code(award: MotherAward) -> MsgId {
    MsgId::new(match award {
        MotherAward::KumisAlqa => "award-kumis_alqa",
        MotherAward::AltynAlqa => "award-altyn_alqa",
        MotherAward::MotherHeroine => "award-mother_heroine",
        MotherAward::MaternalGloryI => "award-maternal_glory_i",
        MotherAward::MaternalGloryII => "award-maternal_glory_ii",
    })
}
