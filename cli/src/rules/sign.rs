//! `komek rules sign`: a detached signature for a rule pack.
//!
//! The pack's bytes are signed exactly as they are (the signature covers
//! `b"komek-rule-pack-v1\0" ‖ TOML bytes`, `docs/rule-packs.md`), so the TOML
//! file must travel unchanged; the signature is written beside it as one line
//! of hex (`FILE.sig`). A pack that this build cannot read is refused before
//! signing: a signed pack that every device rejects helps nobody.

use super::keys::read_signer;
use crate::error::CliError;
use crate::hex;
use crate::pack_source::signature_path_for;
use clap::Args;
use komek_core::rules::signing::key_id;
use komek_core::rules::RulePack;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The rule pack (TOML) to sign.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The secret rules key (from `komek rules keygen`).
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
    /// Where to write the signature [default: FILE.sig].
    #[arg(long, value_name = "SIG")]
    pub out: Option<PathBuf>,
}

pub fn run(args: SignArgs) -> Result<(), CliError> {
    let toml = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    let pack = RulePack::parse(&toml)
        .map_err(|e| CliError::BadFile(format!("{} is not signed: {e}", args.file.display())))?;
    let signer = read_signer(&args.key)?;
    let signature = signer.sign(&toml);
    let out = args.out.unwrap_or_else(|| signature_path_for(&args.file));
    std::fs::write(&out, hex::encode(&signature) + "\n").map_err(|e| CliError::write(&out, e))?;
    crate::out::stdout(&format!(
        "signed {} (issued {}) with key id {}: {}\n",
        pack.version,
        pack.issued,
        hex::encode(&key_id(&signer.public_key())),
        out.display()
    ))
}
