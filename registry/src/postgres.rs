//! The storage of a registry that outgrows one office: PostgreSQL, shared by
//! several registry nodes.
//!
//! Same semantics as [`crate::sqlite`], which gets them from its single
//! writer; here they come from the database, never from process memory, so
//! any number of nodes may serve the same database:
//! - every write is one transaction; a read-then-write locks what it reads
//!   (`FOR UPDATE`): a push locks its device's row first, so one device's
//!   pushes apply one after the other on any node, and each case row it
//!   moves; a decision locks its case. A transaction that deadlocks, or
//!   (a push) loses a race to insert the same new case or operation id, is
//!   rolled back and run again, and then sees the winner's row;
//! - the exactly-once ledger is the primary key (device, device_seq) and the
//!   unique op id, as in SQLite;
//! - events are appended under a transaction-scoped advisory lock taken just
//!   before the insert, so they commit in `seq` order: a device's pull
//!   cursor never passes an event that commits later with a smaller number.
//!
//! The trait is synchronous (called through `api::blocking`), so this uses
//! the synchronous `postgres` client with an r2d2 pool (ADR 0009). Its
//! clients each own a small tokio runtime: they must not be used, nor
//! dropped, on an async worker thread ([`PostgresStorage`]'s `Drop` moves
//! the pool to a thread of its own).

use crate::secrets::StorageKey;
use crate::storage::{
    case_change, AuditRow, CaseChange, CaseRow, DeviceRecord, IncomingOp, IncomingRecord,
    OpOutcome, RecordRow, Result, Storage, StorageError, StoredEvent,
};
use komek_core::followup::RecordKind;
use komek_core::sync::codes;
use komek_core::sync::wire::CaseStatus;
use postgres::{NoTls, Row, Transaction};
use r2d2_postgres::PostgresConnectionManager;
use std::time::Duration;
use uuid::Uuid;

mod districts;

/// The schema, numbered: entry `i` is version `i + 1`, recorded in
/// `komek_schema`. Append; never edit an entry that has shipped.
const MIGRATIONS: &[&str] = &["
CREATE TABLE devices (
    id UUID PRIMARY KEY,
    public_key BYTEA NOT NULL UNIQUE,
    inbox_key BYTEA NOT NULL,
    label TEXT NOT NULL,
    centre TEXT NOT NULL DEFAULT '',
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    last_seq BIGINT NOT NULL DEFAULT 0,
    enrolled_at BIGINT NOT NULL);
CREATE INDEX devices_enrolled ON devices(enrolled_at);
CREATE TABLE enrolment_codes (
    code_hash BYTEA PRIMARY KEY,
    centre TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by UUID);
-- The exactly-once ledger: one row per (device, device_seq), written in the
-- same transaction as the submission it stands for.
CREATE TABLE ops (
    device_id UUID NOT NULL,
    device_seq BIGINT NOT NULL,
    op_id UUID NOT NULL UNIQUE,
    blob_hash BYTEA NOT NULL,
    outcome TEXT NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    at BIGINT NOT NULL,
    PRIMARY KEY (device_id, device_seq));
CREATE TABLE cases (
    case_id UUID PRIMARY KEY,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    device_id UUID NOT NULL,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL);
CREATE INDEX cases_status ON cases(status, updated_at, case_id);
CREATE INDEX cases_updated ON cases(updated_at, case_id);
CREATE TABLE submissions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id UUID NOT NULL,
    version BIGINT NOT NULL,
    device_id UUID NOT NULL,
    op_id UUID NOT NULL,
    sealed BYTEA NOT NULL,
    flagged BOOLEAN NOT NULL,
    received_at BIGINT NOT NULL);
CREATE INDEX submissions_case ON submissions(case_id, version);
-- The event log devices pull: recipient NULL = every device; centre NULL =
-- not filtered by centre (rule packs, comments).
CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient UUID,
    kind TEXT NOT NULL,
    case_id UUID,
    version BIGINT,
    status TEXT,
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    payload BYTEA,
    centre TEXT);
