//! Signed rule packs: only the registry's rules keys may change the law a
//! device applies.
//!
//! A pack that arrives by sync or bundle is a pair (TOML bytes, signature). The
//! signature is 72 bytes: an 8-byte key id (the first 8 bytes of SHA-256 of the
//! Ed25519 public key) followed by the 64-byte Ed25519 signature over
//! `b"komek-rule-pack-v1\0" ‖ TOML bytes`. The key id lets the device tell a pack
//! signed by a key it does not trust from a pack whose bytes were changed; the
//! domain prefix keeps a pack signature from being valid for anything else the
//! same key signs. The signature is checked before the TOML is parsed.
//!
//! [`RuleBook`] holds the active pack. [`RuleBook::try_activate`] refuses
//! unsigned, tampered, untrusted-key, unreadable, expired and older packs with
//! distinct errors and leaves the active pack in force. The embedded default
//! pack is trusted as part of the binary.

use super::pack::{try_default_pack, PackFormatError, RulePack};
use chrono::NaiveDate;
use ring::digest;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use std::sync::Arc;

/// Domain separation for pack signatures.
pub const SIGNING_CONTEXT: &[u8] = b"komek-rule-pack-v1\0";
/// Length of a pack signature: key id + Ed25519 signature.
pub const SIGNATURE_LEN: usize = KEY_ID_LEN + 64;
const KEY_ID_LEN: usize = 8;

/// Why a pack was refused. No variant carries personal data (packs hold none).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("the rule pack is not signed")]
    Unsigned,
    #[error("the rule pack signature is malformed ({len} bytes, expected {SIGNATURE_LEN})")]
    MalformedSignature { len: usize },
    #[error("the rule pack is signed by a key this device does not trust")]
    UntrustedKey,
    #[error("the rule pack signature does not match its content (tampered or corrupted)")]
    BadSignature,
    #[error(transparent)]
    Format(#[from] PackFormatError),
    #[error("the rule pack expired on {valid_until} (today is {today})")]
    Expired {
        valid_until: NaiveDate,
        today: NaiveDate,
    },
    #[error("the rule pack {offered} was issued on {offered_issued}, before the active pack {active} ({active_issued})")]
    Older {
        offered: String,
        offered_issued: NaiveDate,
        active: String,
        active_issued: NaiveDate,
    },
    #[error("could not create a signing key")]
    KeyGeneration,
    #[error("the signing key is not a valid Ed25519 PKCS#8 document")]
    BadSigningKey,
}

/// The 8-byte id of an Ed25519 public key.
pub fn key_id(public_key: &[u8]) -> [u8; KEY_ID_LEN] {
    let d = digest::digest(&digest::SHA256, public_key);
    let mut id = [0u8; KEY_ID_LEN];
    id.copy_from_slice(&d.as_ref()[..KEY_ID_LEN]);
    id
}

/// The rules keys this device trusts (from enrolment), as raw 32-byte Ed25519
/// public keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedKeys {
    keys: Vec<([u8; KEY_ID_LEN], Vec<u8>)>,
}

impl TrustedKeys {
    pub fn new() -> TrustedKeys {
        TrustedKeys::default()
    }

    pub fn with(mut self, public_key: &[u8]) -> TrustedKeys {
        self.add(public_key);
        self
    }

