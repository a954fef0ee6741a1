//! Cases for special social services and the advisory views: each ground and
//! each early-risk flag, once where it must be raised and once where it must
//! not. Amounts are computed by hand from the default pack (2026: budget-law
//! PM 50,851 tenge; advisory near-miss limit 5,000 tenge per person, rent limit
//! half of income, sole carer of a child aged 0-2).

use crate::model::{
    Disability, Expense, ExpenseCategory, Household, Income, IncomeKind, Loan, LoanPurpose, Member,
    Region, Relation, Sex, Tiyn, YearMonth,
};
use crate::rules::report::{Message, Value};
use crate::rules::{default_pack, evaluate, Outcome, ProgrammeId, ProgrammeResult};
use chrono::{Months, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

/// 10 February 2026: the TSA reference quarter is Q4 2025.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 10).unwrap()
}

fn born_years_ago(years: u32) -> NaiveDate {
    today() - Months::new(years * 12 + 1)
}

fn person(relation: Relation, age: u32, sex: Sex) -> Member {
    let mut m = Member::new("S", "G", relation);
    m.birth_date = Some(born_years_ago(age));
    m.sex = Some(sex);
    m
}

fn household(members: Vec<Member>) -> Household {
    let mut h = Household::new_draft(
        Region::Aktobe,
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    );
    h.members = members;
    h
}

/// `tenge` a month of `kind` to member `i` in each month of Q4 2025.
fn monthly_income(h: &mut Household, i: usize, kind: IncomeKind, tenge: i64) {
    for month in 10..=12 {
        h.incomes.push(Income {
            id: Uuid::new_v4(),
            member_id: h.members[i].id,
            kind,
            amount: Tiyn::from_tenge(tenge),
            month: YearMonth::new(2025, month).unwrap(),
        });
    }
}

fn results(h: &Household, p: ProgrammeId) -> Vec<ProgrammeResult> {
    evaluate(h, default_pack(), today())
        .programmes
        .into_iter()
        .filter(|r| r.programme == p)
        .collect()
}

fn flags(h: &Household) -> Vec<Message> {
    let got = results(h, ProgrammeId::AdvisoryRiskFlags);
    assert!(got.len() <= 1);
    got.into_iter().flat_map(|r| r.flags).collect()
}

fn has_flag(h: &Household, id: &str) -> bool {
    flags(h).iter().any(|f| f.id.as_str() == id)
}

/// (member index, ground message id) per special-services result.
type Grounds = Vec<(u32, String)>;

fn grounds(h: &Household) -> Grounds {
    results(h, ProgrammeId::SpecialServices)
        .iter()
        .map(|r| {
            (
                r.member.map_or(u32::MAX, |m| m.index),
                r.steps[0].id.as_str().to_string(),
            )
        })
        .collect()
}

#[test]
fn special_services_grounds() {
    // (case, household, expected (member index, ground))
    let mut child5 = person(Relation::Child, 5, Sex::Female);
    child5.disability = Disability::Child;
    let mut child1 = person(Relation::Child, 1, Sex::Female);
    child1.disability = Disability::Child;
    let mut child17 = person(Relation::Child, 17, Sex::Male);
    child17.disability = Disability::Child;
    let mut group1 = person(Relation::Head, 40, Sex::Male);
    group1.disability = Disability::GroupI;
    let mut group3 = person(Relation::Head, 40, Sex::Male);
    group3.disability = Disability::GroupIII;
    let mut elderly = person(Relation::Head, 75, Sex::Female);
    elderly.needs_care = true;
    let elderly_fit = person(Relation::Head, 75, Sex::Female);
    let parent = || person(Relation::Head, 35, Sex::Female);
    let spouse = || person(Relation::Spouse, 45, Sex::Female);
    let son = || person(Relation::Child, 40, Sex::Male);

    let ground = |g: &str| format!("special-services-ground-{g}");
    let cases: Vec<(&str, Household, Grounds)> = vec![
        (
            "child with a disability aged 5",
            household(vec![parent(), child5.clone()]),
            vec![(1, ground("child-disability"))],
        ),
        (
            "child with a disability aged 17 (still under 18)",
            household(vec![parent(), child17]),
            vec![(1, ground("child-disability"))],
        ),
        (
            "child with a disability aged 1 (under 1.5)",
            household(vec![parent(), child1]),
            vec![],
        ),
        (
            "group I living alone",
            household(vec![group1.clone()]),
            vec![(0, ground("disability-no-support"))],
        ),
        (
            "group I with a working-age spouse",
            household(vec![group1, spouse()]),
            vec![],
        ),
        ("group III alone", household(vec![group3]), vec![]),
        (
            "elderly needing care, alone",
            household(vec![elderly.clone()]),
            vec![(0, ground("elderly-no-support"))],
        ),
        (
            "elderly needing care with a working-age son",
            household(vec![elderly, son()]),
            vec![],
        ),
        (
            "elderly alone, not needing care",
            household(vec![elderly_fit]),
            vec![],
        ),
    ];
    for (case, h, expected) in cases {
        assert_eq!(grounds(&h), expected, "{case}");
    }
}

