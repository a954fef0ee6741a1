//! The registry's HTTP API against hostile or mistaken callers (issue 11,
//! findings 1, 2, 5, 6, 7, 12 and 13, registry side): each test fails on
//! the registry before the fix.

use chrono::NaiveDate;
use komek_core::crypto::seal::DeviceKey;
use komek_core::sync::auth::sign_request;
use komek_core::sync::wire::{self, ApiError};
use komek_core::sync::{self, codes, CancelToken, SyncConfig};
use komek_registry::client::SupervisorClient;
use komek_registry::RunningRegistry;
use komek_tests::device::Device;
use komek_tests::office;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

struct World {
    dir: tempfile::TempDir,
    registry: RunningRegistry,
    sup: SupervisorClient,
    device: Device,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let device = office::enrolled(dir.path(), "a", &registry.url(), &sup)
        .await
        .unwrap();
    World {
        dir,
        registry,
        sup,
        device,
    }
}

async fn sync_now(d: &Device) -> Result<sync::SyncReport, sync::SyncError> {
    sync::sync(&d.store, &SyncConfig::default(), None, &CancelToken::new()).await
}

fn db(w: &World) -> rusqlite::Connection {
    rusqlite::Connection::open(w.dir.path().join("registry/registry.sqlite")).unwrap()
}

fn device_id(d: &Device) -> Uuid {
    d.store.sync_identity().unwrap().unwrap().device_id
}

fn device_key(d: &Device) -> DeviceKey {
    DeviceKey::from_pkcs8(&d.store.sync_identity().unwrap().unwrap().device_pkcs8).unwrap()
}

/// Status and parsed JSON error body (the body must be the API's error).
async fn refusal(resp: reqwest::Response) -> (u16, ApiError) {
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let body = resp.bytes().await.unwrap();
    assert_eq!(ct.as_deref(), Some("application/json"), "{status} {body:?}");
    (status, serde_json::from_slice(&body).unwrap())
}

/// Send raw request head bytes and read what the registry answers within
/// 10 s without the body ever being sent.
async fn head_only(w: &World, head: String) -> String {
    let mut tcp = tokio::net::TcpStream::connect(w.registry.addr)
        .await
        .unwrap();
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut buf))
        .await
        .expect("the registry waited for a body it should not read")
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

// ---- finding 1: rule pack versions, unservable packs, withdrawal

fn pack_with_version(v: &str) -> String {
    komek_core::rules::pack::DEFAULT_PACK_TOML
        .replace("version = \"kz-2026.1\"", &format!("version = \"{v}\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pack_versions_outside_the_grammar_are_refused_at_publish() {
    let w = world().await;
    let long = "a".repeat(129);
    for bad in ["kz-2026.7/a", long.as_str(), "KZ-2026.2", "kz 2026"] {
        let err = w
            .sup
            .publish_rules(pack_with_version(bad).as_bytes(), None)
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(codes::BAD_REQUEST), "{bad}");
        assert!(err.to_string().contains("version"), "{err}");
    }
    // Nothing was announced: the device syncs and sees no pack.
    let r = sync_now(&w.device).await.unwrap();
    assert!(r.rule_packs.is_empty() && r.refused_packs.is_empty());
}

/// An announced pack the registry cannot serve (a version from before the
/// grammar, or a pack gone from the table) is refused by the device, and
/// the events after it still arrive: the sync never sticks on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unservable_pack_never_stops_a_devices_pull() {
    let w = world().await;
    let h = komek_core::synth::households(3, 1, today());
    w.device.capture(&h, today()).unwrap();
    sync_now(&w.device).await.unwrap();
    for version in ["kz-2026.7/a", "kz-2026.9"] {
        db(&w)
            .execute(
                "INSERT INTO events (recipient, kind, payload) VALUES (NULL, 'rule_pack', ?1)",
                [version.as_bytes()],
            )
            .unwrap();
    }
    w.sup.decide(h[0].id, "review", None).await.unwrap();
    let r = sync_now(&w.device).await.unwrap();
    assert_eq!(r.decisions, 1);
    let refused: Vec<&str> = r.refused_packs.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(refused, ["kz-2026.7/a", "kz-2026.9"]);
    assert!(r.rule_packs.is_empty());
    // The cursor moved past them.
    let again = sync_now(&w.device).await.unwrap();
    assert!(again.refused_packs.is_empty() && again.decisions == 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_withdraws_a_pack_and_devices_no_longer_get_it() {
    let w = world().await;
    let text = pack_with_version("kz-2026.2");
    assert_eq!(
        w.sup.publish_rules(text.as_bytes(), None).await.unwrap(),
        "kz-2026.2"
    );
    w.sup.withdraw_rules("kz-2026.2").await.unwrap();
    let r = sync_now(&w.device).await.unwrap();
    assert!(r.rule_packs.is_empty() && r.refused_packs.is_empty());
    let resp = reqwest::get(format!("{}/v1/rules/kz-2026.2", w.registry.url()))
        .await
        .unwrap();
    assert_eq!(refusal(resp).await.0, 404);
    // Audited; twice is "not found"; a bad version is a 400; without a
    // token a 401.
    let audit = w.sup.audit().await.unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "withdraw_rules" && a.subject.as_deref() == Some("kz-2026.2")));
    let err = w.sup.withdraw_rules("kz-2026.2").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::NOT_FOUND));
    let err = w.sup.withdraw_rules("kz/../x").await.unwrap_err();
    assert_eq!(err.code(), Some(codes::BAD_REQUEST));
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/v1/supervisor/rules/kz-2026.2/withdraw",
            w.registry.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(refusal(resp).await.0, 401);
}

