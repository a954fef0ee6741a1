//! Offline bundles through the FFI: where signal never comes, the phone
//! writes its pending forms to a file someone carries to the district office,
//! and later applies the receipt the office brings back.
//!
//! Why on the phone and not only on the command line: the phone is the
//! device. A bundle holds the exact sealed bytes a sync would push, under the
//! same sequence numbers, signed by the device key, so the registry stores
//! each form exactly once whether it comes by bundle, by sync, or both
//! (`docs/sync-protocol.md` section 18, ADR 0003). Exporting marks nothing
//! done: the forms stay pending until a receipt or a sync says the registry
//! holds them, so a lost memory card loses nothing. The file holds only
//! sealed forms (readable by the registry alone) and sequence numbers.
//!
//! Both calls take the store's sync lock (never at the same time as a sync
//! or an enrolment) and run on the tokio runtime like `sync`, off the
//! caller's thread.

use crate::error::Result;
use crate::scalars::count;
use crate::store::KomekStore;
use crate::sync::{joined, spawn};
use crate::sync_types::RejectedForm;
use komek_core::sync as core;
use std::sync::Arc;
use uuid::Uuid;

/// A bundle to write to a file (`.komekb`) and carry to the office.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OfflineBundle {
    /// The file's bytes: device-signed, forms sealed to the registry.
    pub bytes: Vec<u8>,
    /// Names the bundle; the receipt for it carries the same id.
    pub bundle_id: Uuid,
    /// Outbox sequence numbers of the forms inside, oldest first.
    pub device_seqs: Vec<i64>,
    /// Pending forms that did not fit (export again after the receipt).
    pub left_out: i64,
}

/// What applying a receipt did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptReport {
    pub bundle_id: Uuid,
    /// Forms the registry stored from the bundle.
    pub stored: i64,
    /// Forms it already held (an earlier import or a sync).
    pub duplicates: i64,
    /// Forms it refused; they stay `rejected` in the outbox.
    pub rejected: Vec<RejectedForm>,
    /// Forms accepted but flagged for a person.
    pub flagged: i64,
}

impl From<core::ReceiptReport> for ReceiptReport {
    fn from(r: core::ReceiptReport) -> ReceiptReport {
        ReceiptReport {
            bundle_id: r.bundle_id,
            stored: count(r.stored),
            duplicates: count(r.duplicates),
            rejected: RejectedForm::list(r.rejected),
            flagged: count(r.flagged),
        }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl KomekStore {
    /// Seal what is not sealed yet and write every pending form (up to
    /// 500, oldest first) into a bundle signed by this device. Needs an
    /// enrolled device; no unlock (like `sync`). Nothing is marked sent: the
    /// forms stay pending until `applyReceipt` or a sync. With nothing
    /// pending the bundle is empty (`deviceSeqs` is empty).
    pub async fn export_bundle(&self) -> Result<OfflineBundle> {
        let shared = Arc::clone(&self.shared);
        let lock = Arc::clone(&self.sync_lock);
        let task = spawn(async move {
            let _one_at_a_time = lock.lock().await;
            core::export_bundle(&shared.store, chrono::Utc::now().timestamp()).map(|b| {
                OfflineBundle {
                    bytes: b.bytes,
                    bundle_id: b.header.bundle_id,
                    device_seqs: b.device_seqs,
                    left_out: count(b.left_out),
                }
            })
        })?;
        Ok(joined(task.await)??)
    }

    /// Verify the registry's receipt for a bundle (its rules key, this
    /// registry, this device) and mark the forms it names as delivered or
    /// refused, in one transaction. A receipt that does not verify is
    /// `KomekError.Integrity` and changes nothing; applying one twice, or
    /// after a sync already confirmed its forms, changes nothing either.
    pub async fn apply_receipt(&self, receipt: Vec<u8>) -> Result<ReceiptReport> {
        let shared = Arc::clone(&self.shared);
        let lock = Arc::clone(&self.sync_lock);
        let task = spawn(async move {
            let _one_at_a_time = lock.lock().await;
            core::apply_receipt(&shared.store, &receipt).map(ReceiptReport::from)
        })?;
        Ok(joined(task.await)??)
    }
}
