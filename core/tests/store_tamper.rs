//! Damage to the database file, or the wrong secret, gives a distinct, clear error.

mod common;

use common::*;
use komek_core::crypto::SoftwareVault;
use komek_core::store::{Store, StoreError};
use rusqlite::{params, Connection};
use std::sync::Arc;
use uuid::Uuid;

fn sealed(conn: &Connection, id: Uuid) -> Vec<u8> {
    conn.query_row(
        "SELECT sealed FROM households WHERE household_id = ?1",
        [id.as_bytes()],
        |r| r.get(0),
    )
    .unwrap()
}

fn set_sealed(conn: &Connection, id: Uuid, bytes: &[u8]) {
    conn.execute(
        "UPDATE households SET sealed = ?1 WHERE household_id = ?2",
        params![bytes, id.as_bytes()],
    )
    .unwrap();
}

#[test]
fn bit_flip_row_swap_and_truncation_are_distinct_errors() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let hs = households(3);
    for h in &hs {
        store.save_draft(h).unwrap();
    }
    let raw = Connection::open(dir.path().join("komek.db")).unwrap();

    // A flipped bit in the ciphertext.
    let original = sealed(&raw, hs[0].id);
    let mut flipped = original.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x04;
    set_sealed(&raw, hs[0].id, &flipped);
    assert!(matches!(
        store.load(hs[0].id),
        Err(StoreError::RecordTampered {
            table: "households"
        })
    ));

    // Household 1's ciphertext copied into household 0's row.
    set_sealed(&raw, hs[0].id, &sealed(&raw, hs[1].id));
    assert!(matches!(
        store.load(hs[0].id),
        Err(StoreError::RecordMoved {
            table: "households"
        })
    ));

    // Cut short.
    set_sealed(&raw, hs[0].id, &original[..20]);
    assert!(matches!(
        store.load(hs[0].id),
        Err(StoreError::RecordTruncated {
            table: "households"
        })
    ));

    // Restored, it reads again; the others were never affected.
    set_sealed(&raw, hs[0].id, &original);
    assert_eq!(store.load(hs[0].id).unwrap(), {
        let mut h = hs[0].clone();
        h.updated_at = store.load(hs[0].id).unwrap().updated_at;
        h
    });
    assert_eq!(store.load(hs[2].id).unwrap().members, hs[2].members);
}

#[test]
fn wrong_passphrase_and_wrong_pin_are_distinct_errors() {
    let dir = tempfile::tempdir().unwrap();
    let vault_path = dir.path().join("vault.json");
    let db = dir.path().join("komek.db");
    let staff = {
        let vault = Arc::new(SoftwareVault::open(&vault_path, "correct horse battery").unwrap());
        let store = Store::open(&db, vault, config(clock())).unwrap();
        store
            .add_staff(komek_core::store::Role::Supervisor, "S", PIN)
            .unwrap()
    };
    let wrong = Arc::new(SoftwareVault::open(&vault_path, "wrong passphrase").unwrap());
    assert!(matches!(
        Store::open(&db, wrong, config(clock())),
        Err(StoreError::WrongPassphrase)
    ));

    let right = Arc::new(SoftwareVault::open(&vault_path, "correct horse battery").unwrap());
    let store = Store::open(&db, right, config(clock())).unwrap();
    assert!(matches!(
        store.unlock(staff, "000000"),
        Err(StoreError::WrongPin {
            remaining_attempts: 9
        })
    ));
    assert!(matches!(
        store.load(Uuid::new_v4()),
        Err(StoreError::Locked)
    ));
    store.unlock(staff, PIN).unwrap();
    assert!(matches!(
        store.load(Uuid::new_v4()),
        Err(StoreError::NotFound)
    ));
}
