//! Refusals: forged signature, replayed request, revoked device, tampered
//! sealed blob, tampered rule pack, wrong enrolment code — each refused with
//! a clear error and nothing stored.

use chrono::NaiveDate;
use komek_core::crypto::seal::DeviceKey;
use komek_core::sync::auth::sign_request;
use komek_core::sync::wire::{self, ApiError, PushResponse};
use komek_core::sync::{self, codes, CancelToken, SyncConfig, SyncError};
use komek_registry::client::SupervisorClient;
use komek_registry::RunningRegistry;
use komek_tests::device::Device;
use komek_tests::office;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

struct World {
    _dir: tempfile::TempDir,
    registry: RunningRegistry,
    sup: SupervisorClient,
    device: Device,
}

/// A registry, a supervisor, and one enrolled device with one finalized form
/// not yet pushed.
async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let device = office::enrolled(dir.path(), "d", &registry.url(), &sup)
        .await
        .unwrap();
    let h = komek_core::synth::households(5, 1, today());
    device.capture(&h, today()).unwrap();
    World {
        _dir: dir,
        registry,
        sup,
        device,
    }
}

/// Seal the pending operation the way a sync would, without sending it.
async fn sealed_blob(w: &World) -> Vec<u8> {
    // A sync against a stopped registry seals, then fails to connect.
    let config = SyncConfig {
        max_attempts: 1,
        ..SyncConfig::default()
    };
    let mut identity = w.device.store.sync_identity().unwrap().unwrap();
    identity.registry_url = "http://127.0.0.1:9".into();
    w.device.store.set_sync_identity(&identity).unwrap();
    let err = sync::sync(&w.device.store, &config, None, &CancelToken::new())
        .await
        .unwrap_err();
    assert!(err.is_transient());
    identity.registry_url = w.registry.url();
    w.device.store.set_sync_identity(&identity).unwrap();
    w.device.store.outbox_pending(1).unwrap()[0]
        .sealed
        .clone()
        .unwrap()
}

/// Send a push signed with `key` as the world's device, with request number `seq`.
async fn raw_push(w: &World, key: &DeviceKey, seq: u64, body: Vec<u8>) -> (u16, Vec<u8>) {
    raw_push_as(w, &w.device, key, seq, body).await
}

