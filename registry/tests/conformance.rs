//! One conformance suite for every [`Storage`] backend: the same tests,
//! instantiated once per backend (as matrix-rust-sdk does for its stores).
//!
//! The tests are in `conformance/suite.rs`, each a function taking a fresh,
//! empty storage. SQLite runs on a temporary file; PostgreSQL on a schema of
//! its own in the database named by `KOMEK_TEST_PG` (a `postgres://` URL;
//! `scripts/test.sh` starts a throwaway cluster and sets it, or run
//! `scripts/pg-test-cluster.sh cargo test -p komek-registry --test
//! conformance`). Without it the PostgreSQL tests fail, saying so: they are
//! never skipped.

#[path = "conformance/suite.rs"]
mod suite;

use komek_registry::secrets::StorageKey;
use komek_registry::{PostgresStorage, SqliteStorage, Storage};
use std::sync::Arc;

/// A storage under test and what must outlive it (its directory, its
/// schema). Fields drop in order: the storage first.
pub struct Opened {
    pub storage: Arc<dyn Storage>,
    _guard: Box<dyn std::any::Any>,
}

/// The key inbox keys are wrapped under (the registry derives it from its
/// key file).
fn test_key() -> StorageKey {
    StorageKey::derive(&[42; 32]).expect("storage key")
}

fn sqlite() -> Opened {
    let dir = tempfile::tempdir().expect("temporary directory");
    let storage =
        SqliteStorage::open(&dir.path().join("registry.sqlite"), test_key()).expect("open SQLite");
    Opened {
        storage: Arc::new(storage),
        _guard: Box::new(dir),
    }
}

/// A schema of its own, dropped after the test.
pub struct Schema {
    url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = ::postgres::Client::connect(&self.url, ::postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The URL of the test database, or a failure that says how to get one.
pub fn test_database_url() -> String {
    match std::env::var("KOMEK_TEST_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "KOMEK_TEST_PG is not set: the PostgreSQL storage tests need a database. \
             Run ./scripts/test.sh, or scripts/pg-test-cluster.sh cargo test -p komek-registry"
        ),
    }
}

/// `url` with its connections' search path set to `schema`.
pub fn url_with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

/// A fresh, empty schema in the test database; its URL.
pub fn fresh_schema() -> (String, Schema) {
    let url = test_database_url();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to KOMEK_TEST_PG: {e}"));
    c.batch_execute(&format!("CREATE SCHEMA {name}"))
        .expect("create schema");
    (url_with_schema(&url, &name), Schema { url, name })
}

fn postgres() -> Opened {
    let (url, schema) = fresh_schema();
    let storage = PostgresStorage::connect(&url, test_key()).expect("connect to PostgreSQL");
    Opened {
        storage: Arc::new(storage),
        _guard: Box::new(schema),
    }
}

macro_rules! conformance_tests {
    ($backend:ident, [$($test:ident),* $(,)?]) => {
        mod $backend {
            $(
                #[test]
                fn $test() {
                    let opened = super::$backend();
                    super::suite::$test(&opened.storage);
                }
            )*
        }
    };
}

macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        conformance_tests!(sqlite, [$($test),*]);
        conformance_tests!(postgres, [$($test),*]);
    };
}

on_every_backend!(
    registry_identity,
    enrolment,
    request_sequence_numbers,
    exactly_once_push,
    push_spends_its_sequence_number_with_its_forms,
    corrections_and_flags,
    pull_pages_and_cursors,
    case_transitions,
    sessions_and_supervisors,
    audit_log,
    rule_packs,
    centres,
    revocation,
    concurrent_pushes_store_each_form_once,
    case_ownership_and_number_ranges,
    sessions_end_on_logout_and_new_password,
    withdrawn_packs,
    followup_records,
    districts_and_scoped_cases,
    supervisor_scopes,
    paged_lists,
    scoped_devices,
);

/// PostgreSQL only: nodes starting together migrate once, and a database
/// reopened runs nothing twice.
#[test]
fn postgres_migrations_run_once_across_nodes() {
    let (url, _schema) = fresh_schema();
    let nodes: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                PostgresStorage::connect(&url, test_key()).map(|s| s.schema_version())
            })
        })
        .collect();
    let versions: Vec<usize> = nodes
        .into_iter()
        .map(|n| {
            n.join()
                .expect("node thread")
                .expect("connect")
                .expect("version")
        })
        .collect();
    assert!(versions.iter().all(|v| *v == versions[0] && *v >= 1));
    let again = PostgresStorage::connect(&url, test_key()).expect("reconnect");
    assert_eq!(again.schema_version().expect("version"), versions[0]);
}

