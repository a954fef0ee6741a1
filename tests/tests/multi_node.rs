//! Several registry nodes on one PostgreSQL database: two node processes,
//! devices whose syncs land on either (a load balancer's view), one node
//! killed with SIGKILL in the middle of pushes and restarted, again and
//! again. At the end every finalized form is stored exactly once and each
//! device holds every decision: exactly-once lives in the database's unique
//! keys and transactions, not in a node's memory.
//!
//! Needs `KOMEK_TEST_PG` (a `postgres://` URL; `scripts/test.sh` starts a
//! throwaway cluster and sets it); without it this test fails, saying so.

use chrono::NaiveDate;
use komek_core::sync::wire::CaseStatus;
use komek_core::sync::{self, CancelToken, SyncConfig};
use komek_tests::link::{LinkProfile, LinkProxy};
use komek_tests::office;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

const ROUNDS: usize = 18;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A fresh schema in the test database; the URL whose connections use it.
fn fresh_schema() -> (String, String) {
    let base = match std::env::var("KOMEK_TEST_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "KOMEK_TEST_PG is not set: the multi-node test needs PostgreSQL. \
             Run ./scripts/test.sh, or scripts/pg-test-cluster.sh cargo test -p komek-tests --test multi_node"
        ),
    };
    let name = format!("t_{}", Uuid::new_v4().simple());
    let mut c = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to KOMEK_TEST_PG: {e}"));
    c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    (
        format!("{base}{sep}options=-c%20search_path%3D{name}"),
        name,
    )
}

/// A registry node process.
struct Node {
    child: Child,
    addr: SocketAddr,
    data: PathBuf,
}

impl Node {
    fn spawn(data: &Path, url: &str, listen: &str) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_registry_node"))
            .arg(data)
            .arg(url)
            .arg(listen)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("node did not start: {line:?}"))
            .parse()
            .unwrap();
        Node {
            child,
            addr,
            data: data.to_path_buf(),
        }
    }

    /// SIGKILL: no destructors, open transactions die with the connection.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// The same node again, on the same address.
    fn restart(&mut self, url: &str) {
        *self = Node::spawn(&self.data, url, &self.addr.to_string());
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (case, version) → stored submissions, read from the database.
fn submissions(url: &str) -> BTreeMap<(Uuid, u32), i64> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.query(
        "SELECT case_id, version, count(*) FROM submissions GROUP BY case_id, version",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| {
        let version: i64 = r.get(1);
        ((r.get(0), u32::try_from(version).unwrap()), r.get(2))
    })
    .collect()
}

#[test]
fn two_nodes_one_killed_mid_push_every_form_once() {
    // The blocking PostgreSQL client stays outside the async runtime.
    let (url, schema) = fresh_schema();
    let dir = tempfile::tempdir().unwrap();
    let (data_a, data_b) = (dir.path().join("node-a"), dir.path().join("node-b"));
    // The first node's key file, copied to the second: one registry.
    {
        let state = komek_registry::open_state_on(&data_a, Some(&url), Vec::new()).unwrap();
        komek_registry::add_supervisor(&state, office::SUPERVISOR, office::PASSWORD).unwrap();
        std::fs::create_dir_all(&data_b).unwrap();
        std::fs::copy(
            data_a.join("registry-keys.json"),
            data_b.join("registry-keys.json"),
        )
        .unwrap();
    }
    // A node with another key file is refused by the database.
    let refused =
        komek_registry::open_state_on(&dir.path().join("stranger"), Some(&url), Vec::new());
    assert!(refused.is_err(), "a node with another key file was let in");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let expected = runtime.block_on(run(dir.path(), &url, &data_a, &data_b));
    let stored = submissions(&url);
    assert_eq!(stored, expected, "every finalized form exactly once");
    eprintln!("{} forms stored once each (schema {schema})", stored.len());
}

