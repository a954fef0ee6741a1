//! Regional overlays: signed by a key the national pack names, refused when
//! they reach outside their region or fields, and named in the report.

use super::*;
use crate::model::{Household, Income, IncomeKind, Member, Quarter, Relation, Sex, Tiyn};
use crate::rules::pack::{PovertyLine, DEFAULT_PACK_TOML};
use crate::rules::report::{LineSource, Outcome, ProgrammeId};
use crate::rules::signing::PackSigner;
use chrono::{TimeZone, Utc};
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The default pack naming `signer` for Astana's overlays, allowed `fields`.
fn national_with_key(signer: &PackSigner, fields: &str) -> RulePack {
    let text = format!(
        "{DEFAULT_PACK_TOML}\n[[overlay_keys]]\nregion = \"astana\"\npublic_key = \"{}\"\nmay_set = {fields}\nsource = \"test: Astana akimat rules key\"\n",
        hex(&signer.public_key())
    );
    RulePack::parse_str(&text).unwrap()
}

const ASTANA_Q2: &str = r#"overlay_format = 1
region = "astana"
version = "astana-2026-Q2"
issued = 2026-04-01
valid_until = 2026-06-30

[[poverty_line]]
region = "astana"
quarter = "2026-Q2"
amount = 48000
confidence = "verified"
source = "Akimat of Astana, poverty line for Q2 2026"
"#;

fn family() -> Household {
    let mut h = Household::new_draft(
        crate::model::Region::Astana,
        Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
    );
    for (i, (rel, born, sex)) in [
        (Relation::Head, d(1990, 1, 1), Sex::Female),
        (Relation::Spouse, d(1989, 1, 1), Sex::Male),
        (Relation::Child, d(2015, 1, 1), Sex::Male),
    ]
    .into_iter()
    .enumerate()
    {
        let mut m = Member::new("X", "Y", rel);
        m.id = Uuid::from_u128(i as u128 + 1);
        m.birth_date = Some(born);
        m.sex = Some(sex);
        h.members.push(m);
    }
    let q: Quarter = "2026-Q1".parse().unwrap();
    for (n, month) in q.months().into_iter().enumerate() {
        h.incomes.push(Income {
            id: Uuid::from_u128(100 + n as u128),
            member_id: h.members[0].id,
            kind: IncomeKind::Wages,
            amount: Tiyn::from_tenge(120_000),
            month,
        });
    }
    h
}

#[test]
fn a_signed_overlay_sets_its_regions_line_and_the_report_names_it() {
    let (signer, _) = PackSigner::generate().unwrap();
    let national = national_with_key(&signer, "[\"poverty_line\", \"median_income\"]");
    let sig = signer.sign_overlay(ASTANA_Q2.as_bytes());
    let overlay =
        verify_overlay(&national, ASTANA_Q2.as_bytes(), Some(&sig), d(2026, 5, 1)).unwrap();
    let pack = national.with_overlays(&[overlay]);
    let q2: Quarter = "2026-Q2".parse().unwrap();
    assert!(matches!(
        pack.poverty_line(crate::model::Region::Astana, q2),
        PovertyLine::Published { layer: 1, .. }
    ));
    // Without the overlay the Q2 line is a lower-bound estimate: needs
    // review. With it: 360,000 / 3 / 3 = 40,000 PCI against 48,000 →
    // (48,000 − 40,000) × 3 = 24,000 (child 11: no supplement), firm.
    let before = crate::rules::evaluate(&family(), &national, d(2026, 5, 10));
    let r = before
        .programme(ProgrammeId::TargetedSocialAssistance)
        .unwrap();
    assert_eq!(r.outcome, Outcome::NeedsReview);
    let report = crate::rules::evaluate(&family(), &pack, d(2026, 5, 10));
    let r = report
        .programme(ProgrammeId::TargetedSocialAssistance)
        .unwrap();
    assert_eq!(r.outcome, Outcome::LikelyEligible);
    assert_eq!(r.amount.map(|a| a.value), Some(Tiyn::from_tenge(24_000)));
    let f = r.figures.as_ref().unwrap();
    assert_eq!(f.line_source, LineSource::Published);
    assert_eq!(f.line_from, "astana-2026-Q2");
    // Other regions keep the national pack's figures.
    assert_eq!(
        pack.poverty_line(crate::model::Region::Aktobe, q2),
        national.poverty_line(crate::model::Region::Aktobe, q2)
    );
}

