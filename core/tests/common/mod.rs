//! Shared set-up for the store's integration tests.
#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use komek_core::crypto::{open_record, seal_record, KeyVault, RecordAad, SecretKey, VaultError};
use komek_core::model::Household;
use komek_core::store::{ManualClock, Role, Store, StoreConfig};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use uuid::Uuid;
use zeroize::Zeroizing;

pub const PIN: &str = "482916";

/// A cheap key vault for tests: random keys per alias in a JSON file (so it
/// works across processes). Insecure by design; the trait is what is tested.
pub struct FileVault {
    path: PathBuf,
    keys: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl FileVault {
    pub fn open(path: &Path) -> Arc<FileVault> {
        let keys = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Arc::new(FileVault {
            path: path.to_path_buf(),
            keys: Mutex::new(keys),
        })
    }

    fn save(&self, keys: &BTreeMap<String, Vec<u8>>) {
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_vec(keys).unwrap()).unwrap();
        std::fs::rename(&tmp, &self.path).unwrap();
    }

    fn aad(alias: &str) -> RecordAad<'_> {
        RecordAad {
            table: "test-vault",
            record_id: alias.as_bytes(),
            version: 0,
        }
    }
}

impl KeyVault for FileVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut keys = self.keys.lock().unwrap();
        if !keys.contains_key(alias) {
            keys.insert(
                alias.into(),
                SecretKey::generate().unwrap().expose().to_vec(),
            );
            self.save(&keys);
        }
        let k = SecretKey::from_bytes(&keys[alias]).unwrap();
        Ok(seal_record(&k, Self::aad(alias), secret).unwrap())
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let keys = self.keys.lock().unwrap();
        let k = keys
            .get(alias)
            .ok_or_else(|| VaultError::KeyNotFound(alias.into()))?;
        let k = SecretKey::from_bytes(k).unwrap();
        open_record(&k, Self::aad(alias), wrapped).map_err(|_| VaultError::Corrupt)
    }

    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        let mut keys = self.keys.lock().unwrap();
        if keys.remove(alias).is_some() {
            self.save(&keys);
        }
        Ok(())
    }
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 2, 10, 9, 0, 0).unwrap(),
    ))
}

pub fn config(clock: Arc<ManualClock>) -> StoreConfig {
    StoreConfig {
        clock,
        ..StoreConfig::default()
    }
}

/// A store in `dir` with one supervisor, unlocked. Returns the supervisor's id.
pub fn new_store(dir: &Path, vault: Arc<dyn KeyVault>) -> (Store, Uuid) {
    let store = Store::open(&dir.join("komek.db"), vault, config(clock())).unwrap();
    let id = store
        .add_staff(Role::Supervisor, "Supervisor", PIN)
        .unwrap();
    store.unlock(id, PIN).unwrap();
    (store, id)
}

/// `n` synthetic households (fixed seed) dated for [`today`].
pub fn households(n: usize) -> Vec<Household> {
    komek_core::synth::households(2026, n, today())
}

/// Every file of the database: main, WAL and shared memory.
pub fn db_files(dir: &Path) -> Vec<Vec<u8>> {
    ["komek.db", "komek.db-wal", "komek.db-shm"]
        .iter()
        .filter_map(|f| std::fs::read(dir.join(f)).ok())
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
