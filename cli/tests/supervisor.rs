//! `komek supervisor`: review on a running registry, as a person at the
//! district office does it, every step audited under their name.

mod support;

use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, SyncConfig};
use predicates::prelude::*;
use predicates::str::contains;
use support::Office;

/// An office with one device (in-memory vault) whose `n` forms were synced.
fn office_with_cases(n: usize) -> (Office, komek_tests::device::Device) {
    let office = Office::start();
    let device = office
        .rt
        .block_on(komek_tests::office::enrolled(
            office.dir.path(),
            "tablet",
            &office.url,
            &office.sup,
        ))
        .unwrap();
    device
        .capture(
            &komek_core::synth::households(7, n, support::today()),
            support::today(),
        )
        .unwrap();
    let report = office
        .rt
        .block_on(sync::sync(
            &device.store,
            &SyncConfig::default(),
            None,
            &CancelToken::new(),
        ))
        .unwrap();
    assert_eq!(report.stored, n as u64);
    (office, device)
}

fn status_of(office: &Office, case: uuid::Uuid) -> CaseStatus {
    office
        .cases()
        .into_iter()
        .find(|c| c.case_id == case)
        .unwrap()
        .status
}

#[test]
fn a_supervisor_lists_opens_approves_and_returns_cases() {
    let (office, device) = office_with_cases(2);
    let cases = office.cases();
    let (a, b) = (cases[0].case_id, cases[1].case_id);

    office
        .komek()
        .args(["supervisor", "list"])
        .assert()
        .success()
        .stdout(contains(a.to_string()))
        .stdout(contains(b.to_string()))
        .stdout(contains("received"));
    office
        .komek()
        .args(["supervisor", "list", "--status", "approved"])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());

    // The decrypted form and its pre-check, as a person reads them.
    let h = device.store.load(a).unwrap();
    let head = h.head().unwrap();
    office
        .komek()
        .args(["supervisor", "show", &a.to_string(), "--lang", "en"])
        .assert()
        .success()
        .stdout(contains(format!("== Case {a} ==")))
        .stdout(contains(head.surname.as_str()))
        .stdout(contains("Members"))
        .stdout(contains("== Pre-check =="))
        .stdout(contains("Targeted social assistance"));
    office
        .komek()
        .args(["supervisor", "show", &a.to_string(), "--lang", "ru"])
        .assert()
        .success()
        .stdout(contains("Члены семьи"))
        .stdout(contains("Предварительная проверка"));

    office
        .komek()
        .args(["supervisor", "approve", &a.to_string()])
        .assert()
        .success()
        .stdout(contains("approved"));
    assert_eq!(status_of(&office, a), CaseStatus::Approved);

    // A return without a comment is refused before anything is sent.
    office
        .komek()
        .args(["supervisor", "return", &b.to_string()])
        .assert()
        .code(2)
        .stderr(contains("--comment"));
    office
        .komek()
        .args(["supervisor", "return", &b.to_string(), "--comment", "  "])
        .assert()
        .code(2)
        .stderr(contains("needs a comment"));
    assert_eq!(status_of(&office, b), CaseStatus::Received);
    // With one (from stdin, out of shell history), returned; the device gets it.
    office
        .komek()
        .args(["supervisor", "return", &b.to_string(), "--comment", "-"])
        .write_stdin("bring the income certificate for October\n")
        .assert()
        .success()
        .stdout(contains("returned"));
    assert_eq!(status_of(&office, b), CaseStatus::Returned);
    office
        .rt
        .block_on(sync::sync(
            &device.store,
            &SyncConfig::default(),
            None,
            &CancelToken::new(),
        ))
        .unwrap();
    let info = device.store.case(b).unwrap().unwrap();
    assert_eq!(info.status, CaseStatus::Returned);
    assert_eq!(
        info.comments,
        vec!["bring the income certificate for October"]
    );

    // A decision the state machine does not allow is the registry's refusal.
    office
        .komek()
        .args(["supervisor", "reject", &a.to_string()])
        .assert()
        .code(5)
        .stderr(contains("(conflict)"));

    // Every step is in the registry's audit log under the supervisor's name.
    let actions = office.supervisor_actions();
    for expected in ["login", "list_cases", "view_case", "approved", "returned"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} missing from {actions:?}"
        );
    }
}

#[test]
fn a_session_token_replaces_the_password_and_a_wrong_password_is_refused() {
    let (office, _device) = office_with_cases(1);
    let out = office
        .komek()
        .args(["supervisor", "login"])
        .assert()
        .success()
        .stderr(contains("KOMEK_TOKEN"));
    let token = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let token = token.trim();
    assert_eq!(token.len(), 43, "a base64 token of 32 bytes");
    support::komek()
        .env("KOMEK_REGISTRY", &office.url)
        .env("KOMEK_TOKEN", token)
        .args(["supervisor", "list"])
        .assert()
        .success()
        .stdout(contains("received"));

    // The wrong password: refused, exit 5, the password never printed.
    office
        .komek()
        .env("KOMEK_PASSWORD", "not-the-password")
        .args(["supervisor", "list"])
        .assert()
        .code(5)
        .stderr(contains("wrong name or password"))
        .stderr(contains("not-the-password").not());
    // From stdin too (piped, one line).
    support::komek()
        .env("KOMEK_REGISTRY", &office.url)
        .args(["supervisor", "login", "--as", support::SUPERVISOR])
        .write_stdin("guess-guess\n")
        .assert()
        .code(5)
        .stderr(contains("wrong name or password"));
    assert!(office
        .supervisor_actions()
        .contains(&"login_failed".to_string()));
    // No name at all: a usage error.
    support::komek()
        .env("KOMEK_REGISTRY", &office.url)
        .env("KOMEK_PASSWORD", support::PASSWORD)
        .args(["supervisor", "list"])
        .assert()
        .code(2)
        .stderr(contains("KOMEK_SUPERVISOR"));
    // A case that does not exist.
    office
        .komek()
        .args(["supervisor", "show", &uuid::Uuid::new_v4().to_string()])
        .assert()
        .code(5)
        .stderr(contains("(not_found)"));
}

#[test]
fn a_supervisor_withdraws_a_rule_pack_and_logs_out() {
    let office = Office::start();
    let text = komek_core::rules::pack::DEFAULT_PACK_TOML
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"");
    office
        .rt
        .block_on(office.sup.publish_rules(text.as_bytes(), None))
        .unwrap();
    office
        .komek()
        .args(["supervisor", "withdraw-rules", "kz-2026.2"])
        .assert()
        .success()
        .stdout(contains("kz-2026.2 withdrawn"));
    office
        .komek()
        .args(["supervisor", "withdraw-rules", "kz-2026.2"])
        .assert()
        .code(5)
        .stderr(contains("(not_found)"));
    assert!(office
        .supervisor_actions()
        .contains(&"withdraw_rules".to_string()));

    let out = office
        .komek()
        .args(["supervisor", "login"])
        .assert()
        .success();
    let token = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let with_token = || {
        let mut cmd = support::komek();
        cmd.env("KOMEK_REGISTRY", &office.url)
            .env("KOMEK_TOKEN", token.trim());
        cmd
    };
    with_token()
        .args(["supervisor", "logout"])
        .assert()
        .success()
        .stdout(contains("logged out"));
    with_token()
        .args(["supervisor", "list"])
        .assert()
        .code(5)
        .stderr(contains("(unauthorized)"));
}
