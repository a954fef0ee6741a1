//! Reading a household file, with errors that say where and why but not what.
//!
//! A household file is JSON in one of two forms (schema:
//! `examples/household.schema.json`):
//!
//! - **answers** (the applicant's form, the default): the core's
//!   [`SelfCheckInput`]: region, people with ages and situations, monthly
//!   incomes, housing, loans, savings. No names, no IINs: what a person can
//!   answer about their family without documents.
//! - **intake form**: the core's [`Household`] as the field app exports it
//!   (`schema_version`, ids, members with IINs and birth dates, incomes per
//!   month). Recognized by its top-level `schema_version`.
//!
//! A file that cannot be read as either gives the JSON path of the first field
//! that fails (`members[1].age`) and why ("wrong type: found string, expected
//! a whole number"). The offending value is never repeated: it may be an IIN,
//! an age or an income.

use crate::error::FieldProblem;
use crate::text::{tr, tr_args};
use komek_core::l10n::Lang;
use komek_core::model::Household;
use komek_core::rules::SelfCheckInput;
use serde::de::DeserializeOwned;

/// A parsed household file.
#[derive(Debug, Clone)]
pub enum HouseholdFile {
    Answers(SelfCheckInput),
    Form(Box<Household>),
}

/// The path shown for a problem of the file as a whole.
pub const WHOLE_FILE: &str = "(file)";

/// Parses `text` as a household file of either form; problems in `lang`.
pub fn parse(text: &str, lang: Lang) -> Result<HouseholdFile, FieldProblem> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| FieldProblem {
        path: WHOLE_FILE.to_string(),
        // Syntax errors name a position and the token expected, never data.
        message: tr_args(lang, "file-not-json", &[("detail", e.to_string().into())]),
    })?;
    let Some(object) = value.as_object() else {
        return Err(FieldProblem {
            path: WHOLE_FILE.to_string(),
            message: tr(lang, "file-not-object"),
        });
    };
    if object.contains_key("schema_version") {
        typed::<Household>(value, lang).map(|h| HouseholdFile::Form(Box::new(h)))
    } else {
        typed::<SelfCheckInput>(value, lang).map(HouseholdFile::Answers)
    }
}

fn typed<T: DeserializeOwned>(value: serde_json::Value, lang: Lang) -> Result<T, FieldProblem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let (field, message) = describe(&e.inner().to_string(), lang);
        let path = match (path.as_str(), field) {
            (".", Some(f)) => f,
            (".", None) => WHOLE_FILE.to_string(),
            (p, Some(f)) => format!("{p}.{f}"),
            (p, None) => p.to_string(),
        };
        FieldProblem { path, message }
    })
}

/// A serde message, in `lang`, without the value it quotes: `(field it
/// names, text)`. serde's own words are recognized by their fixed openings.
fn describe(msg: &str, lang: Lang) -> (Option<String>, String) {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (Some(field.to_string()), tr(lang, "file-missing"));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        // serde_path_to_error's path already ends with the unknown field, and
        // the list after "expected" holds the schema's field names.
        let allowed = rest
            .split_once("expected ")
            .map_or("", |(_, e)| e.trim_start_matches("one of "));
        return (
            None,
            tr_args(
                lang,
                "file-unknown-field",
                &[("allowed", allowed.to_string().into())],
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        let args = [
            ("found", kind_of(found).text(lang).into()),
            ("expected", expected_type(expected).text(lang).into()),
        ];
        return (None, tr_args(lang, "file-wrong-type", &args));
    }
    for prefix in ["invalid value: ", "invalid length "] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            let expected = rest.split_once(", expected ").map_or("?", |(_, e)| e);
            let args = [("expected", expected_type(expected).text(lang).into())];
            return (None, tr_args(lang, "file-invalid-value", &args));
        }
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let allowed = rest
            .split_once("expected ")
            .map_or("", |(_, e)| e.trim_start_matches("one of "));
        let args = [("allowed", allowed.to_string().into())];
        return (None, tr_args(lang, "file-not-allowed", &args));
    }
    // Custom messages (dates, months, ids) are fixed texts, but may quote the
    // input: drop anything quoted.
    (None, without_quoted(msg))
}

