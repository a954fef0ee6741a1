//! The embedded storage: one SQLite file (WAL, `synchronous=FULL`), one
//! writer, and a few read-only connections beside it.
//!
//! So that one command runs a registry with nothing to install. A district
//! office's load (tens of devices, thousands of forms a day) is far below what
//! one SQLite writer sustains (see docs/benchmarks.md); a region or the
//! country runs several nodes on PostgreSQL ([`crate::postgres`],
//! docs/deployment.md).

use crate::secrets::StorageKey;
use crate::storage::{
    case_change, AuditRow, CaseChange, CaseRow, DeviceRecord, IncomingOp, IncomingRecord,
    OpOutcome, RecordRow, Result, Storage, StorageError, StoredEvent,
};
use komek_core::followup::RecordKind;
use komek_core::sync::codes;
use komek_core::sync::wire::CaseStatus;
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use uuid::Uuid;

mod backup;
mod districts;
mod group;

pub use backup::EVENT_NUMBER_GAP;

/// The schema, numbered by position: entry `i` brings `user_version` to
/// `i + 1`. Append a new entry; never edit one that has shipped (a registry
/// that ran it will not run it again).
const MIGRATIONS: &[&str] = &["
CREATE TABLE devices (
    id BLOB PRIMARY KEY,
    public_key BLOB NOT NULL UNIQUE,
    inbox_key BLOB NOT NULL,
    label TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    enrolled_at INTEGER NOT NULL);
CREATE TABLE enrolment_codes (
    code_hash BLOB PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by BLOB);
-- The exactly-once ledger: one row per (device, device_seq), written in the
-- same transaction as the submission it stands for.
CREATE TABLE ops (
    device_id BLOB NOT NULL,
    device_seq INTEGER NOT NULL,
    op_id BLOB NOT NULL UNIQUE,
    blob_hash BLOB NOT NULL,
    outcome TEXT NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL,
    PRIMARY KEY (device_id, device_seq));
CREATE TABLE cases (
    case_id BLOB PRIMARY KEY,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    device_id BLOB NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL);
CREATE INDEX cases_status ON cases(status);
CREATE TABLE submissions (
    case_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    device_id BLOB NOT NULL,
    op_id BLOB NOT NULL,
    sealed BLOB NOT NULL,
    flagged INTEGER NOT NULL,
    received_at INTEGER NOT NULL);
CREATE INDEX submissions_case ON submissions(case_id, version);
-- The event log devices pull: recipient NULL = every device.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient BLOB,
    kind TEXT NOT NULL,
    case_id BLOB,
    version INTEGER,
    status TEXT,
    flagged INTEGER NOT NULL DEFAULT 0,
    payload BLOB);
