//! Crash safety: a process saving forms is killed with SIGKILL at random moments,
//! over and over. Every save that returned `Ok` before a kill must be there,
//! intact, and the file must always open.
//!
//! The test binary re-executes itself as the child (`KOMEK_CRASH_CHILD` set),
//! which saves and edits forms in a loop and reports each one on stdout:
//! `begin <id> <digest>` before a save and `ok <id>` after it returned `Ok`.

mod common;

use common::*;
use komek_core::model::Household;
use komek_core::store::{Role, Store, StoreConfig};
use rand::{Rng, SeedableRng};
use ring::digest;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use uuid::Uuid;

const KILLS: usize = 200;

fn content_digest(h: &Household) -> String {
    let json = serde_json::to_vec(&(&h.members, &h.incomes, &h.address, h.version)).unwrap();
    let d = digest::digest(&digest::SHA256, &json);
    d.as_ref()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The child: save new households and edit earlier ones until killed.
fn child(dir: &Path, staff: Uuid, seed: u64) -> ! {
    let vault = FileVault::open(&dir.join("vault.json"));
    let store = Store::open(&dir.join("komek.db"), vault, StoreConfig::default()).unwrap();
    store.unlock(staff, PIN).unwrap();
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
        store.save_draft(&h).unwrap();
        println!("ok {}", h.id);
        let _ = out.lock().flush();
        match mine.iter_mut().find(|m| m.id == h.id) {
            Some(m) => *m = h,
            None => mine.push(h),
        }
    }
}

#[test]
fn acknowledged_saves_survive_sigkill() {
    if let Ok(dir) = std::env::var("KOMEK_CRASH_CHILD") {
        let staff: Uuid = std::env::var("KOMEK_CRASH_STAFF").unwrap().parse().unwrap();
        let seed: u64 = std::env::var("KOMEK_CRASH_SEED").unwrap().parse().unwrap();
        child(Path::new(&dir), staff, seed);
    }

    let dir = tempfile::tempdir().unwrap();
    let vault = FileVault::open(&dir.path().join("vault.json"));
    let staff = {
        let store =
            Store::open(&dir.path().join("komek.db"), vault, StoreConfig::default()).unwrap();
        store.add_staff(Role::Supervisor, "S", PIN).unwrap()
    };

    // Per household: the digest of the last acknowledged save, and of a save
    // begun after it (which may or may not have committed before the kill).
    let mut acked: HashMap<Uuid, String> = HashMap::new();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut total_acked = 0usize;
    for kill in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "acknowledged_saves_survive_sigkill",
                "--nocapture",
            ])
            .env("KOMEK_CRASH_CHILD", dir.path())
            .env("KOMEK_CRASH_STAFF", staff.to_string())
            .env("KOMEK_CRASH_SEED", kill.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
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
                Err(e) => panic!("child never became ready: {e}"),
            }
        }
        std::thread::sleep(Duration::from_millis(rng.gen_range(1..40)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();

        let mut in_flight: HashMap<Uuid, String> = HashMap::new();
        for line in rx.try_iter() {
            let mut parts = line.split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("begin"), Some(id), Some(d)) => {
                    in_flight.insert(id.parse().unwrap(), d.to_string());
                }
                (Some("ok"), Some(id), None) => {
                    let id: Uuid = id.parse().unwrap();
                    acked.insert(id, in_flight.remove(&id).unwrap());
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
    assert!(
        total_acked >= KILLS,
        "the children saved too little to test anything"
    );
    println!(
        "{KILLS} kills, {total_acked} acknowledged saves, {} households",
        acked.len()
    );
}
