//! Options several subcommands share: language, date, and which rule pack.
//!
//! Every pre-check names the pack and the date it was evaluated for (the law
//! changes every 1 January and poverty lines every quarter), so both are
//! explicit options with visible defaults: today, and the pack built into the
//! binary. A pack from a file is used only after its signature is checked
//! against a key the user names, as a device does; `--unsigned` exists for
//! pack authors trying a draft and is announced on every run.

use clap::{Args, ValueEnum};
use komek_core::l10n::Lang;
use std::path::PathBuf;

/// The language of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Қазақша
    Kk,
    /// Русский
    Ru,
    /// English
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Kk => Lang::Kk,
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }
    }
}

/// Today on this computer's calendar: the default evaluation date.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Which rule pack to use: the built-in one, or a file checked against keys.
#[derive(Debug, Clone, Default, Args)]
pub struct PackArgs {
    /// A rule pack (TOML) to use instead of the built-in one; its signature is
    /// checked against --trusted-key before it is read.
    #[arg(long, value_name = "FILE")]
    pub pack: Option<PathBuf>,
    /// The pack's signature file [default: FILE.sig].
    #[arg(long, value_name = "SIG", requires = "pack")]
    pub signature: Option<PathBuf>,
    /// A rules key to trust: 64 hex digits, or a file holding them (as written
    /// by `komek rules keygen`). May be repeated.
    #[arg(long = "trusted-key", value_name = "HEX|FILE", requires = "pack")]
    pub trusted_keys: Vec<String>,
    /// Use --pack without a signature (for trying a draft pack; never for
    /// answering a family).
    #[arg(long, requires = "pack", conflicts_with_all = ["signature", "trusted_keys"])]
    pub unsigned: bool,
}
