//! Writes `core/tests/fixtures/v1/`: a store database at schema version 1 with
//! data in it, for the migration upgrade test. Run once per schema change that
//! needs a new fixture: `cargo run -p komek-core --example make_v1_fixture`.
//!
//! It builds the store with today's code, then takes it back to the version-1
//! schema (dropping what migration 2 added), so the data is exactly what a
//! version-1 device would hold.

use chrono::NaiveDate;
use komek_core::crypto::SoftwareVault;
use komek_core::store::{Role, Store, StoreConfig};
use std::path::Path;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
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
    let hs = komek_core::synth::households(11, 2, today);
    for h in &hs {
        store.save_draft(h)?;
    }
    store.finalize(hs[0].id, today)?;
    drop(store);

    let conn = rusqlite::Connection::open(out.join("komek.db"))?;
    conn.execute_batch(
        "DROP INDEX outbox_state;
         ALTER TABLE outbox DROP COLUMN sealed;
         PRAGMA user_version = 1;",
    )?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    drop(conn);
    let manifest = serde_json::json!({
        "staff": staff,
        "pin": "1234",
        "passphrase": "fixture passphrase",
        "households": hs.iter().map(|h| h.id).collect::<Vec<_>>(),
        "finalized": hs[0].id,
    });
    std::fs::write(
        out.join("fixture.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
