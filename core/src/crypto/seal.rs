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
//! Format 2 (written since the compact codec; every field of format 1 is still
//! there, only packed, so each of the checks below still has its input):
//!
//! ```text
//! len  field
//!   1  format (2)
//!   1  entity (1 = household)
//!   1  flags: bit 0 = the operation id is the derived one (omitted); other bits 0
//!  16  device id
//!  16  entity id (household id)
//!   v  device sequence number (LEB128, canonical)
//!   v  version (LEB128, canonical)
//!   v  base version (LEB128, canonical; 0 = none)
//!  16  operation id (only when flags bit 0 is clear)
//!  32  ephemeral X25519 public key
//!   n  ciphertext + 16-byte tag (associated data: every header byte above)
//!  64  Ed25519 signature of everything before it
//! ```
//!
//! The operation id of an outbox operation is derived from its household and
//! version ([`derived_op_id`]); a header whose id is the derived one leaves it
//! out, and the reader derives it again from fields the signature and the
//! associated data cover. A typical format-2 header is 70 bytes (71 once the
//! sequence number passes 127), against 98.
//!
//! Format 1 (devices before format 2; still parsed and opened):
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

/// The format [`seal_op`] writes.
pub const SEAL_FORMAT: u8 = 2;
/// The original fixed-layout format, still read.
pub const SEAL_FORMAT_V1: u8 = 1;
pub const ENTITY_HOUSEHOLD: u8 = 1;
/// The header length of format 1 (format 2's varies, see [`SealedOp::header_len`]).
pub const HEADER_LEN: usize = 98;
/// Format 2 flag: the operation id is [`derived_op_id`] and is not sent.
const FLAG_DERIVED_OP_ID: u8 = 1;
/// The smallest format-2 header: the fixed fields and one byte per number.
const MIN_HEADER_V2: usize = 3 + 16 + 16 + 3 + 32;
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
    /// Format 1 header bytes (kept for compatibility tests).
    fn encode_v1(&self, ephemeral: &[u8; 32]) -> Vec<u8> {
        let mut h = vec![0u8; HEADER_LEN];
        h[0] = SEAL_FORMAT_V1;
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

    /// Format 2 header bytes.
    fn encode_v2(&self, ephemeral: &[u8; 32]) -> Vec<u8> {
        let derived = self.op_id == derived_op_id(self.entity_id, self.version);
        let mut h = Vec::with_capacity(MIN_HEADER_V2 + 32);
        h.push(SEAL_FORMAT);
        h.push(self.entity);
        h.push(if derived { FLAG_DERIVED_OP_ID } else { 0 });
        h.extend_from_slice(self.device_id.as_bytes());
        h.extend_from_slice(self.entity_id.as_bytes());
        put_varint(&mut h, self.device_seq);
        put_varint(&mut h, u64::from(self.version));
        put_varint(&mut h, u64::from(self.base_version.unwrap_or(0)));
        if !derived {
            h.extend_from_slice(self.op_id.as_bytes());
        }
        h.extend_from_slice(ephemeral);
        h
    }
}

