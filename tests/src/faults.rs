//! Exactly once under faults, shared by the test (`tests/tests/sync_faults.rs`,
//! 520 attempts) and the soak binary (`soak sync-faults N`): randomized sync
//! attempts of two devices through a link that cuts connections at random
//! byte offsets (requests and responses), with the registry killed and
//! restarted mid-sync every 60 attempts. At the end the registry holds every
//! finalized form exactly once and both devices hold every decision. Test
//! support: a broken promise panics with the attempt it happened at.

use crate::link::{FaultPlan, LinkProfile, LinkProxy};
use crate::office;
use chrono::NaiveDate;
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, SyncConfig};
use komek_registry::RunningRegistry;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn start(dir: &Path) -> RunningRegistry {
    komek_registry::start(dir, "127.0.0.1:0".parse().expect("address"))
        .await
        .expect("registry restarts")
}

/// (case, version) → number of stored submissions, read from the registry's file.
fn submissions(db: &Path) -> BTreeMap<(Uuid, u32), i64> {
    let conn = rusqlite::Connection::open(db).expect("registry file");
    let mut stmt = conn
        .prepare("SELECT case_id, version, count(*) FROM submissions GROUP BY case_id, version")
        .expect("query");
    stmt.query_map([], |r| {
        Ok((
            (
                Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?).unwrap_or_default(),
                r.get(1)?,
            ),
            r.get(2)?,
        ))
    })
    .expect("rows")
    .map(|r| r.expect("row"))
    .collect()
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default)]
pub struct FaultSummary {
    pub attempts: usize,
    pub ok: usize,
    pub failed: usize,
    pub cuts: u64,
    pub restarts: usize,
    pub duplicates: u64,
    pub forms: usize,
}

/// `attempts` sync attempts under faults seeded by `seed`; panics when a form
/// is lost or doubled, or a decision does not reach a device.
pub async fn run(attempts: usize, seed: u64) -> FaultSummary {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("registry");
    let (mut registry, sup) = office::open(dir.path()).await.expect("registry");
    let proxy = LinkProxy::start(registry.addr, LinkProfile::LAN, None).expect("proxy");
    let url = format!("http://{}", proxy.addr());

    let mut devices = Vec::new();
    for name in ["a", "b"] {
        devices.push(
            office::enrolled(dir.path(), name, &url, &sup)
                .await
                .expect("enrolled"),
        );
    }

    proxy.set_faults(Some(FaultPlan {
        seed,
        cut_probability: 0.5,
        max_offset: 1_000,
    }));
    let config = SyncConfig {
        max_attempts: 2,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        timeout: Duration::from_secs(5),
        batch_ops: 4,
        ..SyncConfig::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(2019));
    let pool_size = (attempts * 4 / 5).max(50);
    let mut pool =
        komek_core::synth::households(seed.wrapping_add(92), pool_size, today()).into_iter();
    let mut expected: BTreeMap<(Uuid, u32), i64> = BTreeMap::new();
    let mut s = FaultSummary {
        attempts,
        ..FaultSummary::default()
    };

    for attempt in 0..attempts {
        let d = &devices[attempt % 2];
        // New forms now and then, and a correction of an acknowledged one.
        if rng.gen_bool(0.3) {
            if let Some(h) = pool.next() {
                d.capture(std::slice::from_ref(&h), today())
                    .expect("capture");
                expected.insert((h.id, 1), 1);
            }
        }
        if rng.gen_bool(0.05) {
            let acked: Vec<(Uuid, u32, CaseStatus)> = d.store.cases().expect("cases");
            let mine: Vec<Uuid> = acked
                .iter()
                .map(|c| c.0)
                .filter(|id| {
                    d.store.load(*id).is_ok() && !d.store.has_unsynced(*id).unwrap_or(true)
                })
                .collect();
            if let Some(id) = mine.first() {
                let mut h = d.store.start_correction(*id).expect("correction");
                h.notes = Some(format!("correction {attempt}"));
                d.store.save_draft(&h).expect("save");
                d.store.finalize(*id, today()).expect("finalize");
                expected.insert((*id, h.version), 1);
            }
        }
        // Every 60 attempts, kill the registry in the middle of a sync.
        let kill = attempt % 60 == 59;
        let result = if kill {
            let old = registry;
            let delay = Duration::from_millis(rng.gen_range(0..15));
            let killer = async {
                tokio::time::sleep(delay).await;
                old.kill();
                let new = start(&data).await;
                proxy.set_upstream(new.addr);
                new
            };
            let cancel = CancelToken::new();
            let (result, new) = tokio::join!(sync::sync(&d.store, &config, None, &cancel), killer);
            registry = new;
            s.restarts += 1;
            result
        } else {
            sync::sync(&d.store, &config, None, &CancelToken::new()).await
        };
        match result {
            Ok(r) => {
                s.ok += 1;
                s.duplicates += r.duplicates;
                assert!(r.rejected.is_empty(), "attempt {attempt}: {:?}", r.rejected);
            }
            Err(e) => {
                assert!(e.is_transient(), "attempt {attempt}: {e}");
                s.failed += 1;
            }
        }
        // The supervisor decides on what has arrived, without the faulty link.
        if attempt % 25 == 24 {
            let sup = office::login(&registry.url()).await.expect("login");
            for case in sup.cases(Some(CaseStatus::Received)).await.expect("cases") {
                let action = if rng.gen_bool(0.2) {
                    "return"
                } else {
                    "approve"
                };
                sup.decide(case.case_id, action, Some("please check"))
                    .await
                    .expect("decide");
            }
        }
    }

    // The link heals: everything left goes through.
    proxy.set_faults(None);
    for _ in 0..2 {
        for d in &devices {
            sync::sync(&d.store, &config, None, &CancelToken::new())
                .await
                .expect("sync on a healed link");
        }
    }
    for d in &devices {
        let counts = d.store.outbox_counts().expect("counts");
        assert_eq!((counts.pending, counts.rejected), (0, 0));
    }

    let stored = submissions(&data.join("registry.sqlite"));
    assert_eq!(stored, expected, "every finalized version exactly once");
    let sup = office::login(&registry.url()).await.expect("login");
    let registry_view: BTreeMap<Uuid, (u32, CaseStatus)> = sup
        .cases(None)
        .await
        .expect("cases")
        .into_iter()
        .map(|c| (c.case_id, (c.version, c.status)))
        .collect();
    for d in &devices {
        let device_view: BTreeMap<Uuid, (u32, CaseStatus)> = d
            .store
            .cases()
            .expect("cases")
            .into_iter()
            .map(|(id, v, st)| (id, (v, st)))
            .collect();
        assert_eq!(device_view, registry_view, "a device is missing decisions");
    }
    s.cuts = proxy.stats().cuts.load(std::sync::atomic::Ordering::SeqCst);
    s.forms = expected.len();
    registry.stop().await;
    s
}
