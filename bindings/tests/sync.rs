//! Enrolment and sync through the FFI types, as an app drives them, against a
//! real registry on loopback: progress, decisions and comments coming back,
//! cancellation by token and by dropping the future (nothing lost, nothing
//! doubled), rule packs received and activated, and the error codes apps
//! match on.

mod common;

use common::{family, today, unlocked_store, PIN};
use komek_ffi::sync_types::{CaseStatus, SyncPhase, SyncProgress};
use komek_ffi::{KomekError, KomekStore, SyncCancel, SyncListener, SyncOptions};
use komek_registry::client::SupervisorClient;
use komek_registry::RunningRegistry;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

const SUPERVISOR: &str = "sup";
const PASSWORD: &str = "password123";

struct Office {
    _dir: tempfile::TempDir,
    registry: RunningRegistry,
    sup: SupervisorClient,
}

async fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let registry =
        komek_registry::start(&dir.path().join("registry"), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
    komek_registry::add_supervisor(&registry.state, SUPERVISOR, PASSWORD).unwrap();
    let sup = SupervisorClient::login(&registry.url(), SUPERVISOR, PASSWORD)
        .await
        .unwrap();
    Office {
        _dir: dir,
        registry,
        sup,
    }
}

async fn enrolled(office: &Office) -> (tempfile::TempDir, Arc<KomekStore>) {
    let (dir, store) = unlocked_store().await;
    let code = office.sup.enrolment_code().await.unwrap();
    store
        .clone()
        .enrol(office.registry.url(), code, "tablet 1".into(), None)
        .await
        .unwrap();
    (dir, store)
}

/// A finalized family; returns its id.
async fn finalized(store: &KomekStore) -> Uuid {
    let h = family();
    store.save_draft(h.clone()).await.unwrap();
    store.finalize(h.id, today()).await.unwrap();
    h.id
}

/// Records every progress event; optionally acts on the first push event.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<SyncProgress>>,
    on_push: Mutex<Option<Box<dyn FnMut() + Send>>>,
}

impl SyncListener for Recorder {
    fn on_progress(&self, progress: SyncProgress) -> Result<(), KomekError> {
        self.seen.lock().unwrap().push(progress);
        if progress.phase == SyncPhase::Pushing && progress.ops_done == 0 {
            if let Some(mut f) = self.on_push.lock().unwrap().take() {
                f();
            }
        }
        Ok(())
    }
}

