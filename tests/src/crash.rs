//! Crash safety of the device store, shared by the test
//! (`tests/tests/store_crash.rs`, 200 kills) and the soak binary
//! (`soak store-crash N`): a process saving forms is killed with SIGKILL at
//! random moments, over and over. Every save that returned `Ok` before a kill
//! must be there, intact, and the file must always open.
//!
//! The calling binary re-executes itself as the child (`KOMEK_CRASH_CHILD`
//! set; it must call [`child_if_asked`] first thing), which saves and edits
//! forms in a loop and reports each one on stdout: `begin <id> <digest>`
//! before a save and `ok <id>` after it returned `Ok`. Test support: a
//! broken promise panics with the kill it happened after.

use komek_core::crypto::{open_record, seal_record, KeyVault, RecordAad, SecretKey, VaultError};
use komek_core::model::Household;
use komek_core::store::{Role, Store, StoreConfig};
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;
use zeroize::Zeroizing;

const PIN: &str = "482916";

/// A cheap key vault: random keys per alias in a JSON file, so the child and
/// the parent share it. Insecure by design; the store is what is tested.
pub struct FileVault {
    path: PathBuf,
    keys: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl FileVault {
    pub fn open(path: &Path) -> Arc<FileVault> {
        let keys = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Arc::new(FileVault {
            path: path.to_path_buf(),
            keys: Mutex::new(keys),
        })
    }

    fn save(&self, keys: &BTreeMap<String, Vec<u8>>) -> Result<(), VaultError> {
        let fail = |e: std::io::Error| VaultError::Unavailable(e.kind().to_string());
        let json = serde_json::to_vec(keys).map_err(|_| VaultError::Corrupt)?;
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, json).map_err(fail)?;
        std::fs::rename(&tmp, &self.path).map_err(fail)
    }

    fn aad(alias: &str) -> RecordAad<'_> {
        RecordAad {
            table: "test-vault",
            record_id: alias.as_bytes(),
            version: 0,
        }
    }

    fn key(keys: &BTreeMap<String, Vec<u8>>, alias: &str) -> Result<SecretKey, VaultError> {
        let raw = keys
            .get(alias)
            .ok_or_else(|| VaultError::KeyNotFound(alias.into()))?;
        SecretKey::from_bytes(raw).map_err(|_| VaultError::Corrupt)
    }
}

