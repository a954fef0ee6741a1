//! Offline bundles and their receipts: the file formats, shared by both ends.
//!
//! In villages where signal never comes, a device's pending operations travel
//! as a file (a USB stick, a laptop carried to the district office). A
//! *bundle* holds the exact sealed bytes a push would send, under the same
//! device sequence numbers, signed as a whole by the device key; the registry
//! applies them with the push's exactly-once rules and answers with a
//! *receipt* signed by its rules key, which the device applies like a push
//! answer. Both signatures are domain-separated (their own context prefixes),
//! so neither can be passed off as a request, a sealed operation or a rule
//! pack signature. Layouts (all integers big-endian), `docs/sync-protocol.md`:
//!
//! ```text
//! bundle                                 receipt
//!  0   4  magic "KMBN"                    0   4  magic "KMRC"
//!  4   1  format (1)                      4   1  format (1)
//!  5  16  registry id                     5  16  registry id
//! 21  16  device id                      21  16  device id
//! 37  16  bundle id                      37  16  bundle id
//! 53   8  created at (unix s, i64)       53  32  SHA-256 of the bundle file
//! 61   n  push frame (`wire::encode_push`) 85   8  imported at (unix s, i64)
//! 61+n 64 Ed25519 (device key) of        93   4  m: length of the results
//!         BUNDLE_CONTEXT ‖ bytes 0..61+n 97   m  results: JSON array of `OpResult`
//!                                        97+m 64 Ed25519 (registry rules key) of
//!                                                RECEIPT_CONTEXT ‖ bytes 0..97+m
//! ```

use super::wire::{self, FrameError, OpResult};
use crate::crypto::seal::{verify_signature, DeviceKey};
use ring::digest;
use uuid::Uuid;

pub const BUNDLE_MAGIC: &[u8; 4] = b"KMBN";
pub const RECEIPT_MAGIC: &[u8; 4] = b"KMRC";
pub const BUNDLE_FORMAT: u8 = 1;
/// What the device signs: this prefix, then the bundle up to its signature.
pub const BUNDLE_CONTEXT: &[u8] = b"komek-bundle-v1\0";
/// What the registry signs: this prefix, then the receipt up to its signature.
pub const RECEIPT_CONTEXT: &[u8] = b"komek-bundle-receipt-v1\0";
/// Content type of a bundle sent to `POST /v1/supervisor/bundles`, and of
/// the receipt it answers with.
pub const BUNDLE_CONTENT_TYPE: &str = "application/vnd.komek.bundle";
pub const RECEIPT_CONTENT_TYPE: &str = "application/vnd.komek.receipt";
/// A bundle carries at most as many operations as one push.
pub const MAX_BUNDLE_OPS: usize = wire::MAX_OPS_PER_PUSH;
/// The largest bundle file: a full push frame, its header and signature.
pub const MAX_BUNDLE_BYTES: usize = BUNDLE_HEAD + wire::MAX_PUSH_BYTES + SIG_LEN;

const SIG_LEN: usize = 64;
const BUNDLE_HEAD: usize = 61;
const RECEIPT_HEAD: usize = 97;

/// Why a bundle or receipt file cannot be used. Names parts, never content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("not a Komek {0} file (wrong magic bytes)")]
    NotA(&'static str),
    #[error(
        "{what} format {found} is not supported by this build (it reads format {BUNDLE_FORMAT})"
    )]
    UnsupportedFormat { what: &'static str, found: u8 },
    #[error("the {0} file is truncated")]
    Truncated(&'static str),
    #[error("the operations inside the bundle cannot be read: {0}")]
    Frame(#[from] FrameError),
    #[error("the receipt's results cannot be read")]
    Results,
    #[error("the receipt could not be signed")]
    Signing,
    #[error("the {0} signature does not verify: the file was altered or signed by another key")]
    BadSignature(&'static str),
    #[error("the receipt is for registry {found}, this device is enrolled with {expected}")]
    WrongRegistry { expected: Uuid, found: Uuid },
    #[error("the receipt is for device {found}, this is device {expected}")]
    WrongDevice { expected: Uuid, found: Uuid },
}

/// Who made a bundle, for whom, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleHeader {
    pub registry_id: Uuid,
    pub device_id: Uuid,
    pub bundle_id: Uuid,
    pub created_at: i64,
}

/// A bundle, parsed but not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle<'a> {
    pub header: BundleHeader,
    /// The sealed operations, exactly as a push carries them.
    pub ops: Vec<&'a [u8]>,
    signed: &'a [u8],
    signature: &'a [u8],
}

fn uuid_at(bytes: &[u8], at: usize) -> Uuid {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[at..at + 16]);
    Uuid::from_bytes(b)
}

