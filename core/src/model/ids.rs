//! Record ids derived from the household id, so a form can name them in a byte.
//!
//! Members, incomes and consents carry UUIDs that must stay the same across
//! versions of a form and never collide with another record anywhere. Random
//! (v4) ids do that, but each costs 16 incompressible bytes on a 2G link, and
//! a five-member household has about 18 of them. An id made by
//! [`Household::new_record_id`] is instead a name-based UUIDv8 (RFC 9562,
//! appendix B.2): the first 16 bytes of SHA-256 of
//! `"komek/record-id/v1" ‖ household id ‖ version ‖ index`, with the version
//! and variant bits set. The sync codec sends such an id as its (version,
//! index) pair, one byte in the common case, and any other id as its 16 bytes.
//!
//! Why it stays unique and stable (`docs/adr/0004-compact-form-encoding.md`):
//! the household id is random (v4), so derived ids of different households
//! cannot meet; within one household, `version` is the draft version the
//! record was *created* in, and a finalized version is immutable, so the ids of
//! a finalized version are never handed out again; within the draft being
//! edited, the next index is the smallest one whose id is not used or referred
//! to anywhere in the household, so a new record can only take the id of one
//! that was removed together with every reference to it, before the draft was
//! ever finalized, i.e. of one nobody outside this draft has seen.
//!
//! SHA-256 here names records; it protects nothing (ids are not secrets).

use super::household::Household;
use ring::digest::{digest, SHA256};
use uuid::Uuid;

const DOMAIN: &[u8] = b"komek/record-id/v1";

/// The id of record number `index` created in `version` of `household`.
pub fn record_id(household: Uuid, version: u32, index: u32) -> Uuid {
    let mut input = Vec::with_capacity(DOMAIN.len() + 24);
    input.extend_from_slice(DOMAIN);
    input.extend_from_slice(household.as_bytes());
    input.extend_from_slice(&version.to_be_bytes());
    input.extend_from_slice(&index.to_be_bytes());
    let hash = digest(&SHA256, &input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash.as_ref()[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

impl Household {
    /// A fresh id for a new member, income or consent of this household:
    /// derived from the household id, its current version and the smallest
    /// index not yet used (see the module doc). Set it on the record and add
    /// the record to the household before asking for the next one.
    pub fn new_record_id(&self) -> Uuid {
        let used = self.referenced_ids();
        (0u32..)
            .map(|i| record_id(self.id, self.version, i))
            .find(|id| !used.contains(id))
            .unwrap_or_else(Uuid::new_v4)
    }

    /// Every id the form uses or refers to (records and references).
    fn referenced_ids(&self) -> std::collections::HashSet<Uuid> {
        let mut ids = std::collections::HashSet::new();
        ids.extend(self.consents.iter().map(|c| c.id));
        for m in &self.members {
            ids.insert(m.id);
            ids.extend(m.cares_for.iter().copied());
        }
        for i in &self.incomes {
            ids.insert(i.id);
            ids.insert(i.member_id);
        }
        ids.extend(self.documents.iter().filter_map(|d| d.member_id));
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Member, Region, Relation};
    use chrono::{TimeZone, Utc};

    fn draft() -> Household {
        let now = Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap();
        Household::new_draft(Region::Aktobe, now)
    }

    fn add(h: &mut Household) -> Uuid {
        let mut m = Member::new("A", "B", Relation::Child);
        m.id = h.new_record_id();
        h.members.push(m);
        h.members.last().unwrap().id
    }

    #[test]
    fn derived_ids_are_rfc_9562_v8_and_fixed() {
        let hh = Uuid::from_u128(0x0123_4567_89ab_4cde_8f01_2345_6789_abcd);
        let id = record_id(hh, 1, 0);
        assert_eq!(id.get_version_num(), 8);
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
        // Pinned (and checked with Python's hashlib): the derivation is part
        // of the sync format; changing it would make every stored compact
        // form decode to other ids.
        assert_eq!(id.to_string(), "c0e11449-df2e-8cc9-be5e-a3413fb5afd8");
        assert_ne!(record_id(hh, 1, 1), id);
        assert_ne!(record_id(hh, 2, 0), id);
        assert_ne!(record_id(Uuid::new_v4(), 1, 0), id);
    }

    #[test]
    fn new_ids_are_distinct_and_skip_every_reference() {
        let mut h = draft();
        let ids: Vec<Uuid> = (0..20).map(|_| add(&mut h)).collect();
        let set: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(set.len(), 20);
        assert_eq!(ids[3], record_id(h.id, 1, 3));
        // A member removed while an income still refers to them keeps
        // their id out of reach: no new record takes it.
        let income_id = h.new_record_id();
        h.incomes.push(crate::model::Income {
            id: income_id,
            member_id: ids[19],
            kind: crate::model::IncomeKind::Wages,
            amount: crate::model::Tiyn(1),
            month: crate::model::YearMonth::new(2025, 12).unwrap(),
        });
        assert_eq!(income_id, record_id(h.id, 1, 20));
        let gone = h.members.remove(19);
        let next = add(&mut h);
        assert_ne!(next, gone.id);
        assert_eq!(next, record_id(h.id, 1, 21));
        // Removed with every reference, before any finalization: the
        // smallest free index is handed out again (nobody else saw it).
        h.incomes.clear();
        h.members.retain(|m| m.id != next);
        assert_eq!(add(&mut h), gone.id);
    }

    #[test]
    fn a_correction_never_hands_out_an_id_of_a_finalized_version() {
        let mut h = draft();
        let first = add(&mut h);
        let c = {
            let mut c = h.correction(h.updated_at);
            c.members.clear();
            c
        };
        let mut c = c;
        let next = add(&mut c);
        assert_ne!(next, first);
        assert_eq!(next, record_id(c.id, 2, 0));
    }
}
