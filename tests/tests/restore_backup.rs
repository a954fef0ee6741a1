//! A device restored from an old copy of its database, and a device that
//! enrolled again, deliver every form exactly once (issue 11, finding 14;
//! docs/adr/0010-recovery-after-restore-and-re-enrolment.md).

use chrono::NaiveDate;
use komek_core::store::{OutboxCounts, Store, StoreConfig};
use komek_core::sync::{self, CancelToken, SyncConfig, SyncReport};
use komek_tests::device::{Device, PIN};
use komek_tests::office;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use uuid::Uuid;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// case → stored submissions, read from the registry's file.
fn submissions(db: &Path) -> BTreeMap<Uuid, i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT case_id, count(*) FROM submissions GROUP BY case_id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?).unwrap(),
            r.get(1)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn files(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", path.display())))
        .collect()
}

/// Close the store, run `f` on its files, open it again (the same vault:
/// the phone's keystore survives a restore of the app's data).
fn with_closed(device: Device, f: impl FnOnce(&Path)) -> Device {
    let Device { store, vault, path } = device;
    let worker = store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == komek_core::store::Role::Field)
        .unwrap();
    drop(store);
    f(&path);
    let store = Store::open(&path, vault.clone(), StoreConfig::default()).unwrap();
    store.unlock(worker.id, PIN).unwrap();
    Device { store, vault, path }
}

