//! The registry's own keys: the X25519 key forms are sealed to, and the
//! Ed25519 key that signs rule packs.
//!
//! Made on first start and kept in `registry-keys.json` in the data directory
//! (mode 0600 on Unix). The rules key also signs offline-bundle receipts,
//! under its own context prefix ([`RegistryKeys::sign_receipt`]): devices
//! already trust that key since enrolment, and the prefixes keep a receipt
//! signature from ever passing for a pack signature, or the reverse. `ring` cannot hold a static X25519 private key, so the
//! seal key uses `x25519-dalek` (as the design names); everything else is ring.

use crate::secrets::StorageKey;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use komek_core::crypto::seal::SealedOp;
use komek_core::crypto::CryptoError;
use komek_core::rules::signing::PackSigner;
use komek_core::sync::bundle::RECEIPT_CONTEXT;
use ring::signature::Ed25519KeyPair;
use serde::{Deserialize, Serialize};
use std::path::Path;
use uuid::Uuid;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

pub struct RegistryKeys {
    pub registry_id: Uuid,
    seal_secret: StaticSecret,
    pub seal_public: [u8; 32],
    pub rules: PackSigner,
    pub rules_public: Vec<u8>,
    /// The rules key again, for receipts (ring's raw Ed25519).
    receipts: Ed25519KeyPair,
    /// Wraps the secrets kept in the database ([`crate::secrets`]).
    pub storage: StorageKey,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    registry_id: Uuid,
    seal_secret: String,
    rules_pkcs8: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("registry key file: {0}")]
    Io(#[from] std::io::Error),
    #[error("registry key file is damaged")]
    Damaged,
}

