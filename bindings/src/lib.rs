//! Komek's surface for mobile apps: what Kotlin and Swift see, through UniFFI.
//!
//! The core (`komek-core`) knows nothing of FFI; this crate wraps it in objects
//! and records UniFFI can export, and maps the core's rich errors to one small,
//! flat [`KomekError`] with a stable code. No personal data crosses into an
//! error message. The API is described in `docs/bindings.md`.
//!
//! - [`store`]: `KomekStore`, the encrypted store (staff, forms, pre-checks,
//!   outbox); [`vault`]: the platform key vault the app implements.
//! - [`household`], [`member`], [`assets`], [`enums`], [`scalars`]: the form
//!   as typed records; [`convert`]: to and from the core's model.
//! - [`validation`], [`report`], [`rescreen`]: what the core answers, typed
//!   and localized. [`selfcheck`]: the applicant's check without a store.
//! - [`rule_pack`]: the embedded or a verified signed rule pack.
//! - [`sync`]: `enrol` and `sync` as async methods (Kotlin `suspend`, Swift
//!   `async`), cases with their decisions, received rule packs;
//!   [`sync_types`]: their options, progress listener, cancel handle, report.
//! - [`bundle`]: offline bundles (export pending forms to a file, apply the
//!   registry's receipt) where signal never comes.
//! - [`reference`]: regions and the library version.
//! - [`log_bridge`]: the core's log records and a panic's message to the
//!   app's `Logger`.

uniffi::setup_scaffolding!();

pub mod assets;
pub mod bundle;
pub mod convert;
pub mod enums;
mod error;
pub mod followup;
pub mod followup_store;
pub mod household;
pub mod log_bridge;
pub mod member;
pub mod overlays;
pub mod reference;
pub mod report;
pub mod rescreen;
pub mod rule_pack;
pub mod scalars;
pub mod selfcheck;
pub mod store;
pub mod store_types;
pub mod sync;
pub mod sync_types;
pub mod validation;
pub mod vault;

pub use error::KomekError;
pub use household::{new_household_draft, new_record_id, Household};
pub use log_bridge::{install_logger, LogLevel, LogRecord, Logger};
pub use member::{new_member, Member};
pub use reference::{komek_version, regions, RegionInfo};
pub use selfcheck::{self_check, SelfCheckInput};
pub use store::KomekStore;
pub use sync_types::{SyncCancel, SyncListener, SyncOptions, SyncReport};
pub use vault::KeyVault;
