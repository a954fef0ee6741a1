//! Districts end to end: a supervisor of district Abai sees and decides the
//! cases of Abai's centres only. A case of district Zhetisu answers exactly
//! as an unknown id does (404, same code and message), cannot be decided,
//! and every such denial is in the audit log; the other district's device
//! cannot be revoked nor its centre given enrolment codes; office-wide
//! actions are for national supervisors.

use chrono::NaiveDate;
use komek_core::followup::{RecordHead, Visit};
use komek_core::store::Clock;
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, SyncConfig};
use komek_registry::client::{ClientError, SupervisorClient};
use komek_registry::scope::Scope;
use komek_tests::device::Device;
use komek_tests::office;
use uuid::Uuid;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// (status, code, message) of a refusal.
/// (A success is not printed: a case view holds personal data.)
fn refused<T>(r: Result<T, ClientError>) -> (u16, String, String) {
    match r {
        Err(ClientError::Refused {
            status,
            code,
            message,
        }) => (status, code, message),
        Err(other) => panic!("expected a refusal, got {other}"),
        Ok(_) => panic!("expected a refusal, got a success"),
    }
}

async fn sync_now(d: &Device) -> sync::SyncReport {
    sync::sync(&d.store, &SyncConfig::default(), None, &CancelToken::new())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_a_district_supervisor_sees_and_decides_only_their_district() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, national) = office::open(dir.path()).await.unwrap();
    only_their_district(dir.path(), registry, national).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_district_supervisor_sees_and_decides_only_their_district() {
    let dir = tempfile::tempdir().unwrap();
    let options = komek_registry::ServeOptions {
        database: Some(tokio::task::spawn_blocking(fresh_schema).await.unwrap()),
        ..Default::default()
    };
    let registry = komek_registry::start_with(
        &dir.path().join("registry"),
        "127.0.0.1:0".parse().unwrap(),
        &options,
    )
    .await
    .unwrap();
    let state = registry.state.clone();
    tokio::task::spawn_blocking(move || {
        komek_registry::add_supervisor(&state, office::SUPERVISOR, office::PASSWORD)
    })
    .await
    .unwrap()
    .unwrap();
    let national = office::login(&registry.url()).await.unwrap();
    only_their_district(dir.path(), registry, national).await;
}

/// A fresh schema in the PostgreSQL test database (`KOMEK_TEST_PG`, set by
/// `scripts/test.sh` and `scripts/pg-test-cluster.sh`); the URL using it.
fn fresh_schema() -> String {
    let base = match std::env::var("KOMEK_TEST_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "KOMEK_TEST_PG is not set: run ./scripts/test.sh, or \
             scripts/pg-test-cluster.sh cargo test -p komek-tests --test districts"
        ),
    };
    let name = format!("t_{}", Uuid::new_v4().simple());
    let mut c = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to KOMEK_TEST_PG: {e}"));
    c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{name}")
}

