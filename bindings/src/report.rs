//! The pre-check report as typed records, each message already in the
//! requested language, plus the whole report as plain text.
//!
//! Apps lay out the typed report themselves (outcome badges, amounts, the
//! document checklist) or show `Precheck.text`, the same text the core renders
//! for the command line. Messages keep their stable id beside the text. No
//! record names a person: members are referred to by index and relation.

use crate::enums::{mirror_enum, DocumentKind, IncomeKind, Lang, Region, Relation};
use crate::scalars::IsoDate;
use komek_core::l10n::Localizer;
use komek_core::model::Tiyn;
use komek_core::rules::render::render_message;
use komek_core::rules::report as core;

mirror_enum!(
    /// The programmes a report can contain; the last two are advisory views.
    ProgrammeId => komek_core::rules::ProgrammeId {
        TargetedSocialAssistance, Childbirth, Childcare, LargeFamily, AwardedMothers, Disability,
        Carer, Breadwinner, SpecialServices, AdvisoryExpenditure, AdvisoryRiskFlags,
    }
);

mirror_enum!(
    Period => komek_core::rules::Period { Monthly, OneTime }
);

mirror_enum!(
    /// How sure the rules behind a result are.
    Confidence => komek_core::rules::Confidence { Unverified, Likely, Verified }
);

/// The pre-check's answer for one programme.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Outcome {
    LikelyEligible,
    /// A person must look: the rules or the data are not firm enough.
    NeedsReview,
    LikelyNotEligible,
    /// Fields to fill, as paths into the form (`members[1].birth_date`).
    MissingInformation {
        fields: Vec<String>,
    },
}

impl From<&core::Outcome> for Outcome {
    fn from(o: &core::Outcome) -> Outcome {
        match o {
            core::Outcome::LikelyEligible => Outcome::LikelyEligible,
            core::Outcome::NeedsReview => Outcome::NeedsReview,
            core::Outcome::LikelyNotEligible => Outcome::LikelyNotEligible,
            core::Outcome::MissingInformation { fields } => Outcome::MissingInformation {
                fields: fields.clone(),
            },
        }
    }
}

/// A member as the report names them: position in the form (0-based) and relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct MemberRef {
    pub index: i32,
    pub relation: Relation,
}

impl From<core::MemberRef> for MemberRef {
    fn from(m: core::MemberRef) -> MemberRef {
        MemberRef {
            index: crate::scalars::count(m.index)
                .try_into()
                .unwrap_or(i32::MAX),
            relation: m.relation.into(),
        }
    }
}

/// An estimated amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Amount {
    pub value: Tiyn,
    pub period: Period,
}

impl From<core::Amount> for Amount {
    fn from(a: core::Amount) -> Amount {
        Amount {
            value: a.value,
            period: a.period.into(),
        }
    }
}

/// One step of the arithmetic, a flag or a note: its id and its text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReportMessage {
    pub id: String,
    pub text: String,
}

/// An income that did not count, the total of that kind, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExcludedIncome {
    pub kind: IncomeKind,
    pub amount: Tiyn,
    pub reason_id: String,
    pub reason: String,
}

/// One programme's result.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProgrammeResult {
    pub programme: ProgrammeId,
    /// The programme's name in the requested language.
    pub programme_name: String,
    /// The member the result concerns, for per-person benefits.
    pub member: Option<MemberRef>,
    pub outcome: Outcome,
    /// The outcome's headline in the requested language.
    pub outcome_text: String,
    pub amount: Option<Amount>,
    /// Threshold minus the tested value: positive is below the threshold by
    /// that much. For TSA, poverty line minus per-capita income.
    pub margin: Option<Tiyn>,
    pub steps: Vec<ReportMessage>,
    pub excluded_incomes: Vec<ExcludedIncome>,
    pub flags: Vec<ReportMessage>,
    pub documents: Vec<DocumentKind>,
    /// The lowest confidence of the rules this result used.
    pub confidence: Confidence,
    pub advisory: bool,
}

/// The whole pre-check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Report {
    pub pack_version: String,
    pub evaluated_on: IsoDate,
    pub region: Region,
    /// "This is a pre-check; the district commission decides", localized.
    pub notice: ReportMessage,
    pub notes: Vec<ReportMessage>,
    pub programmes: Vec<ProgrammeResult>,
}

/// A report with its plain-text rendering in the same language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Precheck {
    pub report: Report,
    pub text: String,
}

struct Renderer {
    loc: &'static Localizer,
    lang: komek_core::l10n::Lang,
}

impl Renderer {
    fn id(&self, id: &str) -> ReportMessage {
        ReportMessage {
            id: id.to_string(),
            text: self.loc.format(self.lang, id, None),
        }
    }

    fn message(&self, m: &core::Message) -> ReportMessage {
        ReportMessage {
            id: m.id.as_str().to_string(),
            text: render_message(self.loc, self.lang, m),
        }
    }

    fn messages(&self, ms: &[core::Message]) -> Vec<ReportMessage> {
        ms.iter().map(|m| self.message(m)).collect()
    }

    fn programme(&self, p: &core::ProgrammeResult) -> ProgrammeResult {
        ProgrammeResult {
            programme: p.programme.into(),
            programme_name: self.loc.format(
                self.lang,
                &format!("programme-{}", p.programme.code()),
                None,
            ),
            member: p.member.map(Into::into),
            outcome: (&p.outcome).into(),
            outcome_text: self.loc.format(self.lang, p.outcome.message_id(), None),
            amount: p.amount.map(Into::into),
            margin: p.margin,
            steps: self.messages(&p.steps),
            excluded_incomes: p
                .excluded_incomes
                .iter()
                .map(|e| ExcludedIncome {
                    kind: e.kind.into(),
                    amount: e.amount,
                    reason_id: e.reason.as_str().to_string(),
                    reason: self.loc.format(self.lang, e.reason.as_str(), None),
                })
                .collect(),
            flags: self.messages(&p.flags),
            documents: p.documents.iter().map(|d| (*d).into()).collect(),
            confidence: p.confidence.into(),
            advisory: p.advisory,
        }
    }
}

/// The typed report in `lang`.
pub(crate) fn report(r: &core::Report, lang: Lang) -> Report {
    let rd = Renderer {
        loc: Localizer::global(),
        lang: lang.core(),
    };
    Report {
        pack_version: r.pack_version.clone(),
        evaluated_on: r.evaluated_on,
        region: r.region.into(),
        notice: rd.id(r.notice.as_str()),
        notes: rd.messages(&r.notes),
        programmes: r.programmes.iter().map(|p| rd.programme(p)).collect(),
    }
}

/// The typed report and its text in `lang`.
pub(crate) fn precheck(r: &core::Report, lang: Lang) -> Precheck {
    Precheck {
        report: report(r, lang),
        text: komek_core::rules::render::render_text(r, lang.core()),
    }
}
