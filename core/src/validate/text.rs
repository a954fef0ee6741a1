//! Checks shared by every free-text field: not blank when required, bounded.
//!
//! Lengths are counted in characters, so a Kazakh or Russian name has the same
//! limit as a Latin one.

use super::problems::{ProblemKey, Problems};

/// `text` must have a non-whitespace character and at most `max` characters.
pub(super) fn required(ps: &mut Problems, path: &str, text: &str, max: usize) {
    if text.trim().is_empty() {
        ps.error(path, ProblemKey::TextEmpty);
    } else if text.chars().count() > max {
        ps.error(path, ProblemKey::TextTooLong);
    }
}

/// When present, `text` has at most `max` characters (blank is allowed).
pub(super) fn optional(ps: &mut Problems, path: &str, text: Option<&str>, max: usize) {
    if text.is_some_and(|t| t.chars().count() > max) {
        ps.error(path, ProblemKey::TextTooLong);
    }
}

/// Blank text counts as absent.
pub(super) fn is_filled(text: Option<&str>) -> bool {
    text.is_some_and(|t| !t.trim().is_empty())
}
