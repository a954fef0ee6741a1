//! Where the device data key lives: the [`KeyVault`] trait and a passphrase vault.
//!
//! On a phone the vault is the platform keystore (Android Keystore, iOS
//! Keychain), implemented in Kotlin or Swift through the bindings: the wrapping
//! key never leaves secure hardware, so a copied database file is useless. A
//! vault names its keys by alias, and [`KeyVault::destroy`] deletes one for
//! good: this is what makes crypto-shredding hold against an old copy of the
//! database (the store rotates the data key to a new alias and destroys the old).
//!
//! [`SoftwareVault`] is for desktops, the command line and tests: it derives a
//! wrapping key per alias from a passphrase with PBKDF2-HMAC-SHA256
//! ([`PBKDF2_ITERATIONS`]) and a random salt kept in a small vault file beside the
//! database. Destroying an alias deletes its salt, so even the right passphrase
//! cannot rebuild that wrapping key afterwards.

use super::aead::{open_record, seal_record, RecordAad};
use super::error::{CryptoError, VaultError};
use super::keys::{random_bytes, SecretKey};
use ring::{hmac, pbkdf2};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// A keystore that wraps and unwraps secrets under named keys that never leave it.
///
/// Every method returns a `Result`: platform keystores fail (user not
/// authenticated, key invalidated by a new fingerprint, hardware busy) and the
/// store must report that, not crash.
pub trait KeyVault: Send + Sync {
    /// Encrypt `secret` under the vault key `alias`, creating that key on first use.
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError>;
    /// Decrypt what [`KeyVault::wrap`] returned for the same alias.
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError>;
    /// Delete the vault key `alias`; everything wrapped under it becomes unreadable.
    /// Destroying an alias that does not exist is not an error.
    fn destroy(&self, alias: &str) -> Result<(), VaultError>;
}

/// PBKDF2-HMAC-SHA256 iterations for new vault keys (OWASP 2023: 600,000).
/// Unit tests of this crate use a cheap setting; nothing else can.
pub const PBKDF2_ITERATIONS: u32 = if cfg!(test) { 1_000 } else { 600_000 };

#[derive(Serialize, Deserialize, Default)]
struct VaultFile {
    format: u8,
    #[serde(deserialize_with = "crate::model::strict::unique_keys")]
    keys: BTreeMap<String, VaultEntry>,
}

#[derive(Serialize, Deserialize, Clone)]
struct VaultEntry {
    salt: [u8; 16],
    iterations: u32,
    /// HMAC of a fixed label under the derived key: tells a wrong passphrase
    /// apart from a corrupt wrapped key.
    check: [u8; 32],
}

/// A [`KeyVault`] protected by a passphrase, with its salts in a file.
pub struct SoftwareVault {
    path: PathBuf,
    passphrase: Zeroizing<String>,
    state: Mutex<VaultState>,
}

struct VaultState {
    file: VaultFile,
    derived: HashMap<String, SecretKey>,
}

impl SoftwareVault {
    /// Open the vault file at `path`, creating an empty one if it does not exist.
    pub fn open(path: &Path, passphrase: &str) -> Result<SoftwareVault, VaultError> {
        let file = match fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| VaultError::Corrupt)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => VaultFile {
                format: 1,
                keys: BTreeMap::new(),
            },
            Err(e) => return Err(io_error(&e)),
        };
        Ok(SoftwareVault {
            path: path.to_path_buf(),
            passphrase: Zeroizing::new(passphrase.to_string()),
            state: Mutex::new(VaultState {
                file,
                derived: HashMap::new(),
            }),
        })
    }

    fn kek(&self, state: &mut VaultState, alias: &str) -> Result<SecretKey, VaultError> {
        if let Some(k) = state.derived.get(alias) {
            return Ok(k.clone());
        }
        let entry = state
            .file
            .keys
            .get(alias)
            .cloned()
            .ok_or_else(|| VaultError::KeyNotFound(alias.to_string()))?;
        let kek = derive(&self.passphrase, &entry.salt, entry.iterations)?;
        let check = hmac::Key::new(hmac::HMAC_SHA256, kek.expose());
        hmac::verify(&check, CHECK_LABEL, &entry.check).map_err(|_| VaultError::WrongPassphrase)?;
        state.derived.insert(alias.to_string(), kek.clone());
        Ok(kek)
    }

    fn create(&self, state: &mut VaultState, alias: &str) -> Result<(), VaultError> {
        let salt = random_bytes::<16>().map_err(crypto_error)?;
        let kek = derive(&self.passphrase, &salt, PBKDF2_ITERATIONS)?;
        let tag = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, kek.expose()),
            CHECK_LABEL,
        );
        let mut check = [0u8; 32];
        check.copy_from_slice(tag.as_ref());
        state.file.keys.insert(
            alias.to_string(),
            VaultEntry {
                salt,
                iterations: PBKDF2_ITERATIONS,
                check,
            },
        );
        self.persist(&state.file)?;
        state.derived.insert(alias.to_string(), kek);
        Ok(())
    }

    /// Write the vault file atomically: temp file, fsync, rename, fsync the dir.
    fn persist(&self, file: &VaultFile) -> Result<(), VaultError> {
        let bytes = serde_json::to_vec(file).map_err(|_| VaultError::Corrupt)?;
        let tmp = self.path.with_extension("tmp");
        {
            let mut opts = fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp).map_err(|e| io_error(&e))?;
            f.write_all(&bytes).map_err(|e| io_error(&e))?;
            f.sync_all().map_err(|e| io_error(&e))?;
        }
        fs::rename(&tmp, &self.path).map_err(|e| io_error(&e))?;
        if let Some(dir) = self.path.parent() {
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, VaultState>, VaultError> {
        self.state
            .lock()
            .map_err(|_| VaultError::Unavailable("vault lock poisoned".into()))
    }
}

