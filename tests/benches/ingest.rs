//! Registry-only ingest: what one registry node stores per second when the
//! devices cost nothing. Forms are sealed and push requests signed before the
//! clock starts; then N keep-alive connections (one enrolled device each)
//! send their pushes (batches of 10) as fast as the registry answers.
//!
//! Run: `cargo bench -p komek-tests --bench ingest` (SQLite, 50 connections).
//! Environment: `KOMEK_BENCH_CONNECTIONS=50,500` (list), `KOMEK_BENCH_FORMS`
//! (forms per connection, default 40), `KOMEK_BENCH_RUNS` (default 3),
//! `KOMEK_BENCH_PG=postgres://…` to run on PostgreSQL too (a fresh schema
//! per run). The registry runs in this process, on the same cores as the
//! load generator; the device-inclusive figure is `--bench sync`.
//! Prints forms/s and push latency (p50, p99) per run, and the disk's fsync
//! rate measured alongside. Figures go into docs/benchmarks.md.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::NaiveDate;
use komek_core::crypto::seal::{derived_op_id, seal_op, DeviceKey, SealHeader, ENTITY_HOUSEHOLD};
use komek_core::model::FormStatus;
use komek_core::sync::wire::{self, EnrolResponse};
use komek_core::sync::{auth, codec};
use komek_registry::ServeOptions;
use komek_tests::office;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const BATCH: usize = 10;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// One device's pushes, signed in order.
struct Device {
    requests: Vec<(u64, String, Vec<u8>)>,
    device_id: uuid::Uuid,
    forms: usize,
}

