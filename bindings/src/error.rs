//! The one error type apps see, and the one place core errors become it.
//!
//! Each variant is a stable code (Kotlin `KomekException.WrongPin`, Swift
//! `KomekError.WrongPin`); `reason` is English text that is safe to show and to
//! log: it never holds names, IINs, addresses, dates of birth or amounts. Apps
//! localize by the variant, not by the text.
//!
//! The enum is flat (no nested error types) but not a UniFFI `flat_error`: a
//! flat error can only travel from Rust to Kotlin/Swift, and the platform
//! [`crate::KeyVault`] must be able to throw it the other way (an Android
//! Keystore key invalidated, a Keychain item missing). So every variant carries
//! its `reason` as a field, and the two that apps act on carry typed numbers.
//! `docs/adr/0002-ffi-error-crosses-both-ways.md` explains the choice.

use komek_core::crypto::VaultError;
use komek_core::rules::{PackError, PackFormatError};
use komek_core::store::StoreError;
use komek_core::sync::SyncError;

/// Errors of the Komek API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KomekError {
    /// An argument is malformed: a date, month or UUID string, a number out of range.
    #[error("{reason}")]
    InvalidInput { reason: String },
    /// The form has validation errors; nothing was written. Call
    /// `KomekStore.validate` for the typed problems (the reason lists only
    /// field paths and message ids).
    #[error("{reason}")]
    InvalidForm { reason: String },
    /// A PIN is not 4 to 8 digits.
    #[error("{reason}")]
    BadPin { reason: String },
    /// Wrong PIN; `remaining_attempts` before the account is locked out.
    #[error("{reason}")]
    WrongPin {
        remaining_attempts: i32,
        reason: String,
    },
    /// Too many wrong PINs in a row: wait `retry_after_secs`.
    #[error("{reason}")]
    TooManyAttempts {
        retry_after_secs: i64,
        reason: String,
    },
    /// Locked out after too many wrong PINs: a supervisor must reset the PIN.
    #[error("{reason}")]
    LockedOut { reason: String },
    /// No staff member is unlocked, or the store locked itself after idling.
    #[error("{reason}")]
    Locked { reason: String },
    /// The action needs an unlocked supervisor.
    #[error("{reason}")]
    NotSupervisor { reason: String },
    /// No such staff member.
    #[error("{reason}")]
    UnknownStaff { reason: String },
    /// No such household, version or vault key.
    #[error("{reason}")]
    NotFound { reason: String },
    /// A finalized version cannot change; start a correction.
    #[error("{reason}")]
    Immutable { reason: String },
    /// The household is not in a state that allows this action.
    #[error("{reason}")]
    WrongState { reason: String },
    /// The key vault failed (keystore unavailable, user not authenticated, key
    /// invalidated, wrong passphrase). Vault implementations throw this.
    #[error("{reason}")]
    Vault { reason: String },
    /// Stored data or a wrapped key failed authentication, was moved between
    /// records or is truncated: the file was altered or damaged. Vault
    /// implementations throw this when a wrapped key does not decrypt.
    #[error("{reason}")]
    Integrity { reason: String },
    /// A rule pack was refused (unsigned, untrusted key, tampered, expired, older).
    #[error("{reason}")]
    RulePack { reason: String },
    /// The database could not be read or written (disk full, I/O).
    #[error("{reason}")]
    Storage { reason: String },
    /// A bug or an unexpected failure of a callback.
    #[error("{reason}")]
    Internal { reason: String },
    /// Sync needs an enrolled device: call `enrol` first.
    #[error("{reason}")]
    NotEnrolled { reason: String },
    /// The link failed (no route, timeout, cut) on every attempt, or the
    /// registry is temporarily unavailable. Nothing is lost: sync again later.
    #[error("{reason}")]
    Network { reason: String },
    /// The registry refused the request; `code` is its stable code
    /// (`bad_enrolment_code`, `revoked`, `unknown_device`, `bad_signature`...,
    /// docs/sync-protocol.md) and `http_status` the HTTP status. Retrying
    /// the same request will not help.
    #[error("{reason}")]
    Refused {
        code: String,
        http_status: u16,
        reason: String,
    },
    /// The sync was cancelled (`SyncCancel.cancel`, or the coroutine / task
    /// was cancelled). What the registry acknowledged stays acknowledged; the
    /// rest is sent next time.
    #[error("{reason}")]
    Cancelled { reason: String },
    /// The registry answered something this device cannot read (another
    /// protocol version, a broken proxy).
    #[error("{reason}")]
    Protocol { reason: String },
    /// No trusted connection to the registry: its certificate matches none
    /// of the pins (a man in the middle, or a rotation this device missed:
    /// enrol again), a pin is malformed, or the URL is plain `http://` to a
    /// host that is not loopback. Retrying will not help.
    #[error("{reason}")]
    Untrusted { reason: String },
}

