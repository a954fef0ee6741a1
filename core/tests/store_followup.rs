//! Follow-up records in the store: sealed under the household's key,
//! versioned, audited, queued, listed per settlement, forgotten with the
//! household.

mod common;

use common::*;
use komek_core::followup::propose::{propose_plan, propose_referrals};
use komek_core::followup::{
    Check, ExitReason, ExitRecord, FollowUpRecord, IntegrationPlan, MeasureStatus, RecordHead,
    Referral, Signature, SignatureMethod, Visit, VisitListSettings, VisitReasonKind, Why,
};
use komek_core::model::{FormStatus, Household};
use komek_core::rules::{default_pack, evaluate};
use komek_core::store::{AuditAction, Store, StoreError};
use uuid::Uuid;

const NOTE: &str = "MEASURE-NOTE-8f3a: works at the bazaar on Fridays";
const GROUND: &str = "REFERRAL-GROUND-77c1: seizures since spring";
const SEEN: &str = "VISIT-NEWS-4b2e: the eldest son moved to Aktobe";

/// A finalized household whose pre-check makes TSA conditional, with a
/// proposed plan, in `settlement`.
fn conditional_household(store: &Store, settlement: &str) -> (Household, IntegrationPlan) {
    nth_conditional_household(store, settlement, 0)
}

fn nth_conditional_household(
    store: &Store,
    settlement: &str,
    mut skip: usize,
) -> (Household, IntegrationPlan) {
    for mut h in households(40) {
        h.location.settlement = Some(settlement.into());
        let report = evaluate(&h, default_pack(), today());
        let now = clock().now_utc();
        if let Some(p) = propose_plan(&h, &report, default_pack(), today(), "Career centre", now) {
            if p.measures.is_empty() {
                continue;
            }
            if skip > 0 {
                skip -= 1;
                continue;
            }
            store.save_draft(&h).unwrap();
            return (h, p);
        }
    }
    panic!("no conditional household among the synthetic ones");
}

trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc>;
}

impl NowUtc for std::sync::Arc<komek_core::store::ManualClock> {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        komek_core::store::Clock::now(self.as_ref())
    }
}

fn signed(mut p: IntegrationPlan) -> IntegrationPlan {
    p.signature = Some(Signature {
        method: SignatureMethod::Paper,
        signed_on: today(),
        witness: None,
    });
    p
}

#[test]
fn a_plan_is_proposed_saved_signed_queued_and_revised() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let (h, plan) = conditional_household(&store, "Village A");
    let id = plan.head.id;
    store.save_record(&plan).unwrap();

    // Not signed: refused, naming the field; nothing changes.
    match store.finalize_record::<IntegrationPlan>(id) {
        Err(StoreError::FollowUp(e)) => {
            assert!(e.has("signature", Why::Missing), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(store.outbox_counts().unwrap().pending, 0);

    let mut edited = signed(plan.clone());
    edited.measures[0].note = Some(NOTE.into());
    store.save_record(&edited).unwrap();
    let final_plan: IntegrationPlan = store.finalize_record(id).unwrap();
    assert_eq!(final_plan.head.status, FormStatus::Final);
    let ops = store.outbox_pending(10).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(
        (ops[0].entity.as_str(), ops[0].entity_id, ops[0].version),
        ("plan", id, 1)
    );
    assert!(store.has_unsynced(h.id).unwrap());

    // A final version never changes; a revision names it.
    let mut again = final_plan.clone();
    again.head.status = FormStatus::Draft;
    assert!(matches!(
        store.save_record(&again),
        Err(StoreError::Immutable)
    ));
    let mut revised: IntegrationPlan = store.revise_record(id).unwrap();
    assert_eq!((revised.head.version, revised.head.replaces), (2, Some(1)));
    revised.measures[0].status = MeasureStatus::InProgress;
    store.save_record(&revised).unwrap();
    store.finalize_record::<IntegrationPlan>(id).unwrap();
    let v1: IntegrationPlan = store.load_record(id, Some(1)).unwrap();
    let v2: IntegrationPlan = store.load_record(id, None).unwrap();
    assert_eq!(v1.measures[0].status, plan.measures[0].status);
    assert_eq!(v2.measures[0].status, MeasureStatus::InProgress);
    let ops = store.outbox_pending(10).unwrap();
    assert_eq!(ops[1].base_version, Some(1));

    // A plan's id is not a referral's.
    assert!(matches!(
        store.load_record::<Referral>(id, None),
        Err(StoreError::NotFound)
    ));

    // Audited against the household.
    let actions: Vec<AuditAction> = store
        .audit_entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.household_id == Some(h.id))
        .map(|e| e.action)
        .collect();
    for a in [
        AuditAction::RecordCreate,
        AuditAction::RecordEdit,
        AuditAction::RecordFinalize,
        AuditAction::RecordRevise,
        AuditAction::View,
    ] {
        assert!(actions.contains(&a), "{a:?} in {actions:?}");
    }
    store.verify_audit().unwrap();
}

#[test]
fn a_bad_record_is_refused_whole_and_its_error_has_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let (h, mut plan) = conditional_household(&store, "Village A");
    plan.measures[0].note = Some(format!("{NOTE}\u{1b}[2J"));
    plan.parties.recipient = Uuid::new_v4();
    let err = store.save_record(&plan).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("measures[0].note: control_characters"),
        "{text}"
    );
    assert!(text.contains("parties.recipient: unknown_member"), "{text}");
    assert!(!text.contains("bazaar"));
    assert!(matches!(
        store.load_record::<IntegrationPlan>(plan.head.id, None),
        Err(StoreError::NotFound)
    ));
    // A record of a household the store does not hold.
    let mut stray = plan.clone();
    stray.head.household_id = Uuid::new_v4();
    assert!(store.save_record(&stray).is_err());
    assert!(store.follow_up_of(h.id).unwrap().plans.is_empty());
}

