//! Follow-up records through the FFI types, as an app drives them: a plan
//! proposed from the pre-check, signed and finalized, a visit refused for an
//! unknown member, the visit list of the village, labels of the new codes.

mod common;

use common::{family, today, vault, PIN};
use komek_ffi::enums::{Activity, Lang, Relation, Role, Sex};
use komek_ffi::followup::{
    new_record_head, FollowUpRecord, MeasureKind, RecordKind, Signature, SignatureMethod, Visit,
    VisitReasonKind,
};
use komek_ffi::reference::{label, LabelKind};
use komek_ffi::store_types::StoreConfig;
use komek_ffi::{KomekError, KomekStore};

#[tokio::test]
async fn a_plan_is_proposed_signed_and_shows_on_the_visit_list() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    let store = KomekStore::open(
        path,
        vault(),
        StoreConfig {
            idle_timeout_secs: 300,
            trusted_rule_keys: vec![],
        },
    )
    .await
    .unwrap();
    let sup = store
        .add_staff(Role::Supervisor, "Supervisor".into(), PIN.into())
        .await
        .unwrap();
    store.unlock(sup, PIN.into()).await.unwrap();

    // The family with an unemployed father: TSA would be conditional.
    let mut h = family();
    h.location.settlement = Some("Кос-Истек".into());
    let mut father = komek_ffi::new_member(
        h.clone(),
        "Сейткали".into(),
        "Father".into(),
        Relation::Spouse,
    )
    .unwrap();
    father.birth_date = Some(chrono::NaiveDate::from_ymd_opt(1989, 3, 1).unwrap());
    father.sex = Some(Sex::Male);
    father.activity = Some(Activity::Unemployed);
    let father_id = father.id;
    h.members.push(father);
    store.save_draft(h.clone()).await.unwrap();

    let mut plan = store
        .propose_plan(h.id, today(), "Career centre".into())
        .await
        .unwrap()
        .expect("conditional TSA: a plan is proposed");
    assert!(plan
        .measures
        .iter()
        .any(|m| m.kind == MeasureKind::JobSearch && m.member == Some(father_id)));
    plan.signature = Some(Signature {
        method: SignatureMethod::Paper,
        signed_on: today(),
        witness: None,
    });
    let id = plan.head.id;
    store
        .save_record(FollowUpRecord::Plan { plan })
        .await
        .unwrap();
    let signed = store.finalize_record(RecordKind::Plan, id).await.unwrap();
    assert!(matches!(signed, FollowUpRecord::Plan { .. }));
    assert_eq!(store.follow_up_of(h.id).await.unwrap().plans.len(), 1);

    // A visit naming someone who is not in the family: refused by field.
    let mut visit = Visit {
        head: new_record_head(h.id),
        on: today(),
        seen: vec![uuid::Uuid::new_v4()],
        checked: vec![],
        progress: vec![],
        documents_collected: vec![],
        new_circumstances: None,
        next_visit: None,
    };
    let err = store
        .save_record(FollowUpRecord::Visit {
            visit: visit.clone(),
        })
        .await
        .unwrap_err();
    match err {
        KomekError::InvalidForm { reason } => {
            assert!(reason.contains("seen[0]: unknown_member"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    visit.seen = vec![father_id];
    store
        .save_record(FollowUpRecord::Visit { visit })
        .await
        .unwrap();

    // Two months on, the job search is overdue.
    let later = today() + chrono::Days::new(60);
    let list = store.visit_list("кос-истек".into(), later).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].household_id, h.id);
    assert_eq!(list[0].reasons[0].kind, VisitReasonKind::MeasureOverdue);
    assert_eq!(
        label(LabelKind::VisitReason, "measure_overdue".into(), Lang::En).as_deref(),
        Some("A plan measure is overdue")
    );
    assert!(label(LabelKind::Measure, "job_search".into(), Lang::Kk).is_some());
}