    pub fn add(&mut self, public_key: &[u8]) {
        let id = key_id(public_key);
        if !self.keys.iter().any(|(k, _)| *k == id) {
            self.keys.push((id, public_key.to_vec()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn get(&self, id: &[u8]) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|(k, _)| k.as_slice() == id)
            .map(|(_, key)| key.as_slice())
    }
}

fn signed_message(toml: &[u8]) -> Vec<u8> {
    signed_message_in(SIGNING_CONTEXT, toml)
}

fn signed_message_in(context: &[u8], toml: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(context.len() + toml.len());
    m.extend_from_slice(context);
    m.extend_from_slice(toml);
    m
}

/// Checks a 72-byte signature made in `context` over `toml` with the raw
/// Ed25519 `public_key` (regional overlays: the key comes from the national
/// pack, not from enrolment).
pub(crate) fn verify_with_key(
    context: &[u8],
    toml: &[u8],
    signature: &[u8],
    public_key: &[u8],
) -> Result<(), PackError> {
    if signature.len() != SIGNATURE_LEN {
        return Err(PackError::MalformedSignature {
            len: signature.len(),
        });
    }
    let (id, raw) = signature.split_at(KEY_ID_LEN);
    if id != key_id(public_key) {
        return Err(PackError::UntrustedKey);
    }
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(&signed_message_in(context, toml), raw)
        .map_err(|_| PackError::BadSignature)
}

/// The key id a 72-byte signature names, if it is that long.
pub(crate) fn signature_key_id(signature: &[u8]) -> Option<&[u8]> {
    (signature.len() == SIGNATURE_LEN).then(|| &signature[..KEY_ID_LEN])
}

/// Checks the signature of `toml` against the trusted keys (without parsing).
pub fn verify(
    toml: &[u8],
    signature: Option<&[u8]>,
    trusted: &TrustedKeys,
) -> Result<(), PackError> {
    let sig = match signature {
        None => return Err(PackError::Unsigned),
        Some([]) => return Err(PackError::Unsigned),
        Some(s) => s,
    };
    if sig.len() != SIGNATURE_LEN {
        return Err(PackError::MalformedSignature { len: sig.len() });
    }
    let (id, raw) = sig.split_at(KEY_ID_LEN);
    let key = trusted.get(id).ok_or(PackError::UntrustedKey)?;
    UnparsedPublicKey::new(&ED25519, key)
        .verify(&signed_message(toml), raw)
        .map_err(|_| PackError::BadSignature)
}

/// Verifies and parses a pack, and checks it is in force on `today`.
pub fn verify_and_parse(
    toml: &[u8],
    signature: Option<&[u8]>,
    trusted: &TrustedKeys,
    today: NaiveDate,
) -> Result<RulePack, PackError> {
    verify(toml, signature, trusted)?;
    let pack = RulePack::parse(toml)?;
    if pack.valid_until < today {
        return Err(PackError::Expired {
            valid_until: pack.valid_until,
            today,
        });
    }
    Ok(pack)
}

/// A rules signing key, for the registry, the CLI and tests.
pub struct PackSigner {
    key: Ed25519KeyPair,
}

impl PackSigner {
    /// A new random key; returns the signer and its PKCS#8 document (keep it
    /// secret).
    pub fn generate() -> Result<(PackSigner, Vec<u8>), PackError> {
        let rng = SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| PackError::KeyGeneration)?;
        let signer = PackSigner::from_pkcs8(pkcs8.as_ref())?;
        Ok((signer, pkcs8.as_ref().to_vec()))
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<PackSigner, PackError> {
        Ed25519KeyPair::from_pkcs8(pkcs8)
            .map(|key| PackSigner { key })
            .map_err(|_| PackError::BadSigningKey)
    }

    /// The raw 32-byte public key, to give to devices as a trusted rules key.
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key().as_ref().to_vec()
    }

    /// The 72-byte signature of a regional overlay's `toml`, in the overlay
    /// context (an overlay signature never verifies as a pack's, nor the
    /// reverse).
    pub fn sign_overlay(&self, toml: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNATURE_LEN);
        out.extend_from_slice(&key_id(self.key.public_key().as_ref()));
        let message = signed_message_in(super::overlay::OVERLAY_SIGNING_CONTEXT, toml);
        out.extend_from_slice(self.key.sign(&message).as_ref());
        out
    }

    /// The 72-byte signature of `toml`.
    pub fn sign(&self, toml: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNATURE_LEN);
        out.extend_from_slice(&key_id(self.key.public_key().as_ref()));
        out.extend_from_slice(self.key.sign(&signed_message(toml)).as_ref());
        out
    }
}

/// The pack in force on this device and the keys allowed to replace it.
#[derive(Debug, Clone)]
pub struct RuleBook {
    active: Arc<RulePack>,
    trusted: TrustedKeys,
}

impl RuleBook {
    /// Starts with the embedded default pack.
    pub fn with_default(trusted: TrustedKeys) -> Result<RuleBook, PackError> {
        let pack = try_default_pack()?.clone();
        Ok(RuleBook {
            active: Arc::new(pack),
            trusted,
        })
    }

    /// Starts with a pack already verified (e.g. the one stored on the device).
    pub fn with_pack(pack: RulePack, trusted: TrustedKeys) -> RuleBook {
        RuleBook {
            active: Arc::new(pack),
            trusted,
        }
    }

    pub fn active(&self) -> &RulePack {
        &self.active
    }

    /// A shared handle on the active pack (cheap to clone across threads).
    pub fn active_shared(&self) -> Arc<RulePack> {
        Arc::clone(&self.active)
    }

    pub fn trusted(&self) -> &TrustedKeys {
        &self.trusted
    }

