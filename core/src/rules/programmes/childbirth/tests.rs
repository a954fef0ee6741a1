//! Childbirth benefit cases, hand-computed from the domain file ("Other
//! benefits": 1st-3rd child 38 MRP, 4th and later 63 MRP, V) and the MRP of the
//! year (global parameters, V).

use super::*;
use crate::model::{Household, Member, Region, Tiyn};
use crate::rules::{default_pack, evaluate, Outcome, ProgrammeId};
use chrono::{NaiveDate, TimeZone, Utc};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A mother with children born on the given dates (`None`: unknown).
fn family(births: &[Option<NaiveDate>]) -> Household {
    let mut h = Household::new_draft(
        Region::Aktobe,
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    );
    let mut mother = Member::new("M", "M", Relation::Head);
    mother.birth_date = Some(d(1990, 5, 1));
    h.members.push(mother);
    for b in births {
        let mut c = Member::new("C", "C", Relation::Child);
        c.birth_date = *b;
        h.members.push(c);
    }
    h
}

fn childbirth(h: &Household, date: NaiveDate) -> Vec<crate::rules::ProgrammeResult> {
    evaluate(h, default_pack(), date)
        .programmes
        .into_iter()
        .filter(|p| p.programme == ProgrammeId::Childbirth)
        .collect()
}

/// (name, births, evaluation date, expected one-time amount in tiyn)
type Case<'a> = (&'a str, &'a [Option<NaiveDate>], NaiveDate, Option<i64>);

#[test]
fn cases() {
    let cases: &[Case] = &[
        // 1st child 2026: 38 × 4,325 = 164,350.00 tenge.
        (
            "first child 2026",
            &[Some(d(2026, 2, 1))],
            d(2026, 3, 1),
            Some(16_435_000),
        ),
        // 3rd child 2025: 38 × 3,932 = 149,416.00.
        (
            "third child 2025",
            &[
                Some(d(2015, 1, 1)),
                Some(d(2018, 1, 1)),
                Some(d(2025, 6, 1)),
            ],
            d(2025, 7, 1),
            Some(14_941_600),
        ),
        // 4th child 2024: 63 × 3,692 = 232,596.00.
        (
            "fourth child 2024",
            &[
                Some(d(2012, 1, 1)),
                Some(d(2015, 1, 1)),
                Some(d(2018, 1, 1)),
                Some(d(2024, 3, 1)),
            ],
            d(2024, 4, 1),
            Some(23_259_600),
        ),
        // Born 400 days ago: outside the 365-day window, no result.
        (
            "outside the window",
            &[Some(d(2025, 1, 1))],
            d(2026, 2, 5),
            None,
        ),
    ];
    for (name, births, date, expected) in cases {
        let results = childbirth(&family(births), *date);
        match expected {
            Some(tiyn) => {
                assert_eq!(results.len(), 1, "{name}");
                assert_eq!(results[0].outcome, Outcome::LikelyEligible, "{name}");
                assert_eq!(
                    results[0].amount,
                    Some(crate::rules::Amount::one_time(Tiyn(*tiyn))),
                    "{name}"
                );
            }
            None => assert!(results.is_empty(), "{name}"),
        }
    }
}

#[test]
fn an_older_child_without_birth_date_makes_the_order_unknown() {
    let h = family(&[None, Some(d(2026, 2, 1))]);
    let results = childbirth(&h, d(2026, 3, 1));
    assert_eq!(
        results[0].outcome,
        Outcome::MissingInformation {
            fields: vec!["members[1].birth_date".into()]
        }
    );
    assert_eq!(results[0].amount, None);
}
