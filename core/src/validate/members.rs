//! Checks of the household's members: identity, birth date, head, care links.
//!
//! The rules count members, take ages on the evaluation date and read who cares
//! for whom, so a duplicated person, a birth date in the future or a care link
//! to nobody would silently change a pre-check's outcome.

use super::bounds::{
    earliest_birth_date, earliest_event_date, MAX_CHILDREN_ELSEWHERE, MAX_NAME_CHARS,
    MAX_STATED_AGE,
};
use super::iin::{parse_iin, IinError};
use super::problems::{ProblemKey, Problems};
use super::text;
use crate::model::{Household, Member, Relation, Sex};
use chrono::NaiveDate;
use std::collections::HashSet;
use uuid::Uuid;

pub(super) fn check_members(h: &Household, today: NaiveDate, ps: &mut Problems) {
    let member_ids: HashSet<Uuid> = h.members.iter().map(|m| m.id).collect();
    let mut seen_ids = HashSet::new();
    let mut seen_iins = HashSet::new();
    for (i, m) in h.members.iter().enumerate() {
        let path = |field: &str| format!("members[{i}].{field}");
        if !seen_ids.insert(m.id) {
            ps.error(path("id"), ProblemKey::DuplicateMember);
        }
        if let Some(iin) = &m.iin {
            check_iin(m, iin, &path("iin"), &mut seen_iins, ps);
        }
        text::required(ps, &path("surname"), &m.surname, MAX_NAME_CHARS);
        text::required(ps, &path("given_name"), &m.given_name, MAX_NAME_CHARS);
        text::optional(
            ps,
            &path("patronymic"),
            m.patronymic.as_deref(),
            MAX_NAME_CHARS,
            text::Lines::One,
        );
        if let Some(birth) = m.birth_date {
            if birth > today {
                ps.error(path("birth_date"), ProblemKey::BirthDateInFuture);
            } else if birth < earliest_birth_date() {
                ps.error(path("birth_date"), ProblemKey::BirthDateTooEarly);
            }
        }
        if let Some(stated) = m.stated_age {
            if m.birth_date.is_some() {
                ps.warning(path("stated_age"), ProblemKey::StatedAgeWithBirthDate);
            }
            if stated.years > MAX_STATED_AGE {
                ps.error(path("stated_age.years"), ProblemKey::StatedAgeOutOfRange);
            }
            check_recent_date(ps, &path("stated_age.on"), stated.on, today);
        }
        if let Some(n) = m.children_elsewhere {
            if n > MAX_CHILDREN_ELSEWHERE {
                ps.error(
                    path("children_elsewhere"),
                    ProblemKey::ChildrenElsewhereOutOfRange,
                );
            }
        }
        if let Some(mother) = m.mother {
            check_mother(h, m, mother, &path("mother"), ps);
        }
        for (j, cared) in m.cares_for.iter().enumerate() {
            let cared_path = format!("members[{i}].cares_for[{j}]");
            if *cared == m.id {
                ps.error(cared_path, ProblemKey::CaresForSelf);
            } else if !member_ids.contains(cared) {
                ps.error(cared_path, ProblemKey::UnknownMember);
            }
        }
    }
    check_heads(h, ps);
}

/// A date of the recent past the form records (the day an age was given, a
/// previous refusal): not after today, not before 2000.
pub(super) fn check_recent_date(ps: &mut Problems, path: &str, date: NaiveDate, today: NaiveDate) {
    if date > today {
        ps.error(path, ProblemKey::DateInFuture);
    } else if date < earliest_event_date() {
        ps.error(path, ProblemKey::DateTooEarly);
    }
}

/// The mother a child names: another member of the household, born before
/// the child; recorded as male is a warning (one of the two fields is wrong).
fn check_mother(h: &Household, child: &Member, mother: Uuid, path: &str, ps: &mut Problems) {
    if mother == child.id {
        ps.error(path, ProblemKey::MotherIsSelf);
        return;
    }
    let Some(m) = h.members.iter().find(|m| m.id == mother) else {
        ps.error(path, ProblemKey::UnknownMember);
        return;
    };
    if let (Some(mother_born), Some(child_born)) = (m.birth_date, child.birth_date) {
        if mother_born >= child_born {
            ps.error(path, ProblemKey::MotherYoungerThanChild);
        }
    }
    if m.sex == Some(Sex::Male) {
        ps.warning(path, ProblemKey::MotherNotFemale);
    }
}

/// Check digit and form errors; a cross-check of the implied birth date and sex
/// (a warning: foreigners' digit-7 rules are unknown); and no two members with
/// the same valid IIN (the second is the error). A duplicate of an invalid IIN
/// is not reported again: its real problem is the typo.
fn check_iin<'a>(
    m: &Member,
    iin: &'a str,
    path: &str,
    seen: &mut HashSet<&'a str>,
    ps: &mut Problems,
) {
    let info = match parse_iin(iin) {
        Ok(info) => info,
        Err(e) => {
            ps.error(path, iin_problem(e));
            return;
        }
    };
    if !seen.insert(iin) {
        ps.error(path, ProblemKey::DuplicateMember);
    }
    if let (Some(implied), Some(given)) = (info.birth_date, m.birth_date) {
        if implied != given {
            ps.warning(path, ProblemKey::IinBirthDateMismatch);
        }
    }
    if let (Some(implied), Some(given)) = (info.sex, m.sex) {
        if implied != given {
            ps.warning(path, ProblemKey::IinSexMismatch);
        }
    }
}

/// The problem key for an IIN that does not parse.
pub fn iin_problem(e: IinError) -> ProblemKey {
    match e {
        IinError::WrongLength(_) => ProblemKey::IinLength,
        IinError::NotDigits => ProblemKey::IinNotDigits,
        IinError::CheckDigit => ProblemKey::IinCheckDigit,
        IinError::NeverIssued => ProblemKey::IinNeverIssued,
    }
}

/// Exactly one head: none is an error on `members`, each one after the first an
/// error on its `relation`.
fn check_heads(h: &Household, ps: &mut Problems) {
    let heads: Vec<usize> = h
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.relation == Relation::Head)
        .map(|(i, _)| i)
        .collect();
    if heads.is_empty() && !h.members.is_empty() {
        ps.error("members", ProblemKey::NoHead);
    }
    for i in heads.iter().skip(1) {
        ps.error(format!("members[{i}].relation"), ProblemKey::ExtraHead);
    }
}
