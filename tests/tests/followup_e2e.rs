//! Follow-up records end to end on loopback: a plan, a referral and a visit
//! made offline on a device, synced with the household's form, listed and
//! opened by a supervisor, the plan approved, a revision needing approval
//! again, another device's version refused; then the household forgotten on
//! the device leaves none of it in the database files.

use chrono::NaiveDate;
use komek_core::followup::propose::{propose_plan, propose_referrals};
use komek_core::followup::{
    Check, IntegrationPlan, MeasureStatus, RecordHead, RecordKind, Referral, Signature,
    SignatureMethod, Visit,
};
use komek_core::model::Household;
use komek_core::rules::{default_pack, evaluate};
use komek_core::store::Clock;
use komek_core::sync::{self, CancelToken, SyncConfig};
use komek_registry::client::SupervisorClient;
use komek_tests::device::Device;

const NOTE: &str = "FOLLOWUP-E2E-NOTE: the mother works at the bakery at night";
const GROUND: &str = "FOLLOWUP-E2E-GROUND: seizures twice a week";

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A household whose pre-check makes TSA conditional and has a member the
/// special-services pre-check refers.
fn household() -> (Household, IntegrationPlan, Referral) {
    let now = komek_core::store::SystemClock.now();
    for h in komek_core::synth::households(5, 200, today()) {
        let report = evaluate(&h, default_pack(), today());
        let plan = propose_plan(&h, &report, default_pack(), today(), "Career centre", now);
        let referral = propose_referrals(&h, &report, today(), now)
            .into_iter()
            .next();
        if let (Some(p), Some(r)) = (plan, referral) {
            if !p.measures.is_empty() {
                return (h, p, r);
            }
        }
    }
    panic!("no synthetic household with both a plan and a referral");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_referral_and_visit_travel_once_and_are_forgotten_with_the_household() {
    let dir = tempfile::tempdir().unwrap();
    let registry =
        komek_registry::start(&dir.path().join("registry"), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
    komek_registry::add_supervisor(&registry.state, "aigul", "correct horse battery").unwrap();
    let sup = SupervisorClient::login(&registry.url(), "aigul", "correct horse battery")
        .await
        .unwrap();
    let a = Device::new(dir.path(), "a").unwrap();
    let code = sup.enrolment_code().await.unwrap();
    sync::enrol(&a.store, &registry.url(), &code, "tablet A")
        .await
        .unwrap();

    // Offline: the form, a signed plan, a referral, a visit.
    let (h, mut plan, mut referral) = household();
    a.capture(std::slice::from_ref(&h), today()).unwrap();
    plan.measures[0].note = Some(NOTE.into());
    plan.signature = Some(Signature {
        method: SignatureMethod::Paper,
        signed_on: today(),
        witness: None,
    });
    a.store.save_record(&plan).unwrap();
    a.store
        .finalize_record::<IntegrationPlan>(plan.head.id)
        .unwrap();
    referral.note = Some(GROUND.into());
    a.store.save_record(&referral).unwrap();
    a.store
        .finalize_record::<Referral>(referral.head.id)
        .unwrap();
    let mut visit = Visit::new(
        RecordHead::new(h.id, komek_core::store::SystemClock.now()),
        today(),
    );
    visit.checked = vec![Check::PlanMeasures, Check::Referrals];
    a.store.save_record(&visit).unwrap();
    a.store.finalize_record::<Visit>(visit.head.id).unwrap();
    assert_eq!(a.store.outbox_counts().unwrap().pending, 4);

    let config = SyncConfig::default();
    let r = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((r.stored, r.rejected.len()), (4, 0), "{:?}", r.rejected);
    assert_eq!(a.store.outbox_counts().unwrap().pending, 0);
    // Again: nothing new, nothing stored twice.
    let again = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(again.stored, 0);
    let all = sup.records(None, Some(h.id)).await.unwrap();
    assert_eq!(all.len(), 3);

    // The supervisor opens the plan and approves it.
    let plans = sup.records(Some(RecordKind::Plan), None).await.unwrap();
    assert_eq!(plans.len(), 1);
    let view = sup.record(plan.head.id).await.unwrap();
    assert_eq!(view.row.version, 1);
    assert_eq!(
        view.content["measures"][0]["note"].as_str(),
        Some(NOTE),
        "the registry opened the sealed plan"
    );
    let approved = sup.approve_plan(plan.head.id, None).await.unwrap();
    assert!(approved.is_approved());
    let referrals = sup.records(Some(RecordKind::Referral), None).await.unwrap();
    assert_eq!(referrals[0].record_id, referral.head.id);
    // The overview: nothing overdue today; the referral is open. A year on,
    // every planned measure of the plan is overdue.
    let today_view = sup.followup_overview(Some(today())).await.unwrap();
    assert!(today_view.overdue_measures.is_empty());
    assert_eq!(today_view.open_referrals.len(), 1);
    assert_eq!(today_view.open_referrals[0].referral_id, referral.head.id);
    let later = today() + chrono::Days::new(365);
    let year_on = sup.followup_overview(Some(later)).await.unwrap();
    assert_eq!(year_on.overdue_measures.len(), plan.measures.len());
    assert!(year_on
        .overdue_measures
        .iter()
        .all(|m| m.plan_id == plan.head.id));

    // A revision on the device: stored, not flagged, to be approved again.
    let mut revised: IntegrationPlan = a.store.revise_record(plan.head.id).unwrap();
    revised.measures[0].status = MeasureStatus::InProgress;
    a.store.save_record(&revised).unwrap();
    a.store
        .finalize_record::<IntegrationPlan>(plan.head.id)
        .unwrap();
    let r = sync::sync(&a.store, &config, None, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!((r.stored, r.flagged), (1, 0));
    let row = &sup.records(Some(RecordKind::Plan), None).await.unwrap()[0];
    assert_eq!(row.version, 2);
    assert!(!row.is_approved());
    assert!(sup.approve_plan(plan.head.id, Some(1)).await.is_err());
    assert!(sup
        .audit()
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == "plan_approved"));

    // Forgotten on the device: no plan note, no referral ground in the clear.
    a.store.forget(h.id).unwrap();
    let path = a.path.clone();
    drop(a);
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        if let Ok(bytes) = std::fs::read(&p) {
            for text in [NOTE, GROUND] {
                assert!(!contains(&bytes, text.as_bytes()), "{text} in {suffix}");
            }
        }
    }
}
