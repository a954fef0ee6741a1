//! Synthetic households for the demo, the benchmarks and the tests.
//!
//! Real intake data can never leave a device, so everything that needs many
//! households uses these: reproducible from a seed, with names that look like
//! rural Kazakhstan's, IINs valid by the check-digit algorithm (but made up), and
//! the situations the seed studies describe — large families, single parents,
//! pensioners alone, a child with a disability, families a few thousand tenge
//! above the poverty line, rent, loans taken for food, livestock.

use crate::model::{
    Activity, Consent, ConsentMethod, Disability, Document, DocumentKind, DocumentStatus,
    Education, Expense, ExpenseCategory, Household, Housing, Income, IncomeKind, Livestock,
    LivestockSpecies, Loan, LoanPurpose, Member, Quarter, Region, Relation, Sex, SupportMeasure,
    Tenure, Tiyn, YearMonth,
};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// The kind of household a synthetic record represents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archetype {
    /// Four or more children, one low or seasonal wage.
    LargeFamily,
    /// A mother alone with young children, alimony irregular.
    SingleParent,
    /// A pensioner living alone, needing some care.
    PensionerAlone,
    /// Parents caring for a child with a disability.
    ChildWithDisability,
    /// A couple with children whose income is just above the poverty line.
    NearThreshold,
    /// An ordinary two-earner family, clearly above the line.
    TwoEarners,
}

const ARCHETYPES: [Archetype; 6] = [
    Archetype::LargeFamily,
    Archetype::SingleParent,
    Archetype::PensionerAlone,
    Archetype::ChildWithDisability,
    Archetype::NearThreshold,
    Archetype::TwoEarners,
];

/// `n` households, the same for the same `seed` and `today`. Each has a valid
/// consent, income for the six months before `today`, and the archetype's
/// situation; the archetypes cycle so any 6 consecutive households cover all.
pub fn households(seed: u64, n: usize, today: NaiveDate) -> Vec<Household> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|i| household(&mut rng, ARCHETYPES[i % ARCHETYPES.len()], today))
        .collect()
}

