//! Authenticated encryption of records and of wrapped keys.
//!
//! Format of a sealed record (all integers big-endian):
//!
//! ```text
//! [format: 1 byte = 1][aad fingerprint: 8][nonce: 12][ciphertext + Poly1305 tag: n + 16]
//! ```
//!
//! The associated data (never stored, rebuilt by the reader) is
//! `"komek/record/v1" ‖ len(table) ‖ table ‖ len(id) ‖ id ‖ version`. A ciphertext
//! copied into another row therefore fails to open. The fingerprint (the first
//! 8 bytes of SHA-256 of that associated data) is not a secret and not a MAC; it
//! only lets a reader say "this belongs to another record" instead of the vaguer
//! "altered or wrong key". Authenticity rests on the AEAD tag alone.
//!
//! ChaCha20-Poly1305 is used rather than AES-GCM because many phones the field
//! staff carry (older 32-bit ARM) have no AES instructions; nonces are random
//! (96 bits), which is safe for far more records than a device will ever write
//! under one key.

use super::error::CryptoError;
use super::keys::{random_bytes, SecretKey};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::digest;
use zeroize::Zeroizing;

/// The current format byte of sealed records.
pub const RECORD_FORMAT: u8 = 1;
const FINGERPRINT_LEN: usize = 8;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + FINGERPRINT_LEN + NONCE_LEN;

/// What a sealed record is bound to: the table it lives in, its id and version.
#[derive(Debug, Clone, Copy)]
pub struct RecordAad<'a> {
    pub table: &'a str,
    pub record_id: &'a [u8],
    pub version: u32,
}

impl RecordAad<'_> {
    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.table.len() + self.record_id.len());
        out.extend_from_slice(b"komek/record/v1");
        push_len_prefixed(&mut out, self.table.as_bytes());
        push_len_prefixed(&mut out, self.record_id);
        out.extend_from_slice(&self.version.to_be_bytes());
        out
    }
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    // Tables and ids are short; a u16 length makes the encoding unambiguous.
    let len = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&bytes[..usize::from(len)]);
}

fn fingerprint(aad: &[u8]) -> [u8; FINGERPRINT_LEN] {
    let d = digest::digest(&digest::SHA256, aad);
    let mut out = [0u8; FINGERPRINT_LEN];
    out.copy_from_slice(&d.as_ref()[..FINGERPRINT_LEN]);
    out
}

fn aead_key(key: &SecretKey) -> Result<LessSafeKey, CryptoError> {
    UnboundKey::new(&CHACHA20_POLY1305, key.expose())
        .map(LessSafeKey::new)
        .map_err(|_| CryptoError::BadKeyLength)
}

/// Seal `plaintext` for the record described by `aad`.
pub fn seal_record(
    key: &SecretKey,
    aad: RecordAad<'_>,
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let aad_bytes = aad.bytes();
    let nonce_bytes = random_bytes::<NONCE_LEN>()?;
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    out.push(RECORD_FORMAT);
    out.extend_from_slice(&fingerprint(&aad_bytes));
    out.extend_from_slice(&nonce_bytes);
    let mut in_out = plaintext.to_vec();
    aead_key(key)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(&aad_bytes),
            &mut in_out,
        )
        .map_err(|_| CryptoError::Tampered)?;
    out.extend_from_slice(&in_out);
    Ok(out)
}

/// Open a record sealed by [`seal_record`] with the same key and `aad`.
pub fn open_record(
    key: &SecretKey,
    aad: RecordAad<'_>,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let format = *sealed.first().ok_or(CryptoError::Truncated)?;
    if format != RECORD_FORMAT {
        return Err(CryptoError::UnsupportedFormat(format));
    }
    if sealed.len() < HEADER_LEN + TAG_LEN {
        return Err(CryptoError::Truncated);
    }
    let aad_bytes = aad.bytes();
    if sealed[1..1 + FINGERPRINT_LEN] != fingerprint(&aad_bytes) {
        return Err(CryptoError::WrongRecord);
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&sealed[1 + FINGERPRINT_LEN..HEADER_LEN]);
    let mut in_out = Zeroizing::new(sealed[HEADER_LEN..].to_vec());
    let len = aead_key(key)?
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&aad_bytes),
            &mut in_out,
        )
        .map_err(|_| CryptoError::Tampered)?
        .len();
    in_out.truncate(len);
    Ok(in_out)
}

