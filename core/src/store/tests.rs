//! Unit tests of staff PINs, attempt limits and the idle lock (cheap PIN KDF).

use super::*;
use crate::crypto::SoftwareVault;
use chrono::TimeZone;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    vault: Arc<SoftwareVault>,
    clock: Arc<ManualClock>,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let vault = Arc::new(SoftwareVault::open(&dir.path().join("v.json"), "pass").unwrap());
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap(),
        ));
        Fixture {
            path: dir.path().join("k.db"),
            _dir: dir,
            vault,
            clock,
        }
    }

    fn open(&self) -> Store {
        let config = StoreConfig {
            idle_timeout: Duration::from_secs(300),
            clock: self.clock.clone(),
        };
        Store::open(&self.path, self.vault.clone(), config).unwrap()
    }
}

fn with_field_worker(f: &Fixture) -> (Store, Uuid, Uuid) {
    let s = f.open();
    let sup = s.add_staff(Role::Supervisor, "Айгуль", "1111").unwrap();
    s.unlock(sup, "1111").unwrap();
    let field = s.add_staff(Role::Field, "Ерлан", "2222").unwrap();
    s.lock();
    (s, sup, field)
}

#[test]
fn the_first_staff_member_must_be_a_supervisor() {
    let f = Fixture::new();
    let s = f.open();
    assert!(matches!(
        s.add_staff(Role::Field, "F", "1234"),
        Err(StoreError::NotSupervisor)
    ));
    assert!(matches!(
        s.add_staff(Role::Supervisor, "S", "12a4"),
        Err(StoreError::BadPin)
    ));
    let sup = s.add_staff(Role::Supervisor, "S", "1234").unwrap();
    // Later additions need an unlocked supervisor.
    assert!(matches!(
        s.add_staff(Role::Field, "F", "5678"),
        Err(StoreError::Locked)
    ));
    s.unlock(sup, "1234").unwrap();
    s.add_staff(Role::Field, "F", "5678").unwrap();
    let names: Vec<String> = s
        .staff()
        .unwrap()
        .into_iter()
        .map(|m| m.display_name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"S".to_string()));
}

