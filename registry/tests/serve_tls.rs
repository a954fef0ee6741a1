//! `komek-registry serve --tls-cert --tls-key [--tls-next-pin]`: the binary
//! serves HTTPS, prints the pins an office hands out with enrolment codes,
//! and a client pinned to the printed pin logs in; wrong flags and bad files
//! are refused with a message that names the problem.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn write_cert(dir: &Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert = dir.join(format!("{name}.crt.pem"));
    let key = dir.join(format!("{name}.key.pem"));
    std::fs::write(&cert, c.cert.pem()).unwrap();
    std::fs::write(&key, c.key_pair.serialize_pem()).unwrap();
    let pin = komek_core::sync::tls::Pin::of_certificate(c.cert.der()).to_base64();
    (cert, key, pin)
}

#[test]
fn serve_with_a_certificate_prints_its_pins_and_answers_pinned_clients() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    {
        let state = komek_registry::open_state(&data).unwrap();
        komek_registry::add_supervisor(&state, "sup", "password123").unwrap();
    }
    let (cert, key, pin) = write_cert(dir.path(), "current");
    let (_, _, next) = write_cert(dir.path(), "next");
    let mut child = Command::new(env!("CARGO_BIN_EXE_komek-registry"))
        .args(["serve", "--data"])
        .arg(&data)
        .args(["--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .args(["--tls-next-pin", &next])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        lines.push(line.trim().to_string());
    }
    let url = lines[0].strip_prefix("listening on ").unwrap().to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    assert_eq!(
        lines[1..],
        [
            format!("tls pin sha256/{pin}"),
            format!("tls pin sha256/{next}")
        ]
    );

    let printed = lines[1].strip_prefix("tls pin ").unwrap().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // Pinned to the pin as printed: logs in and gets a code.
        let sup = komek_registry::client::SupervisorClient::login_pinned(
            &url,
            "sup",
            "password123",
            &[printed],
        )
        .await
        .unwrap();
        assert!(!sup.enrolment_code().await.unwrap().is_empty());
        // Pinned to the next certificate only: refused at the handshake.
        let refused = komek_registry::client::SupervisorClient::login_pinned(
            &url,
            "sup",
            "password123",
            std::slice::from_ref(&next),
        )
        .await;
        assert!(
            matches!(
                refused,
                Err(komek_registry::client::ClientError::Network(_))
            ),
            "{:?}",
            refused.err()
        );
        // No pins for an https URL: refused before connecting.
        let none =
            komek_registry::client::SupervisorClient::login_pinned(&url, "sup", "password123", &[])
                .await;
        assert!(matches!(
            none,
            Err(komek_registry::client::ClientError::Tls(
                komek_core::sync::TlsError::NoPins
            ))
        ));
    });
    child.kill().unwrap();
    child.wait().unwrap();
}

fn serve_fails(args: &[&str], data: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_komek-registry"))
        .args(["serve", "--data"])
        .arg(data)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_tls_flags_and_files_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    let (cert, key, _) = write_cert(dir.path(), "c");
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());

    let (code, err) = serve_fails(&["--tls-cert", cert], &data);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--tls-cert and --tls-key go together"),
        "{err}"
    );

    let (code, err) = serve_fails(&["--tls-next-pin", "x"], &data);
    assert_eq!(code, Some(2), "{err}");

    let (code, err) = serve_fails(&["--tls-cert", key, "--tls-key", key], &data);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("holds no PEM certificate") && err.contains("c.key.pem"),
        "{err}"
    );

    let (code, err) = serve_fails(&["--tls-cert", cert, "--tls-key", cert], &data);
    assert_eq!(code, Some(1));
    assert!(err.contains("no PEM private key"), "{err}");
    // The key's bytes never appear in what is printed.
    let key_text = std::fs::read_to_string(key).unwrap();
    let key_body = key_text.lines().nth(1).unwrap();
    assert!(!err.contains(key_body));

    let (code, err) = serve_fails(
        &[
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--tls-next-pin",
            "not-a-pin",
        ],
        &data,
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("next certificate pin"), "{err}");
}