impl RegistryKeys {
    /// Load the keys from `dir`, or make and save them on first start.
    pub fn load_or_create(dir: &Path) -> Result<RegistryKeys, KeyError> {
        let path = dir.join("registry-keys.json");
        if path.exists() {
            // A key file made by an older registry, or copied in, is
            // tightened to its owner before it is read.
            crate::secrets::private_file(&path)?;
            let text = Zeroizing::new(std::fs::read_to_string(&path)?);
            let file: KeyFile = serde_json::from_str(&text).map_err(|_| KeyError::Damaged)?;
            let seal: [u8; 32] = Zeroizing::new(
                B64.decode(&file.seal_secret)
                    .map_err(|_| KeyError::Damaged)?,
            )
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::Damaged)?;
            let pkcs8 = Zeroizing::new(
                B64.decode(&file.rules_pkcs8)
                    .map_err(|_| KeyError::Damaged)?,
            );
            return RegistryKeys::new(file.registry_id, StaticSecret::from(seal), &pkcs8);
        }
        let seal = StaticSecret::random_from_rng(rand::rngs::OsRng);
        let (_, pkcs8) = PackSigner::generate().map_err(|_| KeyError::Damaged)?;
        let pkcs8 = Zeroizing::new(pkcs8);
        let file = KeyFile {
            registry_id: Uuid::new_v4(),
            seal_secret: B64.encode(seal.to_bytes()),
            rules_pkcs8: B64.encode(&*pkcs8),
        };
        let text =
            Zeroizing::new(serde_json::to_string_pretty(&file).map_err(|_| KeyError::Damaged)?);
        write_private(&path, text.as_bytes())?;
        RegistryKeys::new(file.registry_id, seal, &pkcs8)
    }

    fn new(
        registry_id: Uuid,
        seal_secret: StaticSecret,
        rules_pkcs8: &[u8],
    ) -> Result<RegistryKeys, KeyError> {
        let rules = PackSigner::from_pkcs8(rules_pkcs8).map_err(|_| KeyError::Damaged)?;
        let receipts = Ed25519KeyPair::from_pkcs8(rules_pkcs8).map_err(|_| KeyError::Damaged)?;
        let seal_public = PublicKey::from(&seal_secret).to_bytes();
        let storage = StorageKey::derive(&Zeroizing::new(seal_secret.to_bytes()))
            .map_err(|_| KeyError::Damaged)?;
        let rules_public = rules.public_key();
        Ok(RegistryKeys {
            registry_id,
            seal_secret,
            seal_public,
            rules,
            rules_public,
            receipts,
            storage,
        })
    }

    /// Sign a receipt: `message` must start with [`RECEIPT_CONTEXT`]
    /// (`komek_core::sync::bundle::Receipt::encode` builds it); anything else
    /// is refused, so this key signs nothing else through this door.
    pub fn sign_receipt(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if !message.starts_with(RECEIPT_CONTEXT) {
            return Err(CryptoError::WrongRecord);
        }
        Ok(self.receipts.sign(message).as_ref().to_vec())
    }

    /// The X25519 shared secret with an ephemeral public key; refuses
    /// low-order points (an all-zero secret).
    pub fn shared_secret(&self, ephemeral: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let shared = self
            .seal_secret
            .diffie_hellman(&PublicKey::from(*ephemeral));
        if !shared.was_contributory() {
            return Err(CryptoError::Tampered);
        }
        Ok(Zeroizing::new(shared.to_bytes()))
    }

    /// Open a sealed operation (verify its signature first).
    pub fn open(&self, op: &SealedOp<'_>) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let shared = self.shared_secret(&op.ephemeral)?;
        op.open(&shared, &self.seal_public).map(Zeroizing::new)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use komek_core::crypto::seal::{seal_op, seal_op_v1, DeviceKey, SealHeader, ENTITY_HOUSEHOLD};

    #[test]
    fn keys_persist_and_open_what_a_device_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let keys = RegistryKeys::load_or_create(dir.path()).unwrap();
        let again = RegistryKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(keys.seal_public, again.seal_public);
        assert_eq!(keys.rules_public, again.rules_public);
        assert_eq!(keys.registry_id, again.registry_id);

        let device = DeviceKey::generate().unwrap();
        let header = SealHeader {
            entity: ENTITY_HOUSEHOLD,
            device_id: Uuid::new_v4(),
            op_id: Uuid::new_v4(),
            entity_id: Uuid::new_v4(),
            device_seq: 1,
            version: 1,
            base_version: None,
        };
        let blob = seal_op(&header, b"form", &keys.seal_public, &device).unwrap();
        let op = SealedOp::parse(&blob).unwrap();
        assert!(op.verify(&device.public_key()));
        assert_eq!(again.open(&op).unwrap().as_slice(), b"form");

        // A flipped ciphertext bit fails to open even if the signature were ignored.
        let mut bad = blob.clone();
        bad[100] ^= 1;
        assert_eq!(
            again.open(&SealedOp::parse(&bad).unwrap()).map(|_| ()),
            Err(CryptoError::Tampered)
        );
        // Another registry cannot open it.
        let other = RegistryKeys::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert!(other.open(&op).is_err());
        // Format 1, as devices sealed before format 2, still opens.
        let old = seal_op_v1(&header, b"old form", &keys.seal_public, &device).unwrap();
        let op = SealedOp::parse(&old).unwrap();
        assert_eq!((op.header, op.header_len()), (header, 98));
        assert!(op.verify(&device.public_key()));
        assert_eq!(again.open(&op).unwrap().as_slice(), b"old form");
    }

    #[test]
    fn the_rules_key_signs_receipts_only_under_their_context() {
        use komek_core::crypto::seal::verify_signature;
        let keys = RegistryKeys::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        let mut message = RECEIPT_CONTEXT.to_vec();
        message.extend_from_slice(b"receipt bytes");
        let sig = keys.sign_receipt(&message).unwrap();
        assert!(verify_signature(&keys.rules_public, &message, &sig));
        // Not a pack, a request or anything else through this door.
        let pack = [komek_core::rules::signing::SIGNING_CONTEXT, b"toml"].concat();
        assert_eq!(keys.sign_receipt(&pack), Err(CryptoError::WrongRecord));
        assert_eq!(
            keys.sign_receipt(b"anything"),
            Err(CryptoError::WrongRecord)
        );
    }
}
