//! Store failures as typed values that say what went wrong, never with whom.

use crate::crypto::{CryptoError, VaultError};
use crate::validate::Problems;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The vault refused the passphrase (software vault).
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("wrong PIN ({remaining_attempts} attempts left before lock-out)")]
    WrongPin { remaining_attempts: u32 },
    #[error("too many wrong PINs: try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("locked out after too many wrong PINs: a supervisor must reset the PIN")]
    LockedOut,
    /// No staff member is unlocked, or the store locked itself after idling.
    #[error("the store is locked: unlock with a staff PIN")]
    Locked,
    #[error("this action needs a supervisor")]
    NotSupervisor,
    #[error("no such staff member")]
    UnknownStaff,
    #[error("PIN must be 4 to 8 digits")]
    BadPin,
    #[error("no such household or version")]
    NotFound,
    /// Finalized versions never change; start a correction instead.
    #[error("this version is finalized and cannot change")]
    Immutable,
    /// The draft still has a newer version than the one being corrected, or a
    /// correction was asked of a draft.
    #[error("the household is not in a state that allows this: {0}")]
    WrongState(&'static str),
    #[error("the form has {} problem(s)", .0.len())]
    Invalid(Problems),
    /// A follow-up record (plan, referral, visit, exit) has problems; each
    /// names its field, never its value.
    #[error("the record has {0}")]
    FollowUp(crate::followup::Invalid),
    #[error("{table} record was moved from another row")]
    RecordMoved { table: &'static str },
    #[error("{table} record was altered (authentication failed)")]
    RecordTampered { table: &'static str },
    #[error("{table} record is truncated")]
    RecordTruncated { table: &'static str },
    #[error("{table} record has an unknown format")]
    RecordFormat { table: &'static str },
    #[error("audit trail broken at entry {seq}")]
    AuditBroken { seq: i64 },
    #[error("outbox entry {0} already has sealed bytes")]
    AlreadySealed(i64),
    /// A sequence number (from the registry, a receipt) beyond what the
    /// device stores; refused before anything is written.
    #[error("{0} out of range")]
    OutOfRange(&'static str),
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("key vault: {0}")]
    Vault(VaultError),
    #[error("crypto: {0}")]
    Crypto(CryptoError),
    #[error("stored record cannot be read: {0}")]
    Encoding(String),
}

impl From<VaultError> for StoreError {
    fn from(e: VaultError) -> StoreError {
        match e {
            VaultError::WrongPassphrase => StoreError::WrongPassphrase,
            other => StoreError::Vault(other),
        }
    }
}

impl StoreError {
    /// The error for a record of `table` that failed to open.
    pub(crate) fn record(table: &'static str, e: CryptoError) -> StoreError {
        match e {
            CryptoError::WrongRecord => StoreError::RecordMoved { table },
            CryptoError::Tampered => StoreError::RecordTampered { table },
            CryptoError::Truncated => StoreError::RecordTruncated { table },
            CryptoError::UnsupportedFormat(_) => StoreError::RecordFormat { table },
            other => StoreError::Crypto(other),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