/// One household of the given archetype.
pub fn household(rng: &mut ChaCha8Rng, archetype: Archetype, today: NaiveDate) -> Household {
    let now = DateTime::<Utc>::from_naive_utc_and_offset(
        today.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()),
        Utc,
    );
    let region = *[
        Region::Aktobe,
        Region::Mangystau,
        Region::Turkistan,
        Region::Zhambyl,
        Region::Kyzylorda,
        Region::AlmatyRegion,
    ]
    .choose(rng)
    .unwrap_or(&Region::Aktobe);
    let mut h = Household::new_draft(region, now);
    h.id = uuid(rng);
    h.location.settlement = Some(pick(rng, VILLAGES).to_string());
    h.location.district = Some(format!(
        "{:02}{:02}00000",
        region.kato_prefix(),
        rng.gen_range(20..60)
    ));
    h.address = Some(format!("{}, {}", pick(rng, STREETS), rng.gen_range(1..120)));
    // Record ids are derived from the household id (as the app makes them);
    // the random draw is kept so every other value of a seed stays the same.
    let _ = uuid(rng);
    h.consents.push(Consent {
        id: h.new_record_id(),
        recorded_at: now,
        method: ConsentMethod::SignedPaper,
        operator: "District department of employment and social programmes".into(),
        purpose: "Assessment of eligibility for social assistance".into(),
        valid_until: today + Days::new(365),
        data_categories: vec!["identity".into(), "income".into(), "health".into()],
        transfer_to_registry: true,
        withdrawn_at: None,
    });

    let family = pick(rng, SURNAMES);
    let mut gen = Gen {
        rng,
        family,
        today,
        h: &mut h,
    };
    match archetype {
        Archetype::LargeFamily => {
            let father = gen.adult(Relation::Head, Sex::Male, 30..45, Activity::Employed);
            gen.adult(Relation::Spouse, Sex::Female, 28..42, Activity::Homemaker);
            let children = gen.rng.gen_range(4..8);
            for _ in 0..children {
                gen.child(0..17);
            }
            gen.monthly_income(father, IncomeKind::Wages, 85_000..140_000);
            gen.monthly_income(father, IncomeKind::LargeFamilyAllowance, 69_000..70_000);
            gen.livestock();
            gen.h.housing = Housing {
                tenure: Some(Tenure::Own),
                monthly_rent: None,
            };
            gen.loan(LoanPurpose::Food, 150_000..400_000);
        }
        Archetype::SingleParent => {
            let mother = gen.adult(Relation::Head, Sex::Female, 22..38, Activity::Employed);
            for _ in 0..gen.rng.gen_range(1..4) {
                gen.child(0..10);
            }
            gen.monthly_income(mother, IncomeKind::Wages, 85_000..110_000);
            if gen.rng.gen_bool(0.5) {
                gen.monthly_income(mother, IncomeKind::Alimony, 15_000..30_000);
            }
            let rent = Tiyn::from_tenge(gen.rng.gen_range(40_000..70_000));
            gen.h.housing = Housing {
                tenure: Some(Tenure::Rent),
                monthly_rent: Some(rent),
            };
            gen.h.expenses.push(Expense {
                category: ExpenseCategory::HousingAndUtilities,
                amount: rent,
            });
        }
        Archetype::PensionerAlone => {
            let p = gen.adult(Relation::Head, Sex::Female, 68..85, Activity::Pensioner);
            if let Some(m) = gen.h.members.iter_mut().find(|m| m.id == p) {
                m.needs_care = true;
            }
            gen.monthly_income(p, IncomeKind::Pension, 75_000..120_000);
            gen.h.housing = Housing {
                tenure: Some(Tenure::Own),
                monthly_rent: None,
            };
        }
        Archetype::ChildWithDisability => {
            let father = gen.adult(Relation::Head, Sex::Male, 28..45, Activity::Employed);
            let mother = gen.adult(Relation::Spouse, Sex::Female, 26..42, Activity::Carer);
            let child = gen.child(3..15);
            gen.child(0..12);
            if let Some(m) = gen.h.members.iter_mut().find(|m| m.id == child) {
                m.disability = Disability::Child;
            }
            if let Some(m) = gen.h.members.iter_mut().find(|m| m.id == mother) {
                m.cares_for = vec![child];
            }
            gen.monthly_income(father, IncomeKind::Wages, 90_000..160_000);
            gen.monthly_income(child, IncomeKind::ChildDisabilityBenefit, 80_000..85_000);
            gen.h.housing = Housing {
                tenure: Some(Tenure::WithRelatives),
                monthly_rent: None,
            };
        }
        Archetype::NearThreshold => {
            let father = gen.adult(Relation::Head, Sex::Male, 27..45, Activity::SelfEmployed);
            let mother = gen.adult(Relation::Spouse, Sex::Female, 25..42, Activity::Employed);
            for _ in 0..3 {
                gen.child(0..14);
            }
            // Five people just above a ~37,000 tenge line: 5 × 38-41k.
            gen.monthly_income(father, IncomeKind::Business, 100_000..110_000);
            gen.monthly_income(mother, IncomeKind::Wages, 88_000..95_000);
            gen.h.housing = Housing {
                tenure: Some(Tenure::Rent),
                monthly_rent: Some(Tiyn::from_tenge(45_000)),
            };
            gen.loan(LoanPurpose::Consumer, 200_000..600_000);
        }
        Archetype::TwoEarners => {
            let a = gen.adult(Relation::Head, Sex::Male, 30..55, Activity::Employed);
            let b = gen.adult(Relation::Spouse, Sex::Female, 28..50, Activity::Employed);
            gen.child(5..17);
            gen.monthly_income(a, IncomeKind::Wages, 250_000..400_000);
            gen.monthly_income(b, IncomeKind::Wages, 180_000..300_000);
            gen.h.housing = Housing {
                tenure: Some(Tenure::Own),
                monthly_rent: None,
            };
        }
    }
    gen.finish();
    h
}

struct Gen<'a> {
    rng: &'a mut ChaCha8Rng,
    family: (&'static str, &'static str),
    today: NaiveDate,
    h: &'a mut Household,
}

