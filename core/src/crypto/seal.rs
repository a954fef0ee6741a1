//! Sealing a finalized form to the registry, and signing it as the device.
//!
//! A finalized household leaves the device only as a *sealed operation*: the
//! content encrypted to the registry's X25519 public key with a fresh ephemeral
//! key (ECDH, HKDF-SHA256, ChaCha20-Poly1305), the header bound as associated
//! data, the whole signed with the device's Ed25519 key. Only the registry can
//! read it; only this device can have made it; nothing in it can be changed or
//! moved to another operation without detection. The bytes are made once and
//! stored in the outbox, so every retry and every bundle carries the same bytes.
//!
//! ```text
//! offset  len  field
//!      0    1  format (1)
//!      1    1  entity (1 = household)
//!      2   16  device id
//!     18   16  operation id
//!     34   16  entity id (household id)
//!     50    8  device sequence number (u64, big-endian)
//!     58    4  version (u32, big-endian)
//!     62    4  base version (u32, big-endian; 0 = none)
//!     66   32  ephemeral X25519 public key
//!     98    n  ciphertext + 16-byte tag (associated data: bytes 0..98)
//!  98+n   64  Ed25519 signature of bytes 0..98+n
//! ```
//!
//! The key is used for one message only (the ephemeral key is fresh), so the
//! nonce is fixed at zero. `ring` has no static X25519 private key, so the
//! registry does the Diffie-Hellman with another crate and hands the shared
//! secret to [`SealedOp::open`].

use super::error::CryptoError;
use super::keys::hkdf_sha256;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use ring::rand::SystemRandom;
use ring::signature::{self, Ed25519KeyPair, KeyPair};
use uuid::Uuid;
use zeroize::Zeroizing;

pub const SEAL_FORMAT: u8 = 1;
pub const ENTITY_HOUSEHOLD: u8 = 1;
pub const HEADER_LEN: usize = 98;
const TAG_LEN: usize = 16;
const SIG_LEN: usize = 64;
const HKDF_SALT: &[u8] = b"komek/seal/v1";

/// What the registry may read of a sealed operation without opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealHeader {
    pub entity: u8,
    pub device_id: Uuid,
    pub op_id: Uuid,
    pub entity_id: Uuid,
    pub device_seq: u64,
    pub version: u32,
    pub base_version: Option<u32>,
}

impl SealHeader {
    fn encode(&self, ephemeral: &[u8; 32]) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[0] = SEAL_FORMAT;
        h[1] = self.entity;
        h[2..18].copy_from_slice(self.device_id.as_bytes());
        h[18..34].copy_from_slice(self.op_id.as_bytes());
        h[34..50].copy_from_slice(self.entity_id.as_bytes());
        h[50..58].copy_from_slice(&self.device_seq.to_be_bytes());
        h[58..62].copy_from_slice(&self.version.to_be_bytes());
        h[62..66].copy_from_slice(&self.base_version.unwrap_or(0).to_be_bytes());
        h[66..98].copy_from_slice(ephemeral);
        h
    }
}

/// The device's signing key (Ed25519). The PKCS#8 bytes are zeroized on drop.
pub struct DeviceKey {
    pkcs8: Zeroizing<Vec<u8>>,
    pair: Ed25519KeyPair,
}

impl DeviceKey {
    pub fn generate() -> Result<DeviceKey, CryptoError> {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| CryptoError::Random)?;
        DeviceKey::from_pkcs8(doc.as_ref())
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<DeviceKey, CryptoError> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| CryptoError::BadKeyLength)?;
        Ok(DeviceKey {
            pkcs8: Zeroizing::new(pkcs8.to_vec()),
            pair,
        })
    }

    /// The PKCS#8 document, for sealing into the store only.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    pub fn public_key(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.pair.public_key().as_ref());
        out
    }

    pub fn sign(&self, message: &[u8]) -> [u8; SIG_LEN] {
        let mut out = [0u8; SIG_LEN];
        out.copy_from_slice(self.pair.sign(message).as_ref());
        out
    }
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(redacted)")
    }
}