#[test]
fn special_services_say_where_to_apply_and_what_to_bring_and_notice_services_received() {
    let mut child = person(Relation::Child, 5, Sex::Female);
    child.disability = Disability::Child;
    let h = household(vec![person(Relation::Head, 35, Sex::Female), child]);
    let r = &results(&h, ProgrammeId::SpecialServices)[0];
    assert_eq!(r.outcome, Outcome::NeedsReview);
    assert_eq!(r.steps[1].id.as_str(), "special-services-step-where");
    assert!(!r.documents.is_empty());
    assert!(r.flags.is_empty());

    let mut h = h;
    h.members[1].receives_special_services = true;
    let r = &results(&h, ProgrammeId::SpecialServices)[0];
    assert_eq!(
        r.flags[0].id.as_str(),
        "special-services-flag-already-receives"
    );
}

#[test]
fn expenditure_view_compares_expenses_income_and_the_standard() {
    let couple = || {
        household(vec![
            person(Relation::Head, 40, Sex::Male),
            person(Relation::Spouse, 38, Sex::Female),
        ])
    };
    // No expenses recorded: no view.
    assert!(results(&couple(), ProgrammeId::AdvisoryExpenditure).is_empty());

    // Income 90,000 a month; expenses 60,000 + 50,000 = 110,000; standard
    // 1.00 × 50,851 × 2 = 101,702. Gap 90,000 − 110,000 = −20,000.
    let mut h = couple();
    monthly_income(&mut h, 0, IncomeKind::Wages, 90_000);
    h.expenses.push(Expense {
        category: ExpenseCategory::Food,
        amount: Tiyn::from_tenge(60_000),
    });
    h.expenses.push(Expense {
        category: ExpenseCategory::HousingAndUtilities,
        amount: Tiyn::from_tenge(50_000),
    });
    let r = &results(&h, ProgrammeId::AdvisoryExpenditure)[0];
    assert!(r.advisory);
    assert_eq!(r.outcome, Outcome::NeedsReview);
    assert_eq!(r.margin, Some(Tiyn::from_tenge(-20_000)));
    let standard = r
        .steps
        .iter()
        .find(|s| s.id.as_str() == "advisory-step-standard")
        .and_then(|s| s.args.iter().find(|a| a.name == "amount"))
        .map(|a| a.value.clone());
    assert_eq!(standard, Some(Value::Tiyn(Tiyn::from_tenge(101_702))));

    // Income 150,000, expenses 40,000: the standard 101,702 is the larger;
    // gap 48,298, no shortfall.
    let mut h = couple();
    monthly_income(&mut h, 0, IncomeKind::Wages, 150_000);
    h.expenses.push(Expense {
        category: ExpenseCategory::Food,
        amount: Tiyn::from_tenge(40_000),
    });
    let r = &results(&h, ProgrammeId::AdvisoryExpenditure)[0];
    assert_eq!(r.outcome, Outcome::LikelyNotEligible);
    assert_eq!(r.margin, Some(Tiyn::from_tenge(48_298)));
}

/// A couple whose per-capita income is `over` tenge above the TSA line.
fn couple_over_the_line_by(over: i64) -> Household {
    let mut h = household(vec![
        person(Relation::Head, 40, Sex::Male),
        person(Relation::Spouse, 38, Sex::Female),
    ]);
    // With no income the margin is the line itself.
    let line = results(&h, ProgrammeId::TargetedSocialAssistance)[0]
        .margin
        .unwrap()
        .get()
        / 100;
    monthly_income(&mut h, 0, IncomeKind::Wages, (line + over) * 2);
    h
}

#[test]
fn near_miss_is_flagged_below_five_thousand_tenge_per_person_only() {
    let h = couple_over_the_line_by(4_000);
    let tsa = &results(&h, ProgrammeId::TargetedSocialAssistance)[0];
    assert_eq!(tsa.outcome, Outcome::LikelyNotEligible);
    assert!(has_flag(&h, "advisory-flag-near-miss"));
    assert!(!has_flag(
        &couple_over_the_line_by(6_000),
        "advisory-flag-near-miss"
    ));
}

