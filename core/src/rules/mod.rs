//! Eligibility pre-checks that explain themselves.
//!
//! Most refused applicants learn only at the refusal that their income counted
//! against them, often by a few thousand tenge; most eligible families never
//! apply because nobody told them. This module answers, offline and before any
//! application: what the family is likely entitled to, how much, why, by what
//! margin, and which documents to bring. It is a pure function of the household,
//! a [rule pack](pack) (the law as signed data) and a date.
//!
//! - [`pack`]: the rule-pack format, parsing and parameter lookup.
//! - [`signing`]: Ed25519 verification of packs from the registry; [`RuleBook`]
//!   keeps the active pack.
//! - [`report`]: the structured report (message ids + typed arguments).
//! - [`evaluate()`]: runs [`tsa`] and the [`programmes`] into a report.
//! - [`selfcheck`]: the applicant's own check, from answers alone.
//! - [`render`]: the report as plain text in kk/ru/en.

pub mod definitions;
pub mod evaluate;
pub mod overlay;
pub mod pack;
pub mod programmes;
pub mod render;
pub mod report;
pub mod rescreen;
pub mod selfcheck;
pub mod signing;
mod toml_doc;
pub mod tsa;

#[cfg(test)]
mod precheck_tests;

pub use pack::{Confidence, PackFormatError, RulePack};
pub use report::{Amount, Outcome, Period, ProgrammeId, ProgrammeResult, Report};
pub use selfcheck::SelfCheckInput;
pub use signing::{PackError, RuleBook, TrustedKeys};

use crate::model::Household;
use chrono::NaiveDate;

/// The pre-check of `household` (in its own region) under `pack` on `date`.
/// Pure and deterministic.
pub fn evaluate(household: &Household, pack: &RulePack, date: NaiveDate) -> Report {
    evaluate::evaluate(household, pack, date)
}

/// The default pack for Kazakhstan compiled into the library, parsed once.
///
/// The embedded TOML is a compile-time constant that the test suite parses
/// (`default_pack_parses`), so this cannot fail in a tested build. Callers that
/// prefer an error to that invariant use [`pack::try_default_pack`].
pub fn default_pack() -> &'static RulePack {
    match pack::try_default_pack() {
        Ok(p) => p,
        // Unreachable when the test suite passes: the embedded pack is a
        // compile-time constant that `default_pack_parses` parses.
        Err(e) => panic!("the embedded rule pack is invalid: {e}"),
    }
}

/// The message ids of every flag a result can carry ("may lead to refusal",
/// "needs review: …"): what an app may list by code.
pub fn flag_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = tsa::MESSAGE_IDS
        .iter()
        .chain(evaluate::MESSAGE_IDS)
        .copied()
        .chain(programmes::message_ids())
        .filter(|id| id.contains("-flag-") || id.starts_with("review-"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The applicant's self-check: the same report from answers alone. Nothing is
/// stored.
pub fn self_check(
    input: &SelfCheckInput,
    pack: &RulePack,
    date: NaiveDate,
) -> Result<Report, selfcheck::TooMany> {
    selfcheck::self_check(input, pack, date)
}
