//! One call for the label of every coded value an app shows.
//!
//! The apps list programmes, outcomes, income kinds, documents, relations,
//! disabilities, activities, flags and form problems by their codes. Without
//! this, each app would translate the core's enums again, in three languages,
//! and drift from the reports. [`label`] gives the kk/ru/en text of any code
//! from the same `.ftl` files the reports use; an unknown code is `None`
//! (never a guess).

use super::{Lang, Localizer};
use crate::followup as f;
use crate::model::{
    Absence, Activity, Disability, DocumentKind, IncomeKind, RefusalReason, Relation,
};
use crate::rules::report::ProgrammeId;
use crate::rules::Confidence;
use crate::validate::ProblemKey;
use serde::{Deserialize, Serialize};

/// The kinds of coded values that have labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelKind {
    /// `targeted_social_assistance`, `childbirth`, …
    Programme,
    /// `likely_eligible`, `needs_review`, `likely_not_eligible`, `missing_information`
    Outcome,
    /// Income kinds as in the form and the pack (`wages`, `alimony`, …).
    Income,
    /// Document kinds (`alimony_certificate`, …).
    Document,
    /// Relation to the head (`child`, `stepchild`, …).
    Relation,
    /// `none`, `group_i`, `group_ii`, `group_iii`, `child`.
    Disability,
    /// `employed`, `student_full_time`, `carer`, …
    Activity,
    /// A flag's message id (`tsa-flag-asset-loans`); arguments show as "…".
    Flag,
    /// A form problem's message id (`problem-iin-check-digit`) or its key
    /// without the prefix (`iin-check-digit`).
    Problem,
    /// `verified`, `likely`, `unverified`.
    Confidence,
    /// Why a member is away (`military_service`, …).
    Absence,
    /// Why TSA was refused before (`broken_social_contract`, …).
    Refusal,
    /// Region codes (`aktobe`, `astana`, …).
    Region,
    /// Measures of an integration plan (`job_search`, `school_attendance`, …).
    Measure,
    /// `planned`, `in_progress`, `done`, `missed`, `cancelled`.
    MeasureStatus,
    /// Who answers for a measure (`career_centre`, `family`, …).
    Responsible,
    /// How a plan was agreed (`paper`, `digital_signature`, `witnessed`).
    Signature,
    /// Where a member is referred (`pmpc`, `medical_social_expertise`, …).
    Service,
    /// The ground of a referral (`child_disability`, …).
    Ground,
    /// A step of a referral (`submitted`, `chased`, …).
    Step,
    /// A referral's outcome (`granted`, `refused`, …).
    ReferralResult,
    /// What a visit checked (`plan_review`, `exit_follow_up`, …).
    Check,
    /// Why a family left assistance (`income_rose`, `moved`, …).
    Exit,
    /// Why a household is on the visit list (`measure_overdue`, …).
    VisitReason,
    /// Why a follow-up record's field is refused (`before_start`, …).
    RecordProblem,
}

impl LabelKind {
    pub const ALL: [LabelKind; 25] = [
        LabelKind::Programme,
        LabelKind::Outcome,
        LabelKind::Income,
        LabelKind::Document,
        LabelKind::Relation,
        LabelKind::Disability,
        LabelKind::Activity,
        LabelKind::Flag,
        LabelKind::Problem,
        LabelKind::Confidence,
        LabelKind::Absence,
        LabelKind::Refusal,
        LabelKind::Region,
        LabelKind::Measure,
        LabelKind::MeasureStatus,
        LabelKind::Responsible,
        LabelKind::Signature,
        LabelKind::Service,
        LabelKind::Ground,
        LabelKind::Step,
        LabelKind::ReferralResult,
        LabelKind::Check,
        LabelKind::Exit,
        LabelKind::VisitReason,
        LabelKind::RecordProblem,
    ];
}

/// Whether `code` is a value of the serde enum `T`.
fn is_code<T: for<'de> Deserialize<'de>>(code: &str) -> bool {
    serde_json::from_value::<T>(serde_json::Value::String(code.to_string())).is_ok()
}