/// Issue 11, finding 11: a staff name is free text shown to others, so a
/// terminal escape or a blank name is refused by field, nothing stored.
#[test]
fn a_staff_name_with_control_characters_is_refused_by_field() {
    let f = Fixture::new();
    let s = f.open();
    for bad in ["Aigul\u{1b}[2J", "  ", "A\u{202e}B", "Two\nlines"] {
        match s.add_staff(Role::Supervisor, bad, "1234") {
            Err(StoreError::Invalid(p)) => assert!(
                p.errors().any(|e| e.path == "display_name"),
                "{bad:?}: {p:?}"
            ),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let sup = s.add_staff(Role::Supervisor, "Айгүл", "1234").unwrap();
    s.unlock(sup, "1234").unwrap();
    assert_eq!(s.staff().unwrap().len(), 1);
}

#[test]
fn a_field_worker_cannot_manage_staff() {
    let f = Fixture::new();
    let (s, sup, field) = with_field_worker(&f);
    s.unlock(field, "2222").unwrap();
    assert!(matches!(
        s.add_staff(Role::Field, "X", "3333"),
        Err(StoreError::NotSupervisor)
    ));
    assert!(matches!(
        s.reset_staff(sup, "9999"),
        Err(StoreError::NotSupervisor)
    ));
    assert!(matches!(s.audit_entries(), Err(StoreError::NotSupervisor)));
}

#[test]
fn wrong_pins_get_a_growing_delay_then_a_lock_out_until_a_supervisor_resets() {
    let f = Fixture::new();
    let (s, sup, field) = with_field_worker(&f);
    for remaining in [9, 8] {
        assert!(matches!(
            s.unlock(field, "0000"),
            Err(StoreError::WrongPin { remaining_attempts }) if remaining_attempts == remaining
        ));
    }
    // The third failure starts a 30 s delay during which even the right PIN waits.
    assert!(matches!(
        s.unlock(field, "0000"),
        Err(StoreError::WrongPin {
            remaining_attempts: 7
        })
    ));
    assert!(matches!(
        s.unlock(field, "2222"),
        Err(StoreError::TooManyAttempts {
            retry_after_secs: 30
        })
    ));
    f.clock.advance(Duration::from_secs(30));
    // The fourth failure doubles it to 60 s.
    assert!(matches!(
        s.unlock(field, "0000"),
        Err(StoreError::WrongPin {
            remaining_attempts: 6
        })
    ));
    assert!(matches!(
        s.unlock(field, "0000"),
        Err(StoreError::TooManyAttempts {
            retry_after_secs: 60
        })
    ));
    // Counters survive a restart.
    drop(s);
    let s = f.open();
    assert!(matches!(
        s.unlock(field, "2222"),
        Err(StoreError::TooManyAttempts {
            retry_after_secs: 60
        })
    ));
    for _ in 0..6 {
        f.clock.advance(Duration::from_secs(100_000));
        let _ = s.unlock(field, "0000");
    }
    f.clock.advance(Duration::from_secs(100_000));
    assert!(matches!(
        s.unlock(field, "2222"),
        Err(StoreError::LockedOut)
    ));
    assert!(s.staff().is_err());

    s.unlock(sup, "1111").unwrap();
    assert!(s
        .staff()
        .unwrap()
        .iter()
        .any(|m| m.id == field && m.locked_out));
    s.reset_staff(field, "7777").unwrap();
    s.unlock(field, "7777").unwrap();
    assert_eq!(s.current_staff(), Some(field));
}

#[test]
fn the_store_locks_itself_after_the_idle_time() {
    let f = Fixture::new();
    let (s, _sup, field) = with_field_worker(&f);
    s.unlock(field, "2222").unwrap();
    f.clock.advance(Duration::from_secs(299));
    s.list().unwrap(); // activity resets the timer
    f.clock.advance(Duration::from_secs(299));
    s.list().unwrap();
    f.clock.advance(Duration::from_secs(301));
    assert_eq!(s.current_staff(), None);
    assert!(matches!(s.list(), Err(StoreError::Locked)));
    // It stays locked until someone unlocks again.
    assert!(matches!(s.list(), Err(StoreError::Locked)));
    s.unlock(field, "2222").unwrap();
    s.list().unwrap();
}

#[test]
fn invalid_forms_are_refused_whole_and_finalized_forms_are_immutable() {
    let f = Fixture::new();
    let (s, sup, _) = with_field_worker(&f);
    s.unlock(sup, "1111").unwrap();
    let today = f.clock.now().date_naive();
    let mut h = crate::synth::households(1, 1, today).remove(0);
    let good = h.clone();
    h.members[0].iin = Some("881124300179".into()); // wrong check digit
    h.consents.clear();
    match s.save_draft(&h) {
        Err(StoreError::Invalid(p)) => {
            assert!(p.has_errors());
            assert!(p.len() >= 2, "every problem is reported at once");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(s.list().unwrap().is_empty(), "nothing was stored");

    s.save_draft(&good).unwrap();
    let fin = s.finalize(good.id, today).unwrap();
    assert!(matches!(s.save_draft(&good), Err(StoreError::Immutable)));
    assert!(matches!(
        s.finalize(good.id, today),
        Err(StoreError::Immutable)
    ));
    let ops = s.outbox_pending(10).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!((ops[0].entity_id, ops[0].version), (good.id, 1));

    let c = s.start_correction(good.id).unwrap();
    assert_eq!((c.version, c.replaces), (2, Some(1)));
    s.finalize(good.id, today).unwrap();
    let ops = s.outbox_pending(10).unwrap();
    assert_eq!(ops.len(), 2);
    assert_eq!((ops[1].version, ops[1].base_version), (2, Some(1)));
    assert!(ops[0].device_seq < ops[1].device_seq);
    assert_eq!(
        s.load_version(good.id, 1).unwrap().finalized_at,
        fin.finalized_at
    );

    // The outbox keeps the first sealed bytes forever; a rejection blocks nothing.
    s.outbox_set_sealed(ops[0].device_seq, b"sealed-1").unwrap();
    assert!(matches!(
        s.outbox_set_sealed(ops[0].device_seq, b"other"),
        Err(StoreError::AlreadySealed(_))
    ));
    // A batch is one transaction: one refusal in it stores none of it.
    assert!(matches!(
        s.outbox_set_sealed_batch(&[
            (ops[1].device_seq, b"sealed-2".as_slice()),
            (ops[0].device_seq, b"other".as_slice())
        ]),
        Err(StoreError::AlreadySealed(_))
    ));
    let again = s.outbox_pending(10).unwrap();
    assert_eq!(again[0].sealed.as_deref(), Some(b"sealed-1".as_slice()));
    assert_eq!(again[1].sealed, None);
    s.outbox_mark_rejected(ops[0].device_seq, "bad_signature")
        .unwrap();
    let pending = s.outbox_pending(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].device_seq, ops[1].device_seq);
    s.outbox_mark_acked(ops[1].device_seq).unwrap();
    let counts = s.outbox_counts().unwrap();
    assert_eq!((counts.pending, counts.acked, counts.rejected), (0, 1, 1));
}

/// A restored device (ADR 0010): a refused operation takes a number above
/// every one used here and the registry's floor, loses its seal, and later
/// operations are numbered above it.
#[test]
fn a_renumbered_operation_goes_above_the_registry_floor_and_is_sealed_again() {
    let f = Fixture::new();
    let (s, _, field) = with_field_worker(&f);
    s.unlock(field, "2222").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let forms = crate::synth::households(3, 3, today);
    for h in &forms[..2] {
        s.save_draft(h).unwrap();
        s.finalize(h.id, today).unwrap();
    }
    let first = s.outbox_pending(10).unwrap();
    let seqs: Vec<i64> = first.iter().map(|o| o.device_seq).collect();
    s.outbox_set_sealed(seqs[0], b"sealed").unwrap();
    assert_eq!(s.op_floor().unwrap(), 0);
    s.raise_op_floor(7).unwrap();
    s.raise_op_floor(5).unwrap();
    assert_eq!(s.op_floor().unwrap(), 7, "the floor only rises");

    assert_eq!(s.outbox_renumber(seqs[0]).unwrap(), 8);
    let op = s.outbox_pending(10).unwrap().pop().unwrap();
    assert_eq!(
        (op.device_seq, op.op_id, op.sealed),
        (8, first[0].op_id, None)
    );
    // The next form is numbered above it.
    s.save_draft(&forms[2]).unwrap();
    s.finalize(forms[2].id, today).unwrap();
    let last = s.outbox_pending(10).unwrap().pop().unwrap();
    assert_eq!(last.device_seq, 9);
    // Only pending operations are renumbered.
    s.outbox_mark_acked(seqs[1]).unwrap();
    assert!(matches!(
        s.outbox_renumber(seqs[1]),
        Err(StoreError::NotFound)
    ));
}

/// Issue 11, finding 12: a registry answering `last_seq` = 2^63 − 1 once
/// left the counter at i64::MAX and every later request number failed. Now
/// the number is refused before it is stored and numbering goes on.
#[test]
fn a_request_sequence_out_of_range_is_refused_and_numbering_goes_on() {
    let f = Fixture::new();
    let s = f.open();
    assert_eq!(s.next_request_seq().unwrap(), 1);
    for hostile in [i64::MAX as u64, u64::MAX, super::sync::MAX_SEQ as u64] {
        assert!(
            matches!(
                s.raise_request_seq(hostile),
                Err(StoreError::OutOfRange("request sequence"))
            ),
            "{hostile}"
        );
    }
    assert_eq!(s.next_request_seq().unwrap(), 2);
    s.raise_request_seq(super::sync::MAX_SEQ as u64 - 2)
        .unwrap();
    assert_eq!(
        s.next_request_seq().unwrap(),
        super::sync::MAX_SEQ as u64 - 1
    );
    assert_eq!(s.next_request_seq().unwrap(), super::sync::MAX_SEQ as u64);
    assert!(matches!(
        s.next_request_seq(),
        Err(StoreError::OutOfRange(_))
    ));
}

/// Issue 14, "Structure": the store sits below the sync client. What both
/// need (a case's status, the inbox key's cipher) lives in `model` and
/// `crypto`; no store file names the sync module.
#[test]
fn the_store_does_not_reach_up_into_the_sync_client() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("crate::sync"),
                "{} uses the sync module",
                path.display()
            );
            read += 1;
        }
    }
    assert!(read >= 10, "read {read} store files");
}

