//! Validation of a household file with the core's rules, at the file's paths.
//!
//! The core's [`validate`] is the one place that knows what a plausible
//! household is (birth dates not in the future, one head, amounts within
//! bounds, valid IINs). An intake form is validated as it is. Answers are
//! validated through the in-memory household the core builds from them
//! ([`to_household`]), and each problem's path is mapped back to the answer it
//! came from (`incomes[4].amount` → `members[1].incomes[0].monthly`), so the
//! person is pointed at what they typed.
//!
//! Consent is not asked: `check` stores nothing, and consent governs storing
//! and transfer (`validate` reports it only for forms that would be saved).

use crate::error::FieldProblem;
use crate::text::{tr, tr_args};
use chrono::NaiveDate;
use komek_core::l10n::{Lang, Localizer};
use komek_core::model::Household;
use komek_core::rules::selfcheck::{to_household, TooMany};
use komek_core::rules::SelfCheckInput;
use komek_core::validate::{validate, Problem, ProblemKey};

/// Oldest age an answer may give.
pub const MAX_AGE: u32 = 120;

/// The problems of a household file, split by severity and localized.
#[derive(Debug, Default)]
pub struct Found {
    pub errors: Vec<FieldProblem>,
    pub warnings: Vec<FieldProblem>,
}

impl Found {
    fn push(&mut self, p: &Problem, path: String, lang: Lang) {
        let id = p.key.message_id();
        let message = format!("{} [{id}]", Localizer::global().format(lang, id, None));
        let fp = FieldProblem { path, message };
        let list = if p.is_error() {
            &mut self.errors
        } else {
            &mut self.warnings
        };
        // One answer may stand for several records (an income for 3 months).
        if !list.contains(&fp) {
            list.push(fp);
        }
    }
}

/// Problems of an intake form on `date`.
pub fn check_form(h: &Household, date: NaiveDate, lang: Lang) -> Found {
    let mut found = Found::default();
    if h.members.is_empty() {
        found.errors.push(no_one(lang));
    }
    for p in validate(h, date).iter() {
        if p.key != ProblemKey::ConsentRequired {
            found.push(p, p.path.clone(), lang);
        }
    }
    found
}

/// Problems of the applicant's answers on `date`, at the answers' paths.
pub fn check_answers(input: &SelfCheckInput, date: NaiveDate, lang: Lang) -> Found {
    let mut found = Found::default();
    if input.members.is_empty() {
        found.errors.push(no_one(lang));
    }
    // A count beyond its bound stops here: nothing is built from it.
    let household = match to_household(input, date) {
        Ok(h) => h,
        Err(e) => {
            found.errors.push(too_many(&e, lang));
            return found;
        }
    };
    // What the household built from the answers cannot show: care links by
    // index (out-of-range ones are dropped when it is built) and ages.
    for (i, m) in input.members.iter().enumerate() {
        if m.age.is_some_and(|a| a > MAX_AGE) && m.birth_date.is_none() {
            found.errors.push(FieldProblem {
                path: format!("members[{i}].age"),
                message: format!(
                    "{} [problem-age-out-of-range]",
                    tr(lang, "problem-age-out-of-range")
                ),
            });
        }
        for (j, cared) in m.cares_for.iter().enumerate() {
            let key = if *cared == i {
                Some(ProblemKey::CaresForSelf)
            } else if *cared >= input.members.len() {
                Some(ProblemKey::UnknownMember)
            } else {
                None
            };
            if let Some(key) = key {
                found.push(
                    &Problem::error("", key),
                    format!("members[{i}].cares_for[{j}]"),
                    lang,
                );
            }
        }
    }
    for p in validate(&household, date).iter() {
        if let Some(path) = answer_path(input, &p.path) {
            if !(path.ends_with(".age") && found.errors.iter().any(|f| f.path == path)) {
                found.push(p, path, lang);
            }
        }
    }
    found
}

/// No members at all: nobody is the head either, and the check cannot
/// say anything about the family.
fn no_one(lang: Lang) -> FieldProblem {
    FieldProblem {
        path: "members".to_string(),
        message: tr(lang, "problem-no-head-empty"),
    }
}