impl KomekError {
    pub(crate) fn invalid(reason: impl Into<String>) -> KomekError {
        KomekError::InvalidInput {
            reason: reason.into(),
        }
    }

    pub(crate) fn internal(reason: impl Into<String>) -> KomekError {
        KomekError::Internal {
            reason: reason.into(),
        }
    }

    /// The stable code of the variant, in snake case (`wrong_pin`).
    pub fn code_str(&self) -> &'static str {
        match self {
            KomekError::InvalidInput { .. } => "invalid_input",
            KomekError::InvalidForm { .. } => "invalid_form",
            KomekError::BadPin { .. } => "bad_pin",
            KomekError::WrongPin { .. } => "wrong_pin",
            KomekError::TooManyAttempts { .. } => "too_many_attempts",
            KomekError::LockedOut { .. } => "locked_out",
            KomekError::Locked { .. } => "locked",
            KomekError::NotSupervisor { .. } => "not_supervisor",
            KomekError::UnknownStaff { .. } => "unknown_staff",
            KomekError::NotFound { .. } => "not_found",
            KomekError::Immutable { .. } => "immutable",
            KomekError::WrongState { .. } => "wrong_state",
            KomekError::Vault { .. } => "vault",
            KomekError::Integrity { .. } => "integrity",
            KomekError::RulePack { .. } => "rule_pack",
            KomekError::Storage { .. } => "storage",
            KomekError::Internal { .. } => "internal",
            KomekError::NotEnrolled { .. } => "not_enrolled",
            KomekError::Network { .. } => "network",
            KomekError::Refused { .. } => "refused",
            KomekError::Cancelled { .. } => "cancelled",
            KomekError::Protocol { .. } => "protocol",
            KomekError::Untrusted { .. } => "untrusted",
        }
    }
}

#[uniffi::export]
impl KomekError {
    /// The stable snake-case code of the error (`wrong_pin`), for logs and
    /// analytics; the same as the variant name.
    pub fn code(&self) -> String {
        self.code_str().to_string()
    }

    /// Whether the same call may succeed if tried again later: the link or
    /// the registry was down (`Network`), the call was cancelled (the
    /// system stopped a background sync: `Cancelled`), or the disk was busy
    /// or full (`Storage`). The one retry rule of the Android `SyncWorker`
    /// and the iOS `BackgroundSync`: retry with backoff on these, report the
    /// others (they need a person: enrol again, fix the form, update the app).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            KomekError::Network { .. } | KomekError::Cancelled { .. } | KomekError::Storage { .. }
        )
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KomekError {
    /// A callback threw something other than a `KomekError`: UniFFI gives us
    /// the exception's text. Vault exceptions carry no secrets or personal data.
    /// The sync listener's errors come through here too; they are ignored.
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> KomekError {
        log::warn!("a foreign callback failed unexpectedly");
        KomekError::Vault {
            reason: format!("key vault callback failed: {}", e.reason),
        }
    }
}

