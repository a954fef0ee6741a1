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

/// A database written by the schema-3 code itself (tests/fixtures/v3, see
/// `examples/make_v3_fixture.rs`) gains the follow-up tables: its households
/// are found by their settlement (indexed once on open), take plans, and the
/// schema equals a fresh one.
#[test]
fn a_saved_v3_database_upgrades_to_follow_up_records() {
    use komek_core::followup::{
        IntegrationPlan, Measure, MeasureKind, MeasureStatus, Parties, RecordHead, Responsible,
        Signature, SignatureMethod, VisitListSettings, VisitReasonKind,
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v3");
    let dir = tempfile::tempdir().unwrap();
    for f in ["komek.db", "vault.json", "fixture.json"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("fixture.json")).unwrap()).unwrap();
    let db = dir.path().join("komek.db");
    assert_eq!(user_version(&db), 3);
    let vault = Arc::new(
        SoftwareVault::open(
            &dir.path().join("vault.json"),
            manifest["passphrase"].as_str().unwrap(),
        )
        .unwrap(),
    );
    let store = Store::open(&db, vault, config(clock())).unwrap();
    assert_eq!(user_version(&db), MIGRATIONS.len());
    assert_eq!(MIGRATIONS.len(), 4);
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
    let settlements: Vec<String> = manifest["settlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    // The v3 outbox operation is still there, untouched.
    assert_eq!(store.outbox_pending(10).unwrap().len(), 1);

    let h = store.load(ids[0]).unwrap();
    let member = h.members[0].id;
    let plan = IntegrationPlan {
        head: RecordHead::new(h.id, komek_core::store::Clock::now(clock().as_ref())),
        parties: Parties {
            recipient: member,
            authority: "Career centre".into(),
            drawn_up_by: None,
        },
        covered_members: vec![member],
        starts_on: today(),
        ends_on: None,
        measures: vec![Measure {
            id: Uuid::new_v4(),
            kind: MeasureKind::JobSearch,
            member: Some(member),
            responsible: Responsible::CareerCentre,
            due: today() + chrono::Days::new(10),
            status: MeasureStatus::Planned,
            note: None,
        }],
        obligations: Vec::new(),
        review_dates: vec![today() + chrono::Days::new(90)],
        signature: Some(Signature {
            method: SignatureMethod::Paper,
            signed_on: today(),
            witness: None,
        }),
        note: None,
    };
    store.save_record(&plan).unwrap();
    store
        .finalize_record::<IntegrationPlan>(plan.head.id)
        .unwrap();
    // Found through the settlement index built on open from the old rows.
    let list = store
        .visit_list(
            &settlements[0],
            today() + chrono::Days::new(20),
            &VisitListSettings::default(),
            None,
        )
        .unwrap();
    assert!(list
        .iter()
        .any(|n| n.household_id == h.id && n.reasons[0].kind == VisitReasonKind::MeasureOverdue));
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