async fn sync_now(device: &Device) -> SyncReport {
    sync::sync(
        &device.store,
        &SyncConfig::default(),
        None,
        &CancelToken::new(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_device_restored_from_an_old_copy_delivers_everything_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let url = registry.url();
    let device = office::enrolled(dir.path(), "tablet", &url, &sup)
        .await
        .unwrap();
    let forms = komek_core::synth::households(14, 6, today());

    // Two forms delivered; a third finalized but not yet sent (nor sealed).
    device.capture(&forms[..2], today()).unwrap();
    assert_eq!(sync_now(&device).await.stored, 2);
    device.capture(&forms[2..3], today()).unwrap();

    // The backup: a copy of the database files as they are now.
    let backup = dir.path().join("backup");
    std::fs::create_dir(&backup).unwrap();
    let device = with_closed(device, |path| {
        for f in files(path) {
            if f.exists() {
                std::fs::copy(&f, backup.join(f.file_name().unwrap())).unwrap();
            }
        }
    });

    // Life goes on: the third form is sent, two more are made and sent.
    device.capture(&forms[3..5], today()).unwrap();
    assert_eq!(sync_now(&device).await.stored, 3);

    // The phone is restored from the backup, and a new form is made: its
    // number is one the registry already holds for another form.
    let device = with_closed(device, |path| {
        for f in files(path) {
            let saved = backup.join(f.file_name().unwrap());
            if saved.exists() {
                std::fs::copy(&saved, &f).unwrap();
            } else if f.exists() {
                std::fs::remove_file(&f).unwrap();
            }
        }
    });
    assert_eq!(device.store.outbox_counts().unwrap().pending, 1);
    device.capture(&forms[5..6], today()).unwrap();

    let report = sync_now(&device).await;
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    // The third form again (already there), the sixth new.
    assert_eq!((report.stored, report.duplicates), (1, 1));
    assert_eq!(
        device.store.outbox_counts().unwrap(),
        OutboxCounts {
            pending: 0,
            acked: 4,
            rejected: 0
        }
    );
    // Every form is at the registry exactly once.
    let stored = submissions(&registry.data_dir.join("registry.sqlite"));
    let expected: BTreeMap<Uuid, i64> = forms.iter().map(|h| (h.id, 1)).collect();
    assert_eq!(stored, expected);

    // A later form goes straight through, and nothing is sent twice.
    let more = komek_core::synth::households(15, 1, today());
    device.capture(&more, today()).unwrap();
    let report = sync_now(&device).await;
    assert_eq!((report.stored, report.duplicates), (1, 0));
    assert!(report.rejected.is_empty());
    assert_eq!(
        submissions(&registry.data_dir.join("registry.sqlite")).len(),
        7
    );
    registry.stop().await;
}

#[tokio::test]
async fn a_device_enrolled_again_sends_its_pending_forms_under_the_new_identity() {
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let url = registry.url();
    let device = office::enrolled(dir.path(), "tablet", &url, &sup)
        .await
        .unwrap();
    let forms = komek_core::synth::households(16, 3, today());
    device.capture(&forms[..1], today()).unwrap();
    assert_eq!(sync_now(&device).await.stored, 1);
    // Two forms sealed for the old identity, never delivered (say the
    // registry's certificate rotated and the device missed the new pin).
    device.capture(&forms[1..], today()).unwrap();
    let identity = device.store.sync_identity().unwrap().unwrap();
    let registry_key: [u8; 32] = identity.seal_key;
    let old_key = komek_core::crypto::seal::DeviceKey::from_pkcs8(&identity.device_pkcs8).unwrap();
    for op in device.store.outbox_pending(10).unwrap() {
        let header = komek_core::crypto::seal::SealHeader {
            entity: komek_core::crypto::seal::ENTITY_HOUSEHOLD,
            device_id: identity.device_id,
            op_id: op.op_id,
            entity_id: op.entity_id,
            device_seq: u64::try_from(op.device_seq).unwrap(),
            version: op.version,
            base_version: op.base_version,
        };
        let sealed =
            komek_core::crypto::seal::seal_op(&header, b"placeholder", &registry_key, &old_key)
                .unwrap();
        device
            .store
            .outbox_set_sealed(op.device_seq, &sealed)
            .unwrap();
    }

    // Enrolled again with a new code: a new device id.
    sync::enrol(
        &device.store,
        &url,
        &sup.enrolment_code().await.unwrap(),
        "tablet",
    )
    .await
    .unwrap();
    assert_ne!(
        device.store.sync_identity().unwrap().unwrap().device_id,
        identity.device_id
    );
    let report = sync_now(&device).await;
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.stored, 2);
    let stored = submissions(&registry.data_dir.join("registry.sqlite"));
    let expected: BTreeMap<Uuid, i64> = forms.iter().map(|h| (h.id, 1)).collect();
    assert_eq!(stored, expected);
    registry.stop().await;
}

/// The registry itself restored from `komek registry backup` (taken while
/// it served): a form pushed after the backup whose answer the device never
/// got is pushed again and stored once; nothing from before the backup is
/// doubled; request numbers, operation numbers and pull cursors carry on,
/// and a decision made after the restore reaches a device whose cursor had
/// passed events the restored registry no longer has (event numbers jump
/// ahead in the copy: `komek_registry::sqlite::EVENT_NUMBER_GAP`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_restored_from_its_backup_lets_devices_continue_exactly_once() {
    use komek_core::sync::wire::CaseStatus;
    let dir = tempfile::tempdir().unwrap();
    let (registry, sup) = office::open(dir.path()).await.unwrap();
    let (url, addr) = (registry.url(), registry.addr);
    let a = office::enrolled(dir.path(), "a", &url, &sup).await.unwrap();
    let b = office::enrolled(dir.path(), "b", &url, &sup).await.unwrap();
    let forms = komek_core::synth::households(31, 4, today());
    a.capture(&forms[..2], today()).unwrap();
    assert_eq!(sync_now(&a).await.stored, 2);
    sync_now(&b).await;

    // The backup, taken while the registry serves.
    let backup = dir.path().join("backup");
    let (data, to) = (registry.data_dir.clone(), backup.clone());
    tokio::task::spawn_blocking(move || komek_registry::backup::backup(&data, &to))
        .await
        .unwrap()
        .unwrap();
    assert!(komek_registry::backup::backup(&registry.data_dir, &backup).is_err());

    // After it: a third form is stored, but its answer never reaches the
    // device (the device is as it was before that sync).
    a.capture(&forms[2..3], today()).unwrap();
    let snapshot = dir.path().join("a-before-push");
    std::fs::create_dir(&snapshot).unwrap();
    let a = with_closed(a, |path| {
        for f in files(path) {
            if f.exists() {
                std::fs::copy(&f, snapshot.join(f.file_name().unwrap())).unwrap();
            }
        }
    });
    assert_eq!(sync_now(&a).await.stored, 1);
    let a = with_closed(a, |path| {
        for f in files(path) {
            let saved = snapshot.join(f.file_name().unwrap());
            if saved.exists() {
                std::fs::copy(&saved, &f).unwrap();
            } else if f.exists() {
                std::fs::remove_file(&f).unwrap();
            }
        }
    });
    assert_eq!(a.store.outbox_counts().unwrap().pending, 1);
    // And a decision that device b pulls (its cursor moves past it).
    sup.decide(forms[1].id, "approve", None).await.unwrap();
    sync_now(&b).await;
    assert_eq!(
        b.store.case(forms[1].id).unwrap().map(|c| c.status),
        Some(CaseStatus::Approved)
    );

    // The registry is lost and served again from the backup, same address.
    registry.kill();
    let restored = {
        let mut tries = 0;
        loop {
            match komek_registry::start(&backup, addr).await {
                Ok(r) => break r,
                Err(e) if tries < 50 => {
                    tries += 1;
                    eprintln!("address not free yet: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot serve the backup: {e}"),
            }
        }
    };
    let sup = office::login(&url).await.unwrap();
    assert_eq!(
        submissions(&backup.join("registry.sqlite")).len(),
        2,
        "the backup holds what was stored before it"
    );

    // Device a sends the third form again: stored, once.
    let report = sync_now(&a).await;
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!((report.stored, report.duplicates), (1, 0));
    let expected: BTreeMap<Uuid, i64> = forms[..3].iter().map(|h| (h.id, 1)).collect();
    assert_eq!(submissions(&backup.join("registry.sqlite")), expected);

    // A decision made now reaches device b, whose cursor had passed the
    // events the restored registry lost.
    sup.decide(forms[0].id, "review", None).await.unwrap();
    let report = sync_now(&b).await;
    assert!(report.decisions >= 1);
    assert_eq!(
        b.store.case(forms[0].id).unwrap().map(|c| c.status),
        Some(CaseStatus::UnderReview)
    );

    // A new form goes straight through; nothing is sent twice.
    a.capture(&forms[3..4], today()).unwrap();
    let report = sync_now(&a).await;
    assert_eq!((report.stored, report.duplicates), (1, 0));
    let expected: BTreeMap<Uuid, i64> = forms.iter().map(|h| (h.id, 1)).collect();
    assert_eq!(submissions(&backup.join("registry.sqlite")), expected);
    restored.stop().await;
}

/// A fresh schema in the PostgreSQL test database (`KOMEK_TEST_PG`); the
/// base URL, the URL whose connections use the schema, and its name.
fn pg_schema() -> (String, String, String) {
    let base = match std::env::var("KOMEK_TEST_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "KOMEK_TEST_PG is not set: run ./scripts/test.sh, or \
             scripts/pg-test-cluster.sh cargo test -p komek-tests --test restore_backup"
        ),
    };
    let name = format!("t_{}", Uuid::new_v4().simple());
    let mut c = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
    (base, url, name)
}

