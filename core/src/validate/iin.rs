//! The IIN (individual identification number): structure and check digit.
//!
//! A mistyped IIN sends an application to the wrong person or gets it refused,
//! and the field worker is the last one who can still ask the applicant, so the
//! form checks the number on the spot. The structure (domain file, "The IIN"; L,
//! public validator libraries citing Government Decree 565 of 2003):
//!
//! - digits 1-6: `YYMMDD` birth date;
//! - digit 7: century and sex (1/2 born in the 1800s male/female, 3/4 the 1900s,
//!   5/6 the 2000s; odd = male);
//! - digits 8-11: serial number;
//! - digit 12: check digit, see [`check_digit`].
//!
//! Foreigners also get IINs and the digit-7 rules for them are unknown (U), so
//! the birth date and sex implied by digits 1-7 are only a hint
//! ([`IinInfo`]); a mismatch with the form is a warning, a wrong check digit an
//! error. The IIN is personal data: [`IinError`] never contains it.

use crate::model::Sex;
use chrono::NaiveDate;

/// Weights of the first pass: digit `i` (1-based) times `i`.
const FIRST_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/// Weights of the second pass, used when the first gives 10.
const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// What digits 1-7 of a valid IIN say about its holder, when they say anything.
///
/// Both fields are `Some` only when digit 7 is 1-6 and digits 1-6 with that
/// century form a real calendar date; otherwise both are `None` (for example a
/// foreigner's IIN under rules we do not know). This is a hint to cross-check
/// the form against, not a fact about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IinInfo {
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
}

/// Why a text is not a valid IIN. Never carries the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN has 12 digits, this text has {0} characters")]
    WrongLength(usize),
    #[error("an IIN contains only the digits 0-9")]
    NotDigits,
    #[error("the check digit of the IIN does not match")]
    CheckDigit,
    #[error("no IIN is issued with these first 11 digits: no check digit exists")]
    NeverIssued,
}

/// Parses an IIN: exactly 12 ASCII digits, no spaces (the form strips nothing,
/// so what is checked is what is stored), with a matching check digit.
pub fn parse_iin(s: &str) -> Result<IinInfo, IinError> {
    let length = s.chars().count();
    if length != 12 {
        return Err(IinError::WrongLength(length));
    }
    let digits = digits_of(s).ok_or(IinError::NotDigits)?;
    let prefix: [u8; 11] = first_eleven(&digits);
    match check_digit_of(&prefix) {
        None => Err(IinError::NeverIssued),
        Some(expected) if expected != digits[11] => Err(IinError::CheckDigit),
        Some(_) => Ok(implied_info(&digits)),
    }
}

/// The check digit for the first 11 digits of an IIN, or `None` when `prefix11`
/// is not 11 ASCII digits or when no valid check digit exists (such numbers are
/// never issued).
///
/// s₁ = Σ dᵢ·i for i = 1..11, r = s₁ mod 11; if r = 10, s₂ = Σ dᵢ·wᵢ with
/// w = 3,4,5,6,7,8,9,10,11,1,2 and r = s₂ mod 11; if r is 10 again there is no
/// check digit (domain file, "The IIN").
pub fn check_digit(prefix11: &str) -> Option<u8> {
    if prefix11.chars().count() != 11 {
        return None;
    }
    let digits = digits_of(prefix11)?;
    check_digit_of(&first_eleven(&digits))
}

fn check_digit_of(prefix: &[u8; 11]) -> Option<u8> {
    let weighted = |weights: &[u32; 11]| -> u32 {
        prefix
            .iter()
            .zip(weights)
            .map(|(&d, &w)| u32::from(d) * w)
            .sum::<u32>()
            % 11
    };
    let first = weighted(&FIRST_WEIGHTS);
    if first != 10 {
        return u8::try_from(first).ok();
    }
    let second = weighted(&SECOND_WEIGHTS);
    if second != 10 {
        return u8::try_from(second).ok();
    }
    None
}

