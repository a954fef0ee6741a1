//! A scripted field session, then a byte-for-byte search of the database files
//! for every personal value used: none may appear.

mod common;

use common::*;
use komek_core::model::FormStatus;

#[test]
fn no_personal_data_reaches_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault);
    let mut saved = households(10);

    for h in &saved {
        store.save_draft(h).unwrap();
    }
    // Edit each: a new address and a note; finalize half; correct one.
    for (i, h) in saved.iter_mut().enumerate() {
        h.address = Some(format!("ул. Абая, {}", 100 + i));
        h.notes = Some(format!("Семья {} просит помощь", h.members[0].surname));
        store.save_draft(h).unwrap();
        if i % 2 == 0 {
            let f = store.finalize(h.id, today()).unwrap();
            assert_eq!(f.status, FormStatus::Final);
        }
    }
    let corrected = store.start_correction(saved[0].id).unwrap();
    assert_eq!((corrected.version, corrected.replaces), (2, Some(1)));

    // Every IIN finds its household.
    for h in &saved {
        for m in &h.members {
            if let Some(iin) = &m.iin {
                assert!(store.find_by_iin(iin).unwrap().contains(&h.id));
            }
        }
        assert_eq!(store.load(h.id).unwrap().address, h.address);
    }
    assert_eq!(store.outbox_counts().unwrap().pending, 5);
    assert!(store.verify_audit().unwrap() > 30);

    let files = db_files(dir.path());
    assert!(!files.is_empty());
    let mut needles: Vec<String> = Vec::new();
    for h in &saved {
        needles.extend(h.address.clone());
        for m in &h.members {
            needles.extend(m.iin.clone());
            needles.push(m.surname.clone());
            needles.push(m.given_name.clone());
        }
        for i in &h.incomes {
            // Amounts as they appear in JSON (tiyn).
            needles.push(format!("\"amount\":{}", i.amount.get()));
        }
    }
    needles.sort();
    needles.dedup();
    assert!(needles.len() > 50, "the session used many personal values");
    for needle in &needles {
        for file in &files {
            assert!(
                !contains(file, needle.as_bytes()),
                "a personal value was found in plaintext"
            );
        }
    }
}
