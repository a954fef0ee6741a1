//! The encrypted store against a plain rusqlite table holding the same
//! serialized records, on 10,000 synthetic households (fixed seed).
//!
//! `cargo bench -p komek-core --bench store` (figures in docs/benchmarks.md).
//! Both sides use WAL with `synchronous=FULL` and one transaction per operation,
//! so the difference is what encryption, the blind index and the audit trail cost.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use komek_core::crypto::{open_record, seal_record, KeyVault, RecordAad, SecretKey, VaultError};
use komek_core::model::Household;
use komek_core::store::{Role, Store, StoreConfig};
use rusqlite::{params, Connection};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;
use zeroize::Zeroizing;

const N: usize = 10_000;

/// An in-memory vault: the platform keystore's cost is not what is measured.
struct MemVault(Mutex<HashMap<String, SecretKey>>);

impl KeyVault for MemVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut m = self.0.lock().map_err(|_| VaultError::Corrupt)?;
        let k = m.entry(alias.into()).or_insert_with(|| {
            SecretKey::generate().unwrap_or(SecretKey::from_bytes(&[7; 32]).unwrap())
        });
        seal_record(k, aad(alias), secret).map_err(|_| VaultError::Corrupt)
    }
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let m = self.0.lock().map_err(|_| VaultError::Corrupt)?;
        let k = m.get(alias).ok_or(VaultError::KeyNotFound(alias.into()))?;
        open_record(k, aad(alias), wrapped).map_err(|_| VaultError::Corrupt)
    }
    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        self.0
            .lock()
            .map_err(|_| VaultError::Corrupt)?
            .remove(alias);
        Ok(())
    }
}

fn aad(alias: &str) -> RecordAad<'_> {
    RecordAad {
        table: "bench",
        record_id: alias.as_bytes(),
        version: 0,
    }
}

fn plain_open(path: &std::path::Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c.execute_batch(
        "CREATE TABLE households (id BLOB, version INTEGER, status TEXT, json BLOB,
                                  PRIMARY KEY (id, version));
         CREATE TABLE iin (iin TEXT, id BLOB); CREATE INDEX iin_i ON iin(iin);
         CREATE TABLE outbox (seq INTEGER PRIMARY KEY, id BLOB, version INTEGER);",
    )
    .unwrap();
    c
}

