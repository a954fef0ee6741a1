//! The benefit programmes other than targeted social assistance, one file each.
//!
//! Every programme is a plain function with the same signature,
//! [`ProgrammeFn`]: it reads the household and the pack through an
//! [`EvalContext`] and pushes zero or more [`ProgrammeResult`]s (zero when the
//! programme does not concern the family, one per person for per-person
//! benefits). Results pushed earlier are visible in `out`, so the advisory views,
//! which run last, can look at them. [`super::evaluate`] lists the functions in
//! the order they run.
//!
//! Conventions, so every programme reads the same:
//! - All numbers come from `ctx.pack` (never literals): coefficients as
//!   [`Hundredths`](crate::model::Hundredths), money as [`Tiyn`], multiplied
//!   with `Tiyn::times` (rounded half away from zero, once per product).
//! - MRP and budget-law PM are `ctx.globals.mrp` / `ctx.globals.budget_pm`: the
//!   values in force on the evaluation date.
//! - Ages are `ctx.ages[i]` (on the evaluation date); a needed but unknown age
//!   gives `Outcome::MissingInformation` with `ctx.birth_date_path(i)`.
//! - Every step is a [`Message`](super::report::Message) built with
//!   [`msg!`](crate::msg); every id used is listed in the module's
//!   `MESSAGE_IDS` and exists in `core/locales/*/programmes.ftl` (a test checks).
//! - `result.used(confidence)` for every rule used; documents from the pack.
//! - Members are referred to by `ctx.member_ref(i)`, never by name.

pub mod advisory;
pub mod awarded_mothers;
pub mod breadwinner;
pub mod carer;
pub mod childbirth;
pub mod childcare;
pub mod disability;
pub mod large_family;
pub mod special_services;

use super::pack::{GlobalParams, RulePack};
use super::report::{MemberRef, ProgrammeResult};
use crate::model::{Household, Member, Region, Relation, Tiyn};
use chrono::NaiveDate;

/// A programme: reads the context, pushes its results.
pub type ProgrammeFn = fn(&EvalContext<'_>, &mut Vec<ProgrammeResult>);

/// Everything a programme may read, resolved once per evaluation.
pub struct EvalContext<'a> {
    pub household: &'a Household,
    pub pack: &'a RulePack,
    pub date: NaiveDate,
    pub region: Region,
    /// MRP, budget-law PM and minimum wage in force on `date`.
    pub globals: &'a GlobalParams,
    /// Age of each member on `date`, by index; `None` without a birth date.
    pub ages: Vec<Option<u32>>,
}

impl<'a> EvalContext<'a> {
    pub fn new(
        household: &'a Household,
        pack: &'a RulePack,
        date: NaiveDate,
        globals: &'a GlobalParams,
    ) -> EvalContext<'a> {
        EvalContext {
            household,
            pack,
            date,
            region: household.location.region,
            globals,
            ages: household.members.iter().map(|m| m.age_on(date)).collect(),
        }
    }

    pub fn members(&self) -> &'a [Member] {
        &self.household.members
    }

    /// How the report names member `i`.
    pub fn member_ref(&self, i: usize) -> MemberRef {
        MemberRef {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            relation: self
                .household
                .members
                .get(i)
                .map_or(Relation::OtherRelative, |m| m.relation),
        }
    }

    /// The form path of member `i`'s birth date, for `MissingInformation`.
    pub fn birth_date_path(&self, i: usize) -> String {
        format!("members[{i}].birth_date")
    }

    /// The form path of any field of member `i`.
    pub fn member_path(&self, i: usize, field: &str) -> String {
        format!("members[{i}].{field}")
    }

    /// Index of the member with this id.
    pub fn index_of(&self, id: uuid::Uuid) -> Option<usize> {
        self.household.members.iter().position(|m| m.id == id)
    }

    /// Members (by index) whose age is known and within `min..=max`.
    pub fn aged(&self, min: u32, max: u32) -> impl Iterator<Item = usize> + '_ {
        self.ages
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.is_some_and(|a| a >= min && a <= max))
            .map(|(i, _)| i)
    }

    /// Paths of the birth dates that are missing, for members selected by `who`.
    pub fn missing_birth_dates(&self, who: impl Fn(&Member) -> bool) -> Vec<String> {
        self.household
            .members
            .iter()
            .enumerate()
            .filter(|(i, m)| self.ages[*i].is_none() && who(m))
            .map(|(i, _)| self.birth_date_path(i))
            .collect()
    }

    /// `count × coefficient × MRP` helpers live on [`Tiyn::times`]; this is the
    /// MRP in force.
    pub fn mrp(&self) -> Tiyn {
        self.globals.mrp
    }

    /// The budget-law subsistence minimum in force.
    pub fn budget_pm(&self) -> Tiyn {
        self.globals.budget_pm
    }
}

/// Every message id the programmes in this directory use (for the l10n test).
pub fn message_ids() -> Vec<&'static str> {
    // Add each programme module's MESSAGE_IDS here.
    [
        childbirth::MESSAGE_IDS,
        childcare::MESSAGE_IDS,
        large_family::MESSAGE_IDS,
        awarded_mothers::MESSAGE_IDS,
        disability::MESSAGE_IDS,
        carer::MESSAGE_IDS,
        breadwinner::MESSAGE_IDS,
        special_services::MESSAGE_IDS,
        advisory::MESSAGE_IDS,
    ]
    .concat()
}

#[cfg(test)]
mod advisory_tests;
#[cfg(test)]
mod benefit_tests;
