//! Both wire formats of a sealed form reach the registry and read back the
//! same household: format 1 with JSON + zstd content (devices before the
//! compact codec; their blobs are already stored) and format 2 with the
//! compact codec, side by side in one push.

use chrono::NaiveDate;
use komek_core::crypto::seal::{self, DeviceKey, SealHeader, ENTITY_HOUSEHOLD};
use komek_core::sync::auth::sign_request;
use komek_core::sync::codec;
use komek_core::sync::wire::{self, OpStatus, PushResponse};
use komek_core::sync::{self as ksync, CancelToken, SyncConfig};
use komek_tests::office;
use uuid::Uuid;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_and_new_sealed_formats_are_stored_and_read_back_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let device = office::enrolled(dir.path(), "d", &registry.url(), &sup)
        .await
        .unwrap();
    let hs = komek_core::synth::households(61, 2, today());
    device.capture(&hs, today()).unwrap();
    let id = device.store.sync_identity().unwrap().unwrap();
    let key = DeviceKey::from_pkcs8(&id.device_pkcs8).unwrap();
    let ops = device.store.outbox_pending(10).unwrap();
    assert_eq!(ops.len(), 2);

    let mut blobs = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let h = device
            .store
            .load_for_sync(op.entity_id, op.version)
            .unwrap();
        let mut header = SealHeader {
            entity: ENTITY_HOUSEHOLD,
            device_id: id.device_id,
            op_id: op.op_id,
            entity_id: op.entity_id,
            device_seq: u64::try_from(op.device_seq).unwrap(),
            version: op.version,
            base_version: op.base_version,
        };
        let blob = if i == 0 {
            // As an old device sealed it: random operation id, format 1,
            // JSON + zstd content.
            header.op_id = Uuid::new_v4();
            let plain = codec::encode_legacy_json(&h).unwrap();
            seal::seal_op_v1(&header, &plain, &id.seal_key, &key).unwrap()
        } else {
            seal::seal_op(&header, &codec::encode(&h).unwrap(), &id.seal_key, &key).unwrap()
        };
        blobs.push((h, blob));
    }
    assert_eq!(blobs[0].1[0], seal::SEAL_FORMAT_V1);
    assert_eq!(blobs[1].1[0], seal::SEAL_FORMAT);
    assert!(blobs[1].1.len() < blobs[0].1.len() / 3);

    let body = wire::encode_push(&[&blobs[0].1, &blobs[1].1]);
    let sig = sign_request(&key, "POST", "/v1/push", id.device_id, 1_000, &body);
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/push", registry.url()))
        .header(wire::HEADER_DEVICE, id.device_id.to_string())
        .header(wire::HEADER_SEQ, "1000")
        .header(wire::HEADER_SIGNATURE, sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let answer: PushResponse = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert!(
        answer.results.iter().all(|r| r.status == OpStatus::Stored),
        "{answer:?}"
    );

    // The registry keeps the exact bytes and decodes each as it was written.
    for (h, blob) in &blobs {
        let (_, stored) = registry.state.storage.case(h.id).unwrap().unwrap();
        assert_eq!(&stored, blob);
        let view = sup.case(h.id, "en").await.unwrap();
        assert_eq!(&view.household, h);
        assert!(!view.precheck.is_empty());
    }
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_sync_sends_format_2_with_compact_content() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let device = office::enrolled(dir.path(), "d", &registry.url(), &sup)
        .await
        .unwrap();
    let hs = komek_core::synth::households(62, 6, today());
    device.capture(&hs, today()).unwrap();
    let report = ksync::sync(
        &device.store,
        &SyncConfig::default(),
        None,
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(report.stored, 6);
    for h in &hs {
        let (_, blob) = registry.state.storage.case(h.id).unwrap().unwrap();
        let op = seal::SealedOp::parse(&blob).unwrap();
        assert_eq!(blob[0], seal::SEAL_FORMAT);
        // The outbox's operation id is the derived one, so it is not sent.
        assert_eq!(op.header.op_id, seal::derived_op_id(h.id, 1));
        assert_eq!(op.header_len(), 35 + 3 + 32);
        let view = sup.case(h.id, "ru").await.unwrap();
        assert_eq!(view.household.members, h.members);
        assert_eq!(view.household.incomes, h.incomes);
        assert!(view.household.is_final());
    }
    registry.stop().await;
}

/// The registry answers push and pull in JSON unless the device asks for a
/// compact frame by name, and both answers say the same thing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_json_by_default_and_compact_frames_when_asked() {
    use komek_core::sync::frames;
    use komek_core::sync::wire::PullResponse;
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let device = office::enrolled(dir.path(), "d", &registry.url(), &sup)
        .await
        .unwrap();
    let hs = komek_core::synth::households(63, 3, today());
    device.capture(&hs, today()).unwrap();
    let id = device.store.sync_identity().unwrap().unwrap();
    let key = DeviceKey::from_pkcs8(&id.device_pkcs8).unwrap();
    let mut blobs = Vec::new();
    for op in device.store.outbox_pending(10).unwrap() {
        let h = device
            .store
            .load_for_sync(op.entity_id, op.version)
            .unwrap();
        let header = SealHeader {
            entity: ENTITY_HOUSEHOLD,
            device_id: id.device_id,
            op_id: op.op_id,
            entity_id: op.entity_id,
            device_seq: u64::try_from(op.device_seq).unwrap(),
            version: op.version,
            base_version: op.base_version,
        };
        blobs
            .push(seal::seal_op(&header, &codec::encode(&h).unwrap(), &id.seal_key, &key).unwrap());
    }
    let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
    let body = wire::encode_push(&refs);
    let http = reqwest::Client::new();
    let mut seq = 100u64;
    let mut signed = |method: reqwest::Method, path: &str, body: &[u8], accept: Option<&str>| {
        seq += 1;
        let sig = sign_request(&key, method.as_str(), path, id.device_id, seq, body);
        let mut req = http
            .request(method, format!("{}{path}", registry.url()))
            .header(wire::HEADER_DEVICE, id.device_id.to_string())
            .header(wire::HEADER_SEQ, seq.to_string())
            .header(wire::HEADER_SIGNATURE, sig)
            .body(body.to_vec());
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        req.send()
    };
    let content_type = |r: &reqwest::Response| {
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };

    // Push: the frame first (stored), then JSON (the same batch: duplicates).
    let resp = signed(
        reqwest::Method::POST,
        "/v1/push",
        &body,
        Some(wire::RESULTS_CONTENT_TYPE),
    )
    .await
    .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(content_type(&resp), wire::RESULTS_CONTENT_TYPE);
    let framed = resp.bytes().await.unwrap();
    let stored = frames::decode_results(&framed).unwrap();
    assert_eq!(stored.len(), 3);
    assert!(
        stored.iter().all(|r| r.status == OpStatus::Stored),
        "{stored:?}"
    );
    assert_eq!(framed.len(), 3 + 1 + 3 * 2);
    let resp = signed(reqwest::Method::POST, "/v1/push", &body, Some("*/*"))
        .await
        .unwrap();
    assert!(content_type(&resp).starts_with("application/json"));
    let json: PushResponse = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert!(json.results.iter().all(|r| r.status == OpStatus::Duplicate));
    let seqs = |rs: &[wire::OpResult]| rs.iter().map(|r| r.device_seq).collect::<Vec<_>>();
    assert_eq!(seqs(&json.results), seqs(&stored));

    // Pull: the same page both ways, the frame much smaller.
    let path = "/v1/pull?after=0&limit=200";
    let resp = signed(
        reqwest::Method::GET,
        path,
        b"",
        Some(wire::EVENTS_CONTENT_TYPE),
    )
    .await
    .unwrap();
    assert_eq!(content_type(&resp), wire::EVENTS_CONTENT_TYPE);
    let framed = resp.bytes().await.unwrap();
    let page = frames::decode_events(&framed).unwrap();
    assert_eq!(page.events.len(), 3);
    let resp = signed(reqwest::Method::GET, path, b"", None).await.unwrap();
    assert!(content_type(&resp).starts_with("application/json"));
    let json_bytes = resp.bytes().await.unwrap();
    let json: PullResponse = serde_json::from_slice(&json_bytes).unwrap();
    assert_eq!(frames::EventsPage::from_json(json).unwrap(), page);
    assert!(
        framed.len() * 4 < json_bytes.len(),
        "{} vs {}",
        framed.len(),
        json_bytes.len()
    );

    // Refusals stay JSON whatever was asked.
    let resp = signed(
        reqwest::Method::POST,
        "/v1/push",
        b"junk",
        Some(wire::RESULTS_CONTENT_TYPE),
    )
    .await
    .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    assert!(content_type(&resp).starts_with("application/json"));
    registry.stop().await;
}
