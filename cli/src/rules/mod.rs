//! `komek rules`: the law as signed data, from the command line.
//!
//! A new MRP every 1 January and new poverty lines every quarter mean a new
//! rule pack several times a year. Whoever prepares one needs to read it
//! (`show`), sign it with the registry's rules key (`keygen`, `sign`), check
//! what a device will accept (`verify`), and see what changed and for whom
//! before it is published (`diff`, with a re-screen of synthetic households).
//! The trust model is the core's (`docs/rule-packs.md`): this module only
//! reads and writes files around `komek_core::rules::signing`.

mod diff;
mod keys;
mod overlay;
mod rescreen;
mod show;
mod sign;
mod verify;

use crate::error::CliError;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Show the rule pack in use (built in, or --pack), human-readable.
    Show(show::ShowArgs),
    /// Make an Ed25519 rules signing key (for tests and pack authors).
    Keygen(keys::KeygenArgs),
    /// Sign a rule pack: writes a detached signature (FILE.sig).
    Sign(sign::SignArgs),
    /// Check a pack's signature against trusted keys, as a device does.
    Verify(verify::VerifyArgs),
    /// The parameters that differ between two packs, and whom it affects.
    Diff(diff::DiffArgs),
    /// A region's signed overlay: sign, verify, show.
    #[command(subcommand)]
    Overlay(overlay::OverlayCommand),
}

pub fn run(command: RulesCommand) -> Result<(), CliError> {
    match command {
        RulesCommand::Show(args) => show::run(args),
        RulesCommand::Keygen(args) => keys::run(args),
        RulesCommand::Sign(args) => sign::run(args),
        RulesCommand::Verify(args) => verify::run(args),
        RulesCommand::Diff(args) => diff::run(args),
        RulesCommand::Overlay(command) => overlay::run(command),
    }
}
