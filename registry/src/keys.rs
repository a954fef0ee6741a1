//! The registry's own keys: the X25519 key forms are sealed to, and the
//! Ed25519 key that signs rule packs.
//!
//! Made on first start and kept in `registry-keys.json` in the data directory
//! (mode 0600 on Unix). `ring` cannot hold a static X25519 private key, so the
//! seal key uses `x25519-dalek` (as the design names); everything else is ring.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use komek_core::crypto::seal::SealedOp;
use komek_core::crypto::CryptoError;
use komek_core::rules::signing::PackSigner;
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
            let rules = PackSigner::from_pkcs8(&pkcs8).map_err(|_| KeyError::Damaged)?;
            return Ok(RegistryKeys::new(
                file.registry_id,
                StaticSecret::from(seal),
                rules,
            ));
        }
        let seal = StaticSecret::random_from_rng(rand::rngs::OsRng);
        let (rules, pkcs8) = PackSigner::generate().map_err(|_| KeyError::Damaged)?;
        let pkcs8 = Zeroizing::new(pkcs8);
        let file = KeyFile {
            registry_id: Uuid::new_v4(),
            seal_secret: B64.encode(seal.to_bytes()),
            rules_pkcs8: B64.encode(&*pkcs8),
        };
        let text =
            Zeroizing::new(serde_json::to_string_pretty(&file).map_err(|_| KeyError::Damaged)?);
        write_private(&path, text.as_bytes())?;
        Ok(RegistryKeys::new(file.registry_id, seal, rules))
    }

    fn new(registry_id: Uuid, seal_secret: StaticSecret, rules: PackSigner) -> RegistryKeys {
        let seal_public = PublicKey::from(&seal_secret).to_bytes();
        let rules_public = rules.public_key();
        RegistryKeys {
            registry_id,
            seal_secret,
            seal_public,
            rules,
            rules_public,
        }
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
}
