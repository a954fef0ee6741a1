//! Crypto failures as typed values. None of them carries key bytes, plaintext or
//! anything about the person a record belongs to.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// Shorter than a header, nonce and tag: the ciphertext was cut.
    #[error("ciphertext is truncated")]
    Truncated,
    /// A format version this build does not know.
    #[error("unsupported ciphertext format version {0}")]
    UnsupportedFormat(u8),
    /// The ciphertext was sealed for another table, record or version: it was
    /// moved or copied from another row.
    #[error("ciphertext belongs to another record")]
    WrongRecord,
    /// Authentication failed: the ciphertext was altered or the key is wrong.
    #[error("ciphertext failed authentication (altered, or wrong key)")]
    Tampered,
    #[error("key has the wrong length")]
    BadKeyLength,
    /// The system random generator failed (should never happen on a sane OS).
    #[error("system random generator failed")]
    Random,
}

/// Failures of a [`crate::crypto::KeyVault`]. Platform vaults (Android Keystore,
/// iOS Keychain) report their own failures as [`VaultError::Unavailable`] with a
/// reason that must not contain secrets.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum VaultError {
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("no key named `{0}` in the vault")]
    KeyNotFound(String),
    /// The wrapped key was altered or does not belong to this vault key.
    #[error("wrapped key is corrupt")]
    Corrupt,
    #[error("key vault unavailable: {0}")]
    Unavailable(String),
}
