//! Regional rule-pack overlays: a region publishes its own poverty lines,
//! subsistence minimums, median incomes and district decisions, quarter by
//! quarter, without waiting for the centre to re-issue the national pack.
//!
//! Trust is layered. The national pack (signed by the registry's rules key,
//! or built in) names, per region, the Ed25519 keys allowed to sign that
//! region's overlay and the fields an overlay may set (`[[overlay_keys]]`).
//! A device verifies each overlay against those keys ([`verify_overlay`]),
//! refuses one that sets anything outside its region or its allowed fields,
//! and applies the accepted ones over the national pack
//! ([`RulePack::with_overlays`]); every figure remembers its layer, so a
//! report names the pack or overlay its poverty line came from.
//!
//! Format and trust model: `docs/rule-packs.md`, "Regional overlays".

use super::pack::{
    DistrictFlags, PackFormatError, QuarterFigure, RegionOrNational, RulePack, StatisticalPm,
};
use super::signing::{self, key_id, PackError};
use super::toml_doc::de_date;
use crate::model::Region;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

/// The overlay format this code reads (`overlay_format = 1`).
pub const OVERLAY_FORMAT: u32 = 1;

/// Signed messages of overlays start with this (never a pack's context).
pub const OVERLAY_SIGNING_CONTEXT: &[u8] = b"komek-rule-overlay-v1\0";

/// What an overlay may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlayField {
    PovertyLine,
    SubsistenceMinimum,
    MedianIncome,
    Districts,
}

impl OverlayField {
    pub fn code(self) -> &'static str {
        match self {
            OverlayField::PovertyLine => "poverty_line",
            OverlayField::SubsistenceMinimum => "subsistence_minimum",
            OverlayField::MedianIncome => "median_income",
            OverlayField::Districts => "districts",
        }
    }
}

/// A key allowed to sign one region's overlays (in the national pack).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayKey {
    pub region: Region,
    /// The raw 32-byte Ed25519 public key, as 64 hex digits.
    #[serde(deserialize_with = "de_hex_key")]
    pub public_key: Vec<u8>,
    /// The fields its overlays may set.
    pub may_set: Vec<OverlayField>,
    pub source: String,
}

fn de_hex_key<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = String::deserialize(d)?;
    let bytes = s.as_bytes();
    if bytes.len() != 64 || !bytes.iter().all(u8::is_ascii_hexdigit) {
        return Err(serde::de::Error::custom(
            "public_key must be 64 hex digits (a raw Ed25519 key)",
        ));
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    };
    Ok(bytes
        .chunks(2)
        .map(|p| nibble(p[0]) << 4 | nibble(p[1]))
        .collect())
}

/// Checks the national pack's overlay keys (called when it is parsed).
pub(crate) fn check_keys(keys: &[OverlayKey]) -> Result<(), PackFormatError> {
    for k in keys {
        if k.may_set.is_empty() {
            return Err(PackFormatError::Invalid(format!(
                "overlay key for {}: may_set is empty",
                k.region.code()
            )));
        }
    }
    Ok(())
}

