//! Reads a rule pack or an overlay: TOML text into typed structs, in two steps.
//!
//! Why two steps: deserializing the pack's many structs straight from TOML
//! made the `toml` crate generate its deserializers once per struct and per
//! TOML value kind, about 350 KB of the mobile library (`docs/bindings.md`,
//! "Size"). Here TOML is parsed once into a plain table, the table becomes a
//! JSON value, and the structs are read from that with `serde_json`, which the
//! library links anyway (forms are JSON). The text, its signature and its
//! grammar stay TOML; only the way the core reads it changes.
//!
//! TOML syntax errors (and duplicate keys) keep their line and column. A
//! structural error (an unknown field, a wrong type) names the field or the
//! type; with the `authoring` feature (the CLI and the registry, where people
//! write packs) the text is read again the direct way to add the line.

use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

/// A TOML datetime becomes this one-key object, so a date field can tell a
/// real TOML date (`2026-01-01`) from a quoted string.
pub(crate) const DATE_KEY: &str = "$toml-date";

/// Parses `text` as TOML and reads a `T` from it. The error is a message for
/// the pack's author; it holds no personal data (packs hold none).
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let value = table_to_json(table)?;
    serde_json::from_value(value).map_err(|e| structural_error::<T>(text, e))
}

#[cfg(feature = "authoring")]
fn structural_error<T: DeserializeOwned>(text: &str, e: serde_json::Error) -> String {
    // Read the text the direct way to report where the problem is.
    match toml::from_str::<T>(text) {
        Err(located) => located.to_string(),
        Ok(_) => e.to_string(),
    }
}

#[cfg(not(feature = "authoring"))]
fn structural_error<T>(_text: &str, e: serde_json::Error) -> String {
    e.to_string()
}

fn table_to_json(table: toml::Table) -> Result<Value, String> {
    let mut map = Map::with_capacity(table.len());
    for (key, value) in table {
        map.insert(key, to_json(value)?);
    }
    Ok(Value::Object(map))
}

fn to_json(value: toml::Value) -> Result<Value, String> {
    Ok(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(Number::from(i)),
        toml::Value::Float(f) => Value::Number(
            Number::from_f64(f).ok_or_else(|| "a number is not finite (nan or inf)".to_string())?,
        ),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => {
            let mut map = Map::with_capacity(1);
            map.insert(DATE_KEY.to_string(), Value::String(d.to_string()));
            Value::Object(map)
        }
        toml::Value::Array(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        toml::Value::Table(table) => table_to_json(table)?,
    })
}

/// A TOML local date as it arrives here (see [`DATE_KEY`]).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlDate {
    // The alias is how the `toml` crate itself hands a datetime to serde, for
    // the direct reading of the `authoring` feature.
    #[serde(rename = "$toml-date", alias = "$__toml_private_datetime")]
    text: String,
}

/// Reads a TOML local date (`2026-01-01`, no time, no offset): the only date
/// form packs and overlays use.
pub(crate) fn de_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<chrono::NaiveDate, D::Error> {
    use serde::Deserialize;
    let date = TomlDate::deserialize(d)?;
    parse_local_date(&date.text).map_err(serde::de::Error::custom)
}

/// Like [`de_date`], for a field that may be absent.
pub(crate) fn de_opt_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    use serde::Deserialize;
    match Option::<TomlDate>::deserialize(d)? {
        Some(date) => parse_local_date(&date.text)
            .map(Some)
            .map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

fn parse_local_date(text: &str) -> Result<chrono::NaiveDate, &'static str> {
    // A local date prints as exactly YYYY-MM-DD; anything longer has a time
    // or an offset.
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err("expected a date like 2026-01-01, without a time");
    }
    let num = |range: std::ops::Range<usize>| -> u32 {
        bytes[range]
            .iter()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(num(0..4)).map_err(|_| "not a calendar date")?;
    chrono::NaiveDate::from_ymd_opt(year, num(5..7), num(8..10)).ok_or("not a calendar date")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: String,
        count: u32,
        share: f64,
        #[serde(deserialize_with = "de_date")]
        from: NaiveDate,
        #[serde(default, deserialize_with = "de_opt_date")]
        until: Option<NaiveDate>,
        items: Vec<Item>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        code: String,
    }

    const DOC: &str = "name = \"x\"\ncount = 3\nshare = 0.5\nfrom = 2026-01-31\n\
                       [[items]]\ncode = \"a\"\n[[items]]\ncode = \"b\"\n";

    #[test]
    fn reads_scalars_dates_and_arrays_of_tables() {
        let doc: Doc = from_str(DOC).unwrap();
        assert_eq!(doc.name, "x");
        assert_eq!(doc.count, 3);
        assert_eq!(doc.share, 0.5);
        assert_eq!(doc.from, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
        assert_eq!(doc.until, None);
        let codes: Vec<_> = doc.items.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["a", "b"]);
    }

    #[test]
    fn a_date_must_be_a_toml_local_date() {
        let quoted = DOC.replace("from = 2026-01-31", "from = \"2026-01-31\"");
        assert!(from_str::<Doc>(&quoted).is_err());
        let with_time = DOC.replace("from = 2026-01-31", "from = 2026-01-31T10:00:00");
        let err = from_str::<Doc>(&with_time).unwrap_err();
        assert!(err.contains("without a time"), "{err}");
        let offset = DOC.replace("from = 2026-01-31", "from = 2026-01-31T10:00:00Z");
        assert!(from_str::<Doc>(&offset).is_err());
        let not_a_day = DOC.replace("from = 2026-01-31", "from = 2026-02-30");
        assert!(from_str::<Doc>(&not_a_day).is_err());
        let until = format!("until = 2026-12-31\n{DOC}");
        let doc: Doc = from_str(&until).unwrap();
        assert_eq!(doc.until, NaiveDate::from_ymd_opt(2026, 12, 31));
    }

    #[test]
    fn errors_name_the_field_or_the_line() {
        let unknown = DOC.replace("count = 3", "count = 3\ncuont = 4");
        let err = from_str::<Doc>(&unknown).unwrap_err();
        assert!(err.contains("cuont"), "{err}");
        let twice = DOC.replace("count = 3", "count = 3\ncount = 4");
        let err = from_str::<Doc>(&twice).unwrap_err();
        assert!(err.contains("duplicate key"), "{err}");
        let wrong_type = DOC.replace("count = 3", "count = \"three\"");
        let err = from_str::<Doc>(&wrong_type).unwrap_err();
        assert!(err.contains("invalid type"), "{err}");
        // Where people write packs (the CLI, the registry), the error also
        // says where: the text is read again the direct way.
        #[cfg(feature = "authoring")]
        assert!(err.contains("line 2"), "{err}");
        let nan = DOC.replace("share = 0.5", "share = nan");
        let err = from_str::<Doc>(&nan).unwrap_err();
        assert!(err.contains("not finite"), "{err}");
    }
}
