//! The applicant's self-check: "am I likely eligible?" on their own phone.
//!
//! Two-thirds of families who thought themselves eligible never applied for lack
//! of information. The self-check takes only what a person can answer without
//! documents (region, who lives with them with ages and situation, incomes by
//! kind as monthly amounts for the last quarter, rent, loans, savings, cars),
//! builds an in-memory [`Household`] and returns the same [`Report`] as a field
//! pre-check. Nothing is stored, nothing needs an unlock, and the input holds no
//! names or IINs. The JSON form of [`SelfCheckInput`] is also the CLI's household
//! file format.

use super::report::Report;
use super::RulePack;
use crate::model::{
    Absence, Activity, Assets, Deposit, Disability, Expense, Household, Housing, Income,
    IncomeKind, Loan, LoanPurpose, Member, MotherAward, Quarter, Region, Relation, ResidencyStatus,
    Sex, Tenure, Tiyn, TsaRefusal, Vehicle, VehicleKind,
};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// People in one family: far more than any household applying for assistance
/// (the domain's large families have 4 to 10 children).
pub const MAX_MEMBERS: usize = 50;
/// Cars owned. Each becomes a vehicle record of the household, so the count
/// is bounded before anything is allocated; owning one already counts as an
/// asset for the pre-checks.
pub const MAX_CARS: u32 = 50;
/// Entries of any other list of the answers (a member's incomes or care
/// links, loans, expenses).
pub const MAX_ENTRIES: usize = 100;

/// Answers that cannot become a household: a count beyond its bound. `field`
/// is the answer's path (`cars`, `members[2].incomes`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: more than the {max} allowed")]
pub struct TooMany {
    pub field: String,
    pub count: u64,
    pub max: u64,
}

impl SelfCheckInput {
    /// Every count of the answers within its bound, checked before any
    /// allocation follows one (a phone that panics ends the app).
    pub fn check_counts(&self) -> Result<(), TooMany> {
        fn within(field: impl Into<String>, count: usize, max: usize) -> Result<(), TooMany> {
            if count > max {
                return Err(TooMany {
                    field: field.into(),
                    count: count as u64,
                    max: max as u64,
                });
            }
            Ok(())
        }
        within("members", self.members.len(), MAX_MEMBERS)?;
        if self.cars > MAX_CARS {
            return Err(TooMany {
                field: "cars".into(),
                count: u64::from(self.cars),
                max: u64::from(MAX_CARS),
            });
        }
        if self.livestock_head > crate::validate::bounds::MAX_LIVESTOCK_HEAD {
            return Err(TooMany {
                field: "livestock_head".into(),
                count: u64::from(self.livestock_head),
                max: u64::from(crate::validate::bounds::MAX_LIVESTOCK_HEAD),
            });
        }
        within("loans", self.loans.len(), MAX_ENTRIES)?;
        within("expenses", self.expenses.len(), MAX_ENTRIES)?;
        for (i, m) in self.members.iter().enumerate() {
            within(
                format!("members[{i}].incomes"),
                m.incomes.len(),
                MAX_ENTRIES,
            )?;
            within(
                format!("members[{i}].cares_for"),
                m.cares_for.len(),
                MAX_ENTRIES,
            )?;
        }
        Ok(())
    }
}

/// What an applicant answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckInput {
    pub region: Option<Region>,
    /// District as the rule pack names it (KATO code), when known.
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub members: Vec<SelfCheckMember>,
    #[serde(default)]
    pub tenure: Option<Tenure>,
    /// Monthly rent, when renting.
    #[serde(default)]
    pub monthly_rent: Option<Tiyn>,
    /// Essential monthly expenses by category (the expenditure-based view).
    #[serde(default)]
    pub expenses: Vec<Expense>,
    /// Loans still owed.
    #[serde(default)]
    pub loans: Vec<SelfCheckLoan>,
    /// Savings and deposits, total.
    #[serde(default)]
    pub deposits: Option<Tiyn>,
    #[serde(default)]
    pub cars: u32,
    /// Head of livestock (all species), when the family keeps any.
    #[serde(default)]
    pub livestock_head: u32,
    /// The family lost its breadwinner.
    #[serde(default)]
    pub breadwinner_lost: bool,
    /// TSA was refused or stopped before (refused employment measures, a
    /// broken social contract): the result says when the family can apply
    /// again.
    #[serde(default)]
    pub previous_tsa_refusal: Option<TsaRefusal>,
}