/// Seal `key` under `kek`, bound to what it is for (`purpose`) and whose it is (`id`).
pub fn wrap_key(
    kek: &SecretKey,
    purpose: &str,
    id: &[u8],
    key: &SecretKey,
) -> Result<Vec<u8>, CryptoError> {
    seal_record(kek, key_aad(purpose, id), key.expose())
}

/// Open a key wrapped by [`wrap_key`].
pub fn unwrap_key(
    kek: &SecretKey,
    purpose: &str,
    id: &[u8],
    wrapped: &[u8],
) -> Result<SecretKey, CryptoError> {
    let bytes = open_record(kek, key_aad(purpose, id), wrapped)?;
    SecretKey::from_bytes(&bytes)
}

fn key_aad<'a>(purpose: &'a str, id: &'a [u8]) -> RecordAad<'a> {
    RecordAad {
        table: purpose,
        record_id: id,
        version: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aad(id: &[u8]) -> RecordAad<'_> {
        RecordAad {
            table: "households",
            record_id: id,
            version: 3,
        }
    }

    #[test]
    fn round_trip() {
        let k = SecretKey::generate().unwrap();
        let sealed = seal_record(&k, aad(b"one"), b"hello").unwrap();
        assert_eq!(sealed.len(), HEADER_LEN + 5 + TAG_LEN);
        assert_eq!(
            &open_record(&k, aad(b"one"), &sealed).unwrap()[..],
            b"hello"
        );
    }

    #[test]
    fn same_plaintext_seals_differently() {
        let k = SecretKey::generate().unwrap();
        let a = seal_record(&k, aad(b"one"), b"hello").unwrap();
        let b = seal_record(&k, aad(b"one"), b"hello").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn every_kind_of_damage_is_a_distinct_error() {
        let k = SecretKey::generate().unwrap();
        let sealed = seal_record(&k, aad(b"one"), b"some record content").unwrap();

        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x01;
        assert_eq!(
            open_record(&k, aad(b"one"), &flipped),
            Err(CryptoError::Tampered)
        );

        let mut body_flip = sealed.clone();
        body_flip[HEADER_LEN] ^= 0x80;
        assert_eq!(
            open_record(&k, aad(b"one"), &body_flip),
            Err(CryptoError::Tampered)
        );

        assert_eq!(
            open_record(&k, aad(b"two"), &sealed),
            Err(CryptoError::WrongRecord)
        );
        let other_version = RecordAad {
            version: 4,
            ..aad(b"one")
        };
        assert_eq!(
            open_record(&k, other_version, &sealed),
            Err(CryptoError::WrongRecord)
        );

        assert_eq!(
            open_record(&k, aad(b"one"), &sealed[..HEADER_LEN + 3]),
            Err(CryptoError::Truncated)
        );
        assert_eq!(
            open_record(&k, aad(b"one"), &[]),
            Err(CryptoError::Truncated)
        );

        let mut future = sealed.clone();
        future[0] = 9;
        assert_eq!(
            open_record(&k, aad(b"one"), &future),
            Err(CryptoError::UnsupportedFormat(9))
        );

        let other_key = SecretKey::generate().unwrap();
        assert_eq!(
            open_record(&other_key, aad(b"one"), &sealed),
            Err(CryptoError::Tampered)
        );
    }

    #[test]
    fn wrapped_keys_are_bound_to_purpose_and_owner() {
        let kek = SecretKey::generate().unwrap();
        let k = SecretKey::generate().unwrap();
        let w = wrap_key(&kek, "household", b"id-1", &k).unwrap();
        assert_eq!(unwrap_key(&kek, "household", b"id-1", &w).unwrap(), k);
        assert_eq!(
            unwrap_key(&kek, "household", b"id-2", &w),
            Err(CryptoError::WrongRecord)
        );
        assert_eq!(
            unwrap_key(&kek, "index", b"id-1", &w),
            Err(CryptoError::WrongRecord)
        );
    }
}
