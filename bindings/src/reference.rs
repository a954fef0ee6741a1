//! Reference data apps show in their forms: regions and the library version.

use crate::enums::{Lang, Region};
use komek_core::l10n::Localizer;
use komek_core::model::Region as CoreRegion;

/// A region (oblast or city of republican significance) and its KATO code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionInfo {
    pub region: Region,
    /// Stable code used in files and rule packs, e.g. `aktobe`.
    pub code: String,
    /// Nine-digit KATO code, e.g. `150000000`.
    pub kato: String,
}

/// Every region, in KATO order.
#[uniffi::export]
pub fn regions() -> Vec<RegionInfo> {
    CoreRegion::ALL
        .iter()
        .map(|r| RegionInfo {
            region: (*r).into(),
            code: r.code().to_string(),
            kato: r.kato(),
        })
        .collect()
}

/// The region's name in `lang` (`Ақтөбе облысы`, `Актюбинская область`).
#[uniffi::export]
pub fn region_name(region: Region, lang: Lang) -> String {
    let code = CoreRegion::from(region).code();
    Localizer::global().format(lang.core(), &format!("region-{code}"), None)
}

/// The version of the Komek core library.
#[uniffi::export]
pub fn komek_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