#[test]
fn overlays_are_refused_outside_their_keys_regions_and_fields() {
    let (signer, _) = PackSigner::generate().unwrap();
    let (stranger, _) = PackSigner::generate().unwrap();
    let national = national_with_key(&signer, "[\"poverty_line\"]");
    let today = d(2026, 5, 1);
    let check = |toml: &str, by: &PackSigner| {
        let sig = by.sign_overlay(toml.as_bytes());
        verify_overlay(&national, toml.as_bytes(), Some(&sig), today)
    };
    // Unsigned, an unknown key, a tampered byte, a pack signature.
    assert_eq!(
        verify_overlay(&national, ASTANA_Q2.as_bytes(), None, today),
        Err(OverlayError::Unsigned)
    );
    assert_eq!(check(ASTANA_Q2, &stranger), Err(OverlayError::UntrustedKey));
    let sig = signer.sign_overlay(ASTANA_Q2.as_bytes());
    let tampered = ASTANA_Q2.replace("48000", "58000");
    assert_eq!(
        verify_overlay(&national, tampered.as_bytes(), Some(&sig), today),
        Err(OverlayError::Signature(PackError::BadSignature))
    );
    let as_pack = signer.sign(ASTANA_Q2.as_bytes());
    assert_eq!(
        verify_overlay(&national, ASTANA_Q2.as_bytes(), Some(&as_pack), today),
        Err(OverlayError::Signature(PackError::BadSignature))
    );
    // Another region's overlay, a line of another region, a field not allowed,
    // a national PM, an unknown field, an expired overlay.
    let aktobe = ASTANA_Q2.replacen("region = \"astana\"", "region = \"aktobe\"", 1);
    assert!(matches!(
        check(&aktobe, &signer),
        Err(OverlayError::WrongRegion { .. })
    ));
    let other_line = ASTANA_Q2.replace(
        "[[poverty_line]]\nregion = \"astana\"",
        "[[poverty_line]]\nregion = \"aktobe\"",
    );
    assert!(matches!(
        check(&other_line, &signer),
        Err(OverlayError::OutsideRegion {
            field: "poverty_line",
            ..
        })
    ));
    let median = format!("{ASTANA_Q2}\n[[median_income]]\nregion = \"astana\"\nquarter = \"2026-Q1\"\namount = 150000\nconfidence = \"verified\"\nsource = \"t\"\n");
    assert_eq!(
        check(&median, &signer),
        Err(OverlayError::FieldNotAllowed {
            field: "median_income"
        })
    );
    let national_pm = format!("{ASTANA_Q2}\n[[subsistence_minimum]]\nregion = \"national\"\nquarter = \"2026-Q1\"\namount = 70000\nconfidence = \"verified\"\nsource = \"t\"\n");
    let wide = national_with_key(&signer, "[\"poverty_line\", \"subsistence_minimum\"]");
    let sig = signer.sign_overlay(national_pm.as_bytes());
    assert!(matches!(
        verify_overlay(&wide, national_pm.as_bytes(), Some(&sig), today),
        Err(OverlayError::OutsideRegion {
            field: "subsistence_minimum",
            ..
        })
    ));
    let mrp = format!("{ASTANA_Q2}\nmrp = 5000\n");
    assert!(matches!(check(&mrp, &signer), Err(OverlayError::Format(_))));
    let sig = signer.sign_overlay(ASTANA_Q2.as_bytes());
    assert!(matches!(
        verify_overlay(&national, ASTANA_Q2.as_bytes(), Some(&sig), d(2026, 7, 1)),
        Err(OverlayError::Expired { .. })
    ));
}

#[test]
fn a_median_from_an_overlay_makes_the_estimated_line_complete() {
    // Astana's median income of Q4 2025 (140,000; 35% = 49,000 > 70% of
    // 66,605 = 46,623.50) published by Astana: the Q1 2026 line is 49,000,
    // no longer a lower bound, and its layer is the overlay.
    let (signer, _) = PackSigner::generate().unwrap();
    let national = national_with_key(&signer, "[\"median_income\"]");
    let toml = "overlay_format = 1\nregion = \"astana\"\nversion = \"astana-median-2025-Q4\"\nissued = 2026-01-20\nvalid_until = 2026-12-31\n\n[[median_income]]\nregion = \"astana\"\nquarter = \"2025-Q4\"\namount = 140000\nconfidence = \"verified\"\nsource = \"Astana statistics department\"\n";
    let sig = signer.sign_overlay(toml.as_bytes());
    let overlay = verify_overlay(&national, toml.as_bytes(), Some(&sig), d(2026, 2, 1)).unwrap();
    let pack = national.with_overlays(&[overlay]);
    match pack.poverty_line(crate::model::Region::Astana, "2026-Q1".parse().unwrap()) {
        PovertyLine::Estimated {
            amount,
            median_missing,
            layer,
            ..
        } => {
            assert_eq!(amount, Tiyn::from_tenge(49_000));
            assert!(!median_missing);
            assert_eq!(pack.layer_name(layer), "astana-median-2025-Q4");
        }
        other => panic!("{other:?}"),
    }
}