CREATE TABLE supervisors (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE sessions (token_hash BLOB PRIMARY KEY, name TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT);
CREATE TABLE rule_packs (version TEXT PRIMARY KEY, toml BLOB NOT NULL, signature BLOB NOT NULL, published_by TEXT NOT NULL, published_at INTEGER NOT NULL);
", "
-- 2: centres (teams). A code names the centre its device joins; devices
-- enrolled before are in the default centre ''. A decision event carries
-- the centre of the case's device and reaches only that centre's devices;
-- centre NULL (rule packs, comments) is not filtered by centre. The
-- decisions already logged were visible to every device, all of them in
-- the default centre: they get ''.
ALTER TABLE enrolment_codes ADD COLUMN centre TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN centre TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN centre TEXT;
UPDATE events SET centre = '' WHERE kind = 'decision';
", "
-- 3: a supervisor may withdraw a rule pack: it is no longer served and its
-- announcement leaves later pull pages; the version stays taken.
ALTER TABLE rule_packs ADD COLUMN withdrawn_at INTEGER;
ALTER TABLE rule_packs ADD COLUMN withdrawn_by TEXT;
", "
-- 4: inbox keys wrapped at rest (crate::secrets). Rows written before are
-- plaintext (0); SqliteStorage::open wraps them under the registry's storage
-- key in one transaction and sets 1. New rows are written wrapped.
ALTER TABLE devices ADD COLUMN inbox_key_wrapped INTEGER NOT NULL DEFAULT 0;
", "
-- 5: which registry (key file) this database belongs to; one row.
CREATE TABLE registry_identity (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    registry_id BLOB NOT NULL);
", districts::MIGRATION, followup::MIGRATION];

#[path = "sqlite_followup.rs"]
mod followup;

/// The exactly-once ledger: one row per stored operation, keyed by (device,
/// device sequence) and by operation id, written in the transaction of what
/// it stands for. Forms and follow-up records share it, so a sequence number
/// is spent once whatever it carried.
mod ledger {
    use crate::storage::{OpOutcome, Result};
    use komek_core::sync::codes;
    use rusqlite::{params, Connection, OptionalExtension};
    use uuid::Uuid;

    /// The answer for an operation the ledger has seen (`None`: new). Only
    /// stored operations enter the ledger (refusals store nothing), so a
    /// number seen again is a duplicate when it carries the same bytes or
    /// the same operation sealed again (a device restored from a backup
    /// that had not sealed it yet), and another operation under a used
    /// number is refused (a restored device renumbers it, ADR 0010). An
    /// operation id seen under another number is this device's operation
    /// renumbered after a restore (a duplicate), or another device's
    /// (refused).
    pub(super) fn seen(
        tx: &Connection,
        device: Uuid,
        device_seq: i64,
        op_id: Uuid,
        blob_hash: &[u8],
    ) -> Result<Option<OpOutcome>> {
        let seen: Option<(Vec<u8>, Vec<u8>, bool)> = tx
            .query_row(
                "SELECT blob_hash, op_id, flagged FROM ops WHERE device_id = ?1 AND device_seq = ?2",
                params![device.as_bytes(), device_seq],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((hash, id, flagged)) = seen {
            return Ok(Some(if hash == blob_hash || id == op_id.as_bytes() {
                OpOutcome::Duplicate { flagged }
            } else {
                OpOutcome::Rejected(codes::SEQ_CONFLICT)
            }));
        }
        let taken_by: Option<(Vec<u8>, bool)> = tx
            .query_row(
                "SELECT device_id, flagged FROM ops WHERE op_id = ?1",
                [op_id.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(taken_by.map(|(by, flagged)| {
            if by == device.as_bytes() {
                OpOutcome::Duplicate { flagged }
            } else {
                OpOutcome::Rejected(codes::SEQ_CONFLICT)
            }
        }))
    }

    /// Records a stored operation.
    pub(super) fn stored(
        tx: &Connection,
        device: Uuid,
        device_seq: i64,
        op_id: Uuid,
        blob_hash: &[u8],
        flagged: bool,
        now: i64,
    ) -> Result<()> {
        tx.execute(
            "INSERT INTO ops (device_id, device_seq, op_id, blob_hash, outcome, flagged, at)
             VALUES (?1, ?2, ?3, ?4, 'stored', ?5, ?6)",
            params![
                device.as_bytes(),
                device_seq,
                op_id.as_bytes(),
                blob_hash,
                flagged,
                now
            ],
        )?;
        Ok(())
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> StorageError {
        use rusqlite::Error as E;
        match e {
            E::FromSqlConversionFailure(..)
            | E::IntegralValueOutOfRange(..)
            | E::InvalidColumnType(..) => StorageError::Corrupt(e.to_string()),
            E::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::DatabaseBusy
                        | rusqlite::ErrorCode::DatabaseLocked
                        | rusqlite::ErrorCode::SystemIoFailure
                ) =>
            {
                StorageError::Unavailable(e.to_string())
            }
            // SQLite's messages name columns and constraints, not values.
            _ => StorageError::Backend(e.to_string()),
        }
    }
}

/// Read-only connections beside the writer: reads (the device lookup of
/// every request, pull pages, case lists) run on a WAL snapshot of their
/// own and never wait behind a commit's fsync.
const READERS: usize = 4;

pub struct SqliteStorage {
    /// The one writer; every write transaction takes it.
    conn: Mutex<Connection>,
    /// Pushes waiting for the writer, committed together ([`group`]).
    pushes: group::PushQueue,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Wraps inbox keys on the way in, opens them on the way out: code
    /// above the storage never sees a wrapped key.
    key: StorageKey,
}

fn uuid(b: Vec<u8>) -> rusqlite::Result<Uuid> {
    Uuid::from_slice(&b).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })
}

fn status(s: String) -> rusqlite::Result<CaseStatus> {
    CaseStatus::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            "unknown case status".into(),
        )
    })
}

const CASE_COLUMNS: &str =
    "case_id, status, version, device_id, flagged, updated_at, centre, district";

fn case_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        case_id: uuid(r.get(0)?)?,
        status: status(r.get(1)?)?,
        version: r.get(2)?,
        device_id: uuid(r.get(3)?)?,
        flagged: r.get(4)?,
        updated_at: r.get(5)?,
        centre: r.get(6)?,
        district: r.get(7)?,
    })
}

const DEVICE_COLUMNS: &str = "id, public_key, inbox_key, label, revoked, last_seq, centre";

fn device_row(key: &StorageKey, r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRecord> {
    let id = uuid(r.get(0)?)?;
    let wrapped: Vec<u8> = r.get(2)?;
    let inbox_key = key.unwrap_inbox_key(id, &wrapped).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Blob, Box::new(e))
    })?;
    Ok(DeviceRecord {
        id,
        public_key: r.get(1)?,
        inbox_key: inbox_key.expose().to_vec(),
        label: r.get(3)?,
        revoked: r.get(4)?,
        last_seq: u64::try_from(r.get::<_, i64>(5)?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                5,
                rusqlite::types::Type::Integer,
                Box::new(e),
            )
        })?,
        centre: r.get(6)?,
    })
}

/// A sequence number as the database holds it: above `i64::MAX` it is
/// refused, never wrapped to a negative number.
fn seq_i64(seq: u64, what: &'static str) -> Result<i64> {
    i64::try_from(seq).map_err(|_| StorageError::OutOfRange(what))
}

/// A case's decision, for the devices of the centre of the case's device.
fn decision_event(tx: &Connection, case: &CaseRow) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO events (recipient, kind, case_id, version, status, flagged, centre)
         VALUES (NULL, 'decision', ?1, ?2, ?3, ?4,
                 COALESCE((SELECT centre FROM devices WHERE id = ?5), ''))",
        params![
            case.case_id.as_bytes(),
            case.version,
            case.status.as_str(),
            case.flagged,
            case.device_id.as_bytes()
        ],
    )?;
    Ok(())
}

/// Wrap the inbox keys stored in the clear by a registry before schema 3.
fn wrap_plaintext_inbox_keys(conn: &Connection, key: &StorageKey) -> Result<usize> {
    let tx = conn.unchecked_transaction()?;
    let plain: Vec<(Vec<u8>, zeroize::Zeroizing<Vec<u8>>)> = {
        let mut stmt =
            tx.prepare("SELECT id, inbox_key FROM devices WHERE inbox_key_wrapped = 0")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, zeroize::Zeroizing::new(r.get(1)?))))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, inbox_key) in &plain {
        let device = uuid(id.clone())?;
        let wrapped = key
            .wrap_inbox_key(device, inbox_key)
            .map_err(|e| StorageError::Other(format!("wrapping an inbox key: {e}")))?;
        tx.execute(
            "UPDATE devices SET inbox_key = ?1, inbox_key_wrapped = 1 WHERE id = ?2",
            params![wrapped, id],
        )?;
    }
    tx.commit()?;
    Ok(plain.len())
}

