//! `komek rules keygen`, and reading a signing key back.
//!
//! The secret key is the Ed25519 PKCS#8 document ring makes, written as one
//! line of hex to a file only its owner may read (mode 0600 on Unix), never
//! over an existing file unless `--force`. The public key goes beside it
//! (`FILE.pub`, 64 hex digits): that is what devices trust (`--trusted-key`)
//! and what enrolment hands out. Keys made here are for tests and pack
//! authors; the registry's production key is made and kept by the registry.

use crate::error::CliError;
use crate::hex;
use clap::Args;
use komek_core::rules::signing::{key_id, PackSigner};
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the secret key; the public key goes to FILE.pub.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Overwrite existing key files.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: KeygenArgs) -> Result<(), CliError> {
    let (signer, pkcs8) = PackSigner::generate()?;
    let pkcs8 = Zeroizing::new(pkcs8);
    let secret = Zeroizing::new(hex::encode(&pkcs8) + "\n");
    let public = signer.public_key();
    let pub_path = public_key_path(&args.out);
    write_new(&args.out, secret.as_bytes(), args.force, true)?;
    write_new(
        &pub_path,
        (hex::encode(&public) + "\n").as_bytes(),
        args.force,
        false,
    )?;
    crate::out::stdout(&format!(
        "secret key: {} (keep it secret)\npublic key: {}\npublic key (hex): {}\nkey id: {}\n",
        args.out.display(),
        pub_path.display(),
        hex::encode(&public),
        hex::encode(&key_id(&public))
    ))
}

/// `rules.key` → `rules.key.pub`.
pub fn public_key_path(secret: &Path) -> PathBuf {
    let mut s = secret.as_os_str().to_owned();
    s.push(".pub");
    PathBuf::from(s)
}

/// Reads a secret key file (hex text, or the raw PKCS#8 document).
pub fn read_signer(path: &Path) -> Result<PackSigner, CliError> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| CliError::read(path, e))?);
    let decoded = std::str::from_utf8(&bytes)
        .ok()
        .and_then(hex::decode)
        .map(Zeroizing::new);
    let pkcs8: &[u8] = match &decoded {
        Some(d) => d,
        None => &bytes,
    };
    PackSigner::from_pkcs8(pkcs8).map_err(|_| {
        CliError::BadFile(format!(
            "{} is not a rules signing key (an Ed25519 PKCS#8 document, as `komek rules keygen` writes)",
            path.display()
        ))
    })
}

fn write_new(path: &Path, bytes: &[u8], force: bool, secret: bool) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::Usage(format!(
                "{} exists; use --force to replace it",
                path.display()
            ))
        } else {
            CliError::write(path, e)
        }
    })?;
    file.write_all(bytes).map_err(|e| CliError::write(path, e))
}