// ---- finding 2: supervisor texts bounded, pages never poisoned

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_comment_is_refused_and_an_old_one_cannot_poison_pages() {
    let w = world().await;
    let h = komek_core::synth::households(4, 2, today());
    w.device.capture(&h, today()).unwrap();
    sync_now(&w.device).await.unwrap();
    // 5,000 bytes: within the body limit, over the comment's 4,096.
    let huge = "ж".repeat(2_500);
    let err = w
        .sup
        .decide(h[0].id, "return", Some(&huge))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::BAD_REQUEST));
    assert!(err.to_string().contains("comment"), "{err}");
    // Finding 11: a terminal escape in a comment is refused the same way
    // (it would reach the field worker's screen and the office terminal).
    let err = w
        .sup
        .decide(h[0].id, "return", Some("fix \u{1b}[2J the income"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(codes::BAD_REQUEST));
    assert!(err.to_string().contains("control character"), "{err}");
    let (row, _) = w.registry.state.storage.case(h[0].id).unwrap().unwrap();
    assert_eq!(row.status, wire::CaseStatus::Received);
    // A comment stored before the bound (70 KiB, more than a page may
    // carry), then a decision: the page leaves the comment out and the
    // decision arrives.
    db(&w)
        .execute(
            "INSERT INTO events (recipient, kind, case_id, version, payload)
             VALUES (?1, 'comment', ?2, 1, ?3)",
            rusqlite::params![
                device_id(&w.device).as_bytes(),
                h[1].id.as_bytes(),
                vec![0u8; 70 * 1024]
            ],
        )
        .unwrap();
    w.sup.decide(h[1].id, "approve", None).await.unwrap();
    let r = sync_now(&w.device).await.unwrap();
    assert_eq!((r.decisions, r.comments), (1, 0));
}

