//! Finding a household by a member's IIN without storing the IIN.
//!
//! The store keeps `HMAC-SHA256(index_key, normalized IIN)` in an indexed column.
//! Without the key the column is a list of random-looking 32-byte values; with it
//! an exact-match lookup is one B-tree search. The key is derived with HKDF from
//! a key that is itself wrapped by the device data key, so a copied database file
//! alone does not allow testing guesses (an IIN has little entropy: a birth date,
//! a sex digit, four serial digits).

use super::keys::SecretKey;
use ring::hmac;

/// The key of the IIN blind index.
pub struct BlindIndexKey(hmac::Key);

impl BlindIndexKey {
    /// Derive the index key from its root key.
    pub fn derive(root: &SecretKey) -> BlindIndexKey {
        let k = root.derive("komek/blind-index/iin/v1");
        BlindIndexKey(hmac::Key::new(hmac::HMAC_SHA256, k.expose()))
    }

    /// The index value of an IIN. Spaces and dashes are ignored, so `"881124 300178"`
    /// and `"881124300178"` find the same household.
    pub fn iin(&self, iin: &str) -> [u8; 32] {
        let digits: Vec<u8> = iin.bytes().filter(|b| b.is_ascii_digit()).collect();
        let tag = hmac::sign(&self.0, &digits);
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_iin_same_index_and_keys_separate() {
        let root = SecretKey::generate().unwrap();
        let k = BlindIndexKey::derive(&root);
        assert_eq!(k.iin("881124300178"), k.iin("881124 300178"));
        assert_ne!(k.iin("881124300178"), k.iin("050312601230"));
        let other = BlindIndexKey::derive(&SecretKey::generate().unwrap());
        assert_ne!(k.iin("881124300178"), other.iin("881124300178"));
    }
}
