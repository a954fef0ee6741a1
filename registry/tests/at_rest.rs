//! The registry's files alone do not give away its devices' inbox keys, and
//! nobody but the registry's user can read them (issue 11, finding 8).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use komek_core::crypto::seal::DeviceKey;
use komek_core::sync::inbox;
use komek_registry::client::SupervisorClient;

/// Every file under `dir` except the key file, as bytes.
fn database_bytes(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "registry-keys.json")
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[tokio::test]
async fn inbox_keys_are_wrapped_and_registry_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    {
        let state = komek_registry::open_state(&data).unwrap();
        komek_registry::add_supervisor(&state, "sup", "password123").unwrap();
    }
    let registry = komek_registry::start(&data, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = registry.url();
    let sup = SupervisorClient::login(&url, "sup", "password123")
        .await
        .unwrap();
    let code = sup.enrolment_code().await.unwrap();
    let device = DeviceKey::generate().unwrap();
    let (eph, inbox_key) =
        inbox::device_inbox_key(&registry.state.keys.seal_public, &device.public_key()).unwrap();
    let body = serde_json::json!({
        "code": code,
        "device_key": B64.encode(device.public_key()),
        "inbox_ephemeral": B64.encode(eph),
        "label": "tablet"
    });
    let resp = reqwest::Client::new()
        .post(format!("{url}/v1/enrol"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());

    // The registry still knows the key (it seals comments with it)...
    let devices = registry.state.storage.devices().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(&devices[0].inbox_key[..], &inbox_key.expose()[..]);
    // ...but neither the database nor its WAL holds it in the clear.
    let files = database_bytes(&data);
    assert!(files.iter().any(|(name, _)| name.ends_with("-wal")));
    for (name, bytes) in &files {
        assert!(
            !bytes.windows(32).any(|w| w == inbox_key.expose()),
            "{name} holds an inbox key in the clear"
        );
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "data directory");
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
    registry.stop().await;
}
