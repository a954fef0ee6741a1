//! Operations endpoints: `/healthz` on the main listener (no
//! authentication) answers when the database does; `/metrics` is served
//! only on the metrics listener, in Prometheus text, counting requests by
//! route template (never a path with an id in it).

use komek_registry::client::SupervisorClient;
use komek_registry::ServeOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_and_metrics_count_by_route_template_on_their_own_listener() {
    let dir = tempfile::tempdir().unwrap();
    let registry = komek_registry::start_serving(
        &dir.path().join("registry"),
        "127.0.0.1:0".parse().unwrap(),
        &ServeOptions::default(),
        komek_registry::ServerLimits::default(),
        Some("127.0.0.1:0".parse().unwrap()),
    )
    .await
    .unwrap();
    let state = registry.state.clone();
    tokio::task::spawn_blocking(move || {
        komek_registry::add_supervisor(&state, "sup", "password123")
    })
    .await
    .unwrap()
    .unwrap();
    let metrics_addr = registry.metrics_addr.expect("a metrics listener");
    assert_ne!(metrics_addr, registry.addr);
    let http = reqwest::Client::new();
    let url = registry.url();

    let health = http.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let body: serde_json::Value = serde_json::from_slice(&health.bytes().await.unwrap()).unwrap();
    assert_eq!(body["status"], "ok");
    let health = http
        .get(format!("http://{metrics_addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);

    // Not on the port devices and supervisors reach.
    let hidden = http.get(format!("{url}/metrics")).send().await.unwrap();
    assert_eq!(hidden.status().as_u16(), 404);

    let sup = SupervisorClient::login(&url, "sup", "password123")
        .await
        .unwrap();
    assert!(sup.cases(None).await.unwrap().is_empty());
    let probe = uuid::Uuid::from_bytes([0xab; 16]);
    assert!(sup.case(probe, "en").await.is_err());
    assert!(SupervisorClient::login(&url, "sup", "wrong password")
        .await
        .is_err());

    // Any method a client invents counts as `other`: no label grows
    // without bound.
    let odd = reqwest::Method::from_bytes(b"KOMEKPROBE").unwrap();
    http.request(odd, format!("{url}/v1/info"))
        .send()
        .await
        .unwrap();

    let resp = http
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = resp.text().await.unwrap();
    let has = |line: &str| text.lines().any(|l| l == line);
    let login = "route=\"/v1/supervisor/login\",method=\"POST\"";
    assert!(
        has(&format!(
            "komek_http_requests_total{{{login},status=\"200\"}} 1"
        )),
        "{text}"
    );
    assert!(
        has(&format!(
            "komek_http_requests_total{{{login},status=\"401\"}} 1"
        )),
        "{text}"
    );
    assert!(has(
        "komek_http_requests_total{route=\"/v1/supervisor/cases/{id}\",method=\"GET\",status=\"404\"} 1"
    ));
    assert!(has(
        "komek_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"
    ));
    assert!(has(
        "komek_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"
    ));
    assert!(text.contains(&format!(
        "komek_http_request_duration_seconds_count{{{login}}} 2"
    )));
    assert!(has("komek_forms_ingested_total{outcome=\"stored\"} 0"));
    // The client's kept-alive connection is open; the metrics request is
    // not counted on the main listener.
    let open: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("komek_open_connections "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(open >= 1, "{text}");
    // No ids, no names: the probed case id and the supervisor's name are
    // nowhere in the text.
    assert!(!text.contains(&probe.to_string()));
    assert!(text.contains("method=\"other\""));
    assert!(!text.contains("KOMEKPROBE"));
    // Every request on the main listener has been answered.
    assert!(has("komek_http_requests_in_flight 0"), "{text}");
    assert!(!text.contains("sup\""));
    registry.stop().await;
}