/// The message id holding the label of (`kind`, `code`), when the code exists.
pub fn label_id(kind: LabelKind, code: &str) -> Option<String> {
    let valid = |ok: bool, id: String| ok.then_some(id);
    match kind {
        LabelKind::Programme => ProgrammeId::ALL
            .iter()
            .find(|p| p.code() == code)
            .map(|p| format!("programme-{}", p.code())),
        LabelKind::Outcome => match code {
            "likely_eligible" => Some("outcome-likely-eligible".into()),
            "needs_review" => Some("outcome-needs-review".into()),
            "likely_not_eligible" => Some("outcome-likely-not-eligible".into()),
            "missing_information" => Some("outcome-missing-information".into()),
            _ => None,
        },
        LabelKind::Income => valid(is_code::<IncomeKind>(code), format!("income-{code}")),
        LabelKind::Document => valid(is_code::<DocumentKind>(code), format!("doc-{code}")),
        LabelKind::Relation => valid(is_code::<Relation>(code), format!("relation-{code}")),
        LabelKind::Disability => valid(is_code::<Disability>(code), format!("disability-{code}")),
        LabelKind::Activity => valid(is_code::<Activity>(code), format!("activity-{code}")),
        LabelKind::Confidence => Confidence::ALL
            .iter()
            .find(|c| c.code() == code)
            .map(|c| format!("confidence-{}", c.code())),
        LabelKind::Absence => valid(is_code::<Absence>(code), format!("absence-{code}")),
        LabelKind::Refusal => valid(is_code::<RefusalReason>(code), format!("refusal-{code}")),
        LabelKind::Region => {
            crate::model::Region::from_code(code).map(|r| format!("region-{}", r.code()))
        }
        LabelKind::Problem => {
            let id = if code.starts_with("problem-") {
                code.to_string()
            } else {
                format!("problem-{code}")
            };
            ProblemKey::from_message_id(&id).map(|k| k.message_id().to_string())
        }
        LabelKind::Flag => crate::rules::flag_ids()
            .into_iter()
            .find(|id| *id == code)
            .map(str::to_string),
        LabelKind::Measure => valid(is_code::<f::MeasureKind>(code), format!("measure-{code}")),
        LabelKind::MeasureStatus => valid(
            is_code::<f::MeasureStatus>(code),
            format!("measure-status-{code}"),
        ),
        LabelKind::Responsible => valid(
            is_code::<f::Responsible>(code),
            format!("responsible-{code}"),
        ),
        LabelKind::Signature => valid(
            is_code::<f::SignatureMethod>(code),
            format!("signature-{code}"),
        ),
        LabelKind::Service => valid(is_code::<f::Service>(code), format!("service-{code}")),
        LabelKind::Ground => valid(is_code::<f::Ground>(code), format!("ground-{code}")),
        LabelKind::Step => valid(is_code::<f::StepKind>(code), format!("step-{code}")),
        LabelKind::ReferralResult => valid(
            is_code::<f::ReferralResult>(code),
            format!("referral-result-{code}"),
        ),
        LabelKind::Check => valid(is_code::<f::Check>(code), format!("check-{code}")),
        LabelKind::Exit => valid(is_code::<f::ExitReason>(code), format!("exit-{code}")),
        LabelKind::VisitReason => valid(
            is_code::<f::VisitReasonKind>(code),
            format!("visit-reason-{code}"),
        ),
        LabelKind::RecordProblem => f::Why::ALL
            .iter()
            .find(|w| w.code() == code)
            .map(|w| format!("record-problem-{}", w.code())),
    }
}

/// The label of a coded value in `lang`, or `None` for an unknown code.
/// Flags are messages with arguments: their arguments read "…" here (the
/// report renders them with values).
pub fn label(kind: LabelKind, code: &str, lang: Lang) -> Option<String> {
    let id = label_id(kind, code)?;
    let text = Localizer::global().format(lang, &id, None);
    Some(strip_placeholders(&text))
}

