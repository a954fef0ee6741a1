//! The platform key vault as a foreign trait: Kotlin and Swift implement it.
//!
//! The store's device data key is wrapped by a key that never leaves secure
//! hardware (Android Keystore, iOS Keychain / Secure Enclave). Rust cannot reach
//! those, so the app implements [`KeyVault`] and passes it to
//! `KomekStore.open`; [`VaultAdapter`] makes it the core's
//! [`komek_core::crypto::KeyVault`]. Every method returns a `Result`: a
//! keystore fails (user not authenticated, key invalidated, hardware busy) and
//! the store must report that, not crash. What to throw:
//!
//! - `KomekError.NotFound` when no key has that alias (`unwrap`);
//! - `KomekError.Integrity` when a wrapped blob does not decrypt (tag mismatch);
//! - `KomekError.Vault` for anything else. Any other exception also arrives as
//!   `Vault`, with the exception's text as reason: keep secrets out of it.
//!
//! Secrets cross as byte arrays. The unwrapped key is moved into a zeroizing
//! buffer at once on the Rust side; the platform side should overwrite its
//! copies when done (`ByteArray.fill(0)`, `Data.resetBytes`).

use crate::error::{to_vault_error, KomekError};
use komek_core::crypto::{KeyVault as CoreKeyVault, VaultError};
use std::sync::Arc;
use zeroize::Zeroizing;

/// A keystore that wraps and unwraps secrets under named keys that never leave
/// it. Aliases look like `komek-dk-3`; `destroy` must make everything wrapped
/// under that alias unreadable for good (this is what makes forgetting a
/// household hold against old copies of the database).
#[uniffi::export(with_foreign)]
pub trait KeyVault: Send + Sync {
    /// Encrypt `secret` under the key `alias`, creating that key on first use.
    fn wrap(&self, alias: String, secret: Vec<u8>) -> Result<Vec<u8>, KomekError>;
    /// Decrypt what `wrap` returned for the same alias.
    fn unwrap(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, KomekError>;
    /// Delete the key `alias`. Deleting an alias that does not exist is not an error.
    fn destroy(&self, alias: String) -> Result<(), KomekError>;
}

/// The app's vault seen as the core's vault.
pub(crate) struct VaultAdapter(pub(crate) Arc<dyn KeyVault>);

impl CoreKeyVault for VaultAdapter {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        self.0
            .wrap(alias.to_string(), secret.to_vec())
            .map_err(|e| to_vault_error(e, alias))
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        self.0
            .unwrap(alias.to_string(), wrapped.to_vec())
            .map(Zeroizing::new)
            .map_err(|e| to_vault_error(e, alias))
    }

    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        self.0
            .destroy(alias.to_string())
            .map_err(|e| to_vault_error(e, alias))
    }
}