/// One person in the family, without name or IIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckMember {
    pub relation: Relation,
    /// Age in whole years; used when the birth date is not given.
    #[serde(default)]
    pub age: Option<u32>,
    /// Preferred over `age` when known (ages near a limit matter).
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub status: ResidencyStatus,
    #[serde(default)]
    pub disability: Disability,
    #[serde(default)]
    pub disabled_since_childhood: bool,
    #[serde(default)]
    pub long_illness: bool,
    #[serde(default)]
    pub activity: Option<Activity>,
    /// Indexes (in `members`) of the people this person cares for.
    #[serde(default)]
    pub cares_for: Vec<usize>,
    #[serde(default)]
    pub needs_care: bool,
    #[serde(default)]
    pub receives_special_services: bool,
    #[serde(default)]
    pub mother_award: Option<MotherAward>,
    /// Monthly incomes of the last quarter, by kind (average per month).
    #[serde(default)]
    pub incomes: Vec<SelfCheckIncome>,
    /// Away from the family for now (abroad, military service, prison, state
    /// care): the law decides whether the person counts.
    #[serde(default)]
    pub absence: Option<Absence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckIncome {
    pub kind: IncomeKind,
    /// Per month, in tiyn.
    pub monthly: Tiyn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckLoan {
    pub purpose: LoanPurpose,
    pub outstanding: Tiyn,
    #[serde(default)]
    pub monthly_payment: Tiyn,
}

/// The in-memory household the answers describe. Member ids are deterministic
/// (1, 2, …) so the same answers give the same report. Answers with a count
/// beyond its bound are refused ([`SelfCheckInput::check_counts`]).
pub fn to_household(input: &SelfCheckInput, date: NaiveDate) -> Result<Household, TooMany> {
    input.check_counts()?;
    let now = date.and_time(NaiveTime::MIN).and_utc();
    let region = input.region.unwrap_or(Region::Astana);
    let mut h = Household::new_draft(region, now);
    h.id = Uuid::nil();
    h.location.district = input.district.clone();
    h.housing = Housing {
        tenure: input.tenure,
        monthly_rent: input.monthly_rent,
    };
    h.expenses = input.expenses.clone();
    h.breadwinner_lost = input.breadwinner_lost;
    h.previous_tsa_refusal = input.previous_tsa_refusal;
    let id_of = |i: usize| Uuid::from_u128(i as u128 + 1);
    let reference = Quarter::of(date).previous();
    let mut income_seq: u128 = 0;
    for (i, m) in input.members.iter().enumerate() {
        let mut member = Member::new("", "", m.relation);
        member.id = id_of(i);
        // An age is kept as an age (never an assumed birthday): limits in
        // months, or near the age, then give "needs review".
        member.birth_date = m.birth_date;
        member.stated_age = match (m.birth_date, m.age) {
            (None, Some(years)) => Some(crate::model::StatedAge { years, on: date }),
            _ => None,
        };
        member.sex = m.sex;
        member.status = m.status;
        member.disability = m.disability;
        member.disabled_since_childhood = m.disabled_since_childhood;
        member.long_illness = m.long_illness;
        member.activity = m.activity;
        member.cares_for = m
            .cares_for
            .iter()
            .filter(|j| **j < input.members.len())
            .map(|j| id_of(*j))
            .collect();
        member.needs_care = m.needs_care;
        member.receives_special_services = m.receives_special_services;
        member.mother_award = m.mother_award;
        member.absence = m.absence;
        h.members.push(member);
        for inc in &m.incomes {
            for month in reference.months() {
                income_seq += 1;
                h.incomes.push(Income {
                    id: Uuid::from_u128(1 << 64 | income_seq),
                    member_id: id_of(i),
                    kind: inc.kind,
                    amount: inc.monthly,
                    month,
                });
            }
        }
    }
    h.assets = Assets {
        livestock: if input.livestock_head > 0 {
            vec![crate::model::Livestock {
                species: crate::model::LivestockSpecies::Sheep,
                head: input.livestock_head,
            }]
        } else {
            Vec::new()
        },
        land: Vec::new(),
        vehicles: (0..input.cars)
            .map(|_| Vehicle {
                kind: VehicleKind::Car,
                year_made: None,
            })
            .collect(),
        deposits: input
            .deposits
            .map(|amount| vec![Deposit { amount }])
            .unwrap_or_default(),
        loans: input
            .loans
            .iter()
            .map(|l| Loan {
                purpose: l.purpose,
                outstanding: l.outstanding,
                monthly_payment: l.monthly_payment,
                taken: None,
            })
            .collect(),
    };
    Ok(h)
}

/// The self-check report. Missing answers come back as `MissingInformation`
/// with the input's own paths (`members[1].age`, `region`).
pub fn self_check(
    input: &SelfCheckInput,
    pack: &RulePack,
    date: NaiveDate,
) -> Result<Report, TooMany> {
    let household = to_household(input, date)?;
    let mut report = super::evaluate(&household, pack, date);
    for p in &mut report.programmes {
        if let super::Outcome::MissingInformation { fields } = &mut p.outcome {
            for f in fields.iter_mut() {
                if let Some(rest) = f.strip_suffix(".birth_date") {
                    *f = format!("{rest}.age");
                }
            }
            if input.region.is_none() && !fields.iter().any(|f| f == "region") {
                fields.insert(0, "region".to_string());
            }
        } else if input.region.is_none() {
            p.outcome = super::Outcome::MissingInformation {
                fields: vec!["region".to_string()],
            };
            p.amount = None;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{default_pack, Outcome, ProgrammeId};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const FAMILY_JSON: &str = r#"{
        "region": "aktobe",
        "tenure": "rent",
        "monthly_rent": 6000000,
        "members": [
            {"relation": "head", "age": 34, "sex": "female", "activity": "employed",
             "incomes": [{"kind": "wages", "monthly": 9000000}]},
            {"relation": "child", "age": 8},
            {"relation": "child", "age": 5},
            {"relation": "child", "age": 2}
        ]
    }"#;

    #[test]
    fn a_self_check_from_json_gives_the_same_report_as_a_household() {
        let input: SelfCheckInput = serde_json::from_str(FAMILY_JSON).unwrap();
        let date = d(2026, 2, 10);
        let report = self_check(&input, default_pack(), date).unwrap();
        let tsa = report
            .programme(ProgrammeId::TargetedSocialAssistance)
            .unwrap();
        // Wages 90,000 a month over Q4 2025: 270,000 / 4 / 3 = 22,500 PCI,
        // Aktobe Q1 2026 line 37,060 (published): margin 14,560, × 4 = 58,240;
        // two children aged 1-6 (5 and 2): 2 × 1.5 × 4,325 = 12,975.
        assert_eq!(tsa.outcome, Outcome::LikelyEligible);
        assert_eq!(tsa.margin, Some(Tiyn::from_tenge(14_560)));
        assert_eq!(
            tsa.amount.map(|a| a.value),
            Some(Tiyn::from_tenge(58_240 + 12_975))
        );
        let household = to_household(&input, date).unwrap();
        assert_eq!(
            crate::rules::evaluate(&household, default_pack(), date),
            report
        );
    }

    #[test]
    fn missing_answers_are_named_with_the_input_paths() {
        let input: SelfCheckInput = serde_json::from_str(
            r#"{"members": [{"relation": "head", "age": 40}, {"relation": "child"}]}"#,
        )
        .unwrap();
        let report = self_check(&input, default_pack(), d(2026, 2, 10)).unwrap();
        let tsa = report
            .programme(ProgrammeId::TargetedSocialAssistance)
            .unwrap();
        assert_eq!(
            tsa.outcome,
            Outcome::MissingInformation {
                fields: vec!["region".into(), "members[1].age".into()]
            }
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<SelfCheckInput>(r#"{"iin": "881124300178"}"#);
        assert!(err.is_err());
    }

    /// Issue 11, finding 10: a count is refused before it allocates (on main
    /// `"cars": 4294967295` built four billion vehicles and aborted).
    #[test]
    fn counts_beyond_their_bound_are_refused_before_allocating() {
        let date = d(2026, 2, 10);
        for (json, field) in [
            (r#"{"cars": 4294967295}"#, "cars"),
            (r#"{"cars": 100000000}"#, "cars"),
            (r#"{"livestock_head": 4294967295}"#, "livestock_head"),
        ] {
            let input: SelfCheckInput = serde_json::from_str(json).unwrap();
            let e = self_check(&input, default_pack(), date).unwrap_err();
            assert_eq!(e.field, field);
        }
        let many = SelfCheckInput {
            members: vec![
                SelfCheckMember {
                    relation: Relation::Child,
                    age: Some(3),
                    birth_date: None,
                    sex: None,
                    status: ResidencyStatus::default(),
                    disability: Disability::default(),
                    disabled_since_childhood: false,
                    long_illness: false,
                    activity: None,
                    cares_for: vec![0; MAX_ENTRIES + 1],
                    needs_care: false,
                    receives_special_services: false,
                    mother_award: None,
                    incomes: Vec::new(),
                    absence: None,
                };
                2
            ],
            ..SelfCheckInput::default()
        };
        assert_eq!(
            to_household(&many, date).unwrap_err().field,
            "members[0].cares_for"
        );
        let mut crowd = many.clone();
        crowd.members = vec![many.members[0].clone(); MAX_MEMBERS + 1];
        crowd.members[0].cares_for.clear();
        assert_eq!(to_household(&crowd, date).unwrap_err().field, "members");
        let fine = SelfCheckInput {
            cars: MAX_CARS,
            ..SelfCheckInput::default()
        };
        assert_eq!(
            to_household(&fine, date).unwrap().assets.vehicles.len(),
            MAX_CARS as usize
        );
    }

    /// Issue 12: the applicant can say a member is away and that TSA was
    /// refused before; the answers reach the same rules as the intake form.
    /// Refusal on 2025-12-01, bar of 6 months (default pack) → the family
    /// can apply again on 2026-06-01; the son in military service is not
    /// counted: 4 members answered, 3 counted.
    #[test]
    fn absence_and_a_previous_refusal_are_answers_too() {
        let date = d(2026, 2, 10);
        let mut input: SelfCheckInput = serde_json::from_str(FAMILY_JSON).unwrap();
        input.members.truncate(2);
        let mut son = input.members[1].clone();
        son.age = None;
        son.birth_date = Some(d(2006, 3, 1));
        son.sex = Some(Sex::Male);
        son.activity = Some(Activity::Unemployed);
        son.absence = Some(Absence::MilitaryService);
        input.members.push(son);
        input.members.push(input.members[1].clone());
        input.previous_tsa_refusal = Some(TsaRefusal {
            date: d(2025, 12, 1),
            reason: crate::model::RefusalReason::BrokenSocialContract,
        });
        let report = self_check(&input, default_pack(), date).unwrap();
        let tsa = report
            .programme(ProgrammeId::TargetedSocialAssistance)
            .unwrap();
        let figures = tsa.figures.as_ref().unwrap();
        assert_eq!(figures.can_apply_again_on, Some(d(2026, 6, 1)));
        assert_eq!(figures.members_counted, 3);
        assert_eq!(tsa.outcome, Outcome::LikelyNotEligible);
        assert_eq!(tsa.amount, None);

        // The same answers as JSON, as the web page and the apps send them.
        let json = r#"{"region": "aktobe",
            "previous_tsa_refusal": {"date": "2025-12-01", "reason": "broken_social_contract"},
            "members": [{"relation": "head", "age": 40},
                        {"relation": "child", "birth_date": "2006-03-01", "absence": "military_service"}]}"#;
        let parsed: SelfCheckInput = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.members[1].absence, Some(Absence::MilitaryService));
        let h = to_household(&parsed, date).unwrap();
        assert_eq!(h.members[1].absence, Some(Absence::MilitaryService));
        assert_eq!(h.previous_tsa_refusal, parsed.previous_tsa_refusal);
    }

    #[test]
    fn an_age_is_kept_as_an_age_on_the_day() {
        let date = d(2026, 2, 10);
        let input: SelfCheckInput =
            serde_json::from_str(r#"{"members": [{"relation": "head", "age": 7}]}"#).unwrap();
        let h = to_household(&input, date).unwrap();
        assert_eq!(h.members[0].birth_date, None);
        let stated = h.members[0].stated_age.unwrap();
        assert_eq!((stated.years, stated.on), (7, date));
        let (earliest, latest) = stated.birth_window().unwrap();
        assert_eq!(crate::model::age_on(earliest, date), Some(7));
        assert_eq!(crate::model::age_on(latest, date), Some(7));
    }
}
