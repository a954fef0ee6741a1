//! A district office's queries at national scale: with 1,000,000 cases
//! across 200 districts (5 centres each), how long a district supervisor
//! waits for a page of their queue, filtered by status (or all), with the
//! district's counts per status — `ScopedStorage::case_page`, the call
//! behind `GET /v1/supervisor/cases`.
//!
//! Run: `cargo bench -p komek-tests --bench queries --profile dev` (SQLite,
//! which the dev profile builds at opt-level 3; the time is the database's).
//! `KOMEK_BENCH_PG=postgres://…` runs PostgreSQL too. The data is generated
//! once: the SQLite file stays in `KOMEK_BENCH_DIR` (default
//! `target/query-bench`) and the PostgreSQL schema `komek_query_bench`, and
//! a later run that finds them with the right number of cases reuses them.
//! `KOMEK_BENCH_CASES` (default 1,000,000), `KOMEK_BENCH_DISTRICTS` (200),
//! `KOMEK_BENCH_QUERIES` (2,000 page requests: three in four a first page,
//! one in four the next page after it). Prints p50, p95, p99 and max per
//! backend. Figures go into docs/benchmarks.md.

use komek_core::sync::wire::CaseStatus;
use komek_registry::scope::{CaseQuery, Scope, ScopedStorage};
use komek_registry::secrets::StorageKey;
use komek_registry::{PostgresStorage, SqliteStorage};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use uuid::Uuid;

const CENTRES_PER_DISTRICT: u64 = 5;
const PAGE: u32 = 50;
const SCHEMA: &str = "komek_query_bench";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace([',', '_'], "").parse().ok())
        .unwrap_or(default)
}

fn key() -> StorageKey {
    StorageKey::derive(&[7; 32]).expect("storage key")
}

/// splitmix64: the generated data and the queries are the same on every
/// run and backend.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A realistic mix: most cases decided, a fifth waiting.
fn status_of(n: u64) -> CaseStatus {
    match n % 20 {
        0..=3 => CaseStatus::Received,
        4 | 5 => CaseStatus::UnderReview,
        6..=14 => CaseStatus::Approved,
        15 | 16 => CaseStatus::Returned,
        _ => CaseStatus::Rejected,
    }
}

fn district(d: u64) -> String {
    format!("District {d:03}")
}

fn centre(c: u64) -> String {
    format!("Centre {c:04}")
}

/// SQLite: the database at `dir/registry.sqlite`, filled once.
fn sqlite(dir: &PathBuf, cases: u64, districts: u64) -> SqliteStorage {
    std::fs::create_dir_all(dir).expect("bench directory");
    let path = dir.join("registry.sqlite");
    let storage = SqliteStorage::open(&path, key()).expect("open SQLite");
    let conn = rusqlite::Connection::open(&path).expect("open SQLite");
    let have: u64 = conn
        .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
        .expect("count");
    if have == cases {
        println!("sqlite: reusing {cases} cases in {}", path.display());
        return storage;
    }
    let started = Instant::now();
    conn.execute_batch("DELETE FROM cases; DELETE FROM centres WHERE name <> ''; DELETE FROM districts WHERE name <> '';")
        .expect("clear");
    let tx = conn.unchecked_transaction().expect("transaction");
    for d in 0..districts {
        tx.execute(
            "INSERT INTO districts (name, created_at) VALUES (?1, 0)",
            [district(d)],
        )
        .expect("district");
        for c in 0..CENTRES_PER_DISTRICT {
            tx.execute(
                "INSERT INTO centres (name, district) VALUES (?1, ?2)",
                [centre(d * CENTRES_PER_DISTRICT + c), district(d)],
            )
            .expect("centre");
        }
    }
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO cases (case_id, status, version, device_id, flagged, updated_at, centre, district)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)",
            )
            .expect("prepare");
        for n in 0..cases {
            let h = mix(n);
            let c = h % (districts * CENTRES_PER_DISTRICT);
            let id = Uuid::from_u64_pair(mix(h), n);
            insert
                .execute(rusqlite::params![
                    id.as_bytes(),
                    status_of(mix(h ^ 1)).as_str(),
                    Uuid::from_u64_pair(c, 0).as_bytes(),
                    h.is_multiple_of(17),
                    1_700_000_000 + (n as i64),
                    centre(c),
                    district(c / CENTRES_PER_DISTRICT),
                ])
                .expect("case");
        }
    }
    tx.commit().expect("commit");
    conn.execute_batch("ANALYZE").expect("analyze");
    println!(
        "sqlite: generated {cases} cases in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    storage
}

