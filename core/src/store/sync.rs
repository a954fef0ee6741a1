//! What the sync client keeps on the device, and the transactions it needs.
//!
//! The device's identity (its signing key, inbox key and the registry's keys)
//! is sealed under a key derived from the meta root, never stored in the clear.
//! The request sequence number is persisted (fsync) before each request uses
//! it, so a crash can never make the device reuse one. A pulled page — case
//! decisions, comments, the cursor — is applied in one transaction: the cursor
//! never runs ahead of what was applied, nor behind it. Retention forgets only
//! what the registry has acknowledged, and only after the retention period.

use super::error::{Result, StoreError};
use super::{audit, db, households, AuditAction, Store};
use crate::crypto::inbox;
use crate::crypto::{open_record, seal_record, RecordAad, SecretKey};
use crate::model::CaseStatus;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;
use zeroize::Zeroizing;

/// Who this device is to its registry. Held in memory only while syncing.
#[derive(Clone, Serialize, Deserialize)]
pub struct SyncIdentity {
    pub registry_url: String,
    pub registry_id: Uuid,
    pub device_id: Uuid,
    /// The device's Ed25519 key (PKCS#8).
    pub device_pkcs8: Vec<u8>,
    pub inbox_key: Vec<u8>,
    /// The registry's X25519 seal key.
    pub seal_key: [u8; 32],
    /// The registry's rules-signing key (Ed25519).
    pub rules_key: Vec<u8>,
    /// The registry's TLS certificate pins (base64 SHA-256 of the DER); an
    /// https registry is reached only through a certificate among them.
    #[serde(default)]
    pub tls_pins: Vec<String>,
}

impl Drop for SyncIdentity {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.device_pkcs8.zeroize();
        self.inbox_key.zeroize();
    }
}

impl std::fmt::Debug for SyncIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncIdentity")
            .field("registry_id", &self.registry_id)
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

/// One pulled event, already checked by the client.
#[derive(Debug, Clone)]
pub enum PulledEvent {
    Decision {
        seq: i64,
        case_id: Uuid,
        version: u32,
        status: CaseStatus,
        flagged: bool,
    },
    /// A comment still sealed with the inbox key.
    Comment {
        seq: i64,
        case_id: Uuid,
        version: u32,
        sealed: Vec<u8>,
    },
    /// A rule pack that verified against the registry's rules key.
    RulePack {
        version: String,
        toml: Vec<u8>,
        signature: Vec<u8>,
    },
}

/// A page of events and the cursor after it.
#[derive(Debug, Clone, Default)]
pub struct PulledPage {
    pub events: Vec<PulledEvent>,
    pub cursor: i64,
}

/// A rule pack received by sync (verified on receipt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPack {
    pub version: String,
    pub toml: Vec<u8>,
    pub signature: Vec<u8>,
}

/// What the device knows of a case's review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInfo {
    pub case_id: Uuid,
    pub version: u32,
    pub status: CaseStatus,
    pub flagged: bool,
    /// Supervisors' comments, oldest first (decrypted; personal data).
    pub comments: Vec<String>,
}

const IDENTITY_AAD: RecordAad<'static> = RecordAad {
    table: "sync_identity",
    record_id: b"1",
    version: 1,
};

fn comment_aad(case: &Uuid, seq: i64) -> RecordAad<'_> {
    RecordAad {
        table: "case_comments",
        record_id: case.as_bytes(),
        version: u32::try_from(seq).unwrap_or(u32::MAX),
    }
}

fn counter(conn: &rusqlite::Connection, name: &str) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT value FROM sync_counters WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// The largest sequence number the device stores: 2^53, one request a
/// millisecond for 285,000 years, and far from `i64` overflow. Numbers come
/// from the registry too (`last_seq`), so every one is checked against it.
pub const MAX_SEQ: i64 = 1 << 53;

fn set_counter(tx: &rusqlite::Transaction<'_>, name: &str, value: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_counters (name, value) VALUES (?1, ?2)
         ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )?;
    Ok(())
}

impl Store {
    /// The device's registry identity, if it has enrolled.
    pub fn sync_identity(&self) -> Result<Option<SyncIdentity>> {
        let inner = self.inner()?;
        let sealed: Option<Vec<u8>> = inner
            .conn
            .query_row("SELECT sealed FROM sync_identity WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let json = Zeroizing::new(
            open_record(&inner.keys.sync, IDENTITY_AAD, &sealed)
                .map_err(|e| StoreError::record("sync_identity", e))?,
        );
        serde_json::from_slice(&json)
            .map(Some)
            .map_err(|_| StoreError::Encoding("sync identity".into()))
    }