/// PostgreSQL only: the database never holds an inbox key in the clear
/// (wrapped under the storage key, as in SQLite: registry/tests/at_rest.rs).
#[test]
fn postgres_inbox_keys_are_wrapped_at_rest() {
    let (url, _schema) = fresh_schema();
    let storage = PostgresStorage::connect(&url, test_key()).expect("connect");
    storage
        .add_enrolment_code(&[1; 32], "", "sup", 0, i64::MAX)
        .expect("code");
    let device = komek_registry::storage::DeviceRecord {
        id: uuid::Uuid::from_bytes([1; 16]),
        public_key: vec![1; 32],
        inbox_key: vec![0xab; 32],
        label: String::new(),
        centre: String::new(),
        revoked: false,
        last_seq: 0,
    };
    storage.enrol(&[1; 32], &device, 1).expect("enrol");
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).expect("connect");
    let stored: Vec<u8> = c
        .query_one("SELECT inbox_key FROM devices", &[])
        .expect("row")
        .get(0);
    assert!(!stored.windows(32).any(|w| w == [0xab; 32]));
    assert_eq!(
        storage
            .device(device.id)
            .expect("read")
            .expect("device")
            .inbox_key,
        vec![0xab; 32]
    );
    // Another key file's storage key cannot open it.
    let other = PostgresStorage::connect(&url, StorageKey::derive(&[1; 32]).expect("key"))
        .expect("connect");
    assert!(other.device(device.id).is_err());
}

/// PostgreSQL only: a database at schema 1 (before districts, saved in
/// `conformance/pg_schema_1.sql`) with a supervisor, a device of centre
/// North, a code for centre West and a case, upgrades: every centre is in
/// the default district, the supervisor is national and still sees the
/// case, which has its device's centre; placing North in a district takes
/// the case along (as `a_database_of_schema_5_upgrades_into_the_default_district`
/// on SQLite).
#[test]
fn postgres_schema_1_upgrades_into_the_default_district() {
    use komek_core::sync::wire::CaseStatus;
    use komek_registry::scope::{CaseQuery, Scope, ScopedStorage};
    use komek_registry::storage::Decision;
    let (url, _schema) = fresh_schema();
    let dev = uuid::Uuid::from_bytes([1; 16]);
    let case = uuid::Uuid::from_bytes([9; 16]);
    {
        let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).expect("connect");
        c.batch_execute(include_str!("conformance/pg_schema_1.sql"))
            .expect("schema 1");
        c.batch_execute(
            "CREATE TABLE komek_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);
             INSERT INTO komek_schema VALUES (1, 0);
             INSERT INTO supervisors (name, password_hash, created_at) VALUES ('aigerim', 'h', 0);
             INSERT INTO enrolment_codes (code_hash, centre, created_by, created_at, expires_at)
                 VALUES ('\\x07', 'West', 'sup', 0, 10);",
        )
        .expect("old rows");
        let wrapped = test_key().wrap_inbox_key(dev, &[3; 32]).expect("wrap");
        c.execute(
            "INSERT INTO devices (id, public_key, inbox_key, label, centre, enrolled_at)
             VALUES ($1, $2, $3, 'tablet', 'North', 0)",
            &[&dev, &vec![1u8; 32], &wrapped],
        )
        .expect("device");
        c.execute(
            "INSERT INTO cases (case_id, status, version, device_id, flagged, updated_at)
             VALUES ($1, 'received', 1, $2, FALSE, 5)",
            &[&case, &dev],
        )
        .expect("case");
        c.execute(
            "INSERT INTO submissions (case_id, version, device_id, op_id, sealed, flagged, received_at)
             VALUES ($1, 1, $2, $1, '\\x01', FALSE, 5)",
            &[&case, &dev],
        )
        .expect("submission");
    }
    let storage = PostgresStorage::connect(&url, test_key()).expect("upgrade");
    // 6 is districts, 7 the follow-up records.
    assert_eq!(storage.schema_version().expect("version"), 7);
    assert_eq!(storage.districts().expect("districts"), [""]);
    let centres: Vec<(String, String)> = storage
        .centres()
        .expect("centres")
        .into_iter()
        .map(|c| (c.name, c.district))
        .collect();
    let pair = |a: &str| (a.to_string(), String::new());
    assert_eq!(centres, [pair(""), pair("North"), pair("West")]);
    assert_eq!(
        storage.supervisor_scope("aigerim").expect("scope"),
        Some(Scope::National)
    );
    let (row, _) = storage.case(case).expect("read").expect("case");
    assert_eq!((row.centre.as_str(), row.district.as_str()), ("North", ""));
    let all = CaseQuery {
        status: None,
        after: None,
        limit: 10,
    };
    assert_eq!(
        storage
            .case_page(&Scope::National, &all)
            .expect("page")
            .cases
            .len(),
        1
    );
    storage
        .add_district("Abai", "registry", 6)
        .expect("district");
    storage
        .put_centre("North", "Abai", "registry", 6)
        .expect("place");
    let abai = Scope::District("Abai".into());
    assert_eq!(storage.case_page(&abai, &all).expect("page").cases.len(), 1);
    storage
        .decide_in(
            &abai,
            &Decision {
                case_id: case,
                version: 1,
                to: CaseStatus::Approved,
                sealed_comment: None,
                supervisor: "aigerim".into(),
            },
            7,
        )
        .expect("decide");
}