async fn only_their_district(
    dir: &std::path::Path,
    registry: komek_registry::RunningRegistry,
    national: SupervisorClient,
) {
    let url = registry.url();
    national.add_district("Abai").await.unwrap();
    national.add_district("Zhetisu").await.unwrap();
    national.place_centre("A1", "Abai").await.unwrap();
    national.place_centre("Z1", "Zhetisu").await.unwrap();
    let a = office::enrolled_in_centre(dir, "a", &url, &national, "A1")
        .await
        .unwrap();
    let z = office::enrolled_in_centre(dir, "z", &url, &national, "Z1")
        .await
        .unwrap();
    let households = komek_core::synth::households(21, 2, today());
    a.capture(&households[..1], today()).unwrap();
    z.capture(&households[1..], today()).unwrap();
    // A follow-up visit of each family goes with its case's district.
    let visit = |h: &komek_core::model::Household, d: &Device| {
        let v = Visit::new(
            RecordHead::new(h.id, komek_core::store::SystemClock.now()),
            today(),
        );
        d.store.save_record(&v).unwrap();
        d.store.finalize_record::<Visit>(v.head.id).unwrap();
        v.head.id
    };
    let a_visit = visit(&households[0], &a);
    let z_visit = visit(&households[1], &z);
    assert_eq!(sync_now(&a).await.stored, 2);
    assert_eq!(sync_now(&z).await.stored, 2);
    let (a_case, z_case) = (households[0].id, households[1].id);

    // Blocking storage calls (PostgreSQL's client) off the async threads.
    let state = registry.state.clone();
    tokio::task::spawn_blocking(move || {
        komek_registry::add_supervisor_in(
            &state,
            "aigerim",
            "abai password",
            Some(&Scope::District("Abai".into())),
        )
    })
    .await
    .unwrap()
    .unwrap();
    let abai = SupervisorClient::login(&url, "aigerim", "abai password")
        .await
        .unwrap();

    // Her list holds Abai's case only, with Abai's counts.
    let cases = abai.cases(None).await.unwrap();
    assert_eq!(
        cases.iter().map(|c| c.case_id).collect::<Vec<_>>(),
        [a_case]
    );
    assert_eq!(cases[0].district, "Abai");
    let page = abai.cases_page(None, None, 10).await.unwrap();
    assert_eq!((page.counts.received, page.counts.total()), (1, 1));
    assert_eq!(national.cases(None).await.unwrap().len(), 2);

    // Follow-up records: hers only; Zhetisu's answers as an unknown one.
    let records = abai.records(None, None).await.unwrap();
    assert_eq!(
        records.iter().map(|r| r.record_id).collect::<Vec<_>>(),
        [a_visit]
    );
    assert_eq!(national.records(None, None).await.unwrap().len(), 2);
    abai.record(a_visit).await.unwrap();
    let unknown_record = refused(abai.record(Uuid::new_v4()).await);
    assert_eq!(unknown_record.0, 404);
    assert_eq!(refused(abai.record(z_visit).await), unknown_record);

    // Zhetisu's case answers as an unknown id does, opened or decided.
    let unknown = refused(abai.case(Uuid::new_v4(), "en").await);
    assert_eq!(unknown.0, 404);
    assert_eq!(refused(abai.case(z_case, "en").await), unknown);
    let unknown_decide = refused(abai.decide(Uuid::new_v4(), "approve", None).await);
    for action in ["review", "approve", "reject"] {
        assert_eq!(
            refused(abai.decide(z_case, action, None).await),
            unknown_decide
        );
    }
    assert_eq!(
        refused(abai.decide(z_case, "return", Some("fix it")).await),
        unknown_decide
    );
    let z_row = national
        .cases(None)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.case_id == z_case)
        .unwrap();
    assert_eq!(z_row.status, CaseStatus::Received);
    // Her own case she decides; the device hears of it.
    let row = abai.decide(a_case, "approve", None).await.unwrap();
    assert_eq!(row.status, CaseStatus::Approved);
    sync_now(&a).await;
    sync_now(&z).await;
    assert_eq!(
        a.store.case(a_case).unwrap().map(|c| c.status),
        Some(CaseStatus::Approved)
    );
    assert_eq!(
        z.store.case(z_case).unwrap().map(|c| c.status),
        Some(CaseStatus::Received)
    );

    // Devices: hers only; the other district's cannot be revoked.
    let devices = abai.devices().await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(
        (devices[0].centre.as_str(), devices[0].district.as_str()),
        ("A1", "Abai")
    );
    let z_device = z.store.sync_identity().unwrap().unwrap().device_id;
    assert_eq!(refused(abai.revoke(z_device).await).0, 404);
    assert!(national.devices().await.unwrap().iter().all(|d| !d.revoked));
    // Codes: not for Zhetisu's centre; a new centre joins her district.
    assert_eq!(refused(abai.enrolment_code_for_centre("Z1").await).0, 404);
    abai.enrolment_code_for_centre("A2").await.unwrap();
    let districts = abai.districts().await.unwrap();
    assert_eq!(districts.len(), 1);
    assert_eq!(districts[0].name, "Abai");
    assert_eq!(districts[0].centres, ["A1", "A2"]);
    // Office-wide actions are national.
    assert_eq!(refused(abai.add_district("Mine").await).0, 403);
    assert_eq!(refused(abai.place_centre("Z1", "Abai").await).0, 403);
    assert_eq!(refused(abai.audit().await).0, 403);
    // Rule packs reach every district: national too.
    let pack = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/packs/kz-default.toml"
    ))
    .unwrap();
    assert_eq!(refused(abai.publish_rules(&pack, None).await).0, 403);
    assert_eq!(refused(abai.withdraw_rules("kz-2026.1").await).0, 403);

    // Every denial is audited under her name.
    let audit = national.audit().await.unwrap();
    let denied = |action: &str, subject: &str| {
        audit.iter().any(|r| {
            r.actor == "aigerim"
                && r.action == action
                && r.subject.as_deref().is_some_and(|s| s.contains(subject))
        })
    };
    assert!(denied("view_case_denied", &z_case.to_string()));
    assert!(denied("view_record_denied", &z_visit.to_string()));
    assert!(denied("decide_denied", &z_case.to_string()));
    assert!(denied("revoke_denied", &z_device.to_string()));
    assert!(denied("enrolment_code_denied", "Z1"));
    assert!(denied("forbidden", "add_district"));
    assert!(denied("forbidden", "read_audit"));
    assert!(denied("forbidden", "publish_rules"));
    assert!(denied("forbidden", "withdraw_rules"));
    let decide_denials = audit
        .iter()
        .filter(|r| r.actor == "aigerim" && r.action == "decide_denied")
        .count();
    assert_eq!(decide_denials, 4);
    registry.stop().await;
}
