//! The district office's side of the command line: `registry` (run and set
//! up the registry), `supervisor` (review cases) and what they share: how to
//! reach a running registry as a supervisor, and how secrets are read.
//!
//! Secrets never come from the command line (it shows in `ps` and shell
//! history): passwords from `KOMEK_PASSWORD` or one line on stdin (not echoed
//! on a terminal), a session from `KOMEK_TOKEN` (what `komek supervisor
//! login` prints). Every call goes through the registry's supervisor API, so
//! the registry audits it under the supervisor's name.

pub mod connect;
pub mod records;
pub mod registry;
pub mod secret;
pub mod show;
pub mod supervisor;
