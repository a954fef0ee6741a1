//! Household records: sealed at rest, versioned, findable by IIN, forgettable.
//!
//! A row holds only what a query needs in plaintext: the household's UUID (made
//! on the device, meaningless outside it), the version, draft/final, and when it
//! was last written. Everything else (names, IINs, address, incomes) is inside
//! `sealed`: the JSON form sealed under the household's own key, bound to the
//! table, the household id and the version.

use super::audit::{self, AuditAction};
use super::error::{Result, StoreError};
use super::keys::{open_error, Keys};
use super::outbox;
use crate::crypto::{open_record, seal_record, RecordAad};
use crate::model::{FormStatus, Household};
use crate::validate::{validate, validate_for_finalize};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const TABLE: &str = "households";

/// A household as a list shows it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdSummary {
    pub id: Uuid,
    pub version: u32,
    pub status: FormStatus,
    pub updated_at: DateTime<Utc>,
}

fn aad(id: &Uuid, version: u32) -> RecordAad<'_> {
    RecordAad {
        table: TABLE,
        record_id: id.as_bytes(),
        version,
    }
}

fn status_str(s: FormStatus) -> &'static str {
    match s {
        FormStatus::Draft => "draft",
        FormStatus::Final => "final",
    }
}

fn parse_status(s: &str) -> FormStatus {
    if s == "final" {
        FormStatus::Final
    } else {
        FormStatus::Draft
    }
}

pub(crate) fn latest(conn: &Connection, id: Uuid) -> Result<Option<(u32, FormStatus)>> {
    Ok(conn
        .query_row(
            "SELECT version, status FROM households WHERE household_id = ?1
             ORDER BY version DESC LIMIT 1",
            [id.as_bytes()],
            |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(v, s)| (v, parse_status(&s))))
}

/// Seal and write `h`; with `reindex`, rebuild its IIN index entries.
fn write_row(
    tx: &Transaction<'_>,
    keys: &Keys,
    h: &Household,
    now: DateTime<Utc>,
    reindex: bool,
) -> Result<()> {
    let key = keys.household_or_create(tx, h.id)?;
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(h).map_err(|e| StoreError::Encoding(e.to_string()))?,
    );
    let sealed = seal_record(&key, aad(&h.id, h.version), &json).map_err(StoreError::Crypto)?;
    tx.execute(
        "INSERT INTO households (household_id, version, status, sealed, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (household_id, version) DO UPDATE
         SET status = excluded.status, sealed = excluded.sealed, updated_at = excluded.updated_at",
        params![
            h.id.as_bytes(),
            h.version,
            status_str(h.status),
            sealed,
            now.timestamp()
        ],
    )?;
    if !reindex {
        return Ok(());
    }
    super::followup::index_place(tx, keys, h)?;
    tx.execute(
        "DELETE FROM iin_index WHERE household_id = ?1",
        [h.id.as_bytes()],
    )?;
    let mut blinds: Vec<[u8; 32]> = h
        .members
        .iter()
        .filter_map(|m| m.iin.as_deref())
        .map(|iin| keys.index.iin(iin))
        .collect();
    blinds.sort_unstable();
    blinds.dedup();
    let mut insert =
        tx.prepare_cached("INSERT INTO iin_index (blind, household_id) VALUES (?1, ?2)")?;
    for b in blinds {
        insert.execute(params![&b[..], h.id.as_bytes()])?;
    }
    Ok(())
}

/// Save a draft: a new household (version 1), an edit of the current draft, or
/// the first save of a correction (version + 1 naming the finalized version).
pub(crate) fn save_draft(
    tx: &Transaction<'_>,
    keys: &Keys,
    h: &Household,
    staff: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    if h.is_final() {
        return Err(StoreError::WrongState(
            "save_draft takes drafts; use finalize",
        ));
    }
    let action = match latest(tx, h.id)? {
        None if h.version == 1 && h.replaces.is_none() => AuditAction::Create,
        None => {
            return Err(StoreError::WrongState(
                "a new household starts at version 1",
            ))
        }
        Some((v, FormStatus::Draft)) if v == h.version => AuditAction::Edit,
        Some((v, FormStatus::Final)) if v == h.version => return Err(StoreError::Immutable),
        Some((v, FormStatus::Final)) if h.version == v + 1 && h.replaces == Some(v) => {
            AuditAction::Correct
        }
        Some(_) => {
            return Err(StoreError::WrongState(
                "version does not follow the stored one",
            ))
        }
    };
    let problems = validate(h, now.date_naive());
    if problems.has_errors() {
        return Err(StoreError::Invalid(problems));
    }
    let mut stored = h.clone();
    stored.updated_at = now;
    write_row(tx, keys, &stored, now, true)?;
    audit::append(tx, &keys.audit, now, Some(staff), Some(h.id), action)
}

