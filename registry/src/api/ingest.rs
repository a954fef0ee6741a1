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
use crate::storage::{DeviceRecord, IncomingOp, IncomingRecord, OpOutcome};
use crate::AppState;
use komek_core::crypto::seal::{SealedOp, ENTITY_HOUSEHOLD};
use komek_core::sync::followup_codec::{decode_head, kind_of_entity};
use komek_core::sync::wire::{OpResult, OpStatus};
use komek_core::sync::{codec, codes};
use ring::digest;

/// A checked operation: a household's form, or a follow-up record
/// (`crate::followup`).
enum Checked {
    Form(IncomingOp),
    Record(IncomingRecord),
}

fn blob_hash(blob: &[u8]) -> [u8; 32] {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest::digest(&digest::SHA256, blob).as_ref());
    hash
}

/// Check one sealed operation; Ok = what to store, Err = the rejection code.
fn check_op(
    s: &AppState,
    device: &DeviceRecord,
    blob: &[u8],
) -> Result<Checked, (u64, &'static str)> {
    let op = SealedOp::parse(blob).map_err(|_| (0, codes::TAMPERED))?;
    let seq = op.header.device_seq;
    if op.header.device_id != device.id {
        return Err((seq, codes::WRONG_DEVICE));
    }
    if let Some(kind) = kind_of_entity(op.header.entity) {
        // A follow-up record: the same checks as a form, on its own head.
        if !op.verify(&device.public_key) {
            return Err((seq, codes::TAMPERED));
        }
        let plain = s.keys.open(&op).map_err(|_| (seq, codes::TAMPERED))?;
        let head = decode_head(kind, &plain).map_err(|_| (seq, codes::INVALID_FORM))?;
        if head.id != op.header.entity_id
            || head.version != op.header.version
            || head.replaces != op.header.base_version
        {
            return Err((seq, codes::TAMPERED));
        }
        if head.status != komek_core::model::FormStatus::Final {
            return Err((seq, codes::INVALID_FORM));
        }
        return Ok(Checked::Record(IncomingRecord {
            device_seq: seq,
            op_id: op.header.op_id,
            kind,
            record_id: head.id,
            household_id: head.household_id,
            version: head.version,
            base_version: head.replaces,
            blob: blob.to_vec(),
            blob_hash: blob_hash(blob),
        }));
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
    Ok(Checked::Form(IncomingOp {
        device_seq: seq,
        op_id: op.header.op_id,
        case_id: op.header.entity_id,
        version: op.header.version,
        base_version: op.header.base_version,
        blob: blob.to_vec(),
        blob_hash: blob_hash(blob),
    }))
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
    // Each answer in order: refused here, or the next of the forms' or the
    // records' outcomes from storage.
    enum Slot {
        Done(OpResult),
        Form,
        Record,
    }
    let mut slots = Vec::with_capacity(blobs.len());
    let mut forms = Vec::new();
    let mut records = Vec::new();
    for blob in blobs {
        match check_op(s, device, blob) {
            Ok(Checked::Form(op)) => {
                slots.push(Slot::Form);
                forms.push(op);
            }
            Ok(Checked::Record(r)) => {
                slots.push(Slot::Record);
                records.push(r);
            }
            Err((seq, code)) => {
                log::warn!("device {} operation {seq} rejected: {code}", device.id);
                slots.push(Slot::Done(OpResult {
                    device_seq: seq,
                    status: OpStatus::Rejected,
                    code: Some(code.to_string()),
                    flagged: false,
                }))
            }
        }
    }
    // The forms (and the push's request number) in one transaction, then the
    // records in another: if the second fails the device sends the push
    // again, its forms come back as duplicates and its records are stored.
    let outcomes = match request_seq {
        Some(seq) => s.storage.apply_push(device.id, seq, &forms, super::now())?,
        None => s.storage.apply_batch(device.id, &forms, super::now())?,
    };
    let record_outcomes = if records.is_empty() {
        Vec::new()
    } else {
        s.storage.apply_records(device.id, &records, super::now())?
    };
    let answer = |device_seq: u64, outcome: OpOutcome| {
        let (status, code, flagged) = match outcome {
            OpOutcome::Stored { flagged } => (OpStatus::Stored, None, flagged),
            OpOutcome::Duplicate { flagged } => (OpStatus::Duplicate, None, flagged),
            OpOutcome::Rejected(code) => (OpStatus::Rejected, Some(code.to_string()), false),
        };
        OpResult {
            device_seq,
            status,
            code,
            flagged,
        }
    };
    let mut stored = forms.iter().zip(outcomes);
    let mut stored_records = records.iter().zip(record_outcomes);
    slots
        .into_iter()
        .map(|slot| match slot {
            Slot::Done(r) => Some(r),
            Slot::Form => stored.next().map(|(op, o)| answer(op.device_seq, o)),
            Slot::Record => stored_records.next().map(|(r, o)| answer(r.device_seq, o)),
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