CREATE TABLE supervisors (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE sessions (token_hash BYTEA PRIMARY KEY, name TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE TABLE audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT);
-- A withdrawn pack is no longer served and its announcement leaves later
-- pull pages; its version stays taken.
CREATE TABLE rule_packs (
    version TEXT PRIMARY KEY, toml BYTEA NOT NULL, signature BYTEA NOT NULL,
    published_by TEXT NOT NULL, published_at BIGINT NOT NULL,
    withdrawn_at BIGINT, withdrawn_by TEXT);
-- Which registry (key file) this database belongs to; one row.
CREATE TABLE registry_identity (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    registry_id UUID NOT NULL);
", "
-- 2 to 5 are SQLite's steps 2 to 5, which schema 1 here already has:
-- the numbers stay aligned with SQLite's so that a step has one number.
", "", "", "", districts::MIGRATION, followup::MIGRATION];

#[path = "postgres_followup.rs"]
mod followup;

/// The exactly-once ledger, as on SQLite (`sqlite.rs`, `mod ledger`): forms
/// and follow-up records share it, so a sequence number is spent once
/// whatever it carried.
mod ledger {
    use super::TxResult;
    use crate::storage::OpOutcome;
    use komek_core::sync::codes;
    use postgres::Transaction;
    use uuid::Uuid;

    /// The answer for an operation the ledger has seen (`None`: new): the
    /// same bytes or the same operation sealed again under a used number is
    /// a duplicate, another operation under it is refused (ADR 0010); an
    /// operation id seen under another number is this device's operation
    /// renumbered after a restore (a duplicate) or another device's
    /// (refused).
    pub(super) fn seen(
        tx: &mut Transaction<'_>,
        device: Uuid,
        seq: i64,
        op_id: Uuid,
        blob_hash: &[u8],
    ) -> TxResult<Option<OpOutcome>> {
        if let Some(row) = tx.query_opt(
            "SELECT blob_hash, op_id, flagged FROM ops WHERE device_id = $1 AND device_seq = $2",
            &[&device, &seq],
        )? {
            let hash: Vec<u8> = row.try_get(0)?;
            let id: Uuid = row.try_get(1)?;
            let flagged: bool = row.try_get(2)?;
            return Ok(Some(if hash == blob_hash || id == op_id {
                OpOutcome::Duplicate { flagged }
            } else {
                OpOutcome::Rejected(codes::SEQ_CONFLICT)
            }));
        }
        if let Some(row) = tx.query_opt(
            "SELECT device_id, flagged FROM ops WHERE op_id = $1",
            &[&op_id],
        )? {
            let by: Uuid = row.try_get(0)?;
            let flagged: bool = row.try_get(1)?;
            return Ok(Some(if by == device {
                OpOutcome::Duplicate { flagged }
            } else {
                OpOutcome::Rejected(codes::SEQ_CONFLICT)
            }));
        }
        Ok(None)
    }

    /// Records a stored operation.
    pub(super) fn stored(
        tx: &mut Transaction<'_>,
        device: Uuid,
        seq: i64,
        op_id: Uuid,
        blob_hash: &[u8],
        flagged: bool,
        now: i64,
    ) -> TxResult<()> {
        tx.execute(
            "INSERT INTO ops (device_id, device_seq, op_id, blob_hash, outcome, flagged, at)
             VALUES ($1, $2, $3, $4, 'stored', $5, $6)",
            &[&device, &seq, &op_id, &blob_hash, &flagged, &now],
        )?;
        Ok(())
    }
}

/// Advisory lock keys (any constants unique to Komek).
const MIGRATION_LOCK: i64 = 0x4b4f_4d45_4b00_0001;
const EVENTS_LOCK: i64 = 0x4b4f_4d45_4b00_0002;
/// A write that deadlocked or lost an insert race is tried again this many
/// times.
const ATTEMPTS: u32 = 20;

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub struct PostgresStorage {
    /// Always `Some` until dropped (see the `Drop` impl).
    pool: Option<Pool>,
    /// Wraps inbox keys on the way in, opens them on the way out (as the
    /// SQLite storage does): the database never holds one in the clear.
    key: StorageKey,
}

/// How the pool connects.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Connections per registry node.
    pub pool_size: u32,
    /// How long a request waits for a free connection (or the database).
    pub connect_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            pool_size: 16,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A failure inside a transaction: the database's (maybe retried) or ours.
enum TxErr {
    Pg(postgres::Error),
    Storage(StorageError),
}

impl From<postgres::Error> for TxErr {
    fn from(e: postgres::Error) -> TxErr {
        TxErr::Pg(e)
    }
}

impl From<StorageError> for TxErr {
    fn from(e: StorageError) -> TxErr {
        TxErr::Storage(e)
    }
}

type TxResult<T> = std::result::Result<T, TxErr>;

impl From<postgres::Error> for StorageError {
    fn from(e: postgres::Error) -> StorageError {
        match e.as_db_error() {
            // The message and code only: PostgreSQL's DETAIL line quotes
            // the values of a violated key.
            Some(db) => StorageError::Backend(format!("{} ({})", db.message(), db.code().code())),
            None if e.is_closed() => StorageError::Unavailable("connection closed".into()),
            None => StorageError::Backend(e.to_string()),
        }
    }
}

impl From<r2d2::Error> for StorageError {
    fn from(e: r2d2::Error) -> StorageError {
        StorageError::Unavailable(e.to_string())
    }
}

impl From<TxErr> for StorageError {
    fn from(e: TxErr) -> StorageError {
        match e {
            TxErr::Pg(e) => e.into(),
            TxErr::Storage(e) => e,
        }
    }
}

/// A conflict with a concurrent transaction: run it again. A unique
/// violation is one only where the caller says so (a push racing another
/// for the same new case or operation id); elsewhere it is a refusal.
fn retryable(e: &postgres::Error, unique_races: bool) -> bool {
    use postgres::error::SqlState;
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE
            || *c == SqlState::T_R_DEADLOCK_DETECTED
            || (unique_races && *c == SqlState::UNIQUE_VIOLATION)
    )
}

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(what.to_string())
}

