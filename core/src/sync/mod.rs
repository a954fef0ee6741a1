//! Sync with the central registry: enrol once, then push, then pull.
//!
//! A mobile centre gets a few minutes of 2G at the edge of a village. In that
//! time every finalized form must reach the registry exactly once, whatever
//! drops mid-transfer, and supervisors' decisions must come back. The pieces:
//!
//! - [`wire`]: the messages and the push frame, shared with the registry.
//! - [`frames`]: compact binary push and pull answers (negotiated; JSON
//!   stays the default).
//! - [`auth`]: signed requests with a per-device sequence (no clock needed).
//! - [`codec`]: a household as compact, compressed bytes inside the seal
//!   (the binary form itself is in `compact`).
//! - [`followup_codec`]: a plan, referral, visit or exit inside the seal.
//! - [`inbox`]: the symmetric key that supervisors' comments are sealed with
//!   (in [`crate::crypto::inbox`], re-exported here).
//! - [`tls`]: the transport: TLS pinned to the registry's certificates, or
//!   plain HTTP to a loopback host only.
//! - [`client`]: [`enrol`] and [`sync`] over HTTP, with retries, progress and
//!   cancellation.
//! - [`bundle`] and [`offline`]: the same operations carried as a signed file
//!   where no signal ever comes, and the registry's signed receipt.
//!
//! The exactly-once argument, in short: each operation is sealed once and its
//! exact bytes kept in the outbox under a device sequence number; the registry
//! stores an operation and its result in one transaction keyed by
//! (device, sequence), and answers a repeat with the stored result; the device
//! marks an operation done only when it holds that answer. A connection cut at
//! any byte means either the registry never committed (the retry stores it) or
//! it did (the retry gets "duplicate"). `docs/sync-protocol.md` has the rest.

pub mod auth;
pub mod bundle;
mod client;
pub mod codec;
mod compact;
mod error;
pub mod followup_codec;
pub mod frames;
pub mod http;
pub use crate::crypto::inbox;
mod offline;
pub mod tls;
pub mod wire;

pub use client::{
    enrol, enrol_with_pin, sync, CancelToken, Phase, Progress, SyncConfig, SyncProgress, SyncReport,
};
pub use error::{codes, SyncError};
pub use offline::{apply_receipt, export_bundle, ExportedBundle, ReceiptReport};
pub use tls::TlsError;