/// The decimal digits of `s`, or `None` if any character is not `0`-`9`.
fn digits_of(s: &str) -> Option<Vec<u8>> {
    s.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

fn first_eleven(digits: &[u8]) -> [u8; 11] {
    let mut prefix = [0u8; 11];
    for (slot, &d) in prefix.iter_mut().zip(digits) {
        *slot = d;
    }
    prefix
}

/// Birth date and sex from digits 1-7 (`digits` has 12 elements).
fn implied_info(digits: &[u8]) -> IinInfo {
    let none = IinInfo {
        birth_date: None,
        sex: None,
    };
    let number = |a: usize, b: usize| u32::from(digits[a]) * 10 + u32::from(digits[b]);
    let century_start = match digits[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return none,
    };
    let Ok(yy) = i32::try_from(number(0, 1)) else {
        return none;
    };
    match NaiveDate::from_ymd_opt(century_start + yy, number(2, 3), number(4, 5)) {
        Some(date) => IinInfo {
            birth_date: Some(date),
            sex: Some(if digits[6] % 2 == 1 {
                Sex::Male
            } else {
                Sex::Female
            }),
        },
        None => none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn domain_fixtures_parse_to_their_birth_date_and_sex() {
        // Fixtures from the domain file, "The IIN".
        let cases = [
            ("881124300178", d(1988, 11, 24), Sex::Male),
            ("050312601230", d(2005, 3, 12), Sex::Female),
            ("900515400502", d(1990, 5, 15), Sex::Female),
        ];
        for (iin, birth, sex) in cases {
            assert_eq!(
                parse_iin(iin),
                Ok(IinInfo {
                    birth_date: Some(birth),
                    sex: Some(sex)
                }),
                "{iin}"
            );
        }
    }

    #[test]
    fn second_pass_is_used_when_the_first_gives_ten() {
        // 9,0,0,5,1,5,4,0,0,5,0 by hand:
        // s1 = 9·1 + 5·4 + 1·5 + 5·6 + 4·7 + 5·10 = 142, 142 mod 11 = 10;
        // s2 = 9·3 + 5·6 + 1·7 + 5·8 + 4·9 + 5·1 = 145, 145 mod 11 = 2.
        assert_eq!(check_digit("90051540050"), Some(2));
        // 8,8,1,1,2,4,3,0,0,1,7 by hand: s1 = 8+16+3+4+10+24+21+0+0+10+77 = 173,
        // 173 mod 11 = 8 (first pass suffices).
        assert_eq!(check_digit("88112430017"), Some(8));
    }

    #[test]
    fn a_prefix_with_ten_in_both_passes_has_no_check_digit() {
        // Domain file: 85010230012 is never issued.
        assert_eq!(check_digit("85010230012"), None);
        for last in 0..=9 {
            let iin = format!("85010230012{last}");
            assert_eq!(parse_iin(&iin), Err(IinError::NeverIssued));
        }
    }

    #[test]
    fn malformed_text_is_rejected_with_the_reason() {
        assert_eq!(parse_iin(""), Err(IinError::WrongLength(0)));
        assert_eq!(parse_iin("88112430017"), Err(IinError::WrongLength(11)));
        assert_eq!(parse_iin("8811243001788"), Err(IinError::WrongLength(13)));
        assert_eq!(parse_iin(" 881124300178"), Err(IinError::WrongLength(13)));
        assert_eq!(parse_iin("88112430017a"), Err(IinError::NotDigits));
        assert_eq!(parse_iin("881124 00178"), Err(IinError::NotDigits));
        // Cyrillic letters are two bytes each: length is counted in characters.
        assert_eq!(parse_iin("88112430017б"), Err(IinError::NotDigits));
        assert_eq!(parse_iin("881124300179"), Err(IinError::CheckDigit));
        assert_eq!(check_digit("8811243001"), None);
        assert_eq!(check_digit("8811243001x"), None);
    }

    #[test]
    fn unknown_century_digit_or_impossible_date_implies_nothing() {
        // Check digits computed by hand with the two-pass rule (Python cross-check):
        // digit 7 = 0, 7, 9 (rules unknown, e.g. foreigners), and 30 February.
        for iin in [
            "881124000179",
            "881124700173",
            "881124900176",
            "880230300171",
        ] {
            assert_eq!(
                parse_iin(iin),
                Ok(IinInfo {
                    birth_date: None,
                    sex: None
                }),
                "{iin}"
            );
        }
    }

    #[test]
    fn century_digit_sets_century_and_sex() {
        // Same YYMMDD 010203 under each century digit.
        let expected = [
            (1, d(1801, 2, 3), Sex::Male),
            (2, d(1801, 2, 3), Sex::Female),
            (3, d(1901, 2, 3), Sex::Male),
            (4, d(1901, 2, 3), Sex::Female),
            (5, d(2001, 2, 3), Sex::Male),
            (6, d(2001, 2, 3), Sex::Female),
        ];
        let mut checked = 0;
        for (century, birth, sex) in expected {
            // Try serials until one has a check digit.
            for serial in 1000..1010 {
                let prefix = format!("010203{century}{serial}");
                if let Some(c) = check_digit(&prefix) {
                    let info = parse_iin(&format!("{prefix}{c}")).unwrap();
                    assert_eq!(info.birth_date, Some(birth));
                    assert_eq!(info.sex, Some(sex));
                    checked += 1;
                    break;
                }
            }
        }
        assert_eq!(checked, 6);
    }

    #[test]
    fn random_prefixes_accept_exactly_their_check_digit() {
        let mut rng = ChaCha8Rng::seed_from_u64(0x11_4b_5a);
        let mut never_issued = 0;
        for _ in 0..5_000 {
            let prefix: String = (0..11)
                .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
                .collect();
            let accepted: Vec<u8> = (0..=9u8)
                .filter(|last| parse_iin(&format!("{prefix}{last}")).is_ok())
                .collect();
            match check_digit(&prefix) {
                Some(c) => {
                    assert_eq!(accepted, vec![c], "{prefix}");
                    let wrong = (c + 1) % 10;
                    assert_eq!(
                        parse_iin(&format!("{prefix}{wrong}")),
                        Err(IinError::CheckDigit)
                    );
                }
                None => {
                    assert!(accepted.is_empty(), "{prefix}");
                    never_issued += 1;
                }
            }
        }
        // About 1 prefix in 11 gives 10 in the first pass and about 1 in 11 of
        // those again in the second: some, but few, of 5,000 are never issued.
        assert!((10..200).contains(&never_issued), "{never_issued}");
    }

    #[test]
    fn errors_never_contain_the_number() {
        let inputs = [
            "881124300179",
            "85010230012x",
            "850102300120",
            "8811243001",
            "88112430017a",
        ];
        for input in inputs {
            let err = parse_iin(input).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(!text.contains("8811"), "{text}");
            assert!(!text.contains("8501"), "{text}");
        }
    }
}
