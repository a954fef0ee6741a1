//! The lists a person picks from in the interactive self-check, with labels
//! in their language.
//!
//! Relations, regions, awards and income kinds are named by the core's
//! messages (the same words as in the report); sex, activity, disability,
//! housing and loan purposes by the command line's own (`cli.ftl`). Lists put
//! the likely answer first where there is one ("none", "no more income").

use crate::text::tr;
use komek_core::l10n::{Lang, Localizer};
use komek_core::model::{
    Activity, Disability, IncomeKind, LoanPurpose, MotherAward, RefusalReason, Region, Relation,
    Sex, Tenure,
};
use serde::Serialize;

/// A choice: the value and its label.
pub type Options<T> = Vec<(T, String)>;

/// Relations to the head, for persons 2 and later.
pub fn relations(lang: Lang) -> Options<Relation> {
    RELATIONS
        .iter()
        .map(|r| (*r, core_label(lang, "relation", r)))
        .collect()
}

pub fn regions(lang: Lang) -> Options<Region> {
    Region::ALL
        .iter()
        .map(|r| (*r, core_label(lang, "region", r)))
        .collect()
}

pub fn sexes(lang: Lang) -> Options<Sex> {
    labels(lang, "sex", &[Sex::Male, Sex::Female])
}

pub fn activities(lang: Lang) -> Options<Activity> {
    labels(lang, "activity", &ACTIVITIES)
}

/// Disabilities possible at `age`: "child" under 18, groups from 16.
pub fn disabilities(lang: Lang, age: u32) -> Options<Disability> {
    DISABILITIES
        .iter()
        .copied()
        .filter(|d| match d {
            Disability::Child => age < 18,
            Disability::GroupI | Disability::GroupII | Disability::GroupIII => age >= 16,
            Disability::None => true,
        })
        .map(|d| (d, tr(lang, disability_id(d))))
        .collect()
}

/// "None" first, then the awards.
pub fn awards(lang: Lang) -> Options<Option<MotherAward>> {
    let mut options = vec![(None, tr(lang, "award-none"))];
    options.extend(
        AWARDS
            .iter()
            .map(|a| (Some(*a), core_label(lang, "award", a))),
    );
    options
}

/// "No" first, then each reason TSA may have been refused or stopped for.
pub fn refusals(lang: Lang) -> Options<Option<RefusalReason>> {
    let mut options = vec![(None, tr(lang, "refusal-none"))];
    options.extend(
        RefusalReason::ALL
            .iter()
            .map(|r| (Some(*r), core_label(lang, "refusal", r))),
    );
    options
}

/// "No (more) income" first, then every income kind.
pub fn incomes(lang: Lang) -> Options<Option<IncomeKind>> {
    let mut options = vec![(None, tr(lang, "income-done"))];
    options.extend(
        IncomeKind::ALL
            .iter()
            .map(|k| (Some(*k), core_label(lang, "income", k))),
    );
    options
}

pub fn tenures(lang: Lang) -> Options<Tenure> {
    labels(lang, "tenure", &TENURES)
}

pub fn loan_purposes(lang: Lang) -> Options<LoanPurpose> {
    labels(lang, "loan", &LOAN_PURPOSES)
}

/// The label of a disability (its JSON codes, `group_i_i`, read badly).
fn disability_id(d: Disability) -> &'static str {
    match d {
        Disability::None => "disability-none",
        Disability::GroupI => "disability-group-1",
        Disability::GroupII => "disability-group-2",
        Disability::GroupIII => "disability-group-3",
        Disability::Child => "disability-child",
    }
}

/// `(value, label)` for values labelled by the CLI message `<prefix>-<code>`.
fn labels<T: Copy + Serialize>(lang: Lang, prefix: &str, values: &[T]) -> Options<T> {
    values
        .iter()
        .map(|v| (*v, tr(lang, &format!("{prefix}-{}", code(v)))))
        .collect()
}

/// The core's message `<prefix>-<code>`.
fn core_label<T: Serialize>(lang: Lang, prefix: &str, v: &T) -> String {
    Localizer::global().format(lang, &format!("{prefix}-{}", code(v)), None)
}

/// The snake-case code an enum serializes as.
fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

const RELATIONS: [Relation; 9] = [
    Relation::Spouse,
    Relation::Child,
    Relation::Stepchild,
    Relation::Grandchild,
    Relation::Parent,
    Relation::Grandparent,
    Relation::Sibling,
    Relation::OtherRelative,
    Relation::NotRelated,
];

const ACTIVITIES: [Activity; 7] = [
    Activity::Employed,
    Activity::SelfEmployed,
    Activity::Unemployed,
    Activity::Homemaker,
    Activity::Pensioner,
    Activity::StudentFullTime,
    Activity::Carer,
];

const DISABILITIES: [Disability; 5] = [
    Disability::None,
    Disability::GroupI,
    Disability::GroupII,
    Disability::GroupIII,
    Disability::Child,
];

const AWARDS: [MotherAward; 5] = [
    MotherAward::KumisAlqa,
    MotherAward::AltynAlqa,
    MotherAward::MotherHeroine,
    MotherAward::MaternalGloryI,
    MotherAward::MaternalGloryII,
];

const TENURES: [Tenure; 5] = [
    Tenure::Own,
    Tenure::Rent,
    Tenure::WithRelatives,
    Tenure::NoHousing,
    Tenure::Other,
];

const LOAN_PURPOSES: [LoanPurpose; 6] = [
    LoanPurpose::Consumer,
    LoanPurpose::Food,
    LoanPurpose::Medical,
    LoanPurpose::Business,
    LoanPurpose::Mortgage,
    LoanPurpose::Other,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_exists_in_every_language() {
        for lang in Lang::ALL {
            let mut all: Vec<String> = Vec::new();
            all.extend(relations(lang).into_iter().map(|o| o.1));
            all.extend(regions(lang).into_iter().map(|o| o.1));
            all.extend(sexes(lang).into_iter().map(|o| o.1));
            all.extend(activities(lang).into_iter().map(|o| o.1));
            all.extend(disabilities(lang, 17).into_iter().map(|o| o.1));
            all.extend(awards(lang).into_iter().map(|o| o.1));
            all.extend(incomes(lang).into_iter().map(|o| o.1));
            all.extend(tenures(lang).into_iter().map(|o| o.1));
            all.extend(loan_purposes(lang).into_iter().map(|o| o.1));
            assert_eq!(all.len(), 9 + 20 + 2 + 7 + 5 + 6 + 31 + 5 + 6);
            for label in all {
                // A missing message comes back as its id, `prefix-code`.
                let looks_like_id = label.contains('-')
                    && label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c));
                assert!(!label.is_empty() && !looks_like_id, "{lang:?}: {label}");
            }
        }
    }

    #[test]
    fn disabilities_offered_depend_on_age() {
        let codes = |age| -> Vec<Disability> {
            disabilities(Lang::En, age)
                .into_iter()
                .map(|o| o.0)
                .collect()
        };
        assert_eq!(codes(5), [Disability::None, Disability::Child]);
        assert_eq!(codes(17).len(), 5);
        assert_eq!(
            codes(40),
            [
                Disability::None,
                Disability::GroupI,
                Disability::GroupII,
                Disability::GroupIII
            ]
        );
    }
}
