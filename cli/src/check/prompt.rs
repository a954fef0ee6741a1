//! Asking one question at a time on a terminal, or from piped answers.
//!
//! Plain lines in, plain lines out: works on any terminal, over SSH, in a
//! screen reader, and with answers piped from a file (`komek check -i <
//! answers.txt`), which is how the tests drive it. Questions go to stderr so
//! that stdout holds only the report (and `--json` stays parseable). A wrong
//! answer is explained and the question asked again; an empty line takes the
//! default shown in brackets; the end of input before the last question is an
//! error, never a guess.

use crate::error::{CliError, FieldProblem};
use crate::money::parse_tenge;
use crate::text::{tr, tr_args};
use komek_core::l10n::Lang;
use komek_core::model::Tiyn;
use std::io::{BufRead, Write};

/// The question-and-answer channel.
pub struct Prompter<R, W> {
    input: R,
    out: W,
    pub lang: Lang,
    /// End the question's line after each answer (when answers are piped and
    /// the terminal does not echo them). The answer itself is not repeated:
    /// ages and incomes are personal data, and stderr may be a log.
    piped: bool,
}

impl<R: BufRead, W: Write> Prompter<R, W> {
    pub fn new(input: R, out: W, lang: Lang, piped: bool) -> Self {
        Prompter {
            input,
            out,
            lang,
            piped,
        }
    }

    /// Writes a line of text (an introduction, a heading).
    pub fn say(&mut self, text: &str) -> Result<(), CliError> {
        writeln!(self.out, "{text}").map_err(write_error)
    }

    /// The next answer line, trimmed; an error at the end of input.
    fn read_answer(&mut self, question_id: &str) -> Result<String, CliError> {
        let mut line = String::new();
        let n = self
            .input
            .read_line(&mut line)
            .map_err(|e| CliError::read("<stdin>", e))?;
        if n == 0 {
            return Err(CliError::InvalidInput {
                heading: tr(self.lang, "answers-ended"),
                problems: vec![FieldProblem {
                    path: question_id.to_string(),
                    message: tr(self.lang, "answers-ended-at"),
                }],
            });
        }
        if self.piped {
            writeln!(self.out).map_err(write_error)?;
        }
        Ok(line.trim().to_string())
    }

    /// Asks `question_id` until `parse` accepts the answer (or the default,
    /// for an empty line). `parse` returns the message id of why it refused.
    pub fn ask<T>(
        &mut self,
        question_id: &str,
        question: &str,
        default: Option<&str>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, CliError> {
        loop {
            // "How many?" needs no colon after it; "Age" does.
            let colon = if question.ends_with(['?', ')']) {
                ""
            } else {
                ":"
            };
            match default {
                Some(d) => write!(self.out, "{question} [{d}]{colon} "),
                None => write!(self.out, "{question}{colon} "),
            }
            .and_then(|()| self.out.flush())
            .map_err(write_error)?;
            let answer = self.read_answer(question_id)?;
            let answer = match (answer.is_empty(), default) {
                (true, Some(d)) => d.to_string(),
                _ => answer,
            };
            match parse(&answer) {
                Ok(v) => return Ok(v),
                Err(why) => self.say(&format!("  ! {why}"))?,
            }
        }
    }

    /// A whole number in `min..=max`.
    pub fn number(
        &mut self,
        question_id: &str,
        min: u32,
        max: u32,
        default: Option<u32>,
    ) -> Result<u32, CliError> {
        let lang = self.lang;
        let question = tr(lang, question_id);
        let default = default.map(|d| d.to_string());
        self.ask(question_id, &question, default.as_deref(), |s| {
            s.parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    tr_args(
                        lang,
                        "answer-number",
                        &[("min", min.into()), ("max", max.into())],
                    )
                })
        })
    }

    /// One of `options` (value, label), by its number in the list. The list is
    /// shown first when `show` is set; `?` shows it again.
    pub fn choice<T: Copy>(
        &mut self,
        question_id: &str,
        options: &[(T, String)],
        default: Option<usize>,
        show: bool,
    ) -> Result<T, CliError> {
        if show {
            self.list(options)?;
        }
        let lang = self.lang;
        let question = tr(lang, question_id);
        let default = default.map(|d| (d + 1).to_string());
        loop {
            let picked = self.ask(question_id, &question, default.as_deref(), |s| {
                if s == "?" {
                    return Ok(None);
                }
                s.parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| options.get(i))
                    .map(|(v, _)| Some(*v))
                    .ok_or_else(|| tr_args(lang, "answer-choice", &[("max", options.len().into())]))
            })?;
            match picked {
                Some(v) => return Ok(v),
                None => self.list(options)?,
            }
        }
    }

    fn list<T>(&mut self, options: &[(T, String)]) -> Result<(), CliError> {
        for (i, (_, label)) in options.iter().enumerate() {
            self.say(&format!("  {:>2}. {label}", i + 1))?;
        }
        Ok(())
    }

    /// Yes or no, in any of the three languages.
    pub fn yes_no(&mut self, question_id: &str, default: bool) -> Result<bool, CliError> {
        let lang = self.lang;
        let question = tr(lang, question_id);
        let default = tr(lang, if default { "answer-yes" } else { "answer-no" });
        self.ask(question_id, &question, Some(&default), |s| {
            parse_yes_no(s).ok_or_else(|| tr(lang, "answer-yes-no"))
        })
    }

    /// An amount of tenge; an empty line is zero when `optional`.
    pub fn amount(&mut self, question_id: &str, optional: bool) -> Result<Tiyn, CliError> {
        let lang = self.lang;
        let question = tr(lang, question_id);
        self.ask(question_id, &question, optional.then_some("0"), |s| {
            parse_tenge(s).ok_or_else(|| tr(lang, "answer-amount"))
        })
    }
}

