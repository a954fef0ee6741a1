//! `komek registry`: serve a data directory, add supervisors, issue
//! enrolment codes, list and revoke devices.

mod support;

use komek_core::sync;
use predicates::prelude::*;
use predicates::str::contains;
use std::io::BufRead;
use support::Office;

/// A `komek registry serve` child, killed when dropped.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_and_add_supervisor_run_a_registry_from_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    // Too short a password, and none: refused, nothing added.
    support::komek()
        .args(["registry", "add-supervisor", "--data"])
        .arg(&data)
        .args(["--name", "aigerim"])
        .write_stdin("short\n")
        .assert()
        .code(2)
        .stderr(contains("at least 8 characters"));
    support::komek()
        .args(["registry", "add-supervisor", "--data"])
        .arg(&data)
        .args(["--name", "aigerim"])
        .write_stdin("")
        .assert()
        .code(2);
    support::komek()
        .args(["registry", "add-supervisor", "--data"])
        .arg(&data)
        .args(["--name", "aigerim"])
        .write_stdin("a long enough secret\n")
        .assert()
        .success()
        .stdout(contains("supervisor aigerim can log in"))
        .stdout(contains("a long enough secret").not());

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("komek"))
        .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let served = Served(child);
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    support::komek()
        .env("KOMEK_PASSWORD", "a long enough secret")
        .args(["supervisor", "login", "--registry", &url, "--as", "aigerim"])
        .assert()
        .success();
    support::komek()
        .env("KOMEK_PASSWORD", "a long enough secreT")
        .args(["supervisor", "login", "--registry", &url, "--as", "aigerim"])
        .assert()
        .code(5);

    // SIGTERM (a service manager) stops it cleanly.
    let mut served = served;
    let pid = served.0.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = served.0.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn enrolment_codes_devices_and_revocation_go_through_the_supervisor_api() {
    let office = Office::start();
    let out = office
        .komek()
        .args(["registry", "enrol-code"])
        .assert()
        .success();
    let code = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let code = code.trim().to_string();
    assert_eq!(code.len(), 11, "{code}");
    assert_eq!(code.as_bytes()[5], b'-');

    let device = komek_tests::device::Device::new(office.dir.path(), "tablet").unwrap();
    let identity = office
        .rt
        .block_on(sync::enrol(
            &device.store,
            &office.url,
            &code,
            "Mobile centre 2",
        ))
        .unwrap();
    let id = identity.device_id.to_string();
    office
        .komek()
        .args(["registry", "devices"])
        .assert()
        .success()
        .stdout(contains(format!("{id}  active   Mobile centre 2")));
    // The code was one-time.
    let again = komek_tests::device::Device::new(office.dir.path(), "other").unwrap();
    assert!(office
        .rt
        .block_on(sync::enrol(&again.store, &office.url, &code, "x"))
        .is_err());

    office
        .komek()
        .args(["registry", "revoke", &id])
        .assert()
        .success()
        .stdout(contains(format!("revoked device {id}")));
    office
        .komek()
        .args(["registry", "devices"])
        .assert()
        .success()
        .stdout(contains(format!("{id}  revoked")));
    // Revoked: the device's sync is refused.
    let err = office
        .rt
        .block_on(sync::sync(
            &device.store,
            &sync::SyncConfig::default(),
            None,
            &sync::CancelToken::new(),
        ))
        .unwrap_err();
    assert_eq!(err.code(), Some("revoked"));
    // An unknown device, and a malformed id.
    office
        .komek()
        .args(["registry", "revoke", &uuid::Uuid::new_v4().to_string()])
        .assert()
        .code(5)
        .stderr(contains("(not_found)"));
    office
        .komek()
        .args(["registry", "revoke", "tablet-a"])
        .assert()
        .code(2);

    let actions = office.supervisor_actions();
    for expected in ["enrolment_code", "list_devices", "revoke"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

#[test]
fn enrolment_codes_name_a_centre_and_devices_show_it() {
    let office = Office::start();
    let out = office
        .komek()
        .args(["registry", "enrol-code", "--centre", "Жетісу 3"])
        .assert()
        .success()
        .stderr(contains("for centre Жетісу 3"));
    let code = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let default_code = office
        .komek()
        .args(["registry", "enrol-code"])
        .assert()
        .success();
    let default_code = String::from_utf8(default_code.get_output().stdout.clone()).unwrap();
    let ids: Vec<String> = [(code, "north"), (default_code, "plain")]
        .iter()
        .map(|(code, name)| {
            let device = komek_tests::device::Device::new(office.dir.path(), name).unwrap();
            office
                .rt
                .block_on(sync::enrol(&device.store, &office.url, code.trim(), name))
                .unwrap()
                .device_id
                .to_string()
        })
        .collect();
    office
        .komek()
        .args(["registry", "devices"])
        .assert()
        .success()
        .stdout(contains(format!(
            "{}  active   north  centre: Жетісу 3",
            ids[0]
        )))
        .stdout(contains(format!(
            "{}  active   plain  centre: (default)",
            ids[1]
        )));
    // A name that is not a team name is a usage error, before any request.
    office
        .komek()
        .args(["registry", "enrol-code", "--centre", "a/b"])
        .assert()
        .code(2)
        .stderr(contains("--centre"));
    office
        .komek()
        .args(["registry", "enrol-code", "--centre", &"x".repeat(65)])
        .assert()
        .code(2)
        .stderr(contains("at most 64 bytes"));
}

#[test]
fn serve_with_tls_prints_the_pin_and_supervisors_need_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    support::komek()
        .env("KOMEK_PASSWORD", "a long enough secret")
        .args(["registry", "add-supervisor", "--data"])
        .arg(&data)
        .args(["--name", "aigerim"])
        .assert()
        .success();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.key_pair.serialize_pem()).unwrap();
    let expected = sync::tls::Pin::of_certificate(made.cert.der()).to_base64();

    // A key without its certificate is a usage error.
    support::komek()
        .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--tls-key")
        .arg(&key)
        .assert()
        .code(2);

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("komek"))
        .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _served = Served(child);
    let mut reader = std::io::BufReader::new(stdout);
    let (mut first, mut second) = (String::new(), String::new());
    reader.read_line(&mut first).unwrap();
    reader.read_line(&mut second).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pin = second.trim().strip_prefix("tls pin ").unwrap().to_string();
    assert_eq!(pin, format!("sha256/{expected}"));

    // With the printed pin the supervisor logs in and issues a code.
    support::komek()
        .env("KOMEK_PASSWORD", "a long enough secret")
        .args([
            "registry",
            "enrol-code",
            "--registry",
            &url,
            "--as",
            "aigerim",
        ])
        .args(["--pin", &pin])
        .assert()
        .success()
        .stdout(predicate::str::is_match("^[A-Z0-9-]{6,}\n$").unwrap());
    // Without a pin, or with another certificate's pin: refused, and the
    // password never reaches the impostor check's message.
    support::komek()
        .env("KOMEK_PASSWORD", "a long enough secret")
        .args(["supervisor", "login", "--registry", &url, "--as", "aigerim"])
        .assert()
        .code(5)
        .stderr(contains("--pin"));
    let other = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let wrong = sync::tls::Pin::of_certificate(other.cert.der()).to_base64();
    support::komek()
        .env("KOMEK_PASSWORD", "a long enough secret")
        .args(["supervisor", "login", "--registry", &url, "--as", "aigerim"])
        .args(["--pin", &wrong])
        .assert()
        .failure()
        .stderr(contains("a long enough secret").not());
}