/// The one mapping point from the store's rich errors. Core error texts carry
/// no personal data (the core's own rule), so they are reused as reasons; the
/// problems of an invalid form are listed by field path and message id only.
impl From<StoreError> for KomekError {
    fn from(e: StoreError) -> KomekError {
        let reason = e.to_string();
        let mapped = match e {
            StoreError::WrongPassphrase => KomekError::Vault { reason },
            StoreError::WrongPin { remaining_attempts } => KomekError::WrongPin {
                remaining_attempts: i32::try_from(remaining_attempts).unwrap_or(i32::MAX),
                reason,
            },
            StoreError::TooManyAttempts { retry_after_secs } => KomekError::TooManyAttempts {
                retry_after_secs: crate::scalars::count(retry_after_secs),
                reason,
            },
            StoreError::LockedOut => KomekError::LockedOut { reason },
            StoreError::Locked => KomekError::Locked { reason },
            StoreError::NotSupervisor => KomekError::NotSupervisor { reason },
            StoreError::UnknownStaff => KomekError::UnknownStaff { reason },
            StoreError::BadPin => KomekError::BadPin { reason },
            StoreError::NotFound => KomekError::NotFound { reason },
            StoreError::Immutable => KomekError::Immutable { reason },
            StoreError::WrongState(_) => KomekError::WrongState { reason },
            StoreError::Invalid(problems) => {
                let list: Vec<String> = problems
                    .errors()
                    .map(|p| format!("{} {}", p.path, p.key))
                    .collect();
                KomekError::InvalidForm {
                    reason: format!("{reason}: {}", list.join("; ")),
                }
            }
            // A follow-up record's problems: field paths and reason codes
            // only (the core's `Display`), never values.
            StoreError::FollowUp(_) => KomekError::InvalidForm { reason },
            StoreError::RecordMoved { .. }
            | StoreError::RecordTampered { .. }
            | StoreError::RecordTruncated { .. }
            | StoreError::RecordFormat { .. }
            | StoreError::AuditBroken { .. } => KomekError::Integrity { reason },
            StoreError::Vault(v) => KomekError::from(v),
            StoreError::Database(_) => KomekError::Storage { reason },
            StoreError::OutOfRange(_) => KomekError::Protocol { reason },
            StoreError::Crypto(_) | StoreError::Encoding(_) | StoreError::AlreadySealed(_) => {
                KomekError::Internal { reason }
            }
        };
        match &mapped {
            KomekError::Integrity { .. }
            | KomekError::Storage { .. }
            | KomekError::Internal { .. } => {
                log::error!("store failed: {}", mapped.code_str())
            }
            _ => log::debug!("store refused: {}", mapped.code_str()),
        }
        mapped
    }
}

impl From<VaultError> for KomekError {
    fn from(e: VaultError) -> KomekError {
        let reason = format!("key vault: {e}");
        match e {
            VaultError::KeyNotFound(_) => KomekError::NotFound { reason },
            VaultError::Corrupt => KomekError::Integrity { reason },
            VaultError::WrongPassphrase | VaultError::Unavailable(_) => {
                KomekError::Vault { reason }
            }
        }
    }
}

impl From<PackFormatError> for KomekError {
    fn from(e: PackFormatError) -> KomekError {
        KomekError::RulePack {
            reason: e.to_string(),
        }
    }
}

impl From<PackError> for KomekError {
    fn from(e: PackError) -> KomekError {
        KomekError::RulePack {
            reason: e.to_string(),
        }
    }
}

/// The one mapping point from sync errors. The core's texts name requests,
/// sequence numbers and codes, never form content; the registry's own message
/// is not passed on (it is English for operators, and apps localize by code).
impl From<SyncError> for KomekError {
    fn from(e: SyncError) -> KomekError {
        let transient = e.is_transient();
        let reason = e.to_string();
        let mapped = match e {
            SyncError::NotEnrolled => KomekError::NotEnrolled { reason },
            SyncError::Network(_) | SyncError::SeqBehind(_) => KomekError::Network { reason },
            SyncError::Registry { .. } if transient => KomekError::Network { reason },
            SyncError::Registry { status, code, .. } => KomekError::Refused {
                code,
                http_status: status,
                reason,
            },
            SyncError::Cancelled => KomekError::Cancelled { reason },
            SyncError::Protocol(_) => KomekError::Protocol { reason },
            SyncError::Store(s) => return KomekError::from(s),
            SyncError::Crypto(_) => KomekError::Internal { reason },
            SyncError::Tls(_) => KomekError::Untrusted { reason },
            // Bundles are not in the FFI yet; a bad file is damaged data.
            SyncError::Bundle(_) => KomekError::Integrity { reason },
        };
        match &mapped {
            KomekError::Network { .. } | KomekError::Cancelled { .. } => {
                log::info!("sync stopped: {}", mapped.code_str())
            }
            KomekError::Refused { code, .. } => log::warn!("sync refused by the registry: {code}"),
            _ => log::error!("sync failed: {}", mapped.code_str()),
        }
        mapped
    }
}

/// What the core's vault error becomes when a platform vault throws: the
/// reverse of [`From<VaultError>`], so the store reports a missing key, a
/// corrupt blob and an unavailable keystore apart.
pub(crate) fn to_vault_error(e: KomekError, alias: &str) -> VaultError {
    match e {
        KomekError::NotFound { .. } => VaultError::KeyNotFound(alias.to_string()),
        KomekError::Integrity { .. } => VaultError::Corrupt,
        other => VaultError::Unavailable(other.to_string()),
    }
}

