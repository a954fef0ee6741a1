//! Opening a field device's store from the command line.
//!
//! On a phone the store's data key is wrapped by the platform keystore; on a
//! laptop (a mobile centre's, or the office's) by the core's passphrase vault
//! ([`SoftwareVault`]: PBKDF2-HMAC-SHA256, 600,000 iterations, salts in
//! `STORE.vault` beside the database). The passphrase comes from
//! `KOMEK_PASSPHRASE`, never from the command line. Only existing stores are
//! opened: a mistyped path must not quietly make a new, empty one.

use crate::error::CliError;
use komek_core::crypto::SoftwareVault;
use komek_core::store::{Store, StoreConfig, StoreError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The vault file of the store at `store`: `STORE.vault`.
pub fn vault_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".vault");
    PathBuf::from(name)
}

/// A store error as the command line says it (no personal data in any).
pub fn store_error(path: &Path, e: StoreError) -> CliError {
    match e {
        StoreError::WrongPassphrase => CliError::Refused(format!(
            "{}: wrong passphrase (KOMEK_PASSPHRASE)",
            path.display()
        )),
        other => CliError::Other(format!("device store {}: {other}", path.display())),
    }
}

/// Open the existing store at `path` with the passphrase in KOMEK_PASSPHRASE.
pub fn open(path: &Path) -> Result<Store, CliError> {
    if !path.is_file() {
        return Err(CliError::read(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no device store here"),
        ));
    }
    let passphrase = std::env::var("KOMEK_PASSPHRASE")
        .ok()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            CliError::Usage("set KOMEK_PASSPHRASE to the device store's passphrase".into())
        })?;
    let vault = SoftwareVault::open(&vault_path(path), &passphrase)
        .map_err(|e| store_error(path, e.into()))?;
    Store::open(path, Arc::new(vault), StoreConfig::default()).map_err(|e| store_error(path, e))
}
