//! `komek check` on inputs an attacker or a slip produces (issue 11,
//! findings 6, 10 and 15): misspelled and repeated fields, absurd counts,
//! numbers JSON can write but a field cannot hold, a byte-order mark, a form
//! without members. Each is refused with exit code 3, at its field, in the
//! user's language, and `--json` reports the problems on stdout.

mod common;

use common::{example, komek, stderr_of, stdout_of, DATE};

/// `komek check` on `text` (stdin) in `lang`: (exit code, stdout, stderr).
fn check(text: &[u8], lang: &str, extra: &[&str]) -> (i32, String, String) {
    let a = komek()
        .args(["check", "-", "--date", DATE, "--lang", lang])
        .args(extra)
        .write_stdin(text.to_vec())
        .assert();
    let code = a.get_output().status.code().unwrap_or(-1);
    (code, stdout_of(&a), stderr_of(&a))
}

fn refused(text: &str, lang: &str) -> String {
    let (code, out, err) = check(text.as_bytes(), lang, &[]);
    assert_eq!(code, 3, "{err}");
    assert!(out.is_empty(), "{out}");
    err
}

fn intake_form() -> String {
    std::fs::read_to_string(example("intake-form.json")).expect("example form")
}

#[test]
fn a_misspelled_or_repeated_field_of_the_intake_form_is_refused_by_path() {
    // On main `incomez` was dropped: "likely eligible", exit 0.
    let err = refused(
        &intake_form().replacen("\"incomes\"", "\"incomez\"", 1),
        "en",
    );
    assert!(err.contains("incomez: unknown field"), "{err}");
    let twice = intake_form().replacen("\"status\"", "\"version\": 9, \"status\"", 1);
    let err = refused(&twice, "en");
    assert!(err.contains("version: given twice"), "{err}");
    let future = intake_form().replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    let err = refused(&future, "ru");
    assert!(
        err.contains("schema_version: анкета из более новой версии"),
        "{err}"
    );
}

#[test]
fn absurd_counts_are_refused_at_their_answer() {
    // On main 4294967295 cars aborted the process (one vehicle per car).
    let err = refused(
        r#"{"region": "aktobe", "cars": 4294967295,
            "members": [{"relation": "head", "age": 30}]}"#,
        "en",
    );
    assert!(err.contains("cars: Too many: at most 50"), "{err}");
    let err = refused(
        r#"{"region": "aktobe", "cars": 4294967296,
            "members": [{"relation": "head", "age": 30}]}"#,
        "kk",
    );
    assert!(err.contains("cars: тым көп"), "{err}");
}

#[test]
fn numbers_json_allows_but_a_field_cannot_hold_get_their_own_words() {
    let head = |age: &str| {
        format!(r#"{{"region": "aktobe", "members": [{{"relation": "head", "age": {age}}}]}}"#)
    };
    let err = refused(&head("-0"), "en");
    assert!(
        err.contains("members[0].age: write 0 without a minus sign"),
        "{err}"
    );
    let err = refused(&head("99999999999999999999999"), "ru");
    assert!(
        err.contains("members[0].age: слишком много: не больше 4294967295"),
        "{err}"
    );
    let err = refused(&head("1e400"), "en");
    assert!(err.contains("members[0].age: far too large"), "{err}");
    let err = refused(&head("-3"), "en");
    assert!(err.contains("members[0].age: must be 0 or more"), "{err}");
    assert!(!err.contains("-3"), "the value is not repeated: {err}");
}

#[test]
fn dates_are_explained_in_the_users_language() {
    let err = refused(
        r#"{"region": "aktobe", "members": [{"relation": "head", "birth_date": "1977-13-45"}]}"#,
        "ru",
    );
    assert!(
        err.contains("members[0].birth_date: это не дата: укажите существующую дату"),
        "{err}"
    );
    assert!(
        !err.contains("out of range") && !err.contains("1977"),
        "{err}"
    );
    let err = refused(
        &intake_form().replacen("2026-02-10T09:00:00Z", "yesterday", 1),
        "kk",
    );
    assert!(
        err.contains("consents[0].recorded_at: бұл күн мен уақыт емес"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_skipped_and_syntax_errors_are_localized() {
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(&std::fs::read(example("single-parent.json")).expect("example"));
    let (code, _, err) = check(&with_bom, "en", &[]);
    assert_eq!(code, 0, "{err}");
    let err = refused("{\"region\": \"aktobe\",\n  }", "ru");
    assert!(
        err.contains("(file): это не корректный JSON (строка 2, позиция 3)"),
        "{err}"
    );
    let err = refused("{\"region\": \"aktobe\",", "en");
    assert!(err.contains("(file): the file ends too early"), "{err}");
}

#[test]
fn no_members_says_there_is_no_head() {
    for text in [
        r#"{"region": "aktobe", "members": []}"#.to_string(),
        r#"{"region": "aktobe"}"#.to_string(),
    ] {
        let err = refused(&text, "en");
        assert!(err.contains("members: No one is listed"), "{err}");
    }
    let form = intake_form();
    let start = form.find("\"members\"").expect("members");
    let end = start + form[start..].find("\"incomes\"").expect("incomes");
    let empty = format!("{}\"members\": [],\n  {}", &form[..start], &form[end..]);
    let err = refused(&empty, "en");
    assert!(err.contains("members: No one is listed"), "{err}");
}

#[test]
fn json_output_reports_validation_problems_on_stdout() {
    let (code, out, _) = check(
        br#"{"region": "aktobe", "members": [{"relation": "child", "age": 3}]}"#,
        "en",
        &["--json"],
    );
    assert_eq!(code, 3);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(v["error"], "invalid_input");
    assert_eq!(v["problems"][0]["path"], "members");
    assert!(v["problems"][0]["message"]
        .as_str()
        .is_some_and(|m| m.ends_with("[problem-no-head]")));
    let (code, out, _) = check(b"[1, 2]", "en", &["--json"]);
    assert_eq!(code, 3);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(v["problems"][0]["path"], "(file)");
}

#[test]
fn an_iin_that_is_never_issued_has_its_own_message() {
    let form = intake_form();
    let iin_at = form.find("\"iin\": \"").expect("an IIN") + 8;
    // 850102300120: the first 11 digits have no check digit.
    let never = format!("{}850102300120{}", &form[..iin_at], &form[iin_at + 12..]);
    let err = refused(&never, "en");
    assert!(err.contains("[problem-iin-never-issued]"), "{err}");
    assert!(!err.contains("850102300120"), "{err}");
}
