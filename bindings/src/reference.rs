//! Reference data apps show in their forms: regions, the label of every coded
//! value (so no app re-translates the core's enums) and the library version.

use crate::enums::{mirror_enum, Lang, Region};
use komek_core::l10n::Localizer;
use komek_core::model::Region as CoreRegion;

/// A region (oblast or city of republican significance) and its KATO code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionInfo {
    pub region: Region,
    /// Stable code used in files and rule packs, e.g. `aktobe`.
    pub code: String,
    /// Nine-digit KATO code, e.g. `150000000`.
    pub kato: String,
}

/// Every region, in KATO order.
#[uniffi::export]
pub fn regions() -> Vec<RegionInfo> {
    CoreRegion::ALL
        .iter()
        .map(|r| RegionInfo {
            region: (*r).into(),
            code: r.code().to_string(),
            kato: r.kato(),
        })
        .collect()
}

/// The region's name in `lang` (`Ақтөбе облысы`, `Актюбинская область`).
#[uniffi::export]
pub fn region_name(region: Region, lang: Lang) -> String {
    let code = CoreRegion::from(region).code();
    Localizer::global().format(lang.core(), &format!("region-{code}"), None)
}

mirror_enum!(
    /// The lists whose codes [`label`] names: programme, outcome, income kind,
    /// document, relation, disability, activity, flag, problem, confidence,
    /// absence, refusal reason, region; and after the intake: plan measure,
    /// measure status, responsible, signature, referral service, ground,
    /// step, result, visit check, exit reason, visit-list reason, record
    /// problem.
    LabelKind => komek_core::l10n::LabelKind {
        Programme, Outcome, Income, Document, Relation, Disability, Activity,
        Flag, Problem, Confidence, Absence, Refusal, Region,
        Measure, MeasureStatus, Responsible, Signature, Service, Ground, Step,
        ReferralResult, Check, Exit, VisitReason, RecordProblem,
    }
);

/// The label of a coded value in `lang` (`label(Income, "alimony", Ru)` is
/// «Алименты»), or `null`/`nil` when `code` is not a value of that list (an
/// older library meeting a newer code: show the code itself).
#[uniffi::export]
pub fn label(kind: LabelKind, code: String, lang: Lang) -> Option<String> {
    komek_core::l10n::label(kind.into(), &code, lang.core())
}

/// The version of the Komek core library.
#[uniffi::export]
pub fn komek_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_core_in_each_language() {
        let en = label(LabelKind::Outcome, "needs_review".into(), Lang::En);
        let ru = label(LabelKind::Outcome, "needs_review".into(), Lang::Ru);
        assert!(en.is_some() && ru.is_some());
        assert_ne!(en, ru);
        assert_eq!(
            label(LabelKind::Income, "no_such_kind".into(), Lang::En),
            None
        );
    }
}
