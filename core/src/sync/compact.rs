//! The compact binary form of a household, before compression (codec v1).
//!
//! JSON spends most of a form on field names, quoted enum names, hyphenated
//! UUIDs and decimal dates; on a 2G link every byte of a sealed form is paid
//! for. This is a hand-written, versioned encoding of exactly the model's
//! fields, in a fixed order: enums as one-byte codes, dates as day numbers,
//! instants as seconds and nanoseconds, money as varints, IINs as their serial
//! when the birth date and sex give the rest, strings as UTF-8 with a length.
//! Record ids derived from the household id ([`crate::model::record_id`]) are
//! sent as their index (one byte, mostly "the next one"), references to
//! members as the member's position, any other id as its 16 bytes. Every struct is destructured without `..`, so a
//! field added to the model does not compile until it is encoded here.
//!
//! Decoding is strict: anything short, trailing, non-canonical, out of range or
//! unknown is a [`CompactError`] naming the byte offset, never a panic and
//! never a value (the content is personal data).
//!
//! This file holds the field order; `compact/writer.rs` and
//! `compact/reader.rs` the byte shapes of each kind of value, and
//! `compact/codes.rs` the enum numbers.

use crate::model::{
    Assets, Consent, Deposit, Document, Expense, Household, Housing, Income, Land, Livestock, Loan,
    Location, Member, Sex, StatedAge, TsaRefusal, Vehicle, YearMonth,
};
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

mod codes;
mod reader;
mod writer;

use reader::{on, resolve, Reader, Ref, R};
use writer::{flag, month_number, Writer};

/// Why compact bytes are not a household. The offset is where reading
/// stopped; no content is ever quoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    #[error("form is truncated at byte {0}")]
    Truncated(usize),
    #[error("form has an invalid value at byte {0}")]
    Invalid(usize),
    #[error("form has trailing bytes at byte {0}")]
    Trailing(usize),
}

/// How far back in versions, and how many records per version, the encoder
/// looks for a derived id. Anything beyond is sent as 16 bytes (correct, only
/// larger).
const ID_VERSIONS: u32 = 8;
const ID_SLACK: u32 = 64;

/// Days of 2000-01-01 from the common era, the base of birth dates.
const EPOCH_2000: i32 = 730_120;

