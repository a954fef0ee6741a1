//! `komek bundle`: a device's pending operations carried as a file, for
//! villages where signal never comes.
//!
//! `export` runs on the field laptop (the device's store), `import` at the
//! district office (a supervisor, through the running registry's audited
//! supervisor API), `receipt` back on the laptop. The format and the
//! exactly-once argument are in `docs/sync-protocol.md` (§ Offline bundles);
//! the code is `komek_core::sync::{bundle, export_bundle, apply_receipt}` and
//! the registry's `api/bundle.rs`.

mod store;

use crate::error::CliError;
use crate::office::connect::{client_error, connect, runtime, Connection};
use crate::out;
use clap::{Args, Subcommand};
use komek_core::sync::bundle::{Receipt, MAX_BUNDLE_BYTES};
use komek_core::sync::wire::OpStatus;
use komek_core::sync::{self, SyncError};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write the device's pending operations to a bundle signed by the device.
    ///
    /// The exact sealed bytes a sync would push (sealing any not sealed yet),
    /// under the same sequence numbers, at most 500 per bundle. They stay
    /// pending until a receipt or a sync says the registry holds them. The
    /// store's passphrase comes from KOMEK_PASSPHRASE.
    Export(ExportArgs),
    /// Import a bundle into the registry and write its signed receipt.
    ///
    /// As a supervisor of the running registry (audited). The device's
    /// signature is checked first: a bundle from an unknown or revoked
    /// device, for another registry, or altered in any byte is refused and
    /// nothing is stored. Importing the same bundle again changes nothing
    /// (its receipt says "already held").
    Import(ImportArgs),
    /// Apply the registry's receipt on the device.
    ///
    /// Verified against the registry's key (known since enrolment), for this
    /// registry and this device; its operations are marked done (or
    /// refused). Applying it twice, or after a sync, changes nothing. The
    /// store's passphrase comes from KOMEK_PASSPHRASE.
    Receipt(ReceiptArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The device's store (SQLite file; its vault is STORE.vault).
    #[arg(long, value_name = "STORE")]
    pub store: PathBuf,
    /// Where to write the bundle (not over an existing file).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The bundle file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the receipt [default: FILE.receipt].
    #[arg(long, value_name = "RECEIPT")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The receipt file.
    #[arg(value_name = "RECEIPT")]
    pub file: PathBuf,
    /// The device's store.
    #[arg(long, value_name = "STORE")]
    pub store: PathBuf,
}

pub fn run(command: BundleCommand) -> Result<(), CliError> {
    match command {
        BundleCommand::Export(args) => export(args),
        BundleCommand::Import(args) => import(args),
        BundleCommand::Receipt(args) => receipt(args),
    }
}

fn sync_error(store: &Path, e: SyncError) -> CliError {
    match e {
        SyncError::Store(e) => store::store_error(store, e),
        SyncError::Bundle(e) => CliError::Refused(format!("receipt refused: {e}")),
        SyncError::NotEnrolled => CliError::Other(format!(
            "device store {}: not enrolled with a registry",
            store.display()
        )),
        other => CliError::Other(format!("device store {}: {other}", store.display())),
    }
}

/// Write `bytes` to a new file (never over an existing one).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| CliError::write(path, e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| CliError::write(path, e))
}

fn export(args: ExportArgs) -> Result<(), CliError> {
    let store = store::open(&args.store)?;
    let now = chrono::Utc::now().timestamp();
    let bundle = sync::export_bundle(&store, now).map_err(|e| sync_error(&args.store, e))?;
    if bundle.device_seqs.is_empty() {
        return out::stdout("nothing pending: no bundle written\n");
    }
    write_new(&args.out, &bundle.bytes)?;
    let (first, last) = (
        bundle.device_seqs.first().copied().unwrap_or(0),
        bundle.device_seqs.last().copied().unwrap_or(0),
    );
    let mut text = format!(
        "bundle {} written to {}: {} operations (device sequence {first} to {last}), {} bytes\n",
        bundle.header.bundle_id,
        args.out.display(),
        bundle.device_seqs.len(),
        bundle.bytes.len()
    );
    text.push_str("they stay pending on this device until the receipt is applied\n");
    if bundle.left_out > 0 {
        text.push_str(&format!(
            "{} more pending operations did not fit: apply the receipt, then export again\n",
            bundle.left_out
        ));
    }
    out::stdout(&text)
}

fn default_receipt(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".receipt");
    PathBuf::from(name)
}

fn import(args: ImportArgs) -> Result<(), CliError> {
    let bytes = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(CliError::BadFile(format!(
            "{}: {} bytes is larger than any bundle ({MAX_BUNDLE_BYTES} at most)",
            args.file.display(),
            bytes.len()
        )));
    }
    let out_path = args.out.unwrap_or_else(|| default_receipt(&args.file));
    if out_path.exists() {
        return Err(CliError::Usage(format!(
            "{} exists: give another --out",
            out_path.display()
        )));
    }
    let c = &args.connection;
    let receipt = runtime()?.block_on(async {
        let sup = connect(c).await?;
        sup.import_bundle(&bytes)
            .await
            .map_err(|e| client_error(&c.registry, e))
    })?;
    write_new(&out_path, &receipt)?;
    let read = Receipt::read_unverified(&receipt)
        .map_err(|e| CliError::Other(format!("the registry's receipt cannot be read: {e}")))?;
    let count = |s: OpStatus| read.results.iter().filter(|r| r.status == s).count();
    let mut text = format!(
        "bundle {} from device {}: {} stored, {} already held, {} refused\n",
        read.header.bundle_id,
        read.header.device_id,
        count(OpStatus::Stored),
        count(OpStatus::Duplicate),
        count(OpStatus::Rejected)
    );
    for r in read
        .results
        .iter()
        .filter(|r| r.status == OpStatus::Rejected)
    {
        text.push_str(&format!(
            "  operation {} refused: {}\n",
            r.device_seq,
            r.code.as_deref().unwrap_or("?")
        ));
    }
    text.push_str(&format!(
        "receipt written to {}: take it back to the device (komek bundle receipt)\n",
        out_path.display()
    ));
    out::stdout(&text)
}

fn receipt(args: ReceiptArgs) -> Result<(), CliError> {
    let bytes = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    let store = store::open(&args.store)?;
    let report = sync::apply_receipt(&store, &bytes).map_err(|e| sync_error(&args.store, e))?;
    let mut text = format!(
        "receipt for bundle {} applied: {} stored, {} already held, {} refused, {} flagged for a person\n",
        report.bundle_id,
        report.stored,
        report.duplicates,
        report.rejected.len(),
        report.flagged
    );
    for (seq, code) in &report.rejected {
        text.push_str(&format!("  operation {seq} refused: {code}\n"));
    }
    out::stdout(&text)
}
