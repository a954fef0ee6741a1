//! 32-byte secret keys that wipe themselves, and HKDF derivation of sub-keys.
//!
//! One random key per purpose would mean one key per purpose to store and wrap;
//! instead sub-keys (blind index, PIN pepper, key wrapping) are derived from a
//! parent with HKDF-SHA256 and a label that names the purpose.

use super::error::CryptoError;
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

pub const KEY_LEN: usize = 32;

/// A 256-bit secret key. Zeroized on drop; `Debug` never shows the bytes.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SecretKey([u8; KEY_LEN]);

impl SecretKey {
    /// A fresh key from the operating system's random generator.
    pub fn generate() -> Result<SecretKey, CryptoError> {
        Ok(SecretKey(random_bytes::<KEY_LEN>()?))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<SecretKey, CryptoError> {
        let arr: [u8; KEY_LEN] = bytes.try_into().map_err(|_| CryptoError::BadKeyLength)?;
        Ok(SecretKey(arr))
    }

    /// The raw bytes, for wrapping and for ring's key constructors only.
    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// A sub-key for `label` (HKDF-SHA256, fixed salt, `label` as info).
    pub fn derive(&self, label: &str) -> SecretKey {
        SecretKey(*hkdf_sha256(b"komek/hkdf/v1", &self.0, &[label.as_bytes()]))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(redacted)")
    }
}

struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        KEY_LEN
    }
}

/// HKDF-SHA256: extract `ikm` with `salt`, expand with the `info` parts into
/// 32 bytes. Every key derivation of the core goes through here.
pub fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[&[u8]]) -> Zeroizing<[u8; KEY_LEN]> {
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    // HKDF-SHA256 can produce up to 255 × 32 bytes; 32 never fails.
    if let Ok(okm) = hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(ikm)
        .expand(info, Len32)
    {
        let _ = okm.fill(out.as_mut());
    }
    out
}

/// `N` bytes from the operating system's random generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| CryptoError::Random)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_differ_by_label_and_are_stable() {
        let k = SecretKey::generate().unwrap();
        assert_eq!(k.derive("a"), k.derive("a"));
        assert_ne!(k.derive("a"), k.derive("b"));
        assert_ne!(k.derive("a").expose(), k.expose());
    }

    #[test]
    fn debug_never_shows_bytes() {
        let k = SecretKey::from_bytes(&[7u8; 32]).unwrap();
        assert_eq!(format!("{k:?}"), "SecretKey(redacted)");
        assert_eq!(
            SecretKey::from_bytes(&[0; 31]),
            Err(CryptoError::BadKeyLength)
        );
    }
}