const CHECK_LABEL: &[u8] = b"komek/software-vault/check/v1";

fn derive(passphrase: &str, salt: &[u8; 16], iterations: u32) -> Result<SecretKey, VaultError> {
    let n = NonZeroU32::new(iterations).ok_or(VaultError::Corrupt)?;
    let mut out = Zeroizing::new([0u8; 32]);
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        n,
        salt,
        passphrase.as_bytes(),
        &mut out[..],
    );
    SecretKey::from_bytes(&out[..]).map_err(crypto_error)
}

fn vault_aad(alias: &str) -> RecordAad<'_> {
    RecordAad {
        table: "software-vault",
        record_id: alias.as_bytes(),
        version: 0,
    }
}

fn io_error(e: &std::io::Error) -> VaultError {
    VaultError::Unavailable(format!("vault file: {}", e.kind()))
}

fn crypto_error(e: CryptoError) -> VaultError {
    VaultError::Unavailable(e.to_string())
}

impl KeyVault for SoftwareVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut state = self.lock()?;
        if !state.file.keys.contains_key(alias) {
            self.create(&mut state, alias)?;
        }
        let kek = self.kek(&mut state, alias)?;
        seal_record(&kek, vault_aad(alias), secret).map_err(crypto_error)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let mut state = self.lock()?;
        let kek = self.kek(&mut state, alias)?;
        open_record(&kek, vault_aad(alias), wrapped).map_err(|_| VaultError::Corrupt)
    }

    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        let mut state = self.lock()?;
        state.derived.remove(alias);
        if state.file.keys.remove(alias).is_some() {
            self.persist(&state.file)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_unwrap_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let v = SoftwareVault::open(&path, "correct horse").unwrap();
        let w = v.wrap("dk-1", b"secret key bytes").unwrap();
        drop(v);
        let v = SoftwareVault::open(&path, "correct horse").unwrap();
        assert_eq!(&v.unwrap("dk-1", &w).unwrap()[..], b"secret key bytes");
    }

    #[test]
    fn wrong_passphrase_corrupt_blob_and_destroyed_key_are_distinct() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let v = SoftwareVault::open(&path, "correct horse").unwrap();
        let w = v.wrap("dk-1", b"secret").unwrap();

        let wrong = SoftwareVault::open(&path, "battery staple").unwrap();
        assert_eq!(wrong.unwrap("dk-1", &w), Err(VaultError::WrongPassphrase));

        let mut bad = w.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(v.unwrap("dk-1", &bad), Err(VaultError::Corrupt));

        v.destroy("dk-1").unwrap();
        let again = SoftwareVault::open(&path, "correct horse").unwrap();
        assert_eq!(
            again.unwrap("dk-1", &w),
            Err(VaultError::KeyNotFound("dk-1".into()))
        );
    }

    #[test]
    fn vault_file_holds_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let v = SoftwareVault::open(&path, "correct horse").unwrap();
        v.wrap("dk-1", b"THE-SECRET-BYTES").unwrap();
        let text = fs::read(&path).unwrap();
        assert!(!text.windows(16).any(|w| w == b"THE-SECRET-BYTES"));
        assert!(!text.windows(13).any(|w| w == b"correct horse"));
    }
}