/// The compact bytes of `h` (not compressed).
pub fn encode(h: &Household) -> Vec<u8> {
    let Household {
        schema_version,
        id,
        version,
        replaces,
        status,
        location:
            Location {
                region,
                district,
                settlement,
            },
        address,
        housing: Housing {
            tenure,
            monthly_rent,
        },
        consents,
        members,
        incomes,
        expenses,
        assets:
            Assets {
                livestock,
                land,
                vehicles,
                deposits,
                loans,
            },
        documents,
        wanted_support,
        breadwinner_lost,
        previous_tsa_refusal,
        card_spending_monthly,
        notes,
        created_at,
        updated_at,
        finalized_at,
    } = h;
    let mut w = Writer::new(h);
    w.uint(u64::from(*schema_version));
    w.uuid(*id);
    w.uint(u64::from(*version));
    w.uint(replaces.map_or(0, |r| u64::from(r) + 1));
    w.code(*status);
    let mut bits = 0u64;
    flag(&mut bits, 0, *breadwinner_lost);
    flag(&mut bits, 1, tenure.is_some());
    flag(&mut bits, 2, monthly_rent.is_some());
    flag(&mut bits, 3, finalized_at.is_some());
    flag(&mut bits, 4, previous_tsa_refusal.is_some());
    flag(&mut bits, 5, card_spending_monthly.is_some());
    w.uint(bits);
    w.code(*region);
    w.opt_str(district);
    w.opt_str(settlement);
    w.opt_str(address);
    if let Some(t) = tenure {
        w.code(*t);
    }
    if let Some(r) = monthly_rent {
        w.tiyn(*r);
    }
    let base_day = created_at.date_naive().num_days_from_ce();
    let base_month = month_number(YearMonth::of(created_at.date_naive()));
    w.instant(*created_at);
    w.instant_after(*updated_at, *created_at);
    if let Some(f) = finalized_at {
        w.instant_after(*f, *updated_at);
    }
    if let Some(TsaRefusal { date, reason }) = previous_tsa_refusal {
        w.date(*date, base_day);
        w.code(*reason);
    }
    if let Some(c) = card_spending_monthly {
        w.tiyn(*c);
    }

    w.len(consents.len());
    for c in consents {
        let Consent {
            id,
            recorded_at,
            method,
            operator,
            purpose,
            valid_until,
            data_categories,
            transfer_to_registry,
            withdrawn_at,
        } = c;
        w.record(*id);
        let mut bits = 0;
        flag(&mut bits, 0, *transfer_to_registry);
        flag(&mut bits, 1, withdrawn_at.is_some());
        w.uint(bits);
        w.code(*method);
        w.instant_after(*recorded_at, *created_at);
        w.str(operator);
        w.str(purpose);
        w.date(*valid_until, base_day);
        w.len(data_categories.len());
        for d in data_categories {
            w.str(d);
        }
        if let Some(t) = withdrawn_at {
            w.instant_after(*t, *recorded_at);
        }
    }

    w.len(members.len());
    for m in members {
        encode_member(&mut w, m);
    }

    w.len(incomes.len());
    let mut prev_month = base_month;
    for i in incomes {
        let Income {
            id,
            member_id,
            kind,
            amount,
            month,
        } = i;
        w.record(*id);
        w.member_ref(*member_id);
        w.code(*kind);
        w.tiyn(*amount);
        // After the previous income's month: a monthly series is +1 each.
        w.month(*month, prev_month);
        prev_month = month_number(*month);
    }

    w.len(expenses.len());
    for e in expenses {
        let Expense { category, amount } = e;
        w.code(*category);
        w.tiyn(*amount);
    }

    w.len(livestock.len());
    for l in livestock {
        let Livestock { species, head } = l;
        w.code(*species);
        w.uint(u64::from(*head));
    }
    w.len(land.len());
    for l in land {
        let Land { area_m2, use_ } = l;
        w.code(*use_);
        w.uint(*area_m2);
    }
    w.len(vehicles.len());
    for v in vehicles {
        let Vehicle { kind, year_made } = v;
        w.code(*kind);
        w.uint(year_made.map_or(0, |y| u64::from(y) + 1));
    }
    w.len(deposits.len());
    for d in deposits {
        let Deposit { amount } = d;
        w.tiyn(*amount);
    }
    w.len(loans.len());
    for l in loans {
        let Loan {
            purpose,
            outstanding,
            monthly_payment,
            taken,
        } = l;
        w.code(*purpose);
        w.tiyn(*outstanding);
        w.tiyn(*monthly_payment);
        match taken {
            None => w.byte(0),
            Some(m) => {
                w.byte(1);
                w.month(*m, base_month);
            }
        }
    }

    w.len(documents.len());
    for d in documents {
        let Document {
            kind,
            member_id,
            status,
        } = d;
        w.code(*kind);
        w.code(*status);
        match member_id {
            None => w.byte(0),
            Some(id) => {
                w.byte(1);
                w.member_ref(*id);
            }
        }
    }

    w.len(wanted_support.len());
    for s in wanted_support {
        w.code(*s);
    }
    w.opt_str(notes);
    w.out
}

/// IIN modes of a member's flags (bits 0-1).
const IIN_NONE: u64 = 0;
const IIN_TEXT: u64 = 1;
const IIN_DIGITS: u64 = 2;
const IIN_SERIAL: u64 = 3;

