//! Regional overlays through the bindings: install one, list them, remove
//! one; the store's pre-checks apply them on top of the active pack.
//!
//! A region publishes its own lines (poverty line, subsistence minimum,
//! median income) and district decisions in an overlay signed by its key;
//! the national pack names that key and what it may set
//! (`komek_core::rules::overlay`, `docs/rule-packs.md`). An app installs an
//! overlay it received (a file, a QR code; the registry does not publish
//! overlays yet): it is verified against the active pack, kept in the store,
//! and verified again at every open and whenever the active pack changes, so
//! a row edited on the disk or an overlay whose key a newer pack dropped is
//! not applied.

use crate::enums::Region;
use crate::error::{KomekError, Result};
use crate::scalars::IsoDate;
use crate::store::{KomekStore, Shared};
use komek_core::rules::overlay::{verify_overlay, Overlay, OverlayError};
use komek_core::store::StoredOverlay;

/// What an installed overlay is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OverlayInfo {
    pub region: Region,
    pub version: String,
    pub issued: IsoDate,
    pub valid_until: IsoDate,
    /// What it sets: `poverty_line`, `subsistence_minimum`, `median_income`,
    /// `districts`.
    pub fields: Vec<String>,
}

impl From<&Overlay> for OverlayInfo {
    fn from(o: &Overlay) -> OverlayInfo {
        OverlayInfo {
            region: o.region.into(),
            version: o.version.clone(),
            issued: o.issued,
            valid_until: o.valid_until,
            fields: o.fields().iter().map(|f| f.code().to_string()).collect(),
        }
    }
}

fn refused(e: OverlayError) -> KomekError {
    KomekError::RulePack {
        reason: e.to_string(),
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl KomekStore {
    /// Verify `toml` and its 72-byte `signature` against the overlay keys of
    /// the active pack (in force on `today`), keep it for its region
    /// (replacing an older one) and apply it to pre-checks from now on.
    /// Refused with `KomekError.RulePack` (the reason names the problem: an
    /// unknown key, a bad signature, a field or region the key may not set,
    /// expired) or when it is older than the one kept for the region.
    pub async fn install_overlay(
        &self,
        toml: Vec<u8>,
        signature: Vec<u8>,
        today: IsoDate,
    ) -> Result<OverlayInfo> {
        self.blocking(move |s| {
            let national = s.active_pack()?;
            let overlay =
                verify_overlay(&national.pack, &toml, Some(&signature), today).map_err(refused)?;
            let mut held = s.held_overlays()?;
            if let Some(old) = held.iter().find(|o| o.region == overlay.region) {
                if overlay.issued < old.issued {
                    return Err(KomekError::RulePack {
                        reason: format!(
                            "the overlay {} was issued before the one kept for its region ({})",
                            overlay.version, old.version
                        ),
                    });
                }
            }
            s.store.put_overlay(&StoredOverlay {
                region: overlay.region.code().to_string(),
                toml,
                signature,
            })?;
            let info = OverlayInfo::from(&overlay);
            held.retain(|o| o.region != overlay.region);
            held.push(overlay);
            s.set_overlays(held)?;
            Ok(info)
        })
        .await
    }

    /// The overlays pre-checks apply, by region.
    pub async fn overlays(&self) -> Result<Vec<OverlayInfo>> {
        self.blocking(|s| Ok(s.held_overlays()?.iter().map(OverlayInfo::from).collect()))
            .await
    }

    /// Stop applying `region`'s overlay and forget it; whether there was one.
    pub async fn remove_overlay(&self, region: Region) -> Result<bool> {
        self.blocking(move |s| {
            let code = komek_core::model::Region::from(region).code();
            let removed = s.store.remove_overlay(code)?;
            let mut held = s.held_overlays()?;
            held.retain(|o| o.region.code() != code);
            s.set_overlays(held)?;
            Ok(removed)
        })
        .await
    }
}

impl Shared {
    pub(crate) fn held_overlays(&self) -> Result<Vec<Overlay>> {
        self.overlays
            .read()
            .map(|o| o.clone())
            .map_err(|_| KomekError::internal("overlay lock poisoned"))
    }

    fn set_overlays(&self, mut overlays: Vec<Overlay>) -> Result<()> {
        overlays.sort_by_key(|o| o.region.code());
        let mut held = self
            .overlays
            .write()
            .map_err(|_| KomekError::internal("overlay lock poisoned"))?;
        *held = overlays;
        Ok(())
    }

    /// The kept overlays that verify against the active pack (at open, and
    /// after the active pack changed); the others stay kept but are not
    /// applied (logged without their content).
    pub(crate) fn restore_overlays(&self) {
        let verified = self.active_pack().and_then(|national| {
            let kept = self.store.overlays()?;
            let mut ok = Vec::new();
            for o in kept {
                // Expiry was checked at install: an overlay's figures stay
                // right for their quarters.
                match verify_overlay(
                    &national.pack,
                    &o.toml,
                    Some(&o.signature),
                    chrono::NaiveDate::MIN,
                ) {
                    Ok(overlay) => ok.push(overlay),
                    Err(e) => log::warn!(
                        "the overlay kept for region {} is not applied: {e}",
                        o.region
                    ),
                }
            }
            Ok(ok)
        });
        match verified.and_then(|ok| self.set_overlays(ok)) {
            Ok(()) => {}
            Err(e) => log::warn!("overlays not restored ({})", e.code_str()),
        }
    }

    /// The active pack with the held overlays applied: what pre-checks use.
    pub(crate) fn effective_pack(&self) -> Result<komek_core::rules::RulePack> {
        let national = self.active_pack()?;
        let held = self.held_overlays()?;
        Ok(national.pack.with_overlays(&held))
    }
}
