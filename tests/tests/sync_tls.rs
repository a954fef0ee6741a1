//! Sync over TLS with pinned certificates: enrolment with the office's pin
//! and by trust on first use, push and pull over TLS (1.3, and 1.2), a
//! registry presenting another certificate refused before anything is sent,
//! plain http to a host that is not loopback refused, rotation to the "next"
//! certificate, and a stalled handshake that does not block other devices.
//!
//! Certificates are self-signed and generated in each test with rcgen (ring),
//! written as PEM files and loaded by the registry the way
//! `komek-registry serve --tls-cert --tls-key` loads them.

use chrono::NaiveDate;
use komek_core::sync::tls::{client_config, Pin, PinnedVerifier, TlsError};
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, SyncConfig, SyncError};
use komek_registry::client::SupervisorClient;
use komek_registry::{RunningRegistry, ServeOptions, TlsFiles};
use komek_tests::device::Device;
use komek_tests::link::{LinkProfile, LinkProxy};
use komek_tests::office::{PASSWORD, SUPERVISOR};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A self-signed certificate and key as PEM files in `dir`, and its pin.
struct Cert {
    files: TlsFiles,
    pin: Pin,
}

fn certificate(dir: &Path, name: &str) -> Cert {
    let c =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let cert_chain = dir.join(format!("{name}.crt.pem"));
    let key = dir.join(format!("{name}.key.pem"));
    std::fs::write(&cert_chain, c.cert.pem()).unwrap();
    std::fs::write(&key, c.key_pair.serialize_pem()).unwrap();
    Cert {
        files: TlsFiles {
            cert_chain,
            key,
            next_pin: None,
        },
        pin: Pin::of_certificate(c.cert.der()),
    }
}

async fn start_tls(data: &Path, files: &TlsFiles) -> RunningRegistry {
    let options = ServeOptions {
        tls: Some(files.clone()),
        ..ServeOptions::default()
    };
    komek_registry::start_with(data, "127.0.0.1:0".parse().unwrap(), &options)
        .await
        .unwrap()
}

async fn supervisor(registry: &RunningRegistry) -> SupervisorClient {
    SupervisorClient::login_pinned(&registry.url(), SUPERVISOR, PASSWORD, registry.tls_pins())
        .await
        .unwrap()
}

struct Office {
    dir: tempfile::TempDir,
    data: PathBuf,
    registry: RunningRegistry,
    sup: SupervisorClient,
    cert: Cert,
}

/// A registry serving TLS with a fresh certificate, its supervisor logged in
/// over pinned TLS.
async fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let cert = certificate(dir.path(), "current");
    let data = dir.path().join("registry");
    let registry = start_tls(&data, &cert.files).await;
    komek_registry::add_supervisor(&registry.state, SUPERVISOR, PASSWORD).unwrap();
    let sup = supervisor(&registry).await;
    Office {
        dir,
        data,
        registry,
        sup,
        cert,
    }
}

fn config() -> SyncConfig {
    SyncConfig {
        max_attempts: 3,
        backoff_base: Duration::from_millis(20),
        ..SyncConfig::default()
    }
}

