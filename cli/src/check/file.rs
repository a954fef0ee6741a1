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
//! a whole number"), in the user's language, with what to write instead. The
//! offending value is never repeated: it may be an IIN, an age or an income.
//!
//! Strict: a field the schema does not know (`incomez`), a field given twice
//! and an unknown `schema_version` are errors, never silently dropped (the
//! typed parse reads the text itself, so a repeated key is seen). A UTF-8
//! byte-order mark, which Windows editors write, is skipped.

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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Which form, from the top-level keys alone (values are skipped unread);
    // the typed parse then reads the text itself, with every field's path.
    let kind = serde_json::from_str::<Kind>(text).map_err(|e| FieldProblem {
        path: WHOLE_FILE.to_string(),
        message: if e.is_data() {
            tr(lang, "file-not-object")
        } else {
            syntax(&e, lang)
        },
    })?;
    if kind.form {
        typed::<Household>(text, lang).map(|h| HouseholdFile::Form(Box::new(h)))
    } else {
        typed::<SelfCheckInput>(text, lang).map(HouseholdFile::Answers)
    }
}

/// Whether a file's top-level object has a `schema_version` (an intake form).
struct Kind {
    form: bool,
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = Kind;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("one JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
                let mut form = false;
                while let Some(key) = map.next_key::<String>()? {
                    form |= key == "schema_version";
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(Kind { form })
            }
        }
        d.deserialize_map(Keys)
    }
}

/// A JSON syntax error in `lang`: where, and what to look at there (serde's
/// own words are English and may quote the text).
fn syntax(e: &serde_json::Error, lang: Lang) -> String {
    let at = [("line", e.line().into()), ("column", e.column().into())];
    let id = if e.is_eof() {
        "file-json-ended"
    } else if e.to_string().starts_with("number out of range") {
        "file-number-too-large-at"
    } else {
        "file-not-json-at"
    };
    tr_args(lang, id, &at)
}

fn typed<T: DeserializeOwned>(text: &str, lang: Lang) -> Result<T, FieldProblem> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() {
            // `1e400` is a syntax error to serde_json, but it has a field.
            let huge = inner.to_string().starts_with("number out of range");
            return match path.as_str() {
                p if huge && p != "." => FieldProblem {
                    path: p.to_string(),
                    message: too_large(None, lang),
                },
                _ => FieldProblem {
                    path: WHOLE_FILE.to_string(),
                    message: syntax(inner, lang),
                },
            };
        }
        let message = without_position(&inner.to_string());
        let (field, message) = describe(&message, &path, lang);
        let path = match (path.as_str(), field) {
            (".", Some(f)) => f,
            (".", None) => WHOLE_FILE.to_string(),
            (p, Some(f)) => format!("{p}.{f}"),
            (p, None) => p.to_string(),
        };
        FieldProblem { path, message }
    })
}

/// serde_json's message without its " at line L column C" ending.
fn without_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A serde message about the field at `path`, in `lang`, without the value
/// it quotes: `(field it names, text)`. serde's, chrono's and the model's
/// own words are recognized by their fixed openings.
fn describe(msg: &str, path: &str, lang: Lang) -> (Option<String>, String) {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (Some(field.to_string()), tr(lang, "file-missing"));
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (Some(field.to_string()), tr(lang, "file-duplicate"));
    }
    if let Some(rest) = msg.strip_prefix("unsupported schema version (this build reads 1 to ") {
        let max = rest.trim_end_matches(')').to_string();
        return (
            None,
            tr_args(lang, "file-schema-version", &[("max", max.into())]),
        );
    }
    if let Some(message) = number(msg, lang) {
        return (None, message);
    }
    if let Some(message) = calendar(msg, path, lang) {
        return (None, message);
    }
    if msg.starts_with("UUID parsing failed") {
        return (None, tr(lang, "file-bad-id"));
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
    // Anything else is a fixed text of a library, but may quote the input:
    // drop anything quoted, and say it is the library's own words.
    (
        None,
        tr_args(
            lang,
            "file-invalid-detail",
            &[("detail", without_quoted(msg).into())],
        ),
    )
}

/// The largest value of the integer type serde names (`u32`), if it is one.
fn integer_max(expected: &str) -> Option<u64> {
    Some(match expected {
        "u8" => u64::from(u8::MAX),
        "u16" => u64::from(u16::MAX),
        "u32" => u64::from(u32::MAX),
        "u64" | "usize" => u64::MAX,
        "i32" => i32::MAX as u64,
        "i64" => i64::MAX as u64,
        _ => return None,
    })
}

/// Numbers JSON can write but a field cannot hold: `-0`, `1e400`, an integer
/// beyond 64 bits (read as a decimal), a negative count, one too large.
fn number(msg: &str, lang: Lang) -> Option<String> {
    let rest = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.split_once(", expected ")?;
    let max = integer_max(expected);
    let quoted = found.split('`').nth(1)?;
    if let Some(value) = found
        .strip_prefix("floating point `")
        .and(quoted.parse::<f64>().ok())
    {
        if value == 0.0 && value.is_sign_negative() {
            return Some(tr(lang, "file-negative-zero"));
        }
        if value.fract() == 0.0 && max.is_some_and(|m| value.abs() > m as f64) {
            return Some(too_large(max, lang));
        }
        return None;
    }
    if found.starts_with("integer `") {
        if quoted.starts_with('-') && expected.starts_with('u') {
            return Some(tr(lang, "file-negative"));
        }
        if max.is_some() {
            return Some(too_large(max, lang));
        }
    }
    None
}

fn too_large(max: Option<u64>, lang: Lang) -> String {
    match max {
        Some(max) => tr_args(
            lang,
            "file-number-too-large",
            &[("max", max.to_string().into())],
        ),
        None => tr(lang, "file-number-huge"),
    }
}

/// chrono's and the model's words about dates, instants and months.
fn calendar(msg: &str, path: &str, lang: Lang) -> Option<String> {
    const CHRONO: [&str; 7] = [
        "input is out of range",
        "no possible date and time matching input",
        "input is not enough for unique date and time",
        "premature end of input",
        "input contains invalid characters",
        "trailing input",
        "bad or unsupported format string",
    ];
    const MONTHS: [&str; 4] = [
        "expected YYYY-MM",
        "bad year",
        "bad month",
        "month must be 01..12",
    ];
    let field = path.rsplit('.').next().unwrap_or(path);
    if CHRONO.contains(&msg) {
        let id = if field.ends_with("_at") {
            "file-bad-instant"
        } else {
            "file-bad-date"
        };
        return Some(tr(lang, id));
    }
    MONTHS.contains(&msg).then(|| tr(lang, "file-bad-month"))
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
        "a formatted date string" => Word::Id("type-date"),
        "a formatted date and time string or a unix timestamp"
        | "a formatted date and time string" => Word::Id("type-instant"),
        "a UUID string" => Word::Id("type-id"),
        "i128" | "u128" => Word::Id("type-integer"),
        other if other.starts_with("struct ") || other.starts_with("a map") => {
            Word::Id("type-object")
        }
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
