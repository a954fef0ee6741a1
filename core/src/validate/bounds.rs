//! The limits a form's values must stay within, in one place.
//!
//! These are not legal thresholds (those live in rule packs): they catch typing
//! slips (an extra zero, a year typed as 1099) and keep sums far from integer
//! overflow, so each bound is generous, at least ten times anything a household
//! applying for social assistance plausibly reports. A value beyond a bound is an
//! error the field worker corrects on the spot. Money is in tiyn (1 tenge = 100 tiyn).

use crate::model::{Tiyn, YearMonth};
use chrono::NaiveDate;

/// One income of one member in one month: 100,000,000 tenge, over a thousand
/// times the 2026 minimum wage of 85,000 tenge (domain file, global parameters).
pub const MAX_MONTHLY_INCOME: Tiyn = Tiyn::from_tenge(100_000_000);
/// One monthly expense category: 10,000,000 tenge (about 200 subsistence
/// minimums of 50,851 tenge in 2026).
pub const MAX_MONTHLY_EXPENSE: Tiyn = Tiyn::from_tenge(10_000_000);
/// Monthly rent: 10,000,000 tenge, as for an expense.
pub const MAX_MONTHLY_RENT: Tiyn = Tiyn::from_tenge(10_000_000);
/// One deposit: 1,000,000,000 tenge (the 2025 asset screen looks at 200 MRP,
/// under 1,000,000 tenge, so anything near this bound is a typing slip).
pub const MAX_DEPOSIT: Tiyn = Tiyn::from_tenge(1_000_000_000);
/// What is still owed on one loan: 1,000,000,000 tenge.
pub const MAX_LOAN_OUTSTANDING: Tiyn = Tiyn::from_tenge(1_000_000_000);
/// The monthly payment of one loan: 100,000,000 tenge, as for an income.
pub const MAX_LOAN_MONTHLY_PAYMENT: Tiyn = Tiyn::from_tenge(100_000_000);

/// Head of one species: 100,000 (a household's herd, not a state farm).
pub const MAX_LIVESTOCK_HEAD: u32 = 100_000;
/// One plot: 1,000,000 hectares in square metres (large pasture leases in
/// Kazakhstan reach tens of thousands of hectares).
pub const MAX_LAND_AREA_M2: u64 = 1_000_000 * 10_000;
/// Earliest year a vehicle may be made; the latest is next year (model years).
pub const EARLIEST_VEHICLE_YEAR: i32 = 1900;

/// Surname, given name, patronymic: characters, not bytes (Cyrillic is two
/// bytes a letter in UTF-8).
pub const MAX_NAME_CHARS: usize = 100;
/// District, settlement, consent operator, a consent's data category.
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
/// The address and a consent's purpose.
pub const MAX_ADDRESS_CHARS: usize = 500;
pub const MAX_PURPOSE_CHARS: usize = 500;
/// The form's free-text notes.
pub const MAX_NOTES_CHARS: usize = 4_000;

/// Birth dates before this are absurd for a living applicant.
pub fn earliest_birth_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The oldest age a person may state (a birth date would be before 1900
/// otherwise, give or take).
pub const MAX_STATED_AGE: u32 = 125;

/// Children of one mother living elsewhere: more is a typo.
pub const MAX_CHILDREN_ELSEWHERE: u32 = 20;

/// Dates the form records about the recent past (the day an age was given,
/// a previous refusal of TSA, introduced in 2002) are not before 2000.
pub fn earliest_event_date() -> NaiveDate {
    earliest_income_day()
}

/// Incomes before January 2000 are absurd for a pre-check (TSA looks at the
/// previous quarter).
pub fn earliest_income_month() -> YearMonth {
    YearMonth::of(earliest_income_day())
}

fn earliest_income_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Activity (working, studying, caring...) is asked from this age on, as of the
/// evaluation date.
pub const ACTIVITY_REQUIRED_FROM_AGE: u32 = 16;
