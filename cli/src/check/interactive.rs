//! The self-check as a conversation: the questions a person can answer about
//! their family without documents, one at a time, in their language.
//!
//! The answers become the same [`SelfCheckInput`] a household file holds, so a
//! conversation and a file give the same report (and `--save` writes the
//! answers as a file to check again later). Questions that cannot matter are
//! skipped: no activity for a child under 16, no award question for a man, no
//! rent when the family owns its home. Expenses are not asked (the advisory
//! expenditure view reads them from a file).

use super::choices;
use super::problems::MAX_AGE;
use super::prompt::Prompter;
use crate::error::CliError;
use crate::region::parse_region;
use crate::text::{tr, tr_args};
use komek_core::model::{Activity, Disability, Region, Relation, Sex, Tenure, Tiyn};
use komek_core::rules::selfcheck::{SelfCheckIncome, SelfCheckLoan, SelfCheckMember};
use komek_core::rules::SelfCheckInput;
use std::io::{BufRead, Write};

/// The most people a family may have in the conversation.
pub const MAX_PEOPLE: u32 = 20;
/// Age from which a person is asked what they do (as the intake form does).
const ACTIVITY_FROM_AGE: u32 = 16;

/// Asks every question and returns the answers. `region` skips its question.
pub fn ask<R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    region: Option<Region>,
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
        let member = ask_member(p, i, people, &mut incomes_listed)?;
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
    })
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
        birth_date: None,
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
    use komek_core::model::IncomeKind;

    fn run(lang: Lang, answers: &str) -> (Result<SelfCheckInput, CliError>, String) {
        let mut out = Vec::new();
        let result = {
            let mut p = Prompter::new(answers.as_bytes(), &mut out, lang, true);
            ask(&mut p, None)
        };
        (result, String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn a_single_mother_answers_in_russian() {
        // Aktobe (3); 2 people. Person 1: 30, female (2), employed (1),
        // no disability, not long ill, no award, wages 90,000; done.
        // Person 2: child (2), age 4, male (1), no disability; no income.
        // Rent 60,000 (2); no deposits, cars, loans, livestock; breadwinner no.
        let answers = "3\n2\n30\n2\n1\n\nнет\n\n2\n90 000\n\n2\n4\n1\n\n\n2\n60000\n\n\n\n\n\n";
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
}
