//! Sync failures, and the stable error codes the registry answers with.
//!
//! Codes are part of the protocol (docs/sync-protocol.md): the device, the
//! bindings and supervisors' tools match on them, so they never change
//! meaning. No error carries personal data: forms are sealed, and messages
//! name operations by sequence number only.

use super::tls::TlsError;
use crate::crypto::CryptoError;
use crate::store::StoreError;
use thiserror::Error;

/// The registry's error codes.
pub mod codes {
    pub const BAD_REQUEST: &str = "bad_request";
    pub const BAD_SIGNATURE: &str = "bad_signature";
    pub const UNKNOWN_DEVICE: &str = "unknown_device";
    pub const REVOKED: &str = "revoked";
    pub const REPLAYED: &str = "replayed";
    pub const BAD_CODE: &str = "bad_enrolment_code";
    pub const TAMPERED: &str = "tampered";
    pub const WRONG_DEVICE: &str = "wrong_device";
    pub const SEQ_CONFLICT: &str = "seq_conflict";
    pub const UNSUPPORTED: &str = "unsupported";
    pub const NOT_FOUND: &str = "not_found";
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// A supervisor asked for what only a national supervisor may do.
    pub const FORBIDDEN: &str = "forbidden";
    pub const CONFLICT: &str = "conflict";
    pub const INVALID_FORM: &str = "invalid_form";
    pub const INTERNAL: &str = "internal";
    /// A bundle made for another registry.
    pub const WRONG_REGISTRY: &str = "wrong_registry";
    /// A version of a case pushed by a device other than the case's own.
    pub const NOT_CASE_OWNER: &str = "not_case_owner";
    /// A number the registry cannot hold (a sequence above 2^63 - 1).
    pub const OUT_OF_RANGE: &str = "out_of_range";
    /// A request body over the route's limit (HTTP 413).
    pub const TOO_LARGE: &str = "too_large";
    /// Too many failed logins or enrolments from this name or address:
    /// wait for the answer's `Retry-After` seconds.
    pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";
    /// The registry is at its limit for this kind of request: try later.
    pub const BUSY: &str = "busy";
    /// The registry's database does not answer (`/healthz`).
    pub const UNAVAILABLE: &str = "unavailable";
}

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this device has not enrolled with a registry")]
    NotEnrolled,
    /// The link failed (connect, timeout, cut) on every attempt.
    #[error("network: {0}")]
    Network(String),
    /// The registry refused the request; `code` is one of [`codes`].
    #[error("registry refused the request ({status}): {code}")]
    Registry {
        status: u16,
        code: String,
        message: String,
    },
    /// The registry has seen higher request numbers from this device (it was
    /// restored from a backup); the client resumes above that number and retries.
    #[error("request numbering is behind the registry's (last seen {0})")]
    SeqBehind(u64),
    #[error("sync was cancelled")]
    Cancelled,
    /// The registry answered something this device cannot read.
    #[error("protocol: {0}")]
    Protocol(String),
    /// The transport was refused: a certificate that matches no pin, plain
    /// http to a host that is not loopback, no pins for an https registry.
    #[error("transport: {0}")]
    Tls(#[from] TlsError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
    /// A bundle or receipt file that cannot be used.
    #[error("{0}")]
    Bundle(#[from] super::bundle::BundleError),
}

impl SyncError {
    /// The registry's code, if the registry refused.
    pub fn code(&self) -> Option<&str> {
        match self {
            SyncError::Registry { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Worth retrying later (network trouble, a registry restarting).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network(_) => true,
            SyncError::Registry { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}
