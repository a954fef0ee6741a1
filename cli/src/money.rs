//! Amounts typed by a person, in tenge, to exact tiyn.
//!
//! People type `85000`, `85 000`, `85,000`, `85000.50` or `85000,50` (a comma
//! is the decimal mark in Russian and Kazakh). All of these are read exactly,
//! never through a float; anything ambiguous (`85,0000`) is refused so the
//! question is asked again rather than a wrong amount being used.

use komek_core::model::Tiyn;

/// Upper bound for a typed amount: 10 billion tenge (far above any household).
const MAX_TENGE: i64 = 10_000_000_000;

/// The amount in `text`, or `None` when it is not a non-negative amount of
/// tenge with at most two decimals.
pub fn parse_tenge(text: &str) -> Option<Tiyn> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('₸')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '\u{202f}')
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let (whole, cents) = match cleaned.rfind(['.', ',']) {
        Some(i) if (1..=2).contains(&(cleaned.len() - i - 1)) => {
            let frac = &cleaned[i + 1..];
            let cents: i64 = frac.parse().ok()?;
            (
                &cleaned[..i],
                if frac.len() == 1 { cents * 10 } else { cents },
            )
        }
        _ => (cleaned.as_str(), 0),
    };
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    let grouped_well = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    if groups.iter().any(|g| g.is_empty()) || (groups.len() > 1 && !grouped_well) {
        return None;
    }
    let tenge: i64 = groups.concat().parse().ok()?;
    if tenge > MAX_TENGE {
        return None;
    }
    Some(Tiyn(tenge * 100 + cents))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_people_write_tenge_are_read_exactly() {
        let t = |s: &str| parse_tenge(s).map(Tiyn::get);
        assert_eq!(t("85000"), Some(8_500_000));
        assert_eq!(t("85 000"), Some(8_500_000));
        assert_eq!(t("85\u{a0}000 ₸"), Some(8_500_000));
        assert_eq!(t("85,000"), Some(8_500_000));
        assert_eq!(t("1.234.567"), Some(123_456_700));
        assert_eq!(t("85000.5"), Some(8_500_050));
        assert_eq!(t("85000,50"), Some(8_500_050));
        assert_eq!(t("85 000,05"), Some(8_500_005));
        assert_eq!(t("0"), Some(0));
    }

    #[test]
    fn ambiguous_negative_and_foreign_text_is_refused() {
        for s in [
            "",
            "-5",
            "85,0000",
            "12.345.6789",
            "abc",
            "1e5",
            ",50",
            "85..0",
            "99999999999",
        ] {
            assert_eq!(parse_tenge(s), None, "{s:?}");
        }
    }
}
