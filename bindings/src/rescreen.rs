//! Re-screening results: the households staff should go back to when a new
//! rule pack changes the numbers (mirrors `komek_core::rules::rescreen`).

use crate::report::{Amount, MemberRef, Outcome, ProgrammeId};
use komek_core::model::Tiyn;
use komek_core::rules::rescreen as core;
use uuid::Uuid;

/// One programme whose result differs between the two packs. `None`: the
/// programme gave no result under that pack.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutcomeChange {
    pub programme: ProgrammeId,
    pub member: Option<MemberRef>,
    pub before: Option<Outcome>,
    pub after: Option<Outcome>,
    pub amount_before: Option<Amount>,
    pub amount_after: Option<Amount>,
}

/// A household to revisit, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RescreenHit {
    pub household_id: Uuid,
    pub version: u32,
    pub changes: Vec<OutcomeChange>,
    /// Poverty line minus per-capita income under the new pack.
    pub tsa_margin: Option<Tiyn>,
    /// The TSA margin is within the near-threshold margin.
    pub near_threshold: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Rescreen {
    pub screened: i64,
    pub hits: Vec<RescreenHit>,
}

impl From<core::Rescreen> for Rescreen {
    fn from(r: core::Rescreen) -> Rescreen {
        Rescreen {
            screened: crate::scalars::count(r.screened),
            hits: r
                .hits
                .into_iter()
                .map(|h| RescreenHit {
                    household_id: h.household_id,
                    version: h.version,
                    changes: h
                        .changes
                        .into_iter()
                        .map(|c| OutcomeChange {
                            programme: c.programme.into(),
                            member: c.member.map(Into::into),
                            before: c.before.as_ref().map(Into::into),
                            after: c.after.as_ref().map(Into::into),
                            amount_before: c.amount_before.map(Into::into),
                            amount_after: c.amount_after.map(Into::into),
                        })
                        .collect(),
                    tsa_margin: h.tsa_margin,
                    near_threshold: h.near_threshold,
                })
                .collect(),
        }
    }
}