/// Why an overlay was refused. Overlays hold public law, never personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverlayError {
    #[error("the overlay is not signed")]
    Unsigned,
    #[error("the overlay is signed by a key the national pack does not name")]
    UntrustedKey,
    #[error(transparent)]
    Signature(PackError),
    #[error("the overlay is not valid TOML for this format: {0}")]
    Format(String),
    #[error("overlay format {found} is not supported (this build reads format {OVERLAY_FORMAT})")]
    UnsupportedFormat { found: u32 },
    #[error("the overlay is for {overlay} but its key may sign only {key}'s")]
    WrongRegion { overlay: String, key: String },
    #[error("the overlay sets `{field}`, which its key may not set")]
    FieldNotAllowed { field: &'static str },
    #[error("the overlay for {overlay} sets `{field}` for {found}, outside its region")]
    OutsideRegion {
        overlay: String,
        field: &'static str,
        found: String,
    },
    #[error("the overlay expired on {valid_until} (today is {today})")]
    Expired {
        valid_until: NaiveDate,
        today: NaiveDate,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverlay {
    overlay_format: u32,
    region: Region,
    version: String,
    #[serde(deserialize_with = "de_date")]
    issued: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    valid_until: NaiveDate,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    poverty_line: Vec<QuarterFigure>,
    #[serde(default)]
    subsistence_minimum: Vec<StatisticalPm>,
    #[serde(default)]
    median_income: Vec<QuarterFigure>,
    #[serde(default)]
    districts: Vec<DistrictFlags>,
}

/// A verified overlay of one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub region: Region,
    pub version: String,
    pub issued: NaiveDate,
    pub valid_until: NaiveDate,
    pub description: Option<String>,
    /// Hex id of the key that signed it.
    pub key_id: [u8; 8],
    pub poverty_line: Vec<QuarterFigure>,
    pub subsistence_minimum: Vec<StatisticalPm>,
    pub median_income: Vec<QuarterFigure>,
    pub districts: Vec<DistrictFlags>,
}

impl Overlay {
    /// The fields this overlay sets.
    pub fn fields(&self) -> Vec<OverlayField> {
        let mut f = Vec::new();
        if !self.poverty_line.is_empty() {
            f.push(OverlayField::PovertyLine);
        }
        if !self.subsistence_minimum.is_empty() {
            f.push(OverlayField::SubsistenceMinimum);
        }
        if !self.median_income.is_empty() {
            f.push(OverlayField::MedianIncome);
        }
        if !self.districts.is_empty() {
            f.push(OverlayField::Districts);
        }
        f
    }
}

/// Verifies an overlay's signature against the keys `national` names for
/// overlays, then parses it and checks it sets only its region and its
/// allowed fields, and is in force on `today`. Nothing is parsed before the
/// signature holds.
pub fn verify_overlay(
    national: &RulePack,
    toml: &[u8],
    signature: Option<&[u8]>,
    today: NaiveDate,
) -> Result<Overlay, OverlayError> {
    let sig = match signature {
        None | Some([]) => return Err(OverlayError::Unsigned),
        Some(s) => s,
    };
    let id = signing::signature_key_id(sig).ok_or(OverlayError::Signature(
        PackError::MalformedSignature { len: sig.len() },
    ))?;
    let key = national
        .overlay_keys
        .iter()
        .find(|k| key_id(&k.public_key).as_slice() == id)
        .ok_or(OverlayError::UntrustedKey)?;
    signing::verify_with_key(OVERLAY_SIGNING_CONTEXT, toml, sig, &key.public_key)
        .map_err(OverlayError::Signature)?;
    let overlay = parse_unchecked(toml)?;
    if overlay.region != key.region {
        return Err(OverlayError::WrongRegion {
            overlay: overlay.region.code().to_string(),
            key: key.region.code().to_string(),
        });
    }
    for field in overlay.fields() {
        if !key.may_set.contains(&field) {
            return Err(OverlayError::FieldNotAllowed {
                field: field.code(),
            });
        }
    }
    check_region(&overlay)?;
    if overlay.valid_until < today {
        return Err(OverlayError::Expired {
            valid_until: overlay.valid_until,
            today,
        });
    }
    let mut overlay = overlay;
    overlay.key_id = key_id(&key.public_key);
    Ok(overlay)
}

/// Parses an overlay without verifying it (for `komek rules show`, and
/// before signing). Use [`verify_overlay`] on a device.
pub fn parse_unchecked(toml: &[u8]) -> Result<Overlay, OverlayError> {
    let text = std::str::from_utf8(toml)
        .map_err(|_| OverlayError::Format("not valid UTF-8".to_string()))?;
    #[derive(Deserialize)]
    struct FormatOnly {
        overlay_format: Option<u32>,
    }
    if let Ok(FormatOnly {
        overlay_format: Some(found),
    }) = super::toml_doc::from_str::<FormatOnly>(text)
    {
        if found != OVERLAY_FORMAT {
            return Err(OverlayError::UnsupportedFormat { found });
        }
    }
    let raw: RawOverlay = super::toml_doc::from_str(text).map_err(OverlayError::Format)?;
    if raw.overlay_format != OVERLAY_FORMAT {
        return Err(OverlayError::UnsupportedFormat {
            found: raw.overlay_format,
        });
    }
    if raw.version.trim().is_empty() {
        return Err(OverlayError::Format("version is empty".to_string()));
    }
    Ok(Overlay {
        region: raw.region,
        version: raw.version,
        issued: raw.issued,
        valid_until: raw.valid_until,
        description: raw.description,
        key_id: [0; 8],
        poverty_line: raw.poverty_line,
        subsistence_minimum: raw.subsistence_minimum,
        median_income: raw.median_income,
        districts: raw.districts,
    })
}

/// Every entry of the overlay is for the overlay's own region.
fn check_region(o: &Overlay) -> Result<(), OverlayError> {
    let outside = |field: &'static str, found: String| OverlayError::OutsideRegion {
        overlay: o.region.code().to_string(),
        field,
        found,
    };
    for p in &o.poverty_line {
        if p.region != o.region {
            return Err(outside("poverty_line", p.region.code().to_string()));
        }
    }
    for m in &o.median_income {
        if m.region != o.region {
            return Err(outside("median_income", m.region.code().to_string()));
        }
    }
    for p in &o.subsistence_minimum {
        match p.region {
            RegionOrNational::Region(r) if r == o.region => {}
            RegionOrNational::Region(r) => {
                return Err(outside("subsistence_minimum", r.code().to_string()))
            }
            RegionOrNational::National => {
                return Err(outside("subsistence_minimum", "national".to_string()))
            }
        }
    }
    for d in &o.districts {
        if d.region != o.region {
            return Err(outside("districts", d.region.code().to_string()));
        }
    }
    Ok(())
}

impl RulePack {
    /// This pack with `overlays` applied in order: an overlay's figure
    /// replaces the national one for the same region and quarter (district),
    /// and remembers its layer. Lines are precomputed again.
    pub fn with_overlays(&self, overlays: &[Overlay]) -> RulePack {
        let mut pack = self.clone();
        for o in overlays {
            let layer = u8::try_from(pack.layers.len()).unwrap_or(u8::MAX);
            pack.layers.push(o.version.clone());
            for p in &o.poverty_line {
                pack.published_poverty_lines
                    .retain(|x| !(x.region == p.region && x.quarter == p.quarter));
                pack.published_poverty_lines
                    .push(QuarterFigure { layer, ..p.clone() });
            }
            for m in &o.median_income {
                pack.median_income
                    .retain(|x| !(x.region == m.region && x.quarter == m.quarter));
                pack.median_income
                    .push(QuarterFigure { layer, ..m.clone() });
            }
            for p in &o.subsistence_minimum {
                pack.subsistence_minimum
                    .retain(|x| !(x.region == p.region && x.quarter == p.quarter));
                pack.subsistence_minimum
                    .push(StatisticalPm { layer, ..p.clone() });
            }
            for d in &o.districts {
                pack.districts
                    .retain(|x| !(x.region == d.region && x.district == d.district));
                pack.districts.push(DistrictFlags { layer, ..d.clone() });
            }
        }
        pack.precompute_lines();
        pack
    }
}

#[cfg(test)]
mod tests;
