//! Table-driven cases for the benefits other than TSA and childbirth, each
//! computed by hand from the domain file ("Other benefits" table, V unless
//! said) and the year's parameters ("Global parameters": MRP 2024 3,692 /
//! 2025 3,932 / 2026 4,325; budget-law PM 2024 43,407 / 2025 46,228 / 2026 50,851).

use crate::model::{
    Activity, Disability, Household, Income, IncomeKind, Member, MotherAward, Region, Relation,
    Sex, Tiyn, YearMonth,
};
use crate::rules::report::Period;
use crate::rules::{default_pack, evaluate, Confidence, Outcome, ProgrammeId, ProgrammeResult};
use chrono::{Months, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The evaluation date used for year `y`: 10 February.
fn on(y: i32) -> NaiveDate {
    d(y, 2, 10)
}

fn household() -> Household {
    Household::new_draft(
        Region::Aktobe,
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    )
}

fn person(relation: Relation, born: NaiveDate, sex: Sex) -> Member {
    let mut m = Member::new("S", "G", relation);
    m.birth_date = Some(born);
    m.sex = Some(sex);
    m
}

/// Parents plus children of the given ages (in years) on `date`.
fn family(date: NaiveDate, child_ages: &[u32]) -> Household {
    let mut h = household();
    h.members
        .push(person(Relation::Head, d(1985, 1, 1), Sex::Male));
    h.members
        .push(person(Relation::Spouse, d(1987, 1, 1), Sex::Female));
    for (i, age) in child_ages.iter().enumerate() {
        let born = date - Months::new(age * 12 + 1) - chrono::Days::new(i as u64);
        h.members.push(person(Relation::Child, born, Sex::Female));
    }
    h
}

fn results(h: &Household, date: NaiveDate, p: ProgrammeId) -> Vec<ProgrammeResult> {
    evaluate(h, default_pack(), date)
        .programmes
        .into_iter()
        .filter(|r| r.programme == p)
        .collect()
}

fn monthly(r: &ProgrammeResult) -> i64 {
    let a = r.amount.expect("an amount");
    assert_eq!(a.period, Period::Monthly);
    a.value.get()
}

#[test]
fn large_family_allowance() {
    // (case, year, children's ages, expected tiyn a month or None: no result)
    let cases: &[(&str, i32, &[u32], Option<i64>)] = &[
        // 16.03 × 4,325 = 69,329.75
        ("4 children 2026", 2026, &[2, 5, 9, 12], Some(6_932_975)),
        // 20.04 × 3,932 = 78,797.28
        ("5 children 2025", 2025, &[1, 3, 5, 7, 9], Some(7_879_728)),
        // 24.05 × 3,692 = 88,792.60
        (
            "6 children 2024",
            2024,
            &[1, 2, 4, 6, 8, 10],
            Some(8_879_260),
        ),
        // 28.06 × 4,325 = 121,359.50
        (
            "7 children 2026",
            2026,
            &[1, 2, 3, 5, 7, 9, 11],
            Some(12_135_950),
        ),
        // 8 and more: 4 MRP per child: 8 × 4 × 3,932 = 125,824.00
        (
            "8 children 2025",
            2025,
            &[1, 2, 3, 4, 6, 8, 10, 12],
            Some(12_582_400),
        ),
        // 9 × 4 × 4,325 = 155,700.00
        (
            "9 children 2026",
            2026,
            &[0, 1, 2, 3, 5, 7, 9, 11, 13],
            Some(15_570_000),
        ),
        ("3 children: not a large family", 2026, &[2, 5, 9], None),
        // A 19-year-old who is not a student does not count.
        ("3 minors and an adult child", 2026, &[2, 5, 9, 19], None),
    ];
    for (case, year, ages, expected) in cases {
        let h = family(on(*year), ages);
        let got = results(&h, on(*year), ProgrammeId::LargeFamily);
        match expected {
            Some(tiyn) => {
                assert_eq!(got.len(), 1, "{case}");
                assert_eq!(got[0].outcome, Outcome::LikelyEligible, "{case}");
                assert_eq!(monthly(&got[0]), *tiyn, "{case}");
            }
            None => assert!(got.is_empty(), "{case}"),
        }
    }
}

#[test]
fn a_full_time_student_under_23_counts_and_a_missing_birth_date_is_asked_for() {
    let mut h = family(on(2026), &[2, 5, 9, 20]);
    h.members[5].activity = Some(Activity::StudentFullTime);
    let got = results(&h, on(2026), ProgrammeId::LargeFamily);
    assert_eq!(monthly(&got[0]), 6_932_975);

    let mut h = family(on(2026), &[2, 5, 9, 12]);
    h.members[3].birth_date = None;
    let got = results(&h, on(2026), ProgrammeId::LargeFamily);
    assert_eq!(
        got[0].outcome,
        Outcome::MissingInformation {
            fields: vec!["members[3].birth_date".into()]
        }
    );
}

#[test]
fn the_family_already_receiving_the_allowance_is_told_to_check_it() {
    let mut h = family(on(2026), &[2, 5, 9, 12]);
    let head = h.members[0].id;
    h.incomes.push(Income {
        id: Uuid::new_v4(),
        member_id: head,
        kind: IncomeKind::LargeFamilyAllowance,
        amount: Tiyn::from_tenge(69_330),
        month: YearMonth::new(2026, 1).unwrap(),
    });
    let got = results(&h, on(2026), ProgrammeId::LargeFamily);
    assert_eq!(
        got[0].flags[0].id.as_str(),
        "large-family-flag-already-received"
    );
}

#[test]
fn awarded_mothers() {
    let cases: &[(&str, i32, MotherAward, i64, Confidence)] = &[
        // 6.40 × 4,325 = 27,680.00
        (
            "Kumis alqa 2026",
            2026,
            MotherAward::KumisAlqa,
            2_768_000,
            Confidence::Verified,
        ),
        // 7.40 × 3,932 = 29,096.80 (7.40: likely)
        (
            "Altyn alqa 2025",
            2025,
            MotherAward::AltynAlqa,
            2_909_680,
            Confidence::Likely,
        ),
        // 7.40 × 3,692 = 27,320.80
        (
            "Maternal Glory II 2024",
            2024,
            MotherAward::MaternalGloryII,
            2_732_080,
            Confidence::Likely,
        ),
    ];
    for (case, year, award, tiyn, confidence) in cases {
        let mut h = family(on(*year), &[]);
        h.members[1].mother_award = Some(*award);
        let got = results(&h, on(*year), ProgrammeId::AwardedMothers);
        assert_eq!(got.len(), 1, "{case}");
        assert_eq!(monthly(&got[0]), *tiyn, "{case}");
        assert!(got[0].confidence <= *confidence, "{case}");
        assert_eq!(got[0].member.map(|m| m.index), Some(1), "{case}");
    }
    assert!(results(
        &family(on(2026), &[]),
        on(2026),
        ProgrammeId::AwardedMothers
    )
    .is_empty());
}

/// A mother with `older` children (aged 3+) and a baby born `months` months
/// before the evaluation date.
fn with_baby(year: i32, older: u32, months: u32) -> Household {
    let mut h = family(on(year), &vec![4; older as usize]);
    let born = on(year) - Months::new(months);
    h.members.push(person(Relation::Child, born, Sex::Male));
    h
}

#[test]
fn childcare_to_one_and_a_half() {
    let cases: &[(&str, i32, u32, u32, Option<i64>)] = &[
        // 1st child: 5.76 × 4,325 = 24,912.00
        ("1st child 2026", 2026, 0, 5, Some(2_491_200)),
        // 2nd: 6.81 × 3,932 = 26,776.92
        ("2nd child 2025", 2025, 1, 10, Some(2_677_692)),
        // 3rd: 7.85 × 3,692 = 28,982.20
        ("3rd child 2024", 2024, 2, 1, Some(2_898_220)),
        // 4th and later: 8.90 × 4,325 = 38,492.50
        ("5th child 2026", 2026, 4, 17, Some(3_849_250)),
        // Exactly 18 months old on the evaluation date: no longer.
        ("18 months old", 2026, 0, 18, None),
    ];
    for (case, year, older, months, expected) in cases {
        let h = with_baby(*year, *older, *months);
        let got = results(&h, on(*year), ProgrammeId::Childcare);
        match expected {
            Some(tiyn) => {
                assert_eq!(got.len(), 1, "{case}");
                assert_eq!(got[0].outcome, Outcome::LikelyEligible, "{case}");
                assert_eq!(monthly(&got[0]), *tiyn, "{case}");
                // The 1.5-year limit is unverified in the pack.
                assert_eq!(got[0].confidence, Confidence::Unverified, "{case}");
            }
            None => assert!(got.is_empty(), "{case}"),
        }
    }
}

#[test]
fn childcare_needs_review_when_a_parent_may_be_socially_insured() {
    let mut h = with_baby(2026, 0, 3);
    let head = h.members[0].id;
    h.incomes.push(Income {
        id: Uuid::new_v4(),
        member_id: head,
        kind: IncomeKind::Wages,
        amount: Tiyn::from_tenge(150_000),
        month: YearMonth::new(2026, 1).unwrap(),
    });
    let got = results(&h, on(2026), ProgrammeId::Childcare);
    assert_eq!(got[0].outcome, Outcome::NeedsReview);
    assert_eq!(got[0].flags[0].id.as_str(), "childcare-flag-insured-parent");
}

#[test]
fn state_disability_benefits() {
    // (case, year, age on the date, disability, since childhood, tiyn, outcome)
    let cases: &[(&str, i32, u32, Disability, bool, i64, Outcome)] = &[
        // Child under 7: 1.61 × 50,851 = 81,870.11
        (
            "child of 6, 2026",
            2026,
            6,
            Disability::Child,
            false,
            8_187_011,
            Outcome::LikelyEligible,
        ),
        // Adult, general illness, group II: 1.76 × 46,228 = 81,361.28
        (
            "adult group II 2025",
            2025,
            40,
            Disability::GroupII,
            false,
            8_136_128,
            Outcome::LikelyEligible,
        ),
        // Adult disabled since childhood, group I: 2.20 × 43,407 = 95,495.40
        (
            "since childhood I 2024",
            2024,
            25,
            Disability::GroupI,
            true,
            9_549_540,
            Outcome::LikelyEligible,
        ),
        // Adult, general illness, group III: 1.20 × 50,851 = 61,021.20
        (
            "adult group III 2026",
            2026,
            55,
            Disability::GroupIII,
            false,
            6_102_120,
            Outcome::LikelyEligible,
        ),
        // Since childhood, group II: 1.83 × 50,851 = 93,057.33
        (
            "since childhood II 2026",
            2026,
            30,
            Disability::GroupII,
            true,
            9_305_733,
            Outcome::LikelyEligible,
        ),
        // A child of 10 without a group: group III shown (1.61 × 46,228 = 74,427.08), needs review.
        (
            "child of 10 no group 2025",
            2025,
            10,
            Disability::Child,
            false,
            7_442_708,
            Outcome::NeedsReview,
        ),
    ];
    for (case, year, age, disability, since, tiyn, outcome) in cases {
        let mut h = family(on(*year), &[]);
        let born = on(*year) - Months::new(age * 12 + 2);
        let mut m = person(Relation::Child, born, Sex::Female);
        m.disability = *disability;
        m.disabled_since_childhood = *since;
        h.members.push(m);
        let got = results(&h, on(*year), ProgrammeId::Disability);
        assert_eq!(got.len(), 1, "{case}");
        assert_eq!(monthly(&got[0]), *tiyn, "{case}");
        assert_eq!(&got[0].outcome, outcome, "{case}");
    }
}

#[test]
fn a_child_turning_7_on_the_evaluation_date_moves_to_the_group_rate() {
    let date = on(2026);
    let mut h = family(date, &[]);
    let mut child = person(Relation::Child, d(2019, 2, 10), Sex::Male);
    child.disability = Disability::Child;
    h.members.push(child);
    // The day before: under 7, 1.61 × PM, firm.
    let before = results(&h, date - chrono::Days::new(1), ProgrammeId::Disability);
    assert_eq!(before[0].outcome, Outcome::LikelyEligible);
    assert_eq!(
        before[0].steps[0].id.as_str(),
        "disability-step-child-under-7"
    );
    // On the birthday: 7, the group decides; not on the form, so review.
    let on_day = results(&h, date, ProgrammeId::Disability);
    assert_eq!(on_day[0].outcome, Outcome::NeedsReview);
    assert_eq!(
        on_day[0].steps[0].id.as_str(),
        "disability-step-since-childhood"
    );
}

#[test]
fn a_disability_without_a_birth_date_asks_for_it() {
    let mut h = family(on(2026), &[]);
    h.members[0].disability = Disability::GroupII;
    h.members[0].birth_date = None;
    let got = results(&h, on(2026), ProgrammeId::Disability);
    assert_eq!(
        got[0].outcome,
        Outcome::MissingInformation {
            fields: vec!["members[0].birth_date".into()]
        }
    );
}

#[test]
fn carer_of_a_child_with_a_disability() {
    for (year, tiyn, confidence) in [
        // Published for 2026: 81,871.00 (likely).
        (2026, 8_187_100, Confidence::Likely),
        // 2025 not published: 1.61 × 46,228 = 74,427.08, estimated (unverified).
        (2025, 7_442_708, Confidence::Unverified),
    ] {
        let mut h = family(on(year), &[5]);
        h.members[2].disability = Disability::Child;
        let child = h.members[2].id;
        h.members[1].cares_for = vec![child];
        h.members[1].activity = Some(Activity::Carer);
        let got = results(&h, on(year), ProgrammeId::Carer);
        assert_eq!(got.len(), 1, "{year}");
        assert_eq!(monthly(&got[0]), tiyn, "{year}");
        assert_eq!(got[0].confidence, confidence, "{year}");
        assert_eq!(got[0].member.map(|m| m.index), Some(1));
    }
    // Caring for a child without a disability gives nothing.
    let mut h = family(on(2026), &[5]);
    let child = h.members[2].id;
    h.members[1].cares_for = vec![child];
    assert!(results(&h, on(2026), ProgrammeId::Carer).is_empty());
}

#[test]
fn loss_of_breadwinner() {
    // (case, year, children under 18, expected tiyn, share per dependant)
    let cases: &[(&str, i32, u32, i64, i64)] = &[
        // 1 dependant: 0.92 × 50,851 = 46,782.92
        ("1 dependant 2026", 2026, 1, 4_678_292, 4_678_292),
        // 2: 1.70 × 50,851 = 86,446.70; 43,223.35 each
        ("2 dependants 2026", 2026, 2, 8_644_670, 4_322_335),
        // 3: 2.25 × 46,228 = 104,013.00; 34,671.00 each
        ("3 dependants 2025", 2025, 3, 10_401_300, 3_467_100),
        // 7 (6 and more): 3.00 × 43,407 = 130,221.00; 18,603.00 each
        ("7 dependants 2024", 2024, 7, 13_022_100, 1_860_300),
    ];
    for (case, year, children, tiyn, share) in cases {
        // A widowed mother of working age with her children.
        let mut h = family(on(*year), &vec![5; *children as usize]);
        h.members.remove(1);
        h.members[0].sex = Some(Sex::Female);
        h.breadwinner_lost = true;
        let got = results(&h, on(*year), ProgrammeId::Breadwinner);
        assert_eq!(got.len(), 1, "{case}");
        assert_eq!(monthly(&got[0]), *tiyn, "{case}");
        let last = got[0].steps.last().unwrap();
        assert_eq!(last.id.as_str(), "breadwinner-step-share", "{case}");
        assert!(
            last.args
                .iter()
                .any(|a| a.value == crate::rules::report::Value::Tiyn(Tiyn(*share))),
            "{case}"
        );
    }
    assert!(results(&family(on(2026), &[3]), on(2026), ProgrammeId::Breadwinner).is_empty());
}
