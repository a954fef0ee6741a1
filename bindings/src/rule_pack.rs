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
use komek_core::rules::signing::{verify_and_parse, TrustedKeys};
use std::sync::Arc;

/// A verified rule pack.
#[derive(Debug, uniffi::Object)]
pub struct RulePack {
    pub(crate) pack: Arc<komek_core::rules::RulePack>,
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
            pack: Arc::new(pack),
        }))
    }

    pub fn info(&self) -> RulePackInfo {
        RulePack::info_of(&self.pack)
    }
}

impl RulePack {
    pub(crate) fn info_of(pack: &komek_core::rules::RulePack) -> RulePackInfo {
        RulePackInfo {
            version: pack.version.clone(),
            issued: pack.issued,
            valid_from: pack.valid_from,
            valid_until: pack.valid_until,
        }
    }
}
