//! The compact form's writer: varints, ids, money, dates and instants.
//!
//! Kept apart from the field order (`compact.rs`) so the primitives and their
//! exact byte shapes can be read on one screen, next to the reader's.

use super::codes::Code;
use super::{ID_SLACK, ID_VERSIONS};
use crate::model::{record_id, Household, Tiyn, YearMonth};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

pub(super) fn unzigzag(v: u128) -> i128 {
    ((v >> 1) as i128) ^ -((v & 1) as i128)
}

pub(super) struct Writer<'h> {
    pub(super) out: Vec<u8>,
    pub(super) h: &'h Household,
    /// Derived record id → (index, versions back) (see [`Writer::record`]).
    pub(super) derived: HashMap<Uuid, (u32, u32)>,
    /// Member id → position + 1 (the first member with that id).
    pub(super) members: HashMap<Uuid, u64>,
    /// The index of the last derived id of the current version written.
    pub(super) last: i64,
}

impl<'h> Writer<'h> {
    pub(super) fn new(h: &'h Household) -> Writer<'h> {
        let mut w = Writer {
            out: Vec::with_capacity(1024),
            h,
            derived: HashMap::new(),
            members: HashMap::new(),
            last: -1,
        };
        for (i, m) in h.members.iter().enumerate() {
            w.members.entry(m.id).or_insert(i as u64 + 1);
        }
        w.index_derived();
        w
    }

    /// Find which record ids are derived, newest versions first, stopping as
    /// soon as every one is found.
    pub(super) fn index_derived(&mut self) {
        let h = self.h;
        let mut wanted: std::collections::HashSet<Uuid> = h.consents.iter().map(|c| c.id).collect();
        wanted.extend(h.members.iter().map(|m| m.id));
        wanted.extend(h.incomes.iter().map(|i| i.id));
        let span = u32::try_from(wanted.len())
            .unwrap_or(u32::MAX)
            .saturating_add(ID_SLACK);
        for back in 0..ID_VERSIONS.min(h.version) {
            let version = h.version - back;
            for index in 0..span {
                if wanted.is_empty() {
                    return;
                }
                let id = record_id(h.id, version, index);
                if wanted.remove(&id) {
                    self.derived.insert(id, (index, back));
                }
            }
        }
    }

    pub(super) fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    pub(super) fn varint(&mut self, mut v: u128) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    pub(super) fn uint(&mut self, v: u64) {
        self.varint(u128::from(v));
    }

    pub(super) fn int(&mut self, v: i128) {
        self.varint(zigzag(v));
    }

    pub(super) fn len(&mut self, n: usize) {
        self.uint(n as u64);
    }

    pub(super) fn code<C: Code>(&mut self, c: C) {
        self.byte(c.code());
    }

    pub(super) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    pub(super) fn opt_str(&mut self, s: &Option<String>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                self.uint(s.len() as u64 + 1);
                self.out.extend_from_slice(s.as_bytes());
            }
        }
    }

    pub(super) fn uuid(&mut self, id: Uuid) {
        self.out.extend_from_slice(id.as_bytes());
    }

    /// A record's own id: 0 and its 16 bytes; or, derived at index `i` of
    /// the current version, 1 when `i` follows the last such index written
    /// (records are mostly listed in the order they were made), else `2i + 2`;
    /// derived in a version `b` back, `2i + 3` then `b`.
    pub(super) fn record(&mut self, id: Uuid) {
        match self.derived.get(&id).copied() {
            Some((index, 0)) => {
                if i64::from(index) == self.last + 1 {
                    self.uint(1);
                } else {
                    self.uint(u64::from(index) * 2 + 2);
                }
                self.last = i64::from(index);
            }
            Some((index, back)) => {
                self.uint(u64::from(index) * 2 + 3);
                self.uint(u64::from(back));
            }
            None => {
                self.uint(0);
                self.uuid(id);
            }
        }
    }

    /// A reference to a member: its position + 1, or 0 and 16 bytes.
    pub(super) fn member_ref(&mut self, id: Uuid) {
        match self.members.get(&id).copied() {
            Some(n) => self.uint(n),
            None => {
                self.uint(0);
                self.uuid(id);
            }
        }
    }

    /// Money: whole tenge as `zigzag(tenge) × 2`, anything else as
    /// `zigzag(tiyn) × 2 + 1`.
    pub(super) fn tiyn(&mut self, t: Tiyn) {
        let v = i128::from(t.0);
        if v % 100 == 0 {
            self.varint(zigzag(v / 100) << 1);
        } else {
            self.varint((zigzag(v) << 1) | 1);
        }
    }

    pub(super) fn date(&mut self, d: NaiveDate, base: i32) {
        self.int(i128::from(d.num_days_from_ce()) - i128::from(base));
    }

    /// An absolute instant: seconds since 1970 then nanoseconds.
    pub(super) fn instant(&mut self, t: DateTime<Utc>) {
        self.int(i128::from(t.timestamp()));
        self.uint(u64::from(t.timestamp_subsec_nanos()));
    }

    /// An instant as the nanoseconds since `base` × 2; one chrono cannot
    /// rebuild that way (a leap second) as 1 then [`Writer::instant`].
    pub(super) fn instant_after(&mut self, t: DateTime<Utc>, base: DateTime<Utc>) {
        let delta = nanos(t) - nanos(base);
        if after(base, delta) == Some(t) {
            self.varint(zigzag(delta) << 1);
        } else {
            self.uint(1);
            self.instant(t);
        }
    }

    pub(super) fn month(&mut self, m: YearMonth, base: i64) {
        self.int(i128::from(month_number(m)) - i128::from(base));
    }
}

pub(super) fn nanos(t: DateTime<Utc>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
}

pub(super) fn after(base: DateTime<Utc>, delta: i128) -> Option<DateTime<Utc>> {
    let total = nanos(base).checked_add(delta)?;
    let secs = i64::try_from(total.div_euclid(1_000_000_000)).ok()?;
    let sub = u32::try_from(total.rem_euclid(1_000_000_000)).ok()?;
    DateTime::from_timestamp(secs, sub)
}

pub(super) fn month_number(m: YearMonth) -> i64 {
    i64::from(m.year()) * 12 + i64::from(m.month()) - 1
}

pub(super) fn flag(bits: &mut u64, i: u32, on: bool) {
    if on {
        *bits |= 1 << i;
    }
}
