//! Simulated field devices and network links.
//!
//! `komek demo` plays a field day on one machine: tablets with their stores,
//! a 2G link to the registry. The end-to-end tests and benches need the same
//! two things, so they live here, in a crate of their own that the demo (a
//! product) and the tests both depend on; the product never depends on the
//! test crate.
//!
//! - [`device`]: a device's store in a directory, with an in-memory key vault
//!   (insecure by design: phones use the platform keystores) and a field
//!   worker unlocked.
//! - [`link`]: a TCP proxy on loopback that adds latency, limits bandwidth
//!   and cuts connections at random bytes.

pub mod device;
pub mod link;