/// Check an Ed25519 signature made by `public_key`.
pub fn verify_signature(public_key: &[u8], message: &[u8], sig: &[u8]) -> bool {
    signature::UnparsedPublicKey::new(&signature::ED25519, public_key)
        .verify(message, sig)
        .is_ok()
}

fn content_key(
    shared: &[u8],
    ephemeral: &[u8],
    registry: &[u8],
) -> Result<LessSafeKey, CryptoError> {
    let key = hkdf_sha256(HKDF_SALT, shared, &[ephemeral, registry]);
    let unbound =
        UnboundKey::new(&CHACHA20_POLY1305, key.as_ref()).map_err(|_| CryptoError::BadKeyLength)?;
    Ok(LessSafeKey::new(unbound))
}

/// A fresh ephemeral X25519 key agreed with `peer`: (its public key, the
/// shared secret). Used to seal to the registry and to set up the inbox key.
pub fn ephemeral_agreement(
    peer: &[u8; 32],
) -> Result<([u8; 32], Zeroizing<[u8; 32]>), CryptoError> {
    let eph = EphemeralPrivateKey::generate(&X25519, &SystemRandom::new())
        .map_err(|_| CryptoError::Random)?;
    let public = eph.compute_public_key().map_err(|_| CryptoError::Random)?;
    let mut eph_pub = [0u8; 32];
    eph_pub.copy_from_slice(public.as_ref());
    let shared = agreement::agree_ephemeral(eph, &UnparsedPublicKey::new(&X25519, peer), |s| {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(s);
        out
    })
    .map_err(|_| CryptoError::BadKeyLength)?;
    Ok((eph_pub, shared))
}

/// Seal `plaintext` to `registry_public` (X25519) and sign it with `device`.
pub fn seal_op(
    header: &SealHeader,
    plaintext: &[u8],
    registry_public: &[u8; 32],
    device: &DeviceKey,
) -> Result<Vec<u8>, CryptoError> {
    let (eph_pub, shared) = ephemeral_agreement(registry_public)?;
    let key = content_key(shared.as_ref(), &eph_pub, registry_public)?;
    let head = header.encode(&eph_pub);
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN + SIG_LEN);
    out.extend_from_slice(&head);
    let mut body = plaintext.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key([0u8; 12]),
        Aad::from(&head),
        &mut body,
    )
    .map_err(|_| CryptoError::Tampered)?;
    out.extend_from_slice(&body);
    let sig = device.sign(&out);
    out.extend_from_slice(&sig);
    Ok(out)
}

/// A sealed operation, parsed but not yet verified or opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedOp<'a> {
    pub header: SealHeader,
    pub ephemeral: [u8; 32],
    bytes: &'a [u8],
}

