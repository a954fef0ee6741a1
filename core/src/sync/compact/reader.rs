//! The compact form's reader: the strict inverse of `writer.rs`.
//!
//! Every read is bounds-checked and every value range-checked; a failure is a
//! [`CompactError`] with the byte offset, never a panic.

use super::codes::Code;
use super::writer::{after, unzigzag};
use super::CompactError;
use crate::model::{record_id, Tiyn, YearMonth};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub(super) struct Reader<'b> {
    pub(super) bytes: &'b [u8],
    pub(super) pos: usize,
    pub(super) household: Uuid,
    pub(super) version: u32,
    /// See [`Writer::record`].
    pub(super) last: i64,
}

pub(super) type R<T> = Result<T, CompactError>;

impl<'b> Reader<'b> {
    pub(super) fn invalid(&self) -> CompactError {
        CompactError::Invalid(self.pos)
    }

    pub(super) fn take(&mut self, n: usize) -> R<&'b [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(CompactError::Truncated(self.pos))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub(super) fn byte(&mut self) -> R<u8> {
        Ok(self.take(1)?[0])
    }

    /// LEB128, at most 19 bytes (128 bits), canonical (no trailing zero byte).
    pub(super) fn varint(&mut self) -> R<u128> {
        let start = self.pos;
        let mut v: u128 = 0;
        for i in 0..19u32 {
            let b = self.byte()?;
            let part = u128::from(b & 0x7f);
            if i == 18 && part > 0x03 {
                return Err(CompactError::Invalid(start));
            }
            v |= part << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(CompactError::Invalid(start));
                }
                return Ok(v);
            }
        }
        Err(CompactError::Invalid(start))
    }

    pub(super) fn uint(&mut self) -> R<u64> {
        let at = self.pos;
        u64::try_from(self.varint()?).map_err(|_| CompactError::Invalid(at))
    }

    pub(super) fn u32(&mut self) -> R<u32> {
        let at = self.pos;
        u32::try_from(self.uint()?).map_err(|_| CompactError::Invalid(at))
    }

    pub(super) fn int(&mut self) -> R<i128> {
        Ok(unzigzag(self.varint()?))
    }

    /// A count of items of at least `min` bytes each; never more than the
    /// bytes left can hold, so no allocation follows a forged length.
    pub(super) fn count(&mut self, min: usize) -> R<usize> {
        let at = self.pos;
        let n = usize::try_from(self.uint()?).map_err(|_| CompactError::Invalid(at))?;
        if n.saturating_mul(min.max(1)) > self.bytes.len() - self.pos {
            return Err(CompactError::Truncated(at));
        }
        Ok(n)
    }

    pub(super) fn code<C: Code>(&mut self) -> R<C> {
        let at = self.pos;
        C::from_code(self.byte()?).ok_or(CompactError::Invalid(at))
    }

    pub(super) fn bytes_str(&mut self, n: usize) -> R<String> {
        let at = self.pos;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| CompactError::Invalid(at))
    }

    pub(super) fn str(&mut self) -> R<String> {
        let n = self.count(1)?;
        self.bytes_str(n)
    }

    pub(super) fn opt_str(&mut self) -> R<Option<String>> {
        let at = self.pos;
        match self.uint()? {
            0 => Ok(None),
            n => {
                let n = usize::try_from(n - 1).map_err(|_| CompactError::Invalid(at))?;
                self.bytes_str(n).map(Some)
            }
        }
    }

    pub(super) fn uuid(&mut self) -> R<Uuid> {
        let b = self.take(16)?;
        Uuid::from_slice(b).map_err(|_| self.invalid())
    }

    pub(super) fn record(&mut self) -> R<Uuid> {
        let at = self.pos;
        let (index, back) = match self.uint()? {
            0 => return self.uuid(),
            1 => {
                let next = u32::try_from(self.last + 1).map_err(|_| CompactError::Invalid(at))?;
                (next, 0)
            }
            n => {
                let index = u32::try_from((n - 2) / 2).map_err(|_| CompactError::Invalid(at))?;
                if (n - 2).is_multiple_of(2) {
                    // Canonical: the next index is always sent as 1.
                    if i64::from(index) == self.last + 1 {
                        return Err(CompactError::Invalid(at));
                    }
                    (index, 0)
                } else {
                    match self.u32()? {
                        0 => return Err(CompactError::Invalid(at)),
                        b => (index, b),
                    }
                }
            }
        };
        if back == 0 {
            self.last = i64::from(index);
        }
        let version = self
            .version
            .checked_sub(back)
            .filter(|&v| v >= 1)
            .ok_or(CompactError::Invalid(at))?;
        Ok(record_id(self.household, version, index))
    }

    /// A member reference, resolved once all members are read.
    pub(super) fn member_ref(&mut self) -> R<Ref> {
        let at = self.pos;
        match self.uint()? {
            0 => Ok(Ref::Id(self.uuid()?)),
            n => usize::try_from(n - 1)
                .map(|i| Ref::Member(i, at))
                .map_err(|_| CompactError::Invalid(at)),
        }
    }

    pub(super) fn tiyn(&mut self) -> R<Tiyn> {
        let at = self.pos;
        let v = self.varint()?;
        let t = if v & 1 == 0 {
            unzigzag(v >> 1).checked_mul(100)
        } else {
            let t = unzigzag(v >> 1);
            // Canonical: a whole-tenge amount is always sent the short way.
            (t % 100 != 0).then_some(t)
        };
        t.and_then(|t| i64::try_from(t).ok())
            .map(Tiyn)
            .ok_or(CompactError::Invalid(at))
    }

    pub(super) fn date(&mut self, base: i32) -> R<NaiveDate> {
        let at = self.pos;
        let d = self.int()?.checked_add(i128::from(base));
        d.and_then(|d| i32::try_from(d).ok())
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(CompactError::Invalid(at))
    }

    pub(super) fn instant(&mut self) -> R<DateTime<Utc>> {
        let at = self.pos;
        let secs = i64::try_from(self.int()?).map_err(|_| CompactError::Invalid(at))?;
        let nanos = self.u32()?;
        DateTime::from_timestamp(secs, nanos).ok_or(CompactError::Invalid(at))
    }

    pub(super) fn instant_after(&mut self, base: DateTime<Utc>) -> R<DateTime<Utc>> {
        let at = self.pos;
        match self.varint()? {
            1 => {
                // Canonical: only an instant the short form cannot rebuild
                // (a leap second) is sent whole, as the writer does.
                let t = self.instant()?;
                let delta = super::writer::nanos(t) - super::writer::nanos(base);
                if after(base, delta) == Some(t) {
                    return Err(CompactError::Invalid(at));
                }
                Ok(t)
            }
            v if v & 1 == 0 => after(base, unzigzag(v >> 1)).ok_or(CompactError::Invalid(at)),
            _ => Err(CompactError::Invalid(at)),
        }
    }

    pub(super) fn month(&mut self, base: i64) -> R<YearMonth> {
        let at = self.pos;
        let n = self.int()?.checked_add(i128::from(base));
        n.and_then(|n| {
            let year = i32::try_from(n.div_euclid(12)).ok()?;
            let month = u8::try_from(n.rem_euclid(12) + 1).ok()?;
            YearMonth::new(year, month)
        })
        .ok_or(CompactError::Invalid(at))
    }

    pub(super) fn bool_byte(&mut self) -> R<bool> {
        let at = self.pos;
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(CompactError::Invalid(at)),
        }
    }

    pub(super) fn bits(&mut self, allowed: u32) -> R<u64> {
        let at = self.pos;
        let b = self.uint()?;
        if b >> allowed != 0 {
            return Err(CompactError::Invalid(at));
        }
        Ok(b)
    }
}

pub(super) enum Ref {
    Id(Uuid),
    /// A member position and where it was read (for the error).
    Member(usize, usize),
}

pub(super) fn resolve(r: Ref, members: &[Uuid]) -> R<Uuid> {
    match r {
        Ref::Id(id) => Ok(id),
        Ref::Member(i, at) => members.get(i).copied().ok_or(CompactError::Invalid(at)),
    }
}

pub(super) fn on(bits: u64, i: u32) -> bool {
    bits & (1 << i) != 0
}