fn status(s: &str) -> Result<CaseStatus> {
    CaseStatus::parse(s).ok_or_else(|| corrupt("unknown case status"))
}

fn version(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| corrupt("case version out of range"))
}

/// A sequence number as the database holds it: above `i64::MAX` it is
/// refused, never wrapped to a negative number.
fn seq_param(seq: u64, what: &'static str) -> Result<i64> {
    i64::try_from(seq).map_err(|_| StorageError::OutOfRange(what))
}

const CASE_COLUMNS: &str =
    "case_id, status, version, device_id, flagged, updated_at, centre, district";

fn case_row(r: &Row) -> Result<CaseRow> {
    Ok(CaseRow {
        case_id: r.try_get(0).map_err(StorageError::from)?,
        status: status(r.try_get(1).map_err(StorageError::from)?)?,
        version: version(r.try_get(2).map_err(StorageError::from)?)?,
        device_id: r.try_get(3).map_err(StorageError::from)?,
        flagged: r.try_get(4).map_err(StorageError::from)?,
        updated_at: r.try_get(5).map_err(StorageError::from)?,
        centre: r.try_get(6).map_err(StorageError::from)?,
        district: r.try_get(7).map_err(StorageError::from)?,
    })
}

const DEVICE_COLUMNS: &str = "id, public_key, inbox_key, label, revoked, last_seq, centre";

fn device_row(key: &StorageKey, r: &Row) -> Result<DeviceRecord> {
    let last_seq: i64 = r.try_get(5)?;
    let id: Uuid = r.try_get(0)?;
    let wrapped: Vec<u8> = r.try_get(2)?;
    let inbox_key = key
        .unwrap_inbox_key(id, &wrapped)
        .map_err(|_| corrupt("an inbox key does not open under this key file"))?;
    Ok(DeviceRecord {
        id,
        public_key: r.try_get(1)?,
        inbox_key: inbox_key.expose().to_vec(),
        label: r.try_get(3)?,
        revoked: r.try_get(4)?,
        last_seq: u64::try_from(last_seq).map_err(|_| corrupt("negative request sequence"))?,
        centre: r.try_get(6)?,
    })
}

/// Take the events lock: from here to the commit this transaction is the
/// only one appending events, so events become visible in `seq` order.
fn lock_events(tx: &mut Transaction<'_>) -> TxResult<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&EVENTS_LOCK])?;
    Ok(())
}

/// A case's decision, for the devices of the centre of the case's device.
/// The caller holds the events lock.
fn decision_event(tx: &mut Transaction<'_>, case: &CaseRow) -> TxResult<()> {
    tx.execute(
        "INSERT INTO events (recipient, kind, case_id, version, status, flagged, centre)
         VALUES (NULL, 'decision', $1, $2, $3, $4,
                 COALESCE((SELECT centre FROM devices WHERE id = $5), ''))",
        &[
            &case.case_id,
            &i64::from(case.version),
            &case.status.as_str(),
            &case.flagged,
            &case.device_id,
        ],
    )?;
    Ok(())
}

