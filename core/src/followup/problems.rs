//! What can be wrong with a follow-up record, as typed values naming the field.
//!
//! A plan, referral, visit or exit record is checked as a whole and every
//! problem is reported at once (a second trip to the village is what a late
//! error costs). A problem names a field path (`measures[2].due`) and why it
//! is wrong; it never carries the value (names, notes, dates are personal
//! data and stay out of errors and logs, domain file, "Personal data").

use std::fmt;
use thiserror::Error;

/// Why a field is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Why {
    /// A required text is blank.
    Empty,
    /// A text is longer than its bound.
    TooLong,
    /// A control character or bidirectional override in free text.
    ControlCharacters,
    /// An id names no member of the household.
    UnknownMember,
    /// An id appears twice where it must be unique.
    Duplicate,
    /// A date lies before the date it must follow (a due date before the
    /// plan starts, a step before the referral was opened).
    BeforeStart,
    /// A date lies too far in the future (more than [`super::MAX_YEARS_AHEAD`]
    /// years) or a recorded event lies after today.
    InFuture,
    /// A list that must not be empty is empty.
    Missing,
    /// A list is longer than its bound.
    TooMany,
    /// The record belongs to another household than the one named.
    WrongHousehold,
}

impl Why {
    pub const ALL: [Why; 10] = [
        Why::Empty,
        Why::TooLong,
        Why::ControlCharacters,
        Why::UnknownMember,
        Why::Duplicate,
        Why::BeforeStart,
        Why::InFuture,
        Why::Missing,
        Why::TooMany,
        Why::WrongHousehold,
    ];

    /// Stable snake-case code (for the bindings and l10n).
    pub fn code(self) -> &'static str {
        match self {
            Why::Empty => "empty",
            Why::TooLong => "too_long",
            Why::ControlCharacters => "control_characters",
            Why::UnknownMember => "unknown_member",
            Why::Duplicate => "duplicate",
            Why::BeforeStart => "before_start",
            Why::InFuture => "in_future",
            Why::Missing => "missing",
            Why::TooMany => "too_many",
            Why::WrongHousehold => "wrong_household",
        }
    }
}

/// One problem: a field path (field names and list indices only) and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldProblem {
    pub field: String,
    pub why: Why,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.why.code())
    }
}

/// Every problem of one record; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} problem(s): {}", .0.len(), list(.0))]
pub struct Invalid(pub Vec<FieldProblem>);

fn list(ps: &[FieldProblem]) -> String {
    ps.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Invalid {
    /// Whether `field` has the problem `why`.
    pub fn has(&self, field: &str, why: Why) -> bool {
        self.0.iter().any(|p| p.field == field && p.why == why)
    }
}

/// Collects problems while a record is checked.
#[derive(Debug, Default)]
pub(crate) struct Checker(Vec<FieldProblem>);

impl Checker {
    pub(crate) fn push(&mut self, field: impl Into<String>, why: Why) {
        self.0.push(FieldProblem {
            field: field.into(),
            why,
        });
    }

    /// A required one-line text: not blank, at most `max` characters, no
    /// control characters.
    pub(crate) fn required(&mut self, field: &str, text: &str, max: usize) {
        if text.trim().is_empty() {
            self.push(field, Why::Empty);
        } else {
            self.optional(field, Some(text), max, false);
        }
    }

    /// An optional text; `many_lines` allows line breaks and tabs.
    pub(crate) fn optional(&mut self, field: &str, text: Option<&str>, max: usize, many: bool) {
        use crate::validate::text::{control_character, Lines};
        let Some(text) = text else { return };
        let lines = if many { Lines::Many } else { Lines::One };
        if text.chars().count() > max {
            self.push(field, Why::TooLong);
        } else if control_character(text, lines).is_some() {
            self.push(field, Why::ControlCharacters);
        }
    }

    pub(crate) fn bounded<T>(&mut self, field: &str, list: &[T], max: usize) {
        if list.len() > max {
            self.push(field, Why::TooMany);
        }
    }

    pub(crate) fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_fields_and_reasons_but_no_value() {
        let mut c = Checker::default();
        c.required("measures[0].note", "   ", 10);
        c.required("obligations[1].text", "Айгүл\u{1b}[2J", 100);
        c.optional("note", Some("a very long note"), 4, true);
        let e = c.finish().unwrap_err();
        assert!(e.has("measures[0].note", Why::Empty));
        assert!(e.has("obligations[1].text", Why::ControlCharacters));
        assert!(e.has("note", Why::TooLong));
        let text = e.to_string();
        assert_eq!(
            text,
            "3 problem(s): measures[0].note: empty, obligations[1].text: control_characters, note: too_long"
        );
        assert!(!text.contains("Айгүл"));
        assert!(Checker::default().finish().is_ok());
    }
}
