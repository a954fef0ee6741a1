//! What the household owns and owes (mirrors `komek_core::model::Assets`).

use crate::enums::{LandUse, LivestockSpecies, LoanPurpose, VehicleKind};
use crate::scalars::IsoMonth;
use komek_core::model::Tiyn;

#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Assets {
    #[uniffi(default = [])]
    pub livestock: Vec<Livestock>,
    #[uniffi(default = [])]
    pub land: Vec<Land>,
    #[uniffi(default = [])]
    pub vehicles: Vec<Vehicle>,
    #[uniffi(default = [])]
    pub deposits: Vec<Deposit>,
    #[uniffi(default = [])]
    pub loans: Vec<Loan>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Livestock {
    pub species: LivestockSpecies,
    pub head: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Land {
    /// Area in square metres (one hectare is 10,000).
    pub area_m2: u64,
    /// The core's `use_` (a keyword in Rust).
    pub land_use: LandUse,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Vehicle {
    pub kind: VehicleKind,
    /// Year made; must fit 0..=65535 (the core stores a `u16`).
    #[uniffi(default = None)]
    pub year_made: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Deposit {
    pub amount: Tiyn,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Loan {
    pub purpose: LoanPurpose,
    /// What is still owed.
    pub outstanding: Tiyn,
    pub monthly_payment: Tiyn,
    #[uniffi(default = None)]
    pub taken: Option<IsoMonth>,
}
