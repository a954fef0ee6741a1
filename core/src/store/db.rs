//! The SQLite connection: WAL, full sync, secure delete, numbered migrations.
//!
//! One writer connection (the store is used from one app process); every write
//! goes through [`write`], which commits when the closure returns `Ok` and rolls
//! back otherwise, so nothing is ever half-stored.

use super::error::Result;
use rusqlite::{Connection, Transaction};
use std::path::Path;

/// Migration `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
     CREATE TABLE staff (
        id BLOB PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('field', 'supervisor')),
        name_sealed BLOB NOT NULL,
        pin BLOB NOT NULL,
        failed INTEGER NOT NULL DEFAULT 0,
        retry_after INTEGER NOT NULL DEFAULT 0,
        locked_out INTEGER NOT NULL DEFAULT 0);
     CREATE TABLE household_keys (household_id BLOB PRIMARY KEY, wrapped BLOB NOT NULL);
     CREATE TABLE households (
        household_id BLOB NOT NULL REFERENCES household_keys(household_id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
        sealed BLOB NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (household_id, version));
     CREATE TABLE iin_index (
        blind BLOB NOT NULL,
        household_id BLOB NOT NULL REFERENCES household_keys(household_id) ON DELETE CASCADE);
     CREATE INDEX iin_index_blind ON iin_index(blind);
     CREATE TABLE outbox (
        device_seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id BLOB NOT NULL UNIQUE,
        entity TEXT NOT NULL,
        entity_id BLOB NOT NULL,
        version INTEGER NOT NULL,
        base_version INTEGER,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT);
     CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        staff_id BLOB,
        household_id BLOB,
        action TEXT NOT NULL,
        mac BLOB NOT NULL);",
    // 2: the sync client stores the exact sealed bytes of each operation once,
    // and finds pending operations in order without a scan.
    "ALTER TABLE outbox ADD COLUMN sealed BLOB;
     CREATE INDEX outbox_state ON outbox(state, device_seq);",
    // 3: sync with the registry: the device's identity (sealed), counters, the
    // registry's case decisions and comments, received rule packs; when each
    // operation was acknowledged (retention) and whether it was flagged.
    "CREATE TABLE sync_identity (id INTEGER PRIMARY KEY CHECK (id = 1), sealed BLOB NOT NULL);
     CREATE TABLE sync_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
     CREATE TABLE cases (
        case_id BLOB PRIMARY KEY,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0,
        event_seq INTEGER NOT NULL);
     CREATE TABLE case_comments (
        event_seq INTEGER PRIMARY KEY,
        case_id BLOB NOT NULL REFERENCES household_keys(household_id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        sealed BLOB NOT NULL);
     CREATE TABLE rule_packs (
        version TEXT PRIMARY KEY,
        toml BLOB NOT NULL,
        signature BLOB NOT NULL,
        received_at INTEGER NOT NULL);
     ALTER TABLE outbox ADD COLUMN acked_at INTEGER;
     ALTER TABLE outbox ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;",
    // 4: after the intake (docs/case-follow-up.md): integration plans,
    // referrals, visits and exits, each sealed under its household's key and
    // deleted with it; and the blind index of each household's settlement,
    // so a visit list opens only that settlement's households.
    "CREATE TABLE followup (
        record_id BLOB NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('plan', 'referral', 'visit', 'exit')),
        household_id BLOB NOT NULL REFERENCES household_keys(household_id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
        sealed BLOB NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (record_id, version));
     CREATE INDEX followup_household ON followup(household_id, kind);
     CREATE TABLE household_places (
        household_id BLOB PRIMARY KEY REFERENCES household_keys(household_id) ON DELETE CASCADE,
        settlement BLOB);
     CREATE INDEX household_places_settlement ON household_places(settlement);",
];

/// Open (or create) the database at `path` and bring it to the latest schema.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrate(&conn)?;
    Ok(conn)
}

/// Apply every migration above the file's `user_version`, each in its own
/// transaction with the version bump.
pub fn migrate(conn: &Connection) -> Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Run `f` in a write transaction: committed on `Ok`, rolled back on `Err`.
pub fn write<T>(conn: &mut Connection, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn step_by_step_equals_fresh() {
        let a = Connection::open_in_memory().unwrap();
        migrate(&a).unwrap();
        let b = Connection::open_in_memory().unwrap();
        b.execute_batch(MIGRATIONS[0]).unwrap();
        b.pragma_update(None, "user_version", 1).unwrap();
        migrate(&b).unwrap();
        assert_eq!(schema(&a), schema(&b));
        let v: usize = b
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len());
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&c).unwrap();
        let r: Result<()> = write(&mut c, |tx| {
            tx.execute("INSERT INTO meta (key, value) VALUES ('a', x'01')", [])?;
            Err(super::super::error::StoreError::NotFound)
        });
        assert!(r.is_err());
        let n: i64 = c
            .query_row("SELECT count(*) FROM meta", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