/// Enrol `n` devices and prepare `forms` sealed forms each.
async fn prepare(url: &str, n: usize, forms: usize) -> Vec<Device> {
    let sup = office::login(url).await.unwrap();
    let http = reqwest::Client::new();
    let mut devices = Vec::new();
    for i in 0..n {
        let key = DeviceKey::generate().unwrap();
        let code = sup.enrolment_code().await.unwrap();
        let body = serde_json::json!({
            "code": code,
            "device_key": B64.encode(key.public_key()),
            "inbox_ephemeral": B64.encode(x25519_public(i)),
            "label": format!("bench {i}"),
        });
        let bytes = http
            .post(format!("{url}/v1/enrol"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let answer: EnrolResponse = serde_json::from_slice(&bytes).unwrap();
        let seal_key: [u8; 32] = B64.decode(&answer.seal_key).unwrap().try_into().unwrap();
        let households = komek_core::synth::households(10_000 + i as u64, forms, today());
        let sealed: Vec<Vec<u8>> = households
            .into_iter()
            .enumerate()
            .map(|(k, mut h)| {
                h.status = FormStatus::Final;
                let header = SealHeader {
                    entity: ENTITY_HOUSEHOLD,
                    device_id: answer.device_id,
                    op_id: derived_op_id(h.id, h.version),
                    entity_id: h.id,
                    device_seq: k as u64 + 1,
                    version: h.version,
                    base_version: h.replaces,
                };
                seal_op(&header, &codec::encode(&h).unwrap(), &seal_key, &key).unwrap()
            })
            .collect();
        let requests = sealed
            .chunks(BATCH)
            .enumerate()
            .map(|(r, chunk)| {
                let refs: Vec<&[u8]> = chunk.iter().map(Vec::as_slice).collect();
                let body = wire::encode_push(&refs);
                let seq = r as u64 + 1;
                let signature =
                    auth::sign_request(&key, "POST", "/v1/push", answer.device_id, seq, &body);
                (seq, signature, body)
            })
            .collect();
        devices.push(Device {
            requests,
            device_id: answer.device_id,
            forms: sealed.len(),
        });
    }
    devices
}

/// A valid X25519 public key (the base point times a small scalar).
fn x25519_public(i: usize) -> [u8; 32] {
    let mut secret = [7u8; 32];
    secret[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
    x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(secret)).to_bytes()
}

/// Send every device's pushes, one connection per device; (elapsed,
/// latencies in µs).
async fn fire(url: &str, devices: Vec<Device>) -> (Duration, Vec<u64>) {
    let start = Instant::now();
    let tasks: Vec<_> = devices
        .into_iter()
        .map(|d| {
            let url = format!("{url}/v1/push");
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .http1_only()
                    .build()
                    .unwrap();
                let mut latencies = Vec::with_capacity(d.requests.len());
                for (seq, signature, body) in d.requests {
                    let t = Instant::now();
                    let answer = client
                        .post(&url)
                        .header(wire::HEADER_DEVICE, d.device_id.to_string())
                        .header(wire::HEADER_SEQ, seq.to_string())
                        .header(wire::HEADER_SIGNATURE, signature)
                        .header("accept", wire::RESULTS_CONTENT_TYPE)
                        .body(body)
                        .send()
                        .await
                        .unwrap();
                    assert!(answer.status().is_success(), "{}", answer.status());
                    answer.bytes().await.unwrap();
                    latencies.push(t.elapsed().as_micros() as u64);
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    (start.elapsed(), latencies)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// fdatasync'd 4 KiB appends per second in `dir` (the disk under SQLite).
fn fsync_rate(dir: &Path) -> f64 {
    let mut f = std::fs::File::create(dir.join("fsync-probe")).unwrap();
    let block = [0u8; 4096];
    let start = Instant::now();
    let n = 200;
    for _ in 0..n {
        f.write_all(&block).unwrap();
        f.sync_data().unwrap();
    }
    f64::from(n) / start.elapsed().as_secs_f64()
}

/// A fresh schema in `base`; the URL whose connections use it.
fn fresh_schema(base: &str) -> String {
    let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{name}")
}

fn run(backend: &str, database: Option<String>, connections: usize, forms: usize) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    {
        let state = komek_registry::open_state_on(&data, database.as_deref(), Vec::new()).unwrap();
        komek_registry::add_supervisor(&state, office::SUPERVISOR, office::PASSWORD).unwrap();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let options = ServeOptions {
        database,
        ..ServeOptions::default()
    };
    let (elapsed, mut latencies, stored, total) = runtime.block_on(async {
        let registry = komek_registry::start_with(&data, "127.0.0.1:0".parse().unwrap(), &options)
            .await
            .unwrap();
        let url = registry.url();
        let devices = prepare(&url, connections, forms).await;
        let total: usize = devices.iter().map(|d| d.forms).sum();
        let (elapsed, latencies) = fire(&url, devices).await;
        let state = registry.state.clone();
        let stored = tokio::task::spawn_blocking(move || state.storage.counts().unwrap().0)
            .await
            .unwrap();
        registry.stop().await;
        (elapsed, latencies, stored, total)
    });
    assert_eq!(stored, total as u64, "every form stored once");
    latencies.sort_unstable();
    println!(
        "{backend:<10} {connections:>4} connections: {total} forms in {:.2} s = {:>6.0} forms/s; push p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5) as f64 / 1000.0,
        percentile(&latencies, 0.99) as f64 / 1000.0,
    );
}

/// The registry's errors and warnings on stderr (a refused push names why).
struct StderrLog;

impl log::Log for StderrLog {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::Level::Warn
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            eprintln!("{}: {}", r.level(), r.args());
        }
    }
    fn flush(&self) {}
}

fn main() {
    let _ = log::set_logger(&StderrLog).map(|()| log::set_max_level(log::LevelFilter::Warn));
    let connections: Vec<usize> = env_or("KOMEK_BENCH_CONNECTIONS", "50")
        .split(',')
        .map(|c| c.trim().parse().expect("KOMEK_BENCH_CONNECTIONS: numbers"))
        .collect();
    let forms: usize = env_or("KOMEK_BENCH_FORMS", "40").parse().unwrap();
    let runs: usize = env_or("KOMEK_BENCH_RUNS", "3").parse().unwrap();
    let pg = std::env::var("KOMEK_BENCH_PG")
        .ok()
        .filter(|u| !u.is_empty());
    let probe = tempfile::tempdir().unwrap();
    println!(
        "fsync: {:.0} fdatasync'd 4 KiB writes/s in {}",
        fsync_rate(probe.path()),
        std::env::temp_dir().display()
    );
    for &n in &connections {
        for _ in 0..runs {
            run("sqlite", None, n, forms);
        }
        if let Some(base) = &pg {
            for _ in 0..runs {
                run("postgres", Some(fresh_schema(base)), n, forms);
            }
        }
    }
}
