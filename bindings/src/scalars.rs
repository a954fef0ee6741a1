//! The small value types of the API and how each crosses the FFI.
//!
//! Each is a UniFFI custom type, so apps get a real type where the platform has
//! one, and a documented string or number where it has not:
//!
//! | Rust            | over the FFI         | Kotlin                | Swift            |
//! |-----------------|----------------------|-----------------------|------------------|
//! | `Uuid`          | string               | `java.util.UUID`      | `Foundation.UUID`|
//! | `IsoDate`       | `YYYY-MM-DD` string  | `java.time.LocalDate` | `String`         |
//! | `IsoMonth`      | `YYYY-MM` string     | `java.time.YearMonth` | `String`         |
//! | `Tiyn`          | `i64`                | `Long`                | `Int64`          |
//! | instants        | UniFFI timestamp     | `java.time.Instant`   | `Foundation.Date`|
//!
//! Calendar dates are not instants (a birth date has no time zone), so they are
//! not timestamps; Swift has no calendar-date type, so it gets the ISO string
//! (the thin Swift layer converts from `DateComponents`). The Kotlin mappings
//! are in `bindings/uniffi.toml`. A malformed string is refused with
//! `KomekError.InvalidInput` naming the type, never echoing the value (it may
//! be a birth date).

use crate::error::KomekError;
use chrono::{DateTime, NaiveDate, Utc};
use komek_core::model::{Tiyn, YearMonth};
use std::time::SystemTime;
use uniffi::deps::anyhow;
use uuid::Uuid;

/// A calendar date (no time zone), `YYYY-MM-DD` on the wire.
pub type IsoDate = NaiveDate;
/// A calendar month, `YYYY-MM` on the wire.
pub type IsoMonth = YearMonth;

fn refused(what: &str) -> anyhow::Error {
    anyhow::Error::new(KomekError::invalid(format!("malformed {what}")))
}

uniffi::custom_type!(Uuid, String, {
    remote,
    lower: |id| id.to_string(),
    try_lift: |s| Uuid::parse_str(&s).map_err(|_| refused("UUID")),
});

uniffi::custom_type!(IsoDate, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| refused("date (expected YYYY-MM-DD)")),
});

uniffi::custom_type!(IsoMonth, String, {
    remote,
    lower: |m| m.to_string(),
    try_lift: |s| s.parse::<YearMonth>().map_err(|_| refused("month (expected YYYY-MM)")),
});

uniffi::custom_type!(Tiyn, i64, {
    remote,
    lower: |t| t.get(),
    try_lift: |v| Ok(Tiyn(v)),
});

/// A count or a size as Kotlin `Long` / Swift `Int64` (ADR 0008: unsigned
/// types only make apps convert). Saturates; counts never come near it.
pub(crate) fn count<N: TryInto<i64>>(n: N) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

/// A count or a duration from the app, which must not be negative:
/// `InvalidInput` naming `field` otherwise.
pub(crate) fn non_negative<N: TryFrom<i64>>(field: &str, v: i64) -> Result<N, KomekError> {
    N::try_from(v).map_err(|_| KomekError::invalid(format!("{field} is out of range")))
}

/// An instant as UniFFI's timestamp.
pub(crate) fn to_system_time(t: DateTime<Utc>) -> SystemTime {
    SystemTime::from(t)
}

/// A timestamp from the app as a UTC instant.
pub(crate) fn to_utc(t: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uniffi::{Lift, Lower};

    #[test]
    fn dates_and_months_cross_as_iso_strings() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        let wire = <IsoDate as Lower<crate::UniFfiTag>>::lower(d);
        let back = <IsoDate as Lift<crate::UniFfiTag>>::try_lift(wire).unwrap();
        assert_eq!(back, d);
        let m = YearMonth::new(2025, 10).unwrap();
        let wire = <IsoMonth as Lower<crate::UniFfiTag>>::lower(m);
        assert_eq!(
            <IsoMonth as Lift<crate::UniFfiTag>>::try_lift(wire).unwrap(),
            m
        );
    }

    #[test]
    fn a_malformed_date_is_invalid_input_without_the_value() {
        let wire = <String as Lower<crate::UniFfiTag>>::lower("1988-13-45".into());
        let err = <IsoDate as Lift<crate::UniFfiTag>>::try_lift(wire).unwrap_err();
        let e = err.downcast::<KomekError>().unwrap();
        assert_eq!(e.code_str(), "invalid_input");
        assert!(!e.to_string().contains("1988"));
    }

    #[test]
    fn instants_round_trip_through_system_time() {
        let t = Utc.with_ymd_and_hms(2026, 2, 10, 9, 30, 0).unwrap();
        assert_eq!(to_utc(to_system_time(t)), t);
    }
}