/// Replaces Fluent's `{$name}` / `{ $name }` for a missing argument with "…".
fn strip_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) if rest[start..start + end].contains('$') => {
                out.push('…');
                rest = &rest[start + end + 1..];
            }
            _ => {
                out.push('{');
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Education, Region};

    fn codes<T: Serialize>(values: &[T]) -> Vec<String> {
        values
            .iter()
            .map(|v| match serde_json::to_value(v) {
                Ok(serde_json::Value::String(s)) => s,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn every_code_has_a_label_in_every_language() {
        use Activity as A;
        use DocumentKind as D;
        use Relation as R;
        let lists: Vec<(LabelKind, Vec<String>)> = vec![
            (
                LabelKind::Programme,
                ProgrammeId::ALL
                    .iter()
                    .map(|p| p.code().to_string())
                    .collect(),
            ),
            (
                LabelKind::Outcome,
                [
                    "likely_eligible",
                    "needs_review",
                    "likely_not_eligible",
                    "missing_information",
                ]
                .map(String::from)
                .to_vec(),
            ),
            (
                LabelKind::Income,
                IncomeKind::ALL.iter().map(|k| k.code()).collect(),
            ),
            (
                LabelKind::Document,
                codes(&[
                    D::Application,
                    D::IdentityDocument,
                    D::BankAccount,
                    D::AlimonyCertificate,
                    D::UnemploymentCertificate,
                    D::MarriageCertificate,
                    D::DivorceCertificate,
                    D::BirthCertificate,
                    D::DisabilityCertificate,
                    D::MedicalCard,
                    D::RehabilitationProgrammeExtract,
                    D::CourtDecisionOnIncapacity,
                    D::DeathCertificate,
                    D::IncomeCertificate,
                    D::Other,
                ]),
            ),
            (
                LabelKind::Relation,
                codes(&[
                    R::Head,
                    R::Spouse,
                    R::Child,
                    R::Stepchild,
                    R::Grandchild,
                    R::Parent,
                    R::Grandparent,
                    R::Sibling,
                    R::OtherRelative,
                    R::NotRelated,
                ]),
            ),
            (
                LabelKind::Disability,
                codes(&[
                    Disability::None,
                    Disability::GroupI,
                    Disability::GroupII,
                    Disability::GroupIII,
                    Disability::Child,
                ]),
            ),
            (
                LabelKind::Activity,
                codes(&[
                    A::Employed,
                    A::SelfEmployed,
                    A::Unemployed,
                    A::Homemaker,
                    A::Pensioner,
                    A::StudentFullTime,
                    A::Child,
                    A::Carer,
                ]),
            ),
            (
                LabelKind::Flag,
                crate::rules::flag_ids()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
            (
                LabelKind::Problem,
                ProblemKey::ALL
                    .iter()
                    .map(|k| k.message_id().to_string())
                    .collect(),
            ),
            (
                LabelKind::Confidence,
                Confidence::ALL
                    .iter()
                    .map(|c| c.code().to_string())
                    .collect(),
            ),
            (
                LabelKind::Absence,
                Absence::ALL.iter().map(|a| a.code().to_string()).collect(),
            ),
            (
                LabelKind::Refusal,
                RefusalReason::ALL
                    .iter()
                    .map(|a| a.code().to_string())
                    .collect(),
            ),
            (
                LabelKind::Region,
                Region::ALL.iter().map(|r| r.code().to_string()).collect(),
            ),
            (LabelKind::Measure, codes(&f::MeasureKind::ALL)),
            (LabelKind::MeasureStatus, codes(&f::MeasureStatus::ALL)),
            (LabelKind::Responsible, codes(&f::Responsible::ALL)),
            (LabelKind::Signature, codes(&f::SignatureMethod::ALL)),
            (LabelKind::Service, codes(&f::Service::ALL)),
            (LabelKind::Ground, codes(&f::Ground::ALL)),
            (LabelKind::Step, codes(&f::StepKind::ALL)),
            (LabelKind::ReferralResult, codes(&f::ReferralResult::ALL)),
            (LabelKind::Check, codes(&f::Check::ALL)),
            (LabelKind::Exit, codes(&f::ExitReason::ALL)),
            (
                LabelKind::VisitReason,
                codes(&f::visit_list::VisitReasonKind::ALL),
            ),
            (
                LabelKind::RecordProblem,
                f::Why::ALL.iter().map(|w| w.code().to_string()).collect(),
            ),
        ];
        assert_eq!(lists.len(), LabelKind::ALL.len());
        for (kind, codes) in lists {
            assert!(!codes.is_empty(), "{kind:?}");
            for code in codes {
                let id = label_id(kind, &code).unwrap_or_else(|| panic!("{kind:?} {code}"));
                for lang in Lang::ALL {
                    assert!(Localizer::global().has(lang, &id), "{lang:?} lacks {id}");
                    let text = label(kind, &code, lang).unwrap();
                    assert!(
                        !text.is_empty() && !text.contains('$'),
                        "{kind:?} {code}: {text}"
                    );
                }
            }
        }
        let _ = Education::None;
    }

    #[test]
    fn labels_read_in_each_language_and_unknown_codes_are_none() {
        assert_eq!(
            label(LabelKind::Outcome, "needs_review", Lang::En).as_deref(),
            Some("Needs review by a specialist")
        );
        assert_eq!(
            label(LabelKind::Activity, "student_full_time", Lang::En).as_deref(),
            Some("Full-time student")
        );
        assert_ne!(
            label(LabelKind::Programme, "childbirth", Lang::Kk),
            label(LabelKind::Programme, "childbirth", Lang::Ru)
        );
        assert_eq!(
            label(LabelKind::Problem, "iin-check-digit", Lang::En),
            label(LabelKind::Problem, "problem-iin-check-digit", Lang::En)
        );
        assert!(label(LabelKind::Flag, "tsa-flag-asset-loans", Lang::En)
            .is_some_and(|t| t.contains('…')));
        assert_eq!(label(LabelKind::Income, "salary", Lang::En), None);
        assert_eq!(label(LabelKind::Flag, "tsa-step-pci", Lang::En), None);
        assert_eq!(label(LabelKind::Region, "mars", Lang::En), None);
    }
}