/// PostgreSQL: the schema `komek_query_bench`, filled once.
fn postgres(base: &str, cases: u64, districts: u64) -> PostgresStorage {
    let mut c = postgres::Client::connect(base, postgres::NoTls).expect("connect");
    c.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{SCHEMA}");
    let storage = PostgresStorage::connect(&url, key()).expect("connect");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let have: i64 = c
        .query_one("SELECT count(*) FROM cases", &[])
        .expect("count")
        .get(0);
    if have as u64 == cases {
        println!("postgres: reusing {cases} cases in schema {SCHEMA}");
        return storage;
    }
    let started = Instant::now();
    let centres = (districts * CENTRES_PER_DISTRICT) as i64;
    let per = CENTRES_PER_DISTRICT as i64;
    c.batch_execute(
        "DELETE FROM cases; DELETE FROM centres WHERE name <> ''; DELETE FROM districts WHERE name <> '';",
    )
    .expect("clear");
    c.execute(
        "INSERT INTO districts (name, created_at)
         SELECT 'District ' || lpad(d::text, 3, '0'), 0 FROM generate_series(0, $1::bigint - 1) d",
        &[&(districts as i64)],
    )
    .expect("districts");
    c.execute(
        "INSERT INTO centres (name, district)
         SELECT 'Centre ' || lpad(c::text, 4, '0'), 'District ' || lpad((c / $2::bigint)::text, 3, '0')
         FROM generate_series(0, $1::bigint - 1) c",
        &[&centres, &per],
    )
    .expect("centres");
    // The same spread as on SQLite (not the same rows: PostgreSQL draws
    // its own hashes), generated by the server.
    c.execute(
        "INSERT INTO cases (case_id, status, version, device_id, flagged, updated_at, centre, district)
         SELECT md5(n::text)::uuid,
                (ARRAY['received','received','received','received','under_review','under_review',
                       'approved','approved','approved','approved','approved','approved','approved',
                       'approved','approved','returned','returned','rejected','rejected','rejected'])
                    [1 + (hashint8(n * 3)::bigint & 2147483647) % 20],
                1, md5(c::text)::uuid, n % 17 = 0, 1700000000 + n,
                'Centre ' || lpad(c::text, 4, '0'), 'District ' || lpad((c / $3::bigint)::text, 3, '0')
         FROM (SELECT n, (hashint8(n)::bigint & 2147483647) % $2::bigint AS c FROM generate_series(0, $1::bigint - 1) n) g",
        &[&(cases as i64), &centres, &per],
    )
    .expect("cases");
    c.batch_execute("ANALYZE").expect("analyze");
    println!(
        "postgres: generated {cases} cases in {:.1} s (schema {SCHEMA})",
        started.elapsed().as_secs_f64()
    );
    storage
}

/// Time `queries` page requests of random districts' queues.
fn measure(name: &str, s: &dyn ScopedStorage, districts: u64, queries: u64) {
    let statuses = [
        None,
        Some(CaseStatus::Received),
        Some(CaseStatus::Received),
        Some(CaseStatus::UnderReview),
        Some(CaseStatus::Returned),
        Some(CaseStatus::Approved),
    ];
    // Warm the caches as a serving registry's are.
    for d in 0..districts {
        let scope = Scope::District(district(d));
        let q = CaseQuery {
            status: None,
            after: None,
            limit: PAGE,
        };
        s.case_page(&scope, &q).expect("page");
    }
    let mut times = Vec::with_capacity(queries as usize);
    let mut rows = 0usize;
    let mut n = 0u64;
    while (times.len() as u64) < queries {
        n += 1;
        let h = mix(n ^ 0xbe7c);
        let scope = Scope::District(district(h % districts));
        let mut q = CaseQuery {
            status: statuses[(h >> 16) as usize % statuses.len()],
            after: None,
            limit: PAGE,
        };
        let started = Instant::now();
        let page = s.case_page(&scope, &q).expect("page");
        times.push(started.elapsed());
        rows += page.cases.len();
        assert!(page.counts.total() > 0, "an empty district: generate again");
        if (h >> 32).is_multiple_of(4) {
            if let Some(next) = page.next {
                q.after = Some(next);
                let started = Instant::now();
                let page = s.case_page(&scope, &q).expect("page");
                times.push(started.elapsed());
                rows += page.cases.len();
            }
        }
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: {} page requests ({} rows) of a district's queue: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        rows,
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(*times.last().expect("times"))
    );
}

fn main() {
    let cases = env_num("KOMEK_BENCH_CASES", 1_000_000);
    let districts = env_num("KOMEK_BENCH_DISTRICTS", 200).max(1);
    let queries = env_num("KOMEK_BENCH_QUERIES", 2_000).max(1);
    let dir = std::env::var("KOMEK_BENCH_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/query-bench"),
        PathBuf::from,
    );
    println!("{cases} cases, {districts} districts, {CENTRES_PER_DISTRICT} centres each, pages of {PAGE}");
    let s = sqlite(&dir, cases, districts);
    measure("sqlite", &s, districts, queries);
    drop(s);
    if let Ok(base) = std::env::var("KOMEK_BENCH_PG") {
        let p = postgres(&base, cases, districts);
        measure("postgres", &p, districts, queries);
    }
}
