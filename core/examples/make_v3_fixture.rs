//! Writes `core/tests/fixtures/v3/`: a store database at schema version 3
//! (the schema before follow-up records) with data in it, for the migration
//! upgrade test (`tests/store_migration.rs`).
//!
//! Unlike the v1 fixture, this one was written by the code of schema 3
//! itself: the example was run from a checkout of the commit before
//! migration 4 (main at 68d693d), so the file is exactly what a device in
//! the field holds today:
//!
//! ```text
//! mkdir /tmp/komek-v3 && git archive 68d693d | tar -x -C /tmp/komek-v3
//! cp core/examples/make_v3_fixture.rs /tmp/komek-v3/core/examples/
//! cd /tmp/komek-v3 && CARGO_TARGET_DIR=<this checkout>/target \
//!   cargo run -p komek-core --example make_v3_fixture -- <this checkout>/core/tests/fixtures/v3
//! ```
//!
//! Run from this checkout it writes a schema-4 file: the upgrade test then
//! fails on the version, as it should.

use chrono::NaiveDate;
use komek_core::crypto::SoftwareVault;
use komek_core::store::{Role, Store, StoreConfig};
use std::path::PathBuf;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: make_v3_fixture <output directory>")?;
    std::fs::create_dir_all(&out)?;
    for f in [
        "komek.db",
        "komek.db-wal",
        "komek.db-shm",
        "vault.json",
        "fixture.json",
    ] {
        let _ = std::fs::remove_file(out.join(f));
    }
    let today = NaiveDate::from_ymd_opt(2026, 2, 10).ok_or("date")?;
    let vault = Arc::new(SoftwareVault::open(
        &out.join("vault.json"),
        "fixture passphrase",
    )?);
    let store = Store::open(&out.join("komek.db"), vault, StoreConfig::default())?;
    let staff = store.add_staff(Role::Supervisor, "Fixture supervisor", "1234")?;
    store.unlock(staff, "1234")?;
    let hs = komek_core::synth::households(33, 3, today);
    for h in &hs {
        store.save_draft(h)?;
    }
    store.finalize(hs[0].id, today)?;
    drop(store);

    let conn = rusqlite::Connection::open(out.join("komek.db"))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != 3 {
        return Err(format!(
            "schema {version}, not 3: run this from the commit before migration 4"
        )
        .into());
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    drop(conn);
    let manifest = serde_json::json!({
        "staff": staff,
        "pin": "1234",
        "passphrase": "fixture passphrase",
        "households": hs.iter().map(|h| h.id).collect::<Vec<_>>(),
        "settlements": hs.iter().map(|h| h.location.settlement.clone()).collect::<Vec<_>>(),
        "finalized": hs[0].id,
    });
    std::fs::write(
        out.join("fixture.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