impl KeyVault for FileVault {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut keys = self
            .keys
            .lock()
            .map_err(|_| VaultError::Unavailable("poisoned".into()))?;
        if !keys.contains_key(alias) {
            let fresh = SecretKey::generate().map_err(|_| VaultError::Corrupt)?;
            keys.insert(alias.into(), fresh.expose().to_vec());
            self.save(&keys)?;
        }
        let k = Self::key(&keys, alias)?;
        seal_record(&k, Self::aad(alias), secret).map_err(|_| VaultError::Corrupt)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let keys = self
            .keys
            .lock()
            .map_err(|_| VaultError::Unavailable("poisoned".into()))?;
        let k = Self::key(&keys, alias)?;
        open_record(&k, Self::aad(alias), wrapped).map_err(|_| VaultError::Corrupt)
    }

    fn destroy(&self, alias: &str) -> Result<(), VaultError> {
        let mut keys = self
            .keys
            .lock()
            .map_err(|_| VaultError::Unavailable("poisoned".into()))?;
        if keys.remove(alias).is_some() {
            self.save(&keys)?;
        }
        Ok(())
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

fn content_digest(h: &Household) -> String {
    let json =
        serde_json::to_vec(&(&h.members, &h.incomes, &h.address, h.version)).unwrap_or_default();
    let d = ring::digest::digest(&ring::digest::SHA256, &json);
    d.as_ref()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// In a child process (`KOMEK_CRASH_CHILD` set): save and edit forms until
/// killed, never returning. Elsewhere: nothing.
pub fn child_if_asked() {
    let Ok(dir) = std::env::var("KOMEK_CRASH_CHILD") else {
        return;
    };
    let staff: Uuid = std::env::var("KOMEK_CRASH_STAFF")
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("KOMEK_CRASH_STAFF");
    let seed: u64 = std::env::var("KOMEK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("KOMEK_CRASH_SEED");
    child(Path::new(&dir), staff, seed)
}

fn child(dir: &Path, staff: Uuid, seed: u64) -> ! {
    let vault = FileVault::open(&dir.join("vault.json"));
    let store = Store::open(&dir.join("komek.db"), vault, StoreConfig::default()).expect("open");
    store.unlock(staff, PIN).expect("unlock");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut mine: Vec<Household> = Vec::new();
    let out = std::io::stdout();
    println!("ready");
    let _ = out.lock().flush();
    let mut n = 0u64;
    loop {
        let h = if mine.is_empty() || rng.gen_bool(0.6) {
            let mut h = komek_core::synth::households(seed * 1_000 + n, 1, today()).remove(0);
            h.members.truncate(3);
            let ids: Vec<Uuid> = h.members.iter().map(|m| m.id).collect();
            h.incomes.retain(|i| ids.contains(&i.member_id));
            for m in &mut h.members {
                m.cares_for.retain(|c| ids.contains(c));
            }
            h.documents.clear();
            h
        } else {
            let i = rng.gen_range(0..mine.len());
            let mut h = mine[i].clone();
            h.address = Some(format!("ул. Абая, {}", rng.gen_range(1..1000)));
            h
        };
        n += 1;
        println!("begin {} {}", h.id, content_digest(&h));
        let _ = out.lock().flush();
        store.save_draft(&h).expect("save");
        println!("ok {}", h.id);
        let _ = out.lock().flush();
        match mine.iter_mut().find(|m| m.id == h.id) {
            Some(m) => *m = h,
            None => mine.push(h),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Copy)]
pub struct CrashSummary {
    pub kills: usize,
    pub acknowledged: usize,
    pub households: usize,
}

/// Kill `kills` children at random moments (seeded by `seed`), checking the
/// store after each; `child_args` are the arguments that make this binary
/// reach [`child_if_asked`] (a test binary needs its test's name).
pub fn run(kills: usize, seed: u64, child_args: &[&str]) -> CrashSummary {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let staff = {
        let store =
            Store::open(&dir.path().join("komek.db"), vault, StoreConfig::default()).expect("open");
        store.add_staff(Role::Supervisor, "S", PIN).expect("staff")
    };
    let exe = std::env::current_exe().expect("own path");

    // Per household: the digest of the last acknowledged save, and of a save
    // begun after it (which may or may not have committed before the kill).
    let mut acked: HashMap<Uuid, String> = HashMap::new();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut total_acked = 0usize;
    for kill in 0..kills {
        let mut child = Command::new(&exe)
            .args(child_args)
            .env("KOMEK_CRASH_CHILD", dir.path())
            .env("KOMEK_CRASH_STAFF", staff.to_string())
            .env(
                "KOMEK_CRASH_SEED",
                (seed * 1_000_000 + kill as u64).to_string(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("child stdout");
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait until the child is ready, then let it run a random while.
        loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(l) if l == "ready" => break,
                Ok(_) => {}
                Err(e) => panic!("kill {kill}: child never became ready: {e}"),
            }
        }
        std::thread::sleep(Duration::from_millis(rng.gen_range(1..40)));
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        reader.join().expect("reader");

        let mut in_flight: HashMap<Uuid, String> = HashMap::new();
        for line in rx.try_iter() {
            let mut parts = line.split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("begin"), Some(id), Some(d)) => {
                    in_flight.insert(id.parse().expect("id"), d.to_string());
                }
                (Some("ok"), Some(id), None) => {
                    let id: Uuid = id.parse().expect("id");
                    acked.insert(id, in_flight.remove(&id).expect("begun"));
                    total_acked += 1;
                }
                _ => {}
            }
        }

        // The file opens, and every acknowledged save is there and intact.
        let vault = FileVault::open(&dir.path().join("vault.json"));
        let store = Store::open(&dir.path().join("komek.db"), vault, StoreConfig::default())
            .unwrap_or_else(|e| panic!("kill {kill}: the store did not open: {e}"));
        for (id, digest) in &acked {
            let h = store
                .load_for_sync(*id, 1)
                .unwrap_or_else(|e| panic!("kill {kill}: an acknowledged save is lost: {e}"));
            let got = content_digest(&h);
            let later = in_flight.get(id);
            assert!(
                &got == digest || Some(&got) == later,
                "kill {kill}: household content differs from every acknowledged save"
            );
        }
        for (id, d) in in_flight {
            if let Ok(h) = store.load_for_sync(id, 1) {
                if content_digest(&h) == d {
                    acked.insert(id, d);
                }
            }
        }
    }
    CrashSummary {
        kills,
        acknowledged: total_acked,
        households: acked.len(),
    }
}