fn plain_save(c: &mut Connection, h: &Household) {
    let tx = c.transaction().unwrap();
    tx.execute(
        "INSERT OR REPLACE INTO households VALUES (?1, ?2, 'draft', ?3)",
        params![h.id.as_bytes(), h.version, serde_json::to_vec(h).unwrap()],
    )
    .unwrap();
    tx.execute("DELETE FROM iin WHERE id = ?1", [h.id.as_bytes()])
        .unwrap();
    for iin in h.members.iter().filter_map(|m| m.iin.as_deref()) {
        tx.execute(
            "INSERT INTO iin VALUES (?1, ?2)",
            params![iin, h.id.as_bytes()],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn plain_load(c: &Connection, id: Uuid) -> Household {
    let json: Vec<u8> = c
        .query_row(
            "SELECT json FROM households WHERE id = ?1 ORDER BY version DESC LIMIT 1",
            [id.as_bytes()],
            |r| r.get(0),
        )
        .unwrap();
    serde_json::from_slice(&json).unwrap()
}

fn plain_finalize(c: &mut Connection, id: Uuid) {
    let tx = c.transaction().unwrap();
    let mut h = plain_load(&tx, id);
    h.status = komek_core::model::FormStatus::Final;
    tx.execute(
        "UPDATE households SET status = 'final', json = ?1 WHERE id = ?2 AND version = ?3",
        params![serde_json::to_vec(&h).unwrap(), id.as_bytes(), h.version],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO outbox (id, version) VALUES (?1, ?2)",
        params![id.as_bytes(), h.version],
    )
    .unwrap();
    tx.commit().unwrap();
}

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
    let pool = komek_core::synth::households(42, N * 2, today);
    let (loaded, fresh) = pool.split_at(N);

    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemVault(Mutex::new(HashMap::new())));
    let store = Store::open(
        &dir.path().join("enc.db"),
        vault,
        StoreConfig {
            idle_timeout: Duration::from_secs(86_400),
            ..StoreConfig::default()
        },
    )
    .unwrap();
    let staff = store.add_staff(Role::Supervisor, "Bench", "1234").unwrap();
    store.unlock(staff, "1234").unwrap();
    let mut plain = plain_open(&dir.path().join("plain.db"));
    for h in loaded {
        store.save_draft(h).unwrap();
        plain_save(&mut plain, h);
    }
    let iins: Vec<String> = loaded
        .iter()
        .filter_map(|h| h.members.iter().find_map(|m| m.iin.clone()))
        .collect();

    let mut g = c.benchmark_group("store_10k");
    g.sample_size(30)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));

    let next = Cell::new(0usize);
    let pick = |n: &Cell<usize>, len: usize| {
        let i = n.get();
        n.set(i + 1);
        i % len
    };
    g.bench_function("save_draft/encrypted", |b| {
        b.iter(|| store.save_draft(&fresh[pick(&next, N)]).ok())
    });
    g.bench_function("save_draft/plain", |b| {
        b.iter(|| plain_save(&mut plain, &fresh[pick(&next, N)]))
    });
    g.bench_function("load/encrypted (audited view)", |b| {
        b.iter(|| store.load(loaded[pick(&next, N)].id).unwrap())
    });
    g.bench_function("load/encrypted (decrypt only)", |b| {
        b.iter(|| store.load_for_sync(loaded[pick(&next, N)].id, 1).unwrap())
    });
    g.bench_function("load/plain", |b| {
        b.iter(|| plain_load(&plain, loaded[pick(&next, N)].id))
    });
    g.bench_function("find_by_iin/encrypted", |b| {
        b.iter(|| store.find_by_iin(&iins[pick(&next, iins.len())]).unwrap())
    });
    g.bench_function("find_by_iin/plain", |b| {
        b.iter(|| {
            let id: Vec<u8> = plain
                .query_row(
                    "SELECT id FROM iin WHERE iin = ?1",
                    [&iins[pick(&next, iins.len())]],
                    |r| r.get(0),
                )
                .unwrap();
            id
        })
    });
    let fin = Cell::new(0usize);
    g.bench_function("finalize/encrypted", |b| {
        b.iter_batched(
            // Past N iterations the households come round again, finalized:
            // start a correction (a new draft version) outside the timing,
            // so each measured finalize has a draft to finalize.
            || {
                let i = fin.get();
                let id = loaded[pick(&fin, N)].id;
                if i >= N {
                    store.start_correction(id).unwrap();
                }
                id
            },
            |id| store.finalize(id, today).unwrap(),
            BatchSize::SmallInput,
        )
    });
    let fin_plain = Cell::new(0usize);
    g.bench_function("finalize/plain", |b| {
        b.iter_batched(
            || loaded[pick(&fin_plain, N)].id,
            |id| plain_finalize(&mut plain, id),
            BatchSize::SmallInput,
        )
    });
    g.finish();

    // Proactive re-screen of every stored household (decrypt + evaluate under
    // two packs): the default pack against one with a raised Aktobe line.
    let new_pack = komek_core::rules::RulePack::parse_str(
        &komek_core::rules::pack::DEFAULT_PACK_TOML.replacen("amount = 37060", "amount = 40000", 1),
    )
    .unwrap();
    let mut g = c.benchmark_group("rescreen");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("10k_households", |b| {
        b.iter(|| {
            store
                .rescreen(
                    komek_core::rules::default_pack(),
                    &new_pack,
                    today,
                    komek_core::rules::rescreen::DEFAULT_NEAR_MARGIN,
                )
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
