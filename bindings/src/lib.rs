//! Komek's surface for mobile apps: what Kotlin and Swift see, through UniFFI.
//!
//! The core (`komek-core`) knows nothing of FFI; this crate wraps it in objects
//! and records UniFFI can export, and maps the core's rich errors to one small,
//! flat [`KomekError`] with a stable code. No personal data crosses into an
//! error message.

uniffi::setup_scaffolding!();

mod error;
mod model;

pub use error::KomekError;
pub use model::{komek_version, regions, RegionInfo};
