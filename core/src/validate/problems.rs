//! Problems found on a form: where (a field path), how bad, and which message.
//!
//! A problem is shown next to the field it concerns, in Kazakh, Russian or
//! English, so it carries a path and a stable Fluent message id, never text.
//! It never carries the value it complains about either: names, IINs, birth
//! dates and amounts are personal data and must stay out of logs, crash
//! reports and errors (architecture, "Encryption"; domain file, "Personal data").

use serde::{Serialize, Serializer};
use std::fmt;

/// How bad a problem is. Errors block saving (consent) or finalizing; warnings
/// are shown and may be left as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// What is wrong. Each key has one Fluent message in
/// `core/locales/<lang>/validation.ftl`, named by [`ProblemKey::message_id`].
/// The ids are stable: they are stored with problems and looked up on devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKey {
    /// The IIN does not have 12 characters.
    IinLength,
    /// The IIN has a character other than 0-9.
    IinNotDigits,
    /// The check digit does not match (a mistyped digit).
    IinCheckDigit,
    /// No check digit exists for the first 11 digits: no such IIN is ever
    /// issued, so this is not one mistyped digit of a real number.
    IinNeverIssued,
    /// Birth date on the form differs from the one digits 1-7 imply.
    IinBirthDateMismatch,
    /// Sex on the form differs from the one digit 7 implies.
    IinSexMismatch,
    /// The same IIN (or record id) as an earlier member.
    DuplicateMember,
    BirthDateInFuture,
    /// Before 1900-01-01.
    BirthDateTooEarly,
    /// A required text is empty or only whitespace.
    TextEmpty,
    TextTooLong,
    /// A control character (a terminal escape, a NUL, a bidirectional
    /// override) in free text: refused, it could rewrite a supervisor's screen.
    TextControlCharacters,
    /// Members but none of them is the head.
    NoHead,
    /// A second (third, ...) member marked head.
    ExtraHead,
    /// Personal data on the form but no consent valid today.
    ConsentRequired,
    /// Negative, or above the documented bound.
    AmountOutOfRange,
    /// An id that names no member of this household.
    UnknownMember,
    CaresForSelf,
    MonthInFuture,
    /// Before 2000-01.
    MonthTooEarly,
    LivestockHeadOutOfRange,
    LandAreaOutOfRange,
    VehicleYearOutOfRange,
    ConsentExpiresBeforeRecorded,
    /// A monthly rent is given but the tenure is not rent.
    RentWithoutRentTenure,
    /// Finalizing a form without members.
    NoMembers,
    /// A field the pre-checks need is empty (finalize only).
    Required,
    /// No consent valid today allows transfer to the registry (finalize only).
    ConsentTransferRequired,
    /// A stated age over [`super::bounds::MAX_STATED_AGE`] years.
    StatedAgeOutOfRange,
    /// Both a birth date and a stated age: the stated age is not used.
    StatedAgeWithBirthDate,
    /// A date (the day an age was given, a previous refusal) after today.
    DateInFuture,
    /// A date before 2000-01-01.
    DateTooEarly,
    /// A member named as their own mother.
    MotherIsSelf,
    /// The mother is recorded as born after the child.
    MotherYoungerThanChild,
    /// The member named as mother is recorded as male (a warning).
    MotherNotFemale,
    /// More children elsewhere than [`super::bounds::MAX_CHILDREN_ELSEWHERE`].
    ChildrenElsewhereOutOfRange,
}