impl SqliteStorage {
    /// Open (or create) the database at `path`, bringing its schema up to
    /// date; `key` wraps the secrets it keeps (inbox keys).
    pub fn open(path: &Path, key: StorageKey) -> Result<SqliteStorage> {
        // Made 0600 before SQLite opens it: SQLite gives the `-wal` and
        // `-shm` files the database file's mode.
        crate::secrets::create_private_file(path)
            .map_err(|e| StorageError::Other(format!("database file: {e}")))?;
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let current: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        let wrapped = wrap_plaintext_inbox_keys(&conn, &key)?;
        if wrapped > 0 {
            // Rewrite the file so no free page keeps the old plaintext.
            conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
            log::info!("wrapped {wrapped} inbox keys stored in the clear by an older registry");
        }
        // WAL files left by an older registry (or a looser umask) are tightened.
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            crate::secrets::private_file(Path::new(&side))
                .map_err(|e| StorageError::Other(format!("database file: {e}")))?;
        }
        let readers = (0..READERS)
            .map(|_| {
                let r = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                r.busy_timeout(std::time::Duration::from_secs(10))?;
                Ok(Mutex::new(r))
            })
            .collect::<Result<_>>()?;
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
            pushes: group::PushQueue::default(),
            readers,
            next_reader: AtomicUsize::new(0),
            key,
        })
    }

    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| StorageError::Other("storage lock poisoned".into()))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A read on one of the reader connections: the first free one from a
    /// rotating start, else wait for that one.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let n = self.readers.len();
        for i in 0..n {
            if let Ok(conn) = self.readers[(start + i) % n].try_lock() {
                return f(&conn);
            }
        }
        let conn = self.readers[start % n]
            .lock()
            .map_err(|_| StorageError::Other("storage lock poisoned".into()))?;
        f(&conn)
    }

    /// Spend request sequence number `seq` of `device` inside `tx`.
    fn bump_in(tx: &Connection, device: Uuid, seq: u64) -> Result<()> {
        let seq = seq_i64(seq, "request sequence (komek-seq)")?;
        let n = tx.execute(
            "UPDATE devices SET last_seq = ?1 WHERE id = ?2 AND last_seq < ?1",
            params![seq, device.as_bytes()],
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(StorageError::Replayed)
        }
    }

    /// One operation inside the batch transaction.
    fn apply_one(tx: &Connection, device: Uuid, op: &IncomingOp, now: i64) -> Result<OpOutcome> {
        let Ok(device_seq) = seq_i64(op.device_seq, "device sequence") else {
            return Ok(OpOutcome::Rejected(codes::OUT_OF_RANGE));
        };
        if let Some(outcome) = ledger::seen(tx, device, device_seq, op.op_id, &op.blob_hash)? {
            return Ok(outcome);
        }
        let existing: Option<CaseRow> = tx
            .query_row(
                &format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ?1"),
                [op.case_id.as_bytes()],
                case_row,
            )
            .optional()?;
        let (case, flagged) = match case_change(existing, op, device, now) {
            CaseChange::Store { case, flagged } => (case, flagged),
            CaseChange::Foreign => {
                tx.execute(
                    "INSERT INTO audit (at, actor, action, subject) VALUES (?1, 'device', 'foreign_version_refused', ?2)",
                    params![now, format!("case {} version {} from device {device}", op.case_id, op.version)],
                )?;
                return Ok(OpOutcome::Rejected(codes::NOT_CASE_OWNER));
            }
        };
        // A new case takes its device's centre and that centre's district;
        // neither changes on a later version.
        tx.execute(
            "INSERT INTO cases (case_id, status, version, device_id, flagged, updated_at, centre, district)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, d.centre, COALESCE(c.district, '')
             FROM devices d LEFT JOIN centres c ON c.name = d.centre WHERE d.id = ?4
             ON CONFLICT(case_id) DO UPDATE SET status = excluded.status, version = excluded.version,
               device_id = excluded.device_id, flagged = excluded.flagged, updated_at = excluded.updated_at",
            params![
                case.case_id.as_bytes(),
                case.status.as_str(),
                case.version,
                case.device_id.as_bytes(),
                case.flagged,
                case.updated_at
            ],
        )?;
        tx.execute(
            "INSERT INTO submissions (case_id, version, device_id, op_id, sealed, flagged, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                op.case_id.as_bytes(),
                op.version,
                device.as_bytes(),
                op.op_id.as_bytes(),
                op.blob,
                flagged,
                now
            ],
        )?;
        ledger::stored(
            tx,
            device,
            device_seq,
            op.op_id,
            &op.blob_hash,
            flagged,
            now,
        )?;
        decision_event(tx, &case)?;
        Ok(OpOutcome::Stored { flagged })
    }
}