fn i64_at(bytes: &[u8], at: usize) -> i64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    i64::from_be_bytes(b)
}

fn head(magic: &[u8; 4], h: &BundleHeader) -> Vec<u8> {
    let mut out = Vec::with_capacity(RECEIPT_HEAD);
    out.extend_from_slice(magic);
    out.push(BUNDLE_FORMAT);
    out.extend_from_slice(h.registry_id.as_bytes());
    out.extend_from_slice(h.device_id.as_bytes());
    out.extend_from_slice(h.bundle_id.as_bytes());
    out
}

fn with_context(context: &[u8], body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(context.len() + body.len());
    m.extend_from_slice(context);
    m.extend_from_slice(body);
    m
}

/// Check magic and format; returns (signed part, signature).
fn split<'a>(
    bytes: &'a [u8],
    magic: &[u8; 4],
    what: &'static str,
    min: usize,
) -> Result<(&'a [u8], &'a [u8]), BundleError> {
    if bytes.len() < 5 || &bytes[..4] != magic {
        return Err(BundleError::NotA(what));
    }
    if bytes[4] != BUNDLE_FORMAT {
        return Err(BundleError::UnsupportedFormat {
            what,
            found: bytes[4],
        });
    }
    if bytes.len() < min + SIG_LEN {
        return Err(BundleError::Truncated(what));
    }
    Ok(bytes.split_at(bytes.len() - SIG_LEN))
}

/// Write a bundle of `ops` (at most [`MAX_BUNDLE_OPS`]) signed by `device`.
pub fn encode_bundle(header: &BundleHeader, ops: &[&[u8]], device: &DeviceKey) -> Vec<u8> {
    let mut out = head(BUNDLE_MAGIC, header);
    out.extend_from_slice(&header.created_at.to_be_bytes());
    out.extend_from_slice(&wire::encode_push(ops));
    let sig = device.sign(&with_context(BUNDLE_CONTEXT, &out));
    out.extend_from_slice(&sig);
    out
}

impl<'a> Bundle<'a> {
    /// Read a bundle's structure (the signature is checked by [`Bundle::verify`]).
    pub fn parse(bytes: &'a [u8]) -> Result<Bundle<'a>, BundleError> {
        let (signed, signature) = split(bytes, BUNDLE_MAGIC, "bundle", BUNDLE_HEAD)?;
        let header = BundleHeader {
            registry_id: uuid_at(signed, 5),
            device_id: uuid_at(signed, 21),
            bundle_id: uuid_at(signed, 37),
            created_at: i64_at(signed, 53),
        };
        let ops = wire::decode_push(&signed[BUNDLE_HEAD..])?;
        Ok(Bundle {
            header,
            ops,
            signed,
            signature,
        })
    }

    /// Whether `device_public` (Ed25519) signed this bundle.
    pub fn verify(&self, device_public: &[u8]) -> bool {
        verify_signature(
            device_public,
            &with_context(BUNDLE_CONTEXT, self.signed),
            self.signature,
        )
    }
}

/// SHA-256 of a file's bytes (a receipt names its bundle by it).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, bytes).as_ref());
    out
}

/// What the registry did with a bundle, one result per operation in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub header: BundleHeader,
    pub bundle_hash: [u8; 32],
    pub imported_at: i64,
    pub results: Vec<OpResult>,
}