impl ProblemKey {
    /// Every key, for tests and for the l10n completeness check.
    pub const ALL: [ProblemKey; 36] = [
        ProblemKey::IinLength,
        ProblemKey::IinNotDigits,
        ProblemKey::IinCheckDigit,
        ProblemKey::IinNeverIssued,
        ProblemKey::IinBirthDateMismatch,
        ProblemKey::IinSexMismatch,
        ProblemKey::DuplicateMember,
        ProblemKey::BirthDateInFuture,
        ProblemKey::BirthDateTooEarly,
        ProblemKey::TextEmpty,
        ProblemKey::TextTooLong,
        ProblemKey::TextControlCharacters,
        ProblemKey::NoHead,
        ProblemKey::ExtraHead,
        ProblemKey::ConsentRequired,
        ProblemKey::AmountOutOfRange,
        ProblemKey::UnknownMember,
        ProblemKey::CaresForSelf,
        ProblemKey::MonthInFuture,
        ProblemKey::MonthTooEarly,
        ProblemKey::LivestockHeadOutOfRange,
        ProblemKey::LandAreaOutOfRange,
        ProblemKey::VehicleYearOutOfRange,
        ProblemKey::ConsentExpiresBeforeRecorded,
        ProblemKey::RentWithoutRentTenure,
        ProblemKey::NoMembers,
        ProblemKey::Required,
        ProblemKey::ConsentTransferRequired,
        ProblemKey::StatedAgeOutOfRange,
        ProblemKey::StatedAgeWithBirthDate,
        ProblemKey::DateInFuture,
        ProblemKey::DateTooEarly,
        ProblemKey::MotherIsSelf,
        ProblemKey::MotherYoungerThanChild,
        ProblemKey::MotherNotFemale,
        ProblemKey::ChildrenElsewhereOutOfRange,
    ];

    /// The Fluent message id. Stable: never rename one without a migration.
    pub fn message_id(&self) -> &'static str {
        match self {
            ProblemKey::IinLength => "problem-iin-length",
            ProblemKey::IinNotDigits => "problem-iin-not-digits",
            ProblemKey::IinCheckDigit => "problem-iin-check-digit",
            ProblemKey::IinNeverIssued => "problem-iin-never-issued",
            ProblemKey::IinBirthDateMismatch => "problem-iin-birth-date-mismatch",
            ProblemKey::IinSexMismatch => "problem-iin-sex-mismatch",
            ProblemKey::DuplicateMember => "problem-duplicate-member",
            ProblemKey::BirthDateInFuture => "problem-birth-date-in-future",
            ProblemKey::BirthDateTooEarly => "problem-birth-date-too-early",
            ProblemKey::TextEmpty => "problem-text-empty",
            ProblemKey::TextTooLong => "problem-text-too-long",
            ProblemKey::TextControlCharacters => "problem-text-control-characters",
            ProblemKey::NoHead => "problem-no-head",
            ProblemKey::ExtraHead => "problem-extra-head",
            ProblemKey::ConsentRequired => "problem-consent-required",
            ProblemKey::AmountOutOfRange => "problem-amount-out-of-range",
            ProblemKey::UnknownMember => "problem-unknown-member",
            ProblemKey::CaresForSelf => "problem-cares-for-self",
            ProblemKey::MonthInFuture => "problem-month-in-future",
            ProblemKey::MonthTooEarly => "problem-month-too-early",
            ProblemKey::LivestockHeadOutOfRange => "problem-livestock-head-out-of-range",
            ProblemKey::LandAreaOutOfRange => "problem-land-area-out-of-range",
            ProblemKey::VehicleYearOutOfRange => "problem-vehicle-year-out-of-range",
            ProblemKey::ConsentExpiresBeforeRecorded => "problem-consent-expires-before-recorded",
            ProblemKey::RentWithoutRentTenure => "problem-rent-without-rent-tenure",
            ProblemKey::NoMembers => "problem-no-members",
            ProblemKey::Required => "problem-required",
            ProblemKey::ConsentTransferRequired => "problem-consent-transfer-required",
            ProblemKey::StatedAgeOutOfRange => "problem-stated-age-out-of-range",
            ProblemKey::StatedAgeWithBirthDate => "problem-stated-age-with-birth-date",
            ProblemKey::DateInFuture => "problem-date-in-future",
            ProblemKey::DateTooEarly => "problem-date-too-early",
            ProblemKey::MotherIsSelf => "problem-mother-is-self",
            ProblemKey::MotherYoungerThanChild => "problem-mother-younger-than-child",
            ProblemKey::MotherNotFemale => "problem-mother-not-female",
            ProblemKey::ChildrenElsewhereOutOfRange => "problem-children-elsewhere-out-of-range",
        }
    }

    /// The key whose message id is `id`.
    pub fn from_message_id(id: &str) -> Option<ProblemKey> {
        ProblemKey::ALL.into_iter().find(|k| k.message_id() == id)
    }
}

