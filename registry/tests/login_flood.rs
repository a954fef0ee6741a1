//! Guessing passwords and enrolment codes is throttled and audited, and a
//! flood of logins runs at most one password hash per core (issue 11,
//! finding 3). No timings are asserted: the peak is counted by the registry.

use komek_registry::client::SupervisorClient;

async fn registry() -> (tempfile::TempDir, komek_registry::RunningRegistry) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    {
        let state = komek_registry::open_state(&data).unwrap();
        komek_registry::add_supervisor(&state, "sup", "password123").unwrap();
    }
    let running = komek_registry::start(&data, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    (dir, running)
}

async fn login(url: &str, name: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{url}/v1/supervisor/login"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"name": name, "password": password}).to_string())
        .send()
        .await
        .unwrap()
}

async fn code_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    (status, body["code"].as_str().unwrap_or("").to_string())
}

#[tokio::test]
async fn a_name_is_locked_after_wrong_passwords_and_every_failure_is_audited() {
    let (_dir, registry) = registry().await;
    let url = registry.url();
    for _ in 0..5 {
        assert_eq!(
            code_of(login(&url, "sup", "wrong").await).await,
            (401, "unauthorized".into())
        );
    }
    // The sixth failure locks the name: even the right password waits.
    assert_eq!(code_of(login(&url, "sup", "wrong").await).await.0, 401);
    let locked = login(&url, "sup", "password123").await;
    assert!(locked.headers().get("retry-after").is_some());
    assert_eq!(code_of(locked).await, (429, "too_many_attempts".into()));
    // A name that does not exist is locked the same way (the answers do
    // not tell names apart), and is audited without its text.
    for _ in 0..6 {
        assert_eq!(code_of(login(&url, "nobody", "x").await).await.0, 401);
    }
    assert_eq!(code_of(login(&url, "nobody", "x").await).await.0, 429);

    let audit = registry.state.storage.audit_log().unwrap();
    let count = |actor: &str, action: &str| {
        audit
            .iter()
            .filter(|r| r.actor == actor && r.action == action)
            .count()
    };
    assert_eq!(count("sup", "login_failed"), 6);
    assert_eq!(count("sup", "login_locked_name"), 1);
    assert_eq!(count("unknown name", "login_failed"), 6);
    assert!(audit.iter().all(|r| r.actor != "nobody"));
    assert!(audit
        .iter()
        .filter(|r| r.action == "login_failed")
        .all(|r| r.subject.as_deref() == Some("from 127.0.0.1")));
    registry.stop().await;
}

#[tokio::test]
async fn one_address_guessing_many_names_is_locked() {
    let (_dir, registry) = registry().await;
    let url = registry.url();
    for i in 0..20 {
        let (status, _) = code_of(login(&url, &format!("guess{i}"), "x").await).await;
        assert_eq!(status, 401);
    }
    assert_eq!(code_of(login(&url, "guess20", "x").await).await.0, 401);
    assert_eq!(
        code_of(login(&url, "sup", "password123").await).await,
        (429, "too_many_attempts".into())
    );
    let audit = registry.state.storage.audit_log().unwrap();
    assert!(audit.iter().any(|r| r.action == "login_locked_address"));
    registry.stop().await;
}

#[tokio::test]
async fn concurrent_logins_hash_at_most_one_per_core() {
    let (_dir, registry) = registry().await;
    let url = registry.url();
    // Distinct names, fewer than the address allowance: every one hashes.
    let answers = futures_join(
        (0..16)
            .map(|i| {
                let url = url.clone();
                tokio::spawn(async move { login(&url, &format!("n{i}"), "x").await.status() })
            })
            .collect(),
    )
    .await;
    assert!(answers.iter().all(|s| s.as_u16() == 401), "{answers:?}");
    let peak = registry.state.guards.peak_hashing();
    assert!(peak >= 1);
    assert!(
        peak <= komek_registry::api::guard::hashing_slots(),
        "{peak} hashes ran at once"
    );
    // The right password still works afterwards.
    SupervisorClient::login(&url, "sup", "password123")
        .await
        .unwrap();
    registry.stop().await;
}

async fn futures_join(
    tasks: Vec<tokio::task::JoinHandle<reqwest::StatusCode>>,
) -> Vec<reqwest::StatusCode> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test]
async fn wrong_enrolment_codes_are_throttled_per_address_and_audited() {
    let (_dir, registry) = registry().await;
    let url = registry.url();
    let enrol = |code: String| {
        let url = url.clone();
        async move {
            let body = serde_json::json!({
                "code": code,
                "device_key": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "inbox_ephemeral": "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=",
                "label": ""
            });
            reqwest::Client::new()
                .post(format!("{url}/v1/enrol"))
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..21 {
        let (status, code) = code_of(enrol("AAAAA-AAAAA".into()).await).await;
        assert_eq!((status, code.as_str()), (403, "bad_enrolment_code"));
    }
    // Locked: even a good code waits.
    let sup = SupervisorClient::login(&url, "sup", "password123")
        .await
        .unwrap();
    let good = sup.enrolment_code().await.unwrap();
    let locked = enrol(good).await;
    assert!(locked.headers().get("retry-after").is_some());
    assert_eq!(code_of(locked).await, (429, "too_many_attempts".into()));
    let audit = registry.state.storage.audit_log().unwrap();
    let failed = audit.iter().filter(|r| r.action == "enrol_failed").count();
    assert_eq!(failed, 21);
    assert_eq!(
        audit
            .iter()
            .filter(|r| r.action == "enrol_locked_address")
            .count(),
        1
    );
    registry.stop().await;
}
