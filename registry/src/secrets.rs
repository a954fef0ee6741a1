//! The registry's secrets at rest, and the file modes of everything it writes.
//!
//! The database must not be enough to read supervisors' comments: the devices'
//! inbox keys are stored wrapped (ChaCha20-Poly1305, through the core's
//! [`wrap_key`]) under a storage key derived with HKDF-SHA256 from the
//! registry's key file (`registry-keys.json`, mode 0600). The wrapping binds
//! the device id, so a wrapped key copied onto another device's row does not
//! open. The data directory is made 0700 and every file in it 0600, on
//! creation and again at each start (a directory made by an older registry is
//! tightened). The scheme is in `docs/crypto.md` ("The registry's secrets").

use komek_core::crypto::{hkdf_sha256, unwrap_key, wrap_key, CryptoError, SecretKey};
use std::path::Path;
use uuid::Uuid;

/// What a wrapped inbox key is bound to (with the device id).
const INBOX_KEY_PURPOSE: &str = "registry/inbox-key";
const STORAGE_SALT: &[u8] = b"komek/registry/storage/v1";

/// The key that wraps secrets kept in the registry's database.
#[derive(Clone, Debug)]
pub struct StorageKey(SecretKey);

impl StorageKey {
    /// Derive from the registry's X25519 seal secret (HKDF-SHA256, a salt and
    /// label of its own, so it says nothing about the seal key).
    pub fn derive(seal_secret: &[u8; 32]) -> Result<StorageKey, CryptoError> {
        let bytes = hkdf_sha256(STORAGE_SALT, seal_secret, &[b"storage-key-wrap"]);
        SecretKey::from_bytes(bytes.as_slice()).map(StorageKey)
    }

    /// Wrap `device`'s inbox key for its `devices` row.
    pub fn wrap_inbox_key(&self, device: Uuid, inbox_key: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let key = SecretKey::from_bytes(inbox_key)?;
        wrap_key(&self.0, INBOX_KEY_PURPOSE, device.as_bytes(), &key)
    }

    /// Open the wrapped inbox key of `device`.
    pub fn unwrap_inbox_key(&self, device: Uuid, wrapped: &[u8]) -> Result<SecretKey, CryptoError> {
        unwrap_key(&self.0, INBOX_KEY_PURPOSE, device.as_bytes(), wrapped)
    }
}

/// Make `dir` (and its parents) and restrict it to its owner (0700).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Restrict an existing file to its owner (0600); a missing file is fine.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    match set_mode(path, 0o600) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Create `path` empty with mode 0600 if it does not exist (SQLite then
/// gives its `-wal` and `-shm` files the same mode), and tighten it if it does.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    drop(options.open(path)?);
    private_file(path)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inbox_key_opens_only_for_its_device_and_storage_key() {
        let key = StorageKey::derive(&[7; 32]).unwrap();
        let (a, b) = (Uuid::from_bytes([1; 16]), Uuid::from_bytes([2; 16]));
        let wrapped = key.wrap_inbox_key(a, &[9; 32]).unwrap();
        assert_ne!(&wrapped[..], &[9; 32][..]);
        assert!(!wrapped.windows(32).any(|w| w == [9; 32]));
        assert_eq!(
            key.unwrap_inbox_key(a, &wrapped).unwrap().expose(),
            &[9; 32]
        );
        // Moved onto another device's row, or under another registry's key.
        assert!(key.unwrap_inbox_key(b, &wrapped).is_err());
        assert!(StorageKey::derive(&[8; 32])
            .unwrap()
            .unwrap_inbox_key(a, &wrapped)
            .is_err());
        // The storage key is not the seal secret.
        assert_ne!(key.0.expose(), &[7; 32]);
        // Not a 32-byte key: refused, not wrapped.
        assert!(key.wrap_inbox_key(a, &[1; 31]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn files_and_directories_are_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        private_dir(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("f");
        std::fs::write(&file, b"x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        create_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).unwrap(), b"x", "kept, not truncated");
        private_file(&dir.join("missing")).unwrap();
    }
}
