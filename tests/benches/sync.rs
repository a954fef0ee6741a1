//! Sync figures: bytes on the wire per finalized household, a 1,000-form push
//! from one device, and registry ingest from 50 concurrent devices.
//!
//! Run: `cargo bench -p komek-tests --bench sync` (release build, loopback).
//! Figures go into docs/benchmarks.md with the command and the machine.

use chrono::NaiveDate;
use komek_core::model::Household;
use komek_core::sync::{self, CancelToken, SyncConfig};
use komek_registry::client::SupervisorClient;
use komek_registry::RunningRegistry;
use komek_tests::device::Device;
use komek_tests::link::{LinkProfile, LinkProxy};
use komek_tests::office;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

async fn registry(dir: &Path) -> (RunningRegistry, SupervisorClient) {
    office::open(dir).await.unwrap()
}

async fn enrolled(dir: &Path, name: &str, url: &str, sup: &SupervisorClient) -> Device {
    office::enrolled(dir, name, url, sup).await.unwrap()
}

/// Five-member households with typical incomes, from the fixed-seed generator.
fn five_member_households(n: usize) -> Vec<Household> {
    let mut out = Vec::new();
    let mut seed = 1;
    while out.len() < n {
        out.extend(
            komek_core::synth::households(seed, 200, today())
                .into_iter()
                .filter(|h| h.members.len() == 5),
        );
        seed += 1;
    }
    out.truncate(n);
    out
}

async fn bytes_per_household() {
    let dir = tempfile::tempdir().unwrap();
    let (r, sup) = registry(dir.path()).await;
    let proxy = LinkProxy::start(r.addr, LinkProfile::LAN, None).unwrap();
    let d = enrolled(dir.path(), "d", &format!("http://{}", proxy.addr()), &sup).await;
    let hs = five_member_households(101);
    let mut sealed = Vec::new();
    let mut wire = Vec::new();
    let config = SyncConfig::default();
    // One form per sync (the worst case: every form pays a whole request).
    for h in &hs {
        d.capture(std::slice::from_ref(h), today()).unwrap();
        let before = proxy.stats().bytes_up.load(Ordering::SeqCst)
            + proxy.stats().bytes_down.load(Ordering::SeqCst);
        let report = sync::sync(&d.store, &config, None, &CancelToken::new())
            .await
            .unwrap();
        assert_eq!(report.stored, 1);
        let after = proxy.stats().bytes_up.load(Ordering::SeqCst)
            + proxy.stats().bytes_down.load(Ordering::SeqCst);
        wire.push(after - before);
    }
    // Sealed sizes from the registry's copy of each operation.
    let mut sealed_blobs = Vec::new();
    for row in sup.cases(None).await.unwrap() {
        let (_, blob) = r.state.storage.case(row.case_id).unwrap().unwrap();
        sealed.push(blob.len() as u64);
        sealed_blobs.push(blob);
    }
    let json: Vec<u64> = hs
        .iter()
        .map(|h| serde_json::to_vec(h).unwrap().len() as u64)
        .collect();
    let legacy: Vec<u64> = hs
        .iter()
        .map(|h| {
            komek_core::sync::codec::encode_legacy_json(h)
                .unwrap()
                .len() as u64
        })
        .collect();
    let compressed: Vec<u64> = hs
        .iter()
        .map(|h| komek_core::sync::codec::encode(h).unwrap().len() as u64)
        .collect();
    let headers: Vec<u64> = sealed_blobs
        .iter()
        .map(|b| {
            komek_core::crypto::seal::SealedOp::parse(b)
                .unwrap()
                .header_len() as u64
        })
        .collect();
    // Batched: 100 forms in one sync; wire bytes of push + pull divided by
    // 100. The device is of its own centre, so it pulls the decisions on its
    // own cases only (not the first device's 101).
    let d2 = office::enrolled_in_centre(
        dir.path(),
        "d2",
        &format!("http://{}", proxy.addr()),
        &sup,
        "Bench centre 2",
    )
    .await
    .unwrap();
    d2.capture(&five_member_households(201)[101..], today())
        .unwrap();
    let up_before = proxy.stats().bytes_up.load(Ordering::SeqCst);
    let down_before = proxy.stats().bytes_down.load(Ordering::SeqCst);
    let before = up_before + down_before;
    let split = DownSplit {
        stats: proxy.stats(),
        at_pull: std::sync::Mutex::new(None),
    };
    let report = sync::sync(&d2.store, &config, Some(&split), &CancelToken::new())
        .await
        .unwrap();
    let up = proxy.stats().bytes_up.load(Ordering::SeqCst) - up_before;
    let down_end = proxy.stats().bytes_down.load(Ordering::SeqCst);
    let after = proxy.stats().bytes_up.load(Ordering::SeqCst) + down_end;
    let at_pull = split.at_pull.lock().unwrap().unwrap_or(down_end);
    let (down_push, down_pull) = (at_pull - down_before, down_end - at_pull);
    let n = report.stored.max(1);
    println!("bytes per 5-member household (median of {}):", hs.len());
    println!("  household JSON            {:>6}", median(json));
    println!(
        "  zstd-compressed JSON      {:>6}  (the codec before v1, for comparison)",
        median(legacy)
    );
    println!(
        "  codec v1 content          {:>6}  (compact binary, zstd with dictionary)",
        median(compressed)
    );
    println!(
        "  sealed operation          {:>6}  (format 2: header {} + tag 16 + signature 64 of it)",
        median(sealed),
        median(headers)
    );
    println!("  on the wire, 1 form/sync  {:>6}  (HTTP request + answer, push and pull, both directions)", median(wire));
    println!(
        "  on the wire, batched      {:>6}  ({} forms in one sync by a device of its own centre: {} bytes)",
        (after - before) / n,
        report.stored,
        after - before
    );
    println!(
        "    of which up (push requests) {} and down (push answers, pull pages: {} decision events) {} per form",
        up / n,
        report.decisions,
        (after - before - up) / n
    );
    println!(
        "    down split: push answers {} bytes ({:.1} per form), pull pages {} bytes ({:.1} per form), HTTP included",
        down_push,
        down_push as f64 / n as f64,
        down_pull,
        down_pull as f64 / n as f64
    );
    r.stop().await;
}

