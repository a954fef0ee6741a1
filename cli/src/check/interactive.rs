//! The self-check as a conversation: the questions a person can answer about
//! their family without documents, one at a time, in their language.
//!
//! The answers become the same [`SelfCheckInput`] a household file holds, so a
//! conversation and a file give the same report (and `--save` writes the
//! answers as a file to check again later). Questions that cannot matter are
//! skipped: no activity for a child under 16, no award question for a man, no
//! rent when the family owns its home. Expenses are not asked (the advisory
//! expenditure view reads them from a file). An age near a limit that full
//! years cannot decide brings a question for the date of birth (Enter skips
//! it, and the result then says it needs review instead of guessing).

use super::choices;
use super::problems::MAX_AGE;
use super::prompt::Prompter;
use crate::error::CliError;
use crate::region::parse_region;
use crate::text::{tr, tr_args};
use chrono::NaiveDate;
use komek_core::model::{
    age_on, Activity, Disability, Region, Relation, Sex, Tenure, Tiyn, TsaRefusal,
};
use komek_core::rules::selfcheck::{SelfCheckIncome, SelfCheckLoan, SelfCheckMember};
use komek_core::rules::SelfCheckInput;
use std::io::{BufRead, Write};

/// The most people a family may have in the conversation.
pub const MAX_PEOPLE: u32 = 20;
/// Age from which a person is asked what they do (as the intake form does).
const ACTIVITY_FROM_AGE: u32 = 16;

/// Asks every question and returns the answers. `region` skips its question;
/// `today` is the evaluation date (a date of birth must match the age).
pub fn ask<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    region: Option<Region>,
    today: NaiveDate,
) -> Result<SelfCheckInput, CliError> {
    let lang = p.lang;
    p.say(&tr(lang, "ask-intro"))?;
    let region = match region {
        Some(r) => r,
        None => ask_region(p)?,
    };
    let people = p.number("ask-people", 1, MAX_PEOPLE, None)?;
    let mut members = Vec::new();
    let mut incomes_listed = false;
    for i in 0..people {
        p.say(&format!(
            "\n{}",
            tr_args(
                lang,
                "ask-person",
                &[("number", (i + 1).into()), ("total", people.into())]
            )
        ))?;
        let member = ask_member(p, i, people, today, &mut incomes_listed)?;
        members.push(member);
    }
    p.say("")?;
    let tenure = p.choice("ask-tenure", &choices::tenures(lang), None, true)?;
    let monthly_rent = match tenure {
        Tenure::Rent => Some(p.amount("ask-rent", false)?),
        _ => None,
    };
    let deposits = Some(p.amount("ask-deposits", true)?).filter(|d| d.get() > 0);
    let cars = p.number("ask-cars", 0, 20, Some(0))?;
    let owed = p.amount("ask-loans", true)?;
    let loans = if owed.get() > 0 {
        let purpose = p.choice(
            "ask-loan-purpose",
            &choices::loan_purposes(lang),
            None,
            true,
        )?;
        vec![SelfCheckLoan {
            purpose,
            outstanding: owed,
            monthly_payment: Tiyn::ZERO,
        }]
    } else {
        Vec::new()
    };
    let livestock_head = p.number("ask-livestock", 0, 100_000, Some(0))?;
    let breadwinner_lost = p.yes_no("ask-breadwinner-lost", false)?;
    let previous_tsa_refusal = ask_refusal(p, today)?;
    Ok(SelfCheckInput {
        region: Some(region),
        district: None,
        members,
        tenure: Some(tenure),
        monthly_rent,
        expenses: Vec::new(),
        loans,
        deposits,
        cars,
        livestock_head,
        breadwinner_lost,
        previous_tsa_refusal,
    })
}

/// Full years cannot decide the limits counted in months (the 12 months after
/// a birth, childcare to 18 months) nor the retirement ages, which move by
/// half years: for these ages the date of birth is asked.
fn age_needs_a_date(age: u32) -> bool {
    age <= 1 || (58..=65).contains(&age)
}

/// The date of birth, when known: `2025-03-14` or `14.03.2025`, and matching
/// the age given on `today`. An empty answer skips it.
fn ask_birth_date<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    age: u32,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, CliError> {
    let lang = p.lang;
    let question = tr(lang, "ask-birth-date");
    p.ask("ask-birth-date", &question, None, |s| {
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
            .ok()
            .filter(|d| age_on(*d, today) == Some(age))
            .map(Some)
            .ok_or_else(|| tr_args(lang, "answer-birth-date", &[("age", age.into())]))
    })
}