fn audit_entry(
    tx: &mut Transaction<'_>,
    now: i64,
    actor: &str,
    action: &str,
    subject: Option<&str>,
) -> TxResult<()> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, subject) VALUES ($1, $2, $3, $4)",
        &[&now, &actor, &action, &subject],
    )?;
    Ok(())
}

impl PostgresStorage {
    /// Connect to `url` (`postgres://user@host:port/db`, libpq's key=value
    /// form works too) and bring the schema up to date. Blocking: call it
    /// outside an async context (e.g. in `spawn_blocking`).
    /// `key` wraps the secrets it keeps (inbox keys).
    pub fn connect(url: &str, key: StorageKey) -> Result<PostgresStorage> {
        PostgresStorage::connect_with(url, key, &PostgresOptions::default())
    }

    /// [`PostgresStorage::connect`] with pool options.
    pub fn connect_with(
        url: &str,
        key: StorageKey,
        options: &PostgresOptions,
    ) -> Result<PostgresStorage> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|_| StorageError::Other("the database URL cannot be read".into()))?;
        config.connect_timeout(options.connect_timeout);
        config.application_name("komek-registry");
        let manager = PostgresConnectionManager::new(config, NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(options.connect_timeout)
            .build(manager)?;
        let storage = PostgresStorage {
            pool: Some(pool),
            key,
        };
        storage.migrate()?;
        Ok(storage)
    }

    fn pool(&self) -> Result<&Pool> {
        self.pool
            .as_ref()
            .ok_or_else(|| StorageError::Other("storage closed".into()))
    }

    /// Run the migrations not yet recorded, under an advisory lock so that
    /// nodes starting together run each one once.
    fn migrate(&self) -> Result<()> {
        let mut conn = self.pool()?.get()?;
        let mut tx = conn.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS komek_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )?;
        let current: i32 = tx
            .query_one("SELECT COALESCE(max(version), 0) FROM komek_schema", &[])?
            .try_get(0)?;
        let current = usize::try_from(current).map_err(|_| corrupt("schema version"))?;
        if current > MIGRATIONS.len() {
            return Err(StorageError::Conflict(
                "the database was made by a newer registry: upgrade this node",
            ));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
            tx.batch_execute(sql)?;
            let n = i32::try_from(i + 1).map_err(|_| corrupt("schema version"))?;
            tx.execute(
                "INSERT INTO komek_schema (version, applied_at) VALUES ($1, extract(epoch from now())::bigint)",
                &[&n],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<usize> {
        let v: i32 = self.read(|c| {
            Ok(c.query_one("SELECT max(version) FROM komek_schema", &[])?
                .try_get(0)?)
        })?;
        usize::try_from(v).map_err(|_| corrupt("schema version"))
    }

    /// One transaction (read committed, with the row locks its statements
    /// take), tried again when a deadlock with a concurrent one made it
    /// fail; `f` may run several times and must not act outside it.
    fn write<T>(&self, f: impl FnMut(&mut Transaction<'_>) -> TxResult<T>) -> Result<T> {
        self.write_retrying(false, f)
    }

    /// [`Self::write`], also run again after losing an insert race
    /// (`unique_races`).
    fn write_retrying<T>(
        &self,
        unique_races: bool,
        mut f: impl FnMut(&mut Transaction<'_>) -> TxResult<T>,
    ) -> Result<T> {
        let mut conn = self.pool()?.get()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut tx = conn.transaction()?;
            let out = match f(&mut tx) {
                Ok(v) => tx.commit().map(|()| v).map_err(TxErr::Pg),
                Err(e) => Err(e),
            };
            match out {
                Ok(v) => return Ok(v),
                Err(TxErr::Pg(e)) if retryable(&e, unique_races) && attempt < ATTEMPTS => {
                    // Back off a little, more each time, so that colliding
                    // transactions do not collide again at once.
                    std::thread::sleep(Duration::from_micros(
                        200 * u64::from(attempt) + u64::from(rand::random::<u16>() % 500),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn read<T>(&self, f: impl FnOnce(&mut postgres::Client) -> Result<T>) -> Result<T> {
        let mut conn = self.pool()?.get()?;
        f(&mut conn)
    }

    /// One operation inside the batch transaction; the case to announce
    /// when it was stored.
    fn apply_one(
        tx: &mut Transaction<'_>,
        device: Uuid,
        op: &IncomingOp,
        now: i64,
    ) -> TxResult<(OpOutcome, Option<CaseRow>)> {
        let Ok(seq) = seq_param(op.device_seq, "device sequence") else {
            return Ok((OpOutcome::Rejected(codes::OUT_OF_RANGE), None));
        };
        if let Some(outcome) = ledger::seen(tx, device, seq, op.op_id, &op.blob_hash)? {
            return Ok((outcome, None));
        }
        let existing = match tx.query_opt(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = $1 FOR UPDATE"),
            &[&op.case_id],
        )? {
            Some(r) => Some(case_row(&r)?),
            None => None,
        };
        let is_new = existing.is_none();
        let (case, flagged) = match case_change(existing, op, device, now) {
            CaseChange::Store { case, flagged } => (case, flagged),
            CaseChange::Foreign => {
                audit_entry(
                    tx,
                    now,
                    "device",
                    "foreign_version_refused",
                    Some(&format!(
                        "case {} version {} from device {device}",
                        op.case_id, op.version
                    )),
                )?;
                return Ok((OpOutcome::Rejected(codes::NOT_CASE_OWNER), None));
            }
        };
        // A new case is a plain insert: if another push inserted it
        // meanwhile, the unique key fails this one, which runs again and
        // then sees (and locks) that row.
        if is_new {
            // A new case takes its device's centre and that centre's
            // district (neither changes on a later version), read under a
            // share lock on the centre: a concurrent move of the centre
            // (which updates its cases) waits for this push, or this push
            // reads the new district.
            let place = tx.query_opt(
                "SELECT d.centre, c.district FROM devices d JOIN centres c ON c.name = d.centre
                 WHERE d.id = $1 FOR SHARE OF c",
                &[&device],
            )?;
            let (centre, district): (String, String) = match place {
                Some(r) => (r.try_get(0)?, r.try_get(1)?),
                None => (String::new(), String::new()),
            };
            tx.execute(
                "INSERT INTO cases (status, version, device_id, flagged, updated_at, case_id, centre, district)
                 VALUES ($2, $3, $4, $5, $6, $1, $7, $8)",
                &[
                    &case.case_id,
                    &case.status.as_str(),
                    &i64::from(case.version),
                    &case.device_id,
                    &case.flagged,
                    &case.updated_at,
                    &centre,
                    &district,
                ],
            )?;
        } else {
            tx.execute(
                "UPDATE cases SET status = $2, version = $3, device_id = $4, flagged = $5, updated_at = $6
                 WHERE case_id = $1",
                &[
                    &case.case_id,
                    &case.status.as_str(),
                    &i64::from(case.version),
                    &case.device_id,
                    &case.flagged,
                    &case.updated_at,
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO submissions (case_id, version, device_id, op_id, sealed, flagged, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &op.case_id,
                &i64::from(op.version),
                &device,
                &op.op_id,
                &op.blob,
                &flagged,
                &now,
            ],
        )?;
        ledger::stored(tx, device, seq, op.op_id, &op.blob_hash, flagged, now)?;
        Ok((OpOutcome::Stored { flagged }, Some(case)))
    }
}

impl PostgresStorage {
    /// Every operation of a batch, then their events (under the events lock).
    fn apply_all(
        tx: &mut Transaction<'_>,
        device: Uuid,
        ops: &[IncomingOp],
        now: i64,
    ) -> TxResult<Vec<OpOutcome>> {
        let mut out = Vec::with_capacity(ops.len());
        let mut announce = Vec::new();
        for op in ops {
            let (outcome, case) = Self::apply_one(tx, device, op, now)?;
            out.push(outcome);
            announce.extend(case);
        }
        if !announce.is_empty() {
            lock_events(tx)?;
            for case in &announce {
                decision_event(tx, case)?;
            }
        }
        Ok(out)
    }
}

impl Drop for PostgresStorage {
    fn drop(&mut self) {
        // Each client owns a tokio runtime, which must not be dropped on an
        // async worker thread (the registry's state may be dropped there).
        if let Some(pool) = self.pool.take() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        }
    }
}

impl Storage for PostgresStorage {
    fn ping(&self) -> Result<()> {
        self.read(|c| {
            c.query_one("SELECT 1", &[])?;
            Ok(())
        })
    }

    fn claim_registry(&self, registry_id: Uuid) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO registry_identity (registry_id) VALUES ($1) ON CONFLICT DO NOTHING",
                &[&registry_id],
            )?;
            let owner: Uuid = tx
                .query_one("SELECT registry_id FROM registry_identity", &[])?
                .try_get(0)?;
            if owner == registry_id {
                Ok(())
            } else {
                Err(StorageError::Conflict(
                    "this database belongs to a registry with another key file",
                )
                .into())
            }
        })
    }

    fn add_enrolment_code(
        &self,
        code_hash: &[u8; 32],
        centre: &str,
        by: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.write(|tx| {
            districts::ensure_centre(tx, centre)?;
            tx.execute(
                "INSERT INTO enrolment_codes (code_hash, created_by, created_at, expires_at, centre)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&&code_hash[..], &by, &now, &expires_at, &centre],
            )?;
            audit_entry(tx, now, by, "enrolment_code", None)
        })
    }

    fn enrol(&self, code_hash: &[u8; 32], device: &DeviceRecord, now: i64) -> Result<()> {
        let wrapped = self
            .key
            .wrap_inbox_key(device.id, &device.inbox_key)
            .map_err(|e| StorageError::Other(format!("wrapping the inbox key: {e}")))?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE enrolment_codes SET used_by = $1
                 WHERE code_hash = $2 AND used_by IS NULL AND expires_at > $3",
                &[&device.id, &&code_hash[..], &now],
            )?;
            if n != 1 {
                return Err(StorageError::BadCode.into());
            }
            tx.execute(
                "INSERT INTO devices (id, public_key, inbox_key, label, enrolled_at, centre)
                 SELECT $1, $2, $3, $4, $5, centre FROM enrolment_codes WHERE code_hash = $6",
                &[
                    &device.id,
                    &device.public_key,
                    &wrapped,
                    &device.label,
                    &now,
                    &&code_hash[..],
                ],
            )?;
            audit_entry(tx, now, "device", "enrol", Some(&device.id.to_string()))
        })
    }

    fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>> {
        self.read(|c| {
            c.query_opt(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1"),
                &[&id],
            )?
            .as_ref()
            .map(|r| device_row(&self.key, r))
            .transpose()
        })
    }

    fn devices(&self) -> Result<Vec<DeviceRecord>> {
        self.read(|c| {
            c.query(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices ORDER BY enrolled_at, id"),
                &[],
            )?
            .iter()
            .map(|r| device_row(&self.key, r))
            .collect()
        })
    }

    fn last_op_seq(&self, device: Uuid) -> Result<u64> {
        let n: i64 = self.read(|c| {
            Ok(c.query_one(
                "SELECT COALESCE(max(device_seq), 0) FROM ops WHERE device_id = $1",
                &[&device],
            )?
            .try_get(0)?)
        })?;
        u64::try_from(n).map_err(|_| corrupt("negative operation number"))
    }

    fn bump_request_seq(&self, device: Uuid, seq: u64) -> Result<()> {
        let seq = seq_param(seq, "request sequence (komek-seq)")?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE devices SET last_seq = $1 WHERE id = $2 AND last_seq < $1",
                &[&seq, &device],
            )?;
            if n == 1 {
                Ok(())
            } else {
                Err(StorageError::Replayed.into())
            }
        })
    }

    fn revoke(&self, device: Uuid, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE devices SET revoked = TRUE WHERE id = $1",
                &[&device],
            )?;
            if n == 0 {
                return Err(StorageError::NotFound.into());
            }
            audit_entry(tx, now, by, "revoke", Some(&device.to_string()))
        })
    }

    fn apply_batch(&self, device: Uuid, ops: &[IncomingOp], now: i64) -> Result<Vec<OpOutcome>> {
        self.write_retrying(true, |tx| {
            // One device's batches apply one after the other, on any node:
            // its ledger rows are then read and written by one at a time.
            tx.execute("SELECT 1 FROM devices WHERE id = $1 FOR UPDATE", &[&device])?;
            Self::apply_all(tx, device, ops, now)
        })
    }

    fn apply_push(
        &self,
        device: Uuid,
        request_seq: u64,
        ops: &[IncomingOp],
        now: i64,
    ) -> Result<Vec<OpOutcome>> {
        let seq = seq_param(request_seq, "request sequence (komek-seq)")?;
        self.write_retrying(true, |tx| {
            // Spending the sequence number locks the device's row, as
            // apply_batch's lock does.
            let n = tx.execute(
                "UPDATE devices SET last_seq = $1 WHERE id = $2 AND last_seq < $1",
                &[&seq, &device],
            )?;
            if n != 1 {
                return Err(StorageError::Replayed.into());
            }
            Self::apply_all(tx, device, ops, now)
        })
    }

    fn events(
        &self,
        device: Uuid,
        after: i64,
        limit: u32,
    ) -> Result<(Vec<StoredEvent>, i64, bool)> {
        self.read(|c| {
            let rows = c.query(
                "SELECT seq, kind, case_id, version, status, flagged, payload FROM events
                 WHERE seq > $1
                   AND (recipient = $2
                        OR (recipient IS NULL
                            AND (centre IS NULL
                                 OR centre = (SELECT centre FROM devices WHERE id = $2))))
                   AND NOT (kind = 'rule_pack' AND EXISTS (
                        SELECT 1 FROM rule_packs
                        WHERE convert_to(version, 'UTF8') = events.payload
                          AND withdrawn_at IS NOT NULL))
                 ORDER BY seq LIMIT $3",
                &[&after, &device, &(i64::from(limit) + 1)],
            )?;
            let mut events = Vec::with_capacity(rows.len());
            for r in &rows {
                let seq: i64 = r.try_get(0)?;
                let kind: &str = r.try_get(1)?;
                let case_id = || -> Result<Uuid> {
                    r.try_get::<_, Option<Uuid>>(2)?
                        .ok_or_else(|| corrupt("event without case"))
                };
                let event_version = || -> Result<u32> {
                    version(
                        r.try_get::<_, Option<i64>>(3)?
                            .ok_or_else(|| corrupt("event without version"))?,
                    )
                };
                let payload = || -> Result<Vec<u8>> {
                    r.try_get::<_, Option<Vec<u8>>>(6)?
                        .ok_or_else(|| corrupt("event without payload"))
                };
                events.push(match kind {
                    "decision" => StoredEvent::Decision {
                        seq,
                        case_id: case_id()?,
                        version: event_version()?,
                        status: status(
                            r.try_get::<_, Option<&str>>(4)?
                                .ok_or_else(|| corrupt("decision without status"))?,
                        )?,
                        flagged: r.try_get(5)?,
                    },
                    "comment" => StoredEvent::Comment {
                        seq,
                        case_id: case_id()?,
                        version: event_version()?,
                        sealed: payload()?,
                    },
                    _ => StoredEvent::RulePack {
                        seq,
                        version: String::from_utf8_lossy(&payload()?).into_owned(),
                    },
                });
            }
            let more = events.len() > limit as usize;
            events.truncate(limit as usize);
            let cursor = events.last().map_or(after, StoredEvent::seq);
            Ok((events, cursor, more))
        })
    }

    fn cases(&self, filter: Option<CaseStatus>) -> Result<Vec<CaseRow>> {
        self.read(|c| {
            c.query(
                &format!(
                    "SELECT {CASE_COLUMNS} FROM cases WHERE $1::TEXT IS NULL OR status = $1
                     ORDER BY updated_at, case_id"
                ),
                &[&filter.map(CaseStatus::as_str)],
            )?
            .iter()
            .map(case_row)
            .collect()
        })
    }

    fn case(&self, id: Uuid) -> Result<Option<(CaseRow, Vec<u8>)>> {
        self.read(|c| {
            let Some(row) = c.query_opt(
                &format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = $1"),
                &[&id],
            )?
            else {
                return Ok(None);
            };
            let row = case_row(&row)?;
            let sealed: Vec<u8> = c
                .query_one(
                    "SELECT sealed FROM submissions WHERE case_id = $1
                     ORDER BY version DESC, received_at DESC, id DESC LIMIT 1",
                    &[&id],
                )?
                .try_get(0)?;
            Ok(Some((row, sealed)))
        })
    }

    fn supervisor_hash(&self, name: &str) -> Result<Option<String>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT password_hash FROM supervisors WHERE name = $1",
                &[&name],
            )?
            .map(|r| r.try_get(0))
            .transpose()?)
        })
    }

    fn add_session(&self, token_hash: &[u8; 32], name: &str, expires_at: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, name, expires_at) VALUES ($1, $2, $3)",
                &[&&token_hash[..], &name, &expires_at],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &[u8; 32], now: i64) -> Result<Option<String>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT name FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                &[&&token_hash[..], &now],
            )?
            .map(|r| r.try_get(0))
            .transpose()?)
        })
    }

    fn end_session(&self, token_hash: &[u8; 32]) -> Result<Option<String>> {
        self.write(|tx| {
            Ok(tx
                .query_opt(
                    "DELETE FROM sessions WHERE token_hash = $1 RETURNING name",
                    &[&&token_hash[..]],
                )?
                .map(|r| r.try_get(0))
                .transpose()?)
        })
    }

    fn audit(&self, actor: &str, action: &str, subject: Option<&str>, now: i64) -> Result<()> {
        self.write(|tx| audit_entry(tx, now, actor, action, subject))
    }

    fn audit_log(&self) -> Result<Vec<AuditRow>> {
        self.read(|c| {
            c.query(
                "SELECT seq, at, actor, action, subject FROM audit ORDER BY seq",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(AuditRow {
                    seq: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    subject: r.try_get(4)?,
                })
            })
            .collect()
        })
    }

    fn publish_pack(
        &self,
        version: &str,
        toml: &[u8],
        signature: &[u8],
        by: &str,
        now: i64,
    ) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO rule_packs (version, toml, signature, published_by, published_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (version) DO NOTHING",
                &[&version, &toml, &signature, &by, &now],
            )?;
            if n == 0 {
                return Err(StorageError::Conflict(
                    "a pack with this version is already published",
                )
                .into());
            }
            audit_entry(tx, now, by, "publish_rules", Some(version))?;
            lock_events(tx)?;
            tx.execute(
                "INSERT INTO events (recipient, kind, payload) VALUES (NULL, 'rule_pack', $1)",
                &[&version.as_bytes()],
            )?;
            Ok(())
        })
    }

    fn pack(&self, version: &str) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT toml, signature FROM rule_packs WHERE version = $1 AND withdrawn_at IS NULL",
                &[&version],
            )?
            .map(|r| Ok::<_, postgres::Error>((r.try_get(0)?, r.try_get(1)?)))
            .transpose()?)
        })
    }

    fn withdraw_pack(&self, version: &str, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE rule_packs SET withdrawn_at = $1, withdrawn_by = $2
                 WHERE version = $3 AND withdrawn_at IS NULL",
                &[&now, &by, &version],
            )?;
            if n == 0 {
                return Err(StorageError::NotFound.into());
            }
            audit_entry(tx, now, by, "withdraw_rules", Some(version))
        })
    }

    fn counts(&self) -> Result<(u64, u64)> {
        self.read(|c| {
            let r = c.query_one(
                "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM cases)",
                &[],
            )?;
            let (ops, cases): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            Ok((
                u64::try_from(ops).unwrap_or(0),
                u64::try_from(cases).unwrap_or(0),
            ))
        })
    }

    fn apply_records(
        &self,
        device: Uuid,
        records: &[IncomingRecord],
        now: i64,
    ) -> Result<Vec<OpOutcome>> {
        self.write_retrying(true, |tx| {
            // One device's batches apply one after the other (as forms).
            tx.execute("SELECT 1 FROM devices WHERE id = $1 FOR UPDATE", &[&device])?;
            records
                .iter()
                .map(|r| followup::apply_one(tx, device, r, now))
                .collect()
        })
    }

    fn records(&self, kind: Option<RecordKind>, household: Option<Uuid>) -> Result<Vec<RecordRow>> {
        self.read(|c| followup::list(c, kind, household))
    }

    fn record(&self, id: Uuid) -> Result<Option<(RecordRow, Vec<u8>)>> {
        self.read(|c| followup::one(c, id))
    }

    fn approve_plan(&self, id: Uuid, version: u32, by: &str, now: i64) -> Result<RecordRow> {
        self.write(|tx| followup::approve(tx, id, version, by, now))
    }
}
