//! What finalizing needs beyond a clean draft: the fields the eligibility
//! pre-checks read (see the list in the `validate` module doc).
//!
//! A draft may be saved half-filled; a finalized form is immutable and goes to
//! the registry, so a missing field there would turn a pre-check into "missing
//! information" with nobody left to ask.

use super::bounds::ACTIVITY_REQUIRED_FROM_AGE;
use super::problems::{ProblemKey, Problems};
use crate::model::{Household, Tenure};
use chrono::NaiveDate;

pub(super) fn check_complete(h: &Household, today: NaiveDate, ps: &mut Problems) {
    if h.members.is_empty() {
        ps.error("members", ProblemKey::NoMembers);
    }
    for (i, m) in h.members.iter().enumerate() {
        let path = |field: &str| format!("members[{i}].{field}");
        // An age stated instead of a birth date is enough to finalize (an
        // elderly applicant may not know the date); the pre-check then says
        // which limits it cannot decide.
        if m.birth_date.is_none() && m.stated_age.is_none() {
            ps.error(path("birth_date"), ProblemKey::Required);
        }
        if m.sex.is_none() {
            ps.error(path("sex"), ProblemKey::Required);
        }
        // With a stated age, the oldest the person can be decides.
        let oldest = m.age_on(today).or_else(|| {
            m.stated_age
                .and_then(|s| s.birth_window())
                .and_then(|(earliest, _)| crate::model::age_on(earliest, today))
        });
        let adult = oldest.is_some_and(|age| age >= ACTIVITY_REQUIRED_FROM_AGE);
        if adult && m.activity.is_none() {
            ps.error(path("activity"), ProblemKey::Required);
        }
    }
    match h.housing.tenure {
        None => ps.error("housing.tenure", ProblemKey::Required),
        Some(Tenure::Rent) if h.housing.monthly_rent.is_none() => {
            ps.error("housing.monthly_rent", ProblemKey::Required)
        }
        Some(_) => {}
    }
    if !h.has_valid_consent(today) {
        // The draft checks report this already when the form has personal data.
        if !ps.contains("consents", ProblemKey::ConsentRequired) {
            ps.error("consents", ProblemKey::ConsentRequired);
        }
    } else if !h
        .consents
        .iter()
        .any(|c| c.is_valid_on(today) && c.transfer_to_registry)
    {
        ps.error("consents", ProblemKey::ConsentTransferRequired);
    }
}
