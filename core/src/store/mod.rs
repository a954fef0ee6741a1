//! The encrypted offline store: nothing typed is lost, nothing is readable off the device.
//!
//! A field worker on a shared phone with no signal saves household forms here.
//! Every save is one SQLite transaction (WAL, `synchronous=FULL`), so a save that
//! returned `Ok` survives a crash or a flat battery, and a failed save leaves
//! nothing behind. Records are sealed at this boundary (code above never sees
//! ciphertext, code below never sees plaintext); the key hierarchy is in
//! [`keys`] and `docs/crypto.md`. Staff unlock with a PIN ([`staff`]); the store
//! locks itself after [`StoreConfig::idle_timeout`]; every action lands in a
//! tamper-evident [`audit`] trail; finalized forms wait in the [`outbox`] for
//! the registry.

mod active_pack;
pub mod audit;
mod db;
mod error;
mod followup;
mod followup_api;
mod households;
mod keys;
pub mod outbox;
mod overlays;
pub mod staff;
mod sync;

pub use audit::{AuditAction, AuditEntry};
pub use db::MIGRATIONS;
pub use error::StoreError;
pub use followup::FollowUpFile;
pub use households::HouseholdSummary;
pub use outbox::{OutboxCounts, OutboxOp, OutboxState};
pub use overlays::StoredOverlay;
pub use staff::{Role, StaffMember};
pub use sync::{CaseInfo, PulledEvent, PulledPage, StoredPack, SyncIdentity};

use crate::crypto::KeyVault;
use crate::model::Household;
use crate::model::Tiyn;
use crate::rules::rescreen::{compare, Rescreen};
use crate::rules::RulePack;
use chrono::{DateTime, NaiveDate, Utc};
use error::Result;
use keys::Keys;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use uuid::Uuid;

/// Where the store reads the time: the system clock, or a test's.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to (tests, demos).
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(start))
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += chrono::Duration::from_std(by).unwrap_or_default();
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|t| *t).unwrap_or_else(|_| Utc::now())
    }
}

/// How the store behaves.
#[derive(Clone)]
pub struct StoreConfig {
    /// Lock after this long without a call.
    pub idle_timeout: Duration,
    pub clock: Arc<dyn Clock>,
}

impl Default for StoreConfig {
    fn default() -> StoreConfig {
        StoreConfig {
            idle_timeout: Duration::from_secs(5 * 60),
            clock: Arc::new(SystemClock),
        }
    }
}

struct Session {
    staff: Uuid,
    role: Role,
    last_activity: DateTime<Utc>,
}

/// Who is unlocked, apart from the database connection: `lock()` and
/// `current_staff()` take only this short lock, so they never wait behind a
/// long operation (a re-screen, a key rotation) that holds the connection.
#[derive(Default)]
struct Sessions {
    current: Option<Session>,
    /// Incremented by every `lock()`: an unlock that was checking a PIN
    /// while the store was locked does not open it afterwards.
    locks: u64,
}

struct Inner {
    conn: Connection,
    keys: Keys,
}

/// The device's encrypted store. One per database file and process.
pub struct Store {
    inner: Mutex<Inner>,
    sessions: Mutex<Sessions>,
    vault: Arc<dyn KeyVault>,
    config: StoreConfig,
}

impl Store {
    /// Open the store at `path` (created on first use), unwrapping its keys
    /// with `vault`. The store starts locked.
    pub fn open(path: &Path, vault: Arc<dyn KeyVault>, config: StoreConfig) -> Result<Store> {
        let mut conn = db::open(path)?;
        let keys = keys::load_or_create(&mut conn, vault.as_ref())?;
        // Households saved before schema 4 get their settlement indexed once.
        db::write(&mut conn, |tx| followup::backfill_places(tx, &keys))?;
        Ok(Store {
            inner: Mutex::new(Inner { conn, keys }),
            sessions: Mutex::new(Sessions::default()),
            vault,
            config,
        })
    }

