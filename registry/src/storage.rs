//! What the registry keeps, behind a trait with two implementations: the
//! embedded SQLite file ([`crate::sqlite`]) and PostgreSQL
//! ([`crate::postgres`]); neither the trait nor its errors name either.
//!
//! Every method is one transaction, durable before it returns (the HTTP answer
//! is sent after). The exactly-once rule lives here: [`Storage::apply_batch`]
//! stores each operation together with its result, keyed by
//! (device, device sequence), so a retry gets the stored result back.

pub use crate::followup::{IncomingRecord, RecordRow};
use crate::scope::{Scope, ScopedStorage};
use komek_core::followup::RecordKind;
use komek_core::sync::wire::CaseStatus;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a storage call can fail with, whichever backend runs it. Backend
/// errors are carried as text that names the statement's fault (a code, a
/// constraint), never a stored value: the text reaches the registry's log.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database could not be reached or the connection broke: the
    /// request may be retried (nothing was committed).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database refused or failed a statement.
    #[error("database: {0}")]
    Backend(String),
    /// A stored value could not be read back (damaged or from a newer schema).
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
    #[error("not found")]
    NotFound,
    #[error("enrolment code unknown, used or expired")]
    BadCode,
    #[error("request sequence number already used")]
    Replayed,
    #[error("not allowed now: {0}")]
    Conflict(&'static str),
    /// A number the database cannot hold (e.g. a sequence above
    /// `i64::MAX`): refused before anything is stored.
    #[error("{0} is out of range")]
    OutOfRange(&'static str),
    /// A case (or device) outside the caller's scope
    /// ([`crate::scope`]): answered as [`StorageError::NotFound`] is, so
    /// that ids cannot be probed; told apart only to audit the denial.
    #[error("not found")]
    OutOfScope,
    #[error("storage: {0}")]
    Other(String),
}

pub type Result<T> = std::result::Result<T, StorageError>;

#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub id: Uuid,
    pub public_key: Vec<u8>,
    /// In the clear here; a backend stores it wrapped under the registry's
    /// storage key ([`crate::secrets::StorageKey`]), bound to `id`.
    pub inbox_key: Vec<u8>,
    pub label: String,
    /// The centre (team) of the code it enrolled with; `""` is the default
    /// centre. Decisions on a case reach the devices of its device's centre.
    pub centre: String,
    pub revoked: bool,
    /// The highest request sequence number seen from the device.
    pub last_seq: u64,
}

/// A sealed operation that passed every check (signature, device, opens,
/// decodes); what to store.
#[derive(Debug, Clone)]
pub struct IncomingOp {
    pub device_seq: u64,
    pub op_id: Uuid,
    pub case_id: Uuid,
    pub version: u32,
    pub base_version: Option<u32>,
    pub blob: Vec<u8>,
    pub blob_hash: [u8; 32],
}

/// One operation's answer, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpOutcome {
    Stored { flagged: bool },
    Duplicate { flagged: bool },
    Rejected(&'static str),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseRow {
    pub case_id: Uuid,
    pub status: CaseStatus,
    pub version: u32,
    pub device_id: Uuid,
    pub flagged: bool,
    pub updated_at: i64,
    /// The centre of the case's device (`""`: the default centre).
    #[serde(default)]
    pub centre: String,
    /// The district of that centre ([`crate::scope`]).
    #[serde(default)]
    pub district: String,
}

/// A supervisor's decision.
#[derive(Debug, Clone)]
pub struct Decision {
    pub case_id: Uuid,
    /// The version the supervisor decided on; if a newer one arrived
    /// meanwhile the decision is refused (reload and decide again).
    pub version: u32,
    pub to: CaseStatus,
    /// The comment, sealed for the device that sent the latest version.
    pub sealed_comment: Option<Vec<u8>>,
    pub supervisor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
}

/// An event as stored: the very events a pull page carries
/// ([`komek_core::sync::frames::PageEvent`]), so storage hands them to the
/// answer unchanged.
pub use komek_core::sync::frames::PageEvent as StoredEvent;

