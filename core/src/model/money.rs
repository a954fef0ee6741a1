//! Money as integer tiyn (1 tenge = 100 tiyn) and exact decimal coefficients.
//!
//! Benefits are written in law as "16.03 MRP" or "70% of the subsistence
//! minimum". Floats would drift by a tiyn here and there, and a refusal by one
//! tiyn must be reproducible, so coefficients are integer hundredths and every
//! product is computed in `i128` and rounded once, half away from zero.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// An amount of money in tiyn. Negative only as the result of a subtraction
/// (a margin below a threshold); amounts entered on a form are never negative.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Tiyn(pub i64);

impl Tiyn {
    pub const ZERO: Tiyn = Tiyn(0);

    /// Whole tenge to tiyn.
    pub const fn from_tenge(tenge: i64) -> Tiyn {
        Tiyn(tenge * 100)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// `self × coefficient`, rounded half away from zero to the tiyn.
    pub fn times(self, coefficient: Hundredths) -> Tiyn {
        Tiyn(round_div(
            i128::from(self.0) * i128::from(coefficient.0),
            100,
        ))
    }

    /// `self × numerator ÷ denominator`, rounded half away from zero.
    /// A zero denominator gives zero (there is nothing to share).
    pub fn mul_div(self, numerator: i64, denominator: i64) -> Tiyn {
        if denominator == 0 {
            return Tiyn::ZERO;
        }
        Tiyn(round_div(
            i128::from(self.0) * i128::from(numerator),
            i128::from(denominator),
        ))
    }

    pub fn max(self, other: Tiyn) -> Tiyn {
        Tiyn(self.0.max(other.0))
    }

    pub fn min(self, other: Tiyn) -> Tiyn {
        Tiyn(self.0.min(other.0))
    }
}

fn round_div(numerator: i128, denominator: i128) -> i64 {
    let (n, d) = if denominator < 0 {
        (-numerator, -denominator)
    } else {
        (numerator, denominator)
    };
    let q = if n >= 0 {
        (n + d / 2) / d
    } else {
        (n - d / 2) / d
    };
    i64::try_from(q).unwrap_or(if q > 0 { i64::MAX } else { i64::MIN })
}

impl Add for Tiyn {
    type Output = Tiyn;
    fn add(self, rhs: Tiyn) -> Tiyn {
        Tiyn(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Tiyn {
    fn add_assign(&mut self, rhs: Tiyn) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub for Tiyn {
    type Output = Tiyn;
    fn sub(self, rhs: Tiyn) -> Tiyn {
        Tiyn(self.0.saturating_sub(rhs.0))
    }
}

impl std::iter::Sum for Tiyn {
    fn sum<I: Iterator<Item = Tiyn>>(iter: I) -> Tiyn {
        iter.fold(Tiyn::ZERO, |a, b| a + b)
    }
}

/// Tenge with two decimals and thin grouping: `37 060.00 ₸`-style text is left to
/// the localized renderer; this is the plain, locale-free form `37060.00`.
impl fmt::Display for Tiyn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// An exact decimal coefficient in hundredths: `Hundredths(1603)` is 16.03,
/// `Hundredths(70)` is 0.70 (70%).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Hundredths(pub i64);

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coefficient_products_are_exact() {
        // 16.03 MRP in 2026: 4,325 × 16.03 = 69,329.75 tenge (domain file, large family).
        assert_eq!(
            Tiyn::from_tenge(4_325).times(Hundredths(1603)),
            Tiyn(6_932_975)
        );
        // 1.5 MRP in 2026 = 6,487.50 tenge (domain file, child supplement).
        assert_eq!(
            Tiyn::from_tenge(4_325).times(Hundredths(150)),
            Tiyn(648_750)
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(Tiyn(5).times(Hundredths(50)), Tiyn(3)); // 2.5 → 3
        assert_eq!(Tiyn(-5).times(Hundredths(50)), Tiyn(-3));
        assert_eq!(Tiyn(10).mul_div(1, 3), Tiyn(3));
        assert_eq!(Tiyn(10).mul_div(2, 3), Tiyn(7));
        assert_eq!(Tiyn(10).mul_div(1, 0), Tiyn(0));
    }

    #[test]
    fn display_is_tenge_with_two_decimals() {
        assert_eq!(Tiyn(3_706_000).to_string(), "37060.00");
        assert_eq!(Tiyn(-1_205).to_string(), "-12.05");
        assert_eq!(Hundredths(1603).to_string(), "16.03");
    }
}
