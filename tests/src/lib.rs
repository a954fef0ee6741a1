//! Shared helpers for Komek's end-to-end tests, benches and demo: field
//! devices with their stores, and things that sit between a device and the
//! registry, like a slow or unreliable network link.

pub mod crash;
pub mod device;
pub mod faults;
pub mod link;
pub mod office;
