//! What the form must be able to say for the law to count the family right:
//! an age given instead of a birth date (and when it was given), a member
//! temporarily away (abroad, in military service, in prison, in state care),
//! and a previous refusal or termination of targeted social assistance (the
//! 6-month bar). Each is optional: a form that does not know says nothing, and
//! the pre-check then asks or marks its answer as uncertain.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// An age in whole years, as a person said it on a date, when the birth date is
/// not known. The birth date then lies in a one-year window; a limit that falls
/// inside that window (18 months, age 1-6, 18, retirement) cannot be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatedAge {
    pub years: u32,
    /// The day the age was given.
    pub on: NaiveDate,
}

impl StatedAge {
    /// The earliest and latest birth dates consistent with the stated age:
    /// `(on − (years + 1) years + 1 day, on − years years)`. `None` when the
    /// dates leave the calendar.
    pub fn birth_window(self) -> Option<(NaiveDate, NaiveDate)> {
        let years = i32::try_from(self.years).ok()?;
        let latest = years_before(self.on, years)?;
        let earliest = years_before(self.on, years.checked_add(1)?)?.succ_opt()?;
        Some((earliest, latest))
    }
}

/// `date` shifted back `years` years; 29 February becomes 28 February.
fn years_before(date: NaiveDate, years: i32) -> Option<NaiveDate> {
    let year = date.year().checked_sub(years)?;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
}

/// Why a member does not live with the family at the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Absence {
    /// Working or living abroad for now.
    Abroad,
    /// Conscript military service.
    MilitaryService,
    /// Serving a sentence.
    Prison,
    /// Kept fully by the state (boarding school, children's home, care home).
    StateCare,
}

impl Absence {
    pub const ALL: [Absence; 4] = [
        Absence::Abroad,
        Absence::MilitaryService,
        Absence::Prison,
        Absence::StateCare,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Absence::Abroad => "abroad",
            Absence::MilitaryService => "military_service",
            Absence::Prison => "prison",
            Absence::StateCare => "state_care",
        }
    }
}

/// Why targeted social assistance was refused or stopped before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// An able-bodied member refused the employment measures offered.
    RefusedEmploymentMeasures,
    /// The social contract was broken; payments stopped.
    BrokenSocialContract,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 2] = [
        RefusalReason::RefusedEmploymentMeasures,
        RefusalReason::BrokenSocialContract,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefusalReason::RefusedEmploymentMeasures => "refused_employment_measures",
            RefusalReason::BrokenSocialContract => "broken_social_contract",
        }
    }
}

/// A previous refusal or termination of TSA: the bar runs from `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TsaRefusal {
    pub date: NaiveDate,
    pub reason: RefusalReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_stated_age_is_a_one_year_window_of_birth_dates() {
        // "1 year old" on 4 Dec 2026: born 5 Dec 2024 .. 4 Dec 2025.
        let a = StatedAge {
            years: 1,
            on: d(2026, 12, 4),
        };
        assert_eq!(a.birth_window(), Some((d(2024, 12, 5), d(2025, 12, 4))));
        // On 29 February the window ends on 28 February of the earlier year.
        let leap = StatedAge {
            years: 2,
            on: d(2028, 2, 29),
        };
        assert_eq!(leap.birth_window(), Some((d(2025, 3, 1), d(2026, 2, 28))));
    }
}