#[test]
fn the_visit_list_opens_one_settlement_and_explains_each_household() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let (a, plan) = conditional_household(&store, "Village A");
    let plan_id = plan.head.id;
    store.save_record(&signed(plan.clone())).unwrap();
    store.finalize_record::<IntegrationPlan>(plan_id).unwrap();
    // Another household elsewhere, also with a plan: never on A's list.
    let (b, other) = nth_conditional_household(&store, "Village B", 1);
    assert_ne!(a.id, b.id);
    store.save_record(&signed(other.clone())).unwrap();
    store
        .finalize_record::<IntegrationPlan>(other.head.id)
        .unwrap();

    let s = VisitListSettings::default();
    assert!(store
        .visit_list("Village A", today(), &s, None)
        .unwrap()
        .is_empty());
    // The first measure falls due a month after the start; two months on
    // it is overdue. Settlement names match whatever their case and spaces.
    let later = today() + chrono::Days::new(62);
    let list = store.visit_list("  village   a ", later, &s, None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].household_id, a.id);
    let r = &list[0].reasons[0];
    assert_eq!(r.kind, VisitReasonKind::MeasureOverdue);
    assert_eq!(r.record, Some(plan_id));
    assert_eq!(r.since, Some(plan.measures[0].due));

    // A visit that found every measure done clears it.
    let mut v = Visit::new(RecordHead::new(a.id, clock().now_utc()), today());
    v.checked = vec![Check::PlanMeasures];
    v.progress = plan
        .measures
        .iter()
        .map(|m| komek_core::followup::MeasureProgress {
            plan: plan_id,
            measure: m.id,
            status: MeasureStatus::Done,
            note: None,
        })
        .collect();
    store.save_record(&v).unwrap();
    store.finalize_record::<Visit>(v.head.id).unwrap();
    let list = store.visit_list("Village A", later, &s, None).unwrap();
    assert!(
        list.iter()
            .flat_map(|n| &n.reasons)
            .all(|r| r.kind != VisitReasonKind::MeasureOverdue),
        "{list:?}"
    );
    assert!(store
        .visit_list("Nowhere", later, &s, None)
        .unwrap()
        .is_empty());
}