pub trait Storage: ScopedStorage + Send + Sync + 'static {
    /// Bind the database to the registry whose key file is `registry_id`:
    /// the first call records it; a later call with another id is refused
    /// ([`StorageError::Conflict`]), so a node started with the wrong key
    /// file never answers devices of this registry.
    fn claim_registry(&self, registry_id: Uuid) -> Result<()>;
    /// Whether the database answers a query (`/healthz`).
    fn ping(&self) -> Result<()>;

    // ---- devices
    /// Keep a one-time enrolment code (its hash) until `expires_at`; the
    /// device enrolled with it joins `centre` (`""`: the default centre).
    fn add_enrolment_code(
        &self,
        code_hash: &[u8; 32],
        centre: &str,
        by: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()>;
    /// Consume the code and register the device, in one transaction. The
    /// device's centre is the code's (`device.centre` is not read).
    fn enrol(&self, code_hash: &[u8; 32], device: &DeviceRecord, now: i64) -> Result<()>;
    fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>>;
    fn devices(&self) -> Result<Vec<DeviceRecord>>;
    /// The highest operation number (`device_seq`) stored from `device`
    /// (0: none), told to a device restored from a backup (ADR 0010).
    fn last_op_seq(&self, device: Uuid) -> Result<u64>;
    /// Accept `seq` only if it is above every sequence seen from `device`.
    fn bump_request_seq(&self, device: Uuid, seq: u64) -> Result<()>;
    fn revoke(&self, device: Uuid, by: &str, now: i64) -> Result<()>;

    // ---- push and pull
    /// Apply a batch exactly once per (device, device_seq); one transaction,
    /// one answer per operation, in order. A case belongs to the device that
    /// stored its first version: a version from any other device is refused
    /// (`not_case_owner`, audited), stores nothing and moves nothing, so the
    /// owner's next version is delivered as usual. A device sequence above
    /// `i64::MAX` is refused (`out_of_range`) before anything is stored.
    fn apply_batch(&self, device: Uuid, ops: &[IncomingOp], now: i64) -> Result<Vec<OpOutcome>>;
    /// A push: [`Storage::bump_request_seq`] and [`Storage::apply_batch`]
    /// in one transaction (one commit per push request). `Replayed`, with
    /// nothing stored, when `request_seq` is not above every sequence seen
    /// from `device`.
    fn apply_push(
        &self,
        device: Uuid,
        request_seq: u64,
        ops: &[IncomingOp],
        now: i64,
    ) -> Result<Vec<OpOutcome>>;
    /// Events after `after` visible to `device`; (events, cursor, more).
    /// Visible: rule packs (every device), comments addressed to it, and
    /// decisions on cases whose (latest) device is of the same centre.
    fn events(&self, device: Uuid, after: i64, limit: u32)
        -> Result<(Vec<StoredEvent>, i64, bool)>;

    // ---- review (scoped and paged: [`ScopedStorage`])
    /// Every case with `status` (or all), national and unpaged: for tests
    /// and tools; the API lists [`ScopedStorage::case_page`].
    fn cases(&self, status: Option<CaseStatus>) -> Result<Vec<CaseRow>>;
    /// The case and the sealed bytes of its latest version.
    fn case(&self, id: Uuid) -> Result<Option<(CaseRow, Vec<u8>)>>;
    /// Move a case (state machine checked here) and publish the events; as
    /// a national supervisor ([`ScopedStorage::decide_in`]).
    fn decide(&self, decision: &Decision, now: i64) -> Result<CaseRow> {
        self.decide_in(&Scope::National, decision, now)
    }

    // ---- supervisors
    /// Add a supervisor (national when new), or set a new password: every
    /// session of `name` ends ([`ScopedStorage::add_supervisor_in`]).
    fn add_supervisor(&self, name: &str, password_hash: &str, now: i64) -> Result<()> {
        self.add_supervisor_in(name, password_hash, None, now)
    }
    fn supervisor_hash(&self, name: &str) -> Result<Option<String>>;
    fn add_session(&self, token_hash: &[u8; 32], name: &str, expires_at: i64) -> Result<()>;
    fn session(&self, token_hash: &[u8; 32], now: i64) -> Result<Option<String>>;
    /// End one session (logout); the supervisor it belonged to, if any.
    fn end_session(&self, token_hash: &[u8; 32]) -> Result<Option<String>>;
    fn audit(&self, actor: &str, action: &str, subject: Option<&str>, now: i64) -> Result<()>;
    fn audit_log(&self) -> Result<Vec<AuditRow>>;

    // ---- rule packs
    fn publish_pack(
        &self,
        version: &str,
        toml: &[u8],
        signature: &[u8],
        by: &str,
        now: i64,
    ) -> Result<()>;
    /// The pack's TOML and signature; `None` when unknown or withdrawn.
    fn pack(&self, version: &str) -> Result<Option<(Vec<u8>, Vec<u8>)>>;
    /// Withdraw a published pack (audited): it is no longer served, and its
    /// announcement leaves every later pull page. `NotFound` when there is
    /// no such pack or it is already withdrawn. Its version stays taken.
    fn withdraw_pack(&self, version: &str, by: &str, now: i64) -> Result<()>;

    // ---- figures
    /// (stored operations, distinct cases) — for tests and the demo summary.
    fn counts(&self) -> Result<(u64, u64)>;

    // ---- follow-up records (crate::followup)
    /// Store follow-up record versions exactly once per (device,
    /// device_seq), through the same ledger as forms; one transaction, one
    /// answer per record, in order. The rules of each version are
    /// [`crate::followup::record_change`].
    fn apply_records(
        &self,
        device: Uuid,
        records: &[IncomingRecord],
        now: i64,
    ) -> Result<Vec<OpOutcome>>;
    /// The records (latest version of each), of one kind and one household
    /// when given, newest first.
    fn records(&self, kind: Option<RecordKind>, household: Option<Uuid>) -> Result<Vec<RecordRow>>;
    /// A record and the sealed bytes of its latest version.
    fn record(&self, id: Uuid) -> Result<Option<(RecordRow, Vec<u8>)>>;
    /// A supervisor approves `version` of plan `id` (audited); refused when
    /// a newer version arrived (`Conflict`) or it is not a plan (`NotFound`).
    /// Clears the plan's flag.
    fn approve_plan(&self, id: Uuid, version: u32, by: &str, now: i64) -> Result<RecordRow>;
}

