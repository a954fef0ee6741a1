//! Runs every programme over one household and assembles the report.
//!
//! Evaluation is a pure function of (household, pack, date): no I/O, no clock,
//! no randomness, so the same input always gives the same report (re-screening
//! and tests rely on it). The region is the household's. Parameters that depend
//! only on the pack are precomputed when the pack is parsed; here we resolve the
//! few that depend on the date, then call each programme in [`PROGRAMMES`].

use super::pack::RulePack;
use super::programmes::{self, EvalContext, ProgrammeFn};
use super::report::{MsgId, Outcome, Report, NOTICE_PRE_CHECK_NOT_DECISION};
use crate::model::Household;
use crate::msg;
use chrono::NaiveDate;

/// The programmes, in the order they run and appear in the report. Advisory
/// views run last: they read the results pushed before them.
pub const PROGRAMMES: &[ProgrammeFn] = &[
    super::tsa::evaluate,
    programmes::childbirth::evaluate,
    programmes::childcare::evaluate,
    programmes::large_family::evaluate,
    programmes::awarded_mothers::evaluate,
    programmes::disability::evaluate,
    programmes::carer::evaluate,
    programmes::breadwinner::evaluate,
    programmes::special_services::evaluate,
    // Last: the advisory views read the results above.
    programmes::advisory::evaluate,
];

/// The pre-check of `household` under `pack` on `date`.
pub fn evaluate(household: &Household, pack: &RulePack, date: NaiveDate) -> Report {
    let mut report = Report {
        pack_version: pack.version.clone(),
        evaluated_on: date,
        region: household.location.region,
        notice: MsgId::new(NOTICE_PRE_CHECK_NOT_DECISION),
        notes: Vec::new(),
        programmes: Vec::with_capacity(PROGRAMMES.len() + 2),
    };
    if !pack.covers(date) {
        report.notes.push(msg!(
            "report-note-pack-does-not-cover-date",
            valid_from = pack.valid_from,
            valid_until = pack.valid_until
        ));
    }
    let Some(globals) = pack.globals_on(date) else {
        report
            .notes
            .push(msg!("report-note-no-parameters", date = date));
        return report;
    };
    let ctx = EvalContext::new(household, pack, date, globals);
    for programme in PROGRAMMES {
        programme(&ctx, &mut report.programmes);
    }
    if !pack.covers(date) {
        out_of_date(pack, &mut report);
    }
    report
}

/// Outside the pack's validity no answer is firm: the law may have changed
/// since (a new MRP, a new line). Every firm outcome becomes *needs review*,
/// saying the pack is out of date; missing information stays (it is asked
/// for whatever the law).
fn out_of_date(pack: &RulePack, report: &mut Report) {
    for p in &mut report.programmes {
        if matches!(
            p.outcome,
            Outcome::LikelyEligible | Outcome::LikelyNotEligible
        ) {
            p.outcome = Outcome::NeedsReview;
        }
        p.flags.insert(
            0,
            msg!(
                "report-flag-pack-out-of-date",
                valid_from = pack.valid_from,
                valid_until = pack.valid_until
            ),
        );
    }
}

/// Message ids used by this module and by the report itself.
pub const MESSAGE_IDS: &[&str] = &[
    NOTICE_PRE_CHECK_NOT_DECISION,
    "report-note-pack-does-not-cover-date",
    "report-note-no-parameters",
    "report-flag-pack-out-of-date",
];
