//! The store through the FFI types, as an app drives it: open with an app
//! vault, staff and PINs, a form with a mistake and its fix, pre-checks in
//! three languages, finalize, find by IIN, correct, forget.

mod common;

use common::{family, today, vault, HEAD_SURNAME, PIN};
use komek_core::model::Tiyn;
use komek_ffi::enums::{FormStatus, Lang, Role};
use komek_ffi::report::{Outcome, ProgrammeId};
use komek_ffi::store_types::StoreConfig;
use komek_ffi::validation::{ProblemKey, Severity, ValidationStage};
use komek_ffi::{KomekError, KomekStore};
use std::sync::Arc;

async fn open(dir: &tempfile::TempDir, v: Arc<common::MemoryVault>) -> Arc<KomekStore> {
    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    KomekStore::open(
        path,
        v,
        StoreConfig {
            idle_timeout_secs: 300,
            trusted_rule_keys: vec![],
        },
    )
    .await
    .unwrap()
}

async fn unlocked() -> (tempfile::TempDir, Arc<common::MemoryVault>, Arc<KomekStore>) {
    let dir = tempfile::tempdir().unwrap();
    let v = vault();
    let store = open(&dir, v.clone()).await;
    let id = store
        .add_staff(Role::Supervisor, "Supervisor".into(), PIN.into())
        .await
        .unwrap();
    store.unlock(id, PIN.into()).await.unwrap();
    (dir, v, store)
}

#[tokio::test]
async fn staff_unlock_and_a_wrong_pin_with_attempts_left() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, vault()).await;
    let err = store
        .add_staff(Role::Field, "Field".into(), PIN.into())
        .await
        .unwrap_err();
    assert!(matches!(err, KomekError::NotSupervisor { .. }), "{err:?}");
    let sup = store
        .add_staff(Role::Supervisor, "Supervisor".into(), PIN.into())
        .await
        .unwrap();
    assert!(matches!(store.list().await, Err(KomekError::Locked { .. })));

    let err = store.unlock(sup, "000000".into()).await.unwrap_err();
    match err {
        KomekError::WrongPin {
            remaining_attempts, ..
        } => assert_eq!(remaining_attempts, 9),
        other => panic!("expected WrongPin, got {other:?}"),
    }
    store.unlock(sup, PIN.into()).await.unwrap();
    assert_eq!(store.current_staff(), Some(sup));
    let field = store
        .add_staff(Role::Field, "Field".into(), "1234".into())
        .await
        .unwrap();
    let staff = store.staff().await.unwrap();
    assert_eq!(staff.len(), 2);
    assert!(staff.iter().any(|s| s.id == field && s.role == Role::Field));
    let err = store
        .add_staff(Role::Field, "Bad".into(), "12ab".into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "bad_pin");
    store.lock();
    assert_eq!(store.current_staff(), None);
}

#[tokio::test]
async fn a_form_with_a_bad_iin_is_refused_then_saved_once_fixed() {
    let (_dir, _v, store) = unlocked().await;
    let mut h = family();
    let good_iin = h.members[0].iin.clone().unwrap();
    let mut bad = good_iin.clone();
    let last = if bad.ends_with('0') { '1' } else { '0' };
    bad.replace_range(11..12, &last.to_string());
    h.members[0].iin = Some(bad.clone());

    let err = store.save_draft(h.clone()).await.unwrap_err();
    assert_eq!(err.code(), "invalid_form");
    let text = err.to_string();
    assert!(
        text.contains("members[0].iin problem-iin-check-digit"),
        "{text}"
    );
    assert!(
        !text.contains(&bad) && !text.contains(HEAD_SURNAME),
        "{text}"
    );

    let mut messages = Vec::new();
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let ps = store
            .validate(h.clone(), today(), ValidationStage::Draft, lang)
            .unwrap();
        let p = ps
            .iter()
            .find(|p| p.path == "members[0].iin")
            .expect("a problem on the IIN");
        assert_eq!(p.key, ProblemKey::IinCheckDigit);
        assert_eq!(p.severity, Severity::Error);
        assert_eq!(p.message_id, "problem-iin-check-digit");
        assert!(!p.message.is_empty() && p.message != p.message_id);
        messages.push(p.message.clone());
    }
    assert!(messages[2].contains("IIN"), "{}", messages[2]);
    assert_ne!(messages[0], messages[1]);
    assert_ne!(messages[1], messages[2]);

    h.members[0].iin = Some(good_iin.clone());
    assert!(store
        .validate(h.clone(), today(), ValidationStage::Finalize, Lang::En)
        .unwrap()
        .iter()
        .all(|p| p.severity != Severity::Error));
    store.save_draft(h.clone()).await.unwrap();
    let loaded = store.load(h.id).await.unwrap();
    assert_eq!(loaded.members, h.members);
    assert_eq!(loaded.incomes, h.incomes);
    assert_eq!(loaded.status, FormStatus::Draft);
    assert_eq!(store.find_by_iin(good_iin).await.unwrap(), vec![h.id]);
}

