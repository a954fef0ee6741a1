//! Train the zstd dictionary of the sync codec (codec v1) on synthetic forms.
//!
//! The dictionary is what lets a ~700-byte compact form compress to a few
//! hundred bytes: zstd alone cannot learn a form's recurring strings (consent
//! texts, street prefixes, common names) from one small input. It is trained
//! on forms of seeds that no benchmark or test uses, so the figures measured
//! on the benchmark's households are not measured on the training set.
//!
//! ```text
//! cargo run --release -p komek-core --example train_codec_dictionary -- \
//!     core/src/sync/codec-dict-v1.zdict
//! ```
//!
//! Training is deterministic: the command above rebuilds the committed
//! `codec-dict-v1.zdict` byte for byte (zstd 1.5.7, fastCover defaults).
//! A dictionary in use must never change (stored forms name it by the codec
//! version byte): a retrained one is a new codec version with a new id.

use chrono::{Duration, NaiveDate};
use komek_core::model::FormStatus;
use komek_core::sync::codec;
use rand::{Rng, SeedableRng};

/// Seeds of the training forms (the benchmarks use 1-20, 42; tests below 100).
const TRAIN_SEEDS: std::ops::Range<u64> = 1_000_001..1_000_016;
/// Seeds of held-out forms to report the result on.
const CHECK_SEED: u64 = 2_000_001;
const DICT_SIZE: usize = 8192;

fn finalized(seed: u64, today: NaiveDate) -> Vec<komek_core::model::Household> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    komek_core::synth::households(seed, 200, today)
        .into_iter()
        .map(|mut h| {
            // As the store finalizes: a later instant with nanoseconds.
            let at = h.created_at
                + Duration::seconds(rng.gen_range(60..86_400))
                + Duration::nanoseconds(rng.gen_range(0..1_000_000_000));
            h.status = FormStatus::Final;
            h.updated_at = at;
            h.finalized_at = Some(at);
            h
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: train_codec_dictionary OUT.zdict")?;
    // Each seed on another day over six years, so the dictionary learns the
    // shape of dates and instants, not one day's bytes.
    let day = |s: u64| {
        NaiveDate::from_ymd_opt(2025, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(s.wrapping_mul(7919) % 2190)))
            .ok_or("date")
    };
    let mut samples: Vec<Vec<u8>> = Vec::new();
    for s in TRAIN_SEEDS {
        samples.extend(
            finalized(s, day(s)?)
                .iter()
                .map(codec::compact_uncompressed),
        );
    }
    let today = day(CHECK_SEED)?;
    let size = std::env::var("DICT_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DICT_SIZE);
    let mut dict = zstd::dict::from_samples(&samples, size)?;
    if dict.len() < 8 {
        return Err("training produced no dictionary".into());
    }
    dict[4..8].copy_from_slice(&codec::DICTIONARY_V1_ID.to_le_bytes());
    std::fs::write(&out, &dict)?;

    let mut sizes: Vec<(usize, usize)> = finalized(CHECK_SEED, today)
        .iter()
        .filter(|h| h.members.len() == 5)
        .map(|h| {
            let raw = codec::compact_uncompressed(h);
            let packed = zstd::bulk::Compressor::with_dictionary(19, &dict)
                .and_then(|mut c| c.compress(&raw))
                .map_or(0, |b| b.len());
            (raw.len(), packed)
        })
        .collect();
    sizes.sort_unstable_by_key(|s| s.1);
    let mid = sizes.get(sizes.len() / 2).copied().unwrap_or_default();
    println!(
        "{} samples, dictionary {} bytes -> {out}; held-out 5-member median: compact {} bytes, with dictionary {} bytes (standard frame)",
        samples.len(),
        dict.len(),
        mid.0,
        mid.1
    );
    Ok(())
}
