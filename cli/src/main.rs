//! `komek`: Komek's command line.
//!
//! The phone app is where families and field staff meet Komek; the command line
//! is where the same core is used without a phone: an applicant (or a volunteer
//! helping one) runs the self-check on a laptop in the akimat, a pack author
//! checks and signs a new rule pack, a supervisor sees what a new pack changes
//! for families before publishing it. Every subcommand is a thin shell over
//! `komek-core`: the law, the arithmetic and the wording live there.
//!
//! At the district office it runs the registry (`registry`), lets a
//! supervisor review cases (`supervisor`), and carries forms from villages
//! where signal never comes as signed files (`bundle`).
//!
//! Layout: one module per subcommand (`demo`, `check`, `rules`, `bundle`;
//! `registry` and `supervisor` live in `office` with what they share), each
//! with an `Args` (or subcommand enum) and a `run`; shared options in
//! [`options`]; one error type whose [`CliError::exit_code`] is the only
//! place exit codes are decided.
//!
//! Adding a subcommand: add a module with its `Args` and `run`, a variant to
//! [`Command`], and an arm in [`run`]. Nothing else changes.

mod bundle;
mod check;
mod demo;
mod demo_followup;
mod error;
mod hex;
mod money;
mod office;
mod options;
mod out;
mod pack_source;
mod region;
mod rules;
mod text;

use clap::{Parser, Subcommand};
use error::CliError;
use std::process::ExitCode;

/// Komek: offline eligibility pre-checks for social assistance in Kazakhstan.
#[derive(Debug, Parser)]
#[command(name = "komek", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands, each a variant with its module's `Args`.
#[derive(Debug, Subcommand)]
enum Command {
    /// A field day end to end on the embedded registry: capture, pre-check,
    /// sync over an emulated link, review, corrections, summary.
    Demo(demo::DemoArgs),
    /// Self-check: which benefits a family is likely entitled to, how much and why.
    Check(check::CheckArgs),
    /// Rule packs: show, sign, verify, compare.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// The district office's registry: serve, add supervisors, enrol and revoke devices.
    ///
    /// `serve` and `add-supervisor` work on the registry's data directory;
    /// `enrol-code`, `devices` and `revoke` go through the running registry's
    /// supervisor API (audited under the supervisor's name).
    #[command(subcommand)]
    Registry(office::registry::RegistryCommand),
    /// Review cases on a running registry: log in, list, show, decide.
    ///
    /// The registry is --registry URL (or KOMEK_REGISTRY). The supervisor's
    /// name comes from --as or KOMEK_SUPERVISOR, the password from
    /// KOMEK_PASSWORD or one line on stdin (not echoed on a terminal), or a
    /// session from KOMEK_TOKEN (`komek supervisor login` prints one). The
    /// registry audits every call under the supervisor's name.
    #[command(subcommand)]
    Supervisor(office::supervisor::SupervisorCommand),
    /// Offline bundles where no signal comes: export, import, receipt.
    ///
    /// `export` on the field laptop writes the device's pending operations
    /// to a signed file; `import` at the office (a supervisor) stores them
    /// exactly once and writes the registry's signed receipt; `receipt` on
    /// the laptop marks them done. A device store is a SQLite file with its
    /// passphrase vault beside it (STORE.vault); the passphrase comes from
    /// KOMEK_PASSPHRASE.
    #[command(subcommand)]
    Bundle(bundle::BundleCommand),
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Check(args) => check::run(args),
        Command::Rules(command) => rules::run(command),
        Command::Registry(command) => office::registry::run(command),
        Command::Supervisor(command) => office::supervisor::run(command),
        Command::Bundle(command) => bundle::run(command),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("komek: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