pub(crate) type Result<T, E = KomekError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use komek_core::validate::{ProblemKey, Problems};

    #[test]
    fn pin_errors_keep_their_numbers() {
        let e = KomekError::from(StoreError::WrongPin {
            remaining_attempts: 6,
        });
        assert_eq!(e.code_str(), "wrong_pin");
        assert!(matches!(
            e,
            KomekError::WrongPin {
                remaining_attempts: 6,
                ..
            }
        ));
        let e = KomekError::from(StoreError::TooManyAttempts {
            retry_after_secs: 60,
        });
        assert!(matches!(
            e,
            KomekError::TooManyAttempts {
                retry_after_secs: 60,
                ..
            }
        ));
    }

    #[test]
    fn an_invalid_form_lists_paths_and_ids_only() {
        let mut ps = Problems::new();
        ps.error("members[0].iin", ProblemKey::IinCheckDigit);
        ps.warning("housing.monthly_rent", ProblemKey::RentWithoutRentTenure);
        let e = KomekError::from(StoreError::Invalid(ps));
        assert_eq!(e.code_str(), "invalid_form");
        assert_eq!(
            e.to_string(),
            "the form has 2 problem(s): members[0].iin problem-iin-check-digit"
        );
    }

    #[test]
    fn vault_errors_map_both_ways() {
        for v in [
            VaultError::KeyNotFound("komek-dk-1".into()),
            VaultError::Corrupt,
            VaultError::Unavailable("keystore busy".into()),
        ] {
            let back = to_vault_error(KomekError::from(v.clone()), "komek-dk-1");
            match v {
                VaultError::Unavailable(_) => {
                    assert!(
                        matches!(back, VaultError::Unavailable(ref r) if r.contains("keystore busy"))
                    )
                }
                _ => assert_eq!(back, v),
            }
        }
    }

    #[test]
    fn sync_errors_map_to_stable_codes() {
        let cases = [
            (SyncError::NotEnrolled, "not_enrolled"),
            (SyncError::Network("connection refused".into()), "network"),
            (SyncError::SeqBehind(7), "network"),
            (
                SyncError::Registry {
                    status: 503,
                    code: "internal".into(),
                    message: "restarting".into(),
                },
                "network",
            ),
            (SyncError::Cancelled, "cancelled"),
            (SyncError::Protocol("pull answer".into()), "protocol"),
            (
                SyncError::Tls(komek_core::sync::TlsError::PinMismatch),
                "untrusted",
            ),
            (SyncError::Store(StoreError::Locked), "locked"),
        ];
        for (e, code) in cases {
            let mapped = KomekError::from(e);
            assert_eq!(mapped.code_str(), code, "{mapped:?}");
            assert_eq!(
                mapped.is_transient(),
                code == "network" || code == "cancelled"
            );
        }
    }

    #[test]
    fn only_network_cancelled_and_storage_are_worth_retrying() {
        let transient: Vec<&str> = [
            KomekError::from(StoreError::Locked),
            KomekError::from(StoreError::NotFound),
            KomekError::Storage {
                reason: "disk full".into(),
            },
            KomekError::from(SyncError::Network("cut".into())),
            KomekError::from(SyncError::Cancelled),
            KomekError::from(SyncError::NotEnrolled),
            KomekError::from(SyncError::Protocol("answer".into())),
        ]
        .iter()
        .filter(|e| e.is_transient())
        .map(|e| e.code_str())
        .collect();
        assert_eq!(transient, ["storage", "network", "cancelled"]);
    }

    #[test]
    fn a_refusal_keeps_the_registry_code_but_not_its_message() {
        let e = KomekError::from(SyncError::Registry {
            status: 403,
            code: "bad_enrolment_code".into(),
            message: "operator text that could say anything".into(),
        });
        match &e {
            KomekError::Refused {
                code, http_status, ..
            } => {
                assert_eq!(code, "bad_enrolment_code");
                assert_eq!(*http_status, 403);
            }
            other => panic!("expected Refused, got {other:?}"),
        }
        assert!(!e.to_string().contains("operator text"));
        assert!(!e.is_transient());
    }

    #[test]
    fn an_unexpected_callback_error_is_a_vault_error() {
        let e = KomekError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "java.lang.IllegalStateException: keystore locked",
        ));
        assert_eq!(e.code_str(), "vault");
        assert!(e.to_string().contains("keystore locked"));
    }
}