/// Send a push signed with `key` as `device`, with request number `seq`.
async fn raw_push_as(
    w: &World,
    device: &Device,
    key: &DeviceKey,
    seq: u64,
    body: Vec<u8>,
) -> (u16, Vec<u8>) {
    let id = device.store.sync_identity().unwrap().unwrap();
    let sig = sign_request(key, "POST", "/v1/push", id.device_id, seq, &body);
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/push", w.registry.url()))
        .header(wire::HEADER_DEVICE, id.device_id.to_string())
        .header(wire::HEADER_SEQ, seq.to_string())
        .header(wire::HEADER_SIGNATURE, sig)
        .body(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
}

fn code_of(body: &[u8]) -> String {
    serde_json::from_slice::<ApiError>(body).unwrap().code
}

fn stored(w: &World) -> (u64, u64) {
    w.registry.state.storage.counts().unwrap()
}

fn device_key(w: &World) -> DeviceKey {
    DeviceKey::from_pkcs8(
        &w.device
            .store
            .sync_identity()
            .unwrap()
            .unwrap()
            .device_pkcs8,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_signature_is_refused_and_nothing_stored() {
    let w = world().await;
    let blob = sealed_blob(&w).await;
    let forger = DeviceKey::generate().unwrap();
    let (status, body) = raw_push(&w, &forger, 1_000, wire::encode_push(&[&blob])).await;
    assert_eq!(
        (status, code_of(&body).as_str()),
        (401, codes::BAD_SIGNATURE)
    );
    assert_eq!(stored(&w), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_request_is_refused() {
    let w = world().await;
    let blob = sealed_blob(&w).await;
    let key = device_key(&w);
    let body = wire::encode_push(&[&blob]);
    let (status, answer) = raw_push(&w, &key, 1_000, body.clone()).await;
    assert_eq!(status, 200);
    let answer: PushResponse = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer.results[0].status, wire::OpStatus::Stored);
    // The same signed request again, byte for byte.
    let (status, answer) = raw_push(&w, &key, 1_000, body.clone()).await;
    assert_eq!((status, code_of(&answer).as_str()), (409, codes::REPLAYED));
    // And an older number.
    let (status, _) = raw_push(&w, &key, 999, body).await;
    assert_eq!(status, 409);
    assert_eq!(stored(&w), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_refused_and_keeps_its_forms() {
    let w = world().await;
    let id = w.device.store.sync_identity().unwrap().unwrap().device_id;
    w.sup.revoke(id).await.unwrap();
    let err = sync::sync(
        &w.device.store,
        &SyncConfig::default(),
        None,
        &CancelToken::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), Some(codes::REVOKED));
    assert!(!err.is_transient());
    assert_eq!(w.device.store.outbox_counts().unwrap().pending, 1);
    assert_eq!(stored(&w), (0, 0));
    assert!(w
        .sup
        .audit()
        .await
        .unwrap()
        .iter()
        .any(|r| r.action == "revoke"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_sealed_blob_is_rejected_alone() {
    let w = world().await;
    let good = sealed_blob(&w).await;
    let key = device_key(&w);
    // Version, ephemeral key, ciphertext, tag, signature (seal format 2:
    // the version is byte 36, the ephemeral key bytes 38..70).
    for at in [36usize, 60, 120, good.len() - 70, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        let (status, answer) =
            raw_push(&w, &key, 2_000 + at as u64, wire::encode_push(&[&bad])).await;
        assert_eq!(status, 200);
        let answer: PushResponse = serde_json::from_slice(&answer).unwrap();
        assert_eq!(
            answer.results[0].status,
            wire::OpStatus::Rejected,
            "byte {at}"
        );
        assert_eq!(
            answer.results[0].code.as_deref(),
            Some(codes::TAMPERED),
            "byte {at}"
        );
    }
    assert_eq!(stored(&w), (0, 0));
    // The genuine operation still goes through (the device's own request
    // numbers are below the ones used above: it resumes above them).
    let r = sync::sync(
        &w.device.store,
        &SyncConfig::default(),
        None,
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(r.stored, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_rule_pack_is_refused_by_registry_and_device() {
    let w = world().await;
    let toml = include_bytes!("../../core/packs/kz-default.toml");
    let text = String::from_utf8_lossy(toml).replace("kz-2026.1", "kz-2026.2");

    // A supervisor uploads a pack with a signature from an unknown key.
    let (outsider, _) = komek_core::rules::signing::PackSigner::generate().unwrap();
    let err = w
        .sup
        .publish_rules(text.as_bytes(), Some(&outsider.sign(text.as_bytes())))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::TAMPERED));

    // The registry's storage is altered behind its back: bytes changed after
    // signing. The device refuses it and keeps its active pack.
    let signature = {
        // Signed by the registry's own key over the genuine text...
        let version = w.sup.publish_rules(text.as_bytes(), None).await.unwrap();
        assert_eq!(version, "kz-2026.2");
        w.registry
            .state
            .storage
            .pack("kz-2026.2")
            .unwrap()
            .unwrap()
            .1
    };
    let altered = text
        .replace("kz-2026.2", "kz-2026.3")
        .replace("3932", "9932");
    w.registry
        .state
        .storage
        .publish_pack("kz-2026.3", altered.as_bytes(), &signature, "intruder", 0)
        .unwrap();

    let r = sync::sync(
        &w.device.store,
        &SyncConfig::default(),
        None,
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(r.rule_packs, vec!["kz-2026.2".to_string()]);
    assert_eq!(r.refused_packs.len(), 1);
    assert_eq!(r.refused_packs[0].0, "kz-2026.3");
    let kept: Vec<String> = w
        .device
        .store
        .rule_packs()
        .unwrap()
        .into_iter()
        .map(|p| p.version)
        .collect();
    assert_eq!(kept, vec!["kz-2026.2".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_and_reused_enrolment_codes_are_refused() {
    let w = world().await;
    let other = Device::new(w._dir.path(), "other").unwrap();
    let err = sync::enrol(&other.store, &w.registry.url(), "AAAAA-BBBBB", "")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::BAD_CODE));
    assert!(other.store.sync_identity().unwrap().is_none());

    let code = w.sup.enrolment_code().await.unwrap();
    sync::enrol(&other.store, &w.registry.url(), &code, "")
        .await
        .unwrap();
    let third = Device::new(w._dir.path(), "third").unwrap();
    let err = sync::enrol(&third.store, &w.registry.url(), &code, "")
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Registry { status: 403, .. }),
        "{err}"
    );
    assert_eq!(w.registry.state.storage.devices().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_signed_by_another_device_is_rejected() {
    let w = world().await;
    let blob = sealed_blob(&w).await;
    // A second device replays the first device's sealed form as its own.
    let other = office::enrolled(w._dir.path(), "other", &w.registry.url(), &w.sup)
        .await
        .unwrap();
    let key =
        DeviceKey::from_pkcs8(&other.store.sync_identity().unwrap().unwrap().device_pkcs8).unwrap();
    let (_, body) = raw_push_as(&w, &other, &key, 1, wire::encode_push(&[&blob])).await;
    let answer: PushResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.results[0].code.as_deref(), Some(codes::WRONG_DEVICE));
    assert_eq!(stored(&w), (0, 0));
}
