//! Shared helpers for Komek's end-to-end tests and benches: crash and fault
//! soaks, a district office on loopback. The simulated devices and network
//! links come from `komek-sim`, which the demo uses too (re-exported here so
//! tests keep one import path).

pub mod crash;
pub mod faults;
pub mod office;

pub use komek_sim::{device, link};
