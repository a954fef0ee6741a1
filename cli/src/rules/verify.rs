//! `komek rules verify`: would a device accept this pack?
//!
//! Runs exactly the device's check (`komek_core::rules::signing::
//! verify_and_parse`): signature against the trusted keys first, then the
//! TOML, then the validity dates. Each refusal has its own message and exit
//! code 4 (3 when the signed bytes are not a readable pack), so a publishing
//! script can stop on it.

use crate::error::CliError;
use crate::hex;
use crate::options::today;
use crate::pack_source::{read_signature, signature_path_for, trusted_keys};
use chrono::NaiveDate;
use clap::Args;
use komek_core::rules::signing::verify_and_parse;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The rule pack (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A trusted rules key: 64 hex digits or a file holding them. Repeatable.
    #[arg(long = "trusted-key", value_name = "HEX|FILE", required = true)]
    pub trusted_keys: Vec<String>,
    /// The signature [default: FILE.sig].
    #[arg(long, value_name = "SIG")]
    pub signature: Option<PathBuf>,
    /// Check validity as of this date [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

pub fn run(args: VerifyArgs) -> Result<(), CliError> {
    let trusted = trusted_keys(&args.trusted_keys)?;
    let toml = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    let sig_path = args
        .signature
        .unwrap_or_else(|| signature_path_for(&args.file));
    let signature = read_signature(&sig_path)?;
    let date = args.date.unwrap_or_else(today);
    let pack = verify_and_parse(&toml, Some(&signature), &trusted, date)?;
    crate::out::stdout(&format!(
        "OK: {} is rule pack {} (issued {}, valid {} to {}), signed by trusted key id {}\n",
        args.file.display(),
        pack.version,
        pack.issued,
        pack.valid_from,
        pack.valid_until,
        hex::encode(signature.get(..8).unwrap_or_default())
    ))
}
