//! `komek rules overlay`: a region's own poverty lines, subsistence minimums,
//! median incomes and district decisions, signed by the region.
//!
//! A region publishes quarter by quarter without waiting for a new national
//! pack. The national pack (built in, or `--pack` verified against
//! `--trusted-key`) names the keys allowed to sign each region's overlay and
//! what they may set; `verify` and `show` run exactly the device's check
//! (`komek_core::rules::overlay::verify_overlay`). Format and trust model:
//! `docs/rule-packs.md`, "Regional overlays".

use super::keys::read_signer;
use crate::error::CliError;
use crate::hex;
use crate::options::{today, PackArgs};
use crate::pack_source::{load, read_signature, signature_path_for};
use chrono::Datelike;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use komek_core::model::Quarter;
use komek_core::rules::overlay::{parse_unchecked, verify_overlay, Overlay};
use komek_core::rules::pack::PovertyLine;
use komek_core::rules::signing::key_id;
use komek_core::rules::RulePack;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum OverlayCommand {
    /// Sign a region's overlay with the region's key: writes FILE.sig.
    Sign(SignArgs),
    /// Check an overlay against the national pack's overlay keys, as a device does.
    Verify(CheckArgs),
    /// Verify an overlay and show what it sets and the lines it gives.
    Show(CheckArgs),
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The overlay (TOML) to sign.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The region's secret overlay key (from `komek rules keygen`).
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
    /// Where to write the signature [default: FILE.sig].
    #[arg(long, value_name = "SIG")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The overlay (TOML).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The overlay's signature [default: FILE.sig].
    #[arg(long = "overlay-signature", value_name = "SIG")]
    pub overlay_signature: Option<PathBuf>,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Check validity as of this date [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

pub fn run(command: OverlayCommand) -> Result<(), CliError> {
    match command {
        OverlayCommand::Sign(args) => sign(args),
        OverlayCommand::Verify(args) => {
            let (overlay, _) = check(&args)?;
            crate::out::stdout(&format!(
                "OK: {} is overlay {} of {} (issued {}, valid until {}), sets {}, signed by key id {}\n",
                args.file.display(),
                overlay.version,
                overlay.region.code(),
                overlay.issued,
                overlay.valid_until,
                fields(&overlay),
                hex::encode(&overlay.key_id)
            ))
        }
        OverlayCommand::Show(args) => {
            let (overlay, national) = check(&args)?;
            let pack = national.with_overlays(std::slice::from_ref(&overlay));
            crate::out::stdout(&show(&overlay, &pack))
        }
    }
}

fn fields(o: &Overlay) -> String {
    o.fields()
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(", ")
}

fn sign(args: SignArgs) -> Result<(), CliError> {
    let toml = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    let overlay = parse_unchecked(&toml)?;
    let signer = read_signer(&args.key)?;
    let signature = signer.sign_overlay(&toml);
    let out = args.out.unwrap_or_else(|| signature_path_for(&args.file));
    std::fs::write(&out, hex::encode(&signature) + "\n").map_err(|e| CliError::write(&out, e))?;
    crate::out::stdout(&format!(
        "signed overlay {} of {} with key id {}: {}\n",
        overlay.version,
        overlay.region.code(),
        hex::encode(&key_id(&signer.public_key())),
        out.display()
    ))
}

fn check(args: &CheckArgs) -> Result<(Overlay, RulePack), CliError> {
    let date = args.date.unwrap_or_else(today);
    let national = load(&args.pack, date)?;
    let toml = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    let sig_path = args
        .overlay_signature
        .clone()
        .unwrap_or_else(|| signature_path_for(&args.file));
    let signature = read_signature(&sig_path)?;
    let overlay = verify_overlay(national.pack(), &toml, Some(&signature), date)?;
    Ok((overlay, national.pack().clone()))
}

fn show(o: &Overlay, pack: &RulePack) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Overlay {} · region {} · issued {} · valid until {} · key id {}",
        o.version,
        o.region.code(),
        o.issued,
        o.valid_until,
        hex::encode(&o.key_id)
    );
    if let Some(d) = &o.description {
        let _ = writeln!(s, "{d}");
    }
    let _ = writeln!(s, "Sets: {}", fields(o));
    for p in &o.poverty_line {
        let _ = writeln!(
            s,
            "  poverty line {} {}: {} ({:?})",
            p.region.code(),
            p.quarter,
            p.amount,
            p.confidence
        );
    }
    for p in &o.subsistence_minimum {
        let _ = writeln!(
            s,
            "  subsistence minimum {}: {} ({:?})",
            p.quarter, p.amount, p.confidence
        );
    }
    for m in &o.median_income {
        let _ = writeln!(
            s,
            "  median income {}: {} ({:?})",
            m.quarter, m.amount, m.confidence
        );
    }
    for d in &o.districts {
        let _ = writeln!(
            s,
            "  district {}: livestock not income {}, land not income {} ({:?})",
            d.district, d.livestock_not_income, d.land_not_income, d.confidence
        );
    }
    let _ = writeln!(s, "Poverty lines of {} with this overlay:", o.region.code());
    let mut q = Quarter::of(pack.valid_from);
    let last = Quarter::of(pack.valid_until);
    while q <= last {
        let line = pack.poverty_line(o.region, q);
        let text = match line {
            PovertyLine::Published { amount, layer, .. } => {
                format!("{amount} published ({})", pack.layer_name(layer))
            }
            PovertyLine::Estimated {
                amount,
                median_missing,
                layer,
                ..
            } => format!(
                "{amount} estimated{} ({})",
                if median_missing { ", lower bound" } else { "" },
                pack.layer_name(layer)
            ),
            PovertyLine::Unknown => "unknown".to_string(),
        };
        // The quarters around the overlay: from the year before it was issued.
        if q.year() >= o.issued.year() - 1 {
            let _ = writeln!(s, "  {q}: {text}");
        }
        q = next(q);
    }
    s
}

fn next(q: Quarter) -> Quarter {
    let (y, n) = if q.number() == 4 {
        (q.year() + 1, 1)
    } else {
        (q.year(), q.number() + 1)
    };
    Quarter::new(y, n).unwrap_or(q)
}
