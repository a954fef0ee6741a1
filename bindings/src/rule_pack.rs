//! Rule packs as objects apps can hold: the embedded default, or a signed pack
//! verified against the rules keys the device trusts.
//!
//! A pack is the law as data (poverty lines, MRP, coefficients). The store
//! pre-checks with its active pack; a newer pack is activated after its
//! Ed25519 signature is checked, and re-screening compares two packs. Packs
//! that sync receives are verified against the rules key the registry gave
//! at enrolment (`KomekStore.receivedRulePacks`, `crate::sync`); `verified`
//! takes the trusted keys from the app.

use crate::error::Result;
use crate::scalars::IsoDate;
use komek_core::rules::signing::{verify, verify_and_parse, TrustedKeys};
use komek_core::store::StoredPack;
use std::sync::Arc;

/// A verified rule pack.
#[derive(Debug, uniffi::Object)]
pub struct RulePack {
    pub(crate) pack: Arc<komek_core::rules::RulePack>,
    /// The signed bytes it was verified from (None: the embedded pack); what
    /// the store keeps when the pack becomes the active one.
    pub(crate) signed: Option<StoredPack>,
}

/// What a pack is: its version and when it applies.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RulePackInfo {
    pub version: String,
    pub issued: IsoDate,
    pub valid_from: IsoDate,
    pub valid_until: IsoDate,
}

#[uniffi::export]
impl RulePack {
    /// The default pack for Kazakhstan compiled into the library.
    #[uniffi::constructor]
    pub fn embedded() -> Result<Arc<RulePack>> {
        let pack = komek_core::rules::pack::try_default_pack()?;
        Ok(Arc::new(RulePack {
            pack: Arc::new(pack.clone()),
            signed: None,
        }))
    }

    /// A pack from the registry: `toml` with its 72-byte `signature`, checked
    /// against `trusted_keys` (raw 32-byte Ed25519 public keys) and required to
    /// be in force on `today`. Refused with `KomekError.RulePack` otherwise.
    #[uniffi::constructor]
    pub fn verified(
        toml: Vec<u8>,
        signature: Vec<u8>,
        trusted_keys: Vec<Vec<u8>>,
        today: IsoDate,
    ) -> Result<Arc<RulePack>> {
        let mut trusted = TrustedKeys::new();
        for k in &trusted_keys {
            trusted.add(k);
        }
        let pack = verify_and_parse(&toml, Some(&signature), &trusted, today)?;
        Ok(Arc::new(RulePack {
            signed: Some(StoredPack {
                version: pack.version.clone(),
                toml,
                signature,
            }),
            pack: Arc::new(pack),
        }))
    }

    pub fn info(&self) -> RulePackInfo {
        RulePack::info_of(&self.pack)
    }
}

impl RulePack {
    /// A pack kept by the store, verified against `trusted` (not against a
    /// date: it was in force when it was activated or received).
    pub(crate) fn from_stored(stored: StoredPack, trusted: &TrustedKeys) -> Result<Arc<RulePack>> {
        verify(&stored.toml, Some(&stored.signature), trusted)?;
        let pack = komek_core::rules::RulePack::parse(&stored.toml)?;
        Ok(Arc::new(RulePack {
            pack: Arc::new(pack),
            signed: Some(stored),
        }))
    }

    /// A received pack verified (and checked in force on `today`) by sync.
    pub(crate) fn received(
        stored: StoredPack,
        trusted: &TrustedKeys,
        today: IsoDate,
    ) -> Result<Arc<RulePack>> {
        let pack = verify_and_parse(&stored.toml, Some(&stored.signature), trusted, today)?;
        Ok(Arc::new(RulePack {
            pack: Arc::new(pack),
            signed: Some(stored),
        }))
    }

    pub(crate) fn info_of(pack: &komek_core::rules::RulePack) -> RulePackInfo {
        RulePackInfo {
            version: pack.version.clone(),
            issued: pack.issued,
            valid_from: pack.valid_from,
            valid_until: pack.valid_until,
        }
    }
}
