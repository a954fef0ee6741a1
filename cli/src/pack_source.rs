//! Loading a rule pack the way a device does: signature first, then the TOML.
//!
//! Only the registry's rules keys may change the law a device applies
//! (`docs/rule-packs.md`, "Trust"). The command line keeps that rule: a pack
//! from a file is read only after `komek_core::rules::signing` has checked its
//! detached signature against the keys given with `--trusted-key`. Signature
//! files and keys are hex text (what `komek rules sign` and `keygen` write);
//! raw binary is accepted too.

use crate::error::CliError;
use crate::hex;
use crate::options::PackArgs;
use chrono::NaiveDate;
use komek_core::rules::pack::DEFAULT_PACK_TOML;
use komek_core::rules::signing::{verify_and_parse, SIGNATURE_LEN};
use komek_core::rules::{default_pack, RulePack, TrustedKeys};
use std::path::{Path, PathBuf};

/// Length of a raw Ed25519 public key.
pub const PUBLIC_KEY_LEN: usize = 32;

/// Where the pack in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into this binary (trusted as part of it).
    Builtin,
    /// A file whose signature was verified.
    Verified(PathBuf),
    /// A file used without a signature (`--unsigned`).
    Unsigned(PathBuf),
}

/// A pack ready for evaluation, its exact bytes, and where it came from.
pub struct LoadedPack {
    /// `None`: the built-in pack.
    file: Option<(Box<RulePack>, Vec<u8>)>,
    pub origin: Origin,
}

impl LoadedPack {
    pub fn pack(&self) -> &RulePack {
        match &self.file {
            Some((p, _)) => p,
            None => default_pack(),
        }
    }

    /// The TOML bytes that were verified (and parsed).
    pub fn toml(&self) -> &[u8] {
        match &self.file {
            Some((_, bytes)) => bytes,
            None => DEFAULT_PACK_TOML.as_bytes(),
        }
    }
}

/// The pack `args` name, verified for use on `today`.
pub fn load(args: &PackArgs, today: NaiveDate) -> Result<LoadedPack, CliError> {
    let Some(path) = &args.pack else {
        return Ok(LoadedPack {
            file: None,
            origin: Origin::Builtin,
        });
    };
    let toml = std::fs::read(path).map_err(|e| CliError::read(path, e))?;
    if args.unsigned {
        let pack = RulePack::parse(&toml).map_err(|e| {
            CliError::BadFile(format!("{} is not a rule pack: {e}", path.display()))
        })?;
        return Ok(LoadedPack {
            file: Some((Box::new(pack), toml)),
            origin: Origin::Unsigned(path.clone()),
        });
    }
    if args.trusted_keys.is_empty() {
        return Err(CliError::Usage(
            "a pack from a file is checked before use: give --trusted-key (or --unsigned to try a draft)"
                .to_string(),
        ));
    }
    let trusted = trusted_keys(&args.trusted_keys)?;
    let sig_path = args
        .signature
        .clone()
        .unwrap_or_else(|| signature_path_for(path));
    let signature = read_signature(&sig_path)?;
    let pack = verify_and_parse(&toml, Some(&signature), &trusted, today)?;
    Ok(LoadedPack {
        file: Some((Box::new(pack), toml)),
        origin: Origin::Verified(path.clone()),
    })
}

/// `pack.toml` → `pack.toml.sig`.
pub fn signature_path_for(pack: &Path) -> PathBuf {
    let mut s = pack.as_os_str().to_owned();
    s.push(".sig");
    PathBuf::from(s)
}

/// A signature file: hex text (as `rules sign` writes) or the raw 72 bytes.
pub fn read_signature(path: &Path) -> Result<Vec<u8>, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::read(path, e))?;
    if let Some(decoded) = std::str::from_utf8(&bytes).ok().and_then(hex::decode) {
        return Ok(decoded);
    }
    if bytes.len() == SIGNATURE_LEN {
        return Ok(bytes);
    }
    Err(CliError::BadFile(format!(
        "{} is not a pack signature ({} hex digits expected)",
        path.display(),
        SIGNATURE_LEN * 2
    )))
}

/// One trusted key from the command line: 64 hex digits, or a file with them.
pub fn parse_trusted_key(arg: &str) -> Result<Vec<u8>, CliError> {
    if let Some(key) = hex::decode(arg).filter(|k| k.len() == PUBLIC_KEY_LEN) {
        return Ok(key);
    }
    let path = Path::new(arg);
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "--trusted-key {arg}: neither {} hex digits nor a file",
            PUBLIC_KEY_LEN * 2
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| CliError::read(path, e))?;
    let key = std::str::from_utf8(&bytes)
        .ok()
        .and_then(hex::decode)
        .or_else(|| (bytes.len() == PUBLIC_KEY_LEN).then(|| bytes.clone()));
    match key {
        Some(k) if k.len() == PUBLIC_KEY_LEN => Ok(k),
        _ => Err(CliError::BadFile(format!(
            "{} is not a public rules key ({} hex digits expected; a secret key file is not a public key)",
            path.display(),
            PUBLIC_KEY_LEN * 2
        ))),
    }
}

/// Every `--trusted-key`.
pub fn trusted_keys(args: &[String]) -> Result<TrustedKeys, CliError> {
    let mut trusted = TrustedKeys::new();
    for arg in args {
        trusted.add(&parse_trusted_key(arg)?);
    }
    Ok(trusted)
}