fn quick() -> Option<SyncOptions> {
    Some(SyncOptions {
        max_attempts: 1,
        timeout_secs: 5,
        today: Some(today()),
        ..SyncOptions::default()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrol_sync_with_progress_then_decisions_and_comments_come_back() {
    let office = office().await;
    let (_d, store) = unlocked_store().await;
    assert!(!store.is_enrolled().await.unwrap());
    let code = office.sup.enrolment_code().await.unwrap();
    let enrolment = store
        .clone()
        .enrol(office.registry.url(), code, "tablet 1".into(), None)
        .await
        .unwrap();
    assert!(store.is_enrolled().await.unwrap());
    assert_eq!(store.enrolment().await.unwrap(), Some(enrolment.clone()));
    assert_eq!(enrolment.registry_url, office.registry.url());
    let devices = office.sup.devices().await.unwrap();
    assert!(devices
        .iter()
        .any(|d| d.id == enrolment.device_id && d.label == "tablet 1"));

    let approved = finalized(&store).await;
    let returned = finalized(&store).await;
    let recorder = Arc::new(Recorder::default());
    let report = store
        .clone()
        .sync(None, Some(recorder.clone()), None)
        .await
        .unwrap();
    assert_eq!(report.stored, 2);
    assert_eq!(report.duplicates, 0);
    assert!(report.rejected.is_empty());
    assert_eq!(store.outbox_counts().await.unwrap().pending, 0);
    assert_eq!(store.outbox_counts().await.unwrap().acked, 2);

    let seen = recorder.seen.lock().unwrap().clone();
    let phases: Vec<SyncPhase> = seen.iter().map(|p| p.phase).collect();
    assert_eq!(phases.first(), Some(&SyncPhase::Sealing));
    assert_eq!(phases.last(), Some(&SyncPhase::Done));
    let last_push = seen
        .iter()
        .rfind(|p| p.phase == SyncPhase::Pushing)
        .unwrap();
    assert_eq!((last_push.ops_done, last_push.ops_total), (2, 2));
    assert_eq!(last_push.bytes_done, last_push.bytes_total);
    assert!(last_push.bytes_total > 0);

    // The registry put both in "received"; the device has heard of them.
    let cases = store.cases().await.unwrap();
    assert_eq!(cases.len(), 2);
    assert!(cases.iter().all(|c| c.status == CaseStatus::Received));

    // Another device's form: the registry tells every device its status,
    // but this device's case list holds only its own households.
    let (_d2, other) = enrolled(&office).await;
    let elsewhere = finalized(&other).await;
    other.clone().sync(None, None, None).await.unwrap();

    office.sup.decide(approved, "approve", None).await.unwrap();
    let comment = "Приложите справку о доходах за IV квартал";
    office
        .sup
        .decide(returned, "return", Some(comment))
        .await
        .unwrap();
    let report = store.clone().sync(None, None, None).await.unwrap();
    assert_eq!(report.stored, 0);
    // The two decisions, and the other device's form arriving.
    assert_eq!(report.decisions, 3);
    assert_eq!(report.comments, 1);

    let a = store.case_info(approved).await.unwrap().unwrap();
    assert_eq!(a.status, CaseStatus::Approved);
    assert!(a.comments.is_empty());
    let r = store.case_info(returned).await.unwrap().unwrap();
    assert_eq!(r.status, CaseStatus::Returned);
    assert_eq!(r.comments, vec![comment.to_string()]);
    let mine: Vec<Uuid> = store
        .cases()
        .await
        .unwrap()
        .iter()
        .map(|c| c.case_id)
        .collect();
    assert_eq!(mine, vec![approved, returned]);
    assert_eq!(
        store.case_info(elsewhere).await.unwrap().map(|c| c.status),
        Some(CaseStatus::Received)
    );
    assert!(store.case_info(Uuid::new_v4()).await.unwrap().is_none());

    // Comments are personal data: reading them needs an unlocked session.
    store.lock();
    assert!(matches!(
        store.cases().await,
        Err(KomekError::Locked { .. })
    ));
    // Sync itself runs in the background, locked.
    let report = store.clone().sync(None, None, None).await.unwrap();
    assert_eq!(report.decisions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sync_leaves_the_form_pending_and_the_next_delivers_it_once() {
    let office = office().await;
    let (_d, store) = enrolled(&office).await;
    let id = finalized(&store).await;
    let cancel = SyncCancel::new();
    let recorder = Arc::new(Recorder::default());
    let c = cancel.clone();
    *recorder.on_push.lock().unwrap() = Some(Box::new(move || c.cancel()));
    let err = store
        .clone()
        .sync(None, Some(recorder.clone()), Some(cancel.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, KomekError::Cancelled { .. }), "{err:?}");
    assert_eq!(err.code(), "cancelled");
    assert!(cancel.is_cancelled());
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1);
    assert!(store.has_unsynced(id).await.unwrap());
    assert!(office.sup.cases(None).await.unwrap().is_empty());
    assert!(!recorder
        .seen
        .lock()
        .unwrap()
        .iter()
        .any(|p| p.phase == SyncPhase::Done));

    let report = store.clone().sync(None, None, None).await.unwrap();
    assert_eq!(report.stored + report.duplicates, 1);
    assert_eq!(store.outbox_counts().await.unwrap().pending, 0);
    let at_registry = office.sup.cases(None).await.unwrap();
    assert_eq!(at_registry.len(), 1);
    assert_eq!(at_registry[0].case_id, id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_sync_future_cancels_it_and_nothing_is_lost_or_doubled() {
    let office = office().await;
    let (_d, store) = enrolled(&office).await;
    let mut ids: Vec<Uuid> = Vec::new();
    for _ in 0..3 {
        ids.push(finalized(&store).await);
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let recorder = Arc::new(Recorder::default());
    // Never cancelled by the test: it shows the drop reaching the sync's token.
    let token = SyncCancel::new();
    let seen_by_listener = token.clone();
    *recorder.on_push.lock().unwrap() = Some(Box::new(move || {
        let _ = tx.send(());
        // Hold the sync here until the caller has gone away (a coroutine
        // cancelled mid-sync), so the drop lands before the first push.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !seen_by_listener.is_cancelled() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }));
    let sync = store.sync(
        Some(SyncOptions {
            batch_ops: 1,
            ..SyncOptions::default()
        }),
        Some(recorder.clone()),
        Some(token.clone()),
    );
    tokio::select! {
        r = sync => panic!("sync finished before it was dropped: {r:?}"),
        _ = rx.recv() => {}
    }
    assert!(token.is_cancelled(), "dropping the future cancels the sync");
    // The next sync waits for the dropped one to stop, then sends everything.
    let report = store.clone().sync(None, None, None).await.unwrap();
    assert_eq!(report.stored + report.duplicates, 3);
    assert_eq!(store.outbox_counts().await.unwrap().pending, 0);
    assert_eq!(store.outbox_counts().await.unwrap().acked, 3);
    let mut at_registry: Vec<Uuid> = office
        .sup
        .cases(None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.case_id)
        .collect();
    at_registry.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(at_registry, expected);
    // The dropped sync never reached Done.
    let seen = recorder.seen.lock().unwrap().clone();
    assert!(!seen.iter().any(|p| p.phase == SyncPhase::Done));
}

/// A progress bar that breaks.
struct Failing;

impl SyncListener for Failing {
    fn on_progress(&self, _: SyncProgress) -> Result<(), KomekError> {
        Err(KomekError::Internal {
            reason: "progress view gone".into(),
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_listener_does_not_stop_the_sync() {
    let office = office().await;
    let (_d, store) = enrolled(&office).await;
    finalized(&store).await;
    let report = store
        .clone()
        .sync(None, Some(Arc::new(Failing)), None)
        .await
        .unwrap();
    assert_eq!(report.stored, 1);
    assert_eq!(store.outbox_counts().await.unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_apps_match_on() {
    let office = office().await;
    let (_d, store) = unlocked_store().await;

    let err = store.clone().sync(None, None, None).await.unwrap_err();
    assert!(matches!(err, KomekError::NotEnrolled { .. }), "{err:?}");

    let err = store
        .clone()
        .enrol(
            office.registry.url(),
            "AAAAA-BBBBB".into(),
            "tablet".into(),
            None,
        )
        .await
        .unwrap_err();
    match &err {
        KomekError::Refused {
            code, http_status, ..
        } => {
            assert_eq!(code, "bad_enrolment_code");
            assert!((400..500).contains(http_status));
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    assert!(!err.is_transient());
    assert!(!store.is_enrolled().await.unwrap());

    // A port nobody listens on.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let code = office.sup.enrolment_code().await.unwrap();
    let err = store
        .clone()
        .enrol(dead, code.clone(), "tablet".into(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, KomekError::Network { .. }), "{err:?}");
    assert!(err.is_transient());

    // Enrolment replaces the device identity: a supervisor's act.
    let me = store.current_staff().unwrap();
    store.lock();
    let err = store
        .clone()
        .enrol(office.registry.url(), code.clone(), "tablet".into(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, KomekError::Locked { .. }), "{err:?}");

    // Enrolled, then the registry goes away: the form waits.
    store.unlock(me, PIN.into()).await.unwrap();
    store
        .clone()
        .enrol(office.registry.url(), code, "tablet".into(), None)
        .await
        .unwrap();
    finalized(&store).await;
    office.registry.stop().await;
    let err = store.clone().sync(quick(), None, None).await.unwrap_err();
    assert!(matches!(err, KomekError::Network { .. }), "{err:?}");
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_rule_pack_arrives_verified_and_becomes_active() {
    let office = office().await;
    let (_d, store) = enrolled(&office).await;
    let newer = komek_core::rules::pack::DEFAULT_PACK_TOML
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
        .replace("issued = 2026-01-01", "issued = 2026-02-01");
    let version = office
        .sup
        .publish_rules(newer.as_bytes(), None)
        .await
        .unwrap();
    assert_eq!(version, "kz-2026.2");
    assert!(store.received_rule_packs(today()).await.unwrap().is_empty());

    let report = store.clone().sync(quick(), None, None).await.unwrap();
    assert_eq!(report.rule_packs, vec!["kz-2026.2".to_string()]);
    assert!(report.refused_rule_packs.is_empty());
    let activated = report.activated_rule_pack.unwrap();
    assert_eq!(activated.version, "kz-2026.2");
    assert_eq!(
        store.active_rule_pack().unwrap().info().version,
        "kz-2026.2"
    );
    let received = store.received_rule_packs(today()).await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].info().version, "kz-2026.2");

    // Already active: a second sync changes nothing.
    let report = store.clone().sync(quick(), None, None).await.unwrap();
    assert!(report.activated_rule_pack.is_none());
    assert!(store
        .activate_received_rule_pack(today())
        .await
        .unwrap()
        .is_none());
    // After an expiry date the pack is not offered any more.
    let later = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
    assert!(store.received_rule_packs(later).await.unwrap().is_empty());
}

/// Polls a future on this thread, with no tokio runtime around it.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark()
        }
    }
    let waker = Arc::new(Unpark(std::thread::current())).into();
    let mut cx = std::task::Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}

#[test]
fn without_a_tokio_runtime_sync_is_an_error_not_a_panic() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_d, store) = runtime.block_on(unlocked_store());
    drop(runtime);
    let err = block_on(store.clone().sync(None, None, None)).unwrap_err();
    assert!(matches!(err, KomekError::Internal { .. }), "{err:?}");
    let err = block_on(store.enrol("http://127.0.0.1:9".into(), "X".into(), "t".into(), None))
        .unwrap_err();
    assert!(matches!(err, KomekError::Internal { .. }), "{err:?}");
}

/// Over HTTPS: the office's pin makes the first connection trusted, the form
/// goes through; another certificate's pin is `Untrusted` and consumes
/// nothing (the same code then enrols with the right pin).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrol_and_sync_over_pinned_tls_and_an_unknown_certificate_is_untrusted() {
    let dir = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.key_pair.serialize_pem()).unwrap();
    let options = komek_registry::ServeOptions {
        tls: Some(komek_registry::TlsFiles {
            cert_chain: cert,
            key,
            next_pin: None,
        }),
        ..komek_registry::ServeOptions::default()
    };
    let registry = komek_registry::start_with(
        &dir.path().join("registry"),
        "127.0.0.1:0".parse().unwrap(),
        &options,
    )
    .await
    .unwrap();
    assert!(registry.url().starts_with("https://"));
    let pin = format!("sha256/{}", registry.tls_pins()[0]);
    komek_registry::add_supervisor(&registry.state, SUPERVISOR, PASSWORD).unwrap();
    let sup =
        SupervisorClient::login_pinned(&registry.url(), SUPERVISOR, PASSWORD, registry.tls_pins())
            .await
            .unwrap();
    let code = sup.enrolment_code().await.unwrap();

    let (_d, store) = unlocked_store().await;
    let other = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let wrong = komek_core::sync::tls::Pin::of_certificate(other.cert.der()).to_base64();
    let e = store
        .clone()
        .enrol(registry.url(), code.clone(), "tablet".into(), Some(wrong))
        .await
        .unwrap_err();
    assert!(matches!(e, KomekError::Untrusted { .. }), "{e:?}");
    assert!(!store.is_enrolled().await.unwrap());

    store
        .clone()
        .enrol(registry.url(), code, "tablet".into(), Some(pin))
        .await
        .unwrap();
    let id = finalized(&store).await;
    let report = store.clone().sync(quick(), None, None).await.unwrap();
    assert_eq!(report.stored, 1);
    let cases = sup.cases(None).await.unwrap();
    assert!(cases.iter().any(|c| c.case_id == id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_carried_to_the_office_delivers_forms_once_and_its_receipt_confirms_them() {
    let office = office().await;
    let (_d, store) = enrolled(&office).await;

    // Nothing pending: an empty bundle.
    let empty = store.clone().export_bundle().await.unwrap();
    assert!(empty.device_seqs.is_empty());

    let first = finalized(&store).await;
    let bundle = store.clone().export_bundle().await.unwrap();
    assert_eq!((bundle.device_seqs.len(), bundle.left_out), (1, 0));
    // Exporting marks nothing sent.
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1);
    // The file carries the sealed form, not the family's data.
    let name = family().members[0].surname.clone();
    assert!(!String::from_utf8_lossy(&bundle.bytes).contains(&name));

    let receipt = office.sup.import_bundle(&bundle.bytes).await.unwrap();
    assert!(office
        .sup
        .cases(None)
        .await
        .unwrap()
        .iter()
        .any(|c| c.case_id == first));

    // A damaged receipt is refused and changes nothing.
    let mut damaged = receipt.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let e = store.clone().apply_receipt(damaged).await.unwrap_err();
    assert!(matches!(e, KomekError::Integrity { .. }), "{e:?}");
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1);

    let report = store.clone().apply_receipt(receipt.clone()).await.unwrap();
    assert_eq!(report.bundle_id, bundle.bundle_id);
    assert_eq!((report.stored, report.duplicates), (1, 0));
    assert!(report.rejected.is_empty());
    assert_eq!(store.outbox_counts().await.unwrap().pending, 0);
    // Applying it again changes nothing; a later sync has nothing to push.
    store.clone().apply_receipt(receipt).await.unwrap();
    let sync = store.sync(quick(), None, None).await.unwrap();
    assert_eq!((sync.stored, sync.duplicates), (0, 0));

    // A form in a bundle whose receipt never came back is delivered by the
    // next sync as a duplicate, not a second copy.
    let second = finalized(&store).await;
    let lost = store.clone().export_bundle().await.unwrap();
    office.sup.import_bundle(&lost.bytes).await.unwrap();
    let sync = store.sync(quick(), None, None).await.unwrap();
    assert_eq!((sync.stored, sync.duplicates), (0, 1));
    let cases = office.sup.cases(None).await.unwrap();
    assert_eq!(cases.iter().filter(|c| c.case_id == second).count(), 1);
    assert_eq!(store.outbox_counts().await.unwrap().pending, 0);
}
