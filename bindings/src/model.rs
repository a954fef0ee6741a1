//! Reference data apps show in their forms: regions and the library version.

use komek_core::model::Region;

/// A region (oblast or city of republican significance) and its KATO code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionInfo {
    /// Stable code used in files and rule packs, e.g. `aktobe`.
    pub code: String,
    /// Nine-digit KATO code, e.g. `150000000`.
    pub kato: String,
}

/// Every region, in KATO order.
#[uniffi::export]
pub fn regions() -> Vec<RegionInfo> {
    Region::ALL
        .iter()
        .map(|r| RegionInfo {
            code: r.code().to_string(),
            kato: r.kato(),
        })
        .collect()
}

/// The version of the Komek core library.
#[uniffi::export]
pub fn komek_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