async fn run_sync(device: &Device) -> Result<sync::SyncReport, SyncError> {
    sync::sync(&device.store, &config(), None, &CancelToken::new()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_enrolled_with_the_pin_pushes_and_pulls_over_tls() {
    let o = office().await;
    let url = o.registry.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    assert_eq!(o.registry.tls_pins(), [o.cert.pin.to_base64()]);

    let device = Device::new(o.dir.path(), "a").unwrap();
    let code = o.sup.enrolment_code().await.unwrap();
    // The office writes the pin as `komek-registry serve` prints it.
    let given = format!("sha256/{}", o.cert.pin);
    let id = sync::enrol_with_pin(&device.store, &url, &code, "tablet A", Some(&given))
        .await
        .unwrap();
    assert_eq!(id.tls_pins, vec![o.cert.pin.to_base64()]);
    assert_eq!(
        device.store.sync_identity().unwrap().unwrap().tls_pins,
        id.tls_pins
    );

    let households = komek_core::synth::households(21, 3, today());
    device.capture(&households, today()).unwrap();
    let report = run_sync(&device).await.unwrap();
    assert_eq!((report.stored, report.duplicates), (3, 0));
    assert!(report.rejected.is_empty());
    assert_eq!(o.registry.state.storage.counts().unwrap(), (3, 3));

    // Decisions and a comment come back over the same pinned TLS.
    o.sup
        .decide(households[0].id, "approve", None)
        .await
        .unwrap();
    o.sup
        .decide(
            households[1].id,
            "return",
            Some("add the alimony certificate"),
        )
        .await
        .unwrap();
    let report = run_sync(&device).await.unwrap();
    assert_eq!((report.decisions, report.comments), (2, 1), "{report:?}");
    let returned = device.store.case(households[1].id).unwrap().unwrap();
    assert_eq!(returned.status, CaseStatus::Returned);
    assert_eq!(returned.comments, vec!["add the alimony certificate"]);
    assert_eq!(
        device.store.case(households[0].id).unwrap().unwrap().status,
        CaseStatus::Approved
    );
    o.registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_pin_the_first_certificate_is_trusted_and_confirmed() {
    let o = office().await;
    let device = Device::new(o.dir.path(), "tofu").unwrap();
    let code = o.sup.enrolment_code().await.unwrap();
    let id = sync::enrol(&device.store, &o.registry.url(), &code, "tofu")
        .await
        .unwrap();
    assert_eq!(id.tls_pins, vec![o.cert.pin.to_base64()]);
    device
        .capture(&komek_core::synth::households(22, 2, today()), today())
        .unwrap();
    assert_eq!(run_sync(&device).await.unwrap().stored, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registry_serves_tls_1_2_too() {
    let o = office().await;
    let verifier = Arc::new(PinnedVerifier::pinned(vec![o.cert.pin]));
    // The device's configuration offers 1.3 and 1.2; this one only 1.2.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS12])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .build()
        .unwrap();
    let resp = client
        .get(format!("{}/v1/info", o.registry.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(verifier.last_seen(), Some(o.cert.pin));

    // And the device's own configuration talks to it too (1.3 preferred).
    let device = Arc::new(PinnedVerifier::pinned(vec![o.cert.pin]));
    let client = reqwest::Client::builder()
        .use_preconfigured_tls(client_config(device).unwrap())
        .build()
        .unwrap();
    let resp = client
        .get(format!("{}/v1/info", o.registry.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_with_another_certificate_is_refused_and_nothing_is_sent() {
    let o = office().await;
    // Devices reach the registry through a link (a TCP proxy): whoever sits
    // behind it can be swapped without the device knowing.
    let proxy = LinkProxy::start(o.registry.addr, LinkProfile::LAN, None).unwrap();
    let url = format!("https://{}", proxy.addr());

    // With a wrong pin, enrolment stops at the first handshake: the one-time
    // code is not spent (it still works below).
    let device = Device::new(o.dir.path(), "a").unwrap();
    let code = o.sup.enrolment_code().await.unwrap();
    let wrong = Pin::of_certificate(b"some other certificate").to_base64();
    let err = sync::enrol_with_pin(&device.store, &url, &code, "a", Some(&wrong))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Tls(TlsError::PinMismatch)),
        "{err:?}"
    );
    assert!(device.store.sync_identity().unwrap().is_none());
    let pin = o.cert.pin.to_base64();
    sync::enrol_with_pin(&device.store, &url, &code, "a", Some(&pin))
        .await
        .unwrap();

    // An impostor with its own certificate (and a copy of the registry's
    // data, so it would accept the forms) takes the registry's place.
    let forms = komek_core::synth::households(23, 2, today());
    device.capture(&forms, today()).unwrap();
    o.registry.stop().await;
    let impostor_cert = certificate(o.dir.path(), "impostor");
    let impostor = start_tls(&o.data, &impostor_cert.files).await;
    proxy.set_upstream(impostor.addr);
    let err = run_sync(&device).await.unwrap_err();
    assert!(
        matches!(err, SyncError::Tls(TlsError::PinMismatch)),
        "{err:?}"
    );
    assert!(!err.is_transient(), "a pin mismatch is not retried");
    // Nothing reached it: no operation stored, every form still pending.
    assert_eq!(impostor.state.storage.counts().unwrap(), (0, 0));
    assert_eq!(device.store.outbox_counts().unwrap().pending, 2);
    impostor.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_a_host_that_is_not_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::new(dir.path(), "a").unwrap();
    // Refused before any connection is tried (the name does not even resolve).
    let err = sync::enrol(
        &device.store,
        "http://registry.invalid:8750",
        "K7P2M-XQ9RT",
        "a",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            &err,
            SyncError::Tls(TlsError::PlainHttpNotLoopback { host }) if host == "registry.invalid"
        ),
        "{err:?}"
    );
    assert!(!err.is_transient());
    assert!(err.to_string().contains("use https"), "{err}");

    // A pin makes no sense on plain http, even on loopback.
    let pin = Pin::of_certificate(b"x").to_base64();
    let err = sync::enrol_with_pin(&device.store, "http://127.0.0.1:9", "c", "a", Some(&pin))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Tls(TlsError::PinWithoutTls)),
        "{err:?}"
    );

    // An identity that points at plain http elsewhere (an edited backup, say)
    // is refused at sync too; so is an https identity with no pins.
    let o = office().await;
    let d = Device::new(o.dir.path(), "c").unwrap();
    let code = o.sup.enrolment_code().await.unwrap();
    sync::enrol(&d.store, &o.registry.url(), &code, "c")
        .await
        .unwrap();
    let mut identity = d.store.sync_identity().unwrap().unwrap();
    identity.registry_url = "http://registry.invalid".into();
    d.store.set_sync_identity(&identity).unwrap();
    assert!(matches!(
        run_sync(&d).await.unwrap_err(),
        SyncError::Tls(TlsError::PlainHttpNotLoopback { .. })
    ));
    identity.registry_url = o.registry.url();
    identity.tls_pins.clear();
    d.store.set_sync_identity(&identity).unwrap();
    assert!(matches!(
        run_sync(&d).await.unwrap_err(),
        SyncError::Tls(TlsError::NoPins)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_to_the_next_certificate_keeps_enrolled_devices_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    let current = certificate(dir.path(), "current");
    let next = certificate(dir.path(), "next");
    let pins = |p: &[&Pin]| p.iter().map(|p| p.to_base64()).collect::<Vec<_>>();

    // Before the rotation is planned: two devices that know the current pin.
    let registry = start_tls(&data, &current.files).await;
    komek_registry::add_supervisor(&registry.state, SUPERVISOR, PASSWORD).unwrap();
    let proxy = LinkProxy::start(registry.addr, LinkProfile::LAN, None).unwrap();
    let url = format!("https://{}", proxy.addr());
    let sup = supervisor(&registry).await;
    let early = Device::new(dir.path(), "early").unwrap();
    let away = Device::new(dir.path(), "away").unwrap();
    for d in [&early, &away] {
        let id = sync::enrol(&d.store, &url, &sup.enrolment_code().await.unwrap(), "d")
            .await
            .unwrap();
        assert_eq!(id.tls_pins, pins(&[&current.pin]));
    }
    registry.stop().await;

    // The office plans the rotation: the registry serves the current
    // certificate and hands out the next pin too, at enrolment and in every
    // pull answer.
    let planned = TlsFiles {
        next_pin: Some(next.pin.to_base64()),
        ..current.files.clone()
    };
    let registry = start_tls(&data, &planned).await;
    assert_eq!(registry.tls_pins(), pins(&[&current.pin, &next.pin]));
    proxy.set_upstream(registry.addr);
    let sup = supervisor(&registry).await;
    let device = Device::new(dir.path(), "d").unwrap();
    let code = sup.enrolment_code().await.unwrap();
    let id = sync::enrol_with_pin(
        &device.store,
        &url,
        &code,
        "d",
        Some(&current.pin.to_base64()),
    )
    .await
    .unwrap();
    assert_eq!(id.tls_pins, pins(&[&current.pin, &next.pin]));
    device
        .capture(&komek_core::synth::households(24, 2, today()), today())
        .unwrap();
    assert_eq!(run_sync(&device).await.unwrap().stored, 2);
    // The early device syncs while the rotation is planned and learns the
    // next pin without enrolling again; its counters are untouched.
    let seq_before = early.store.next_request_seq().unwrap();
    let report = run_sync(&early).await.unwrap();
    let learned = early.store.sync_identity().unwrap().unwrap();
    assert_eq!(learned.tls_pins, pins(&[&current.pin, &next.pin]));
    assert_eq!(
        early.store.next_request_seq().unwrap(),
        seq_before + report.requests + 1
    );
    registry.stop().await;

    // The switch: the registry now serves the next certificate.
    let registry = start_tls(&data, &next.files).await;
    assert_eq!(registry.tls_pins(), pins(&[&next.pin]));
    proxy.set_upstream(registry.addr);
    device
        .capture(&komek_core::synth::households(25, 1, today()), today())
        .unwrap();
    assert_eq!(run_sync(&device).await.unwrap().stored, 1);
    // After a sync the old pin is gone from the device too.
    assert_eq!(
        device.store.sync_identity().unwrap().unwrap().tls_pins,
        pins(&[&next.pin])
    );
    early
        .capture(&komek_core::synth::households(26, 1, today()), today())
        .unwrap();
    assert_eq!(run_sync(&early).await.unwrap().stored, 1);
    assert_eq!(registry.state.storage.counts().unwrap(), (4, 4));
    // A device that did not sync during the planned period must enrol again.
    assert!(matches!(
        run_sync(&away).await.unwrap_err(),
        SyncError::Tls(TlsError::PinMismatch)
    ));
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_or_broken_handshake_does_not_block_other_devices() {
    use tokio::io::AsyncWriteExt;
    let o = office().await;
    let device = Device::new(o.dir.path(), "a").unwrap();
    let code = o.sup.enrolment_code().await.unwrap();
    sync::enrol(&device.store, &o.registry.url(), &code, "a")
        .await
        .unwrap();
    device
        .capture(&komek_core::synth::households(26, 1, today()), today())
        .unwrap();

    // One client connects and says nothing; another sends half a record;
    // a third speaks plain HTTP to the TLS port.
    let _silent = tokio::net::TcpStream::connect(o.registry.addr)
        .await
        .unwrap();
    let mut half = tokio::net::TcpStream::connect(o.registry.addr)
        .await
        .unwrap();
    half.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        .await
        .unwrap();
    let mut plain = tokio::net::TcpStream::connect(o.registry.addr)
        .await
        .unwrap();
    plain
        .write_all(b"GET /v1/info HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();

    let synced = tokio::time::timeout(Duration::from_secs(20), run_sync(&device))
        .await
        .expect("the sync waited for someone else's handshake")
        .unwrap();
    assert_eq!(synced.stored, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_tls_registry_stops_listening_and_restarts_on_its_data() {
    let o = office().await;
    let device = Device::new(o.dir.path(), "a").unwrap();
    let proxy = LinkProxy::start(o.registry.addr, LinkProfile::LAN, None).unwrap();
    let url = format!("https://{}", proxy.addr());
    let code = o.sup.enrolment_code().await.unwrap();
    sync::enrol(&device.store, &url, &code, "a").await.unwrap();
    let addr = o.registry.addr;
    o.registry.kill();
    // The listening socket goes with it.
    let mut closed = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed, "a killed registry still accepts connections");
    device
        .capture(&komek_core::synth::households(27, 1, today()), today())
        .unwrap();
    let err = run_sync(&device).await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");

    let registry = start_tls(&o.data, &o.cert.files).await;
    proxy.set_upstream(registry.addr);
    assert_eq!(run_sync(&device).await.unwrap().stored, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolment_answer_without_the_served_certificate_is_refused() {
    // A registry that serves one certificate but hands out pins of another
    // (a proxy in front of it with its own certificate, a misconfiguration):
    // the device must not store pins that would not match what it talked to.
    let dir = tempfile::tempdir().unwrap();
    let served = certificate(dir.path(), "served");
    let other = certificate(dir.path(), "other");
    let state = komek_registry::open_state_with_pins(
        &dir.path().join("registry"),
        vec![other.pin.to_base64()],
    )
    .unwrap();
    komek_registry::add_supervisor(&state, SUPERVISOR, PASSWORD).unwrap();
    let identity = komek_registry::TlsIdentity::load(&served.files).unwrap();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let listener = komek_registry::tls::TlsListener::new(tcp, identity.config).unwrap();
    let app = komek_registry::router(state);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let url = format!("https://{addr}");
    let sup = SupervisorClient::login_pinned(&url, SUPERVISOR, PASSWORD, &[served.pin.to_base64()])
        .await
        .unwrap();

    let device = Device::new(dir.path(), "a").unwrap();
    for pin in [None, Some(served.pin.to_base64())] {
        let code = sup.enrolment_code().await.unwrap();
        let err = sync::enrol_with_pin(&device.store, &url, &code, "a", pin.as_deref())
            .await
            .unwrap_err();
        assert!(
            matches!(err, SyncError::Tls(TlsError::NotInEnrolmentPins)),
            "{err:?}"
        );
        assert!(device.store.sync_identity().unwrap().is_none());
    }
    server.abort();
}
