//! `lock()` must never wait behind a long operation: a supervisor hands the
//! phone over while a key rotation (or a re-screen) still holds the store.

mod common;

use common::*;
use komek_core::crypto::{KeyVault, VaultError};
use komek_core::store::StoreError;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zeroize::Zeroizing;

/// A vault whose `wrap` waits for the test's signal once armed: the store
/// calls it while it holds its connection (the data key rotation of `forget`).
struct GateVault {
    inner: Arc<FileVault>,
    gate: Mutex<Option<(mpsc::Sender<()>, mpsc::Receiver<()>)>>,
}

impl KeyVault for GateVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        if let Some((entered, release)) = self.gate.lock().unwrap().take() {
            entered.send(()).unwrap();
            release.recv_timeout(Duration::from_secs(60)).unwrap();
        }
        self.inner.wrap(alias, secret)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        self.inner.unwrap(alias, wrapped)
    }

    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        self.inner.destroy(alias)
    }
}

#[test]
fn lock_returns_while_another_call_holds_the_store_and_the_next_call_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(GateVault {
        inner: FileVault::open(&dir.path().join("vault.json")),
        gate: Mutex::new(None),
    });
    let (store, _) = new_store(dir.path(), vault.clone());
    let store = Arc::new(store);
    let h = households(1).remove(0);
    store.save_draft(&h).unwrap();

    let (entered_tx, entered) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    *vault.gate.lock().unwrap() = Some((entered_tx, release_rx));
    let forgetting = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || store.forget(h.id))
    };
    entered.recv_timeout(Duration::from_secs(60)).unwrap();

    // `forget` now holds the store inside the vault. Lock from another
    // thread; it must come back while the vault is still held.
    let (locked_tx, locked) = mpsc::channel();
    let locker = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            store.lock();
            locked_tx.send(store.current_staff()).unwrap();
        })
    };
    let seen = locked.recv_timeout(Duration::from_secs(60));
    release.send(()).unwrap();
    assert_eq!(seen, Ok(None), "lock() waited for forget() to finish");
    locker.join().unwrap();

    // The call that was running finishes; the next one finds the store locked.
    forgetting.join().unwrap().unwrap();
    assert!(matches!(store.list(), Err(StoreError::Locked)));
}

#[test]
fn the_active_rule_pack_choice_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let (store, _) = new_store(dir.path(), vault.clone());
    assert_eq!(store.active_rule_pack().unwrap(), None);
    let pack = komek_core::store::StoredPack {
        version: "kz-2026.2".into(),
        toml: b"version = \"kz-2026.2\"".to_vec(),
        signature: vec![1; 72],
    };
    store.set_active_rule_pack(Some(&pack)).unwrap();
    drop(store);

    let store =
        komek_core::store::Store::open(&dir.path().join("komek.db"), vault, config(clock()))
            .unwrap();
    assert_eq!(store.active_rule_pack().unwrap(), Some(pack));
    store.set_active_rule_pack(None).unwrap();
    assert_eq!(store.active_rule_pack().unwrap(), None);
}