#[tokio::test]
async fn precheck_in_three_languages_with_the_same_numbers() {
    let (_dir, _v, store) = unlocked().await;
    let h = family();
    let mut texts = Vec::new();
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let pc = store.precheck(h.clone(), today(), lang).unwrap();
        let tsa = pc
            .report
            .programmes
            .iter()
            .find(|p| p.programme == ProgrammeId::TargetedSocialAssistance)
            .unwrap();
        assert_eq!(tsa.outcome, Outcome::LikelyEligible);
        // 270,000 / 3 months / 4 people = 22,500 per person; line 37,060.
        assert_eq!(tsa.margin, Some(Tiyn::from_tenge(14_560)));
        // 14,560 × 4 = 58,240 plus 2 × 1.5 MRP for the children aged 1-6.
        assert_eq!(
            tsa.amount.map(|a| a.value),
            Some(Tiyn::from_tenge(58_240 + 12_975))
        );
        assert!(!tsa.steps.is_empty());
        assert!(tsa
            .steps
            .iter()
            .all(|s| !s.text.is_empty() && s.text != s.id));
        assert_eq!(pc.report.notice.id, "report-pre-check-not-decision");
        assert!(pc.text.contains(&tsa.programme_name));
        assert!(!pc.text.contains(HEAD_SURNAME));
        texts.push(pc.text);
    }
    assert!(
        texts[2].contains("58,240") || texts[2].contains("71,215"),
        "{}",
        texts[2]
    );
    assert_ne!(texts[0], texts[1]);
    assert_ne!(texts[1], texts[2]);
}

#[tokio::test]
async fn finalize_list_correct_and_forget() {
    let (_dir, v, store) = unlocked().await;
    let h = family();
    store.save_draft(h.clone()).await.unwrap();
    let final_ = store.finalize(h.id, today()).await.unwrap();
    assert_eq!(final_.status, FormStatus::Final);
    assert!(final_.finalized_at.is_some());
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1);
    assert!(store.has_unsynced(h.id).await.unwrap());

    let err = store.save_draft(final_.clone()).await.unwrap_err();
    assert!(
        matches!(
            err,
            KomekError::Immutable { .. } | KomekError::WrongState { .. }
        ),
        "{err:?}"
    );
    let c = store.start_correction(h.id).await.unwrap();
    assert_eq!((c.version, c.replaces), (2, Some(1)));
    let list = store.list().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].version, list[0].status), (2, FormStatus::Draft));
    assert_eq!(
        store.load_version(h.id, 1).await.unwrap().status,
        FormStatus::Final
    );

    let other = family();
    store.save_draft(other.clone()).await.unwrap();
    store.forget(h.id).await.unwrap();
    assert!(matches!(
        store.load(h.id).await,
        Err(KomekError::NotFound { .. })
    ));
    assert_eq!(store.list().await.unwrap().len(), 1);
    assert_eq!(store.load(other.id).await.unwrap().id, other.id);
    // Forgetting rotated the data key: the old vault alias was destroyed.
    assert!(!v.destroyed.lock().unwrap().is_empty());
    assert!(store.verify_audit().await.unwrap() > 0);
}

#[tokio::test]
async fn the_store_reopens_with_the_same_vault_and_not_with_another() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault();
    let store = open(&dir, v.clone()).await;
    let id = store
        .add_staff(Role::Supervisor, "Supervisor".into(), PIN.into())
        .await
        .unwrap();
    store.unlock(id, PIN.into()).await.unwrap();
    let h = family();
    store.save_draft(h.clone()).await.unwrap();
    drop(store);

    let again = open(&dir, v).await;
    again.unlock(id, PIN.into()).await.unwrap();
    assert_eq!(again.load(h.id).await.unwrap().members.len(), 4);
    drop(again);

    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    let err = KomekStore::open(
        path,
        vault(),
        StoreConfig {
            idle_timeout_secs: 300,
            trusted_rule_keys: vec![],
        },
    )
    .await
    .err()
    .expect("a fresh vault has none of the store's keys");
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn a_vault_that_is_down_is_reported_as_a_vault_error() {
    let dir = tempfile::tempdir().unwrap();
    let v = vault();
    *v.fail_with.lock().unwrap() = Some(KomekError::Vault {
        reason: "user not authenticated".into(),
    });
    let path = dir.path().join("komek.db").to_string_lossy().into_owned();
    let err = KomekStore::open(
        path,
        v,
        StoreConfig {
            idle_timeout_secs: 300,
            trusted_rule_keys: vec![],
        },
    )
    .await
    .err()
    .unwrap();
    assert_eq!(err.code(), "vault");
    assert!(err.to_string().contains("user not authenticated"), "{err}");
}

/// Ids from `new_record_id` are the household's derived ones: a member added
/// with one moves the next id on, and the sealed form of a family built that
/// way is smaller than one with random ids.
/// `newMember(household, ...)` hands out derived ids by default; a form
/// with random ids costs 16 bytes per id more on the wire.
#[test]
fn new_member_and_new_record_id_derive_ids_that_cost_less_on_the_wire() {
    let mut derived = family();
    let mut random = derived.clone();
    for m in random.members.iter_mut() {
        let old = m.id;
        m.id = uuid::Uuid::new_v4();
        for income in random.incomes.iter_mut().filter(|x| x.member_id == old) {
            income.member_id = m.id;
        }
    }
    for i in 0..derived.incomes.len() {
        let id = komek_ffi::new_record_id(derived.clone()).unwrap();
        derived.incomes[i].id = id;
        assert_ne!(komek_ffi::new_record_id(derived.clone()).unwrap(), id);
    }
    let ids: std::collections::HashSet<_> = derived.members.iter().map(|m| m.id).collect();
    assert_eq!(
        ids.len(),
        derived.members.len(),
        "every member got its own id"
    );

    let size = |h: komek_ffi::Household| {
        let core = komek_core::model::Household::try_from(h).unwrap();
        komek_core::sync::codec::encode(&core).unwrap().len()
    };
    let (r, d) = (size(random), size(derived));
    assert!(d + 16 * 4 < r, "derived {d} bytes, random {r} bytes");
}
