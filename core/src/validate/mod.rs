//! Validation of the intake form: every problem at once, each with a field path.
//!
//! Field staff fill a form in a village with the applicant in front of them; a
//! mistake found later costs a second trip (applying already took up to six,
//! domain file, field reality). So validation reports **all** problems of a form
//! in one pass, never stopping at the first, each as a [`Problem`]: a field path
//! such as `members[2].iin`, a [`Severity`] and a [`ProblemKey`] naming a Fluent
//! message (`core/locales/<lang>/validation.ftl`). No problem carries a personal
//! value (names, IINs, dates, amounts).
//!
//! [`validate`] checks a draft:
//!
//! - consent first: personal data (members, address, incomes, notes) with no
//!   consent valid today is an error on `consents`; the store refuses to save it;
//! - each consent: operator and purpose filled, `valid_until` not before the day
//!   it was recorded;
//! - members: IIN form and check digit (errors), birth date and sex against the
//!   IIN (warnings), duplicates, names filled and bounded, birth date not in the
//!   future nor before 1900, care links to other members, exactly one head;
//! - a stated age: at most 125 years, given on a day from 2000 to today, a
//!   warning when a birth date is given too; a child's `mother`: another
//!   member, born before the child (a mother recorded as male: warning);
//!   children elsewhere at most 20; a previous TSA refusal dated 2000 to today;
//! - incomes of members of this household, months from 2000-01 to today's month;
//! - money, livestock, land and vehicle years within the bounds of [`bounds`];
//! - a rent with a tenure other than rent (warning); documents of members;
//! - free text bounded: address, notes, district, settlement.
//!
//! [`validate_for_finalize`] adds what the eligibility pre-checks need, each
//! missing field an error on its path:
//!
//! - at least one member (`members`);
//! - each member's `birth_date` (or an age stated instead) and `sex`;
//! - `activity` for each member aged 16 or over on the evaluation date (with a
//!   stated age: who may be 16 or over);
//! - `housing.tenure`, and `housing.monthly_rent` when the tenure is rent;
//! - a consent valid today with `transfer_to_registry` (`consents`).

pub mod bounds;
mod consent;
mod finalize;
mod finances;
mod iin;
mod members;
mod problems;
pub mod text;

#[cfg(test)]
mod tests;

pub use consent::has_personal_data;
pub use iin::{check_digit, parse_iin, IinError, IinInfo};
pub use members::iin_problem;
pub use problems::{Problem, ProblemKey, Problems, Severity};

use crate::model::Household;
use bounds::{MAX_ADDRESS_CHARS, MAX_NOTES_CHARS, MAX_SHORT_TEXT_CHARS};
use chrono::NaiveDate;
use text::Lines;

/// Every problem of a draft form on `today` (the device's local date).
pub fn validate(h: &Household, today: NaiveDate) -> Problems {
    let mut ps = Problems::new();
    consent::check_consents(h, today, &mut ps);
    text::optional(
        &mut ps,
        "location.district",
        h.location.district.as_deref(),
        MAX_SHORT_TEXT_CHARS,
        Lines::One,
    );
    text::optional(
        &mut ps,
        "location.settlement",
        h.location.settlement.as_deref(),
        MAX_SHORT_TEXT_CHARS,
        Lines::One,
    );
    text::optional(
        &mut ps,
        "address",
        h.address.as_deref(),
        MAX_ADDRESS_CHARS,
        Lines::Many,
    );
    finances::check_housing(h, &mut ps);
    members::check_members(h, today, &mut ps);
    finances::check_incomes(h, today, &mut ps);
    finances::check_expenses(h, &mut ps);
    finances::check_assets(h, today, &mut ps);
    finances::check_documents(h, &mut ps);
    if let Some(refusal) = &h.previous_tsa_refusal {
        members::check_recent_date(&mut ps, "previous_tsa_refusal.date", refusal.date, today);
    }
    text::optional(
        &mut ps,
        "notes",
        h.notes.as_deref(),
        MAX_NOTES_CHARS,
        Lines::Many,
    );
    ps
}

/// Every problem that stops the form from being finalized on `today`: those of
/// [`validate`] plus the fields the pre-checks need (listed in the module doc).
pub fn validate_for_finalize(h: &Household, today: NaiveDate) -> Problems {
    let mut ps = validate(h, today);
    finalize::check_complete(h, today, &mut ps);
    ps
}
