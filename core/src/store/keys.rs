//! The store's key hierarchy, and the data-key rotation that makes forgetting final.
//!
//! ```text
//! vault alias komek-dk-<epoch> ─wraps─▶ DK (device data key)
//! DK ─wraps─▶ meta root ─HKDF─▶ blind-index key, audit MAC key, PIN pepper, staff-name key
//! DK ─wraps─▶ one key per household ─seals─▶ that household's records
//! ```
//!
//! Forgetting a household deletes its wrapped key and then rotates DK to a new
//! vault alias and destroys the old one, so an old copy of the database file can
//! no longer unwrap anything (docs/adr/0001). The meta root survives rotation
//! unchanged (re-wrapped), so index entries and audit MACs stay valid.

use super::error::{Result, StoreError};
use crate::crypto::{unwrap_key, wrap_key, BlindIndexKey, CryptoError, KeyVault, SecretKey};
use ring::hmac;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

const HOUSEHOLD: &str = "household-key";
const META: &str = "meta-root";

fn alias(epoch: u32) -> String {
    format!("komek-dk-{epoch}")
}

/// The unwrapped keys of an open store. Zeroized on drop (through `SecretKey`).
pub(crate) struct Keys {
    pub epoch: u32,
    dk: SecretKey,
    meta: SecretKey,
    pub index: BlindIndexKey,
    /// Blind index of settlement names (the visit list's lookup).
    pub places: hmac::Key,
    pub audit: hmac::Key,
    pub pepper: SecretKey,
    pub staff_names: SecretKey,
    /// Seals the sync identity (device signing key, inbox key).
    pub sync: SecretKey,
}

impl Keys {
    fn new(epoch: u32, dk: SecretKey, meta: SecretKey) -> Keys {
        Keys {
            epoch,
            index: BlindIndexKey::derive(&meta),
            places: hmac::Key::new(
                hmac::HMAC_SHA256,
                meta.derive("komek/blind-index/settlement/v1").expose(),
            ),
            audit: hmac::Key::new(hmac::HMAC_SHA256, meta.derive("komek/audit/v1").expose()),
            pepper: meta.derive("komek/pin-pepper/v1"),
            staff_names: meta.derive("komek/staff-names/v1"),
            sync: meta.derive("komek/sync-identity/v1"),
            dk,
            meta,
        }
    }

    /// The key of household `id`, unwrapped.
    pub fn household(&self, conn: &Connection, id: Uuid) -> Result<SecretKey> {
        let wrapped: Vec<u8> = conn
            .query_row(
                "SELECT wrapped FROM household_keys WHERE household_id = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        unwrap_key(&self.dk, HOUSEHOLD, id.as_bytes(), &wrapped)
            .map_err(|e| StoreError::record("household_keys", e))
    }

    /// The key of household `id`, created and stored on first use.
    pub fn household_or_create(&self, tx: &Transaction<'_>, id: Uuid) -> Result<SecretKey> {
        match self.household(tx, id) {
            Err(StoreError::NotFound) => {
                let key = SecretKey::generate().map_err(StoreError::Crypto)?;
                let wrapped = wrap_key(&self.dk, HOUSEHOLD, id.as_bytes(), &key)
                    .map_err(StoreError::Crypto)?;
                tx.execute(
                    "INSERT INTO household_keys (household_id, wrapped) VALUES (?1, ?2)",
                    params![id.as_bytes(), wrapped],
                )?;
                Ok(key)
            }
            other => other,
        }
    }
}

fn get_meta(conn: &Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn set_meta(tx: &Transaction<'_>, key: &str, value: &[u8]) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn epoch_of(bytes: &[u8]) -> Result<u32> {
    let arr: [u8; 4] = bytes
        .try_into()
        .map_err(|_| StoreError::Encoding("bad key epoch".into()))?;
    Ok(u32::from_be_bytes(arr))
}

/// Unwrap the store's keys, creating them on a new database.
pub(crate) fn load_or_create(conn: &mut Connection, vault: &dyn KeyVault) -> Result<Keys> {
    let keys = match (get_meta(conn, "dk_epoch")?, get_meta(conn, "dk_wrapped")?) {
        (Some(epoch), Some(wrapped)) => {
            let epoch = epoch_of(&epoch)?;
            let dk = SecretKey::from_bytes(&vault.unwrap(&alias(epoch), &wrapped)?)
                .map_err(StoreError::Crypto)?;
            let meta_wrapped = get_meta(conn, "meta_wrapped")?
                .ok_or_else(|| StoreError::Encoding("meta key missing".into()))?;
            let meta = unwrap_key(&dk, META, b"", &meta_wrapped)
                .map_err(|e| StoreError::record("meta", e))?;
            Keys::new(epoch, dk, meta)
        }
        _ => {
            let dk = SecretKey::generate().map_err(StoreError::Crypto)?;
            let meta = SecretKey::generate().map_err(StoreError::Crypto)?;
            let wrapped = vault.wrap(&alias(1), dk.expose())?;
            let meta_wrapped = wrap_key(&dk, META, b"", &meta).map_err(StoreError::Crypto)?;
            super::db::write(conn, |tx| {
                set_meta(tx, "dk_epoch", &1u32.to_be_bytes())?;
                set_meta(tx, "dk_wrapped", &wrapped)?;
                set_meta(tx, "meta_wrapped", &meta_wrapped)?;
                Ok(())
            })?;
            Keys::new(1, dk, meta)
        }
    };
    // A rotation interrupted before its commit left `epoch + 1` in the vault; one
    // interrupted after it left `epoch - 1`. Neither may survive.
    vault.destroy(&alias(keys.epoch + 1))?;
    if keys.epoch > 1 {
        vault.destroy(&alias(keys.epoch - 1))?;
    }
    Ok(keys)
}

/// Replace DK by a new key under a new vault alias, re-wrap everything it
/// wrapped in one transaction, then destroy the old alias.
pub(crate) fn rotate(conn: &mut Connection, vault: &dyn KeyVault, old: &Keys) -> Result<Keys> {
    let epoch = old.epoch + 1;
    let dk = SecretKey::generate().map_err(StoreError::Crypto)?;
    // The new alias exists before the commit that starts using it.
    let wrapped = vault.wrap(&alias(epoch), dk.expose())?;
    super::db::write(conn, |tx| {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = {
            let mut stmt = tx.prepare("SELECT household_id, wrapped FROM household_keys")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for (id, w) in rows {
            let key = unwrap_key(&old.dk, HOUSEHOLD, &id, &w)
                .map_err(|e| StoreError::record("household_keys", e))?;
            let rewrapped = wrap_key(&dk, HOUSEHOLD, &id, &key).map_err(StoreError::Crypto)?;
            tx.execute(
                "UPDATE household_keys SET wrapped = ?1 WHERE household_id = ?2",
                params![rewrapped, id],
            )?;
        }
        let meta_wrapped = wrap_key(&dk, META, b"", &old.meta).map_err(StoreError::Crypto)?;
        set_meta(tx, "meta_wrapped", &meta_wrapped)?;
        set_meta(tx, "dk_wrapped", &wrapped)?;
        set_meta(tx, "dk_epoch", &epoch.to_be_bytes())?;
        Ok(())
    })?;
    vault.destroy(&alias(old.epoch))?;
    Ok(Keys::new(epoch, dk, old.meta.clone()))
}

/// Map a crypto failure of a record in `table` to the store's error.
pub(crate) fn open_error(table: &'static str) -> impl Fn(CryptoError) -> StoreError {
    move |e| StoreError::record(table, e)
}