/// Overlays are kept one per region (a newer replaces the older), survive a
/// reopen, and are forgotten on request; the active pack's row is not one.
#[test]
fn overlays_are_kept_per_region_across_a_restart() {
    let f = Fixture::new();
    let s = f.open();
    assert!(s.overlays().unwrap().is_empty());
    let aktobe = |toml: &[u8]| StoredOverlay {
        region: "15".into(),
        toml: toml.to_vec(),
        signature: vec![1; 72],
    };
    s.put_overlay(&aktobe(b"first")).unwrap();
    s.put_overlay(&aktobe(b"second")).unwrap();
    let almaty = StoredOverlay {
        region: "19".into(),
        toml: b"almaty".to_vec(),
        signature: vec![2; 72],
    };
    s.put_overlay(&almaty).unwrap();
    s.set_active_rule_pack(Some(&StoredPack {
        version: "kz-2026.2".into(),
        toml: b"pack".to_vec(),
        signature: vec![3; 72],
    }))
    .unwrap();
    drop(s);
    let s = f.open();
    assert_eq!(
        s.overlays().unwrap(),
        vec![aktobe(b"second"), almaty.clone()]
    );
    assert!(s.remove_overlay("15").unwrap());
    assert!(!s.remove_overlay("15").unwrap());
    assert_eq!(s.overlays().unwrap(), vec![almaty]);
}
