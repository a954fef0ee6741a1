//! Two devices and a supervisor on loopback: forms pushed, reviewed, returned,
//! corrected, re-pushed and approved; both devices converge on the decisions.

use chrono::NaiveDate;
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, Phase, Progress, SyncConfig, SyncProgress};
use komek_registry::client::SupervisorClient;
use komek_tests::device::Device;
use komek_tests::office;
use std::sync::Mutex;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[derive(Default)]
struct Recorder(Mutex<Vec<SyncProgress>>);

impl Progress for Recorder {
    fn on_progress(&self, p: SyncProgress) {
        self.0.lock().unwrap().push(p);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_and_a_supervisor_converge() {
    let dir = tempfile::tempdir().unwrap();
    let registry =
        komek_registry::start(&dir.path().join("registry"), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
    komek_registry::add_supervisor(&registry.state, "gulnara", "correct horse battery").unwrap();
    let sup = SupervisorClient::login(&registry.url(), "gulnara", "correct horse battery")
        .await
        .unwrap();

    let a = Device::new(dir.path(), "a").unwrap();
    let b = Device::new(dir.path(), "b").unwrap();
    let code_a = sup.enrolment_code().await.unwrap();
    let code_b = sup.enrolment_code().await.unwrap();
    let id_a = sync::enrol(&a.store, &registry.url(), &code_a, "centre 1 tablet A")
        .await
        .unwrap();
    let id_b = sync::enrol(&b.store, &registry.url(), &code_b, "centre 1 tablet B")
        .await
        .unwrap();
    assert_ne!(id_a.device_id, id_b.device_id);

    let households = komek_core::synth::households(11, 5, today());
    a.capture(&households[..3], today()).unwrap();
    b.capture(&households[3..], today()).unwrap();

    let config = SyncConfig::default();
    let progress = Recorder::default();
    let ra = sync::sync(&a.store, &config, Some(&progress), &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(ra.stored, 3);
    assert!(ra.rejected.is_empty());
    let seen = progress.0.lock().unwrap().clone();
    assert_eq!(seen.first().map(|p| p.phase), Some(Phase::Sealing));
    assert_eq!(seen.last().map(|p| p.phase), Some(Phase::Done));
    let pushed = seen
        .iter()
        .rev()
        .find(|p| p.phase == Phase::Pushing)
        .unwrap();
    assert_eq!((pushed.ops_done, pushed.ops_total), (3, 3));
    assert_eq!(pushed.bytes_done, pushed.bytes_total);
    let rb = sync::sync(&b.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(rb.stored, 2);
    assert_eq!(a.store.outbox_counts().unwrap().pending, 0);

    // The supervisor sees five received cases and decides.
    let received = sup.cases(Some(CaseStatus::Received)).await.unwrap();
    assert_eq!(received.len(), 5);
    let returned_id = households[0].id;
    let view = sup.case(returned_id, "en").await.unwrap();
    assert_eq!(view.household, a.store.load(returned_id).unwrap());
    assert!(!view.precheck.is_empty());
    for h in &households[1..] {
        sup.decide(h.id, "approve", None).await.unwrap();
    }
    sup.decide(
        returned_id,
        "return",
        Some("Bring the income certificate for October"),
    )
    .await
    .unwrap();
    // A decided case cannot be decided again.
    let again = sup
        .decide(households[1].id, "reject", None)
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("conflict"));

    // Both devices pull the decisions; only A (the sender) gets the comment.
    let ra = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(ra.comments, 1);
    let case = a.store.case(returned_id).unwrap().unwrap();
    assert_eq!(case.status, CaseStatus::Returned);
    assert_eq!(
        case.comments,
        vec!["Bring the income certificate for October".to_string()]
    );
    sync::sync(&b.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(b.store.cases().unwrap().len(), 5);
    assert!(b
        .store
        .case(returned_id)
        .unwrap()
        .unwrap()
        .comments
        .is_empty());

    // A corrects the returned form and re-pushes; it is not flagged (the
    // normal path), and the supervisor approves the new version.
    let mut fixed = a.store.start_correction(returned_id).unwrap();
    fixed.notes = Some("certificate seen".into());
    a.store.save_draft(&fixed).unwrap();
    a.store.finalize(returned_id, today()).unwrap();
    let ra = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((ra.stored, ra.flagged), (1, 0));
    let case = sup.case(returned_id, "kk").await.unwrap();
    assert_eq!((case.version, case.status), (2, CaseStatus::Received));
    sup.decide(returned_id, "approve", None).await.unwrap();

    for d in [&a, &b] {
        sync::sync(&d.store, &config, None, &CancelToken::new())
            .await
            .unwrap();
        let cases = d.store.cases().unwrap();
        assert_eq!(cases.len(), 5);
        assert!(
            cases.iter().all(|(_, _, s)| *s == CaseStatus::Approved),
            "{cases:?}"
        );
    }
    assert_eq!(registry.state.storage.counts().unwrap(), (6, 5));

    // Who did what is on record.
    let audit = sup.audit().await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    for action in [
        "enrolment_code",
        "enrol",
        "login",
        "view_case",
        "approved",
        "returned",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    assert!(audit
        .iter()
        .any(|r| r.action == "approved" && r.actor == "gulnara"));
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_against_a_decided_case_is_accepted_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let a = office::enrolled(dir.path(), "a", &registry.url(), &sup)
        .await
        .unwrap();
    let h = komek_core::synth::households(3, 1, today()).remove(0);
    a.capture(std::slice::from_ref(&h), today()).unwrap();
    let config = SyncConfig::default();
    sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    sup.decide(h.id, "approve", None).await.unwrap();

    // Offline, the worker corrects the form not knowing it was approved.
    let mut edit = a.store.start_correction(h.id).unwrap();
    edit.notes = Some("late change".into());
    a.store.save_draft(&edit).unwrap();
    a.store.finalize(h.id, today()).unwrap();
    let r = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((r.stored, r.flagged), (1, 1));
    let case = sup.case(h.id, "ru").await.unwrap();
    assert!(case.flagged);
    // The registry owns the status: the approval stands until a person acts.
    assert_eq!(case.status, CaseStatus::Approved);
    assert_eq!(case.version, 2);
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_forgets_only_what_the_registry_acknowledged_long_enough_ago() {
    use komek_core::store::{ManualClock, StoreConfig, StoreError};
    use std::sync::Arc;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let config = StoreConfig {
        idle_timeout: Duration::from_secs(365 * 86_400),
        clock: clock.clone(),
    };
    let a = Device::with_config(dir.path(), "a", config).unwrap();
    sync::enrol(
        &a.store,
        &registry.url(),
        &sup.enrolment_code().await.unwrap(),
        "",
    )
    .await
    .unwrap();
    let hs = komek_core::synth::households(21, 3, today());
    a.capture(&hs[..2], today()).unwrap();
    let month = Duration::from_secs(30 * 86_400);
    let keep = SyncConfig {
        retention: Some(month),
        ..SyncConfig::default()
    };
    let r = sync::sync(&a.store, &keep, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((r.stored, r.forgotten), (2, 0));

    // Later: a third form is captured but the registry is unreachable.
    clock.advance(month + Duration::from_secs(86_400));
    a.capture(&hs[2..], today()).unwrap();
    // A correction started on the first form stays a draft.
    a.store.start_correction(hs[0].id).unwrap();
    let r = sync::sync(&a.store, &keep, None, &CancelToken::new())
        .await
        .unwrap();
    // hs[1]: acknowledged 31 days ago → forgotten. hs[2]: acknowledged just
    // now → kept. hs[0]: has a draft → kept.
    assert_eq!(r.forgotten, 1);
    assert!(matches!(a.store.load(hs[1].id), Err(StoreError::NotFound)));
    assert!(a.store.load(hs[0].id).is_ok());
    assert!(a.store.load(hs[2].id).is_ok());
    assert!(a.store.verify_audit().unwrap() > 0);
    registry.stop().await;
}

/// Decisions reach the devices of the case's centre only; rule packs reach
/// every device; a name a centre cannot have is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_stay_in_their_centre_and_rule_packs_reach_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let url = registry.url();
    let a = office::enrolled_in_centre(dir.path(), "a", &url, &sup, "Centre 1")
        .await
        .unwrap();
    let a2 = office::enrolled_in_centre(dir.path(), "a2", &url, &sup, "Centre 1")
        .await
        .unwrap();
    let other = office::enrolled_in_centre(dir.path(), "o", &url, &sup, "Centre 2")
        .await
        .unwrap();
    let centres: Vec<(String, String)> = sup
        .devices()
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.label, d.centre))
        .collect();
    assert_eq!(
        centres,
        [
            ("a".to_string(), "Centre 1".to_string()),
            ("a2".into(), "Centre 1".into()),
            ("o".into(), "Centre 2".into())
        ]
    );
    let err = sup.enrolment_code_for_centre("a\nb").await.unwrap_err();
    assert_eq!(err.code(), Some("bad_request"));

    let households = komek_core::synth::households(23, 3, today());
    a.capture(&households, today()).unwrap();
    let config = SyncConfig::default();
    let r = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((r.stored, r.decisions), (3, 3));
    sup.decide(households[0].id, "approve", None).await.unwrap();
    let toml = include_bytes!("../../core/packs/kz-default.toml");
    let text = String::from_utf8_lossy(toml).replace("kz-2026.1", "kz-2026.2");
    sup.publish_rules(text.as_bytes(), None).await.unwrap();

    // The same centre: every decision (three received, one approved).
    let r = sync::sync(&a2.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(r.decisions, 4);
    assert_eq!(r.rule_packs, ["kz-2026.2"]);
    assert_eq!(a2.store.cases().unwrap().len(), 3);
    // Another centre: the pack, none of centre 1's decisions.
    let r = sync::sync(&other.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(r.decisions, 0);
    assert_eq!(r.rule_packs, ["kz-2026.2"]);
    assert!(other.store.cases().unwrap().is_empty());
    // Its own case's decisions do reach it, and not centre 1.
    let mine = komek_core::synth::households(24, 1, today());
    other.capture(&mine, today()).unwrap();
    let r = sync::sync(&other.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((r.stored, r.decisions), (1, 1));
    let r = sync::sync(&a2.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(r.decisions, 0);
    registry.stop().await;
}