/// Decrypt household `id` at `version` (the latest when `None`).
pub(crate) fn load(
    conn: &Connection,
    keys: &Keys,
    id: Uuid,
    version: Option<u32>,
) -> Result<Household> {
    let version = match version {
        Some(v) => v,
        None => latest(conn, id)?.ok_or(StoreError::NotFound)?.0,
    };
    let sealed: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM households WHERE household_id = ?1 AND version = ?2",
            params![id.as_bytes(), version],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let key = keys.household(conn, id)?;
    let json = open_record(&key, aad(&id, version), &sealed).map_err(open_error(TABLE))?;
    serde_json::from_slice(&json).map_err(|e| StoreError::Encoding(e.to_string()))
}

/// The JSON of household `id`'s latest version, opened with its `key`
/// (already unwrapped by the caller, who reads more records under it).
pub(crate) fn latest_json(
    conn: &Connection,
    key: &crate::crypto::SecretKey,
    id: Uuid,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let (version, sealed): (u32, Vec<u8>) = conn
        .prepare_cached(
            "SELECT version, sealed FROM households WHERE household_id = ?1
             ORDER BY version DESC LIMIT 1",
        )?
        .query_row([id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound)?;
    open_record(key, aad(&id, version), &sealed).map_err(open_error(TABLE))
}

/// Finalize the current draft: validated for the pre-checks, frozen, and queued
/// for the registry in the same transaction.
pub(crate) fn finalize(
    tx: &Transaction<'_>,
    keys: &Keys,
    id: Uuid,
    today: NaiveDate,
    staff: Uuid,
    now: DateTime<Utc>,
) -> Result<Household> {
    match latest(tx, id)? {
        None => return Err(StoreError::NotFound),
        Some((_, FormStatus::Final)) => return Err(StoreError::Immutable),
        Some((_, FormStatus::Draft)) => {}
    }
    let mut h = load(tx, keys, id, None)?;
    let problems = validate_for_finalize(&h, today);
    if problems.has_errors() {
        return Err(StoreError::Invalid(problems));
    }
    h.status = FormStatus::Final;
    h.finalized_at = Some(now);
    h.updated_at = now;
    // Finalizing changes no member: the index entries stay as they are.
    write_row(tx, keys, &h, now, false)?;
    outbox::enqueue(tx, "household", h.id, h.version, h.replaces)?;
    audit::append(
        tx,
        &keys.audit,
        now,
        Some(staff),
        Some(id),
        AuditAction::Finalize,
    )?;
    Ok(h)
}

/// Delete household `id` entirely (rows, key, index entries, unsent operations).
pub(crate) fn delete(
    tx: &Transaction<'_>,
    keys: &Keys,
    id: Uuid,
    staff: Option<Uuid>,
    now: DateTime<Utc>,
    action: AuditAction,
) -> Result<()> {
    // Its plans, referrals, visits and exits: their unsent operations and
    // sealed copies first; the rows go with the key below (cascade).
    super::followup::forget(tx, id)?;
    let n = tx.execute(
        "DELETE FROM household_keys WHERE household_id = ?1",
        [id.as_bytes()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    tx.execute(
        "DELETE FROM outbox WHERE entity_id = ?1 AND state = 'pending'",
        [id.as_bytes()],
    )?;
    // Acknowledged operations keep their sequence number (the registry's
    // exactly-once key) but not their sealed copy of the form.
    tx.execute(
        "UPDATE outbox SET sealed = NULL WHERE entity_id = ?1",
        [id.as_bytes()],
    )?;
    tx.execute("DELETE FROM cases WHERE case_id = ?1", [id.as_bytes()])?;
    audit::append(tx, &keys.audit, now, staff, Some(id), action)
}

pub(crate) fn find_by_iin(conn: &Connection, keys: &Keys, iin: &str) -> Result<Vec<Uuid>> {
    let blind = keys.index.iin(iin);
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT household_id FROM iin_index WHERE blind = ?1")?;
    let rows = stmt.query_map([&blind[..]], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(Uuid::from_slice(&r?).map_err(|e| StoreError::Encoding(e.to_string()))?);
    }
    Ok(out)
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<HouseholdSummary>> {
    let mut stmt = conn.prepare(
        "SELECT household_id, version, status, updated_at FROM households h
         WHERE version = (SELECT max(version) FROM households WHERE household_id = h.household_id)
         ORDER BY updated_at, household_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (id, version, status, at) = r?;
        out.push(HouseholdSummary {
            id: Uuid::from_slice(&id).map_err(|e| StoreError::Encoding(e.to_string()))?,
            version,
            status: parse_status(&status),
            updated_at: DateTime::from_timestamp(at, 0).unwrap_or_default(),
        });
    }
    Ok(out)
}
