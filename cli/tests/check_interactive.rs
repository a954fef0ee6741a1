//! `komek check --interactive` driven by piped answers, as a person would
//! type them: questions on stderr in the chosen language, the report on
//! stdout, the same report as from a file.

mod common;

use common::{komek, stderr_of, stdout_of, DATE};
use komek_core::model::Tiyn;
use komek_core::rules::{Outcome, ProgrammeId, Report};

/// A mother of 30 in Aktobe (3rd in the list) earning 60,000 a month, with a
/// son of 4, renting for 60,000. One line per question, in order: region,
/// people; person 1: age, sex (2 female), activity (1 employed), disability
/// (Enter: none), long illness, award (Enter: none), income kind (2 wages),
/// amount, Enter (done); person 2: relation (2 child), age, sex (1 male),
/// disability, Enter (no income); tenure (2 rent), rent, then Enter for
/// deposits, cars, loans, livestock, breadwinner and a previous refusal.
const ANSWERS: &str = "3\n2\n30\n2\n1\n\nno\n\n2\n60 000\n\n2\n4\n1\n\n\n2\n60000\n\n\n\n\n\n\n";

/// TSA by hand: 60,000 × 3 / 2 people / 3 = 30,000 PCI; 37,060 − 30,000 =
/// 7,060 × 2 = 14,120, plus 1.5 × 4,325 = 6,487.50 for the child of 4.
const EXPECTED_TSA: Tiyn = Tiyn(2_060_750);

#[test]
fn piped_answers_give_the_report_with_the_hand_computed_amount() {
    let a = komek()
        .args(["check", "--interactive", "--date", DATE, "--lang", "en"])
        .write_stdin(ANSWERS)
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(
        out.contains("Estimated amount: 20,607.50\u{a0}₸ a month"),
        "{out}"
    );
    let questions = stderr_of(&a);
    assert!(
        questions.contains("How many people live in your family"),
        "{questions}"
    );
    assert!(
        !out.contains("How many people"),
        "questions stay off stdout"
    );
}

#[test]
fn interactive_json_is_the_typed_report() {
    let a = komek()
        .args(["check", "-i", "--json", "--date", DATE])
        .write_stdin(ANSWERS)
        .assert()
        .success();
    let r: Report = serde_json::from_slice(&a.get_output().stdout).expect("stdout is JSON only");
    let tsa = r
        .programme(ProgrammeId::TargetedSocialAssistance)
        .expect("tsa");
    assert_eq!(tsa.outcome, Outcome::LikelyEligible);
    assert_eq!(tsa.amount.map(|a| a.value), Some(EXPECTED_TSA));
}

#[test]
fn questions_are_asked_in_kazakh_and_russian_and_yes_no_in_those_words() {
    let kk_answers = ANSWERS.replacen("no", "жоқ", 1);
    let a = komek()
        .args(["check", "-i", "--date", DATE, "--lang", "kk"])
        .write_stdin(kk_answers)
        .assert()
        .success();
    assert!(stderr_of(&a).contains("Отбасыңызда"), "{}", stderr_of(&a));
    assert!(stdout_of(&a).contains("Атаулы әлеуметтік көмек"));
    let ru_answers = ANSWERS.replacen("no", "нет", 1);
    let a = komek()
        .args(["check", "-i", "--date", DATE, "--lang", "ru"])
        .write_stdin(ru_answers)
        .assert()
        .success();
    assert!(stderr_of(&a).contains("Сколько человек"));
}

#[test]
fn a_wrong_answer_is_asked_again_and_region_skips_its_question() {
    // --region given: the first line is the number of people. "abc" and 0 are
    // refused and asked again.
    let answers = format!("abc\n0\n{}", &ANSWERS[2..]);
    let a = komek()
        .args([
            "check",
            "-i",
            "--json",
            "--date",
            DATE,
            "--region",
            "Ақтөбе",
        ])
        .write_stdin(answers)
        .assert()
        .success();
    let questions = stderr_of(&a);
    assert_eq!(
        questions
            .matches("Please enter a whole number from 1 to 20")
            .count(),
        2,
        "{questions}"
    );
    assert!(!questions.contains("Where do you live"));
    let r: Report = serde_json::from_slice(&a.get_output().stdout).expect("json");
    assert_eq!(
        r.programme(ProgrammeId::TargetedSocialAssistance)
            .and_then(|p| p.amount)
            .map(|a| a.value),
        Some(EXPECTED_TSA)
    );
}

#[test]
fn saved_answers_check_again_to_the_same_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("answers.json");
    let a = komek()
        .args(["check", "-i", "--json", "--date", DATE, "--save"])
        .arg(&saved)
        .write_stdin(ANSWERS)
        .assert()
        .success();
    let from_conversation = a.get_output().stdout.clone();
    let text = std::fs::read_to_string(&saved).expect("saved");
    assert!(text.contains("\"region\": \"aktobe\""), "{text}");
    let again = komek()
        .arg("check")
        .arg(&saved)
        .args(["--json", "--date", DATE])
        .assert()
        .success();
    assert_eq!(again.get_output().stdout, from_conversation);
}

#[test]
fn answers_that_end_early_are_an_error_not_a_guess() {
    let a = komek()
        .args(["check", "-i", "--date", DATE])
        .write_stdin("3\n2\n30\n")
        .assert()
        .code(3);
    assert!(stderr_of(&a).contains("The answers ended before the last question"));
    assert!(stdout_of(&a).is_empty());
}
