//! Numbers, money and dates as each language writes them.
//!
//! Fluent's own number formatting does not group digits the way Kazakh and
//! Russian readers expect, and money must never pass through a float, so the
//! arguments are formatted here as text: `37 060,00 ₸` in Kazakh and Russian
//! (narrow no-break space between groups, comma before tiyn), `37,060.00 ₸` in
//! English.

use super::Lang;
use crate::model::{Hundredths, Tiyn};
use chrono::{Datelike, NaiveDate};

/// The group separator: a narrow no-break space (U+202F) for kk/ru, a comma for en.
fn group_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk | Lang::Ru => "\u{202F}",
        Lang::En => ",",
    }
}

fn decimal_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk | Lang::Ru => ",",
        Lang::En => ".",
    }
}

fn group(lang: Lang, mut n: u64) -> String {
    let sep = group_separator(lang);
    let mut parts = Vec::new();
    loop {
        if n < 1000 {
            parts.push(n.to_string());
            break;
        }
        parts.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    parts.reverse();
    parts.join(sep)
}

/// An integer with grouping: `37 060` / `37,060`.
pub fn format_integer(lang: Lang, n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(lang, n.unsigned_abs()))
}

/// Money in tenge with two decimals and the tenge sign.
pub fn format_money(lang: Lang, amount: Tiyn) -> String {
    let v = amount.get();
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    format!(
        "{sign}{}{}{:02}\u{00A0}₸",
        group(lang, abs / 100),
        decimal_separator(lang),
        abs % 100
    )
}

/// A coefficient without trailing zeros: `16,03` / `16.03`, `1,5` / `1.5`, `38`.
pub fn format_coefficient(lang: Lang, c: Hundredths) -> String {
    let v = c.0;
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    let whole = group(lang, abs / 100);
    let cents = abs % 100;
    let sep = decimal_separator(lang);
    if cents == 0 {
        format!("{sign}{whole}")
    } else if cents.is_multiple_of(10) {
        format!("{sign}{whole}{sep}{}", cents / 10)
    } else {
        format!("{sign}{whole}{sep}{cents:02}")
    }
}

/// A share as a percentage: `Hundredths(70)` is `70%`, `Hundredths(35)` `35%`.
pub fn format_percent(lang: Lang, c: Hundredths) -> String {
    let _ = lang;
    format!("{}%", c.0)
}

/// `02.01.2026` for kk/ru, `2 Jan 2026` for en.
pub fn format_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Kk | Lang::Ru => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_with_two_decimals() {
        assert_eq!(format_money(Lang::En, Tiyn(3_706_000)), "37,060.00\u{a0}₸");
        assert_eq!(
            format_money(Lang::Ru, Tiyn(3_706_000)),
            "37\u{202F}060,00\u{a0}₸"
        );
        assert_eq!(format_money(Lang::Kk, Tiyn(-12_205)), "-122,05\u{a0}₸");
        assert_eq!(
            format_money(Lang::En, Tiyn(123_456_789)),
            "1,234,567.89\u{a0}₸"
        );
        assert_eq!(format_money(Lang::En, Tiyn(5)), "0.05\u{a0}₸");
    }

    #[test]
    fn coefficients_dates_and_percents() {
        assert_eq!(format_coefficient(Lang::Ru, Hundredths(1603)), "16,03");
        assert_eq!(format_coefficient(Lang::En, Hundredths(150)), "1.5");
        assert_eq!(format_coefficient(Lang::En, Hundredths(20_000)), "200");
        assert_eq!(format_coefficient(Lang::Kk, Hundredths(92)), "0,92");
        assert_eq!(format_percent(Lang::En, Hundredths(70)), "70%");
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert_eq!(format_date(Lang::Ru, d), "02.01.2026");
        assert_eq!(format_date(Lang::En, d), "2 Jan 2026");
        assert_eq!(
            format_integer(Lang::Ru, 1_234_567),
            "1\u{202F}234\u{202F}567"
        );
    }
}
