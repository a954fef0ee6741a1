//! Checks of money and property: incomes, expenses, housing, assets, documents.
//!
//! The TSA pre-check divides counted income by members and months, and the
//! refusal margin is often only 1,000-5,000 tenge a person (domain file, field
//! reality), so an income of a non-member, a month in the future or a misplaced
//! zero must be caught at intake, not discovered in a refusal.

use super::bounds::{
    earliest_income_month, EARLIEST_VEHICLE_YEAR, MAX_DEPOSIT, MAX_LAND_AREA_M2,
    MAX_LIVESTOCK_HEAD, MAX_LOAN_MONTHLY_PAYMENT, MAX_LOAN_OUTSTANDING, MAX_MONTHLY_EXPENSE,
    MAX_MONTHLY_INCOME, MAX_MONTHLY_RENT,
};
use super::problems::{ProblemKey, Problems};
use crate::model::{Household, Tenure, Tiyn, YearMonth};
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;
use uuid::Uuid;

pub(super) fn check_incomes(h: &Household, today: NaiveDate, ps: &mut Problems) {
    let member_ids: HashSet<Uuid> = h.members.iter().map(|m| m.id).collect();
    for (i, income) in h.incomes.iter().enumerate() {
        if !member_ids.contains(&income.member_id) {
            ps.error(format!("incomes[{i}].member_id"), ProblemKey::UnknownMember);
        }
        check_amount(
            ps,
            format!("incomes[{i}].amount"),
            income.amount,
            MAX_MONTHLY_INCOME,
        );
        let path = format!("incomes[{i}].month");
        if income.month > YearMonth::of(today) {
            ps.error(path, ProblemKey::MonthInFuture);
        } else if income.month < earliest_income_month() {
            ps.error(path, ProblemKey::MonthTooEarly);
        }
    }
}

pub(super) fn check_expenses(h: &Household, ps: &mut Problems) {
    for (i, expense) in h.expenses.iter().enumerate() {
        check_amount(
            ps,
            format!("expenses[{i}].amount"),
            expense.amount,
            MAX_MONTHLY_EXPENSE,
        );
    }
}

/// A rent with a known tenure other than rent is a warning (perhaps the tenure
/// was changed and the rent left behind); with no tenure yet it is not, the
/// finalize check asks for the tenure.
pub(super) fn check_housing(h: &Household, ps: &mut Problems) {
    if let Some(rent) = h.housing.monthly_rent {
        check_amount(ps, "housing.monthly_rent".into(), rent, MAX_MONTHLY_RENT);
        if h.housing.tenure.is_some_and(|t| t != Tenure::Rent) {
            ps.warning("housing.monthly_rent", ProblemKey::RentWithoutRentTenure);
        }
    }
}

pub(super) fn check_assets(h: &Household, today: NaiveDate, ps: &mut Problems) {
    let a = &h.assets;
    for (i, l) in a.livestock.iter().enumerate() {
        if l.head > MAX_LIVESTOCK_HEAD {
            ps.error(
                format!("assets.livestock[{i}].head"),
                ProblemKey::LivestockHeadOutOfRange,
            );
        }
    }
    for (i, l) in a.land.iter().enumerate() {
        if l.area_m2 > MAX_LAND_AREA_M2 {
            ps.error(
                format!("assets.land[{i}].area_m2"),
                ProblemKey::LandAreaOutOfRange,
            );
        }
    }
    let latest_year = today.year() + 1;
    for (i, v) in a.vehicles.iter().enumerate() {
        if let Some(year) = v.year_made {
            if !(EARLIEST_VEHICLE_YEAR..=latest_year).contains(&i32::from(year)) {
                ps.error(
                    format!("assets.vehicles[{i}].year_made"),
                    ProblemKey::VehicleYearOutOfRange,
                );
            }
        }
    }
    for (i, d) in a.deposits.iter().enumerate() {
        check_amount(
            ps,
            format!("assets.deposits[{i}].amount"),
            d.amount,
            MAX_DEPOSIT,
        );
    }
    for (i, loan) in a.loans.iter().enumerate() {
        check_amount(
            ps,
            format!("assets.loans[{i}].outstanding"),
            loan.outstanding,
            MAX_LOAN_OUTSTANDING,
        );
        check_amount(
            ps,
            format!("assets.loans[{i}].monthly_payment"),
            loan.monthly_payment,
            MAX_LOAN_MONTHLY_PAYMENT,
        );
        if loan.taken.is_some_and(|m| m > YearMonth::of(today)) {
            ps.error(
                format!("assets.loans[{i}].taken"),
                ProblemKey::MonthInFuture,
            );
        }
    }
}

pub(super) fn check_documents(h: &Household, ps: &mut Problems) {
    for (i, doc) in h.documents.iter().enumerate() {
        if let Some(id) = doc.member_id {
            if h.member(id).is_none() {
                ps.error(
                    format!("documents[{i}].member_id"),
                    ProblemKey::UnknownMember,
                );
            }
        }
    }
}

/// Amounts entered on a form are `0..=max` (a negative amount is never entered;
/// see [`Tiyn`]).
fn check_amount(ps: &mut Problems, path: String, amount: Tiyn, max: Tiyn) {
    if amount < Tiyn::ZERO || amount > max {
        ps.error(path, ProblemKey::AmountOutOfRange);
    }
}