/// Districts through the command line: a national supervisor adds a
/// district and puts a centre in it; a supervisor added for that district
/// lists its cases only, a page at a time with the counts, and may not
/// read the audit log.
#[test]
fn a_district_supervisor_lists_their_district_a_page_at_a_time() {
    let office = Office::start();
    office
        .komek()
        .args(["registry", "add-district", "Abai"])
        .assert()
        .success()
        .stdout(contains("district Abai added"));
    office
        .komek()
        .args(["registry", "place-centre", "A1", "--district", "Abai"])
        .assert()
        .success()
        .stdout(contains("centre A1 is in district Abai"));
    support::komek()
        .args(["registry", "add-supervisor", "--data"])
        .arg(office.dir.path().join("registry"))
        .args(["--name", "aigerim", "--district", "Abai"])
        .write_stdin("abai password\n")
        .assert()
        .success()
        .stdout(contains("supervisor aigerim can log in: district Abai"));
    support::komek()
        .args(["registry", "add-supervisor", "--data"])
        .arg(office.dir.path().join("registry"))
        .args(["--name", "bolat", "--district", "Nowhere"])
        .write_stdin("abai password\n")
        .assert()
        .failure();
    // Two cases in A1, one in the default centre.
    let households = komek_core::synth::households(5, 3, support::today());
    for (name, centre, range) in [("a1", "A1", 0..2), ("plain", "", 2..3)] {
        let device = komek_tests::device::Device::new(office.dir.path(), name).unwrap();
        let code = office
            .rt
            .block_on(office.sup.enrolment_code_for_centre(centre))
            .unwrap();
        office
            .rt
            .block_on(sync::enrol(&device.store, &office.url, &code, name))
            .unwrap();
        device
            .capture(&households[range], support::today())
            .unwrap();
        office
            .rt
            .block_on(sync::sync(
                &device.store,
                &sync::SyncConfig::default(),
                None,
                &sync::CancelToken::new(),
            ))
            .unwrap();
    }
    let aigerim = |args: &[&str]| {
        let mut cmd = support::komek();
        cmd.env("KOMEK_REGISTRY", &office.url)
            .env("KOMEK_SUPERVISOR", "aigerim")
            .env("KOMEK_PASSWORD", "abai password")
            .args(args);
        cmd
    };
    let first = aigerim(&["supervisor", "list", "--limit", "1"])
        .assert()
        .success()
        .stderr(contains("in your scope: 2 received"))
        .stderr(contains("next page: --after "));
    let first_out = String::from_utf8(first.get_output().stdout.clone()).unwrap();
    assert_eq!(first_out.lines().count(), 1);
    let stderr = String::from_utf8(first.get_output().stderr.clone()).unwrap();
    let cursor = stderr
        .lines()
        .find_map(|l| l.strip_prefix("next page: --after "))
        .unwrap()
        .to_string();
    let second = aigerim(&["supervisor", "list", "--limit", "1", "--after", &cursor])
        .assert()
        .success()
        .stderr(contains("last page"));
    let second_out = String::from_utf8(second.get_output().stdout.clone()).unwrap();
    assert_eq!(second_out.lines().count(), 1);
    assert_ne!(first_out, second_out);
    let all = aigerim(&["supervisor", "list"]).assert().success();
    assert_eq!(
        String::from_utf8(all.get_output().stdout.clone())
            .unwrap()
            .lines()
            .count(),
        2
    );
    aigerim(&["registry", "districts"])
        .assert()
        .success()
        .stdout(contains("Abai: A1"));
    aigerim(&["supervisor", "audit"])
        .assert()
        .failure()
        .stderr(contains("forbidden"));
    office
        .komek()
        .args(["supervisor", "audit", "--limit", "500"])
        .assert()
        .success()
        .stdout(contains("district_added"))
        .stdout(contains("forbidden"));
}