impl Gen<'_> {
    fn person(&mut self, relation: Relation, sex: Sex, age_years: std::ops::Range<u32>) -> Member {
        let age = self.rng.gen_range(age_years);
        let days = u64::from(age) * 365 + self.rng.gen_range(0..365);
        let birth = self.today - Days::new(days);
        let surname = match sex {
            Sex::Male => self.family.0,
            Sex::Female => self.family.1,
        };
        let given = match sex {
            Sex::Male => pick(self.rng, MALE_NAMES),
            Sex::Female => pick(self.rng, FEMALE_NAMES),
        };
        let mut m = Member::new(surname, given, relation);
        let _ = uuid(self.rng);
        m.id = self.h.new_record_id();
        m.sex = Some(sex);
        m.birth_date = Some(birth);
        m.patronymic = Some(pick(self.rng, PATRONYMICS).to_string());
        // Newborns often have no IIN on the form yet.
        if age > 0 || self.rng.gen_bool(0.5) {
            m.iin = Some(iin_for(birth, sex, self.rng.gen_range(0..10_000)));
        }
        m
    }

    fn adult(
        &mut self,
        relation: Relation,
        sex: Sex,
        age: std::ops::Range<u32>,
        activity: Activity,
    ) -> Uuid {
        let mut m = self.person(relation, sex, age);
        m.activity = Some(activity);
        m.education = Some(
            *[
                Education::Secondary,
                Education::Vocational,
                Education::Higher,
            ]
            .choose(self.rng)
            .unwrap_or(&Education::Secondary),
        );
        let id = m.id;
        self.h.members.push(m);
        id
    }

    fn child(&mut self, age: std::ops::Range<u32>) -> Uuid {
        let sex = if self.rng.gen_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let mut m = self.person(Relation::Child, sex, age);
        let years = m.age_on(self.today).unwrap_or(0);
        m.activity = Some(if years >= 16 {
            Activity::StudentFullTime
        } else {
            Activity::Child
        });
        let id = m.id;
        self.h.members.push(m);
        id
    }

    /// Income of `kind` for each of the six months before today.
    fn monthly_income(&mut self, member: Uuid, kind: IncomeKind, tenge: std::ops::Range<i64>) {
        let base = self.rng.gen_range(tenge);
        let this = Quarter::of(self.today);
        let months = this
            .previous()
            .previous()
            .months()
            .into_iter()
            .chain(this.previous().months());
        for month in months {
            let wobble = if kind == IncomeKind::Wages {
                self.rng.gen_range(-3_000..3_000)
            } else {
                0
            };
            let _ = uuid(self.rng);
            self.h.incomes.push(Income {
                id: self.h.new_record_id(),
                member_id: member,
                kind,
                amount: Tiyn::from_tenge((base + wobble).max(0)),
                month,
            });
        }
    }

    fn livestock(&mut self) {
        self.h.assets.livestock.push(Livestock {
            species: LivestockSpecies::Sheep,
            head: self.rng.gen_range(3..25),
        });
        if self.rng.gen_bool(0.5) {
            self.h.assets.livestock.push(Livestock {
                species: LivestockSpecies::Cattle,
                head: self.rng.gen_range(1..4),
            });
        }
    }

    fn loan(&mut self, purpose: LoanPurpose, tenge: std::ops::Range<i64>) {
        let outstanding = self.rng.gen_range(tenge);
        let taken = YearMonth::of(self.today - Days::new(self.rng.gen_range(60..700)));
        self.h.assets.loans.push(Loan {
            purpose,
            outstanding: Tiyn::from_tenge(outstanding),
            monthly_payment: Tiyn::from_tenge(outstanding / 12),
            taken: Some(taken),
        });
    }

    fn finish(&mut self) {
        let food = 25_000 * self.h.members.len() as i64;
        self.h.expenses.push(Expense {
            category: ExpenseCategory::Food,
            amount: Tiyn::from_tenge(food),
        });
        self.h.documents.push(Document {
            kind: DocumentKind::IdentityDocument,
            member_id: self.h.members.first().map(|m| m.id),
            status: DocumentStatus::Have,
        });
        let measures = [
            SupportMeasure::Job,
            SupportMeasure::JobSkills,
            SupportMeasure::SubsidiaryFarming,
            SupportMeasure::StartOwnBusiness,
        ];
        if let Some(m) = measures.choose(self.rng) {
            self.h.wanted_support.push(*m);
        }
    }
}

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

