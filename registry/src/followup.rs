//! Follow-up records on the registry: plans, referrals, visits and exits of
//! a household, stored exactly once like forms, listed and opened by
//! supervisors, plans approved (`docs/case-follow-up.md`).
//!
//! A record travels as a sealed operation whose entity byte names its kind
//! (`komek_core::sync::followup_codec::entity_code`). It goes through the
//! same ledger as forms (`ops`, keyed by device and device sequence), so a
//! sequence number is spent once whatever it carried. The registry keeps
//! every version's sealed bytes and, per record, the latest version, its
//! owner device, a flag for a person, and the approved version of a plan.
//! The rules of an arriving version are decided here, the same way for
//! every backend ([`record_change`]).

use komek_core::followup::RecordKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A sealed follow-up operation that passed every check; what to store.
#[derive(Debug, Clone)]
pub struct IncomingRecord {
    pub device_seq: u64,
    pub op_id: Uuid,
    pub kind: RecordKind,
    pub record_id: Uuid,
    /// From the opened content (the header names only the record).
    pub household_id: Uuid,
    pub version: u32,
    pub base_version: Option<u32>,
    pub blob: Vec<u8>,
    pub blob_hash: [u8; 32],
}

/// A record as supervisors list it: no content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRow {
    pub record_id: Uuid,
    pub kind: RecordKind,
    pub household_id: Uuid,
    /// The latest version stored.
    pub version: u32,
    /// The device that sent the first version (the owner).
    pub device_id: Uuid,
    /// A version arrived that is not the plain next one: a person must look.
    pub flagged: bool,
    /// The version of a plan a supervisor approved (a later version needs
    /// approving again).
    pub approved_version: Option<u32>,
    pub approved_by: Option<String>,
    pub updated_at: i64,
}

impl RecordRow {
    /// A plan whose latest version is approved.
    pub fn is_approved(&self) -> bool {
        self.approved_version == Some(self.version)
    }
}

/// What a stored version does to its record.
#[derive(Debug, Clone)]
pub enum RecordChange {
    /// Store the version; the record becomes `row`; `flagged` marks it.
    Store { row: RecordRow, flagged: bool },
    /// Another device's record, or a kind or household that does not match
    /// the first version: refused, nothing stored.
    Refused(&'static str),
}

/// The rules of a version arriving for a record (`existing`: what the
/// registry holds, `None` for a new record). As for forms: the device owns
/// the content; the plain next version (base = the registry's latest) is the
/// normal path; anything else (a first version naming a base, a base that is
/// not the latest: an edit made against an older version) is stored and
/// flagged for a person, never merged. A new version of an approved plan
/// is normal but needs approving again.
pub fn record_change(
    existing: Option<RecordRow>,
    op: &IncomingRecord,
    device: Uuid,
    now: i64,
) -> RecordChange {
    use komek_core::sync::codes;
    match existing {
        None => {
            let flagged = op.base_version.is_some();
            RecordChange::Store {
                row: RecordRow {
                    record_id: op.record_id,
                    kind: op.kind,
                    household_id: op.household_id,
                    version: op.version,
                    device_id: device,
                    flagged,
                    approved_version: None,
                    approved_by: None,
                    updated_at: now,
                },
                flagged,
            }
        }
        Some(r) if !crate::storage::owns_case(r.device_id, device) => {
            RecordChange::Refused(codes::NOT_CASE_OWNER)
        }
        Some(r) if r.kind != op.kind || r.household_id != op.household_id => {
            RecordChange::Refused(codes::INVALID_FORM)
        }
        Some(mut r) => {
            let normal = op.base_version == Some(r.version) && op.version > r.version;
            if op.version > r.version {
                r.version = op.version;
            }
            r.flagged = r.flagged || !normal;
            r.updated_at = now;
            RecordChange::Store {
                row: r,
                flagged: !normal,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(version: u32, base: Option<u32>) -> IncomingRecord {
        IncomingRecord {
            device_seq: 1,
            op_id: Uuid::new_v4(),
            kind: RecordKind::Plan,
            record_id: Uuid::from_u128(1),
            household_id: Uuid::from_u128(2),
            version,
            base_version: base,
            blob: vec![1],
            blob_hash: [0; 32],
        }
    }

    fn stored(c: RecordChange) -> (RecordRow, bool) {
        match c {
            RecordChange::Store { row, flagged } => (row, flagged),
            RecordChange::Refused(code) => panic!("refused: {code}"),
        }
    }

    #[test]
    fn the_next_version_is_normal_anything_else_is_flagged() {
        let dev = Uuid::from_u128(9);
        let (first, f) = stored(record_change(None, &op(1, None), dev, 1));
        assert!(!f && !first.flagged);
        let (mut second, f) = stored(record_change(Some(first.clone()), &op(2, Some(1)), dev, 2));
        assert!(!f);
        assert_eq!(second.version, 2);
        // An approved plan revised: normal, no longer approved.
        second.approved_version = Some(2);
        let (third, f) = stored(record_change(Some(second.clone()), &op(3, Some(2)), dev, 3));
        assert!(!f && !third.is_approved());
        // Edited against version 1 while the registry holds 2: flagged.
        let (conflict, f) = stored(record_change(Some(second), &op(3, Some(1)), dev, 3));
        assert!(f && conflict.flagged);
        // A first version naming a base: flagged.
        assert!(stored(record_change(None, &op(2, Some(1)), dev, 1)).1);
        // Another device, another kind: refused.
        assert!(matches!(
            record_change(Some(first.clone()), &op(2, Some(1)), Uuid::from_u128(8), 2),
            RecordChange::Refused(_)
        ));
        let mut visit = op(2, Some(1));
        visit.kind = RecordKind::Visit;
        assert!(matches!(
            record_change(Some(first), &visit, dev, 2),
            RecordChange::Refused(_)
        ));
    }
}
