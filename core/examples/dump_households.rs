//! Print synthetic households as JSON lines (for inspection; the codec's dictionary is trained by `train_codec_dictionary`).
fn main() {
    let seed: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 2, 10).unwrap_or_default();
    for h in komek_core::synth::households(seed, 3000, today) {
        if let Ok(j) = serde_json::to_string(&h) {
            println!("{j}");
        }
    }
}
