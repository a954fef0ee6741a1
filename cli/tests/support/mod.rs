//! A district office for the `registry`, `supervisor` and `bundle` tests: a
//! registry on loopback in this process (its own runtime), its supervisor,
//! and field devices whose stores are real files with the passphrase vault,
//! so the `komek` binary can open them as a field laptop would.
#![allow(dead_code)]

use chrono::NaiveDate;
use komek_core::crypto::SoftwareVault;
use komek_core::store::{Role, Store, StoreConfig};
use komek_core::sync::{self, CancelToken, SyncConfig, SyncReport};
use komek_registry::client::SupervisorClient;
use komek_registry::storage::{AuditRow, CaseRow};
use komek_registry::RunningRegistry;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const SUPERVISOR: &str = komek_tests::office::SUPERVISOR;
pub const PASSWORD: &str = komek_tests::office::PASSWORD;
pub const PASSPHRASE: &str = "steppe wind over the aul";
pub const PIN: &str = "482916";

/// `komek` with a clean environment (no language, no session, no secrets).
pub fn komek() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("komek"));
    for var in [
        "KOMEK_LANG",
        "KOMEK_TOKEN",
        "KOMEK_PASSWORD",
        "KOMEK_SUPERVISOR",
        "KOMEK_REGISTRY",
        "KOMEK_PASSPHRASE",
    ] {
        cmd.env_remove(var);
    }
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

pub struct Office {
    pub rt: tokio::runtime::Runtime,
    pub registry: RunningRegistry,
    pub sup: SupervisorClient,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Office {
    pub fn start() -> Office {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (registry, sup) = rt.block_on(komek_tests::office::open(dir.path())).unwrap();
        let url = registry.url();
        Office {
            rt,
            registry,
            sup,
            url,
            dir,
        }
    }

    /// `komek` logged in as the office's supervisor (through the environment).
    pub fn komek(&self) -> assert_cmd::Command {
        let mut cmd = komek();
        cmd.env("KOMEK_REGISTRY", &self.url)
            .env("KOMEK_SUPERVISOR", SUPERVISOR)
            .env("KOMEK_PASSWORD", PASSWORD);
        cmd
    }

    /// (stored form versions, cases).
    pub fn counts(&self) -> (u64, u64) {
        self.registry.state.storage.counts().unwrap()
    }

    pub fn cases(&self) -> Vec<CaseRow> {
        self.registry.state.storage.cases(None).unwrap()
    }

    pub fn audit(&self) -> Vec<AuditRow> {
        self.registry.state.storage.audit_log().unwrap()
    }

    /// Audit actions by the supervisor, in order.
    pub fn supervisor_actions(&self) -> Vec<String> {
        self.audit()
            .into_iter()
            .filter(|a| a.actor == SUPERVISOR)
            .map(|a| a.action)
            .collect()
    }

    pub fn code(&self) -> String {
        self.rt.block_on(self.sup.enrolment_code()).unwrap()
    }
}

/// A field laptop's store: a SQLite file with its passphrase vault beside it.
pub struct FieldDevice {
    pub path: PathBuf,
    pub worker: uuid::Uuid,
}

impl FieldDevice {
    /// A new store in the office's directory, enrolled, with `n` synthetic
    /// households captured and finalized.
    pub fn enrolled(office: &Office, name: &str, n: usize, seed: u64) -> FieldDevice {
        let path = office.dir.path().join(format!("{name}.sqlite"));
        let mut device = FieldDevice {
            path,
            worker: uuid::Uuid::nil(),
        };
        let store = device.open();
        let boss = store
            .add_staff(Role::Supervisor, "Supervisor", PIN)
            .unwrap();
        store.unlock(boss, PIN).unwrap();
        device.worker = store.add_staff(Role::Field, "Field worker", PIN).unwrap();
        store.unlock(device.worker, PIN).unwrap();
        let code = office.code();
        office
            .rt
            .block_on(sync::enrol(&store, &office.url, &code, name))
            .unwrap();
        device.capture(&store, n, seed);
        device
    }

    pub fn capture(&self, store: &Store, n: usize, seed: u64) {
        for h in komek_core::synth::households(seed, n, today()) {
            store.save_draft(&h).unwrap();
            store.finalize(h.id, today()).unwrap();
        }
    }

    /// Open the store (locked) as the CLI does.
    pub fn open(&self) -> Store {
        let vault = SoftwareVault::open(&vault_path(&self.path), PASSPHRASE).unwrap();
        Store::open(&self.path, Arc::new(vault), StoreConfig::default()).unwrap()
    }

    /// Open, unlock the field worker (for capturing more forms).
    pub fn open_unlocked(&self) -> Store {
        let store = self.open();
        store.unlock(self.worker, PIN).unwrap();
        store
    }

    pub fn sync(&self, office: &Office) -> SyncReport {
        let store = self.open();
        office
            .rt
            .block_on(sync::sync(
                &store,
                &SyncConfig::default(),
                None,
                &CancelToken::new(),
            ))
            .unwrap()
    }

    /// `komek` with this device's passphrase.
    pub fn komek(&self) -> assert_cmd::Command {
        let mut cmd = komek();
        cmd.env("KOMEK_PASSPHRASE", PASSPHRASE);
        cmd
    }
}

pub fn vault_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".vault");
    PathBuf::from(name)
}
