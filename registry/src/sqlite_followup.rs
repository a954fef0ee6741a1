//! SQLite storage of follow-up records (`crate::followup`): the statements
//! behind the `Storage` methods of the same names. Tables: migration 6.

use super::{seq_i64, uuid};
use crate::followup::{record_change, IncomingRecord, RecordChange, RecordRow};
use crate::storage::{OpOutcome, Result, StorageError};
use komek_core::followup::RecordKind;
use komek_core::sync::codes;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

/// Migration 6 (the next after the registry's own; renumber when merging
/// after another migration).
pub(super) const MIGRATION: &str = "
-- 6: follow-up records of households (plans, referrals, visits, exits):
-- the latest version of each with its owner, flag and approved version,
-- and every version's sealed bytes. Operations go through `ops` as forms do.
CREATE TABLE followup_records (
    record_id BLOB PRIMARY KEY,
    kind TEXT NOT NULL,
    household_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    device_id BLOB NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0,
    approved_version INTEGER,
    approved_by TEXT,
    updated_at INTEGER NOT NULL);
CREATE INDEX followup_records_household ON followup_records(household_id);
CREATE TABLE followup_versions (
    record_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    device_id BLOB NOT NULL,
    op_id BLOB NOT NULL,
    sealed BLOB NOT NULL,
    flagged INTEGER NOT NULL,
    received_at INTEGER NOT NULL);
CREATE INDEX followup_versions_record ON followup_versions(record_id, version);
";

const COLUMNS: &str =
    "record_id, kind, household_id, version, device_id, flagged, approved_version, approved_by, updated_at";

fn kind(s: String) -> rusqlite::Result<RecordKind> {
    RecordKind::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            "unknown record kind".into(),
        )
    })
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordRow> {
    Ok(RecordRow {
        record_id: uuid(r.get(0)?)?,
        kind: kind(r.get(1)?)?,
        household_id: uuid(r.get(2)?)?,
        version: r.get(3)?,
        device_id: uuid(r.get(4)?)?,
        flagged: r.get(5)?,
        approved_version: r.get(6)?,
        approved_by: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

fn get(c: &Connection, id: Uuid) -> Result<Option<RecordRow>> {
    Ok(c.query_row(
        &format!("SELECT {COLUMNS} FROM followup_records WHERE record_id = ?1"),
        [id.as_bytes()],
        row,
    )
    .optional()?)
}

/// One record inside the batch transaction.
pub(super) fn apply_one(
    tx: &Transaction<'_>,
    device: Uuid,
    op: &IncomingRecord,
    now: i64,
) -> Result<OpOutcome> {
    let Ok(device_seq) = seq_i64(op.device_seq, "device sequence") else {
        return Ok(OpOutcome::Rejected(codes::OUT_OF_RANGE));
    };
    // The ledger forms use: a sequence number is spent once, whatever it
    // carried.
    if let Some(outcome) = super::ledger::seen(tx, device, device_seq, op.op_id, &op.blob_hash)? {
        return Ok(outcome);
    }
    let (r, flagged) = match record_change(get(tx, op.record_id)?, op, device, now) {
        RecordChange::Store { row, flagged } => (row, flagged),
        RecordChange::Refused(code) => {
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, 'device', 'record_version_refused', ?2)",
                params![now, format!("record {} version {} from device {device}", op.record_id, op.version)],
            )?;
            return Ok(OpOutcome::Rejected(code));
        }
    };
    tx.execute(
        "INSERT INTO followup_records (record_id, kind, household_id, version, device_id, flagged,
                                       approved_version, approved_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(record_id) DO UPDATE SET version = excluded.version,
           flagged = excluded.flagged, updated_at = excluded.updated_at",
        params![
            r.record_id.as_bytes(),
            r.kind.code(),
            r.household_id.as_bytes(),
            r.version,
            r.device_id.as_bytes(),
            r.flagged,
            r.approved_version,
            r.approved_by,
            r.updated_at
        ],
    )?;
    tx.execute(
        "INSERT INTO followup_versions (record_id, version, device_id, op_id, sealed, flagged, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            op.record_id.as_bytes(),
            op.version,
            device.as_bytes(),
            op.op_id.as_bytes(),
            op.blob,
            flagged,
            now
        ],
    )?;
    super::ledger::stored(
        tx,
        device,
        device_seq,
        op.op_id,
        &op.blob_hash,
        flagged,
        now,
    )?;
    Ok(OpOutcome::Stored { flagged })
}

pub(super) fn list(
    c: &Connection,
    kind: Option<RecordKind>,
    household: Option<Uuid>,
) -> Result<Vec<RecordRow>> {
    let mut stmt = c.prepare(&format!(
        "SELECT {COLUMNS} FROM followup_records
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR household_id = ?2)
         ORDER BY updated_at DESC, record_id"
    ))?;
    let rows = stmt.query_map(
        params![
            kind.map(RecordKind::code),
            household.as_ref().map(|h| &h.as_bytes()[..])
        ],
        row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn one(c: &Connection, id: Uuid) -> Result<Option<(RecordRow, Vec<u8>)>> {
    let Some(r) = get(c, id)? else {
        return Ok(None);
    };
    let sealed: Vec<u8> = c
        .query_row(
            "SELECT sealed FROM followup_versions WHERE record_id = ?1 AND version = ?2
             ORDER BY received_at LIMIT 1",
            params![id.as_bytes(), r.version],
            |x| x.get(0),
        )
        .optional()?
        .ok_or_else(|| StorageError::Corrupt("record without its version".into()))?;
    Ok(Some((r, sealed)))
}

pub(super) fn approve(
    tx: &Transaction<'_>,
    id: Uuid,
    version: u32,
    by: &str,
    now: i64,
) -> Result<RecordRow> {
    let mut r = get(tx, id)?
        .filter(|r| r.kind == RecordKind::Plan)
        .ok_or(StorageError::NotFound)?;
    if r.version != version {
        return Err(StorageError::Conflict(
            "a newer version of the plan arrived: open it again",
        ));
    }
    r.approved_version = Some(version);
    r.approved_by = Some(by.to_string());
    r.flagged = false;
    r.updated_at = now;
    tx.execute(
        "UPDATE followup_records SET approved_version = ?1, approved_by = ?2, flagged = 0,
           updated_at = ?3 WHERE record_id = ?4",
        params![version, by, now, id.as_bytes()],
    )?;
    tx.execute(
        "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, 'plan_approved', ?3)",
        params![now, by, format!("plan {id} version {version}")],
    )?;
    Ok(r)
}