fn encode_member(w: &mut Writer<'_>, m: &Member) {
    let Member {
        id,
        iin,
        surname,
        given_name,
        patronymic,
        birth_date,
        sex,
        relation,
        status,
        disability,
        disabled_since_childhood,
        long_illness,
        activity,
        cares_for,
        needs_care,
        receives_special_services,
        education,
        mother_award,
        stated_age,
        absence,
        mother,
        children_elsewhere,
    } = m;
    let iin_mode = match iin.as_deref() {
        None => IIN_NONE,
        Some(s) => match (iin_serial(s), birth_date, sex) {
            (Some(serial), Some(b), Some(x)) if iin_from(*b, *x, serial).as_deref() == Some(s) => {
                IIN_SERIAL
            }
            _ if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) => IIN_DIGITS,
            _ => IIN_TEXT,
        },
    };
    let mut bits = iin_mode;
    flag(&mut bits, 2, birth_date.is_some());
    flag(&mut bits, 3, sex.is_some());
    flag(&mut bits, 4, *sex == Some(Sex::Female));
    flag(&mut bits, 5, *disabled_since_childhood);
    flag(&mut bits, 6, *long_illness);
    flag(&mut bits, 7, *needs_care);
    flag(&mut bits, 8, *receives_special_services);
    flag(&mut bits, 9, activity.is_some());
    flag(&mut bits, 10, education.is_some());
    flag(&mut bits, 11, mother_award.is_some());
    flag(&mut bits, 12, stated_age.is_some());
    flag(&mut bits, 13, absence.is_some());
    flag(&mut bits, 14, mother.is_some());
    flag(&mut bits, 15, children_elsewhere.is_some());
    w.record(*id);
    w.uint(bits);
    w.str(surname);
    w.str(given_name);
    w.opt_str(patronymic);
    if let Some(b) = birth_date {
        w.date(*b, EPOCH_2000);
    }
    match (iin_mode, iin.as_deref()) {
        (IIN_TEXT, Some(s)) => w.str(s),
        (IIN_DIGITS, Some(s)) => {
            let n: u64 = s.parse().unwrap_or(0);
            w.out.extend_from_slice(&n.to_be_bytes()[3..]);
        }
        (IIN_SERIAL, Some(s)) => w.uint(iin_serial(s).map_or(0, u64::from)),
        _ => {}
    }
    w.code(*relation);
    w.code(*status);
    w.code(*disability);
    if let Some(a) = activity {
        w.code(*a);
    }
    if let Some(e) = education {
        w.code(*e);
    }
    if let Some(a) = mother_award {
        w.code(*a);
    }
    if let Some(StatedAge { years, on }) = stated_age {
        w.uint(u64::from(*years));
        w.date(*on, EPOCH_2000);
    }
    if let Some(a) = absence {
        w.code(*a);
    }
    w.len(cares_for.len());
    for c in cares_for {
        w.member_ref(*c);
    }
    if let Some(id) = mother {
        w.member_ref(*id);
    }
    if let Some(n) = children_elsewhere {
        w.uint(u64::from(*n));
    }
}

/// The 4-digit serial of a 12-digit IIN (digits 8-11).
fn iin_serial(s: &str) -> Option<u16> {
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.get(7..11)?.parse().ok()
}

/// The IIN that `birth`, `sex` and `serial` give: `YYMMDD`, the century and
/// sex digit, the serial and the check digit; `None` when it has none.
fn iin_from(birth: NaiveDate, sex: Sex, serial: u16) -> Option<String> {
    let century = match (birth.year().div_euclid(100), sex) {
        (18, Sex::Male) => 1,
        (18, Sex::Female) => 2,
        (19, Sex::Male) => 3,
        (19, Sex::Female) => 4,
        (20, Sex::Male) => 5,
        (20, Sex::Female) => 6,
        _ => return None,
    };
    if serial > 9999 {
        return None;
    }
    let prefix = format!(
        "{:02}{:02}{:02}{}{:04}",
        birth.year().rem_euclid(100),
        birth.month(),
        birth.day(),
        century,
        serial
    );
    let check = crate::validate::check_digit(&prefix)?;
    Some(format!("{prefix}{check}"))
}

/// The household in compact `bytes`; the whole input must be one household,
/// in the one form [`encode`] writes for it. Each field's reader refuses
/// what the writer never writes where it can tell locally; what depends on
/// the whole form (which record ids the writer would have derived) is
/// checked by encoding the result again: a form has exactly one byte string,
/// so a sealed form's bytes name it (found by fuzzing, docs/reliability.md).
pub fn decode(bytes: &[u8]) -> Result<Household, CompactError> {
    let h = decode_fields(bytes)?;
    let again = encode(&h);
    match again.iter().zip(bytes).position(|(a, b)| a != b) {
        None if again.len() == bytes.len() => Ok(h),
        first => Err(CompactError::Invalid(
            first.unwrap_or(again.len().min(bytes.len())),
        )),
    }
}

