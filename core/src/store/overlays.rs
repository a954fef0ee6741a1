//! The regional overlays a device holds, kept in the store so they survive a
//! restart.
//!
//! Why: a region publishes its own poverty line, subsistence minimum, median
//! income and district decisions in an overlay signed by its key (see
//! `rules::overlay`); pre-checks apply the national pack plus the overlays
//! the device holds. Like the active pack, each overlay's signed bytes are
//! kept in the `meta` table (no schema change), one per region (a newer one
//! replaces it), and whoever reads them back verifies them again against the
//! national pack's overlay keys before use, so a row edited on the disk
//! cannot change the law.

use super::error::{Result, StoreError};
use super::{db, Store};

const PREFIX: &str = "overlay:";

/// An overlay's signed bytes, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOverlay {
    /// The region's KATO code (`"15"` for Aktobe).
    pub region: String,
    pub toml: Vec<u8>,
    pub signature: Vec<u8>,
}

/// `u32 toml length ‖ toml ‖ signature`.
fn encode(o: &StoredOverlay) -> Result<Vec<u8>> {
    let len = u32::try_from(o.toml.len())
        .map_err(|_| StoreError::Encoding("overlay too large".into()))?;
    let mut out = Vec::with_capacity(4 + o.toml.len() + o.signature.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&o.toml);
    out.extend_from_slice(&o.signature);
    Ok(out)
}

fn decode(region: &str, bytes: &[u8]) -> Option<StoredOverlay> {
    let (len, rest) = bytes.split_first_chunk::<4>()?;
    let n = usize::try_from(u32::from_be_bytes(*len)).ok()?;
    if rest.len() < n {
        return None;
    }
    let (toml, signature) = rest.split_at(n);
    Some(StoredOverlay {
        region: region.to_string(),
        toml: toml.to_vec(),
        signature: signature.to_vec(),
    })
}

fn key(region: &str) -> String {
    format!("{PREFIX}{region}")
}

impl Store {
    /// Every overlay kept, by region code. Not verified here: verify before
    /// use.
    pub fn overlays(&self) -> Result<Vec<StoredOverlay>> {
        let inner = self.inner()?;
        let mut stmt = inner
            .conn
            .prepare("SELECT key, value FROM meta WHERE substr(key, 1, 8) = ?1 ORDER BY key")?;
        let rows = stmt.query_map([PREFIX], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (k, v) = row?;
            let region = k.strip_prefix(PREFIX).unwrap_or(&k);
            out.push(decode(region, &v).ok_or_else(|| StoreError::Encoding("overlay".into()))?);
        }
        Ok(out)
    }

    /// Keep `overlay` (verified by the caller) for its region, replacing the
    /// one kept before. Needs no session: sync may receive overlays in the
    /// background.
    pub fn put_overlay(&self, overlay: &StoredOverlay) -> Result<()> {
        let value = encode(overlay)?;
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                rusqlite::params![key(&overlay.region), value],
            )?;
            Ok(())
        })
    }

    /// Forget the overlay of `region`; whether there was one.
    pub fn remove_overlay(&self, region: &str) -> Result<bool> {
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            Ok(tx.execute("DELETE FROM meta WHERE key = ?1", [key(region)])? > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_round_trips_and_a_cut_row_is_refused() {
        let o = StoredOverlay {
            region: "15".into(),
            toml: b"overlay_format = 1".to_vec(),
            signature: vec![9; 72],
        };
        let bytes = encode(&o).unwrap();
        assert_eq!(decode("15", &bytes), Some(o));
        assert_eq!(decode("15", &bytes[..3]), None);
        let mut long = bytes.clone();
        long[3] = 200; // a length past the end
        assert_eq!(decode("15", &long), None);
    }
}
