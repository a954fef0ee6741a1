//! The household intake form: what a field worker fills in on a village visit.
//!
//! This module holds data only: no I/O, no crypto, no rules. Everything above it
//! (validation, pre-checks, the encrypted store, sync) takes these types as input.
//! Money is integer tiyn ([`Tiyn`]), dates are [`chrono::NaiveDate`], and every
//! record carries a UUID made on the device.

mod assets;
mod calendar;
mod case;
mod circumstances;
mod household;
mod ids;
mod member;
mod money;
mod region;
pub mod strict;

pub use assets::{
    Assets, Deposit, Land, LandUse, Livestock, LivestockSpecies, Loan, LoanPurpose, Vehicle,
    VehicleKind,
};
pub use calendar::{age_on, months_between, Quarter, YearMonth};
pub use case::CaseStatus;
pub use circumstances::{Absence, RefusalReason, StatedAge, TsaRefusal};
pub use household::{
    Consent, ConsentMethod, Document, DocumentKind, DocumentStatus, Expense, ExpenseCategory,
    FormStatus, Household, Housing, Income, IncomeKind, Location, SupportMeasure, Tenure,
    SCHEMA_VERSION,
};
pub use ids::record_id;
pub use member::{
    Activity, Disability, Education, Member, MotherAward, Relation, ResidencyStatus, Sex,
};
pub use money::{Hundredths, Tiyn};
pub use region::Region;
