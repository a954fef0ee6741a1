//! The transactional outbox: what must reach the registry, in order, exactly once.
//!
//! Finalizing a form writes the form and its outbox operation in one transaction,
//! so a crash can never leave a final form that will not be sent, nor an
//! operation without its form. The sync client seals each operation to the
//! registry once and stores those exact bytes here; every retry resends them
//! unchanged, which is what lets the registry recognise a duplicate. A rejected
//! operation is marked and never blocks the ones after it.

use super::error::{Result, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One operation waiting for (or done with) the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxOp {
    /// Strictly increasing per device: the registry's exactly-once key.
    pub device_seq: i64,
    pub op_id: Uuid,
    pub entity: String,
    pub entity_id: Uuid,
    pub version: u32,
    /// The version this one corrects, if any.
    pub base_version: Option<u32>,
    pub state: OutboxState,
    pub attempts: u32,
    /// The sealed bytes, once the sync client has sealed them.
    pub sealed: Option<Vec<u8>>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Acked,
    Rejected,
}

impl OutboxState {
    fn parse(s: &str) -> OutboxState {
        match s {
            "acked" => OutboxState::Acked,
            "rejected" => OutboxState::Rejected,
            _ => OutboxState::Pending,
        }
    }
}

/// How many operations are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCounts {
    pub pending: u64,
    pub acked: u64,
    pub rejected: u64,
}

pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    entity: &str,
    entity_id: Uuid,
    version: u32,
    base_version: Option<u32>,
) -> Result<i64> {
    // One finalized version is one operation: its id is derived from the
    // household and version, so the sealed header can leave it out (format 2).
    let op_id = crate::crypto::seal::derived_op_id(entity_id, version);
    tx.execute(
        "INSERT INTO outbox (op_id, entity, entity_id, version, base_version)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            op_id.as_bytes(),
            entity,
            entity_id.as_bytes(),
            version,
            base_version
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn uuid(b: Vec<u8>) -> rusqlite::Result<Uuid> {
    Uuid::from_slice(&b).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })
}

const COLUMNS: &str = "device_seq, op_id, entity, entity_id, version, base_version, state, attempts, sealed, last_error";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxOp> {
    let state: String = r.get(6)?;
    Ok(OutboxOp {
        device_seq: r.get(0)?,
        op_id: uuid(r.get(1)?)?,
        entity: r.get(2)?,
        entity_id: uuid(r.get(3)?)?,
        version: r.get(4)?,
        base_version: r.get(5)?,
        state: OutboxState::parse(&state),
        attempts: r.get(7)?,
        sealed: r.get(8)?,
        last_error: r.get(9)?,
    })
}

pub(crate) fn pending(conn: &Connection, limit: usize) -> Result<Vec<OutboxOp>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE state = 'pending' ORDER BY device_seq LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit as i64], row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub(crate) fn get(conn: &Connection, device_seq: i64) -> Result<OutboxOp> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM outbox WHERE device_seq = ?1"),
        [device_seq],
        row,
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

pub(crate) fn set_sealed(tx: &Transaction<'_>, device_seq: i64, sealed: &[u8]) -> Result<()> {
    let n = tx.execute(
        "UPDATE outbox SET sealed = ?1 WHERE device_seq = ?2 AND sealed IS NULL",
        params![sealed, device_seq],
    )?;
    if n == 0 {
        get(tx, device_seq)?;
        return Err(StoreError::AlreadySealed(device_seq));
    }
    Ok(())
}

pub(crate) fn mark(
    tx: &Transaction<'_>,
    device_seq: i64,
    state: OutboxState,
    error_code: Option<&str>,
) -> Result<()> {
    let state = match state {
        OutboxState::Pending => "pending",
        OutboxState::Acked => "acked",
        OutboxState::Rejected => "rejected",
    };
    let n = tx.execute(
        "UPDATE outbox SET state = ?1, last_error = ?2, attempts = attempts + 1
         WHERE device_seq = ?3",
        params![state, error_code, device_seq],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) fn counts(conn: &Connection) -> Result<OutboxCounts> {
    let mut c = OutboxCounts::default();
    let mut stmt = conn.prepare("SELECT state, count(*) FROM outbox GROUP BY state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
    for r in rows {
        let (state, n) = r?;
        match OutboxState::parse(&state) {
            OutboxState::Pending => c.pending = n,
            OutboxState::Acked => c.acked = n,
            OutboxState::Rejected => c.rejected = n,
        }
    }
    Ok(c)
}

/// Whether any operation for `entity_id` has not been acknowledged.
pub(crate) fn has_unacked(conn: &Connection, entity_id: Uuid) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1 AND state != 'acked')",
        [entity_id.as_bytes()],
        |r| r.get(0),
    )?)
}
