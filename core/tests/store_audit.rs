//! The audit chain catches altered, removed, reordered and truncated entries.

mod common;

use common::*;
use komek_core::store::{AuditAction, StoreError};
use rusqlite::Connection;

fn session() -> (tempfile::TempDir, komek_core::store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    for h in households(3) {
        store.save_draft(&h).unwrap();
        store.load(h.id).unwrap();
        store.finalize(h.id, today()).unwrap();
    }
    (dir, store)
}

fn raw(dir: &tempfile::TempDir) -> Connection {
    Connection::open(dir.path().join("komek.db")).unwrap()
}

#[test]
fn an_intact_trail_verifies_and_records_who_did_what() {
    let (_dir, store) = session();
    // staff added, unlock, then 3 × (create, view, finalize).
    assert_eq!(store.verify_audit().unwrap(), 11);
    let entries = store.audit_entries().unwrap();
    let actions: Vec<AuditAction> = entries.iter().map(|e| e.action).collect();
    assert_eq!(
        &actions[..2],
        &[AuditAction::StaffAdded, AuditAction::Unlock]
    );
    assert_eq!(
        &actions[2..5],
        &[
            AuditAction::Create,
            AuditAction::View,
            AuditAction::Finalize
        ]
    );
    assert!(entries[2..].iter().all(|e| e.household_id.is_some()));
}

#[test]
fn an_altered_entry_is_caught_where_it_was_altered() {
    let (dir, store) = session();
    raw(&dir)
        .execute("UPDATE audit SET action = 'view' WHERE seq = 5", [])
        .unwrap();
    assert!(matches!(
        store.verify_audit(),
        Err(StoreError::AuditBroken { seq: 5 })
    ));
}

#[test]
fn a_removed_entry_is_caught() {
    let (dir, store) = session();
    raw(&dir)
        .execute("DELETE FROM audit WHERE seq = 4", [])
        .unwrap();
    assert!(matches!(
        store.verify_audit(),
        Err(StoreError::AuditBroken { seq: 4 })
    ));
}

#[test]
fn reordered_entries_are_caught() {
    let (dir, store) = session();
    let c = raw(&dir);
    // Swap the contents of entries 3 and 6 (keeping their sequence numbers).
    c.execute_batch(
        "UPDATE audit SET seq = -3 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = 6;
         UPDATE audit SET seq = 6 WHERE seq = -3;",
    )
    .unwrap();
    assert!(matches!(
        store.verify_audit(),
        Err(StoreError::AuditBroken { seq: 3 })
    ));
}

#[test]
fn entries_cut_from_the_end_are_caught() {
    let (dir, store) = session();
    raw(&dir)
        .execute("DELETE FROM audit WHERE seq >= 10", [])
        .unwrap();
    assert!(matches!(
        store.verify_audit(),
        Err(StoreError::AuditBroken { seq: 10 })
    ));
}
