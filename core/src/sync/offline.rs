//! The device's side of offline bundles: export pending operations to a
//! file, and apply the registry's signed receipt.
//!
//! An export is a push written to a file instead of a socket: the same
//! sealing (once, stored in the outbox), the same bytes, the same device
//! sequence numbers, so the registry's exactly-once ledger treats a bundle
//! and a later push of the same operations as one. Nothing is marked done at
//! export: the operations stay pending until a receipt (or a sync) says the
//! registry holds them, so a lost USB stick loses nothing.

use super::bundle::{encode_bundle, BundleError, BundleHeader, Receipt, MAX_BUNDLE_OPS};
use super::client::seal_pending;
use super::error::SyncError;
use super::wire::OpStatus;
use crate::crypto::seal::DeviceKey;
use crate::store::{Store, StoreError};
use uuid::Uuid;

/// A bundle written by [`export_bundle`].
#[derive(Debug, Clone)]
pub struct ExportedBundle {
    pub bytes: Vec<u8>,
    pub header: BundleHeader,
    /// Device sequence numbers of the operations inside, in order.
    pub device_seqs: Vec<i64>,
    /// Pending operations left out (more than [`MAX_BUNDLE_OPS`]).
    pub left_out: usize,
}

/// Seal what is not sealed yet and write every pending operation (up to
/// [`MAX_BUNDLE_OPS`], oldest first) as a bundle signed by the device key.
pub fn export_bundle(store: &Store, now: i64) -> Result<ExportedBundle, SyncError> {
    let identity = store.sync_identity()?.ok_or(SyncError::NotEnrolled)?;
    let device = DeviceKey::from_pkcs8(&identity.device_pkcs8)?;
    seal_pending(store, &identity, &device, &|| Ok(()))?;
    let pending: Vec<_> = store
        .outbox_pending(usize::MAX)?
        .into_iter()
        .filter(|o| o.sealed.is_some())
        .collect();
    let left_out = pending.len().saturating_sub(MAX_BUNDLE_OPS);
    let chosen = &pending[..pending.len().min(MAX_BUNDLE_OPS)];
    let header = BundleHeader {
        registry_id: identity.registry_id,
        device_id: identity.device_id,
        bundle_id: Uuid::new_v4(),
        created_at: now,
    };
    let blobs: Vec<&[u8]> = chosen.iter().filter_map(|o| o.sealed.as_deref()).collect();
    Ok(ExportedBundle {
        bytes: encode_bundle(&header, &blobs, &device),
        header,
        device_seqs: chosen.iter().map(|o| o.device_seq).collect(),
        left_out,
    })
}

/// What applying a receipt did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptReport {
    pub bundle_id: Uuid,
    /// Operations the registry stored from the bundle.
    pub stored: u64,
    /// Operations it already held (an earlier import or a sync).
    pub duplicates: u64,
    /// (device sequence, code) of operations it refused.
    pub rejected: Vec<(i64, String)>,
    pub flagged: u64,
}

/// Verify a receipt (the registry's rules key, this registry, this device)
/// and mark its operations done or refused, in one transaction. Applying a
/// receipt twice, or after a sync already acknowledged them, changes nothing.
pub fn apply_receipt(store: &Store, bytes: &[u8]) -> Result<ReceiptReport, SyncError> {
    let identity = store.sync_identity()?.ok_or(SyncError::NotEnrolled)?;
    let receipt = Receipt::verify(bytes, &identity.rules_key)?;
    if receipt.header.registry_id != identity.registry_id {
        return Err(BundleError::WrongRegistry {
            expected: identity.registry_id,
            found: receipt.header.registry_id,
        }
        .into());
    }
    if receipt.header.device_id != identity.device_id {
        return Err(BundleError::WrongDevice {
            expected: identity.device_id,
            found: receipt.header.device_id,
        }
        .into());
    }
    let mut report = ReceiptReport {
        bundle_id: receipt.header.bundle_id,
        ..ReceiptReport::default()
    };
    let mut acked = Vec::new();
    for r in &receipt.results {
        // A number this device never gave out: refused before anything is applied.
        let seq = i64::try_from(r.device_seq)
            .map_err(|_| StoreError::OutOfRange("receipt's operation sequence"))?;
        match r.status {
            OpStatus::Stored | OpStatus::Duplicate => {
                if r.status == OpStatus::Stored {
                    report.stored += 1;
                } else {
                    report.duplicates += 1;
                }
                report.flagged += u64::from(r.flagged);
                acked.push((seq, r.flagged));
            }
            OpStatus::Rejected => {
                let code = r
                    .code
                    .clone()
                    .unwrap_or_else(|| super::codes::BAD_REQUEST.into());
                report.rejected.push((seq, code));
            }
        }
    }
    store.outbox_apply_results(&acked, &report.rejected)?;
    Ok(report)
}
