//! The compact binary form of a household, before compression (codec v1).
//!
//! JSON spends most of a form on field names, quoted enum names, hyphenated
//! UUIDs and decimal dates; on a 2G link every byte of a sealed form is paid
//! for. This is a hand-written, versioned encoding of exactly the model's
//! fields, in a fixed order: enums as one-byte codes, dates as day numbers,
//! instants as seconds and nanoseconds, money as varints, IINs as their serial
//! when the birth date and sex give the rest, strings as UTF-8 with a length.
//! Record ids derived from the household id ([`crate::model::record_id`]) are
//! sent as their index (one byte, mostly "the next one"), references to members as the member's position; any
//! other id as its 16 bytes. Every struct is destructured without `..`, so a
//! field added to the model does not compile until it is encoded here.
//!
//! Decoding is strict: anything short, trailing, non-canonical, out of range or
//! unknown is a [`CompactError`] naming the byte offset, never a panic and
//! never a value (the content is personal data).

use crate::model::{
    record_id, Activity, Assets, Consent, ConsentMethod, Deposit, Disability, Document,
    DocumentKind, DocumentStatus, Education, Expense, ExpenseCategory, FormStatus, Household,
    Housing, Income, IncomeKind, Land, LandUse, Livestock, LivestockSpecies, Loan, LoanPurpose,
    Location, Member, MotherAward, Region, Relation, ResidencyStatus, Sex, SupportMeasure, Tenure,
    Tiyn, Vehicle, VehicleKind, YearMonth,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::HashMap;
use uuid::Uuid;

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

// ---- enum codes -------------------------------------------------------------

trait Code: Sized + Copy {
    fn code(self) -> u8;
    fn from_code(c: u8) -> Option<Self>;
}

/// One byte per variant, fixed forever: a new variant takes a new number.
macro_rules! codes {
    ($t:ident { $($v:ident = $n:literal),+ $(,)? }) => {
        impl Code for $t {
            fn code(self) -> u8 {
                match self { $($t::$v => $n),+ }
            }
            fn from_code(c: u8) -> Option<Self> {
                match c { $($n => Some($t::$v),)+ _ => None }
            }
        }
    };
}

codes!(FormStatus { Draft = 0, Final = 1 });
codes!(Region {
    Abai = 0, Akmola = 1, Aktobe = 2, AlmatyRegion = 3, Atyrau = 4, WestKazakhstan = 5,
    Zhambyl = 6, Zhetysu = 7, Karaganda = 8, Kostanay = 9, Kyzylorda = 10, Mangystau = 11,
    Pavlodar = 12, NorthKazakhstan = 13, Turkistan = 14, Ulytau = 15, EastKazakhstan = 16,
    Astana = 17, Almaty = 18, Shymkent = 19,
});
codes!(Tenure { Own = 0, Rent = 1, WithRelatives = 2, NoHousing = 3, Other = 4 });
codes!(ConsentMethod { SignedPaper = 0, DigitalSignature = 1, OralWithWitness = 2 });
codes!(DocumentKind {
    Application = 0, IdentityDocument = 1, BankAccount = 2, AlimonyCertificate = 3,
    UnemploymentCertificate = 4, MarriageCertificate = 5, DivorceCertificate = 6,
    BirthCertificate = 7, DisabilityCertificate = 8, MedicalCard = 9,
    RehabilitationProgrammeExtract = 10, CourtDecisionOnIncapacity = 11, DeathCertificate = 12,
    IncomeCertificate = 13, Other = 14,
});
codes!(DocumentStatus { Have = 0, Missing = 1, Requested = 2 });
codes!(SupportMeasure {
    StartOwnBusiness = 0, SubsidiaryFarming = 1, Education = 2, JobSkills = 3,
    AdditionalJob = 4, Job = 5,
});
codes!(IncomeKind {
    Wages = 0, Pension = 1, SocialBenefit = 2, AdultDisabilityBenefit = 3, SurvivorBenefit = 4,
    ChildcareBenefit = 5, CarerBenefit = 6, Alimony = 7, SubsidiaryFarming = 8, Business = 9,
    PropertyRentOrSale = 10, Securities = 11, GiftOrInheritance = 12, Credit = 13,
    FreeOfCharge = 14, DepositInterest = 15, MoneyTransfer = 16, Winnings = 17,
    LargeFamilyAllowance = 18, EmploymentMeasures = 19, EmploymentRelocationOneTime = 20,
    HousingCertificate = 21, TargetedSocialAssistance = 22, HousingAssistance = 23,
    FuneralAllowance = 24, ChildDisabilityBenefit = 25, SpecialChildDisabilityBenefit = 26,
    Scholarship = 27, AwardedMothersAllowance = 28, Other = 29,
});
codes!(ExpenseCategory {
    HousingAndUtilities = 0, Food = 1, Medical = 2, KindergartenAndSchool = 3, Transport = 4,
    Clothing = 5, Other = 6,
});
codes!(Sex { Male = 0, Female = 1 });
codes!(Relation {
    Head = 0, Spouse = 1, Child = 2, Stepchild = 3, Grandchild = 4, Parent = 5,
    Grandparent = 6, Sibling = 7, OtherRelative = 8, NotRelated = 9,
});
codes!(ResidencyStatus { Citizen = 0, Kandas = 1, Refugee = 2, Foreigner = 3, Stateless = 4 });
codes!(Disability { None = 0, GroupI = 1, GroupII = 2, GroupIII = 3, Child = 4 });
codes!(Activity {
    Employed = 0, SelfEmployed = 1, Unemployed = 2, Homemaker = 3, Pensioner = 4,
    StudentFullTime = 5, Child = 6, Carer = 7,
});
codes!(Education { None = 0, Primary = 1, Secondary = 2, Vocational = 3, Higher = 4 });
codes!(MotherAward {
    KumisAlqa = 0, AltynAlqa = 1, MotherHeroine = 2, MaternalGloryI = 3, MaternalGloryII = 4,
});
codes!(LivestockSpecies {
    Cattle = 0, Horse = 1, Sheep = 2, Goat = 3, Camel = 4, Pig = 5, Poultry = 6,
});
codes!(LandUse { Garden = 0, Farm = 1, Pasture = 2, Other = 3 });
codes!(VehicleKind { Car = 0, Truck = 1, Motorcycle = 2, Tractor = 3, Other = 4 });
codes!(LoanPurpose { Mortgage = 0, Consumer = 1, Food = 2, Medical = 3, Business = 4, Other = 5 });

// ---- writer -----------------------------------------------------------------

fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

fn unzigzag(v: u128) -> i128 {
    ((v >> 1) as i128) ^ -((v & 1) as i128)
}

struct Writer<'h> {
    out: Vec<u8>,
    h: &'h Household,
    /// Derived record id → (index, versions back) (see [`Writer::record`]).
    derived: HashMap<Uuid, (u32, u32)>,
    /// Member id → position + 1 (the first member with that id).
    members: HashMap<Uuid, u64>,
    /// The index of the last derived id of the current version written.
    last: i64,
}