fn decode_fields(bytes: &[u8]) -> Result<Household, CompactError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        household: Uuid::nil(),
        version: 0,
        last: -1,
    };
    let at = r.pos;
    // The same rule as the JSON form (`model::strict::known_version`): a form
    // of a schema this build does not know is refused, never read as ours.
    let schema_version = u16::try_from(r.uint()?)
        .ok()
        .filter(|v| (1..=crate::model::SCHEMA_VERSION).contains(v))
        .ok_or(CompactError::Invalid(at))?;
    let id = r.uuid()?;
    let version = r.u32()?;
    r.household = id;
    r.version = version;
    let at = r.pos;
    let replaces = match r.uint()? {
        0 => None,
        n => Some(u32::try_from(n - 1).map_err(|_| CompactError::Invalid(at))?),
    };
    let status = r.code()?;
    let bits = r.bits(6)?;
    let region = r.code()?;
    let district = r.opt_str()?;
    let settlement = r.opt_str()?;
    let address = r.opt_str()?;
    let tenure = if on(bits, 1) { Some(r.code()?) } else { None };
    let monthly_rent = if on(bits, 2) { Some(r.tiyn()?) } else { None };
    let created_at = r.instant()?;
    let base_day = created_at.date_naive().num_days_from_ce();
    let base_month = month_number(YearMonth::of(created_at.date_naive()));
    let updated_at = r.instant_after(created_at)?;
    let finalized_at = if on(bits, 3) {
        Some(r.instant_after(updated_at)?)
    } else {
        None
    };
    let previous_tsa_refusal = if on(bits, 4) {
        Some(TsaRefusal {
            date: r.date(base_day)?,
            reason: r.code()?,
        })
    } else {
        None
    };
    let card_spending_monthly = if on(bits, 5) { Some(r.tiyn()?) } else { None };

    let n = r.count(8)?;
    let mut consents = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.record()?;
        let cbits = r.bits(2)?;
        let method = r.code()?;
        let recorded_at = r.instant_after(created_at)?;
        let operator = r.str()?;
        let purpose = r.str()?;
        let valid_until = r.date(base_day)?;
        let k = r.count(1)?;
        let mut data_categories = Vec::with_capacity(k);
        for _ in 0..k {
            data_categories.push(r.str()?);
        }
        let withdrawn_at = if on(cbits, 1) {
            Some(r.instant_after(recorded_at)?)
        } else {
            None
        };
        consents.push(Consent {
            id,
            recorded_at,
            method,
            operator,
            purpose,
            valid_until,
            data_categories,
            transfer_to_registry: on(cbits, 0),
            withdrawn_at,
        });
    }

    let n = r.count(9)?;
    let mut members = Vec::with_capacity(n);
    let mut cares = Vec::with_capacity(n);
    for _ in 0..n {
        let (m, c, mother) = decode_member(&mut r)?;
        members.push(m);
        cares.push((c, mother));
    }
    // References resolve against the whole list: a member may care for one
    // listed after them.
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    for (m, (c, mother)) in members.iter_mut().zip(cares) {
        m.cares_for = c
            .into_iter()
            .map(|r| resolve(r, &ids))
            .collect::<R<Vec<_>>>()?;
        m.mother = mother.map(|r| resolve(r, &ids)).transpose()?;
    }

    let n = r.count(5)?;
    let mut incomes = Vec::with_capacity(n);
    let mut prev_month = base_month;
    for _ in 0..n {
        let id = r.record()?;
        let member = r.member_ref()?;
        let kind = r.code()?;
        let amount = r.tiyn()?;
        let month = r.month(prev_month)?;
        prev_month = month_number(month);
        incomes.push(Income {
            id,
            member_id: resolve(member, &ids)?,
            kind,
            amount,
            month,
        });
    }

    let n = r.count(2)?;
    let mut expenses = Vec::with_capacity(n);
    for _ in 0..n {
        let category = r.code()?;
        let amount = r.tiyn()?;
        expenses.push(Expense { category, amount });
    }

    let n = r.count(2)?;
    let mut livestock = Vec::with_capacity(n);
    for _ in 0..n {
        let species = r.code()?;
        let head = r.u32()?;
        livestock.push(Livestock { species, head });
    }
    let n = r.count(2)?;
    let mut land = Vec::with_capacity(n);
    for _ in 0..n {
        let use_ = r.code()?;
        let area_m2 = r.uint()?;
        land.push(Land { area_m2, use_ });
    }
    let n = r.count(2)?;
    let mut vehicles = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = r.code()?;
        let at = r.pos;
        let year_made = match r.uint()? {
            0 => None,
            y => Some(u16::try_from(y - 1).map_err(|_| CompactError::Invalid(at))?),
        };
        vehicles.push(Vehicle { kind, year_made });
    }
    let n = r.count(1)?;
    let mut deposits = Vec::with_capacity(n);
    for _ in 0..n {
        deposits.push(Deposit { amount: r.tiyn()? });
    }
    let n = r.count(4)?;
    let mut loans = Vec::with_capacity(n);
    for _ in 0..n {
        let purpose = r.code()?;
        let outstanding = r.tiyn()?;
        let monthly_payment = r.tiyn()?;
        let taken = if r.bool_byte()? {
            Some(r.month(base_month)?)
        } else {
            None
        };
        loans.push(Loan {
            purpose,
            outstanding,
            monthly_payment,
            taken,
        });
    }

    let n = r.count(3)?;
    let mut documents = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = r.code()?;
        let status = r.code()?;
        let member_id = if r.bool_byte()? {
            Some(resolve(r.member_ref()?, &ids)?)
        } else {
            None
        };
        documents.push(Document {
            kind,
            member_id,
            status,
        });
    }

    let n = r.count(1)?;
    let mut wanted_support = Vec::with_capacity(n);
    for _ in 0..n {
        wanted_support.push(r.code()?);
    }
    let notes = r.opt_str()?;
    if r.pos != bytes.len() {
        return Err(CompactError::Trailing(r.pos));
    }
    Ok(Household {
        schema_version,
        id,
        version,
        replaces,
        status,
        location: Location {
            region,
            district,
            settlement,
        },
        address,
        housing: Housing {
            tenure,
            monthly_rent,
        },
        consents,
        members,
        incomes,
        expenses,
        assets: Assets {
            livestock,
            land,
            vehicles,
            deposits,
            loans,
        },
        documents,
        wanted_support,
        breadwinner_lost: on(bits, 0),
        previous_tsa_refusal,
        card_spending_monthly,
        notes,
        created_at,
        updated_at,
        finalized_at,
    })
}