impl fmt::Display for ProblemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message_id())
    }
}

impl Serialize for ProblemKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.message_id())
    }
}

/// One problem: the field path (`members[2].iin`), its severity and its key.
/// Paths hold field names and list indices only, never values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub severity: Severity,
    pub key: ProblemKey,
}

impl Problem {
    pub fn error(path: impl Into<String>, key: ProblemKey) -> Problem {
        Problem {
            path: path.into(),
            severity: Severity::Error,
            key,
        }
    }

    pub fn warning(path: impl Into<String>, key: ProblemKey) -> Problem {
        Problem {
            path: path.into(),
            severity: Severity::Warning,
            key,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `error members[2].iin: problem-iin-check-digit`
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity} {}: {}", self.path, self.key)
    }
}

/// All problems of a form, in the order the checks found them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn new() -> Problems {
        Problems(Vec::new())
    }

    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn error(&mut self, path: impl Into<String>, key: ProblemKey) {
        self.push(Problem::error(path, key));
    }

    pub fn warning(&mut self, path: impl Into<String>, key: ProblemKey) {
        self.push(Problem::warning(path, key));
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| !p.is_error())
    }

    /// The problems whose path is `path` exactly (what a form field shows).
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Problem> {
        self.0.iter().filter(move |p| p.path == path)
    }

    pub fn contains(&self, path: &str, key: ProblemKey) -> bool {
        self.at(path).any(|p| p.key == key)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn as_slice(&self) -> &[Problem] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Extend<Problem> for Problems {
    fn extend<T: IntoIterator<Item = Problem>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn message_ids_are_unique_fluent_identifiers_and_round_trip() {
        let ids: BTreeSet<&str> = ProblemKey::ALL.iter().map(|k| k.message_id()).collect();
        assert_eq!(ids.len(), ProblemKey::ALL.len());
        for key in ProblemKey::ALL {
            let id = key.message_id();
            assert!(id.starts_with("problem-"), "{id}");
            assert!(
                id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{id}"
            );
            assert_eq!(ProblemKey::from_message_id(id), Some(key));
        }
        assert_eq!(ProblemKey::from_message_id("problem-nonexistent"), None);
    }

    #[test]
    fn a_problem_serializes_its_key_as_the_message_id() {
        let p = Problem::error("members[2].iin", ProblemKey::IinCheckDigit);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({
                "path": "members[2].iin",
                "severity": "error",
                "key": "problem-iin-check-digit"
            })
        );
        assert_eq!(
            p.to_string(),
            "error members[2].iin: problem-iin-check-digit"
        );
    }

    #[test]
    fn problems_split_into_errors_and_warnings() {
        let mut ps = Problems::new();
        assert!(ps.is_empty() && !ps.has_errors());
        ps.warning("housing.monthly_rent", ProblemKey::RentWithoutRentTenure);
        assert!(!ps.has_errors());
        ps.error("consents", ProblemKey::ConsentRequired);
        assert!(ps.has_errors());
        assert_eq!(ps.len(), 2);
        let errors: Vec<&str> = ps.errors().map(|p| p.path.as_str()).collect();
        let warnings: Vec<&str> = ps.warnings().map(|p| p.path.as_str()).collect();
        assert_eq!(errors, ["consents"]);
        assert_eq!(warnings, ["housing.monthly_rent"]);
        assert_eq!((&ps).into_iter().count(), 2);
        assert!(ps.contains("consents", ProblemKey::ConsentRequired));
        assert!(!ps.contains("consents", ProblemKey::NoHead));
    }
}
