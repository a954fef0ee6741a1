//! What the household owns and owes: livestock, land, vehicles, deposits, loans.
//!
//! Since 2025 some assets may lead to a refusal of targeted social assistance,
//! and 72% of typical applicant households carry loans (18% borrowed for food),
//! so loans are recorded with their purpose.

use super::calendar::YearMonth;
use super::money::Tiyn;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    #[serde(default)]
    pub livestock: Vec<Livestock>,
    #[serde(default)]
    pub land: Vec<Land>,
    #[serde(default)]
    pub vehicles: Vec<Vehicle>,
    #[serde(default)]
    pub deposits: Vec<Deposit>,
    #[serde(default)]
    pub loans: Vec<Loan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Livestock {
    pub species: LivestockSpecies,
    pub head: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LivestockSpecies {
    Cattle,
    Horse,
    Sheep,
    Goat,
    Camel,
    Pig,
    Poultry,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Land {
    /// Area in square metres (one hectare is 10,000).
    pub area_m2: u64,
    pub use_: LandUse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandUse {
    Garden,
    Farm,
    Pasture,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    pub kind: VehicleKind,
    #[serde(default)]
    pub year_made: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleKind {
    Car,
    Truck,
    Motorcycle,
    Tractor,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deposit {
    pub amount: Tiyn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    pub purpose: LoanPurpose,
    /// What is still owed.
    pub outstanding: Tiyn,
    #[serde(default)]
    pub monthly_payment: Tiyn,
    #[serde(default)]
    pub taken: Option<YearMonth>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanPurpose {
    Mortgage,
    Consumer,
    Food,
    Medical,
    Business,
    Other,
}
