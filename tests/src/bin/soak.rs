//! Long runs of the fault tests, beyond what the test command can afford
//! (docs/reliability.md):
//!
//! ```text
//! cargo run --release -p komek-tests --bin soak -- store-crash 1000 [SEED]
//! cargo run --release -p komek-tests --bin soak -- sync-faults 1000 [SEED]
//! ```
//!
//! `store-crash N`: N SIGKILLs of a process saving forms, the store checked
//! after each. `sync-faults N`: N sync attempts of two devices through a
//! link cutting connections, the registry killed every 60 attempts. Each
//! prints its figures; a lost or doubled form panics (exit code 101).

use std::time::Instant;

fn main() {
    komek_tests::crash::child_if_asked();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| {
        args.get(i)
            .map(|s| s.parse::<u64>().unwrap_or_else(|_| usage()))
            .unwrap_or(default)
    };
    let started = Instant::now();
    match args.first().map(String::as_str) {
        Some("store-crash") => {
            let s = komek_tests::crash::run(number(1, 1000) as usize, number(2, 7), &[]);
            println!(
                "store-crash: {} kills, {} acknowledged saves, {} households, all intact ({:.0} s)",
                s.kills,
                s.acknowledged,
                s.households,
                started.elapsed().as_secs_f64()
            );
        }
        Some("sync-faults") => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("tokio: {e}"));
            let s = runtime.block_on(komek_tests::faults::run(
                number(1, 1000) as usize,
                number(2, 7),
            ));
            println!(
                "sync-faults: {} attempts ({} ok, {} failed), {} cuts, {} registry restarts, {} duplicates answered, {} forms each stored once ({:.0} s)",
                s.attempts,
                s.ok,
                s.failed,
                s.cuts,
                s.restarts,
                s.duplicates,
                s.forms,
                started.elapsed().as_secs_f64()
            );
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: soak store-crash|sync-faults [COUNT] [SEED]");
    std::process::exit(2)
}
