//! `komek check`: the applicant's self-check, from a file or a conversation.
//!
//! Two-thirds of families who thought themselves eligible never applied for
//! lack of information, and most refusals come as a surprise. `check` answers
//! before anyone applies: which programmes the family is likely entitled to,
//! how much, by what margin, which incomes counted, and what documents to
//! bring, in Kazakh, Russian or English, under a named rule pack and date.
//! Nothing is stored (unless `--save` is asked for), nothing is sent.
//!
//! - [`file`](mod@file): reading a household file, with errors at JSON paths.
//! - [`problems`]: the core's validation at the file's paths.
//! - [`interactive`], [`prompt`] and [`choices`]: the questions one by one.

mod choices;
mod file;
mod interactive;
mod problems;
mod prompt;

use crate::error::{CliError, FieldProblem};
use crate::options::{today, LangArg, PackArgs};
use crate::pack_source::{self, Origin};
use crate::region::parse_region;
use crate::text::{tr, tr_args};
use chrono::NaiveDate;
use clap::Args;
use file::HouseholdFile;
use komek_core::l10n::Lang;
use komek_core::model::Region;
use komek_core::rules::render::render_text;
use komek_core::rules::{evaluate, self_check, Report};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Household file (JSON): the applicant's answers or an intake form; `-`
    /// reads standard input. Format: examples/household.schema.json.
    #[arg(
        value_name = "FILE",
        required_unless_present = "interactive",
        conflicts_with = "interactive"
    )]
    pub file: Option<PathBuf>,
    /// Ask the questions one by one (answers may be piped in).
    #[arg(short, long)]
    pub interactive: bool,
    /// With --interactive: also save the answers as a household file.
    #[arg(long, value_name = "FILE", requires = "interactive")]
    pub save: Option<PathBuf>,
    /// Evaluate as of this date [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Region, replacing the file's: a KATO code, a code (`aktobe`) or a name
    /// in any of the three languages.
    #[arg(long, value_name = "KATO|NAME", value_parser = parse_region)]
    pub region: Option<Region>,
    /// Language of the questions and the report.
    #[arg(long, value_enum, default_value = "en", env = "KOMEK_LANG")]
    pub lang: LangArg,
    /// Print the typed report as JSON (message ids and typed values, as the
    /// core's `Report` serializes) instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub pack: PackArgs,
}

pub fn run(args: CheckArgs) -> Result<(), CliError> {
    let lang = Lang::from(args.lang);
    let date = args.date.unwrap_or_else(today);
    let loaded = pack_source::load(&args.pack, date)?;
    if let Origin::Unsigned(path) = &loaded.origin {
        eprintln!(
            "{}",
            tr_args(
                lang,
                "pack-unsigned",
                &[("file", path.display().to_string().into())]
            )
        );
    }
    let household = match &args.file {
        _ if args.interactive => converse(&args, lang, date).map(HouseholdFile::Answers),
        Some(path) => read_file(path, lang),
        None => {
            return Err(CliError::Usage(
                "give a household FILE or --interactive".into(),
            ))
        }
    };
    let report = household.and_then(|h| assess(h, args.region, date, lang, loaded.pack()));
    let report = match report {
        Err(e @ CliError::InvalidInput { .. }) if args.json => {
            // Scripts read the problems from stdout; the exit code stays 3.
            crate::out::stdout(&(problems_json(&e) + "\n"))?;
            return Err(e);
        }
        other => other?,
    };
    if args.json {
        let json = report
            .to_json()
            .map_err(|e| CliError::Other(format!("cannot write the report as JSON: {e}")))?;
        crate::out::stdout(&(json + "\n"))?;
    } else {
        crate::out::stdout(&render_text(&report, lang))?;
    }
    Ok(())
}

/// `{"error": "invalid_input", "heading": …, "problems": [{"path", "message"}]}`:
/// the problems of an invalid household as `--json` prints them.
fn problems_json(e: &CliError) -> String {
    let CliError::InvalidInput { heading, problems } = e else {
        return String::new();
    };
    let problems: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| serde_json::json!({"path": p.path, "message": p.message}))
        .collect();
    serde_json::json!({
        "error": "invalid_input",
        "heading": heading,
        "problems": problems,
    })
    .to_string()
}

/// Validates and evaluates a household file on `date`.
fn assess(
    household: HouseholdFile,
    region: Option<Region>,
    date: NaiveDate,
    lang: Lang,
    pack: &komek_core::rules::RulePack,
) -> Result<Report, CliError> {
    match household {
        HouseholdFile::Answers(mut answers) => {
            if region.is_some() {
                answers.region = region;
            }
            let mut found = problems::check_answers(&answers, date, lang);
            if answers.region.is_none() {
                found.errors.insert(
                    0,
                    FieldProblem {
                        path: "region".to_string(),
                        message: tr(lang, "problem-region-missing"),
                    },
                );
            }
            refuse_or_warn(found, lang)?;
            self_check(&answers, pack, date).map_err(|e| CliError::InvalidInput {
                heading: tr(lang, "household-invalid"),
                problems: vec![problems::too_many(&e, lang)],
            })
        }
        HouseholdFile::Form(mut form) => {
            if let Some(r) = region {
                form.location.region = r;
            }
            refuse_or_warn(problems::check_form(&form, date, lang), lang)?;
            Ok(evaluate(&form, pack, date))
        }
    }
}

/// Errors stop the check with every problem listed; warnings are shown and
/// the check goes on.
fn refuse_or_warn(found: problems::Found, lang: Lang) -> Result<(), CliError> {
    if !found.errors.is_empty() {
        let mut problems = found.errors;
        problems.extend(found.warnings);
        return Err(CliError::InvalidInput {
            heading: tr(lang, "household-invalid"),
            problems,
        });
    }
    if !found.warnings.is_empty() {
        eprintln!("{}", tr(lang, "household-warnings"));
        for w in &found.warnings {
            eprintln!("  - {w}");
        }
    }
    Ok(())
}

fn read_file(path: &PathBuf, lang: Lang) -> Result<HouseholdFile, CliError> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::read("<stdin>", e))?;
    } else {
        let bytes = std::fs::read(path).map_err(|e| CliError::read(path, e))?;
        text = String::from_utf8(bytes).map_err(|_| CliError::InvalidInput {
            heading: tr(lang, "household-invalid"),
            problems: vec![FieldProblem {
                path: file::WHOLE_FILE.to_string(),
                message: tr(lang, "file-not-utf8"),
            }],
        })?;
    }
    file::parse(&text, lang).map_err(|p| CliError::InvalidInput {
        heading: tr(lang, "household-invalid"),
        problems: vec![p],
    })
}

/// The questions on stdin/stderr; saves the answers when asked to.
fn converse(
    args: &CheckArgs,
    lang: Lang,
    date: NaiveDate,
) -> Result<komek_core::rules::SelfCheckInput, CliError> {
    let stdin = std::io::stdin();
    let piped = !stdin.is_terminal();
    let mut p = prompt::Prompter::new(stdin.lock(), std::io::stderr(), lang, piped);
    let answers = interactive::ask(&mut p, args.region, date)?;
    if let Some(path) = &args.save {
        let json = serde_json::to_string_pretty(&answers)
            .map_err(|e| CliError::Other(format!("cannot write the answers as JSON: {e}")))?;
        std::fs::write(path, json + "\n").map_err(|e| CliError::write(path, e))?;
        p.say(&tr_args(
            lang,
            "answers-saved",
            &[("file", path.display().to_string().into())],
        ))?;
    }
    p.say("")?;
    Ok(answers)
}
