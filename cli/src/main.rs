//! `komek`: Komek's command line.
//!
//! The phone app is where families and field staff meet Komek; the command line
//! is where the same core is used without a phone: an applicant (or a volunteer
//! helping one) runs the self-check on a laptop in the akimat, a pack author
//! checks and signs a new rule pack, a supervisor sees what a new pack changes
//! for families before publishing it. Every subcommand is a thin shell over
//! `komek-core`: the law, the arithmetic and the wording live there.
//!
//! Layout: one module per subcommand (`demo`, `check`, `rules`), each with an `Args`
//! (or subcommand enum) and a `run`; shared options in [`options`]; one error
//! type whose [`CliError::exit_code`] is the only place exit codes are decided.
//!
//! Adding a subcommand (`registry serve`, `supervisor` and `bundle` are still
//! to come): add a module with its `Args`
//! and `run`, a variant to [`Command`], and an arm in [`run`]. Nothing else
//! changes.

mod check;
mod demo;
mod error;
mod hex;
mod money;
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

/// The subcommands. New ones (registry, supervisor, bundle) are added
/// here as variants with their module's `Args`.
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
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Check(args) => check::run(args),
        Command::Rules(command) => rules::run(command),
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
