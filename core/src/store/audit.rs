//! The audit trail: who did what to which household, and when, tamper-evident.
//!
//! Each entry's MAC covers the previous entry's MAC, so altering, removing or
//! reordering entries breaks the chain at that point; a MAC of the head (the last
//! sequence number and MAC) kept in `meta` catches entries cut from the end. The
//! MAC key derives from the store's meta root, so the chain cannot be recomputed
//! from the file alone. Entries hold ids and actions only, never personal data.
//! Each entry is written in the transaction of the action it records.

use super::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use ring::hmac;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    View,
    Edit,
    Finalize,
    Correct,
    Export,
    Forget,
    Unlock,
    UnlockFailed,
    StaffAdded,
    StaffReset,
    /// The device enrolled with a registry.
    Enrol,
    /// Forgotten automatically after the registry acknowledged it and the
    /// retention period passed.
    Retention,
    /// A follow-up record (plan, referral, visit, exit) of the household
    /// was created, edited, revised or finalized (signed, recorded).
    RecordCreate,
    RecordEdit,
    RecordRevise,
    RecordFinalize,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::View => "view",
            AuditAction::Edit => "edit",
            AuditAction::Finalize => "finalize",
            AuditAction::Correct => "correct",
            AuditAction::Export => "export",
            AuditAction::Forget => "forget",
            AuditAction::Unlock => "unlock",
            AuditAction::UnlockFailed => "unlock_failed",
            AuditAction::StaffAdded => "staff_added",
            AuditAction::StaffReset => "staff_reset",
            AuditAction::Enrol => "enrol",
            AuditAction::Retention => "retention",
            AuditAction::RecordCreate => "record_create",
            AuditAction::RecordEdit => "record_edit",
            AuditAction::RecordRevise => "record_revise",
            AuditAction::RecordFinalize => "record_finalize",
        }
    }

    fn parse(s: &str) -> Option<AuditAction> {
        [
            AuditAction::Create,
            AuditAction::View,
            AuditAction::Edit,
            AuditAction::Finalize,
            AuditAction::Correct,
            AuditAction::Export,
            AuditAction::Forget,
            AuditAction::Unlock,
            AuditAction::UnlockFailed,
            AuditAction::StaffAdded,
            AuditAction::StaffReset,
            AuditAction::Enrol,
            AuditAction::Retention,
            AuditAction::RecordCreate,
            AuditAction::RecordEdit,
            AuditAction::RecordRevise,
            AuditAction::RecordFinalize,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The staff member (the subject, for unlock attempts and staff changes).
    pub staff_id: Option<Uuid>,
    pub household_id: Option<Uuid>,
    pub action: AuditAction,
}

fn mac(key: &hmac::Key, prev: &[u8], e: &AuditEntry) -> hmac::Tag {
    let mut ctx = hmac::Context::with_key(key);
    ctx.update(prev);
    ctx.update(&e.seq.to_be_bytes());
    ctx.update(&e.at.timestamp_micros().to_be_bytes());
    ctx.update(e.staff_id.unwrap_or_default().as_bytes());
    ctx.update(e.household_id.unwrap_or_default().as_bytes());
    ctx.update(e.action.as_str().as_bytes());
    ctx.sign()
}

fn head_mac(key: &hmac::Key, seq: i64, last: &[u8]) -> hmac::Tag {
    let mut ctx = hmac::Context::with_key(key);
    ctx.update(b"komek/audit/head");
    ctx.update(&seq.to_be_bytes());
    ctx.update(last);
    ctx.sign()
}

/// Append an entry in `tx` (the transaction of the action it records).
pub(crate) fn append(
    tx: &Transaction<'_>,
    key: &hmac::Key,
    at: DateTime<Utc>,
    staff_id: Option<Uuid>,
    household_id: Option<Uuid>,
    action: AuditAction,
) -> Result<()> {
    let (prev_seq, prev_mac): (i64, Vec<u8>) = tx
        .query_row(
            "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, vec![0u8; 32]));
    let entry = AuditEntry {
        seq: prev_seq + 1,
        at,
        staff_id,
        household_id,
        action,
    };
    let tag = mac(key, &prev_mac, &entry);
    tx.execute(
        "INSERT INTO audit (seq, at, staff_id, household_id, action, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entry.seq,
            entry.at.timestamp_micros(),
            staff_id.map(|u| u.as_bytes().to_vec()),
            household_id.map(|u| u.as_bytes().to_vec()),
            action.as_str(),
            tag.as_ref()
        ],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [head_mac(key, entry.seq, tag.as_ref()).as_ref()],
    )?;
    Ok(())
}

fn uuid_col(v: Option<Vec<u8>>) -> Option<Uuid> {
    v.and_then(|b| Uuid::from_slice(&b).ok())
}

/// Every entry in order, with its stored MAC.
fn rows(conn: &Connection) -> Result<Vec<(AuditEntry, Vec<u8>, String)>> {
    let mut stmt = conn
        .prepare("SELECT seq, at, staff_id, household_id, action, mac FROM audit ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        let action: String = r.get(4)?;
        let at: i64 = r.get(1)?;
        Ok((
            AuditEntry {
                seq: r.get(0)?,
                at: DateTime::from_timestamp_micros(at).unwrap_or_default(),
                staff_id: uuid_col(r.get(2)?),
                household_id: uuid_col(r.get(3)?),
                action: AuditAction::parse(&action).unwrap_or(AuditAction::View),
            },
            r.get(5)?,
            action,
        ))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The whole trail, oldest first.
pub(crate) fn entries(conn: &Connection) -> Result<Vec<AuditEntry>> {
    Ok(rows(conn)?.into_iter().map(|(e, _, _)| e).collect())
}

/// Check the chain; the number of entries when intact, else the first broken
/// link as [`StoreError::AuditBroken`].
pub(crate) fn verify(conn: &Connection, key: &hmac::Key) -> Result<usize> {
    let mut prev = vec![0u8; 32];
    let mut count = 0usize;
    for (i, (entry, stored, action_text)) in rows(conn)?.into_iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if entry.seq != expected_seq || AuditAction::parse(&action_text).is_none() {
            return Err(StoreError::AuditBroken { seq: expected_seq });
        }
        let tag = mac(key, &prev, &entry);
        if tag.as_ref() != stored.as_slice() {
            return Err(StoreError::AuditBroken { seq: entry.seq });
        }
        prev = stored;
        count += 1;
    }
    let head: Option<Vec<u8>> = conn
        .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let expected_head = (count > 0).then(|| head_mac(key, count as i64, &prev));
    match (head, expected_head) {
        (None, None) => Ok(count),
        (Some(h), Some(e)) if h == e.as_ref() => Ok(count),
        _ => Err(StoreError::AuditBroken {
            seq: count as i64 + 1,
        }),
    }
}