    /// Verifies `toml` with `signature` and makes it the active pack. On any
    /// error the active pack stays in force. A pack issued before the active
    /// one is refused (a replayed old pack must not roll the law back).
    pub fn try_activate(
        &mut self,
        toml: &[u8],
        signature: Option<&[u8]>,
        today: NaiveDate,
    ) -> Result<&RulePack, PackError> {
        let pack = verify_and_parse(toml, signature, &self.trusted, today)?;
        if pack.issued < self.active.issued {
            return Err(PackError::Older {
                offered: pack.version,
                offered_issued: pack.issued,
                active: self.active.version.clone(),
                active_issued: self.active.issued,
            });
        }
        self.active = Arc::new(pack);
        Ok(&self.active)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::pack::DEFAULT_PACK_TOML;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The default pack re-issued as a newer version, as the registry would.
    fn newer_pack() -> String {
        DEFAULT_PACK_TOML
            .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
            .replace("issued = 2026-01-01", "issued = 2026-03-01")
    }

    fn book() -> (RuleBook, PackSigner) {
        let (signer, _) = PackSigner::generate().unwrap();
        let trusted = TrustedKeys::new().with(&signer.public_key());
        (RuleBook::with_default(trusted).unwrap(), signer)
    }

    #[test]
    fn a_signed_pack_from_a_trusted_key_is_activated() {
        let (mut book, signer) = book();
        let toml = newer_pack();
        let sig = signer.sign(toml.as_bytes());
        let pack = book
            .try_activate(toml.as_bytes(), Some(&sig), d(2026, 3, 2))
            .unwrap();
        assert_eq!(pack.version, "kz-2026.2");
        assert_eq!(book.active().version, "kz-2026.2");
    }

    #[test]
    fn an_unsigned_pack_is_refused_and_the_active_pack_stays() {
        let (mut book, _) = book();
        let toml = newer_pack();
        for sig in [None, Some(&[][..])] {
            let err = book
                .try_activate(toml.as_bytes(), sig, d(2026, 3, 2))
                .unwrap_err();
            assert_eq!(err, PackError::Unsigned);
        }
        assert_eq!(book.active().version, "kz-2026.1");
    }

    #[test]
    fn a_tampered_pack_is_refused_and_the_active_pack_stays() {
        let (mut book, signer) = book();
        let toml = newer_pack();
        let sig = signer.sign(toml.as_bytes());
        // Someone raises the Aktobe poverty line after signing.
        let tampered = toml.replace("amount = 37060", "amount = 97060");
        assert_ne!(tampered, toml);
        let err = book
            .try_activate(tampered.as_bytes(), Some(&sig), d(2026, 3, 2))
            .unwrap_err();
        assert_eq!(err, PackError::BadSignature);
        // A flipped bit in the signature itself is the same error.
        let mut bad = sig.clone();
        bad[SIGNATURE_LEN - 1] ^= 1;
        let err = book
            .try_activate(toml.as_bytes(), Some(&bad), d(2026, 3, 2))
            .unwrap_err();
        assert_eq!(err, PackError::BadSignature);
        assert_eq!(book.active().version, "kz-2026.1");
    }

    #[test]
    fn a_pack_signed_by_an_untrusted_key_is_refused() {
        let (mut book, _) = book();
        let (stranger, _) = PackSigner::generate().unwrap();
        let toml = newer_pack();
        let sig = stranger.sign(toml.as_bytes());
        let err = book
            .try_activate(toml.as_bytes(), Some(&sig), d(2026, 3, 2))
            .unwrap_err();
        assert_eq!(err, PackError::UntrustedKey);
        assert_eq!(book.active().version, "kz-2026.1");
    }

    #[test]
    fn an_expired_pack_is_refused() {
        let (mut book, signer) = book();
        let toml = newer_pack();
        let sig = signer.sign(toml.as_bytes());
        let err = book
            .try_activate(toml.as_bytes(), Some(&sig), d(2027, 1, 1))
            .unwrap_err();
        assert_eq!(
            err,
            PackError::Expired {
                valid_until: d(2026, 12, 31),
                today: d(2027, 1, 1)
            }
        );
        assert_eq!(book.active().version, "kz-2026.1");
    }

    #[test]
    fn an_older_pack_is_refused_as_a_rollback() {
        let (mut book, signer) = book();
        let newer = newer_pack();
        book.try_activate(
            newer.as_bytes(),
            Some(&signer.sign(newer.as_bytes())),
            d(2026, 3, 2),
        )
        .unwrap();
        let old = DEFAULT_PACK_TOML.as_bytes();
        let err = book
            .try_activate(old, Some(&signer.sign(old)), d(2026, 3, 2))
            .unwrap_err();
        assert!(matches!(err, PackError::Older { .. }), "{err:?}");
        assert_eq!(book.active().version, "kz-2026.2");
    }

    #[test]
    fn a_signed_but_unreadable_pack_is_refused() {
        let (mut book, signer) = book();
        let toml = b"format = 1\nversion = \"x\"\n";
        let err = book
            .try_activate(toml, Some(&signer.sign(toml)), d(2026, 3, 2))
            .unwrap_err();
        assert!(
            matches!(err, PackError::Format(PackFormatError::Toml(_))),
            "{err:?}"
        );
        let short = vec![0u8; 10];
        let err = book
            .try_activate(toml, Some(&short), d(2026, 3, 2))
            .unwrap_err();
        assert_eq!(err, PackError::MalformedSignature { len: 10 });
        assert_eq!(book.active().version, "kz-2026.1");
    }

    #[test]
    fn a_stored_signing_key_signs_the_same() {
        let (signer, pkcs8) = PackSigner::generate().unwrap();
        let again = PackSigner::from_pkcs8(&pkcs8).unwrap();
        assert_eq!(signer.public_key(), again.public_key());
        let trusted = TrustedKeys::new().with(&again.public_key());
        verify(b"x", Some(&signer.sign(b"x")), &trusted).unwrap();
        assert_eq!(
            PackSigner::from_pkcs8(b"nope").err(),
            Some(PackError::BadSigningKey)
        );
    }
}