#[test]
fn child_with_a_disability_and_no_services() {
    let mut child = person(Relation::Child, 8, Sex::Male);
    child.disability = Disability::Child;
    let mut h = household(vec![person(Relation::Head, 35, Sex::Female), child]);
    assert!(has_flag(&h, "advisory-flag-child-disability-no-services"));
    h.members[1].receives_special_services = true;
    assert!(!has_flag(&h, "advisory-flag-child-disability-no-services"));
}

#[test]
fn sole_carer_of_a_child_under_three_with_no_income() {
    let mother = || person(Relation::Head, 30, Sex::Female);
    let h = household(vec![mother(), person(Relation::Child, 1, Sex::Male)]);
    assert!(has_flag(&h, "advisory-flag-sole-carer-no-income"));

    let mut earning = h.clone();
    monthly_income(&mut earning, 0, IncomeKind::Wages, 80_000);
    assert!(!has_flag(&earning, "advisory-flag-sole-carer-no-income"));

    let older = household(vec![mother(), person(Relation::Child, 4, Sex::Male)]);
    assert!(!has_flag(&older, "advisory-flag-sole-carer-no-income"));

    let two_adults = household(vec![
        mother(),
        person(Relation::Spouse, 32, Sex::Male),
        person(Relation::Child, 1, Sex::Male),
    ]);
    assert!(!has_flag(&two_adults, "advisory-flag-sole-carer-no-income"));
}

#[test]
fn rent_above_half_of_income() {
    let renting = |rent: i64| {
        let mut h = household(vec![person(Relation::Head, 40, Sex::Male)]);
        monthly_income(&mut h, 0, IncomeKind::Wages, 100_000);
        h.housing.monthly_rent = Some(Tiyn::from_tenge(rent));
        h
    };
    assert!(has_flag(&renting(60_000), "advisory-flag-rent-over-half"));
    assert!(!has_flag(&renting(40_000), "advisory-flag-rent-over-half"));
}

#[test]
fn loans_taken_for_food() {
    let with_loan = |purpose: LoanPurpose| {
        let mut h = household(vec![person(Relation::Head, 40, Sex::Male)]);
        monthly_income(&mut h, 0, IncomeKind::Wages, 200_000);
        h.assets.loans.push(Loan {
            purpose,
            outstanding: Tiyn::from_tenge(150_000),
            monthly_payment: Tiyn::from_tenge(15_000),
            taken: None,
        });
        h
    };
    let food = flags(&with_loan(LoanPurpose::Food));
    let flag = food
        .iter()
        .find(|f| f.id.as_str() == "advisory-flag-food-loans")
        .expect("food-loan flag");
    assert_eq!(flag.args[0].value, Value::Count(1));
    assert!(!has_flag(
        &with_loan(LoanPurpose::Consumer),
        "advisory-flag-food-loans"
    ));
}

#[test]
fn elderly_person_alone_needing_care() {
    let mut elderly = person(Relation::Head, 78, Sex::Male);
    elderly.needs_care = true;
    assert!(has_flag(
        &household(vec![elderly.clone()]),
        "advisory-flag-elderly-alone"
    ));
    let with_son = household(vec![elderly, person(Relation::Child, 45, Sex::Male)]);
    assert!(!has_flag(&with_son, "advisory-flag-elderly-alone"));
}

#[test]
fn likely_eligible_for_something_not_received() {
    let family = || {
        let mut h = household(vec![
            person(Relation::Head, 40, Sex::Male),
            person(Relation::Spouse, 38, Sex::Female),
        ]);
        for age in [2, 5, 9, 12] {
            h.members.push(person(Relation::Child, age, Sex::Female));
        }
        h
    };
    let missed = |h: &Household| -> Vec<Value> {
        flags(h)
            .into_iter()
            .filter(|f| f.id.as_str() == "advisory-flag-not-received")
            .map(|f| f.args[0].value.clone())
            .collect()
    };
    let large = Value::Programme(ProgrammeId::LargeFamily);
    assert!(missed(&family()).contains(&large));

    let mut receiving = family();
    monthly_income(&mut receiving, 1, IncomeKind::LargeFamilyAllowance, 69_330);
    assert!(!missed(&receiving).contains(&large));
}

#[test]
fn a_household_with_no_risk_shows_no_flags_result() {
    let mut h = household(vec![
        person(Relation::Head, 40, Sex::Male),
        person(Relation::Spouse, 38, Sex::Female),
    ]);
    monthly_income(&mut h, 0, IncomeKind::Wages, 400_000);
    assert!(results(&h, ProgrammeId::AdvisoryRiskFlags).is_empty());
}
