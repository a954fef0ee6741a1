//! A database saved at schema version 1 (tests/fixtures/v1, written by
//! `examples/make_v1_fixture.rs`) upgrades to the current schema, equal to a
//! fresh one, with every record still readable.

mod common;

use common::*;
use komek_core::crypto::SoftwareVault;
use komek_core::store::{Store, MIGRATIONS};
use rusqlite::Connection;
use std::path::Path;
use std::sync::Arc;
use uuid::Uuid;

fn schema(db: &Path) -> Vec<(String, String)> {
    let c = Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    rows
}

/// SQL text without formatting differences (ALTER TABLE rewrites it).
fn normalized(schema: Vec<(String, String)>) -> Vec<(String, String)> {
    schema
        .into_iter()
        .map(|(n, s)| (n, s.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect()
}

fn user_version(db: &Path) -> usize {
    Connection::open(db)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn a_saved_v1_database_upgrades_and_keeps_its_data() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    let dir = tempfile::tempdir().unwrap();
    for f in ["komek.db", "vault.json", "fixture.json"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("fixture.json")).unwrap()).unwrap();
    let db = dir.path().join("komek.db");
    assert_eq!(user_version(&db), 1);

    let vault = Arc::new(
        SoftwareVault::open(
            &dir.path().join("vault.json"),
            manifest["passphrase"].as_str().unwrap(),
        )
        .unwrap(),
    );
    let store = Store::open(&db, vault, config(clock())).unwrap();
    assert_eq!(user_version(&db), MIGRATIONS.len());

    let staff: Uuid = manifest["staff"].as_str().unwrap().parse().unwrap();
    store
        .unlock(staff, manifest["pin"].as_str().unwrap())
        .unwrap();
    let ids: Vec<Uuid> = manifest["households"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect();
    for id in &ids {
        let h = store.load(*id).unwrap();
        assert!(!h.members.is_empty());
        let iin = h.members.iter().find_map(|m| m.iin.clone()).unwrap();
        assert_eq!(store.find_by_iin(&iin).unwrap(), vec![*id]);
    }
    // The v1 outbox operation gained the v2 column and can be sealed.
    let ops = store.outbox_pending(10).unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].sealed, None);
    store
        .outbox_set_sealed(ops[0].device_seq, b"sealed")
        .unwrap();
    assert!(store.verify_audit().unwrap() > 0);
    drop(store);

    let fresh = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&fresh.path().join("vault.json"));
    drop(new_store(fresh.path(), vault));
    assert_eq!(
        normalized(schema(&db)),
        normalized(schema(&fresh.path().join("komek.db")))
    );
}