/// A word of an error: a message id, or serde's own text.
enum Word {
    Id(&'static str),
    Raw(String),
}

impl Word {
    fn text(&self, lang: Lang) -> String {
        match self {
            Word::Id(id) => tr(lang, id),
            Word::Raw(s) => s.clone(),
        }
    }
}

/// `string "abc"` → text, ``integer `5` `` → a whole number.
fn kind_of(found: &str) -> Word {
    let end = found.find([' ', '"', '`']).unwrap_or(found.len());
    match &found[..end] {
        "floating" => Word::Id("type-decimal"),
        "integer" => Word::Id("type-integer"),
        "string" => Word::Id("type-text"),
        "map" => Word::Id("type-object"),
        "sequence" => Word::Id("type-list"),
        "boolean" => Word::Id("type-boolean"),
        "null" | "unit" => Word::Id("type-null"),
        other => Word::Raw(other.to_string()),
    }
}

/// Rust type names as a person reads them.
fn expected_type(expected: &str) -> Word {
    match expected {
        "i64" | "i32" => Word::Id("type-integer"),
        "u64" | "u32" | "u16" | "u8" | "usize" => Word::Id("type-unsigned"),
        "a string" => Word::Id("type-text"),
        "a boolean" => Word::Id("type-boolean"),
        "a sequence" => Word::Id("type-list"),
        other => Word::Raw(without_quoted(other)),
    }
}

fn without_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside: Option<char> = None;
    for c in s.chars() {
        match inside {
            Some(close) if c == close => inside = None,
            Some(_) => {}
            None if c == '`' || c == '"' => {
                inside = Some(c);
                out.push('…');
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> FieldProblem {
        match parse(text, Lang::En) {
            Ok(_) => panic!("parsed: {text}"),
            Err(p) => p,
        }
    }

    #[test]
    fn answers_and_forms_are_told_apart() {
        let answers = parse(
            r#"{"region": "aktobe", "members": [{"relation": "head", "age": 40}]}"#,
            Lang::En,
        );
        assert!(matches!(answers, Ok(HouseholdFile::Answers(_))));
        let form = parse(r#"{"schema_version": 1}"#, Lang::En);
        // A form needs its ids: the first missing one is named.
        assert_eq!(form.err().map(|p| p.path), Some("id".to_string()));
    }

    #[test]
    fn a_wrong_type_names_the_path_and_not_the_value() {
        let ru = match parse(
            r#"{"members": [{"relation": "head", "age": "x"}]}"#,
            Lang::Ru,
        ) {
            Ok(_) => String::new(),
            Err(p) => p.message,
        };
        assert_eq!(
            ru,
            "неверный тип (получено: текст; ожидается: целое число, не меньше 0)"
        );
        let p = problem(
            r#"{"region": "aktobe", "members": [{"relation": "head"}, {"relation": "child", "age": "seven"}]}"#,
        );
        assert_eq!(p.path, "members[1].age");
        assert_eq!(
            p.message,
            "wrong type: found text, expected a whole number, 0 or more"
        );
        assert!(!p.message.contains("seven"));
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        let p = problem(r#"{"members": [{"age": 40}]}"#);
        assert_eq!(
            (p.path.as_str(), p.message.as_str()),
            ("members[0].relation", "missing (required)")
        );
        let p = problem(r#"{"members": [{"relation": "head", "iin": "881124300178"}]}"#);
        assert_eq!(p.path, "members[0].iin");
        assert!(
            p.message
                .starts_with("unknown field; allowed here: `relation`"),
            "{}",
            p.message
        );
        assert!(!p.message.contains("881124300178"));
    }

    #[test]
    fn bad_enum_values_dates_and_syntax_are_explained_without_the_value() {
        let p = problem(r#"{"region": "atlantis"}"#);
        assert_eq!(p.path, "region");
        assert!(
            p.message.contains("`aktobe`") && !p.message.contains("atlantis"),
            "{}",
            p.message
        );
        let p = problem(r#"{"members": [{"relation": "head", "birth_date": "1988-13-45"}]}"#);
        assert_eq!(p.path, "members[0].birth_date");
        assert!(!p.message.contains("1988"), "{}", p.message);
        let p = problem("{\"region\": \"aktobe\",\n  }");
        assert_eq!(p.path, WHOLE_FILE);
        assert!(p.message.contains("line 2"), "{}", p.message);
        assert_eq!(problem("[1, 2]").path, WHOLE_FILE);
        let p = problem(r#"{"members": [{"relation": "head", "age": -3}]}"#);
        assert_eq!(p.path, "members[0].age");
        assert!(!p.message.contains('3'), "{}", p.message);
    }
}