fn write_error(e: std::io::Error) -> CliError {
    CliError::write("<stderr>", e)
}

/// `yes`/`no` in English, Russian or Kazakh, whole word or first letter.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "y" | "yes" | "д" | "да" | "и" | "иә" | "иа" | "ия" => Some(true),
        "n" | "no" | "н" | "нет" | "ж" | "жоқ" | "жок" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompter(input: &str) -> Prompter<&[u8], Vec<u8>> {
        Prompter::new(input.as_bytes(), Vec::new(), Lang::En, false)
    }

    #[test]
    fn a_wrong_answer_is_explained_and_asked_again() {
        let mut p = prompter("abc\n99\n4\n");
        assert_eq!(p.number("ask-people", 1, 30, None).ok(), Some(4));
        let out = String::from_utf8(p.out).unwrap_or_default();
        assert_eq!(out.matches("! ").count(), 2, "{out}");
        assert!(out.contains("from 1 to 30"), "{out}");
    }

    #[test]
    fn an_empty_line_takes_the_default_and_the_end_of_input_is_an_error() {
        let mut p = prompter("\n");
        assert_eq!(p.yes_no("ask-breadwinner-lost", false).ok(), Some(false));
        let err = p.number("ask-people", 1, 30, None).err();
        assert!(
            matches!(err, Some(CliError::InvalidInput { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn choices_are_picked_by_number_and_yes_no_in_three_languages() {
        let options = [('a', "A".to_string()), ('b', "B".to_string())];
        let mut p = prompter("3\n?\n2\n");
        assert_eq!(p.choice("ask-sex", &options, None, true).ok(), Some('b'));
        let out = String::from_utf8(p.out).unwrap_or_default();
        assert_eq!(
            out.matches("2. B").count(),
            2,
            "listed, then again on ?: {out}"
        );
        for (s, v) in [
            ("Да", true),
            ("жоқ", false),
            ("y", true),
            ("иә", true),
            ("N", false),
        ] {
            assert_eq!(parse_yes_no(s), Some(v), "{s}");
        }
        assert_eq!(parse_yes_no("maybe"), None);
    }

    #[test]
    fn amounts_are_read_exactly() {
        let mut p = prompter("90 000,50\n\n");
        assert_eq!(p.amount("ask-rent", false).ok(), Some(Tiyn(9_000_050)));
        assert_eq!(p.amount("ask-deposits", true).ok(), Some(Tiyn(0)));
    }
}