/// The rounds; what the devices finalized.
async fn run(dir: &Path, url: &str, data_a: &Path, data_b: &Path) -> BTreeMap<(Uuid, u32), i64> {
    let url = url.to_string();
    let mut nodes = [
        Node::spawn(data_a, &url, "127.0.0.1:0"),
        Node::spawn(data_b, &url, "127.0.0.1:0"),
    ];
    // The devices reach "the registry" through one address (the load
    // balancer); it sends each sync to one node or the other.
    let proxy = LinkProxy::start(nodes[0].addr, LinkProfile::LAN, None).unwrap();
    let lb = format!("http://{}", proxy.addr());
    let sup = office::login(&nodes[1].url()).await.unwrap();
    let mut devices = Vec::new();
    for name in ["a", "b"] {
        proxy.set_upstream(nodes[devices.len()].addr);
        devices.push(office::enrolled(dir, name, &lb, &sup).await.unwrap());
    }
    let config = SyncConfig {
        max_attempts: 1,
        timeout: Duration::from_secs(5),
        batch_ops: 3,
        ..SyncConfig::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let mut pool = komek_core::synth::households(314, 200, today()).into_iter();
    let mut expected: BTreeMap<(Uuid, u32), i64> = BTreeMap::new();
    let (mut kills, mut failed) = (0, 0);

    for round in 0..ROUNDS {
        let d = &devices[round % 2];
        for h in pool.by_ref().take(rng.gen_range(3..9)) {
            d.capture(std::slice::from_ref(&h), today()).unwrap();
            expected.insert((h.id, 1), 1);
        }
        let target = rng.gen_range(0..2);
        proxy.set_upstream(nodes[target].addr);
        let result = if round % 3 == 2 {
            // Kill the node serving this sync a moment into it, and bring
            // it back; the sync fails or finishes, either is fine.
            let delay = Duration::from_millis(rng.gen_range(0..40));
            let cancel = CancelToken::new();
            let syncing = sync::sync(&d.store, &config, None, &cancel);
            let killer = async {
                tokio::time::sleep(delay).await;
                nodes[target].kill();
            };
            let (result, ()) = tokio::join!(syncing, killer);
            kills += 1;
            let (n, u) = (&mut nodes[target], url.clone());
            n.restart(&u);
            result
        } else {
            sync::sync(&d.store, &config, None, &CancelToken::new()).await
        };
        match result {
            Ok(r) => assert!(r.rejected.is_empty(), "{:?}", r.rejected),
            Err(e) => {
                assert!(e.is_transient(), "round {round}: {e}");
                failed += 1;
            }
        }
        // A supervisor on the other node decides on what has arrived.
        if round % 6 == 5 {
            let sup = office::login(&nodes[1 - target].url()).await.unwrap();
            for case in sup.cases(Some(CaseStatus::Received)).await.unwrap() {
                sup.decide(case.case_id, "approve", None).await.unwrap();
            }
        }
    }

    // Everything left goes through, each device through both nodes; the
    // second round pulls what the other device pushed in the first.
    for node in [0, 1] {
        for (i, d) in devices.iter().enumerate() {
            proxy.set_upstream(nodes[(i + node) % 2].addr);
            sync::sync(&d.store, &config, None, &CancelToken::new())
                .await
                .unwrap();
        }
    }
    for d in &devices {
        let counts = d.store.outbox_counts().unwrap();
        assert_eq!((counts.pending, counts.rejected), (0, 0));
    }
    let sup = office::login(&nodes[0].url()).await.unwrap();
    let registry_view: BTreeMap<Uuid, (u32, CaseStatus)> = sup
        .cases(None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.case_id, (c.version, c.status)))
        .collect();
    assert_eq!(registry_view.len(), expected.len());
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
    eprintln!(
        "{ROUNDS} rounds: {kills} kills, {failed} syncs cut, {} forms",
        expected.len()
    );
    assert!(kills >= 6, "the kills did not happen");
    expected
}
