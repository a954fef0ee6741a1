//! Validation problems as apps show them: next to the field, in the worker's
//! language.
//!
//! A problem has the field path (`members[2].iin`, the core's snake-case field
//! names and list indices), a severity, a typed key, the key's stable Fluent
//! message id and the message in the requested language. It never holds the
//! value it complains about.

use crate::enums::{mirror_enum, Lang};
use crate::error::Result;
use crate::household::Household;
use chrono::NaiveDate;
use komek_core::l10n::Localizer;
use komek_core::validate as core;

mirror_enum!(
    /// Errors block saving (consent) or finalizing; warnings may be left.
    Severity => komek_core::validate::Severity { Error, Warning }
);

mirror_enum!(
    /// What is wrong; each key has one message in kk, ru and en.
    ProblemKey => komek_core::validate::ProblemKey {
        IinLength, IinNotDigits, IinCheckDigit, IinNeverIssued, IinBirthDateMismatch,
        IinSexMismatch, DuplicateMember, BirthDateInFuture, BirthDateTooEarly, TextEmpty,
        TextTooLong, TextControlCharacters, NoHead,
        ExtraHead, ConsentRequired, AmountOutOfRange, UnknownMember, CaresForSelf, MonthInFuture,
        MonthTooEarly, LivestockHeadOutOfRange, LandAreaOutOfRange, VehicleYearOutOfRange,
        ConsentExpiresBeforeRecorded, RentWithoutRentTenure, NoMembers, Required,
        ConsentTransferRequired, StatedAgeOutOfRange, StatedAgeWithBirthDate, DateInFuture,
        DateTooEarly, MotherIsSelf, MotherYoungerThanChild, MotherNotFemale,
        ChildrenElsewhereOutOfRange,
    }
);

/// Which checks to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ValidationStage {
    /// What saving a draft needs (errors block the save).
    Draft,
    /// Also what finalizing needs: every field the pre-checks use.
    Finalize,
}

/// One problem of a form.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Problem {
    /// `members[2].iin`: field names and list indices, never values.
    pub path: String,
    pub severity: Severity,
    pub key: ProblemKey,
    /// The stable Fluent message id (`problem-iin-check-digit`).
    pub message_id: String,
    /// The message in the requested language.
    pub message: String,
}

pub(crate) fn problems(ps: &core::Problems, lang: Lang) -> Vec<Problem> {
    let loc = Localizer::global();
    ps.iter()
        .map(|p| Problem {
            path: p.path.clone(),
            severity: p.severity.into(),
            key: p.key.into(),
            message_id: p.key.message_id().to_string(),
            message: loc.format(lang.core(), p.key.message_id(), None),
        })
        .collect()
}

/// Every problem of `household` on `today` for `stage`, in `lang`.
pub(crate) fn validate(
    household: Household,
    today: NaiveDate,
    stage: ValidationStage,
    lang: Lang,
) -> Result<Vec<Problem>> {
    let h = komek_core::model::Household::try_from(household)?;
    let ps = match stage {
        ValidationStage::Draft => core::validate(&h, today),
        ValidationStage::Finalize => core::validate_for_finalize(&h, today),
    };
    Ok(problems(&ps, lang))
}
