//! `komek rules diff`: what a new pack changes, parameter by parameter.
//!
//! Before a pack is signed and published, whoever checks it must see every
//! number that moved (a mistyped poverty line refuses a whole region), and
//! with `--rescreen` what that does to families (core's re-screen on synthetic
//! households). Both packs must be readable by this build; signatures are not
//! involved (compare first, sign after).
//!
//! Tables are compared key by key. Lists of entries are matched by what
//! identifies an entry, not by position, so inserting one poverty line does
//! not show every later one as changed: `poverty_line[aktobe 2026-Q1].amount`,
//! `tsa.incomes[wages].counted`, `globals[2026-01-01].mrp`.

use super::rescreen;
use crate::error::CliError;
use crate::options::today;
use chrono::NaiveDate;
use clap::Args;
use komek_core::rules::pack::DEFAULT_PACK_TOML;
use komek_core::rules::RulePack;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;
use toml::Value;

/// Names the built-in pack where a file is expected.
pub const BUILTIN: &str = "@default";

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The pack in force (TOML file, or @default for the built-in one).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new pack (TOML file, or @default).
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Also re-screen synthetic households under both packs.
    #[arg(long)]
    pub rescreen: bool,
    /// How many synthetic households to re-screen.
    #[arg(long, value_name = "N", default_value_t = 120, requires = "rescreen")]
    pub households: usize,
    /// Seed of the synthetic households (same seed, same households).
    #[arg(
        long,
        value_name = "SEED",
        default_value_t = 2026,
        requires = "rescreen"
    )]
    pub seed: u64,
    /// Re-screen as of this date [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Print the changes (and re-screen) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One difference between the packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub path: String,
    /// `None`: added in the new pack.
    pub old: Option<String>,
    /// `None`: removed from the new pack.
    pub new: Option<String>,
}

#[derive(Serialize)]
struct DiffJson<'a> {
    old_version: &'a str,
    new_version: &'a str,
    changes: &'a [Change],
    #[serde(skip_serializing_if = "Option::is_none")]
    rescreen: Option<rescreen::Summary>,
}

pub fn run(args: DiffArgs) -> Result<(), CliError> {
    let (old_text, old) = read(&args.old)?;
    let (new_text, new) = read(&args.new)?;
    let changes = changes(&old_text, &new_text, &args)?;
    let date = args.date.unwrap_or_else(today);
    let summary = args
        .rescreen
        .then(|| rescreen::run(&old, &new, args.seed, args.households, date));
    if args.json {
        let out = DiffJson {
            old_version: &old.version,
            new_version: &new.version,
            changes: &changes,
            rescreen: summary,
        };
        let json = serde_json::to_string_pretty(&out)
            .map_err(|e| CliError::Other(format!("cannot write JSON: {e}")))?;
        return crate::out::stdout(&(json + "\n"));
    }
    crate::out::stdout(&text(&old, &new, &changes, summary.as_ref()))
}

/// The changes (and re-screen) as text.
fn text(
    old: &RulePack,
    new: &RulePack,
    changes: &[Change],
    s: Option<&rescreen::Summary>,
) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Rule pack {} (issued {}) → {} (issued {})",
        old.version, old.issued, new.version, new.issued
    );
    for c in changes {
        let _ = match (&c.old, &c.new) {
            (Some(x), Some(y)) => writeln!(o, "  changed {}: {x} → {y}", c.path),
            (None, Some(y)) => writeln!(o, "  added   {}: {y}", c.path),
            (Some(x), None) => writeln!(o, "  removed {}: {x}", c.path),
            (None, None) => Ok(()),
        };
    }
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
    let _ = writeln!(
        o,
        "{} changed, {} added, {} removed",
        count(|c| c.old.is_some() && c.new.is_some()),
        count(|c| c.old.is_none()),
        count(|c| c.new.is_none())
    );
    if let Some(s) = s {
        let _ = write!(o, "\n{}", rescreen::text(s));
    }
    o
}

/// The TOML text and the parsed pack of `arg` (a file or [`BUILTIN`]).
fn read(arg: &str) -> Result<(String, RulePack), CliError> {
    let text = if arg == BUILTIN {
        DEFAULT_PACK_TOML.to_string()
    } else {
        std::fs::read_to_string(Path::new(arg)).map_err(|e| CliError::read(arg, e))?
    };
    let pack = RulePack::parse_str(&text)
        .map_err(|e| CliError::BadFile(format!("{arg} is not a rule pack: {e}")))?;
    Ok((text, pack))
}