/// `komek registry backup` while the registry serves: the copy is a data
/// directory (key file and database, owner-only) holding what was stored;
/// an existing copy is never overwritten; PostgreSQL is sent to pg_dump.
#[test]
fn backup_copies_a_serving_registry_into_a_new_data_directory() {
    let office = Office::start();
    let device = support::FieldDevice::enrolled(&office, "a", 2, 3);
    device.sync(&office);
    let copy = office.dir.path().join("copy");
    support::komek()
        .args(["registry", "backup", "--data"])
        .arg(office.dir.path().join("registry"))
        .arg("--to")
        .arg(&copy)
        .assert()
        .success()
        .stdout(contains("registry copied to"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&copy), 0o700);
        assert_eq!(mode(&copy.join("registry-keys.json")), 0o600);
        assert_eq!(mode(&copy.join("registry.sqlite")), 0o600);
    }
    let restored = komek_registry::open_state(&copy).unwrap();
    assert_eq!(restored.storage.counts().unwrap(), office.counts());
    assert_eq!(
        restored.keys.registry_id,
        office.registry.state.keys.registry_id
    );
    support::komek()
        .args(["registry", "backup", "--data"])
        .arg(office.dir.path().join("registry"))
        .arg("--to")
        .arg(&copy)
        .assert()
        .failure()
        .stderr(contains("not empty"));
    support::komek()
        .args(["registry", "backup", "--data", "x", "--to", "y"])
        .args(["--database", "postgres://db/komek"])
        .assert()
        .code(2)
        .stderr(contains("pg_dump"));
}
