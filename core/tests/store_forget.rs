//! Forgetting a household is final, even against an old copy of the file.

mod common;

use common::*;
use komek_core::store::{Store, StoreError};

#[test]
fn a_forgotten_household_cannot_be_read_even_from_an_old_copy() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, supervisor) = new_store(dir.path(), vault.clone());
    let hs = households(3);
    for h in &hs {
        store.save_draft(h).unwrap();
    }
    // An attacker copies the database files before the forget.
    let copy = tempfile::tempdir().unwrap();
    store.verify_audit().unwrap();
    for f in ["komek.db", "komek.db-wal", "komek.db-shm"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(f)) {
            std::fs::write(copy.path().join(f), bytes).unwrap();
        }
    }

    let iin = hs[0].members[0].iin.clone().unwrap();
    store.forget(hs[0].id).unwrap();
    assert!(matches!(store.load(hs[0].id), Err(StoreError::NotFound)));
    assert!(store.find_by_iin(&iin).unwrap().is_empty());
    // The others survive the key rotation.
    assert_eq!(store.load(hs[1].id).unwrap().members, hs[1].members);
    assert_eq!(store.list().unwrap().len(), 2);
    store.verify_audit().unwrap();
    drop(store);

    // Reopening the current file works, with the same staff and data.
    let again = Store::open(&dir.path().join("komek.db"), vault.clone(), config(clock())).unwrap();
    again.unlock(supervisor, PIN).unwrap();
    assert_eq!(again.load(hs[2].id).unwrap().members, hs[2].members);

    // The old copy, with the current vault, opens nothing: its data key's vault
    // alias was destroyed.
    match Store::open(&copy.path().join("komek.db"), vault, config(clock())) {
        Err(StoreError::Vault(komek_core::crypto::VaultError::KeyNotFound(_))) => {}
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("the old copy opened"),
    }
}
