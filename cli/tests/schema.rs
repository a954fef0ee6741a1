//! `examples/household.schema.json` against the examples and the core: every
//! example validates, broken files do not, and each enum and field list of
//! the schema is exactly what the core's serde accepts (read from serde's own
//! "expected one of" messages, so a variant added to the core fails here).

mod common;

use common::{example, fixture};
use komek_core::model::*;
use komek_core::rules::selfcheck::{SelfCheckInput, SelfCheckMember};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;

fn schema() -> Value {
    let text = std::fs::read_to_string(example("household.schema.json")).expect("schema");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn read(path: std::path::PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn validator() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("file:///household.schema.json", schema())
        .expect("resource");
    let index = compiler
        .compile("file:///household.schema.json", &mut schemas)
        .expect("the schema compiles");
    (schemas, index)
}

#[test]
fn every_example_is_valid_and_broken_files_are_not() {
    let (schemas, index) = validator();
    for name in [
        "large-family.json",
        "single-parent.json",
        "pensioner-alone.json",
        "child-with-disability.json",
        "near-threshold.json",
        "intake-form.json",
    ] {
        let v = read(example(name));
        if let Err(e) = schemas.validate(&v, index) {
            panic!("{name}: {e}");
        }
    }
    for name in ["missing-field.json", "wrong-type.json"] {
        assert!(
            schemas.validate(&read(fixture(name)), index).is_err(),
            "{name}"
        );
    }
    let with_iin: Value = serde_json::json!({
        "region": "aktobe",
        "members": [{"relation": "head", "age": 30, "iin": "881124300178"}]
    });
    assert!(
        schemas.validate(&with_iin, index).is_err(),
        "answers carry no IIN"
    );
}

/// The names serde lists after "expected" when given something unknown.
fn expected_names(message: &str) -> BTreeSet<String> {
    let tail = message.split_once("expected ").map_or("", |(_, t)| t);
    tail.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

fn variants<T: DeserializeOwned>() -> BTreeSet<String> {
    match serde_json::from_value::<T>(Value::String("\u{1}".into())) {
        Ok(_) => panic!("accepted a nonsense variant"),
        Err(e) => expected_names(&e.to_string()),
    }
}

fn fields<T: DeserializeOwned>() -> BTreeSet<String> {
    match serde_json::from_value::<T>(serde_json::json!({"\u{1}": 0})) {
        Ok(_) => panic!("accepted a nonsense field"),
        Err(e) => expected_names(&e.to_string()),
    }
}

fn schema_enum(schema: &Value, def: &str) -> BTreeSet<String> {
    schema["$defs"][def]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{def} has an enum"))
        .iter()
        .map(|v| v.as_str().expect("string").to_string())
        .collect()
}

fn schema_fields(schema: &Value, def: &str) -> BTreeSet<String> {
    schema["$defs"][def]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{def} has properties"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_schema_enums_are_the_cores_variants() {
    let s = schema();
    let pairs: Vec<(&str, BTreeSet<String>)> = vec![
        ("region", variants::<Region>()),
        ("relation", variants::<Relation>()),
        ("sex", variants::<Sex>()),
        ("residency_status", variants::<ResidencyStatus>()),
        ("disability", variants::<Disability>()),
        ("activity", variants::<Activity>()),
        ("education", variants::<Education>()),
        ("mother_award", variants::<MotherAward>()),
        ("income_kind", variants::<IncomeKind>()),
        ("tenure", variants::<Tenure>()),
        ("expense_category", variants::<ExpenseCategory>()),
        ("loan_purpose", variants::<LoanPurpose>()),
        ("livestock_species", variants::<LivestockSpecies>()),
        ("land_use", variants::<LandUse>()),
        ("vehicle_kind", variants::<VehicleKind>()),
        ("document_kind", variants::<DocumentKind>()),
        ("document_status", variants::<DocumentStatus>()),
        ("support_measure", variants::<SupportMeasure>()),
        ("consent_method", variants::<ConsentMethod>()),
        ("form_status", variants::<FormStatus>()),
    ];
    for (def, core) in pairs {
        assert!(!core.is_empty(), "{def}");
        assert_eq!(schema_enum(&s, def), core, "{def}");
    }
    assert_eq!(schema_enum(&s, "income_kind").len(), IncomeKind::ALL.len());
}

#[test]
fn the_answers_fields_are_the_cores_fields() {
    let s = schema();
    assert_eq!(schema_fields(&s, "answers"), fields::<SelfCheckInput>());
    assert_eq!(
        schema_fields(&s, "answers_member"),
        fields::<SelfCheckMember>()
    );
}
