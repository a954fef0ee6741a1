//! Completeness of the translations: every id in every language, every id the
//! code uses defined, every file parses without errors or duplicates.

use super::*;
use crate::model::{DocumentKind, IncomeKind, Region, Relation};
use crate::rules::pack::{try_default_pack, Confidence};
use crate::rules::report::ProgrammeId;
use std::collections::BTreeMap;

#[test]
fn every_file_parses_and_defines_each_id_once_per_language() {
    for lang in Lang::ALL {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (l, file, text) in RESOURCES {
            if *l != lang {
                continue;
            }
            let resource = match FluentResource::try_new((*text).to_string()) {
                Ok(r) => r,
                Err((_, errors)) => panic!("{}/{file} has syntax errors: {errors:?}", lang.code()),
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    if let Some(other) = seen.insert(m.id.name.to_string(), file) {
                        panic!(
                            "{}: `{}` is defined in both {other} and {file}",
                            lang.code(),
                            m.id.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_language_has_the_same_files() {
    let files = |lang: Lang| -> Vec<&str> {
        RESOURCES
            .iter()
            .filter(|(l, _, _)| *l == lang)
            .map(|(_, f, _)| *f)
            .collect()
    };
    assert_eq!(files(Lang::Kk), files(Lang::En));
    assert_eq!(files(Lang::Ru), files(Lang::En));
}

#[test]
fn every_message_id_exists_in_every_language() {
    let en = Localizer::message_ids(Lang::En);
    for lang in [Lang::Kk, Lang::Ru] {
        let other = Localizer::message_ids(lang);
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in English {extra:?}",
            lang.code()
        );
    }
}

/// Every id the code can emit, from the enums and the modules' id lists.
fn ids_used_by_code() -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let statics = [
        crate::rules::tsa::MESSAGE_IDS,
        crate::rules::evaluate::MESSAGE_IDS,
        crate::rules::render::MESSAGE_IDS,
    ];
    for list in statics {
        ids.extend(list.iter().map(|s| s.to_string()));
    }
    ids.extend(
        crate::rules::programmes::message_ids()
            .into_iter()
            .map(str::to_string),
    );
    ids.extend(Region::ALL.iter().map(|r| format!("region-{}", r.code())));
    ids.extend(
        IncomeKind::ALL
            .iter()
            .map(|k| format!("income-{}", k.code())),
    );
    ids.extend(
        ProgrammeId::ALL
            .iter()
            .map(|p| format!("programme-{}", p.code())),
    );
    ids.extend(
        Confidence::ALL
            .iter()
            .map(|c| format!("confidence-{}", c.code())),
    );
    let code = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for d in [
        DocumentKind::Application,
        DocumentKind::IdentityDocument,
        DocumentKind::BankAccount,
        DocumentKind::AlimonyCertificate,
        DocumentKind::UnemploymentCertificate,
        DocumentKind::MarriageCertificate,
        DocumentKind::DivorceCertificate,
        DocumentKind::BirthCertificate,
        DocumentKind::DisabilityCertificate,
        DocumentKind::MedicalCard,
        DocumentKind::RehabilitationProgrammeExtract,
        DocumentKind::CourtDecisionOnIncapacity,
        DocumentKind::DeathCertificate,
        DocumentKind::IncomeCertificate,
        DocumentKind::Other,
    ] {
        ids.push(format!("doc-{}", code(serde_json::to_value(d).unwrap())));
    }
    for r in [
        Relation::Head,
        Relation::Spouse,
        Relation::Child,
        Relation::Stepchild,
        Relation::Grandchild,
        Relation::Parent,
        Relation::Grandparent,
        Relation::Sibling,
        Relation::OtherRelative,
        Relation::NotRelated,
    ] {
        ids.push(format!(
            "relation-{}",
            code(serde_json::to_value(r).unwrap())
        ));
    }
    // The income reasons the default pack names.
    let pack = try_default_pack().unwrap();
    ids.extend(pack.tsa.incomes().iter().map(|r| r.reason_id()));
    ids
}

#[test]
fn every_message_id_the_code_uses_exists_in_every_language() {
    let ids = ids_used_by_code();
    assert!(ids.len() > 150, "{}", ids.len());
    for lang in Lang::ALL {
        let defined = Localizer::message_ids(lang);
        let missing: Vec<_> = ids.iter().filter(|id| !defined.contains(*id)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
    }
}

#[test]
fn a_missing_message_falls_back_to_english_then_to_the_id() {
    let loc = Localizer::new();
    assert_eq!(
        loc.format(Lang::Kk, "no-such-message", None),
        "no-such-message"
    );
    assert_eq!(
        loc.format(Lang::En, "outcome-likely-eligible", None),
        "Likely eligible"
    );
    assert_eq!(
        loc.format(Lang::Ru, "outcome-likely-eligible", None),
        "Вероятно, имеете право"
    );
    assert!(loc.has(Lang::Kk, "outcome-likely-eligible"));
    assert!(!loc.has(Lang::Kk, "no-such-message"));
}

#[test]
fn plurals_follow_each_language() {
    let loc = Localizer::global();
    let mut args = FluentArgs::new();
    args.set("able_bodied", 5);
    let ru = loc.format(Lang::Ru, "tsa-step-conditional", Some(&args));
    assert!(ru.contains("5 трудоспособных членов"), "{ru}");
    args.set("able_bodied", 2);
    let ru = loc.format(Lang::Ru, "tsa-step-conditional", Some(&args));
    assert!(ru.contains("2 трудоспособных члена"), "{ru}");
    args.set("able_bodied", 1);
    let en = loc.format(Lang::En, "tsa-step-conditional", Some(&args));
    assert!(en.contains("1 able-bodied member must"), "{en}");
}