/// Notes the proxy's down counter when the sync starts pulling: what came
/// down before is push answers, what comes after is pull pages.
struct DownSplit<'a> {
    stats: &'a komek_tests::link::LinkStats,
    at_pull: std::sync::Mutex<Option<u64>>,
}

impl sync::Progress for DownSplit<'_> {
    fn on_progress(&self, p: sync::SyncProgress) {
        if p.phase == sync::Phase::Pulling {
            if let Ok(mut at) = self.at_pull.lock() {
                at.get_or_insert(self.stats.bytes_down.load(Ordering::SeqCst));
            }
        }
    }
}

async fn push_thousand() {
    let dir = tempfile::tempdir().unwrap();
    let (r, sup) = registry(dir.path()).await;
    let d = enrolled(dir.path(), "d", &r.url(), &sup).await;
    let hs = komek_core::synth::households(5, 1_000, today());
    d.capture(&hs, today()).unwrap();
    let start = Instant::now();
    let report = sync::sync(&d.store, &SyncConfig::default(), None, &CancelToken::new())
        .await
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(report.stored, 1_000);
    println!(
        "push 1,000 forms, one device, loopback: {secs:.2} s ({:.0} forms/s; {} requests; sealing included)",
        1_000.0 / secs,
        report.requests
    );
    r.stop().await;
}

async fn ingest_fifty() {
    let dir = tempfile::tempdir().unwrap();
    let (r, sup) = registry(dir.path()).await;
    let per_device = 40;
    let mut devices = Vec::new();
    let all = komek_core::synth::households(8, 50 * per_device, today());
    for (i, chunk) in all.chunks(per_device).enumerate() {
        let d = enrolled(dir.path(), &format!("d{i}"), &r.url(), &sup).await;
        d.capture(chunk, today()).unwrap();
        devices.push(d);
    }
    let config = SyncConfig {
        batch_ops: 10,
        ..SyncConfig::default()
    };
    let start = Instant::now();
    let mut tasks = Vec::new();
    for d in devices {
        let config = config.clone();
        tasks.push(tokio::spawn(async move {
            sync::sync(&d.store, &config, None, &CancelToken::new())
                .await
                .map(|r| r.stored)
        }));
    }
    let mut stored = 0;
    for t in tasks {
        stored += t.await.unwrap().unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(stored, (50 * per_device) as u64);
    println!(
        "registry ingest, 50 concurrent devices × {per_device} forms (batches of 10), loopback, device sealing on the same 2 cores: {secs:.2} s, {:.0} operations/s",
        stored as f64 / secs
    );
    r.stop().await;
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing useful.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        bytes_per_household().await;
        push_thousand().await;
        ingest_fifty().await;
    });
}