// ---- finding 5: authenticate before reading; limits per route

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_not_read_before_the_caller_is_known() {
    let w = world().await;
    // A supervisor route without a token, announcing 900 KB it never sends.
    let answer = head_only(
        &w,
        "POST /v1/supervisor/rules HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         content-length: 900000\r\n\r\n"
            .into(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    // A push from a device id nobody enrolled.
    let answer = head_only(
        &w,
        format!(
            "POST /v1/push HTTP/1.1\r\nhost: x\r\nkomek-device: {}\r\nkomek-seq: 1\r\n\
             komek-signature: AAAA\r\ncontent-length: 1000000\r\n\r\n",
            Uuid::new_v4()
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    // An enrolled device announcing more than any push may carry.
    let answer = head_only(
        &w,
        format!(
            "POST /v1/push HTTP/1.1\r\nhost: x\r\nkomek-device: {}\r\nkomek-seq: 1\r\n\
             komek-signature: AAAA\r\ncontent-length: {}\r\n\r\n",
            device_id(&w.device),
            wire::MAX_PUSH_BYTES + 1
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(codes::TOO_LARGE), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_route_has_its_own_limit_and_every_refusal_is_json() {
    let w = world().await;
    let http = reqwest::Client::new();
    let url = w.registry.url();
    // A decision body of 20 KiB (small JSON: 16 KiB) sent chunked, with no
    // declared length: refused once the limit is passed.
    let chunk = format!("{:x}\r\n{}\r\n", 1024, "x".repeat(1024));
    let answer = head_only(
        &w,
        format!(
            "POST /v1/supervisor/cases/{}/review HTTP/1.1\r\nhost: x\r\n\
             authorization: Bearer {}\r\ntransfer-encoding: chunked\r\n\r\n{}",
            Uuid::new_v4(),
            w.sup.token(),
            chunk.repeat(20)
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(codes::TOO_LARGE), "{answer}");
    // A pack upload announcing 2 MiB (packs: 1 MiB): refused at once.
    let answer = head_only(
        &w,
        format!(
            "POST /v1/supervisor/rules HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\n\
             content-length: {}\r\n\r\n",
            w.sup.token(),
            2 * 1024 * 1024
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Framework refusals: unknown route, wrong method, malformed id, broken
    // JSON.
    let cases = [
        http.get(format!("{url}/v1/nowhere")),
        http.delete(format!("{url}/v1/info")),
        http.get(format!("{url}/v1/supervisor/cases/not-a-uuid"))
            .bearer_auth(w.sup.token()),
        http.post(format!("{url}/v1/supervisor/login"))
            .body("{\"name\": \"sup\", "),
    ];
    let mut statuses = Vec::new();
    for req in cases {
        statuses.push(refusal(req.send().await.unwrap()).await.0);
    }
    assert_eq!(statuses, [404, 405, 400, 400]);
}

// ---- finding 6: registry JSON bodies refuse unknown fields

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misspelled_field_is_refused_and_named() {
    let w = world().await;
    let http = reqwest::Client::new();
    let url = w.registry.url();
    let bodies = [
        (
            "/v1/supervisor/enrolment-codes",
            r#"{"center": "North"}"#,
            "center",
        ),
        (
            "/v1/supervisor/login",
            r#"{"name": "sup", "password": "password123", "otp": 1}"#,
            "otp",
        ),
        (
            "/v1/enrol",
            r#"{"code": "X", "device_key": "", "inbox_ephemeral": "", "lable": "t"}"#,
            "lable",
        ),
        (
            "/v1/supervisor/rules",
            r#"{"toml": "", "sig": "AAAA"}"#,
            "sig",
        ),
    ];
    for (path, body, field) in bodies {
        let resp = http
            .post(format!("{url}{path}"))
            .bearer_auth(w.sup.token())
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, e) = refusal(resp).await;
        assert_eq!(
            (status, e.code.as_str()),
            (400, codes::BAD_REQUEST),
            "{path}"
        );
        assert!(
            e.message.contains(&format!("unknown field `{field}`")),
            "{path}: {}",
            e.message
        );
    }
    // An array in place of the object (serde would read it as "all
    // defaults"): refused too (found by scripts/api-schema-check.sh).
    let resp = http
        .post(format!("{url}/v1/supervisor/enrolment-codes"))
        .bearer_auth(w.sup.token())
        .body("[]")
        .send()
        .await
        .unwrap();
    assert_eq!(refusal(resp).await.0, 400);
    // No code was made for the default centre by the misspelled request.
    let codes_made: i64 = db(&w)
        .query_row("SELECT count(*) FROM enrolment_codes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(codes_made, 1, "only the world's own device's code");
}

// ---- finding 7: a case keeps its device

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_device_cannot_take_over_a_case() {
    let w = world().await;
    let b = office::enrolled(w.dir.path(), "b", &w.registry.url(), &w.sup)
        .await
        .unwrap();
    let h = komek_core::synth::households(7, 1, today());
    w.device.capture(&h, today()).unwrap();
    sync_now(&w.device).await.unwrap();
    // Device b learns the case id and makes versions 1 and 2 of it.
    b.capture(&h, today()).unwrap();
    let mut v2 = b.store.start_correction(h[0].id).unwrap();
    v2.notes = Some("taken over".into());
    b.store.save_draft(&v2).unwrap();
    b.store.finalize(h[0].id, today()).unwrap();
    let r = sync_now(&b).await.unwrap();
    assert_eq!(r.stored, 0);
    // Version 1 carries the owner's operation id (seq_conflict); version 2
    // is another device's version of the case.
    let codes_back: Vec<&str> = r.rejected.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes_back, [codes::SEQ_CONFLICT, codes::NOT_CASE_OWNER]);
    let case = w.sup.case(h[0].id, "en").await.unwrap();
    assert_eq!(
        (case.device_id, case.version, case.flagged),
        (device_id(&w.device), 1, false)
    );
    assert!(w
        .sup
        .audit()
        .await
        .unwrap()
        .iter()
        .any(|a| a.action == "foreign_version_refused"));
    // The owner's own version 2 is delivered as the normal path.
    let mut own = w.device.store.start_correction(h[0].id).unwrap();
    own.notes = Some("owner's correction".into());
    w.device.store.save_draft(&own).unwrap();
    w.device.store.finalize(h[0].id, today()).unwrap();
    let r = sync_now(&w.device).await.unwrap();
    assert_eq!((r.stored, r.flagged), (1, 0));
    let case = w.sup.case(h[0].id, "en").await.unwrap();
    assert_eq!(case.version, 2);
    assert_eq!(case.household.notes.as_deref(), Some("owner's correction"));
}

// ---- finding 12: sequences beyond i64 refused before storing

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sequence_beyond_i64_is_refused_and_changes_nothing() {
    let w = world().await;
    let id = device_id(&w.device);
    let key = device_key(&w.device);
    for seq in [1u64 << 63, u64::MAX] {
        let path = "/v1/pull?after=0&limit=10";
        let sig = sign_request(&key, "GET", path, id, seq, &[]);
        let resp = reqwest::Client::new()
            .get(format!("{}{path}", w.registry.url()))
            .header(wire::HEADER_DEVICE, id.to_string())
            .header(wire::HEADER_SEQ, seq.to_string())
            .header(wire::HEADER_SIGNATURE, sig)
            .send()
            .await
            .unwrap();
        let (status, e) = refusal(resp).await;
        assert_eq!(
            (status, e.code.as_str()),
            (400, codes::OUT_OF_RANGE),
            "{seq}"
        );
    }
    let stored = w.registry.state.storage.device(id).unwrap().unwrap();
    assert!(stored.last_seq < 1_000, "{}", stored.last_seq);
    // The device still syncs.
    let h = komek_core::synth::households(8, 1, today());
    w.device.capture(&h, today()).unwrap();
    assert_eq!(sync_now(&w.device).await.unwrap().stored, 1);
}

// ---- finding 13: sessions, order of checks, one answer for devices

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_and_logout_end_sessions() {
    let w = world().await;
    let other = office::login(&w.registry.url()).await.unwrap();
    other.logout().await.unwrap();
    assert_eq!(
        other.audit().await.unwrap_err().code(),
        Some(codes::UNAUTHORIZED)
    );
    assert!(w.sup.devices().await.is_ok());
    komek_registry::add_supervisor(&w.registry.state, office::SUPERVISOR, "a new password!")
        .unwrap();
    assert_eq!(
        w.sup.audit().await.unwrap_err().code(),
        Some(codes::UNAUTHORIZED)
    );
    let audit = w.registry.state.storage.audit_log().unwrap();
    assert!(audit.iter().any(|a| a.action == "logout"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisor_routes_authenticate_before_looking_at_input() {
    let w = world().await;
    let http = reqwest::Client::new();
    let url = w.registry.url();
    let probes = [
        http.post(format!("{url}/v1/supervisor/cases/not-a-uuid/bogus")),
        http.post(format!(
            "{url}/v1/supervisor/cases/{}/bogus",
            Uuid::new_v4()
        )),
        http.post(format!(
            "{url}/v1/supervisor/cases/{}/return",
            Uuid::new_v4()
        ))
        .body("{}"),
        http.post(format!("{url}/v1/supervisor/enrolment-codes"))
            .body(r#"{"centre": "a/b"}"#),
        http.post(format!("{url}/v1/supervisor/rules"))
            .body("not json"),
        http.get(format!("{url}/v1/supervisor/cases?status=nonsense")),
        http.post(format!("{url}/v1/supervisor/devices/x/revoke")),
    ];
    for req in probes {
        let (status, e) = refusal(req.send().await.unwrap()).await;
        assert_eq!((status, e.code.as_str()), (401, codes::UNAUTHORIZED));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_device_and_a_bad_signature_get_the_same_answer() {
    let w = world().await;
    let forger = DeviceKey::generate().unwrap();
    let enrolled = device_id(&w.device);
    let mut answers = Vec::new();
    for id in [enrolled, Uuid::new_v4()] {
        let sig = sign_request(&forger, "POST", "/v1/push", id, 5, b"x");
        let resp = reqwest::Client::new()
            .post(format!("{}/v1/push", w.registry.url()))
            .header(wire::HEADER_DEVICE, id.to_string())
            .header(wire::HEADER_SEQ, "5")
            .header(wire::HEADER_SIGNATURE, sig)
            .body("x")
            .send()
            .await
            .unwrap();
        let (status, e) = refusal(resp).await;
        answers.push((status, e.code, e.message));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].1, codes::BAD_SIGNATURE);
    // Revocation too is told only to a request that verifies.
    w.sup.revoke(enrolled).await.unwrap();
    let sig = sign_request(&forger, "POST", "/v1/push", enrolled, 6, b"x");
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/push", w.registry.url()))
        .header(wire::HEADER_DEVICE, enrolled.to_string())
        .header(wire::HEADER_SEQ, "6")
        .header(wire::HEADER_SIGNATURE, sig)
        .body("x")
        .send()
        .await
        .unwrap();
    let (status, e) = refusal(resp).await;
    assert_eq!((status, e.code), (401, codes::BAD_SIGNATURE.to_string()));
}
