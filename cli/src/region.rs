//! The region a person names: a KATO code, a code, or its name in any language.
//!
//! Applicants know where they live, not Komek's codes: `--region Ақтөбе`,
//! `--region "Актюбинская область"`, `--region aktobe` and
//! `--region 154230100` (a village's KATO code) all mean Aktobe region. A name
//! that fits two regions (`Алматы`: the city or the region) is refused with
//! both, never guessed.

use komek_core::l10n::{Lang, Localizer};
use komek_core::model::Region;

/// The region `text` names, or why it names none.
pub fn parse_region(text: &str) -> Result<Region, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no region given".to_string());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if !(2..=9).contains(&text.len()) {
            return Err("a KATO code has 2 to 9 digits".to_string());
        }
        return Region::from_kato(text)
            .ok_or_else(|| "no region has this KATO code prefix".to_string());
    }
    let wanted = normalize(text);
    if let Some(r) = Region::from_code(&wanted.replace(' ', "_")) {
        return Ok(r);
    }
    let loc = Localizer::global();
    let mut exact = Vec::new();
    let mut prefix = Vec::new();
    for region in Region::ALL {
        for lang in Lang::ALL {
            let name = normalize(&loc.format(lang, &format!("region-{}", region.code()), None));
            if name == wanted {
                exact.push(region);
            } else if name.starts_with(&format!("{wanted} "))
                || name.ends_with(&format!(" {wanted}"))
            {
                prefix.push(region);
            }
        }
    }
    for found in [exact, prefix] {
        let mut found = found;
        found.dedup();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(*one),
            many => {
                let codes: Vec<&str> = many.iter().map(|r| r.code()).collect();
                return Err(format!(
                    "the name fits several regions ({}): give the code",
                    codes.join(", ")
                ));
            }
        }
    }
    Err(format!(
        "unknown region; use a KATO code or one of: {}",
        Region::ALL.map(Region::code).join(", ")
    ))
}

/// Lowercase, `-`/`_` as spaces, one space between words.
fn normalize(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_kato_and_names_in_three_languages_name_the_region() {
        for text in [
            "aktobe",
            "Aktobe",
            "150000000",
            "154230100",
            "15",
            "Aktobe region",
            "Ақтөбе облысы",
            "Ақтөбе",
            "Актюбинская область",
        ] {
            assert_eq!(parse_region(text), Ok(Region::Aktobe), "{text}");
        }
        assert_eq!(parse_region("almaty"), Ok(Region::Almaty));
        assert_eq!(parse_region("almaty-region"), Ok(Region::AlmatyRegion));
        assert_eq!(
            parse_region("North Kazakhstan"),
            Ok(Region::NorthKazakhstan)
        );
        assert_eq!(parse_region("Шымкент"), Ok(Region::Shymkent));
    }

    #[test]
    fn unknown_and_ambiguous_names_are_refused() {
        assert!(parse_region("990000000").is_err());
        assert!(parse_region("1").is_err());
        assert!(parse_region("Atlantis").unwrap_err().contains("aktobe"));
        let err = parse_region("Алматы").unwrap_err();
        assert!(err.contains("(almaty_region, almaty)"), "{err}");
    }
}