/// A refusal or termination of TSA in the last months, and its date: the
/// result then says when the family can apply again.
fn ask_refusal<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    today: NaiveDate,
) -> Result<Option<TsaRefusal>, CliError> {
    let lang = p.lang;
    let Some(reason) = p.choice("ask-refusal", &choices::refusals(lang), Some(0), true)? else {
        return Ok(None);
    };
    let question = tr(lang, "ask-refusal-date");
    let date = p.ask("ask-refusal-date", &question, None, |s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
            .ok()
            .filter(|d| *d <= today)
            .ok_or_else(|| tr(lang, "answer-date"))
    })?;
    Ok(Some(TsaRefusal { date, reason }))
}

fn ask_region<R: BufRead, W: Write>(p: &mut Prompter<R, W>) -> Result<Region, CliError> {
    let lang = p.lang;
    for (i, (_, name)) in choices::regions(lang).iter().enumerate() {
        p.say(&format!("  {:>2}. {name}", i + 1))?;
    }
    let question = tr(lang, "ask-region");
    p.ask("ask-region", &question, None, |s| {
        let by_number = s
            .parse::<usize>()
            .ok()
            .filter(|n| s.len() <= 2 && *n >= 1)
            .and_then(|n| Region::ALL.get(n - 1).copied());
        by_number
            .map(Ok)
            .unwrap_or_else(|| parse_region(s).map_err(|_| tr(lang, "answer-region")))
    })
}

fn ask_member<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    index: u32,
    people: u32,
    today: NaiveDate,
    incomes_listed: &mut bool,
) -> Result<SelfCheckMember, CliError> {
    let lang = p.lang;
    let relation = if index == 0 {
        p.say(&tr(lang, "ask-person-is-you"))?;
        Relation::Head
    } else {
        p.choice("ask-relation", &choices::relations(lang), None, true)?
    };
    let age = p.number("ask-age", 0, MAX_AGE, None)?;
    let birth_date = if age_needs_a_date(age) {
        ask_birth_date(p, age, today)?
    } else {
        None
    };
    let sex = p.choice("ask-sex", &choices::sexes(lang), None, true)?;
    let activity = if age >= ACTIVITY_FROM_AGE {
        p.choice("ask-activity", &choices::activities(lang), None, true)?
    } else {
        Activity::Child
    };
    let disability = p.choice(
        "ask-disability",
        &choices::disabilities(lang, age),
        Some(0),
        true,
    )?;
    let adult_group = age >= 18 && disability != Disability::None;
    let disabled_since_childhood = adult_group && p.yes_no("ask-since-childhood", false)?;
    let long_illness =
        age >= 18 && disability == Disability::None && p.yes_no("ask-long-illness", false)?;
    let needs_care =
        (age >= 60 || disability.is_disabled()) && p.yes_no("ask-needs-care", false)?;
    let cares_for = if activity == Activity::Carer {
        ask_cared(p, index, people)?
    } else {
        Vec::new()
    };
    let mother_award = if sex == Sex::Female && age >= 18 {
        p.choice("ask-mother-award", &choices::awards(lang), Some(0), true)?
    } else {
        None
    };
    let incomes = ask_incomes(p, incomes_listed)?;
    Ok(SelfCheckMember {
        relation,
        age: Some(age),
        birth_date,
        sex: Some(sex),
        status: Default::default(),
        disability,
        disabled_since_childhood,
        long_illness,
        activity: Some(activity),
        cares_for,
        needs_care,
        receives_special_services: false,
        mother_award,
        incomes,
        absence: None,
    })
}

/// Person numbers (1-based, comma-separated) → indexes; empty for nobody.
fn ask_cared<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    index: u32,
    people: u32,
) -> Result<Vec<usize>, CliError> {
    let lang = p.lang;
    let question = tr(lang, "ask-cares-for");
    p.ask("ask-cares-for", &question, Some("-"), |s| {
        if s == "-" {
            return Ok(Vec::new());
        }
        s.split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=people).contains(n) && *n != index + 1)
                    .map(|n| n as usize - 1)
            })
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(|| tr_args(lang, "answer-people", &[("max", people.into())]))
    })
}

