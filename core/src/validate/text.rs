//! Checks shared by every free-text field: not blank when required, bounded,
//! and free of control characters.
//!
//! Lengths are counted in characters, so a Kazakh or Russian name has the same
//! limit as a Latin one. Control characters are refused because free text is
//! shown to other people: a name carrying `ESC [2J` clears a supervisor's
//! terminal, a bidirectional override reorders what a reviewer reads. The
//! registry refuses the same characters in its own free text through
//! [`control_character`].

use super::problems::{ProblemKey, Problems};

/// Whether free text may span lines (notes, an address): then `\n`, `\r`
/// and `\t` are allowed; one-line fields (names, labels) allow none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// The first character of `text` that free text may not hold, with its
/// character index (never the text itself: it may be personal data):
/// C0 and C1 controls and DEL (terminal escapes, NUL), and the Unicode
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069). Line breaks and tabs only with [`Lines::Many`].
pub fn control_character(text: &str, lines: Lines) -> Option<usize> {
    text.chars().position(|c| {
        let layout = matches!(c, '\n' | '\r' | '\t') && lines == Lines::Many;
        (c.is_control() && !layout)
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// `text` must have a non-whitespace character and at most `max` characters.
pub fn required(ps: &mut Problems, path: &str, text: &str, max: usize) {
    if text.trim().is_empty() {
        ps.error(path, ProblemKey::TextEmpty);
    } else if text.chars().count() > max {
        ps.error(path, ProblemKey::TextTooLong);
    } else if control_character(text, Lines::One).is_some() {
        ps.error(path, ProblemKey::TextControlCharacters);
    }
}

/// When present, `text` has at most `max` characters (blank is allowed).
pub(super) fn optional(
    ps: &mut Problems,
    path: &str,
    text: Option<&str>,
    max: usize,
    lines: Lines,
) {
    let Some(text) = text else { return };
    if text.chars().count() > max {
        ps.error(path, ProblemKey::TextTooLong);
    } else if control_character(text, lines).is_some() {
        ps.error(path, ProblemKey::TextControlCharacters);
    }
}

/// Blank text counts as absent.
pub(super) fn is_filled(text: Option<&str>) -> bool {
    text.is_some_and(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_nul_and_bidi_overrides_are_found_and_letters_are_not() {
        assert_eq!(control_character("Әлия Нұрланқызы", Lines::One), None);
        assert_eq!(control_character("Ivanov\u{1b}[2J", Lines::One), Some(6));
        assert_eq!(control_character("a\u{0}", Lines::One), Some(1));
        assert_eq!(control_character("\u{9b}31m", Lines::Many), Some(0));
        assert_eq!(control_character("x\u{7f}", Lines::Many), Some(1));
        assert_eq!(control_character("ab\u{202E}cd", Lines::Many), Some(2));
        assert_eq!(control_character("ab\u{2066}", Lines::One), Some(2));
        assert_eq!(control_character("line\nnext\tcol", Lines::Many), None);
        assert_eq!(control_character("line\nnext", Lines::One), Some(4));
    }
}