/// case → stored submissions, read from PostgreSQL.
fn pg_submissions(url: &str) -> BTreeMap<Uuid, i64> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.query(
        "SELECT case_id, count(*) FROM submissions GROUP BY case_id",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect()
}

/// PostgreSQL's `pg_dump`/`pg_restore` (the cluster's own, as
/// `scripts/pg-test-cluster.sh` finds them).
fn pg_tool(name: &str) -> std::process::Command {
    let bin = std::env::var("KOMEK_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into());
    std::process::Command::new(Path::new(&bin).join(name))
}

/// A registry on PostgreSQL restored as docs/deployment.md says (`pg_dump
/// -Fc` while it serves, `pg_restore`, event numbers moved ahead): devices
/// continue exactly once, as after a SQLite restore.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_registry_restored_with_pg_dump_lets_devices_continue_exactly_once() {
    use komek_core::sync::wire::CaseStatus;
    let dir = tempfile::tempdir().unwrap();
    let (base, url_db, schema) = tokio::task::spawn_blocking(pg_schema).await.unwrap();
    let options = komek_registry::ServeOptions {
        database: Some(url_db.clone()),
        ..Default::default()
    };
    let data = dir.path().join("registry");
    let registry = komek_registry::start_with(&data, "127.0.0.1:0".parse().unwrap(), &options)
        .await
        .unwrap();
    let state = registry.state.clone();
    tokio::task::spawn_blocking(move || {
        komek_registry::add_supervisor(&state, office::SUPERVISOR, office::PASSWORD)
    })
    .await
    .unwrap()
    .unwrap();
    let (url, addr) = (registry.url(), registry.addr);
    let sup = office::login(&url).await.unwrap();
    let a = office::enrolled(dir.path(), "a", &url, &sup).await.unwrap();
    let b = office::enrolled(dir.path(), "b", &url, &sup).await.unwrap();
    let forms = komek_core::synth::households(41, 4, today());
    a.capture(&forms[..2], today()).unwrap();
    assert_eq!(sync_now(&a).await.stored, 2);
    sync_now(&b).await;

    // The dump, taken while the registry serves.
    let dump = dir.path().join("komek.dump");
    let out = pg_tool("pg_dump")
        .args(["-Fc", "-n", &schema, "-f"])
        .arg(&dump)
        .arg(&base)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // After it: a form whose answer never reaches its device, and a
    // decision that device b pulls.
    a.capture(&forms[2..3], today()).unwrap();
    let snapshot = dir.path().join("a-before-push");
    std::fs::create_dir(&snapshot).unwrap();
    let a = with_closed(a, |path| {
        for f in files(path) {
            if f.exists() {
                std::fs::copy(&f, snapshot.join(f.file_name().unwrap())).unwrap();
            }
        }
    });
    assert_eq!(sync_now(&a).await.stored, 1);
    let a = with_closed(a, |path| {
        for f in files(path) {
            let saved = snapshot.join(f.file_name().unwrap());
            if saved.exists() {
                std::fs::copy(&saved, &f).unwrap();
            } else if f.exists() {
                std::fs::remove_file(&f).unwrap();
            }
        }
    });
    sup.decide(forms[1].id, "approve", None).await.unwrap();
    sync_now(&b).await;

    // The database is lost; restored from the dump, event numbers moved
    // ahead (docs/deployment.md), and the node served again.
    registry.kill();
    let (base2, dump2, url2) = (base.clone(), dump.clone(), url_db.clone());
    tokio::task::spawn_blocking(move || {
        let mut c = postgres::Client::connect(&base2, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
        let out = pg_tool("pg_restore")
            .args(["--no-owner", "-d", &base2])
            .arg(&dump2)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut c = postgres::Client::connect(&url2, postgres::NoTls).unwrap();
        c.batch_execute(
            "SELECT setval(pg_get_serial_sequence('events', 'seq'),
                           (SELECT COALESCE(max(seq), 0) FROM events) + 4294967296)",
        )
        .unwrap();
    })
    .await
    .unwrap();
    let restored = {
        let mut tries = 0;
        loop {
            match komek_registry::start_with(&data, addr, &options).await {
                Ok(r) => break r,
                Err(e) if tries < 50 => {
                    tries += 1;
                    eprintln!("not up yet: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot serve the restored database: {e}"),
            }
        }
    };
    let sup = office::login(&url).await.unwrap();
    let submissions = |u: String| tokio::task::spawn_blocking(move || pg_submissions(&u));
    assert_eq!(submissions(url_db.clone()).await.unwrap().len(), 2);

    let report = sync_now(&a).await;
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!((report.stored, report.duplicates), (1, 0));
    let expected: BTreeMap<Uuid, i64> = forms[..3].iter().map(|h| (h.id, 1)).collect();
    assert_eq!(submissions(url_db.clone()).await.unwrap(), expected);

    sup.decide(forms[0].id, "review", None).await.unwrap();
    let report = sync_now(&b).await;
    assert!(report.decisions >= 1);
    assert_eq!(
        b.store.case(forms[0].id).unwrap().map(|c| c.status),
        Some(CaseStatus::UnderReview)
    );

    a.capture(&forms[3..4], today()).unwrap();
    let report = sync_now(&a).await;
    assert_eq!((report.stored, report.duplicates), (1, 0));
    let expected: BTreeMap<Uuid, i64> = forms.iter().map(|h| (h.id, 1)).collect();
    assert_eq!(submissions(url_db).await.unwrap(), expected);
    restored.stop().await;
}