    fn inner(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| StoreError::Encoding("store lock poisoned".into()))
    }

    fn now(&self) -> DateTime<Utc> {
        self.config.clock.now()
    }

    fn sessions(&self) -> Result<MutexGuard<'_, Sessions>> {
        self.sessions
            .lock()
            .map_err(|_| StoreError::Encoding("session lock poisoned".into()))
    }

    /// The unlocked staff member, refreshing the idle timer; locks if idle too long.
    fn session(&self) -> Result<(Uuid, Role)> {
        let now = self.now();
        let idle = chrono::Duration::from_std(self.config.idle_timeout).unwrap_or_default();
        let mut sessions = self.sessions()?;
        match sessions.current.as_mut() {
            Some(s) if now - s.last_activity <= idle => {
                s.last_activity = now;
                Ok((s.staff, s.role))
            }
            Some(_) => {
                sessions.current = None;
                Err(StoreError::Locked)
            }
            None => Err(StoreError::Locked),
        }
    }

    fn supervisor(&self) -> Result<Uuid> {
        match self.session()? {
            (id, Role::Supervisor) => Ok(id),
            _ => Err(StoreError::NotSupervisor),
        }
    }

    // ---- staff -------------------------------------------------------------

    /// Add a staff member. The first one of a new device must be a supervisor
    /// and needs no unlock; later ones need an unlocked supervisor.
    pub fn add_staff(&self, role: Role, display_name: &str, pin: &str) -> Result<Uuid> {
        // The name is shown on shared tablets and in the audit: the same
        // free-text rule as a form's names (not blank, bounded, no control
        // characters).
        let mut problems = crate::validate::Problems::new();
        crate::validate::text::required(
            &mut problems,
            "display_name",
            display_name,
            crate::validate::bounds::MAX_NAME_CHARS,
        );
        if problems.has_errors() {
            return Err(StoreError::Invalid(problems));
        }
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let by = if staff::count(&inner.conn)? == 0 {
            if role != Role::Supervisor {
                return Err(StoreError::NotSupervisor);
            }
            None
        } else {
            Some(self.supervisor()?)
        };
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            staff::add(tx, keys, role, display_name, pin, by, now)
        })
    }

    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.session()?;
        staff::list(&inner.conn, &inner.keys)
    }

    /// Unlock as `staff_id`. Wrong PINs are counted (see [`staff`]).
    pub fn unlock(&self, staff_id: Uuid, pin: &str) -> Result<()> {
        let locks = {
            let mut sessions = self.sessions()?;
            sessions.current = None;
            sessions.locks
        };
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let now = self.now();
        let role = staff::unlock(&mut inner.conn, &inner.keys, staff_id, pin, now)?;
        let mut sessions = self.sessions()?;
        if sessions.locks != locks {
            // `lock()` was called while the PIN was being checked.
            return Err(StoreError::Locked);
        }
        sessions.current = Some(Session {
            staff: staff_id,
            role,
            last_activity: now,
        });
        Ok(())
    }

    /// Lock now (the app went to the background, the phone is handed over).
    /// Never waits for another call of the store to finish: a call already
    /// running completes, every later one finds the store locked.
    pub fn lock(&self) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.current = None;
            sessions.locks = sessions.locks.wrapping_add(1);
        }
    }

    /// The unlocked staff member, if any (does not refresh the idle timer;
    /// never waits for another call of the store).
    pub fn current_staff(&self) -> Option<Uuid> {
        let sessions = self.sessions.lock().ok()?;
        let idle = chrono::Duration::from_std(self.config.idle_timeout).ok()?;
        sessions
            .current
            .as_ref()
            .filter(|s| self.now() - s.last_activity <= idle)
            .map(|s| s.staff)
    }

    /// A supervisor sets a new PIN for `staff_id` and lifts any lock-out.
    pub fn reset_staff(&self, staff_id: Uuid, new_pin: &str) -> Result<()> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let by = self.supervisor()?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            staff::role_of(tx, staff_id)?;
            staff::reset(tx, keys, staff_id, new_pin, by, now)
        })
    }

    // ---- households --------------------------------------------------------

    /// Save a draft (new, edited, or the first save of a correction). Refused
    /// with every validation problem when the form has errors; nothing is written.
    pub fn save_draft(&self, household: &Household) -> Result<()> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            households::save_draft(tx, keys, household, staff, now)
        })
    }

    /// The latest version of a household (audited as a view).
    pub fn load(&self, id: Uuid) -> Result<Household> {
        self.load_inner(id, None)
    }

    /// A given version of a household (audited as a view).
    pub fn load_version(&self, id: Uuid, version: u32) -> Result<Household> {
        self.load_inner(id, Some(version))
    }

    fn load_inner(&self, id: Uuid, version: Option<u32>) -> Result<Household> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let h = households::load(&inner.conn, &inner.keys, id, version)?;
        // A view changes no data: its audit entry is committed without waiting
        // for fsync (WAL, synchronous=NORMAL), so it survives an app crash but
        // may be lost with power; every data-changing write stays FULL.
        let now = self.now();
        let keys = &inner.keys;
        inner.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let written = db::write(&mut inner.conn, |tx| {
            audit::append(
                tx,
                &keys.audit,
                now,
                Some(staff),
                Some(id),
                AuditAction::View,
            )
        });
        inner.conn.pragma_update(None, "synchronous", "FULL")?;
        written?;
        Ok(h)
    }

    /// Every household, latest version, without personal data.
    pub fn list(&self) -> Result<Vec<HouseholdSummary>> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.session()?;
        households::list(&inner.conn)
    }

    /// The households with a member whose IIN is `iin` (through the blind index).
    pub fn find_by_iin(&self, iin: &str) -> Result<Vec<Uuid>> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.session()?;
        households::find_by_iin(&inner.conn, &inner.keys, iin)
    }

    /// Finalize the current draft and queue it for the registry, in one transaction.
    pub fn finalize(&self, id: Uuid, today: NaiveDate) -> Result<Household> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            households::finalize(tx, keys, id, today, staff, now)
        })
    }

    /// Start a correction of a finalized household: a new draft, version + 1,
    /// naming the version it replaces, saved at once.
    pub fn start_correction(&self, id: Uuid) -> Result<Household> {
        let h = {
            let mut guard = self.inner()?;
            let inner = &mut *guard;
            self.session()?;
            let (_, status) = households::latest(&inner.conn, id)?.ok_or(StoreError::NotFound)?;
            if status != crate::model::FormStatus::Final {
                return Err(StoreError::WrongState(
                    "only a finalized form can be corrected",
                ));
            }
            households::load(&inner.conn, &inner.keys, id, None)?.correction(self.now())
        };
        self.save_draft(&h)?;
        Ok(h)
    }

    /// Forget a household (consent withdrawn, retention over): its rows, key and
    /// index entries are deleted and the data key is rotated, so not even an old
    /// copy of the database file can be read for it any more.
    pub fn forget(&self, id: Uuid) -> Result<()> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            households::delete(tx, keys, id, Some(staff), now, AuditAction::Forget)
        })?;
        self.rotate_after_forget(inner)
    }

    /// Rotate the data key and truncate the WAL after households were deleted,
    /// so no copy of the file can read them any more.
    fn rotate_after_forget(&self, inner: &mut Inner) -> Result<()> {
        let rotated = keys::rotate(&mut inner.conn, self.vault.as_ref(), &inner.keys)?;
        inner.keys = rotated;
        inner
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether `id` has operations the registry has not acknowledged (it must
    /// not be forgotten automatically).
    pub fn has_unsynced(&self, id: Uuid) -> Result<bool> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.session()?;
        Ok(outbox::has_unacked(&inner.conn, id)? || followup::has_unacked(&inner.conn, id)?)
    }

    /// Evaluate every stored household (latest version) under `old` and `new`
    /// packs and list those staff should go back to (see [`crate::rules::rescreen`]).
    pub fn rescreen(
        &self,
        old: &RulePack,
        new: &RulePack,
        date: NaiveDate,
        near_margin: Tiyn,
    ) -> Result<Rescreen> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.session()?;
        let mut out = Rescreen::default();
        for summary in households::list(&inner.conn)? {
            let h = households::load(&inner.conn, &inner.keys, summary.id, Some(summary.version))?;
            out.screened += 1;
            if let Some(hit) = compare(&h, old, new, date, near_margin) {
                out.hits.push(hit);
            }
        }
        Ok(out)
    }

    // ---- outbox ------------------------------------------------------------

    pub fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxOp>> {
        let inner = self.inner()?;
        outbox::pending(&inner.conn, limit)
    }

    /// Store the sealed bytes of an operation, once (audited as an export).
    pub fn outbox_set_sealed(&self, device_seq: i64, sealed: &[u8]) -> Result<()> {
        self.outbox_set_sealed_batch(&[(device_seq, sealed)])
    }

    /// Store the sealed bytes of several operations, each once (each audited
    /// as an export), in one transaction: one commit for a sync's batch
    /// instead of one per form. Either all are stored or none.
    pub fn outbox_set_sealed_batch(&self, sealed: &[(i64, &[u8])]) -> Result<()> {
        if sealed.is_empty() {
            return Ok(());
        }
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let staff = self.current_staff();
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            for (device_seq, bytes) in sealed {
                let op = outbox::get(tx, *device_seq)?;
                outbox::set_sealed(tx, *device_seq, bytes)?;
                audit::append(
                    tx,
                    &keys.audit,
                    now,
                    staff,
                    Some(op.entity_id),
                    AuditAction::Export,
                )?;
            }
            Ok(())
        })
    }

    pub fn outbox_mark_acked(&self, device_seq: i64) -> Result<()> {
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            outbox::mark(tx, device_seq, OutboxState::Acked, None)
        })
    }

    pub fn outbox_mark_rejected(&self, device_seq: i64, code: &str) -> Result<()> {
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            outbox::mark(tx, device_seq, OutboxState::Rejected, Some(code))
        })
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let inner = self.inner()?;
        outbox::counts(&inner.conn)
    }

    /// Decrypt a household for the sync client (no staff session needed: sync
    /// runs in the background; the export is audited when the sealed bytes are
    /// stored).
    pub fn load_for_sync(&self, id: Uuid, version: u32) -> Result<Household> {
        let inner = self.inner()?;
        households::load(&inner.conn, &inner.keys, id, Some(version))
    }

    // ---- audit -------------------------------------------------------------

    /// Check the audit chain: the number of entries, or the first broken link.
    pub fn verify_audit(&self) -> Result<usize> {
        let inner = self.inner()?;
        audit::verify(&inner.conn, &inner.keys.audit)
    }

    /// The audit trail, oldest first (supervisors only).
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.supervisor()?;
        audit::entries(&inner.conn)
    }
}

#[cfg(test)]
mod tests;
