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
use crate::model::{age_on, Household, Member, Region, Relation, Tiyn};
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
    /// Age of each member on `date`, by index, when it is certain: from the
    /// birth date, or from a stated age whose window of birth dates gives one
    /// age; `None` otherwise (see [`EvalContext::age_range`]).
    pub ages: Vec<Option<u32>>,
    /// The earliest and latest possible birth date of each member: equal for a
    /// birth date, a one-year window for a stated age, `None` for neither.
    pub births: Vec<Option<(NaiveDate, NaiveDate)>>,
}

impl<'a> EvalContext<'a> {
    pub fn new(
        household: &'a Household,
        pack: &'a RulePack,
        date: NaiveDate,
        globals: &'a GlobalParams,
    ) -> EvalContext<'a> {
        let births: Vec<Option<(NaiveDate, NaiveDate)>> = household
            .members
            .iter()
            .map(|m| match (m.birth_date, m.stated_age) {
                (Some(b), _) => Some((b, b)),
                (None, Some(a)) => a.birth_window(),
                (None, None) => None,
            })
            .collect();
        let ages = births
            .iter()
            .map(|w| {
                w.and_then(|(earliest, latest)| {
                    let young = age_on(latest, date)?;
                    (age_on(earliest, date) == Some(young)).then_some(young)
                })
            })
            .collect();
        EvalContext {
            household,
            pack,
            date,
            region: household.location.region,
            globals,
            ages,
            births,
        }
    }

    /// The window of possible birth dates of member `i`.
    pub fn birth_window(&self, i: usize) -> Option<(NaiveDate, NaiveDate)> {
        self.births.get(i).copied().flatten()
    }

    /// The youngest and oldest age member `i` can be on the evaluation date
    /// (`None` when nothing is known, or the person is not born yet).
    pub fn age_range(&self, i: usize) -> Option<(u32, u32)> {
        let (earliest, latest) = self.birth_window(i)?;
        let oldest = age_on(earliest, self.date)?;
        Some((age_on(latest, self.date).unwrap_or(0), oldest))
    }

    /// Whether member `i`'s age is known only as a stated age.
    pub fn age_is_stated(&self, i: usize) -> bool {
        self.birth_window(i).is_some_and(|(e, l)| e != l)
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

    /// Members (by index) whose age is certain and within `min..=max`.
    pub fn aged(&self, min: u32, max: u32) -> impl Iterator<Item = usize> + '_ {
        self.ages
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.is_some_and(|a| a >= min && a <= max))
            .map(|(i, _)| i)
    }

    /// Paths of the birth dates that are missing (neither a birth date nor a
    /// stated age), for members selected by `who`.
    pub fn missing_birth_dates(&self, who: impl Fn(&Member) -> bool) -> Vec<String> {
        self.household
            .members
            .iter()
            .enumerate()
            .filter(|(i, m)| self.births[*i].is_none() && who(m))
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