impl<'a> SealedOp<'a> {
    /// Parse the header; fails on a short blob or an unknown format.
    pub fn parse(bytes: &'a [u8]) -> Result<SealedOp<'a>, CryptoError> {
        if bytes.len() < HEADER_LEN + TAG_LEN + SIG_LEN {
            return Err(CryptoError::Truncated);
        }
        if bytes[0] != SEAL_FORMAT {
            return Err(CryptoError::UnsupportedFormat(bytes[0]));
        }
        let uuid = |r: std::ops::Range<usize>| Uuid::from_slice(&bytes[r]).unwrap_or_default();
        let u32_at =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let mut seq = [0u8; 8];
        seq.copy_from_slice(&bytes[50..58]);
        let base = u32_at(62);
        let mut ephemeral = [0u8; 32];
        ephemeral.copy_from_slice(&bytes[66..98]);
        Ok(SealedOp {
            header: SealHeader {
                entity: bytes[1],
                device_id: uuid(2..18),
                op_id: uuid(18..34),
                entity_id: uuid(34..50),
                device_seq: u64::from_be_bytes(seq),
                version: u32_at(58),
                base_version: (base != 0).then_some(base),
            },
            ephemeral,
            bytes,
        })
    }

    /// Whether `device_public` (Ed25519) signed these bytes.
    pub fn verify(&self, device_public: &[u8]) -> bool {
        let split = self.bytes.len() - SIG_LEN;
        verify_signature(device_public, &self.bytes[..split], &self.bytes[split..])
    }

    /// Decrypt with the X25519 `shared` secret the registry computed from its
    /// static key and [`SealedOp::ephemeral`]. Check [`SealedOp::verify`] first.
    pub fn open(
        &self,
        shared: &[u8; 32],
        registry_public: &[u8; 32],
    ) -> Result<Vec<u8>, CryptoError> {
        let key = content_key(shared, &self.ephemeral, registry_public)?;
        let end = self.bytes.len() - SIG_LEN;
        let mut body = self.bytes[HEADER_LEN..end].to_vec();
        let plain = key
            .open_in_place(
                Nonce::assume_unique_for_key([0u8; 12]),
                Aad::from(&self.bytes[..HEADER_LEN]),
                &mut body,
            )
            .map_err(|_| CryptoError::Tampered)?;
        Ok(plain.to_vec())
    }

    /// The exact bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry's side of the DH, done here with ring's ephemeral API:
    /// seal to a key whose private half we keep by sealing to ourselves.
    fn header() -> SealHeader {
        SealHeader {
            entity: ENTITY_HOUSEHOLD,
            device_id: Uuid::new_v4(),
            op_id: Uuid::new_v4(),
            entity_id: Uuid::new_v4(),
            device_seq: 7,
            version: 2,
            base_version: Some(1),
        }
    }

    #[test]
    fn a_sealed_op_parses_and_verifies_and_hides_its_content() {
        let device = DeviceKey::generate().unwrap();
        let registry = [9u8; 32];
        let h = header();
        let blob = seal_op(&h, b"household bytes", &registry, &device).unwrap();
        let op = SealedOp::parse(&blob).unwrap();
        assert_eq!(op.header, h);
        assert!(op.verify(&device.public_key()));
        assert!(!blob.windows(9).any(|w| w == b"household"));
        assert_eq!(blob.len(), HEADER_LEN + 15 + TAG_LEN + SIG_LEN);
    }

    #[test]
    fn any_flipped_bit_breaks_the_signature() {
        let device = DeviceKey::generate().unwrap();
        let blob = seal_op(&header(), b"x", &[9u8; 32], &device).unwrap();
        for i in [0usize, 1, 20, 55, 70, 98, blob.len() - 1] {
            let mut bad = blob.clone();
            bad[i] ^= 1;
            let ok = SealedOp::parse(&bad).map(|op| op.verify(&device.public_key()));
            assert_ne!(ok, Ok(true), "byte {i}");
        }
        let other = DeviceKey::generate().unwrap();
        assert!(!SealedOp::parse(&blob).unwrap().verify(&other.public_key()));
    }

    #[test]
    fn short_or_unknown_blobs_are_refused() {
        assert_eq!(SealedOp::parse(&[1u8; 50]), Err(CryptoError::Truncated));
        let mut blob = vec![0u8; 200];
        blob[0] = 2;
        assert_eq!(
            SealedOp::parse(&blob).map(|_| ()),
            Err(CryptoError::UnsupportedFormat(2))
        );
    }

    #[test]
    fn device_key_survives_its_pkcs8() {
        let k = DeviceKey::generate().unwrap();
        let again = DeviceKey::from_pkcs8(k.pkcs8()).unwrap();
        assert_eq!(k.public_key(), again.public_key());
        let sig = k.sign(b"m");
        assert!(verify_signature(&again.public_key(), b"m", &sig));
        assert!(!verify_signature(&again.public_key(), b"n", &sig));
        assert_eq!(format!("{k:?}"), "DeviceKey(redacted)");
    }
}