fn changes(old: &str, new: &str, args: &DiffArgs) -> Result<Vec<Change>, CliError> {
    let parse = |text: &str, name: &str| {
        text.parse::<toml::Table>()
            .map(Value::Table)
            .map_err(|e| CliError::BadFile(format!("{name}: {e}")))
    };
    let (old, new) = (parse(old, &args.old)?, parse(new, &args.new)?);
    let mut out = Vec::new();
    compare("", Some(&old), Some(&new), &mut out);
    // The header names the versions and issue dates.
    out.retain(|c| c.path != "version" && c.path != "issued");
    Ok(out)
}

/// Appends the differences between `old` and `new` at `path` to `out`.
pub fn compare(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    match (old, new) {
        (Some(Value::Table(a)), Some(Value::Table(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                compare(&p, a.get(k), b.get(k), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a != b => match entry_keys(a, b) {
            Some(fields) => {
                let label = |v: &Value| label(v, fields);
                let mut labels: Vec<String> = a.iter().chain(b.iter()).map(label).collect();
                let mut seen = BTreeSet::new();
                labels.retain(|l| seen.insert(l.clone()));
                for l in labels {
                    let find = |list: &'_ [Value]| list.iter().find(|v| label(v) == l).cloned();
                    let (x, y) = (find(a), find(b));
                    compare(&format!("{path}[{l}]"), x.as_ref(), y.as_ref(), out);
                }
            }
            None => out.push(change(path, old, new)),
        },
        (a, b) if a != b => out.push(change(path, a, b)),
        _ => {}
    }
}

fn change(path: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    Change {
        path: path.to_string(),
        old: old.map(show),
        new: new.map(show),
    }
}

/// A value as TOML writes it (inline for tables).
fn show(v: &Value) -> String {
    match v {
        Value::Table(t) => {
            let fields: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", show(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", items.join(", "))
        }
        // A date's own text (the value's Display wraps it for serde).
        Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

/// What identifies an entry of a list of tables, in order of preference.
const ENTRY_KEYS: &[&[&str]] = &[
    &["region", "quarter"],
    &["region", "district"],
    &["region", "from"],
    &["kind"],
    &["award"],
    &["children"],
    &["year"],
    &["from"],
];

/// The first key that every entry of both lists has and that tells the
/// entries of each list apart.
fn entry_keys(a: &[Value], b: &[Value]) -> Option<&'static [&'static str]> {
    ENTRY_KEYS.iter().copied().find(|fields| {
        [a, b].iter().all(|list| {
            let all_have = list.iter().all(|v| {
                v.as_table()
                    .is_some_and(|t| fields.iter().all(|f| t.contains_key(*f)))
            });
            let labels: BTreeSet<String> = list.iter().map(|v| label(v, fields)).collect();
            all_have && labels.len() == list.len()
        })
    })
}

fn label(v: &Value, fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| match v.get(f) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => show(other),
            None => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &str, new: &str) -> Vec<Change> {
        let parse = |s: &str| Value::Table(s.parse::<toml::Table>().unwrap_or_default());
        let mut out = Vec::new();
        compare("", Some(&parse(old)), Some(&parse(new)), &mut out);
        out
    }

    #[test]
    fn entries_are_matched_by_what_identifies_them() {
        let old = r#"
            [[poverty_line]]
            region = "aktobe"
            quarter = "2026-Q1"
            amount = 37060
        "#;
        let new = r#"
            [[poverty_line]]
            region = "astana"
            quarter = "2026-Q2"
            amount = "47310.50"
            [[poverty_line]]
            region = "aktobe"
            quarter = "2026-Q1"
            amount = 40000
        "#;
        let changes = diff(old, new);
        assert_eq!(
            changes,
            vec![
                Change {
                    path: "poverty_line[aktobe 2026-Q1].amount".into(),
                    old: Some("37060".into()),
                    new: Some("40000".into()),
                },
                Change {
                    path: "poverty_line[astana 2026-Q2]".into(),
                    old: None,
                    new: Some(
                        r#"{ amount = "47310.50", quarter = "2026-Q2", region = "astana" }"#.into()
                    ),
                },
            ]
        );
    }

    #[test]
    fn the_same_pack_has_no_differences_and_scalar_lists_compare_whole() {
        assert!(diff(DEFAULT_PACK_TOML, DEFAULT_PACK_TOML).is_empty());
        let changes = diff("a = [\"1.00\", \"2.00\"]", "a = [\"1.00\", \"2.50\"]");
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, "a");
    }
}