impl Storage for SqliteStorage {
    fn ping(&self) -> Result<()> {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    fn claim_registry(&self, registry_id: Uuid) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO registry_identity (one, registry_id) VALUES (1, ?1)",
                [registry_id.as_bytes()],
            )?;
            let owner = tx.query_row("SELECT registry_id FROM registry_identity", [], |r| {
                uuid(r.get(0)?)
            })?;
            if owner == registry_id {
                Ok(())
            } else {
                Err(StorageError::Conflict(
                    "this database belongs to a registry with another key file",
                ))
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
                "INSERT INTO enrolment_codes (code_hash, created_by, created_at, expires_at, centre) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![&code_hash[..], by, now, expires_at, centre],
            )?;
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, 'enrolment_code', NULL)",
                params![now, by],
            )?;
            Ok(())
        })
    }

    fn enrol(&self, code_hash: &[u8; 32], device: &DeviceRecord, now: i64) -> Result<()> {
        let wrapped = self
            .key
            .wrap_inbox_key(device.id, &device.inbox_key)
            .map_err(|e| StorageError::Other(format!("wrapping the inbox key: {e}")))?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE enrolment_codes SET used_by = ?1
                 WHERE code_hash = ?2 AND used_by IS NULL AND expires_at > ?3",
                params![device.id.as_bytes(), &code_hash[..], now],
            )?;
            if n != 1 {
                return Err(StorageError::BadCode);
            }
            tx.execute(
                "INSERT INTO devices (id, public_key, inbox_key, label, enrolled_at, centre, inbox_key_wrapped)
                 SELECT ?1, ?2, ?3, ?4, ?5, centre, 1 FROM enrolment_codes WHERE code_hash = ?6",
                params![
                    device.id.as_bytes(),
                    device.public_key,
                    wrapped,
                    device.label,
                    now,
                    &code_hash[..]
                ],
            )?;
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, 'device', 'enrol', ?2)",
                params![now, device.id.to_string()],
            )?;
            Ok(())
        })
    }

    fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"),
                [id.as_bytes()],
                |r| device_row(&self.key, r),
            )
            .optional()?)
        })
    }

    fn devices(&self) -> Result<Vec<DeviceRecord>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {DEVICE_COLUMNS} FROM devices ORDER BY enrolled_at"
            ))?;
            let rows = stmt.query_map([], |r| device_row(&self.key, r))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn last_op_seq(&self, device: Uuid) -> Result<u64> {
        self.read(|c| {
            let max: i64 = c.query_row(
                "SELECT COALESCE(MAX(device_seq), 0) FROM ops WHERE device_id = ?1",
                [device.as_bytes()],
                |r| r.get(0),
            )?;
            Ok(u64::try_from(max).unwrap_or(0))
        })
    }

    fn bump_request_seq(&self, device: Uuid, seq: u64) -> Result<()> {
        self.write(|tx| Self::bump_in(tx, device, seq))
    }

    fn revoke(&self, device: Uuid, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE devices SET revoked = 1 WHERE id = ?1",
                [device.as_bytes()],
            )?;
            if n == 0 {
                return Err(StorageError::NotFound);
            }
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, 'revoke', ?3)",
                params![now, by, device.to_string()],
            )?;
            Ok(())
        })
    }

    fn apply_batch(&self, device: Uuid, ops: &[IncomingOp], now: i64) -> Result<Vec<OpOutcome>> {
        self.write(|tx| {
            let mut out = Vec::with_capacity(ops.len());
            // A storage failure fails the whole request (rolled back, answered
            // 500): the device retries; it must never read it as a refusal.
            for op in ops {
                out.push(Self::apply_one(tx, device, op, now)?);
            }
            Ok(out)
        })
    }

    fn apply_push(
        &self,
        device: Uuid,
        request_seq: u64,
        ops: &[IncomingOp],
        now: i64,
    ) -> Result<Vec<OpOutcome>> {
        self.push_grouped(device, request_seq, ops, now)
    }

    fn events(
        &self,
        device: Uuid,
        after: i64,
        limit: u32,
    ) -> Result<(Vec<StoredEvent>, i64, bool)> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT seq, kind, case_id, version, status, flagged, payload FROM events
                 WHERE seq > ?1
                   AND (recipient = ?2
                        OR (recipient IS NULL
                            AND (centre IS NULL
                                 OR centre = (SELECT centre FROM devices WHERE id = ?2))))
                   AND NOT (kind = 'rule_pack' AND EXISTS (
                        SELECT 1 FROM rule_packs
                        WHERE CAST(version AS BLOB) = events.payload AND withdrawn_at IS NOT NULL))
                 ORDER BY seq LIMIT ?3",
            )?;
            let rows = stmt.query_map(
                params![after, device.as_bytes(), i64::from(limit) + 1],
                |r| {
                    let seq: i64 = r.get(0)?;
                    let kind: String = r.get(1)?;
                    Ok(match kind.as_str() {
                        "decision" => StoredEvent::Decision {
                            seq,
                            case_id: uuid(r.get(2)?)?,
                            version: r.get(3)?,
                            status: status(r.get(4)?)?,
                            flagged: r.get(5)?,
                        },
                        "comment" => StoredEvent::Comment {
                            seq,
                            case_id: uuid(r.get(2)?)?,
                            version: r.get(3)?,
                            sealed: r.get(6)?,
                        },
                        _ => StoredEvent::RulePack {
                            seq,
                            version: String::from_utf8_lossy(&r.get::<_, Vec<u8>>(6)?).into_owned(),
                        },
                    })
                },
            )?;
            let mut events: Vec<StoredEvent> = rows.collect::<rusqlite::Result<_>>()?;
            let more = events.len() > limit as usize;
            events.truncate(limit as usize);
            let cursor = events.last().map_or(after, StoredEvent::seq);
            Ok((events, cursor, more))
        })
    }

    fn cases(&self, filter: Option<CaseStatus>) -> Result<Vec<CaseRow>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {CASE_COLUMNS} FROM cases WHERE ?1 IS NULL OR status = ?1 ORDER BY updated_at, case_id"
            ))?;
            let rows = stmt.query_map([filter.map(CaseStatus::as_str)], case_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn case(&self, id: Uuid) -> Result<Option<(CaseRow, Vec<u8>)>> {
        self.read(|c| {
            let Some(row) = c
                .query_row(
                    &format!("SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ?1"),
                    [id.as_bytes()],
                    case_row,
                )
                .optional()?
            else {
                return Ok(None);
            };
            let sealed: Vec<u8> = c.query_row(
                "SELECT sealed FROM submissions WHERE case_id = ?1 ORDER BY version DESC, received_at DESC LIMIT 1",
                [id.as_bytes()],
                |r| r.get(0),
            )?;
            Ok(Some((row, sealed)))
        })
    }

    fn supervisor_hash(&self, name: &str) -> Result<Option<String>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT password_hash FROM supervisors WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn add_session(&self, token_hash: &[u8; 32], name: &str, expires_at: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, name, expires_at) VALUES (?1, ?2, ?3)",
                params![&token_hash[..], name, expires_at],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &[u8; 32], now: i64) -> Result<Option<String>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT name FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
                params![&token_hash[..], now],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn end_session(&self, token_hash: &[u8; 32]) -> Result<Option<String>> {
        self.write(|tx| {
            let name: Option<String> = tx
                .query_row(
                    "SELECT name FROM sessions WHERE token_hash = ?1",
                    [&token_hash[..]],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [&token_hash[..]],
            )?;
            Ok(name)
        })
    }

    fn audit(&self, actor: &str, action: &str, subject: Option<&str>, now: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, ?3, ?4)",
                params![now, actor, action, subject],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self) -> Result<Vec<AuditRow>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT seq, at, actor, action, subject FROM audit ORDER BY seq")?;
            let rows = stmt.query_map([], |r| {
                Ok(AuditRow {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    subject: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
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
                "INSERT OR IGNORE INTO rule_packs (version, toml, signature, published_by, published_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![version, toml, signature, by, now],
            )?;
            if n == 0 {
                return Err(StorageError::Conflict("a pack with this version is already published"));
            }
            tx.execute(
                "INSERT INTO events (recipient, kind, payload) VALUES (NULL, 'rule_pack', ?1)",
                [version.as_bytes()],
            )?;
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, 'publish_rules', ?3)",
                params![now, by, version],
            )?;
            Ok(())
        })
    }

    fn pack(&self, version: &str) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT toml, signature FROM rule_packs WHERE version = ?1 AND withdrawn_at IS NULL",
                [version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
    }

    fn withdraw_pack(&self, version: &str, by: &str, now: i64) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE rule_packs SET withdrawn_at = ?1, withdrawn_by = ?2
                 WHERE version = ?3 AND withdrawn_at IS NULL",
                params![now, by, version],
            )?;
            if n == 0 {
                return Err(StorageError::NotFound);
            }
            tx.execute(
                "INSERT INTO audit (at, actor, action, subject) VALUES (?1, ?2, 'withdraw_rules', ?3)",
                params![now, by, version],
            )?;
            Ok(())
        })
    }

    fn counts(&self) -> Result<(u64, u64)> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM cases)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }

    fn apply_records(
        &self,
        device: Uuid,
        records: &[IncomingRecord],
        now: i64,
    ) -> Result<Vec<OpOutcome>> {
        self.write(|tx| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{CaseQuery, Scope, ScopedStorage};
    use crate::storage::Decision;

    /// A database of schema 5 (before districts), with a supervisor, a
    /// device of centre North, a code for centre West and a case, opens
    /// under schema 6: every centre is in the default district, the
    /// supervisor is national and still sees the case, the case has its
    /// device's centre; placing North in a district takes the case along.
    #[test]
    fn a_database_of_schema_5_upgrades_into_the_default_district() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.sqlite");
        let case = Uuid::from_bytes([9; 16]);
        let dev = Uuid::from_bytes([1; 16]);
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..5] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 5).unwrap();
            let wrapped = test_key().wrap_inbox_key(dev, &[3; 32]).unwrap();
            conn.execute(
                "INSERT INTO devices (id, public_key, inbox_key, label, enrolled_at, centre, inbox_key_wrapped)
                 VALUES (?1, ?2, ?3, 'tablet', 0, 'North', 1)",
                params![dev.as_bytes(), vec![1u8; 32], wrapped],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO enrolment_codes (code_hash, created_by, created_at, expires_at, centre)
                 VALUES (?1, 'sup', 0, 10, 'West')",
                [vec![7u8; 32]],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO supervisors (name, password_hash, created_at) VALUES ('aigerim', 'h', 0)",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO cases (case_id, status, version, device_id, flagged, updated_at)
                 VALUES (?1, 'received', 1, ?2, 0, 5)",
                params![case.as_bytes(), dev.as_bytes()],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO submissions (case_id, version, device_id, op_id, sealed, flagged, received_at)
                 VALUES (?1, 1, ?2, ?1, x'01', 0, 5)",
                params![case.as_bytes(), dev.as_bytes()],
            )
            .unwrap();
        }
        let storage = SqliteStorage::open(&path, test_key()).unwrap();
        assert_eq!(storage.districts().unwrap(), [""]);
        let centres: Vec<(String, String)> = storage
            .centres()
            .unwrap()
            .into_iter()
            .map(|c| (c.name, c.district))
            .collect();
        assert_eq!(
            centres,
            [
                ("".to_string(), "".to_string()),
                ("North".into(), "".into()),
                ("West".into(), "".into())
            ]
        );
        assert_eq!(
            storage.supervisor_scope("aigerim").unwrap(),
            Some(Scope::National)
        );
        let (row, _) = storage.case(case).unwrap().unwrap();
        assert_eq!((row.centre.as_str(), row.district.as_str()), ("North", ""));
        let all = CaseQuery {
            status: None,
            after: None,
            limit: 10,
        };
        let national = storage.case_page(&Scope::National, &all).unwrap();
        assert_eq!(national.cases.len(), 1);
        storage.add_district("Abai", "registry", 6).unwrap();
        storage.put_centre("North", "Abai", "registry", 6).unwrap();
        let abai = Scope::District("Abai".into());
        assert_eq!(storage.case_page(&abai, &all).unwrap().cases.len(), 1);
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
            .unwrap();
    }

    fn device(id: u8, centre: &str) -> DeviceRecord {
        DeviceRecord {
            id: Uuid::from_bytes([id; 16]),
            public_key: vec![id; 32],
            inbox_key: vec![id; 32],
            label: format!("tablet {id}"),
            centre: centre.to_string(),
            revoked: false,
            last_seq: 0,
        }
    }

    fn test_key() -> StorageKey {
        StorageKey::derive(&[42; 32]).unwrap()
    }

    fn seqs(events: &[StoredEvent]) -> Vec<(&'static str, i64)> {
        events
            .iter()
            .map(|e| match e {
                StoredEvent::Decision { seq, .. } => ("decision", *seq),
                StoredEvent::Comment { seq, .. } => ("comment", *seq),
                StoredEvent::RulePack { seq, .. } => ("rule_pack", *seq),
                StoredEvent::Unknown { seq } => ("unknown", *seq),
            })
            .collect()
    }

    /// A database made by the schema before centres (migration 1 only),
    /// with a device, a decision and a rule pack, opens under the current
    /// schema: the device is in the default centre and still sees both.
    #[test]
    fn a_database_of_schema_1_upgrades_into_the_default_centre() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.sqlite");
        let mut old = device(1, "ignored");
        old.inbox_key = vec![0xA5; 32];
        let case = Uuid::from_bytes([9; 16]);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO devices (id, public_key, inbox_key, label, enrolled_at) VALUES (?1, ?2, ?3, ?4, 0)",
                params![old.id.as_bytes(), old.public_key, old.inbox_key, old.label],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO events (recipient, kind, case_id, version, status, flagged)
                 VALUES (NULL, 'decision', ?1, 1, 'received', 0)",
                [case.as_bytes()],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO events (recipient, kind, payload) VALUES (NULL, 'rule_pack', ?1)",
                [b"kz-2026.1".as_slice()],
            )
            .unwrap();
        }
        let storage = SqliteStorage::open(&path, test_key()).unwrap();
        let version: usize = storage
            .read(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let devices = storage.devices().unwrap();
        assert_eq!(devices.len(), 1);
        assert_eq!(devices[0].id, old.id);
        assert_eq!(devices[0].centre, "");
        // The inbox key stored in the clear is wrapped now, and opens to
        // the same key; the file no longer holds it.
        assert_eq!(devices[0].inbox_key, old.inbox_key);
        let stored: Vec<u8> = storage
            .read(|c| Ok(c.query_row("SELECT inbox_key FROM devices", [], |r| r.get(0))?))
            .unwrap();
        assert_ne!(stored, old.inbox_key);
        assert!(test_key().unwrap_inbox_key(old.id, &stored).is_ok());
        // Nor do free pages of the file keep the old plaintext.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(dir.path().join("registry.sqlite-wal")).unwrap_or_default());
        assert!(!bytes.windows(32).any(|w| w == [0xA5; 32]));
        let (events, cursor, more) = storage.events(old.id, 0, 100).unwrap();
        assert_eq!(seqs(&events), [("decision", 1), ("rule_pack", 2)]);
        assert_eq!((cursor, more), (2, false));
        // A device enrolled now with a default-centre code sees the old
        // decision too; one of another centre sees only the pack.
        storage
            .add_enrolment_code(&[1; 32], "", "sup", 0, i64::MAX)
            .unwrap();
        storage
            .add_enrolment_code(&[2; 32], "North", "sup", 0, i64::MAX)
            .unwrap();
        storage.enrol(&[1; 32], &device(2, "ignored"), 1).unwrap();
        storage.enrol(&[2; 32], &device(3, ""), 1).unwrap();
        let centres: Vec<String> = storage
            .devices()
            .unwrap()
            .into_iter()
            .map(|d| d.centre)
            .collect();
        assert_eq!(centres, ["", "", "North"]);
        let (events, _, _) = storage.events(device(2, "").id, 0, 100).unwrap();
        assert_eq!(seqs(&events), [("decision", 1), ("rule_pack", 2)]);
        let (events, _, _) = storage.events(device(3, "").id, 0, 100).unwrap();
        assert_eq!(seqs(&events), [("rule_pack", 2)]);
        // Opening again runs nothing twice.
        drop(storage);
        let storage = SqliteStorage::open(&path, test_key()).unwrap();
        let devices = storage.devices().unwrap();
        assert_eq!(devices.len(), 3);
        assert_eq!(devices[0].inbox_key, old.inbox_key, "not wrapped twice");
        // Under another registry's key the rows do not open.
        drop(storage);
        let other = SqliteStorage::open(&path, StorageKey::derive(&[1; 32]).unwrap()).unwrap();
        assert!(other.devices().is_err());
    }

    /// Decisions follow the centre of the case's device, comments their one
    /// recipient, packs everyone.
    #[test]
    fn decisions_reach_the_centre_of_the_case_only() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("r.sqlite"), test_key()).unwrap();
        storage
            .add_enrolment_code(&[1; 32], "South", "sup", 0, i64::MAX)
            .unwrap();
        storage
            .add_enrolment_code(&[2; 32], "South", "sup", 0, i64::MAX)
            .unwrap();
        storage
            .add_enrolment_code(&[3; 32], "North", "sup", 0, i64::MAX)
            .unwrap();
        let (a, b, n) = (device(1, ""), device(2, ""), device(3, ""));
        storage.enrol(&[1; 32], &a, 0).unwrap();
        storage.enrol(&[2; 32], &b, 0).unwrap();
        storage.enrol(&[3; 32], &n, 0).unwrap();
        let case = Uuid::from_bytes([7; 16]);
        let op = IncomingOp {
            device_seq: 1,
            op_id: Uuid::from_bytes([8; 16]),
            case_id: case,
            version: 1,
            base_version: None,
            blob: vec![1, 2, 3],
            blob_hash: [5; 32],
        };
        assert_eq!(
            storage.apply_batch(a.id, &[op], 1).unwrap(),
            [OpOutcome::Stored { flagged: false }]
        );
        storage
            .decide(
                &Decision {
                    case_id: case,
                    version: 1,
                    to: CaseStatus::Returned,
                    sealed_comment: Some(vec![4; 40]),
                    supervisor: "sup".into(),
                },
                2,
            )
            .unwrap();
        storage
            .publish_pack("kz-2026.2", b"toml", b"sig", "sup", 3)
            .unwrap();
        let (ea, _, _) = storage.events(a.id, 0, 100).unwrap();
        let (eb, _, _) = storage.events(b.id, 0, 100).unwrap();
        let (en, cursor, _) = storage.events(n.id, 0, 100).unwrap();
        assert_eq!(
            seqs(&ea),
            [
                ("decision", 1),
                ("decision", 2),
                ("comment", 3),
                ("rule_pack", 4)
            ]
        );
        assert_eq!(
            seqs(&eb),
            [("decision", 1), ("decision", 2), ("rule_pack", 4)]
        );
        assert_eq!(seqs(&en), [("rule_pack", 4)]);
        assert_eq!(cursor, 4);
    }

    fn op(seq: u64, case: u8, version: u32, base: Option<u32>) -> IncomingOp {
        IncomingOp {
            device_seq: seq,
            op_id: Uuid::new_v4(),
            case_id: Uuid::from_bytes([case; 16]),
            version,
            base_version: base,
            blob: vec![case, version as u8],
            blob_hash: [seq as u8; 32],
        }
    }

    fn two_devices() -> (tempfile::TempDir, SqliteStorage, DeviceRecord, DeviceRecord) {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("r.sqlite"), test_key()).unwrap();
        storage
            .add_enrolment_code(&[1; 32], "", "sup", 0, i64::MAX)
            .unwrap();
        storage
            .add_enrolment_code(&[2; 32], "", "sup", 0, i64::MAX)
            .unwrap();
        let (a, b) = (device(1, ""), device(2, ""));
        storage.enrol(&[1; 32], &a, 0).unwrap();
        storage.enrol(&[2; 32], &b, 0).unwrap();
        (dir, storage, a, b)
    }

    /// Finding 7: a version from another device is refused and audited;
    /// the case keeps its owner and version, and the owner's next version
    /// is stored as the normal path.
    #[test]
    fn another_devices_version_of_a_case_is_refused_and_ownership_stays() {
        let (_dir, storage, a, b) = two_devices();
        let case = Uuid::from_bytes([7; 16]);
        assert_eq!(
            storage.apply_batch(a.id, &[op(1, 7, 1, None)], 1).unwrap(),
            [OpOutcome::Stored { flagged: false }]
        );
        assert_eq!(
            storage
                .apply_batch(b.id, &[op(1, 7, 2, Some(1))], 2)
                .unwrap(),
            [OpOutcome::Rejected(codes::NOT_CASE_OWNER)]
        );
        let (row, sealed) = storage.case(case).unwrap().unwrap();
        assert_eq!((row.device_id, row.version, row.flagged), (a.id, 1, false));
        assert_eq!(sealed, vec![7, 1]);
        assert_eq!(storage.counts().unwrap(), (1, 1));
        let audit = storage.audit_log().unwrap();
        let refused = audit
            .iter()
            .find(|r| r.action == "foreign_version_refused")
            .unwrap();
        assert!(refused
            .subject
            .as_deref()
            .unwrap()
            .contains(&b.id.to_string()));
        // The owner's version 2 goes through unflagged.
        assert_eq!(
            storage
                .apply_batch(a.id, &[op(2, 7, 2, Some(1))], 3)
                .unwrap(),
            [OpOutcome::Stored { flagged: false }]
        );
        let (row, _) = storage.case(case).unwrap().unwrap();
        assert_eq!((row.device_id, row.version), (a.id, 2));
    }

    /// Finding 12: sequences above i64::MAX are refused, never wrapped.
    #[test]
    fn sequences_beyond_i64_are_refused_before_storing() {
        let (_dir, storage, a, _) = two_devices();
        for seq in [1u64 << 63, u64::MAX] {
            assert!(matches!(
                storage.bump_request_seq(a.id, seq),
                Err(StorageError::OutOfRange(_))
            ));
            assert_eq!(
                storage
                    .apply_batch(a.id, &[op(seq, 3, 1, None)], 1)
                    .unwrap(),
                [OpOutcome::Rejected(codes::OUT_OF_RANGE)]
            );
        }
        assert_eq!(storage.counts().unwrap(), (0, 0));
        assert_eq!(storage.device(a.id).unwrap().unwrap().last_seq, 0);
        // The largest one that fits is stored and read back as it was.
        let top = i64::MAX as u64;
        storage.bump_request_seq(a.id, top).unwrap();
        assert_eq!(storage.device(a.id).unwrap().unwrap().last_seq, top);
        assert_eq!(
            storage
                .apply_batch(a.id, &[op(top, 3, 1, None)], 1)
                .unwrap(),
            [OpOutcome::Stored { flagged: false }]
        );
    }

    /// A withdrawn pack is not served, leaves pull pages, stays taken.
    #[test]
    fn a_withdrawn_pack_is_not_served_nor_announced() {
        let (_dir, storage, a, _) = two_devices();
        storage
            .publish_pack("kz-1", b"t1", b"s1", "sup", 1)
            .unwrap();
        storage
            .publish_pack("kz-2", b"t2", b"s2", "sup", 2)
            .unwrap();
        storage.withdraw_pack("kz-1", "sup", 3).unwrap();
        assert!(storage.pack("kz-1").unwrap().is_none());
        assert!(storage.pack("kz-2").unwrap().is_some());
        let (events, cursor, more) = storage.events(a.id, 0, 100).unwrap();
        assert_eq!(seqs(&events), [("rule_pack", 2)]);
        assert_eq!((cursor, more), (2, false));
        assert!(matches!(
            storage.withdraw_pack("kz-1", "sup", 4),
            Err(StorageError::NotFound)
        ));
        assert!(matches!(
            storage.withdraw_pack("nope", "sup", 4),
            Err(StorageError::NotFound)
        ));
        assert!(matches!(
            storage.publish_pack("kz-1", b"t", b"s", "sup", 5),
            Err(StorageError::Conflict(_))
        ));
        assert!(storage
            .audit_log()
            .unwrap()
            .iter()
            .any(|r| r.action == "withdraw_rules" && r.subject.as_deref() == Some("kz-1")));
    }

    /// Finding 13: a new password ends every session; logout ends one.
    #[test]
    fn a_password_change_and_logout_end_sessions() {
        let (_dir, storage, _, _) = two_devices();
        storage.add_supervisor("sup", "h1", 0).unwrap();
        storage.add_supervisor("other", "h1", 0).unwrap();
        storage.add_session(&[1; 32], "sup", 100).unwrap();
        storage.add_session(&[2; 32], "sup", 100).unwrap();
        storage.add_session(&[3; 32], "other", 100).unwrap();
        assert_eq!(
            storage.end_session(&[2; 32]).unwrap().as_deref(),
            Some("sup")
        );
        assert_eq!(storage.end_session(&[2; 32]).unwrap(), None);
        assert_eq!(
            storage.session(&[1; 32], 1).unwrap().as_deref(),
            Some("sup")
        );
        storage.add_supervisor("sup", "h2", 1).unwrap();
        assert_eq!(storage.session(&[1; 32], 1).unwrap(), None);
        assert_eq!(
            storage.session(&[3; 32], 1).unwrap().as_deref(),
            Some("other")
        );
    }

    /// A device restored from a backup (ADR 0010): the same operation
    /// sealed again, under its old number or a new one, is the stored one;
    /// another operation under a used number is refused; the registry says
    /// the highest number it holds.
    #[test]
    fn a_restored_device_gets_its_operations_back_as_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("r.sqlite"), test_key()).unwrap();
        storage
            .add_enrolment_code(&[1; 32], "", "sup", 0, i64::MAX)
            .unwrap();
        let (a, b) = (device(1, ""), device(2, ""));
        storage.enrol(&[1; 32], &a, 0).unwrap();
        storage
            .add_enrolment_code(&[2; 32], "", "sup", 0, i64::MAX)
            .unwrap();
        storage.enrol(&[2; 32], &b, 0).unwrap();
        let op = |seq: u64, id: u8, hash: u8| IncomingOp {
            device_seq: seq,
            op_id: Uuid::from_bytes([id; 16]),
            case_id: Uuid::from_bytes([id; 16]),
            version: 1,
            base_version: None,
            blob: vec![hash],
            blob_hash: [hash; 32],
        };
        assert_eq!(storage.last_op_seq(a.id).unwrap(), 0);
        let stored = OpOutcome::Stored { flagged: false };
        let duplicate = OpOutcome::Duplicate { flagged: false };
        let conflict = OpOutcome::Rejected(codes::SEQ_CONFLICT);
        assert_eq!(
            storage
                .apply_batch(a.id, &[op(1, 10, 1), op(2, 11, 2)], 1)
                .unwrap(),
            [stored, stored]
        );
        assert_eq!(storage.last_op_seq(a.id).unwrap(), 2);
        assert_eq!(storage.last_op_seq(b.id).unwrap(), 0);
        assert_eq!(
            storage
                .apply_batch(
                    a.id,
                    &[
                        op(2, 11, 9), // re-sealed: other bytes, same operation
                        op(2, 12, 3), // another operation under a used number
                        op(5, 11, 4), // the same operation renumbered
                        op(6, 12, 3), // the refused one renumbered
                    ],
                    2
                )
                .unwrap(),
            [duplicate, conflict, duplicate, stored]
        );
        // Another device's operation id stays refused.
        assert_eq!(
            storage.apply_batch(b.id, &[op(1, 10, 1)], 3).unwrap(),
            [conflict]
        );
        assert_eq!(storage.counts().unwrap(), (3, 3));
        assert_eq!(storage.last_op_seq(a.id).unwrap(), 6);
    }
}
