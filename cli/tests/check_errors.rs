//! `komek check` on files it must refuse: the JSON path of the field is in
//! stderr, the reason is given, the exit code is 3 (2 for a wrong command
//! line, 1 for a missing file), and the offending value never appears.

mod common;

use common::{example, fixture, komek, stderr_of, stdout_of, DATE};

fn refused(file: std::path::PathBuf, lang: &str) -> String {
    let a = komek()
        .arg("check")
        .arg(file)
        .args(["--date", DATE, "--lang", lang])
        .assert()
        .code(3);
    assert!(stdout_of(&a).is_empty(), "no report for a refused file");
    stderr_of(&a)
}

#[test]
fn a_missing_field_is_named_by_its_path() {
    let err = refused(fixture("missing-field.json"), "en");
    assert!(
        err.contains("members[1].relation: missing (required)"),
        "{err}"
    );
}

#[test]
fn a_wrong_type_names_the_path_and_the_expected_type_but_not_the_value() {
    let err = refused(fixture("wrong-type.json"), "en");
    assert!(
        err.contains(
            "members[0].incomes[0].monthly: wrong type: found text, expected a whole number"
        ),
        "{err}"
    );
    assert!(!err.contains("ninety"), "{err}");
}

#[test]
fn an_invalid_iin_is_refused_at_its_path_without_repeating_it() {
    let err = refused(fixture("invalid-iin.json"), "en");
    assert!(err.contains("members[0].iin"), "{err}");
    assert!(err.contains("[problem-iin-check-digit]"), "{err}");
    assert!(!err.contains("900515400503"), "{err}");
    assert!(!err.contains("Example"), "no names either: {err}");
    // The same in Kazakh, with the core's Kazakh message.
    let kk = refused(fixture("invalid-iin.json"), "kk");
    assert!(kk.contains("members[0].iin") && kk.contains("ЖСН"), "{kk}");
}

#[test]
fn a_birth_date_after_the_evaluation_date_is_refused() {
    let err = refused(fixture("future-birth-date.json"), "en");
    assert!(err.contains("members[1].birth_date"), "{err}");
    assert!(err.contains("[problem-birth-date-in-future]"), "{err}");
    assert!(!err.contains("2026-09-01"), "{err}");
}

#[test]
fn an_unknown_field_in_the_answers_is_refused_without_its_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.json");
    std::fs::write(
        &path,
        r#"{"region": "aktobe", "members": [{"relation": "head", "age": 30, "iin": "881124300178"}]}"#,
    )
    .expect("write");
    let err = refused(path, "en");
    assert!(err.contains("members[0].iin: unknown field"), "{err}");
    assert!(!err.contains("881124300178"), "{err}");
}

#[test]
fn broken_json_gives_the_line_and_answers_without_a_region_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"region\": \"aktobe\",\n  \"members\": [\n}\n",
    )
    .expect("write");
    let err = refused(broken, "en");
    assert!(
        err.contains("(file): not valid JSON") && err.contains("line 4"),
        "{err}"
    );

    let no_region = dir.path().join("no-region.json");
    std::fs::write(
        &no_region,
        r#"{"members": [{"relation": "head", "age": 30}]}"#,
    )
    .expect("write");
    let err = refused(no_region.clone(), "en");
    assert!(err.contains("region: The region is missing"), "{err}");
    // ... unless --region gives it.
    komek()
        .arg("check")
        .arg(&no_region)
        .args(["--date", DATE, "--region", "aktobe"])
        .assert()
        .success();
}

#[test]
fn every_problem_of_a_form_is_listed_at_once() {
    let mut form: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("intake-form.json")).expect("read"))
            .expect("json");
    form["members"][0]["iin"] = "881124300179".into();
    form["members"][2]["birth_date"] = "2027-01-01".into();
    form["incomes"][0]["amount"] = (-5).into();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("form.json");
    std::fs::write(&path, form.to_string()).expect("write");
    let err = refused(path, "en");
    for p in [
        "members[0].iin",
        "members[2].birth_date",
        "incomes[0].amount",
    ] {
        assert!(err.contains(p), "{p} in {err}");
    }
}

#[test]
fn a_missing_file_and_a_wrong_command_line_have_their_own_codes() {
    komek()
        .args(["check", "/nonexistent/household.json"])
        .assert()
        .code(1);
    let a = komek()
        .arg("check")
        .arg(example("single-parent.json"))
        .args(["--region", "Atlantis"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("unknown region"));
    komek().arg("check").assert().code(2);
    komek()
        .arg("check")
        .arg(example("single-parent.json"))
        .args(["--date", "10.02.2026"])
        .assert()
        .code(2);
}