/// Whether `device` may send versions of a case owned by `owner`: only the
/// owner itself. (The one place, for every backend, to extend if a device's
/// identity ever carries over to a new device id, e.g. a re-enrolment that
/// keeps the device's cases.)
pub fn owns_case(owner: Uuid, device: Uuid) -> bool {
    owner == device
}

/// What a stored version does to its case, decided the same way by every
/// backend (each only reads the case row under its own lock and writes the
/// result).
#[derive(Debug, Clone)]
pub enum CaseChange {
    /// Store the version; the case becomes `case`; `flagged` marks this
    /// version for a person.
    Store { case: CaseRow, flagged: bool },
    /// Another device's case: refused (`not_case_owner`) and audited;
    /// nothing stored, the case and its owner unchanged.
    Foreign,
}

/// The rules of a version arriving for a case (`existing`, `None` when the
/// registry has not seen it): a first version names no base, and anything
/// else for an unseen case is kept and flagged. The field worker owns the
/// content and the registry the status: a correction of the latest version
/// of a returned or still-received case is the normal path; anything else
/// (decided, under review, or moved on meanwhile) is accepted and flagged for
/// a person, never merged. A flag stays until a supervisor decides.
pub fn case_change(
    existing: Option<CaseRow>,
    op: &IncomingOp,
    device: Uuid,
    now: i64,
) -> CaseChange {
    match existing {
        None => {
            let flagged = op.base_version.is_some();
            CaseChange::Store {
                case: CaseRow {
                    case_id: op.case_id,
                    status: CaseStatus::Received,
                    version: op.version,
                    device_id: device,
                    flagged,
                    updated_at: now,
                    // Filled in by the backend's insert, from the device.
                    centre: String::new(),
                    district: String::new(),
                },
                flagged,
            }
        }
        Some(c) if !owns_case(c.device_id, device) => CaseChange::Foreign,
        Some(mut c) => {
            let normal = op.base_version == Some(c.version)
                && op.version > c.version
                && matches!(c.status, CaseStatus::Returned | CaseStatus::Received);
            let flagged = !normal;
            if op.version > c.version {
                c.version = op.version;
                if !c.status.is_final() || normal {
                    c.status = CaseStatus::Received;
                }
            }
            c.flagged = c.flagged || flagged;
            c.updated_at = now;
            CaseChange::Store { case: c, flagged }
        }
    }
}

/// The allowed moves of a case: (from, to).
pub fn transition_allowed(from: CaseStatus, to: CaseStatus) -> bool {
    use CaseStatus::*;
    matches!(
        (from, to),
        (Received, UnderReview)
            | (Received | UnderReview, Approved | Returned | Rejected)
            | (Returned, Rejected)
    )
}