fn ask_incomes<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    listed: &mut bool,
) -> Result<Vec<SelfCheckIncome>, CliError> {
    let lang = p.lang;
    let options = choices::incomes(lang);
    let mut incomes = Vec::new();
    loop {
        let show = !*listed;
        *listed = true;
        let Some(kind) = p.choice("ask-income-kind", &options, Some(0), show)? else {
            return Ok(incomes);
        };
        let monthly = p.amount("ask-income-amount", false)?;
        incomes.push(SelfCheckIncome { kind, monthly });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use komek_core::l10n::Lang;
    use komek_core::model::{IncomeKind, RefusalReason};

    /// The evaluation date of these conversations.
    const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 2, 10) {
        Some(d) => d,
        None => panic!("a valid date"),
    };

    fn run(lang: Lang, answers: &str) -> (Result<SelfCheckInput, CliError>, String) {
        let mut out = Vec::new();
        let result = {
            let mut p = Prompter::new(answers.as_bytes(), &mut out, lang, true);
            ask(&mut p, None, TODAY)
        };
        (result, String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn a_single_mother_answers_in_russian() {
        // Aktobe (3); 2 people. Person 1: 30, female (2), employed (1),
        // no disability, not long ill, no award, wages 90,000; done.
        // Person 2: child (2), age 4, male (1), no disability; no income.
        // Rent 60,000 (2); no deposits, cars, loans, livestock; breadwinner
        // no; no previous refusal.
        let answers = "3\n2\n30\n2\n1\n\nнет\n\n2\n90 000\n\n2\n4\n1\n\n\n2\n60000\n\n\n\n\n\n\n";
        let (input, transcript) = run(Lang::Ru, answers);
        let input = match input {
            Ok(i) => i,
            Err(e) => panic!("{e}\n{transcript}"),
        };
        assert_eq!(input.region, Some(Region::Aktobe));
        assert_eq!(input.members.len(), 2);
        let mother = &input.members[0];
        assert_eq!(
            (mother.relation, mother.age, mother.sex),
            (Relation::Head, Some(30), Some(Sex::Female))
        );
        assert_eq!(mother.activity, Some(Activity::Employed));
        assert_eq!(
            mother.incomes,
            vec![SelfCheckIncome {
                kind: IncomeKind::Wages,
                monthly: Tiyn::from_tenge(90_000)
            }]
        );
        let child = &input.members[1];
        assert_eq!(
            (child.relation, child.age, child.activity),
            (Relation::Child, Some(4), Some(Activity::Child))
        );
        assert_eq!(
            (input.tenure, input.monthly_rent),
            (Some(Tenure::Rent), Some(Tiyn::from_tenge(60_000)))
        );
        assert!(input.loans.is_empty() && input.deposits.is_none() && !input.breadwinner_lost);
        assert!(transcript.contains("Сколько человек"), "{transcript}");
    }

    /// A baby of 1 (childcare runs to 18 months: full years cannot tell) is
    /// asked for the date of birth; a date that does not match the age is
    /// asked again; the date is kept next to the age. The family says TSA
    /// was stopped on 1 December 2025 for a broken social contract.
    #[test]
    fn a_baby_is_asked_the_date_of_birth_and_a_refusal_its_date() {
        // Aktobe (3); 2 people. Person 1: 25, female, carer (4)... kept
        // simple: activity employed (1), no disability, not ill, no award,
        // no income. Person 2: child (2), age 1, date "2020-01-01" (wrong
        // age: asked again), then 14.08.2024 (1 year old on 2026-02-10),
        // female (2), no disability, no income. Own home (1); nothing else;
        // breadwinner no; refusal 3 (broken social contract) on 01.12.2025.
        let answers = "3\n2\n25\n2\n1\n\nno\n\n\n2\n1\n2020-01-01\n14.08.2024\n2\n\n\n1\n\n\n\n\n\n3\n01.12.2025\n";
        let (input, transcript) = run(Lang::En, answers);
        let input = match input {
            Ok(i) => i,
            Err(e) => panic!("{e}\n{transcript}"),
        };
        let baby = &input.members[1];
        assert_eq!(baby.age, Some(1));
        assert_eq!(baby.birth_date, NaiveDate::from_ymd_opt(2024, 8, 14));
        assert_eq!(input.members[0].birth_date, None, "25 is not asked");
        assert_eq!(
            transcript.matches("Date of birth, if you know it").count(),
            2,
            "asked once, and again after the wrong date: {transcript}"
        );
        assert!(
            transcript.contains("matches the age given (1)"),
            "{transcript}"
        );
        let refusal = input.previous_tsa_refusal.expect("a refusal");
        assert_eq!(refusal.reason, RefusalReason::BrokenSocialContract);
        assert_eq!(refusal.date, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
    }

    #[test]
    fn ages_near_limits_that_full_years_cannot_decide() {
        let asked: Vec<u32> = (0..=MAX_AGE).filter(|a| age_needs_a_date(*a)).collect();
        assert_eq!(asked, [0, 1, 58, 59, 60, 61, 62, 63, 64, 65]);
    }
}