impl<'h> Writer<'h> {
    fn new(h: &'h Household) -> Writer<'h> {
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
    fn index_derived(&mut self) {
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

    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    fn varint(&mut self, mut v: u128) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn uint(&mut self, v: u64) {
        self.varint(u128::from(v));
    }

    fn int(&mut self, v: i128) {
        self.varint(zigzag(v));
    }

    fn len(&mut self, n: usize) {
        self.uint(n as u64);
    }

    fn code<C: Code>(&mut self, c: C) {
        self.byte(c.code());
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                self.uint(s.len() as u64 + 1);
                self.out.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn uuid(&mut self, id: Uuid) {
        self.out.extend_from_slice(id.as_bytes());
    }

    /// A record's own id: 0 and its 16 bytes; or, derived at index `i` of
    /// the current version, 1 when `i` follows the last such index written
    /// (records are mostly listed in the order they were made), else `2i + 2`;
    /// derived in a version `b` back, `2i + 3` then `b`.
    fn record(&mut self, id: Uuid) {
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
    fn member_ref(&mut self, id: Uuid) {
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
    fn tiyn(&mut self, t: Tiyn) {
        let v = i128::from(t.0);
        if v % 100 == 0 {
            self.varint(zigzag(v / 100) << 1);
        } else {
            self.varint((zigzag(v) << 1) | 1);
        }
    }

    fn date(&mut self, d: NaiveDate, base: i32) {
        self.int(i128::from(d.num_days_from_ce()) - i128::from(base));
    }

    /// An absolute instant: seconds since 1970 then nanoseconds.
    fn instant(&mut self, t: DateTime<Utc>) {
        self.int(i128::from(t.timestamp()));
        self.uint(u64::from(t.timestamp_subsec_nanos()));
    }

    /// An instant as the nanoseconds since `base` × 2; one chrono cannot
    /// rebuild that way (a leap second) as 1 then [`Writer::instant`].
    fn instant_after(&mut self, t: DateTime<Utc>, base: DateTime<Utc>) {
        let delta = nanos(t) - nanos(base);
        if after(base, delta) == Some(t) {
            self.varint(zigzag(delta) << 1);
        } else {
            self.uint(1);
            self.instant(t);
        }
    }

    fn month(&mut self, m: YearMonth, base: i64) {
        self.int(i128::from(month_number(m)) - i128::from(base));
    }
}

fn nanos(t: DateTime<Utc>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
}

fn after(base: DateTime<Utc>, delta: i128) -> Option<DateTime<Utc>> {
    let total = nanos(base).checked_add(delta)?;
    let secs = i64::try_from(total.div_euclid(1_000_000_000)).ok()?;
    let sub = u32::try_from(total.rem_euclid(1_000_000_000)).ok()?;
    DateTime::from_timestamp(secs, sub)
}

fn month_number(m: YearMonth) -> i64 {
    i64::from(m.year()) * 12 + i64::from(m.month()) - 1
}

fn flag(bits: &mut u64, i: u32, on: bool) {
    if on {
        *bits |= 1 << i;
    }
}

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
    w.len(cares_for.len());
    for c in cares_for {
        w.member_ref(*c);
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

// ---- reader -----------------------------------------------------------------

struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
    household: Uuid,
    version: u32,
    /// See [`Writer::record`].
    last: i64,
}

type R<T> = Result<T, CompactError>;

impl<'b> Reader<'b> {
    fn invalid(&self) -> CompactError {
        CompactError::Invalid(self.pos)
    }

    fn take(&mut self, n: usize) -> R<&'b [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(CompactError::Truncated(self.pos))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> R<u8> {
        Ok(self.take(1)?[0])
    }

    /// LEB128, at most 19 bytes (128 bits), canonical (no trailing zero byte).
    fn varint(&mut self) -> R<u128> {
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

    fn uint(&mut self) -> R<u64> {
        let at = self.pos;
        u64::try_from(self.varint()?).map_err(|_| CompactError::Invalid(at))
    }

    fn u32(&mut self) -> R<u32> {
        let at = self.pos;
        u32::try_from(self.uint()?).map_err(|_| CompactError::Invalid(at))
    }

    fn int(&mut self) -> R<i128> {
        Ok(unzigzag(self.varint()?))
    }

    /// A count of items of at least `min` bytes each; never more than the
    /// bytes left can hold, so no allocation follows a forged length.
    fn count(&mut self, min: usize) -> R<usize> {
        let at = self.pos;
        let n = usize::try_from(self.uint()?).map_err(|_| CompactError::Invalid(at))?;
        if n.saturating_mul(min.max(1)) > self.bytes.len() - self.pos {
            return Err(CompactError::Truncated(at));
        }
        Ok(n)
    }

    fn code<C: Code>(&mut self) -> R<C> {
        let at = self.pos;
        C::from_code(self.byte()?).ok_or(CompactError::Invalid(at))
    }

    fn bytes_str(&mut self, n: usize) -> R<String> {
        let at = self.pos;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| CompactError::Invalid(at))
    }

    fn str(&mut self) -> R<String> {
        let n = self.count(1)?;
        self.bytes_str(n)
    }

    fn opt_str(&mut self) -> R<Option<String>> {
        let at = self.pos;
        match self.uint()? {
            0 => Ok(None),
            n => {
                let n = usize::try_from(n - 1).map_err(|_| CompactError::Invalid(at))?;
                self.bytes_str(n).map(Some)
            }
        }
    }

    fn uuid(&mut self) -> R<Uuid> {
        let b = self.take(16)?;
        Uuid::from_slice(b).map_err(|_| self.invalid())
    }

    fn record(&mut self) -> R<Uuid> {
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
    fn member_ref(&mut self) -> R<Ref> {
        let at = self.pos;
        match self.uint()? {
            0 => Ok(Ref::Id(self.uuid()?)),
            n => usize::try_from(n - 1)
                .map(|i| Ref::Member(i, at))
                .map_err(|_| CompactError::Invalid(at)),
        }
    }

    fn tiyn(&mut self) -> R<Tiyn> {
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

    fn date(&mut self, base: i32) -> R<NaiveDate> {
        let at = self.pos;
        let d = self.int()?.checked_add(i128::from(base));
        d.and_then(|d| i32::try_from(d).ok())
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(CompactError::Invalid(at))
    }

    fn instant(&mut self) -> R<DateTime<Utc>> {
        let at = self.pos;
        let secs = i64::try_from(self.int()?).map_err(|_| CompactError::Invalid(at))?;
        let nanos = self.u32()?;
        DateTime::from_timestamp(secs, nanos).ok_or(CompactError::Invalid(at))
    }

    fn instant_after(&mut self, base: DateTime<Utc>) -> R<DateTime<Utc>> {
        let at = self.pos;
        match self.varint()? {
            1 => self.instant(),
            v if v & 1 == 0 => after(base, unzigzag(v >> 1)).ok_or(CompactError::Invalid(at)),
            _ => Err(CompactError::Invalid(at)),
        }
    }

    fn month(&mut self, base: i64) -> R<YearMonth> {
        let at = self.pos;
        let n = self.int()?.checked_add(i128::from(base));
        n.and_then(|n| {
            let year = i32::try_from(n.div_euclid(12)).ok()?;
            let month = u8::try_from(n.rem_euclid(12) + 1).ok()?;
            YearMonth::new(year, month)
        })
        .ok_or(CompactError::Invalid(at))
    }

    fn bool_byte(&mut self) -> R<bool> {
        let at = self.pos;
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(CompactError::Invalid(at)),
        }
    }

    fn bits(&mut self, allowed: u32) -> R<u64> {
        let at = self.pos;
        let b = self.uint()?;
        if b >> allowed != 0 {
            return Err(CompactError::Invalid(at));
        }
        Ok(b)
    }
}

enum Ref {
    Id(Uuid),
    /// A member position and where it was read (for the error).
    Member(usize, usize),
}

fn resolve(r: Ref, members: &[Uuid]) -> R<Uuid> {
    match r {
        Ref::Id(id) => Ok(id),
        Ref::Member(i, at) => members.get(i).copied().ok_or(CompactError::Invalid(at)),
    }
}

fn on(bits: u64, i: u32) -> bool {
    bits & (1 << i) != 0
}

/// The household in compact `bytes`; the whole input must be one household.
pub fn decode(bytes: &[u8]) -> Result<Household, CompactError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        household: Uuid::nil(),
        version: 0,
        last: -1,
    };
    let at = r.pos;
    let schema_version = u16::try_from(r.uint()?).map_err(|_| CompactError::Invalid(at))?;
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
    let bits = r.bits(4)?;
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
        let (m, c) = decode_member(&mut r)?;
        members.push(m);
        cares.push(c);
    }
    // References resolve against the whole list: a member may care for one
    // listed after them.
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    for (m, c) in members.iter_mut().zip(cares) {
        m.cares_for = c
            .into_iter()
            .map(|r| resolve(r, &ids))
            .collect::<R<Vec<_>>>()?;
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
        notes,
        created_at,
        updated_at,
        finalized_at,
    })
}

fn decode_member(r: &mut Reader<'_>) -> R<(Member, Vec<Ref>)> {
    let id = r.record()?;
    let bits = r.bits(12)?;
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
    let n = r.count(1)?;
    let mut cares = Vec::with_capacity(n);
    for _ in 0..n {
        cares.push(r.member_ref()?);
    }
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
        },
        cares,
    ))
}

#[cfg(test)]
#[path = "compact_tests.rs"]
mod tests;
