//! The device's inbox key: how supervisors' comments reach only the device.
//!
//! Comments may name people, so they travel and rest encrypted. `ring` has no
//! static X25519 private key for the device, so the inbox is symmetric: at
//! enrolment the device makes an ephemeral X25519 key, agrees a secret with
//! the registry's seal key, and both sides derive the same 32-byte inbox key
//! with HKDF (bound to the device's signing key). The key itself never crosses
//! the wire. Comments are sealed with it like any record (ChaCha20-Poly1305,
//! associated data binding the case and version).

use super::seal::ephemeral_agreement;
use super::{hkdf_sha256, open_record, seal_record, CryptoError, RecordAad, SecretKey};
use uuid::Uuid;

const SALT: &[u8] = b"komek/inbox/v1";

/// The inbox key from an X25519 shared secret (both sides call this).
pub fn derive_inbox_key(shared: &[u8], device_public: &[u8]) -> Result<SecretKey, CryptoError> {
    SecretKey::from_bytes(hkdf_sha256(SALT, shared, &[device_public]).as_ref())
}

/// The device's half: (ephemeral public key to send, inbox key to keep).
pub fn device_inbox_key(
    registry_seal_key: &[u8; 32],
    device_public: &[u8],
) -> Result<([u8; 32], SecretKey), CryptoError> {
    let (eph_pub, shared) = ephemeral_agreement(registry_seal_key)?;
    Ok((eph_pub, derive_inbox_key(shared.as_ref(), device_public)?))
}

fn aad(case: &Uuid, version: u32) -> RecordAad<'_> {
    RecordAad {
        table: "inbox-comment",
        record_id: case.as_bytes(),
        version,
    }
}

/// Seal a comment about `case` version `version` for the device.
pub fn seal_comment(
    key: &SecretKey,
    case: Uuid,
    version: u32,
    text: &str,
) -> Result<Vec<u8>, CryptoError> {
    seal_record(key, aad(&case, version), text.as_bytes())
}

/// Open a comment sealed by [`seal_comment`].
pub fn open_comment(
    key: &SecretKey,
    case: Uuid,
    version: u32,
    sealed: &[u8],
) -> Result<String, CryptoError> {
    let bytes = open_record(key, aad(&case, version), sealed)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| CryptoError::Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_open_only_for_their_case_and_version() {
        let key = SecretKey::generate().unwrap();
        let case = Uuid::new_v4();
        let sealed = seal_comment(&key, case, 2, "bring the income certificate").unwrap();
        assert_eq!(
            open_comment(&key, case, 2, &sealed).unwrap(),
            "bring the income certificate"
        );
        assert!(open_comment(&key, case, 3, &sealed).is_err());
        assert!(open_comment(&key, Uuid::new_v4(), 2, &sealed).is_err());
        assert!(open_comment(&SecretKey::generate().unwrap(), case, 2, &sealed).is_err());
    }
}
