//! Staff accounts on a shared device: PINs, attempt limits, lock-out, roles.
//!
//! A mobile centre's phone passes between staff. Each unlocks with their own PIN
//! so the audit trail says who did what. Wrong PINs are limited: the first
//! [`FREE_ATTEMPTS`] cost nothing, then each further attempt waits a doubling
//! delay (from [`BASE_DELAY_SECS`]), and after [`MAX_ATTEMPTS`] the account is
//! locked out until a supervisor resets its PIN. Counters are stored, so a
//! restart does not reset them. Display names are sealed like any personal data.

use super::audit::{self, AuditAction};
use super::error::{Result, StoreError};
use super::keys::Keys;
use crate::crypto::pin::{make_verifier, verify, PinVerifier};
use crate::crypto::{open_record, seal_record, RecordAad};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Wrong PINs allowed before delays start.
pub const FREE_ATTEMPTS: u32 = 3;
/// Wrong PINs before lock-out.
pub const MAX_ATTEMPTS: u32 = 10;
/// The first delay; each further wrong PIN doubles it.
pub const BASE_DELAY_SECS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Field staff: intake, pre-check, finalize.
    Field,
    /// Supervisor: also adds staff and resets PINs.
    Supervisor,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Field => "field",
            Role::Supervisor => "supervisor",
        }
    }

    fn parse(s: &str) -> Role {
        if s == "supervisor" {
            Role::Supervisor
        } else {
            Role::Field
        }
    }
}

/// A staff member as the app lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: Uuid,
    pub role: Role,
    pub display_name: String,
    pub locked_out: bool,
}

fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(StoreError::BadPin)
    }
}

fn name_aad(id: &Uuid) -> RecordAad<'_> {
    RecordAad {
        table: "staff",
        record_id: id.as_bytes(),
        version: 0,
    }
}

fn verifier_bytes(v: &PinVerifier) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| StoreError::Encoding(e.to_string()))
}

pub(crate) fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?)
}

pub(crate) fn role_of(conn: &Connection, id: Uuid) -> Result<Role> {
    let role: String = conn
        .query_row(
            "SELECT role FROM staff WHERE id = ?1",
            [id.as_bytes()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::UnknownStaff)?;
    Ok(Role::parse(&role))
}

pub(crate) fn add(
    tx: &Transaction<'_>,
    keys: &Keys,
    role: Role,
    display_name: &str,
    pin: &str,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    check_pin_format(pin)?;
    let id = Uuid::new_v4();
    let sealed = seal_record(&keys.staff_names, name_aad(&id), display_name.as_bytes())
        .map_err(StoreError::Crypto)?;
    let verifier = make_verifier(&keys.pepper, pin).map_err(StoreError::Crypto)?;
    tx.execute(
        "INSERT INTO staff (id, role, name_sealed, pin) VALUES (?1, ?2, ?3, ?4)",
        params![
            id.as_bytes(),
            role.as_str(),
            sealed,
            verifier_bytes(&verifier)?
        ],
    )?;
    audit::append(
        tx,
        &keys.audit,
        now,
        by.or(Some(id)),
        None,
        AuditAction::StaffAdded,
    )?;
    Ok(id)
}

pub(crate) fn list(conn: &Connection, keys: &Keys) -> Result<Vec<StaffMember>> {
    let mut stmt = conn.prepare("SELECT id, role, name_sealed, locked_out FROM staff")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, role, sealed, locked_out) = row?;
        let id = Uuid::from_slice(&id).map_err(|e| StoreError::Encoding(e.to_string()))?;
        let name = open_record(&keys.staff_names, name_aad(&id), &sealed)
            .map_err(|e| StoreError::record("staff", e))?;
        out.push(StaffMember {
            id,
            role: Role::parse(&role),
            display_name: String::from_utf8_lossy(&name).into_owned(),
            locked_out,
        });
    }
    Ok(out)
}

/// One unlock attempt. Counter changes are committed whatever the outcome.
pub(crate) fn unlock(
    conn: &mut Connection,
    keys: &Keys,
    id: Uuid,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<Role> {
    let outcome = super::db::write(conn, |tx| {
        let row: Option<(String, Vec<u8>, u32, i64, bool)> = tx
            .query_row(
                "SELECT role, pin, failed, retry_after, locked_out FROM staff WHERE id = ?1",
                [id.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (role, pin_bytes, failed, retry_after, locked_out) =
            row.ok_or(StoreError::UnknownStaff)?;
        if locked_out {
            return Ok(Err(StoreError::LockedOut));
        }
        let now_secs = now.timestamp();
        if now_secs < retry_after {
            return Ok(Err(StoreError::TooManyAttempts {
                retry_after_secs: (retry_after - now_secs) as u64,
            }));
        }
        let verifier: PinVerifier =
            serde_json::from_slice(&pin_bytes).map_err(|e| StoreError::Encoding(e.to_string()))?;
        if verify(&keys.pepper, &verifier, pin) {
            tx.execute(
                "UPDATE staff SET failed = 0, retry_after = 0 WHERE id = ?1",
                [id.as_bytes()],
            )?;
            audit::append(tx, &keys.audit, now, Some(id), None, AuditAction::Unlock)?;
            return Ok(Ok(Role::parse(&role)));
        }
        let failed = failed + 1;
        let lock = failed >= MAX_ATTEMPTS;
        let retry_after = if failed >= FREE_ATTEMPTS && !lock {
            now_secs + BASE_DELAY_SECS * (1i64 << (failed - FREE_ATTEMPTS).min(20))
        } else {
            0
        };
        tx.execute(
            "UPDATE staff SET failed = ?1, retry_after = ?2, locked_out = ?3 WHERE id = ?4",
            params![failed, retry_after, lock, id.as_bytes()],
        )?;
        audit::append(
            tx,
            &keys.audit,
            now,
            Some(id),
            None,
            AuditAction::UnlockFailed,
        )?;
        Ok(Err(if lock {
            StoreError::LockedOut
        } else {
            StoreError::WrongPin {
                remaining_attempts: MAX_ATTEMPTS - failed,
            }
        }))
    })?;
    outcome
}

/// A supervisor sets a new PIN and clears the counters and lock-out.
pub(crate) fn reset(
    tx: &Transaction<'_>,
    keys: &Keys,
    id: Uuid,
    new_pin: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    check_pin_format(new_pin)?;
    let verifier = make_verifier(&keys.pepper, new_pin).map_err(StoreError::Crypto)?;
    let n = tx.execute(
        "UPDATE staff SET pin = ?1, failed = 0, retry_after = 0, locked_out = 0 WHERE id = ?2",
        params![verifier_bytes(&verifier)?, id.as_bytes()],
    )?;
    if n == 0 {
        return Err(StoreError::UnknownStaff);
    }
    audit::append(
        tx,
        &keys.audit,
        now,
        Some(by),
        None,
        AuditAction::StaffReset,
    )
}
