//! A field device for tests and benches: a store in a temporary directory, a
//! cheap in-memory key vault, one field worker already unlocked.
//!
//! [`MemoryVault`] keeps its keys in memory and is insecure by design; it
//! exists so tests exercise the key-vault trait without PBKDF2's 600,000
//! iterations per key. Phones use the platform keystores through the bindings.

use chrono::NaiveDate;
use komek_core::crypto::{open_record, seal_record, KeyVault, RecordAad, SecretKey, VaultError};
use komek_core::model::Household;
use komek_core::store::{Role, Store, StoreConfig, StoreError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use zeroize::Zeroizing;

pub const PIN: &str = "482916";

#[derive(Default)]
pub struct MemoryVault {
    keys: Mutex<BTreeMap<String, SecretKey>>,
}

fn aad(alias: &str) -> RecordAad<'_> {
    RecordAad {
        table: "memory-vault",
        record_id: alias.as_bytes(),
        version: 0,
    }
}

impl KeyVault for MemoryVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut keys = self
            .keys
            .lock()
            .map_err(|_| VaultError::Unavailable("poisoned".into()))?;
        if !keys.contains_key(alias) {
            let key = SecretKey::generate().map_err(|e| VaultError::Unavailable(e.to_string()))?;
            keys.insert(alias.to_string(), key);
        }
        let key = keys
            .get(alias)
            .ok_or_else(|| VaultError::KeyNotFound(alias.into()))?;
        seal_record(key, aad(alias), secret).map_err(|_| VaultError::Corrupt)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let keys = self
            .keys
            .lock()
            .map_err(|_| VaultError::Unavailable("poisoned".into()))?;
        let key = keys
            .get(alias)
            .ok_or_else(|| VaultError::KeyNotFound(alias.into()))?;
        open_record(key, aad(alias), wrapped).map_err(|_| VaultError::Corrupt)
    }

    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        if let Ok(mut keys) = self.keys.lock() {
            keys.remove(alias);
        }
        Ok(())
    }
}

/// A device with its store open and a field worker unlocked.
pub struct Device {
    pub store: Store,
    pub vault: Arc<MemoryVault>,
    pub path: PathBuf,
}

impl Device {
    /// A new device whose database lives in `dir`.
    pub fn new(dir: &Path, name: &str) -> Result<Device, StoreError> {
        Device::with_config(dir, name, StoreConfig::default())
    }

    pub fn with_config(dir: &Path, name: &str, config: StoreConfig) -> Result<Device, StoreError> {
        let path = dir.join(format!("{name}.sqlite"));
        let vault = Arc::new(MemoryVault::default());
        let store = Store::open(&path, vault.clone(), config)?;
        let supervisor = store.add_staff(Role::Supervisor, "Supervisor", PIN)?;
        store.unlock(supervisor, PIN)?;
        let worker = store.add_staff(Role::Field, "Field worker", PIN)?;
        store.unlock(worker, PIN)?;
        Ok(Device { store, vault, path })
    }

    /// Reopen the same database (a restarted app), unlocked.
    pub fn reopen(self) -> Result<Device, StoreError> {
        let Device { store, vault, path } = self;
        drop(store);
        let store = Store::open(&path, vault.clone(), StoreConfig::default())?;
        let worker = store
            .staff()?
            .into_iter()
            .find(|s| s.role == Role::Field)
            .ok_or(StoreError::UnknownStaff)?;
        store.unlock(worker.id, PIN)?;
        Ok(Device { store, vault, path })
    }

    /// Save and finalize each household.
    pub fn capture(&self, households: &[Household], today: NaiveDate) -> Result<(), StoreError> {
        for h in households {
            self.store.save_draft(h)?;
            self.store.finalize(h.id, today)?;
        }
        Ok(())
    }
}
