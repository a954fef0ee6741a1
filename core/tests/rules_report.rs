//! The pre-check through the public API: self-check JSON in, report out as JSON
//! and as text in kk/ru/en, with every message present in every language.

use chrono::NaiveDate;
use komek_core::l10n::Lang;
use komek_core::rules::render::{missing_messages, render_text};
use komek_core::rules::selfcheck::SelfCheckInput;
use komek_core::rules::{default_pack, self_check, Outcome, ProgrammeId, Report};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A renting mother of four in Aktobe with wages, alimony, an excluded
/// benefit, a newborn, deposits and two cars.
const FAMILY: &str = r#"{
    "region": "aktobe",
    "tenure": "rent",
    "monthly_rent": 6000000,
    "deposits": 90000000,
    "cars": 2,
    "loans": [{"purpose": "food", "outstanding": 15000000}],
    "members": [
        {"relation": "head", "age": 34, "sex": "female", "activity": "employed",
         "incomes": [{"kind": "wages", "monthly": 9000000},
                     {"kind": "alimony", "monthly": 2000000}]},
        {"relation": "child", "age": 8,
         "incomes": [{"kind": "child_disability_benefit", "monthly": 4500000}],
         "disability": "child"},
        {"relation": "child", "age": 5},
        {"relation": "child", "birth_date": "2025-11-20"}
    ]
}"#;

fn corpus() -> Vec<(SelfCheckInput, NaiveDate)> {
    let family: SelfCheckInput = serde_json::from_str(FAMILY).unwrap();
    let mut kyzylorda = family.clone();
    kyzylorda.region = Some(komek_core::model::Region::Kyzylorda);
    let mut missing = family.clone();
    missing.members[2].age = None;
    let single: SelfCheckInput = serde_json::from_str(
        r#"{"region": "astana", "members": [{"relation": "head", "age": 70, "sex": "male",
            "incomes": [{"kind": "pension", "monthly": 3000000}]}]}"#,
    )
    .unwrap();
    let rich: SelfCheckInput = serde_json::from_str(
        r#"{"region": "mangystau", "members": [{"relation": "head", "age": 40,
            "incomes": [{"kind": "business", "monthly": 90000000}]}, {"relation": "spouse", "age": 38}]}"#,
    )
    .unwrap();
    vec![
        (family.clone(), d(2026, 2, 10)),
        (family, d(2027, 2, 10)),
        (kyzylorda, d(2026, 2, 10)),
        (missing, d(2026, 2, 10)),
        (single, d(2026, 2, 10)),
        (single_2024(), d(2024, 5, 10)),
        (rich, d(2025, 11, 1)),
        (SelfCheckInput::default(), d(2026, 2, 10)),
    ]
}

fn single_2024() -> SelfCheckInput {
    serde_json::from_str(r#"{"region": "aktobe", "members": [{"relation": "head", "age": 30}]}"#)
        .unwrap()
}

#[test]
fn every_message_of_every_report_exists_in_every_language() {
    for (input, date) in corpus() {
        let report = self_check(&input, default_pack(), date).unwrap();
        for lang in Lang::ALL {
            let missing = missing_messages(&report, lang);
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            let text = render_text(&report, lang);
            // No unresolved Fluent placeables.
            assert!(!text.contains("{$") && !text.contains("{ $"), "{text}");
        }
    }
}

#[test]
fn the_report_round_trips_through_json_and_holds_no_free_text() {
    let input: SelfCheckInput = serde_json::from_str(FAMILY).unwrap();
    let report = self_check(&input, default_pack(), d(2026, 2, 10)).unwrap();
    let json = report.to_json().unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert!(json.contains("\"pack_version\": \"kz-2026.1\""));
    assert!(json.contains("\"notice\": \"report-pre-check-not-decision\""));
    let tsa = report
        .programme(ProgrammeId::TargetedSocialAssistance)
        .unwrap();
    // Wages 90,000 + alimony 20,000 a month: 330,000 / 4 / 3 = 27,500;
    // (37,060 − 27,500) × 4 = 38,240; children aged 1-6: the 5-year-old only
    // (the newborn is 0): + 6,487.50.
    assert_eq!(tsa.outcome, Outcome::LikelyEligible);
    assert_eq!(
        tsa.amount.unwrap().value,
        komek_core::model::Tiyn(3_824_000 + 648_750)
    );
    // The car screen is waived: a child with a disability lives here.
    assert!(tsa
        .flags
        .iter()
        .all(|f| f.id.as_str() != "tsa-flag-asset-cars"));
    assert!(tsa
        .flags
        .iter()
        .any(|f| f.id.as_str() == "tsa-flag-asset-deposits"));
}

#[test]
fn the_text_reads_in_three_languages() {
    let input: SelfCheckInput = serde_json::from_str(FAMILY).unwrap();
    let report = self_check(&input, default_pack(), d(2026, 2, 10)).unwrap();
    let en = render_text(&report, Lang::En);
    assert!(en.contains("Likely eligible"), "{en}");
    assert!(en.contains("44,727.50\u{a0}₸ a month"), "{en}");
    assert!(en.contains("not a decision"), "{en}");
    let ru = render_text(&report, Lang::Ru);
    assert!(ru.contains("44\u{202F}727,50\u{a0}₸ в месяц"), "{ru}");
    assert!(ru.contains("районная комиссия"), "{ru}");
    let kk = render_text(&report, Lang::Kk);
    assert!(kk.contains("айына 44\u{202F}727,50\u{a0}₸"), "{kk}");
    if std::env::var_os("KOMEK_PRINT_REPORT").is_some() {
        println!("{en}\n\n{ru}\n\n{kk}\n\n{}", report.to_json().unwrap());
    }
}
