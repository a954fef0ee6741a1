//! Every cryptographic operation of the device, in one place, built on `ring`.
//!
//! The store and the sync client call these functions; nothing else in the core
//! touches key bytes. The scheme (algorithms, key hierarchy, what is and is not
//! protected) is described in full in `README.md` beside this file.
//!
//! - [`SecretKey`]: a 32-byte key, zeroized on drop, derived with HKDF.
//! - [`seal_record`] / [`open_record`]: ChaCha20-Poly1305 with a version byte, a
//!   random nonce and associated data that binds table, record id and version.
//! - [`wrap_key`] / [`unwrap_key`]: a key sealed under another key.
//! - [`BlindIndexKey`]: HMAC-SHA256 lookups of IINs without storing them.
//! - [`KeyVault`]: where the device data key is kept (platform keystores through
//!   the bindings; [`SoftwareVault`] with a passphrase for desktop and tests).
//! - [`pin`]: staff PIN verifiers.
//! - [`inbox`]: the device's inbox key, which supervisors' comments are sealed
//!   with (used by the sync client and the store alike).

mod aead;
mod blind_index;
mod error;
pub mod inbox;
mod keys;
pub mod pin;
pub mod seal;
mod vault;

pub use aead::{open_record, seal_record, unwrap_key, wrap_key, RecordAad, RECORD_FORMAT};
pub use blind_index::BlindIndexKey;
pub use error::{CryptoError, VaultError};
pub use keys::{hkdf_sha256, random_bytes, SecretKey, KEY_LEN};
pub use vault::{KeyVault, SoftwareVault, PBKDF2_ITERATIONS};