impl Receipt {
    /// The signed file; `sign` signs the message it is given (the registry's
    /// rules key, over [`RECEIPT_CONTEXT`] ‖ the receipt's bytes).
    pub fn encode<E>(
        &self,
        sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, BundleError> {
        let results = serde_json::to_vec(&self.results).map_err(|_| BundleError::Results)?;
        let len = u32::try_from(results.len()).map_err(|_| BundleError::Results)?;
        let mut out = head(RECEIPT_MAGIC, &self.header);
        out.extend_from_slice(&self.bundle_hash);
        out.extend_from_slice(&self.imported_at.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&results);
        let sig = sign(&with_context(RECEIPT_CONTEXT, &out)).map_err(|_| BundleError::Signing)?;
        out.extend_from_slice(&sig);
        Ok(out)
    }

    /// Read a receipt and check its signature against the registry's rules
    /// key (the device holds it since enrolment).
    pub fn verify(bytes: &[u8], registry_rules_key: &[u8]) -> Result<Receipt, BundleError> {
        let (signed, signature) = split(bytes, RECEIPT_MAGIC, "receipt", RECEIPT_HEAD)?;
        if !verify_signature(
            registry_rules_key,
            &with_context(RECEIPT_CONTEXT, signed),
            signature,
        ) {
            return Err(BundleError::BadSignature("receipt"));
        }
        Receipt::read(signed)
    }

    /// Read a receipt WITHOUT checking its signature: only to show what the
    /// registry answered right after it answered (`komek bundle import`).
    /// A device applies receipts through [`Receipt::verify`].
    pub fn read_unverified(bytes: &[u8]) -> Result<Receipt, BundleError> {
        let (signed, _) = split(bytes, RECEIPT_MAGIC, "receipt", RECEIPT_HEAD)?;
        Receipt::read(signed)
    }

    fn read(signed: &[u8]) -> Result<Receipt, BundleError> {
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&signed[53..85]);
        let len = u32::from_be_bytes([signed[93], signed[94], signed[95], signed[96]]);
        // Checked: a forged length must not wrap on a 32-bit phone.
        let total = usize::try_from(len)
            .ok()
            .and_then(|n| n.checked_add(RECEIPT_HEAD));
        if total != Some(signed.len()) {
            return Err(BundleError::Truncated("receipt"));
        }
        let results =
            serde_json::from_slice(&signed[RECEIPT_HEAD..]).map_err(|_| BundleError::Results)?;
        Ok(Receipt {
            header: BundleHeader {
                registry_id: uuid_at(signed, 5),
                device_id: uuid_at(signed, 21),
                bundle_id: uuid_at(signed, 37),
                created_at: 0,
            },
            bundle_hash: hash,
            imported_at: i64_at(signed, 85),
            results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::wire::OpStatus;

    fn header() -> BundleHeader {
        BundleHeader {
            registry_id: Uuid::new_v4(),
            device_id: Uuid::new_v4(),
            bundle_id: Uuid::new_v4(),
            created_at: 1_770_000_000,
        }
    }

    #[test]
    fn a_bundle_round_trips_and_any_flipped_byte_is_refused() {
        let key = DeviceKey::generate().unwrap();
        let h = header();
        let (a, b) = (vec![7u8; 40], vec![9u8; 300]);
        let bytes = encode_bundle(&h, &[&a, &b], &key);
        let bundle = Bundle::parse(&bytes).unwrap();
        assert_eq!(bundle.header, h);
        assert_eq!(bundle.ops, vec![&a[..], &b[..]]);
        assert!(bundle.verify(&key.public_key()));
        assert!(!bundle.verify(&DeviceKey::generate().unwrap().public_key()));
        for i in [5usize, 30, 55, 70, 200, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[i] ^= 1;
            let ok = Bundle::parse(&bad).map(|b| b.verify(&key.public_key()));
            assert_ne!(ok, Ok(true), "byte {i}");
        }
        assert_eq!(Bundle::parse(b"KMRC\x01"), Err(BundleError::NotA("bundle")));
        let mut future = bytes.clone();
        future[4] = 2;
        assert!(matches!(
            Bundle::parse(&future),
            Err(BundleError::UnsupportedFormat { found: 2, .. })
        ));
        assert_eq!(
            Bundle::parse(&bytes[..50]),
            Err(BundleError::Truncated("bundle"))
        );
    }

    #[test]
    fn a_receipt_verifies_only_with_its_key_and_context() {
        let key = DeviceKey::generate().unwrap();
        let receipt = Receipt {
            header: header(),
            bundle_hash: sha256(b"bundle"),
            imported_at: 1_770_000_100,
            results: vec![OpResult {
                device_seq: 3,
                status: OpStatus::Stored,
                code: None,
                flagged: false,
            }],
        };
        let bytes = receipt
            .encode(|m| Ok::<_, ()>(key.sign(m).to_vec()))
            .unwrap();
        let back = Receipt::verify(&bytes, &key.public_key()).unwrap();
        assert_eq!(back.results, receipt.results);
        assert_eq!(back.bundle_hash, receipt.bundle_hash);
        assert_eq!(back.header.device_id, receipt.header.device_id);
        // A signature without the receipt context (a pack or request
        // signature by the same key) is refused.
        let mut plain = bytes[..bytes.len() - 64].to_vec();
        let sig = key.sign(&plain);
        plain.extend_from_slice(&sig);
        assert_eq!(
            Receipt::verify(&plain, &key.public_key()),
            Err(BundleError::BadSignature("receipt"))
        );
        let mut bad = bytes.clone();
        bad[100] ^= 1;
        assert!(Receipt::verify(&bad, &key.public_key()).is_err());
    }
}
