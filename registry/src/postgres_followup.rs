//! PostgreSQL storage of follow-up records (`crate::followup`): the
//! statements behind the `Storage` methods of the same names, as the SQLite
//! backend runs them (`sqlite_followup.rs`). Tables: migration 2 here (the
//! SQLite file's 6; renumber when merging after another migration).

use super::{audit_entry, corrupt, seq_param, version, TxResult};
use crate::followup::{record_change, IncomingRecord, RecordChange, RecordRow};
use crate::storage::{OpOutcome, Result, StorageError};
use komek_core::followup::RecordKind;
use komek_core::sync::codes;
use postgres::{GenericClient, Row, Transaction};
use uuid::Uuid;

pub(super) const MIGRATION: &str = "
-- Follow-up records of households (plans, referrals, visits, exits): the
-- latest version of each with its owner, flag and approved version, and
-- every version's sealed bytes. Operations go through `ops` as forms do.
CREATE TABLE followup_records (
    record_id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    household_id UUID NOT NULL,
    version BIGINT NOT NULL,
    device_id UUID NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    approved_version BIGINT,
    approved_by TEXT,
    updated_at BIGINT NOT NULL);
CREATE INDEX followup_records_household ON followup_records(household_id);
CREATE INDEX followup_records_updated ON followup_records(updated_at, record_id);
CREATE TABLE followup_versions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id UUID NOT NULL,
    version BIGINT NOT NULL,
    device_id UUID NOT NULL,
    op_id UUID NOT NULL,
    sealed BYTEA NOT NULL,
    flagged BOOLEAN NOT NULL,
    received_at BIGINT NOT NULL);
CREATE INDEX followup_versions_record ON followup_versions(record_id, version);
";

const COLUMNS: &str =
    "record_id, kind, household_id, version, device_id, flagged, approved_version, approved_by, updated_at";

fn row(r: &Row) -> Result<RecordRow> {
    let kind: String = r.try_get(1)?;
    let approved: Option<i64> = r.try_get(6)?;
    Ok(RecordRow {
        record_id: r.try_get(0)?,
        kind: RecordKind::parse(&kind).ok_or_else(|| corrupt("unknown record kind"))?,
        household_id: r.try_get(2)?,
        version: version(r.try_get(3)?)?,
        device_id: r.try_get(4)?,
        flagged: r.try_get(5)?,
        approved_version: approved.map(version).transpose()?,
        approved_by: r.try_get(7)?,
        updated_at: r.try_get(8)?,
    })
}

fn get(c: &mut impl GenericClient, id: Uuid, lock: bool) -> Result<Option<RecordRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM followup_records WHERE record_id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    match c.query_opt(&sql, &[&id])? {
        Some(r) => Ok(Some(row(&r)?)),
        None => Ok(None),
    }
}

/// One record inside the batch transaction (the device's row is locked by
/// the caller, as for forms).
pub(super) fn apply_one(
    tx: &mut Transaction<'_>,
    device: Uuid,
    op: &IncomingRecord,
    now: i64,
) -> TxResult<OpOutcome> {
    let Ok(seq) = seq_param(op.device_seq, "device sequence") else {
        return Ok(OpOutcome::Rejected(codes::OUT_OF_RANGE));
    };
    // The ledger forms use: a sequence number is spent once, whatever it
    // carried.
    if let Some(outcome) = super::ledger::seen(tx, device, seq, op.op_id, &op.blob_hash)? {
        return Ok(outcome);
    }
    let existing = get(tx, op.record_id, true)?;
    let is_new = existing.is_none();
    let (r, flagged) = match record_change(existing, op, device, now) {
        RecordChange::Store { row, flagged } => (row, flagged),
        RecordChange::Refused(code) => {
            audit_entry(
                tx,
                now,
                "device",
                "record_version_refused",
                Some(&format!(
                    "record {} version {} from device {device}",
                    op.record_id, op.version
                )),
            )?;
            return Ok(OpOutcome::Rejected(code));
        }
    };
    // A new record is a plain insert: a concurrent insert fails this one,
    // which runs again and then sees (and locks) that row.
    if is_new {
        tx.execute(
            "INSERT INTO followup_records (record_id, kind, household_id, version, device_id,
                                           flagged, approved_version, approved_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7)",
            &[
                &r.record_id,
                &r.kind.code(),
                &r.household_id,
                &i64::from(r.version),
                &r.device_id,
                &r.flagged,
                &r.updated_at,
            ],
        )?;
    } else {
        tx.execute(
            "UPDATE followup_records SET version = $2, flagged = $3, updated_at = $4
             WHERE record_id = $1",
            &[
                &r.record_id,
                &i64::from(r.version),
                &r.flagged,
                &r.updated_at,
            ],
        )?;
    }
    tx.execute(
        "INSERT INTO followup_versions (record_id, version, device_id, op_id, sealed, flagged, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &op.record_id,
            &i64::from(op.version),
            &device,
            &op.op_id,
            &op.blob,
            &flagged,
            &now,
        ],
    )?;
    super::ledger::stored(tx, device, seq, op.op_id, &op.blob_hash, flagged, now)?;
    Ok(OpOutcome::Stored { flagged })
}

pub(super) fn list(
    c: &mut postgres::Client,
    kind: Option<RecordKind>,
    household: Option<Uuid>,
) -> Result<Vec<RecordRow>> {
    let kind = kind.map(RecordKind::code);
    let rows = c.query(
        &format!(
            "SELECT {COLUMNS} FROM followup_records
             WHERE ($1::TEXT IS NULL OR kind = $1) AND ($2::UUID IS NULL OR household_id = $2)
             ORDER BY updated_at DESC, record_id"
        ),
        &[&kind, &household],
    )?;
    rows.iter().map(row).collect()
}

pub(super) fn one(c: &mut postgres::Client, id: Uuid) -> Result<Option<(RecordRow, Vec<u8>)>> {
    let Some(r) = get(c, id, false)? else {
        return Ok(None);
    };
    let sealed: Vec<u8> = c
        .query_opt(
            "SELECT sealed FROM followup_versions WHERE record_id = $1 AND version = $2
             ORDER BY id LIMIT 1",
            &[&id, &i64::from(r.version)],
        )?
        .ok_or_else(|| corrupt("record without its version"))?
        .try_get(0)?;
    Ok(Some((r, sealed)))
}

pub(super) fn approve(
    tx: &mut Transaction<'_>,
    id: Uuid,
    version: u32,
    by: &str,
    now: i64,
) -> TxResult<RecordRow> {
    let mut r = get(tx, id, true)?
        .filter(|r| r.kind == RecordKind::Plan)
        .ok_or(StorageError::NotFound)?;
    if r.version != version {
        return Err(
            StorageError::Conflict("a newer version of the plan arrived: open it again").into(),
        );
    }
    r.approved_version = Some(version);
    r.approved_by = Some(by.to_string());
    r.flagged = false;
    r.updated_at = now;
    tx.execute(
        "UPDATE followup_records SET approved_version = $2, approved_by = $3, flagged = FALSE,
           updated_at = $4 WHERE record_id = $1",
        &[&id, &i64::from(version), &by, &now],
    )?;
    audit_entry(
        tx,
        now,
        by,
        "plan_approved",
        Some(&format!("plan {id} version {version}")),
    )?;
    Ok(r)
}