#[test]
fn forgetting_a_household_forgets_its_plans_referrals_visits_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let (h, plan) = conditional_household(&store, "Village A");
    let now = clock().now_utc();
    let mut p = signed(plan);
    p.measures[0].note = Some(NOTE.into());
    store.save_record(&p).unwrap();
    store.finalize_record::<IntegrationPlan>(p.head.id).unwrap();
    let report = evaluate(&h, default_pack(), today());
    let mut r = propose_referrals(&h, &report, today(), now)
        .into_iter()
        .next()
        .unwrap_or_else(|| {
            Referral::open(
                RecordHead::new(h.id, now),
                h.members[0].id,
                komek_core::followup::Service::Diagnosis,
                komek_core::followup::Ground::Disability,
                today(),
            )
        });
    r.note = Some(GROUND.into());
    store.save_record(&r).unwrap();
    store.finalize_record::<Referral>(r.head.id).unwrap();
    let mut v = Visit::new(RecordHead::new(h.id, now), today());
    v.new_circumstances = Some(SEEN.into());
    store.save_record(&v).unwrap();
    store.finalize_record::<Visit>(v.head.id).unwrap();
    let x = ExitRecord {
        head: RecordHead::new(h.id, now),
        on: today(),
        reason: ExitReason::Employment,
        note: None,
    };
    store.save_record(&x).unwrap();
    let file = store.follow_up_of(h.id).unwrap();
    assert_eq!(
        (
            file.plans.len(),
            file.referrals.len(),
            file.visits.len(),
            file.exits.len()
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(store.outbox_counts().unwrap().pending, 3);

    // Sealed at rest: nothing in the clear even before the forget.
    for text in [NOTE, GROUND, SEEN] {
        for f in db_files(dir.path()) {
            assert!(!contains(&f, text.as_bytes()), "{text} in the clear");
        }
    }

    store.forget(h.id).unwrap();
    assert!(matches!(
        store.load_record::<IntegrationPlan>(p.head.id, None),
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.follow_up_of(h.id),
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.outbox_counts().unwrap().pending, 0);
    assert!(store
        .visit_list("Village A", today(), &VisitListSettings::default(), None)
        .unwrap()
        .is_empty());
    drop(store);
    let c = rusqlite::Connection::open(dir.path().join("komek.db")).unwrap();
    let rows: i64 = c
        .query_row("SELECT count(*) FROM followup", [], |r| r.get(0))
        .unwrap();
    let places: i64 = c
        .query_row("SELECT count(*) FROM household_places", [], |r| r.get(0))
        .unwrap();
    assert_eq!((rows, places), (0, 0));
    drop(c);
    for text in [NOTE, GROUND, SEEN] {
        for f in db_files(dir.path()) {
            assert!(!contains(&f, text.as_bytes()), "{text} left after forget");
        }
    }
}

#[test]
fn records_of_each_kind_keep_their_kind() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let (h, _) = conditional_household(&store, "Village A");
    let x = ExitRecord {
        head: RecordHead::new(h.id, clock().now_utc()),
        on: today(),
        reason: ExitReason::IncomeRose,
        note: None,
    };
    store.save_record(&x).unwrap();
    // The same id saved again as a visit is refused.
    let v = Visit::new(x.head().clone(), today());
    assert!(matches!(
        store.save_record(&v),
        Err(StoreError::WrongState(_))
    ));
    let back: ExitRecord = store.finalize_record(x.head.id).unwrap();
    assert_eq!(back.reason, ExitReason::IncomeRose);
}

#[test]
fn a_records_ciphertext_moved_to_another_row_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let (h, plan) = conditional_household(&store, "Village A");
    store.save_record(&plan).unwrap();
    let x = ExitRecord {
        head: RecordHead::new(h.id, clock().now_utc()),
        on: today(),
        reason: ExitReason::Moved,
        note: None,
    };
    store.save_record(&x).unwrap();
    // Someone with the file copies the plan's sealed bytes over the exit's.
    let c = rusqlite::Connection::open(dir.path().join("komek.db")).unwrap();
    c.execute(
        "UPDATE followup SET sealed = (SELECT sealed FROM followup WHERE record_id = ?1)
         WHERE record_id = ?2",
        [plan.head.id.as_bytes(), x.head.id.as_bytes()],
    )
    .unwrap();
    drop(c);
    assert!(matches!(
        store.load_record::<ExitRecord>(x.head.id, None),
        Err(StoreError::RecordMoved {
            table: "followup_exit"
        })
    ));
    // The plan itself still opens.
    let back: IntegrationPlan = store.load_record(plan.head.id, None).unwrap();
    assert_eq!(back.measures, plan.measures);
}
