//! The effect of a new pack on families, measured on synthetic households.
//!
//! Real households never leave a device, so before a pack is published its
//! effect is estimated on the core's synthetic households (fixed seed: large
//! families, single parents, pensioners alone, a child with a disability,
//! families just above the line) with the core's re-screen. Only counts are
//! reported: how many households would change outcome or amount, per
//! programme and transition, and how many sit near the TSA line.

use chrono::NaiveDate;
use komek_core::l10n::{format_money, Lang};
use komek_core::model::Tiyn;
use komek_core::rules::rescreen::{rescreen, DEFAULT_NEAR_MARGIN};
use komek_core::rules::{Outcome, RulePack};
use komek_core::synth;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Counts from a re-screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub date: NaiveDate,
    pub seed: u64,
    pub screened: usize,
    /// Households with at least one changed outcome or amount.
    pub changed: usize,
    /// Households whose TSA margin under the new pack is within the margin.
    pub near_threshold: usize,
    pub near_margin: Tiyn,
    /// `(programme, before → after)` → number of results.
    pub transitions: BTreeMap<String, usize>,
}

/// Re-screens `n` synthetic households (`seed`) from `old` to `new` on `date`.
pub fn run(old: &RulePack, new: &RulePack, seed: u64, n: usize, date: NaiveDate) -> Summary {
    let households = synth::households(seed, n, date);
    let r = rescreen(households, old, new, date, DEFAULT_NEAR_MARGIN);
    let mut transitions = BTreeMap::new();
    for change in r.hits.iter().flat_map(|h| &h.changes) {
        let outcome = |o: &Option<Outcome>| o.as_ref().map_or("no result", outcome_code);
        let what = if change.before == change.after {
            "amount changed".to_string()
        } else {
            format!("{} → {}", outcome(&change.before), outcome(&change.after))
        };
        *transitions
            .entry(format!("{}: {what}", change.programme.code()))
            .or_insert(0) += 1;
    }
    Summary {
        date,
        seed,
        screened: r.screened,
        changed: r.hits.iter().filter(|h| !h.changes.is_empty()).count(),
        near_threshold: r.hits.iter().filter(|h| h.near_threshold).count(),
        near_margin: DEFAULT_NEAR_MARGIN,
        transitions,
    }
}

fn outcome_code(o: &Outcome) -> &'static str {
    match o {
        Outcome::LikelyEligible => "likely eligible",
        Outcome::NeedsReview => "needs review",
        Outcome::LikelyNotEligible => "likely not eligible",
        Outcome::MissingInformation { .. } => "missing information",
    }
}

/// The summary as text.
pub fn text(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Re-screen of {} synthetic households (seed {}) on {}:",
        s.screened, s.seed, s.date
    );
    let _ = writeln!(
        o,
        "  {} with a changed outcome or amount; {} near the TSA line (within {} per person)",
        s.changed,
        s.near_threshold,
        format_money(Lang::En, s.near_margin)
    );
    for (what, n) in &s.transitions {
        let _ = writeln!(o, "  {what}: {n}");
    }
    o
}