/// The operation id of the outbox operation that carries `version` of
/// household `entity_id`: a name-based UUIDv8, the first 16 bytes of SHA-256
/// of `"komek/op-id/v1" ‖ entity id ‖ version`. One finalized version is one
/// operation, and household ids are random, so it is as unique as a random id.
pub fn derived_op_id(entity_id: Uuid, version: u32) -> Uuid {
    let mut input = Vec::with_capacity(14 + 16 + 4);
    input.extend_from_slice(b"komek/op-id/v1");
    input.extend_from_slice(entity_id.as_bytes());
    input.extend_from_slice(&version.to_be_bytes());
    let hash = ring::digest::digest(&ring::digest::SHA256, &input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash.as_ref()[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A canonical LEB128 `u64` at `bytes[*at..]`; advances `at`.
fn get_varint(bytes: &[u8], at: &mut usize) -> Result<u64, CryptoError> {
    let mut v: u64 = 0;
    for i in 0..10u32 {
        let b = *bytes.get(*at).ok_or(CryptoError::Truncated)?;
        *at += 1;
        let part = u64::from(b & 0x7f);
        if i == 9 && part > 1 {
            return Err(CryptoError::Tampered);
        }
        v |= part << (7 * i);
        if b & 0x80 == 0 {
            if b == 0 && i > 0 {
                return Err(CryptoError::Tampered);
            }
            return Ok(v);
        }
    }
    Err(CryptoError::Tampered)
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

/// Seal `plaintext` to `registry_public` (X25519) and sign it with `device`
/// (format 2).
pub fn seal_op(
    header: &SealHeader,
    plaintext: &[u8],
    registry_public: &[u8; 32],
    device: &DeviceKey,
) -> Result<Vec<u8>, CryptoError> {
    seal_with(
        header,
        plaintext,
        registry_public,
        device,
        SealHeader::encode_v2,
    )
}

/// Seal in format 1, as devices did before format 2: for compatibility
/// tests only.
#[doc(hidden)]
pub fn seal_op_v1(
    header: &SealHeader,
    plaintext: &[u8],
    registry_public: &[u8; 32],
    device: &DeviceKey,
) -> Result<Vec<u8>, CryptoError> {
    seal_with(
        header,
        plaintext,
        registry_public,
        device,
        SealHeader::encode_v1,
    )
}

fn seal_with(
    header: &SealHeader,
    plaintext: &[u8],
    registry_public: &[u8; 32],
    device: &DeviceKey,
    encode: fn(&SealHeader, &[u8; 32]) -> Vec<u8>,
) -> Result<Vec<u8>, CryptoError> {
    let (eph_pub, shared) = ephemeral_agreement(registry_public)?;
    let key = content_key(shared.as_ref(), &eph_pub, registry_public)?;
    let head = encode(header, &eph_pub);
    let mut out = Vec::with_capacity(head.len() + plaintext.len() + TAG_LEN + SIG_LEN);
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
    /// Where the header (the associated data) ends and the ciphertext starts.
    header_len: usize,
    bytes: &'a [u8],
}

impl<'a> SealedOp<'a> {
    /// Parse the header; fails on a short blob, an unknown format or a
    /// malformed header.
    pub fn parse(bytes: &'a [u8]) -> Result<SealedOp<'a>, CryptoError> {
        match bytes.first() {
            None => Err(CryptoError::Truncated),
            Some(&SEAL_FORMAT_V1) => Self::parse_v1(bytes),
            Some(&SEAL_FORMAT) => Self::parse_v2(bytes),
            Some(&f) => Err(CryptoError::UnsupportedFormat(f)),
        }
    }

    fn parse_v1(bytes: &'a [u8]) -> Result<SealedOp<'a>, CryptoError> {
        if bytes.len() < HEADER_LEN + TAG_LEN + SIG_LEN {
            return Err(CryptoError::Truncated);
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
            header_len: HEADER_LEN,
            bytes,
        })
    }

    fn parse_v2(bytes: &'a [u8]) -> Result<SealedOp<'a>, CryptoError> {
        if bytes.len() < MIN_HEADER_V2 + TAG_LEN + SIG_LEN {
            return Err(CryptoError::Truncated);
        }
        let flags = bytes[2];
        if flags & !FLAG_DERIVED_OP_ID != 0 {
            return Err(CryptoError::Tampered);
        }
        let uuid = |r: std::ops::Range<usize>| Uuid::from_slice(&bytes[r]).unwrap_or_default();
        let device_id = uuid(3..19);
        let entity_id = uuid(19..35);
        let mut at = 35;
        let device_seq = get_varint(bytes, &mut at)?;
        let version =
            u32::try_from(get_varint(bytes, &mut at)?).map_err(|_| CryptoError::Tampered)?;
        let base = u32::try_from(get_varint(bytes, &mut at)?).map_err(|_| CryptoError::Tampered)?;
        let op_id = if flags & FLAG_DERIVED_OP_ID != 0 {
            derived_op_id(entity_id, version)
        } else {
            let id = bytes.get(at..at + 16).ok_or(CryptoError::Truncated)?;
            at += 16;
            Uuid::from_slice(id).map_err(|_| CryptoError::Truncated)?
        };
        let eph = bytes.get(at..at + 32).ok_or(CryptoError::Truncated)?;
        let mut ephemeral = [0u8; 32];
        ephemeral.copy_from_slice(eph);
        at += 32;
        if bytes.len() < at + TAG_LEN + SIG_LEN {
            return Err(CryptoError::Truncated);
        }
        Ok(SealedOp {
            header: SealHeader {
                entity: bytes[1],
                device_id,
                op_id,
                entity_id,
                device_seq,
                version,
                base_version: (base != 0).then_some(base),
            },
            ephemeral,
            header_len: at,
            bytes,
        })
    }

    /// The length of the header (the associated data) of these bytes.
    pub fn header_len(&self) -> usize {
        self.header_len
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
        let mut body = self.bytes[self.header_len..end].to_vec();
        let plain = key
            .open_in_place(
                Nonce::assume_unique_for_key([0u8; 12]),
                Aad::from(&self.bytes[..self.header_len]),
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
        // Format 2 with a random operation id: 35 fixed, three one-byte
        // numbers, the 16-byte operation id, the ephemeral key.
        assert_eq!(blob[0], SEAL_FORMAT);
        assert_eq!(op.header_len(), 35 + 3 + 16 + 32);
        assert_eq!(blob.len(), op.header_len() + 15 + TAG_LEN + SIG_LEN);
    }

    /// The registry's half: a static X25519 secret (as `komek-registry` has).
    fn registry() -> (x25519_dalek::StaticSecret, [u8; 32]) {
        let secret = x25519_dalek::StaticSecret::from([7u8; 32]);
        let public = x25519_dalek::PublicKey::from(&secret).to_bytes();
        (secret, public)
    }

    fn open(
        op: &SealedOp<'_>,
        secret: &x25519_dalek::StaticSecret,
        public: &[u8; 32],
    ) -> Result<Vec<u8>, CryptoError> {
        let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(op.ephemeral));
        op.open(shared.as_bytes(), public)
    }

    #[test]
    fn a_derived_operation_id_is_left_out_and_derived_again() {
        let device = DeviceKey::generate().unwrap();
        let (secret, public) = registry();
        let mut h = header();
        h.op_id = derived_op_id(h.entity_id, h.version);
        h.device_seq = 300; // two bytes
        let blob = seal_op(&h, b"form", &public, &device).unwrap();
        let op = SealedOp::parse(&blob).unwrap();
        assert_eq!(op.header, h);
        assert_eq!(op.header_len(), 35 + 4 + 32);
        assert_eq!(blob.len(), 71 + 4 + TAG_LEN + SIG_LEN);
        assert!(op.verify(&device.public_key()));
        assert_eq!(open(&op, &secret, &public).unwrap(), b"form");
        assert_ne!(derived_op_id(h.entity_id, h.version + 1), h.op_id);
        assert_eq!(derived_op_id(h.entity_id, h.version).get_version_num(), 8);
    }

    #[test]
    fn every_header_byte_is_associated_data_in_both_formats() {
        let device = DeviceKey::generate().unwrap();
        let (secret, public) = registry();
        for blob in [
            seal_op(&header(), b"form", &public, &device).unwrap(),
            seal_op_v1(&header(), b"form", &public, &device).unwrap(),
        ] {
            let op = SealedOp::parse(&blob).unwrap();
            assert_eq!(open(&op, &secret, &public).unwrap(), b"form");
            // Even a forger who could skip the signature cannot alter a
            // header byte: the content no longer opens (or no longer parses).
            for i in 1..op.header_len() {
                let mut bad = blob.clone();
                bad[i] ^= 0x40;
                if let Ok(op) = SealedOp::parse(&bad) {
                    assert!(open(&op, &secret, &public).is_err(), "byte {i}");
                }
            }
        }
    }

    #[test]
    fn format_1_still_parses_verifies_and_opens() {
        let device = DeviceKey::generate().unwrap();
        let (secret, public) = registry();
        let h = header();
        let blob = seal_op_v1(&h, b"old form", &public, &device).unwrap();
        assert_eq!(blob[0], SEAL_FORMAT_V1);
        assert_eq!(blob.len(), HEADER_LEN + 8 + TAG_LEN + SIG_LEN);
        let op = SealedOp::parse(&blob).unwrap();
        assert_eq!((op.header, op.header_len()), (h, HEADER_LEN));
        assert!(op.verify(&device.public_key()));
        assert_eq!(open(&op, &secret, &public).unwrap(), b"old form");
    }

    #[test]
    fn malformed_format_2_headers_are_refused() {
        let device = DeviceKey::generate().unwrap();
        let blob = seal_op(&header(), b"x", &[9u8; 32], &device).unwrap();
        let mut flags = blob.clone();
        flags[2] = 0x80;
        assert_eq!(SealedOp::parse(&flags), Err(CryptoError::Tampered));
        // A non-canonical varint (0x87 0x00 for 7) is refused.
        let mut long = blob[..35].to_vec();
        long.extend_from_slice(&[0x87, 0x00]);
        long.extend_from_slice(&blob[36..]);
        assert_eq!(SealedOp::parse(&long), Err(CryptoError::Tampered));
        let least = SealedOp::parse(&blob).unwrap().header_len() + TAG_LEN + SIG_LEN;
        for n in [0, 1, 40, 100, least - 1] {
            assert_eq!(
                SealedOp::parse(&blob[..n]).map(|_| ()),
                Err(CryptoError::Truncated),
                "{n}"
            );
        }
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
        blob[0] = 3;
        assert_eq!(
            SealedOp::parse(&blob).map(|_| ()),
            Err(CryptoError::UnsupportedFormat(3))
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300), format in 1u8..3) {
            let mut b = bytes;
            if let Some(f) = b.first_mut() {
                *f = format;
            }
            if let Ok(op) = SealedOp::parse(&b) {
                proptest::prop_assert!(op.header_len() + TAG_LEN + SIG_LEN <= b.len());
                let _ = op.verify(&[0u8; 32]);
                let _ = op.open(&[1u8; 32], &[2u8; 32]);
            }
        }
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
