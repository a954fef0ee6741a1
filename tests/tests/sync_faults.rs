//! Exactly once under faults: 500+ randomized sync attempts through a link
//! that cuts connections at random byte offsets (requests and responses),
//! with the registry killed and restarted mid-sync now and then. At the end
//! the registry holds every finalized form exactly once and both devices hold
//! every decision.

use chrono::NaiveDate;
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, SyncConfig};
use komek_registry::RunningRegistry;
use komek_tests::link::{FaultPlan, LinkProfile, LinkProxy};
use komek_tests::office;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

const ATTEMPTS: usize = 520;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn start(dir: &Path) -> RunningRegistry {
    komek_registry::start(dir, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// (case, version) → number of stored submissions, read from the registry's file.
fn submissions(db: &Path) -> BTreeMap<(Uuid, u32), i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT case_id, version, count(*) FROM submissions GROUP BY case_id, version")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            (
                Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?).unwrap(),
                r.get(1)?,
            ),
            r.get(2)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_lost_nothing_doubled_under_cuts_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry");
    let (mut registry, sup) = office::open(dir.path()).await.unwrap();
    let proxy = LinkProxy::start(registry.addr, LinkProfile::LAN, None).unwrap();
    let url = format!("http://{}", proxy.addr());

    let mut devices = Vec::new();
    for name in ["a", "b"] {
        devices.push(
            office::enrolled(dir.path(), name, &url, &sup)
                .await
                .unwrap(),
        );
    }

    proxy.set_faults(Some(FaultPlan {
        seed: 7,
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
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut pool = komek_core::synth::households(99, 400, today()).into_iter();
    let mut expected: BTreeMap<(Uuid, u32), i64> = BTreeMap::new();
    let (mut ok, mut failed, mut restarts) = (0, 0, 0);
    let mut duplicates = 0;

    for attempt in 0..ATTEMPTS {
        let d = &devices[attempt % 2];
        // New forms now and then, and a correction of an acknowledged one.
        if rng.gen_bool(0.3) {
            if let Some(h) = pool.next() {
                d.capture(std::slice::from_ref(&h), today()).unwrap();
                expected.insert((h.id, 1), 1);
            }
        }
        if rng.gen_bool(0.05) {
            let acked: Vec<(Uuid, u32, CaseStatus)> = d.store.cases().unwrap();
            let mine: Vec<Uuid> = acked
                .iter()
                .map(|c| c.0)
                .filter(|id| d.store.load(*id).is_ok() && !d.store.has_unsynced(*id).unwrap())
                .collect();
            if let Some(id) = mine.first() {
                let mut h = d.store.start_correction(*id).unwrap();
                h.notes = Some(format!("correction {attempt}"));
                d.store.save_draft(&h).unwrap();
                d.store.finalize(*id, today()).unwrap();
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
            restarts += 1;
            result
        } else {
            sync::sync(&d.store, &config, None, &CancelToken::new()).await
        };
        match result {
            Ok(r) => {
                ok += 1;
                duplicates += r.duplicates;
                assert!(r.rejected.is_empty(), "{:?}", r.rejected);
            }
            Err(e) => {
                assert!(e.is_transient(), "attempt {attempt}: {e}");
                failed += 1;
            }
        }
        // The supervisor decides on what has arrived, without the faulty link.
        if attempt % 25 == 24 {
            let sup = office::login(&registry.url()).await.unwrap();
            for case in sup.cases(Some(CaseStatus::Received)).await.unwrap() {
                let action = if rng.gen_bool(0.2) {
                    "return"
                } else {
                    "approve"
                };
                sup.decide(case.case_id, action, Some("please check"))
                    .await
                    .unwrap();
            }
        }
    }

    // The link heals: everything left goes through.
    proxy.set_faults(None);
    for d in &devices {
        sync::sync(&d.store, &config, None, &CancelToken::new())
            .await
            .unwrap();
    }
    for d in &devices {
        sync::sync(&d.store, &config, None, &CancelToken::new())
            .await
            .unwrap();
        assert_eq!(d.store.outbox_counts().unwrap().pending, 0);
        assert_eq!(d.store.outbox_counts().unwrap().rejected, 0);
    }

    let stored = submissions(&data.join("registry.sqlite"));
    assert_eq!(stored, expected, "every finalized version exactly once");
    let sup = office::login(&registry.url()).await.unwrap();
    let registry_view: BTreeMap<Uuid, (u32, CaseStatus)> = sup
        .cases(None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.case_id, (c.version, c.status)))
        .collect();
    for d in &devices {
        let device_view: BTreeMap<Uuid, (u32, CaseStatus)> = d
            .store
            .cases()
            .unwrap()
            .into_iter()
            .map(|(id, v, s)| (id, (v, s)))
            .collect();
        assert_eq!(device_view, registry_view, "a device is missing decisions");
    }
    let cuts = proxy.stats().cuts.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!(
        "{ATTEMPTS} attempts: {ok} ok, {failed} failed, {cuts} cuts, {restarts} restarts, {duplicates} duplicates answered, {} forms",
        expected.len()
    );
    assert!(
        cuts >= 60 && failed >= 5 && restarts >= 8 && duplicates > 0,
        "the faults did not happen"
    );
    registry.stop().await;
}