/// A count of the answers beyond its bound, at its path.
pub fn too_many(e: &TooMany, lang: Lang) -> FieldProblem {
    FieldProblem {
        path: e.field.clone(),
        message: format!(
            "{} [problem-too-many]",
            tr_args(lang, "problem-too-many", &[("max", e.max.into())])
        ),
    }
}

/// The answers' path for a path of the built household; `None` for problems
/// the answers cannot have (names, consent, care links checked above).
fn answer_path(input: &SelfCheckInput, path: &str) -> Option<String> {
    if path == "consents" || path.ends_with(".surname") || path.ends_with(".given_name") {
        return None;
    }
    if path.contains(".cares_for[") {
        return None;
    }
    if let Some((i, field)) = indexed(path, "members[") {
        // The household keeps an answered age as a stated age.
        let from_age = (field == "birth_date" && input.members.get(i)?.birth_date.is_none())
            || field.starts_with("stated_age");
        if from_age {
            return Some(format!("members[{i}].age"));
        }
        return Some(format!("members[{i}].{field}"));
    }
    if let Some((k, _)) = indexed(path, "incomes[") {
        // Each answered income became three monthly incomes, member by member.
        let mut n = 0;
        for (i, m) in input.members.iter().enumerate() {
            for j in 0..m.incomes.len() {
                if k / 3 == n {
                    return Some(format!("members[{i}].incomes[{j}].monthly"));
                }
                n += 1;
            }
        }
        return Some(path.to_string());
    }
    let mapped = match path {
        "housing.monthly_rent" => "monthly_rent".to_string(),
        "housing.tenure" => "tenure".to_string(),
        "location.district" => "district".to_string(),
        p if p.starts_with("assets.deposits[") => "deposits".to_string(),
        p if p.starts_with("assets.livestock[") => "livestock_head".to_string(),
        p if p.starts_with("assets.vehicles[") => "cars".to_string(),
        p => p.strip_prefix("assets.").unwrap_or(p).to_string(),
    };
    Some(mapped)
}

/// `members[3].iin` with prefix `members[` → `(3, "iin")`.
fn indexed<'a>(path: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(prefix)?;
    let (index, field) = rest.split_once("].")?;
    Some((index.parse().ok()?, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(json: &str) -> SelfCheckInput {
        match serde_json::from_str(json) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        }
    }

    fn paths(found: &[FieldProblem]) -> Vec<&str> {
        found.iter().map(|p| p.path.as_str()).collect()
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, 10).unwrap_or_default()
    }

    #[test]
    fn sound_answers_have_no_problems() {
        let a = answers(
            r#"{"region": "aktobe", "tenure": "rent", "monthly_rent": 6000000,
                "members": [{"relation": "head", "age": 34,
                             "incomes": [{"kind": "wages", "monthly": 9000000}]},
                            {"relation": "child", "age": 3}]}"#,
        );
        let found = check_answers(&a, date(), Lang::En);
        assert!(
            found.errors.is_empty() && found.warnings.is_empty(),
            "{found:?}"
        );
    }

    #[test]
    fn problems_point_at_the_answer_that_caused_them() {
        let a = answers(
            r#"{"region": "aktobe", "monthly_rent": -5, "deposits": -1,
                "members": [{"relation": "head", "age": 34,
                             "incomes": [{"kind": "wages", "monthly": 100}]},
                            {"relation": "head", "birth_date": "2026-05-01", "cares_for": [1, 7],
                             "incomes": [{"kind": "pension", "monthly": 100},
                                         {"kind": "alimony", "monthly": -100}]},
                            {"relation": "child", "age": 400}]}"#,
        );
        let found = check_answers(&a, date(), Lang::En);
        let mut errors = paths(&found.errors);
        errors.sort_unstable();
        assert_eq!(
            errors,
            [
                "deposits",
                "members[1].birth_date",
                "members[1].cares_for[0]",
                "members[1].cares_for[1]",
                "members[1].incomes[1].monthly",
                "members[1].relation",
                "members[2].age",
                "monthly_rent",
            ]
        );
        assert!(found
            .errors
            .iter()
            .any(|p| p.message.contains("[problem-birth-date-in-future]")));
    }
}
