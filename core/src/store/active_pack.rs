//! Which rule pack pre-checks use, kept in the store so it survives a restart.
//!
//! Why here: the active pack is the law the device applies; after the app is
//! killed and opened again it must apply the same law, not fall back to the
//! older pack compiled into the library. The pack's signed bytes are kept in
//! the `meta` table (no schema change); whoever reads them back verifies the
//! signature again before use (`komek-ffi` does, against the registry's rules
//! key and the keys the app trusts), so a row edited on the disk cannot
//! change the law. No row means the embedded default pack.

use super::error::{Result, StoreError};
use super::{db, Store, StoredPack};
use rusqlite::OptionalExtension;

const KEY: &str = "active_rule_pack";

/// `u32 version length ‖ version ‖ u32 toml length ‖ toml ‖ signature`.
fn encode(pack: &StoredPack) -> Result<Vec<u8>> {
    let len = |n: usize| {
        u32::try_from(n)
            .map(u32::to_be_bytes)
            .map_err(|_| StoreError::Encoding("rule pack too large".into()))
    };
    let mut out = Vec::with_capacity(8 + pack.version.len() + pack.toml.len() + 72);
    out.extend_from_slice(&len(pack.version.len())?);
    out.extend_from_slice(pack.version.as_bytes());
    out.extend_from_slice(&len(pack.toml.len())?);
    out.extend_from_slice(&pack.toml);
    out.extend_from_slice(&pack.signature);
    Ok(out)
}

fn decode(bytes: &[u8]) -> Option<StoredPack> {
    fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let n = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if tail.len() < n {
            return None;
        }
        let (field, tail) = tail.split_at(n);
        *rest = tail;
        Some(field)
    }
    let mut rest = bytes;
    let version = String::from_utf8(take(&mut rest)?.to_vec()).ok()?;
    let toml = take(&mut rest)?.to_vec();
    Some(StoredPack {
        version,
        toml,
        signature: rest.to_vec(),
    })
}

impl Store {
    /// The signed pack chosen for pre-checks, or None for the embedded one.
    /// Not verified here: verify before use.
    pub fn active_rule_pack(&self) -> Result<Option<StoredPack>> {
        let inner = self.inner()?;
        let bytes: Option<Vec<u8>> = inner
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
            .optional()?;
        match bytes {
            None => Ok(None),
            Some(b) => decode(&b)
                .map(Some)
                .ok_or_else(|| StoreError::Encoding("active rule pack".into())),
        }
    }

    /// Keep `pack` (verified by the caller) as the one pre-checks use; None
    /// goes back to the embedded pack. Needs no session: sync activates
    /// received packs in the background.
    pub fn set_active_rule_pack(&self, pack: Option<&StoredPack>) -> Result<()> {
        let value = pack.map(encode).transpose()?;
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            match &value {
                Some(v) => tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    rusqlite::params![KEY, v],
                )?,
                None => tx.execute("DELETE FROM meta WHERE key = ?1", [KEY])?,
            };
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_round_trips_and_a_cut_row_is_refused() {
        let pack = StoredPack {
            version: "kz-2026.2".into(),
            toml: b"version = \"kz-2026.2\"".to_vec(),
            signature: vec![7; 72],
        };
        let bytes = encode(&pack).unwrap();
        assert_eq!(decode(&bytes), Some(pack));
        assert_eq!(decode(&bytes[..10]), None);
        assert_eq!(decode(&[]), None);
    }
}