fn decode_member(r: &mut Reader<'_>) -> R<(Member, Vec<Ref>, Option<Ref>)> {
    let id = r.record()?;
    let bits = r.bits(16)?;
    let surname = r.str()?;
    let given_name = r.str()?;
    let patronymic = r.opt_str()?;
    let birth_date = if on(bits, 2) {
        Some(r.date(EPOCH_2000)?)
    } else {
        None
    };
    let sex = match (on(bits, 3), on(bits, 4)) {
        (false, false) => None,
        (true, false) => Some(Sex::Male),
        (true, true) => Some(Sex::Female),
        (false, true) => return Err(r.invalid()),
    };
    let at = r.pos;
    let iin = match bits & 3 {
        IIN_NONE => None,
        IIN_TEXT => Some(r.str()?),
        IIN_DIGITS => {
            let b = r.take(5)?;
            let mut n = [0u8; 8];
            n[3..].copy_from_slice(b);
            let n = u64::from_be_bytes(n);
            if n >= 1_000_000_000_000 {
                return Err(CompactError::Invalid(at));
            }
            Some(format!("{n:012}"))
        }
        _ => {
            let serial = u16::try_from(r.uint()?).map_err(|_| CompactError::Invalid(at))?;
            match (birth_date, sex) {
                (Some(b), Some(x)) => {
                    Some(iin_from(b, x, serial).ok_or(CompactError::Invalid(at))?)
                }
                _ => return Err(CompactError::Invalid(at)),
            }
        }
    };
    let relation = r.code()?;
    let status = r.code()?;
    let disability = r.code()?;
    let activity = if on(bits, 9) { Some(r.code()?) } else { None };
    let education = if on(bits, 10) { Some(r.code()?) } else { None };
    let mother_award = if on(bits, 11) { Some(r.code()?) } else { None };
    let stated_age = if on(bits, 12) {
        let at = r.pos;
        let years = u32::try_from(r.uint()?).map_err(|_| CompactError::Invalid(at))?;
        Some(StatedAge {
            years,
            on: r.date(EPOCH_2000)?,
        })
    } else {
        None
    };
    let absence = if on(bits, 13) { Some(r.code()?) } else { None };
    let n = r.count(1)?;
    let mut cares = Vec::with_capacity(n);
    for _ in 0..n {
        cares.push(r.member_ref()?);
    }
    let mother = if on(bits, 14) {
        Some(r.member_ref()?)
    } else {
        None
    };
    let children_elsewhere = if on(bits, 15) {
        let at = r.pos;
        Some(u32::try_from(r.uint()?).map_err(|_| CompactError::Invalid(at))?)
    } else {
        None
    };
    Ok((
        Member {
            id,
            iin,
            surname,
            given_name,
            patronymic,
            birth_date,
            sex,
            relation,
            status,
            disability,
            disabled_since_childhood: on(bits, 5),
            long_illness: on(bits, 6),
            activity,
            cares_for: Vec::new(),
            needs_care: on(bits, 7),
            receives_special_services: on(bits, 8),
            education,
            mother_award,
            stated_age,
            absence,
            mother: None,
            children_elsewhere,
        },
        cares,
        mother,
    ))
}

#[cfg(test)]
#[path = "compact_tests.rs"]
mod tests;
