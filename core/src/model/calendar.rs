//! Months, quarters and ages: the calendar the rules are written in.
//!
//! Targeted social assistance looks at income "received in the quarter before the
//! quarter of application", and ages are taken on the evaluation date, so both are
//! first-class here rather than ad-hoc date arithmetic in each rule.

use chrono::{Datelike, NaiveDate};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar month, written `2025-10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// `None` unless `month` is 1..=12.
    pub fn new(year: i32, month: u8) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month() as u8,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            q: (self.month - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.month), 1).unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, m) = s
            .split_once('-')
            .ok_or_else(|| "expected YYYY-MM".to_string())?;
        let year: i32 = y.parse().map_err(|_| "bad year".to_string())?;
        let month: u8 = m.parse().map_err(|_| "bad month".to_string())?;
        YearMonth::new(year, month).ok_or_else(|| "month must be 01..12".to_string())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// A calendar quarter, written `2025-Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    q: u8,
}

impl Quarter {
    /// `None` unless `q` is 1..=4.
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    pub fn of(date: NaiveDate) -> Quarter {
        YearMonth::of(date).quarter()
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.q
    }

    pub fn previous(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// The three months of the quarter, in order.
    pub fn months(self) -> [YearMonth; 3] {
        let first = (self.q - 1) * 3 + 1;
        [0, 1, 2].map(|i| YearMonth {
            year: self.year,
            month: first + i,
        })
    }

    pub fn contains(self, month: YearMonth) -> bool {
        month.quarter() == self
    }

    pub fn first_day(self) -> NaiveDate {
        self.months()[0].first_day()
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, q) = s
            .split_once("-Q")
            .ok_or_else(|| "expected YYYY-Qn".to_string())?;
        let year: i32 = y.parse().map_err(|_| "bad year".to_string())?;
        let q: u8 = q.parse().map_err(|_| "bad quarter".to_string())?;
        Quarter::new(year, q).ok_or_else(|| "quarter must be 1..4".to_string())
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Age in whole years on `on`. A person born on 29 February turns a year older
/// on 1 March in non-leap years. `None` when `on` is before the birth date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// Whole calendar months from `birth` to `on`: 18 months old is the day
/// `birth + 18 calendar months` (the last day of a shorter month when the
/// day does not exist), not `days × 12 / 365`. `None` before the birth.
pub fn months_between(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    // Not yet the monthly anniversary (29-31 count from the month's last day).
    let anniversary_day = birth.day().min(days_in_month(on.year(), on.month()));
    if on.day() < anniversary_day {
        months -= 1;
    }
    u32::try_from(months).ok()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_calendar_months() {
        // Born 31 Aug 2024: 18 months on 28 Feb 2026 (last day of February).
        assert_eq!(months_between(d(2024, 8, 31), d(2026, 2, 27)), Some(17));
        assert_eq!(months_between(d(2024, 8, 31), d(2026, 2, 28)), Some(18));
        // Born 10 Jun 2024: 18 months on 10 Dec 2025, 17 the day before.
        assert_eq!(months_between(d(2024, 6, 10), d(2025, 12, 9)), Some(17));
        assert_eq!(months_between(d(2024, 6, 10), d(2025, 12, 10)), Some(18));
        assert_eq!(months_between(d(2024, 6, 10), d(2024, 6, 9)), None);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reference_quarter_of_a_january_application_is_last_year_q4() {
        let q = Quarter::of(d(2026, 1, 2)).previous();
        assert_eq!(q.to_string(), "2025-Q4");
        assert_eq!(
            q.months().map(|m| m.to_string()),
            ["2025-10", "2025-11", "2025-12"]
        );
    }

    #[test]
    fn quarters_and_months_round_trip_as_text() {
        let q: Quarter = "2026-Q1".parse().unwrap();
        assert_eq!(q, Quarter::new(2026, 1).unwrap());
        assert!("2026-Q5".parse::<Quarter>().is_err());
        let m: YearMonth = "2025-12".parse().unwrap();
        assert_eq!(m.quarter().to_string(), "2025-Q4");
        assert!("2025-13".parse::<YearMonth>().is_err());
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2025-12\"");
    }

    #[test]
    fn age_turns_on_the_birthday() {
        assert_eq!(age_on(d(2019, 3, 5), d(2026, 3, 4)), Some(6));
        assert_eq!(age_on(d(2019, 3, 5), d(2026, 3, 5)), Some(7));
        assert_eq!(age_on(d(2020, 2, 29), d(2021, 2, 28)), Some(0));
        assert_eq!(age_on(d(2020, 2, 29), d(2021, 3, 1)), Some(1));
        assert_eq!(age_on(d(2026, 1, 1), d(2025, 1, 1)), None);
    }
}