/// A made-up IIN valid by the check-digit algorithm, for `birth` and `sex`,
/// trying serials from `serial` on until one has a check digit.
pub fn iin_for(birth: NaiveDate, sex: Sex, serial: u32) -> String {
    use chrono::Datelike;
    let century = match (birth.year() / 100, sex) {
        (18, Sex::Male) => 1,
        (18, Sex::Female) => 2,
        (19, Sex::Male) => 3,
        (19, Sex::Female) => 4,
        (_, Sex::Male) => 5,
        (_, Sex::Female) => 6,
    };
    for s in (0..10_000).map(|i| (serial + i) % 10_000) {
        let prefix = format!(
            "{:02}{:02}{:02}{}{:04}",
            birth.year() % 100,
            birth.month(),
            birth.day(),
            century,
            s
        );
        if let Some(d) = crate::validate::check_digit(&prefix) {
            return format!("{prefix}{d}");
        }
    }
    String::new()
}

const SURNAMES: &[(&str, &str)] = &[
    ("Ахметов", "Ахметова"),
    ("Серикбаев", "Серикбаева"),
    ("Жумабеков", "Жумабекова"),
    ("Нурланов", "Нурланова"),
    ("Касымов", "Касымова"),
    ("Оспанов", "Оспанова"),
    ("Бекмуханов", "Бекмуханова"),
    ("Тлеубаев", "Тлеубаева"),
    ("Сагындыков", "Сагындыкова"),
    ("Абдрахманов", "Абдрахманова"),
    ("Есенов", "Есенова"),
    ("Кенжебаев", "Кенжебаева"),
];
const MALE_NAMES: &[&str] = &[
    "Ерлан",
    "Нурлан",
    "Асхат",
    "Данияр",
    "Бауыржан",
    "Серик",
    "Айдос",
    "Арман",
    "Темирлан",
    "Ержан",
    "Алибек",
    "Санжар",
];
const FEMALE_NAMES: &[&str] = &[
    "Айгуль",
    "Гульнара",
    "Динара",
    "Жанар",
    "Асель",
    "Сауле",
    "Айжан",
    "Мадина",
    "Аружан",
    "Меруерт",
    "Жулдыз",
    "Камила",
];
const PATRONYMICS: &[&str] = &[
    "Серикович",
    "Нурланович",
    "Ерланович",
    "Болатович",
    "Маратович",
    "Серикқызы",
    "Нурланқызы",
    "Болатқызы",
];
const VILLAGES: &[&str] = &[
    "Кос-Истек",
    "Карабутак",
    "Шалкар",
    "Бейнеу",
    "Шетпе",
    "Сарыагаш",
    "Жанакорган",
    "Мерке",
    "Кордай",
    "Шелек",
];
const STREETS: &[&str] = &[
    "ул. Абая",
    "ул. Жамбыла",
    "ул. Толе би",
    "ул. Байтурсынова",
    "ул. Наурызбай батыра",
    "ул. Курмангазы",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    #[test]
    fn same_seed_same_households() {
        let a = households(7, 12, today());
        let b = households(7, 12, today());
        assert_eq!(a, b);
        assert_ne!(a, households(8, 12, today()));
    }

    #[test]
    fn households_pass_finalize_validation() {
        for h in households(1, 60, today()) {
            let problems = crate::validate::validate_for_finalize(&h, today());
            assert!(!problems.has_errors(), "{problems:?}");
        }
    }

    #[test]
    fn iins_are_valid_and_match_birth_dates() {
        for h in households(3, 30, today()) {
            for m in &h.members {
                if let Some(iin) = &m.iin {
                    assert_eq!(iin.len(), 12);
                    let prefix = &iin[..11];
                    let d = crate::validate::check_digit(prefix).unwrap();
                    assert_eq!(&iin[11..], d.to_string());
                }
            }
        }
    }
}
