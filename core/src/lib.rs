//! Komek's shared core: the offline intake of households for social assistance.
//!
//! Data flows one way: [`model`] (the intake form) → [`validate`] (typed problems
//! with field paths) → [`rules`] (pure eligibility pre-checks) → [`store`]
//! (encrypted SQLite, which encrypts at its boundary) → `sync` (outbox →
//! registry). [`crypto`] is used by the store and sync only. This crate has no
//! FFI types; `komek-ffi` wraps it for Kotlin and Swift.

pub mod crypto;
pub mod followup;
pub mod l10n;
pub mod model;
pub mod rules;
pub mod store;
pub mod sync;
#[cfg(any(test, feature = "synth"))]
pub mod synth;
pub mod validate;