    /// Keep the identity received at enrolment (replaces an earlier one; the
    /// counters restart with the new registry). Under a new device id the
    /// pending operations sealed for the old one are sealed again at the
    /// next sync, and those refused `wrong_device` (sealed for the old id and
    /// sent under the new one) are pending again: re-enrolling, e.g. after a
    /// missed certificate rotation, strands no form (ADR 0010).
    pub fn set_sync_identity(&self, identity: &SyncIdentity) -> Result<()> {
        let previous = self.sync_identity()?.map(|i| i.device_id);
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let staff = self.current_staff();
        let now = self.now();
        let json = Zeroizing::new(
            serde_json::to_vec(identity)
                .map_err(|_| StoreError::Encoding("sync identity".into()))?,
        );
        let sealed =
            seal_record(&inner.keys.sync, IDENTITY_AAD, &json).map_err(StoreError::Crypto)?;
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            tx.execute(
                "INSERT INTO sync_identity (id, sealed) VALUES (1, ?1)
                 ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
                [&sealed],
            )?;
            tx.execute("DELETE FROM sync_counters", [])?;
            if previous.is_some_and(|p| p != identity.device_id) {
                tx.execute(
                    "UPDATE outbox SET sealed = NULL WHERE state = 'pending'",
                    [],
                )?;
                tx.execute(
                    "UPDATE outbox SET state = 'pending', sealed = NULL, last_error = NULL
                     WHERE state = 'rejected' AND last_error = ?1",
                    // The registry's code `wrong_device` (sync::codes).
                    ["wrong_device"],
                )?;
            }
            audit::append(tx, &keys.audit, now, staff, None, AuditAction::Enrol)
        })
    }

    /// Replace the registry's TLS pins kept with the identity (the registry
    /// announced them over a pinned connection). Unlike
    /// [`Store::set_sync_identity`] the counters stay as they are.
    pub fn set_tls_pins(&self, pins: &[String]) -> Result<()> {
        let mut identity = self.sync_identity()?.ok_or(StoreError::NotFound)?;
        identity.tls_pins = pins.to_vec();
        let json = Zeroizing::new(
            serde_json::to_vec(&identity)
                .map_err(|_| StoreError::Encoding("sync identity".into()))?,
        );
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let sealed =
            seal_record(&inner.keys.sync, IDENTITY_AAD, &json).map_err(StoreError::Crypto)?;
        db::write(&mut inner.conn, |tx| {
            tx.execute(
                "UPDATE sync_identity SET sealed = ?1 WHERE id = 1",
                [&sealed],
            )?;
            Ok(())
        })
    }

    /// The next request sequence number, persisted before it is returned.
    pub fn next_request_seq(&self) -> Result<u64> {
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            let next = counter(tx, "request_seq")?
                .checked_add(1)
                .filter(|n| (1..=MAX_SEQ).contains(n))
                .ok_or(StoreError::OutOfRange("request sequence"))?;
            set_counter(tx, "request_seq", next)?;
            u64::try_from(next).map_err(|_| StoreError::OutOfRange("request sequence"))
        })
    }

    /// Make the next request number greater than `last` (the registry saw
    /// higher numbers: this database was restored from a backup). A `last`
    /// beyond [`MAX_SEQ`] is refused before anything is stored: no device
    /// sends that many requests, and storing it would leave no number to
    /// send next (a registry's wrong answer must not cut a device off).
    pub fn raise_request_seq(&self, last: u64) -> Result<()> {
        let last = i64::try_from(last)
            .ok()
            .filter(|l| *l < MAX_SEQ)
            .ok_or(StoreError::OutOfRange("request sequence"))?;
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            let current = counter(tx, "request_seq")?;
            set_counter(tx, "request_seq", current.max(last))
        })
    }

    /// Remember that the registry holds operations from this device up to
    /// number `last` (it said so with `replayed`: this database was restored
    /// from a backup). Operations numbered at or below it are renumbered when
    /// the registry refuses them with `seq_conflict` (ADR 0010).
    pub fn raise_op_floor(&self, last: u64) -> Result<()> {
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            let current = counter(tx, "op_floor")?;
            set_counter(
                tx,
                "op_floor",
                current.max(i64::try_from(last).unwrap_or(i64::MAX)),
            )
        })
    }

    /// The highest operation number the registry said it holds (0: none).
    pub fn op_floor(&self) -> Result<i64> {
        let inner = self.inner()?;
        counter(&inner.conn, "op_floor")
    }

    /// Give the pending operation `device_seq` a new number above every
    /// number used here and the registry's floor, and drop its sealed bytes
    /// (the number is inside the seal): it is sealed again at the next
    /// sync. Returns the new number.
    pub fn outbox_renumber(&self, device_seq: i64) -> Result<i64> {
        let mut inner = self.inner()?;
        db::write(&mut inner.conn, |tx| {
            let floor = counter(tx, "op_floor")?;
            let used: i64 = tx.query_row(
                "SELECT MAX(COALESCE((SELECT MAX(device_seq) FROM outbox), 0),
                            COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0))",
                [],
                |r| r.get(0),
            )?;
            let next = used
                .max(floor)
                .checked_add(1)
                .ok_or(StoreError::Encoding("operation numbers exhausted".into()))?;
            let n = tx.execute(
                "UPDATE outbox SET device_seq = ?1, sealed = NULL
                 WHERE device_seq = ?2 AND state = 'pending'",
                params![next, device_seq],
            )?;
            if n != 1 {
                return Err(StoreError::NotFound);
            }
            // AUTOINCREMENT continues above the new number.
            tx.execute(
                "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'outbox' AND seq < ?1",
                [next],
            )?;
            Ok(next)
        })
    }

    /// Where the next pull starts.
    pub fn pull_cursor(&self) -> Result<i64> {
        let inner = self.inner()?;
        counter(&inner.conn, "pull_cursor")
    }

    /// Acknowledge pushed operations in one transaction: `(device_seq, flagged)`
    /// acked, `(device_seq, code)` rejected.
    pub fn outbox_apply_results(
        &self,
        acked: &[(i64, bool)],
        rejected: &[(i64, String)],
    ) -> Result<()> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let now = self.now().timestamp();
        db::write(&mut inner.conn, |tx| {
            for (seq, flagged) in acked {
                tx.execute(
                    "UPDATE outbox SET state = 'acked', acked_at = ?1, flagged = ?2,
                        attempts = attempts + 1, last_error = NULL
                     WHERE device_seq = ?3 AND state = 'pending'",
                    params![now, flagged, seq],
                )?;
            }
            for (seq, code) in rejected {
                tx.execute(
                    "UPDATE outbox SET state = 'rejected', last_error = ?1, attempts = attempts + 1
                     WHERE device_seq = ?2 AND state = 'pending'",
                    params![code, seq],
                )?;
            }
            Ok(())
        })
    }

    /// Apply a pulled page and advance the cursor, in one transaction.
    /// Comments are opened with `inbox_key` and re-sealed under their
    /// household's key (so forgetting the household shreds them too); a
    /// comment for a household this device does not hold is dropped.
    pub fn apply_pull(&self, page: &PulledPage, inbox_key: &SecretKey) -> Result<()> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let now = self.now().timestamp();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            for event in &page.events {
                match event {
                    PulledEvent::Decision {
                        seq,
                        case_id,
                        version,
                        status,
                        flagged,
                    } => {
                        tx.execute(
                            "INSERT INTO cases (case_id, version, status, flagged, event_seq)
                             VALUES (?1, ?2, ?3, ?4, ?5)
                             ON CONFLICT(case_id) DO UPDATE SET version = excluded.version,
                               status = excluded.status, flagged = excluded.flagged,
                               event_seq = excluded.event_seq
                             WHERE excluded.event_seq > cases.event_seq",
                            params![case_id.as_bytes(), version, status.as_str(), flagged, seq],
                        )?;
                    }
                    PulledEvent::Comment {
                        seq,
                        case_id,
                        version,
                        sealed,
                    } => {
                        let key = match keys.household(tx, *case_id) {
                            Ok(k) => k,
                            Err(StoreError::NotFound) => continue,
                            Err(e) => return Err(e),
                        };
                        // A comment this device cannot open (not addressed to
                        // it, or damaged) is skipped, never allowed to block
                        // the pages after it.
                        let Ok(text) = inbox::open_comment(inbox_key, *case_id, *version, sealed)
                        else {
                            log::warn!("comment event {seq} cannot be opened; skipped");
                            continue;
                        };
                        let text = Zeroizing::new(text);
                        let resealed =
                            seal_record(&key, comment_aad(case_id, *seq), text.as_bytes())
                                .map_err(StoreError::Crypto)?;
                        tx.execute(
                            "INSERT OR IGNORE INTO case_comments (event_seq, case_id, version, sealed)
                             VALUES (?1, ?2, ?3, ?4)",
                            params![seq, case_id.as_bytes(), version, resealed],
                        )?;
                    }
                    PulledEvent::RulePack {
                        version,
                        toml,
                        signature,
                    } => {
                        tx.execute(
                            "INSERT OR IGNORE INTO rule_packs (version, toml, signature, received_at)
                             VALUES (?1, ?2, ?3, ?4)",
                            params![version, toml, signature, now],
                        )?;
                    }
                }
            }
            set_counter(tx, "pull_cursor", page.cursor)
        })
    }

    /// The registry's view of a case, with its comments (needs a session).
    pub fn case(&self, case_id: Uuid) -> Result<Option<CaseInfo>> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        self.session()?;
        let row: Option<(u32, String, bool)> = inner
            .conn
            .query_row(
                "SELECT version, status, flagged FROM cases WHERE case_id = ?1",
                [case_id.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((version, status, flagged)) = row else {
            return Ok(None);
        };
        let mut comments = Vec::new();
        let mut stmt = inner.conn.prepare(
            "SELECT event_seq, sealed FROM case_comments WHERE case_id = ?1 ORDER BY event_seq",
        )?;
        let rows = stmt.query_map([case_id.as_bytes()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let rows: Vec<(i64, Vec<u8>)> = rows.collect::<std::result::Result<_, _>>()?;
        if !rows.is_empty() {
            let key = inner.keys.household(&inner.conn, case_id)?;
            for (seq, sealed) in rows {
                let bytes = open_record(&key, comment_aad(&case_id, seq), &sealed)
                    .map_err(|e| StoreError::record("case_comments", e))?;
                comments.push(
                    String::from_utf8(bytes.to_vec())
                        .map_err(|_| StoreError::Encoding("comment".into()))?,
                );
            }
        }
        Ok(Some(CaseInfo {
            case_id,
            version,
            status: CaseStatus::parse_stored(&status)
                .ok_or(StoreError::Encoding("case status".into()))?,
            flagged,
            comments,
        }))
    }

    /// Every case the registry has told this device about: (id, version, status).
    pub fn cases(&self) -> Result<Vec<(Uuid, u32, CaseStatus)>> {
        let inner = self.inner()?;
        let mut stmt = inner
            .conn
            .prepare("SELECT case_id, version, status FROM cases ORDER BY event_seq")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, version, status) = row?;
            let id = Uuid::from_slice(&id).map_err(|_| StoreError::Encoding("case id".into()))?;
            let status = CaseStatus::parse_stored(&status)
                .ok_or(StoreError::Encoding("case status".into()))?;
            out.push((id, version, status));
        }
        Ok(out)
    }

    /// Received rule packs, newest first. They were verified on receipt;
    /// verify again before activating.
    pub fn rule_packs(&self) -> Result<Vec<StoredPack>> {
        let inner = self.inner()?;
        let mut stmt = inner
            .conn
            .prepare("SELECT version, toml, signature FROM rule_packs ORDER BY received_at DESC, version DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredPack {
                version: r.get(0)?,
                toml: r.get(1)?,
                signature: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Forget every household whose operations the registry has all
    /// acknowledged more than `retention` ago. Never touches a household with
    /// a pending or rejected operation, or a draft. Returns how many.
    pub fn forget_expired(&self, retention: Duration) -> Result<usize> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let now = self.now();
        let cutoff = now.timestamp() - i64::try_from(retention.as_secs()).unwrap_or(i64::MAX);
        let ids: Vec<Vec<u8>> = {
            let mut stmt = inner.conn.prepare(
                "SELECT entity_id FROM outbox GROUP BY entity_id
                 HAVING sum(state != 'acked') = 0 AND max(acked_at) <= ?1",
            )?;
            let rows = stmt.query_map([cutoff], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        let mut expired = Vec::new();
        for id in ids {
            let id =
                Uuid::from_slice(&id).map_err(|_| StoreError::Encoding("household id".into()))?;
            // A draft (a correction started after the last push) stays.
            if let Some((_, crate::model::FormStatus::Final)) = households::latest(&inner.conn, id)?
            {
                // Nor one whose plan, referral or visit is still in motion.
                if !super::followup::keeps_household(&inner.conn, id, cutoff)? {
                    expired.push(id);
                }
            }
        }
        if expired.is_empty() {
            return Ok(0);
        }
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            for id in &expired {
                households::delete(tx, keys, *id, None, now, AuditAction::Retention)?;
            }
            Ok(())
        })?;
        self.rotate_after_forget(inner)?;
        Ok(expired.len())
    }
}
