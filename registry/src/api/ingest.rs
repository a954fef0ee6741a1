//! Applying sealed operations: the one exactly-once path for pushes and
//! offline bundles.
//!
//! A push (`POST /v1/push`) and an imported bundle carry the same sealed
//! bytes under the same device sequence numbers; both go through
//! [`apply_ops`], so the registry's ledger cannot tell them apart: an
//! operation first stored from a bundle is a duplicate when the device later
//! pushes it, and the other way round. Each operation is checked on its own
//! (signature, sender, opens, is a final form matching its header); the valid
//! ones are stored in one transaction ([`crate::Storage::apply_batch`]).

use crate::error::ApiErr;
use crate::storage::{DeviceRecord, IncomingOp, OpOutcome};
use crate::AppState;
use komek_core::crypto::seal::{SealedOp, ENTITY_HOUSEHOLD};
use komek_core::sync::wire::{OpResult, OpStatus};
use komek_core::sync::{codec, codes};
use ring::digest;

/// Check one sealed operation; Ok = what to store, Err = the rejection code.
fn check_op(
    s: &AppState,
    device: &DeviceRecord,
    blob: &[u8],
) -> Result<IncomingOp, (u64, &'static str)> {
    let op = SealedOp::parse(blob).map_err(|_| (0, codes::TAMPERED))?;
    let seq = op.header.device_seq;
    if op.header.device_id != device.id {
        return Err((seq, codes::WRONG_DEVICE));
    }
    if op.header.entity != ENTITY_HOUSEHOLD {
        return Err((seq, codes::UNSUPPORTED));
    }
    if !op.verify(&device.public_key) {
        return Err((seq, codes::TAMPERED));
    }
    let plain = s.keys.open(&op).map_err(|_| (seq, codes::TAMPERED))?;
    let household = codec::decode(&plain).map_err(|_| (seq, codes::INVALID_FORM))?;
    if household.id != op.header.entity_id
        || household.version != op.header.version
        || household.replaces != op.header.base_version
    {
        return Err((seq, codes::TAMPERED));
    }
    // Only final forms travel. Date-dependent checks (consent still valid,
    // ages) were made on the device at finalization and are not repeated
    // here: a retry of a stored operation must get the same answer any day.
    if household.status != komek_core::model::FormStatus::Final {
        return Err((seq, codes::INVALID_FORM));
    }
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest::digest(&digest::SHA256, blob).as_ref());
    Ok(IncomingOp {
        device_seq: seq,
        op_id: op.header.op_id,
        case_id: op.header.entity_id,
        version: op.header.version,
        base_version: op.header.base_version,
        blob: blob.to_vec(),
        blob_hash: hash,
    })
}

/// Check and store `blobs` from `device` (authenticated by the caller),
/// exactly once; one answer per operation, in order. A push passes its
/// request number, spent in the same transaction (`replayed`, nothing
/// stored, when it is not above the last); a bundle passes none. A storage
/// failure fails the whole call (nothing stored; the caller answers 500 and
/// the sender retries).
pub fn apply_ops(
    s: &AppState,
    device: &DeviceRecord,
    request_seq: Option<u64>,
    blobs: &[&[u8]],
) -> Result<Vec<OpResult>, ApiErr> {
    let mut results: Vec<Option<OpResult>> = Vec::with_capacity(blobs.len());
    let mut valid = Vec::new();
    for blob in blobs {
        match check_op(s, device, blob) {
            Ok(op) => {
                results.push(None);
                valid.push(op);
            }
            Err((seq, code)) => {
                log::warn!("device {} operation {seq} rejected: {code}", device.id);
                results.push(Some(OpResult {
                    device_seq: seq,
                    status: OpStatus::Rejected,
                    code: Some(code.to_string()),
                    flagged: false,
                }))
            }
        }
    }
    let outcomes = match request_seq {
        Some(seq) => s.storage.apply_push(device.id, seq, &valid, super::now())?,
        None => s.storage.apply_batch(device.id, &valid, super::now())?,
    };
    let mut stored = valid.iter().zip(outcomes);
    results
        .into_iter()
        .map(|r| match r {
            Some(r) => Some(r),
            None => stored.next().map(|(op, outcome)| {
                let (status, code, flagged) = match outcome {
                    OpOutcome::Stored { flagged } => (OpStatus::Stored, None, flagged),
                    OpOutcome::Duplicate { flagged } => (OpStatus::Duplicate, None, flagged),
                    OpOutcome::Rejected(code) => {
                        (OpStatus::Rejected, Some(code.to_string()), false)
                    }
                };
                OpResult {
                    device_seq: op.device_seq,
                    status,
                    code,
                    flagged,
                }
            }),
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(ApiErr::internal)
        .inspect(|results| {
            use crate::metrics::FormOutcome;
            for r in results {
                s.metrics.form(match r.status {
                    OpStatus::Stored => FormOutcome::Stored,
                    OpStatus::Duplicate => FormOutcome::Duplicate,
                    OpStatus::Rejected => FormOutcome::Rejected,
                });
            }
        })
}
