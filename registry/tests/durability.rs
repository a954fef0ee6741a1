//! A registry killed with SIGKILL right after answering still has what it
//! answered for: writes are committed (WAL, synchronous=FULL) before the
//! response is sent.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn spawn(data: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_komek-registry"))
        .args(["serve", "--data"])
        .arg(data)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    (child, url)
}

#[test]
fn answered_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    {
        let state = komek_registry::open_state(&data).unwrap();
        komek_registry::add_supervisor(&state, "sup", "password123").unwrap();
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mut child, url) = spawn(&data);
    let codes: Vec<String> = runtime.block_on(async {
        let sup = komek_registry::client::SupervisorClient::login(&url, "sup", "password123")
            .await
            .unwrap();
        let mut codes = Vec::new();
        for _ in 0..20 {
            codes.push(sup.enrolment_code().await.unwrap());
        }
        codes
    });
    // SIGKILL: no destructors, no checkpoint, no flush.
    child.kill().unwrap();
    child.wait().unwrap();

    // Every code the registry answered with is usable after the restart.
    let (mut child, url) = spawn(&data);
    let enrolled = runtime.block_on(async {
        let mut n = 0;
        for code in &codes {
            let body = serde_json::json!({
                "code": code,
                "device_key": base64_key(n as u8 + 1),
                "inbox_ephemeral": base64_key(9),
                "label": ""
            });
            let resp = reqwest::Client::new()
                .post(format!("{url}/v1/enrol"))
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            if resp.status().is_success() {
                n += 1;
            }
        }
        n
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(enrolled, codes.len());
}

fn base64_key(fill: u8) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([fill; 32])
}
