//! Follow-up records at rest: plans, referrals, visits and exits, sealed under
//! their household's key, versioned like forms, forgotten with the household.
//!
//! A row holds only what a query needs in plaintext: the record's id, version,
//! kind, household, draft/final and when it was written. Everything else (the
//! plan's measures and notes, a referral's ground, what a visit found) is in
//! `sealed`, bound to the kind's table name, the record id and the version,
//! so a plan's ciphertext moved into a referral's row, or another version's,
//! does not open. The rows reference the household's key with `ON DELETE
//! CASCADE`: forgetting the household deletes them in the same transaction.
//!
//! Each household's settlement is kept as a blind index (HMAC under a key
//! derived from the store's meta root, like the IIN index) so the visit list
//! of a settlement opens only the households that live there.

use super::audit::{self, AuditAction};
use super::error::{Result, StoreError};
use super::households;
use super::keys::{open_error, Keys};
use super::outbox;
use crate::crypto::{open_record, seal_record, RecordAad, SecretKey};
use crate::followup::{
    CaseFile, ExitRecord, FollowUpRecord, IntegrationPlan, RecordKind, Referral, Visit,
};
use crate::model::{DocumentStatus, FormStatus, Household};
use chrono::{DateTime, Utc};
use ring::hmac;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

/// The associated-data table name of a kind's records.
fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Plan => "followup_plan",
        RecordKind::Referral => "followup_referral",
        RecordKind::Visit => "followup_visit",
        RecordKind::Exit => "followup_exit",
    }
}

fn status_str(s: FormStatus) -> &'static str {
    match s {
        FormStatus::Draft => "draft",
        FormStatus::Final => "final",
    }
}

fn uuid(b: &[u8]) -> Result<Uuid> {
    Uuid::from_slice(b).map_err(|e| StoreError::Encoding(e.to_string()))
}

/// The stored latest version of a record: (kind, household, version, status).
pub(crate) struct Latest {
    pub kind: RecordKind,
    pub household_id: Uuid,
    pub version: u32,
    pub status: FormStatus,
}

pub(crate) fn latest(conn: &Connection, id: Uuid) -> Result<Option<Latest>> {
    let row = conn
        .query_row(
            "SELECT kind, household_id, version, status FROM followup WHERE record_id = ?1
             ORDER BY version DESC LIMIT 1",
            [id.as_bytes()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((kind, household, version, status)) = row else {
        return Ok(None);
    };
    Ok(Some(Latest {
        kind: RecordKind::parse(&kind).ok_or(StoreError::Encoding("record kind".into()))?,
        household_id: uuid(&household)?,
        version,
        status: if status == "final" {
            FormStatus::Final
        } else {
            FormStatus::Draft
        },
    }))
}

fn write_row<R: FollowUpRecord>(tx: &Transaction<'_>, keys: &Keys, r: &R) -> Result<()> {
    let head = r.head();
    let key = keys.household(tx, head.household_id)?;
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(r).map_err(|e| StoreError::Encoding(e.to_string()))?,
    );
    let aad = RecordAad {
        table: table(R::KIND),
        record_id: head.id.as_bytes(),
        version: head.version,
    };
    let sealed = seal_record(&key, aad, &json).map_err(StoreError::Crypto)?;
    tx.execute(
        "INSERT INTO followup (record_id, version, kind, household_id, status, sealed, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (record_id, version) DO UPDATE
         SET status = excluded.status, sealed = excluded.sealed, updated_at = excluded.updated_at",
        params![
            head.id.as_bytes(),
            head.version,
            R::KIND.code(),
            head.household_id.as_bytes(),
            status_str(head.status),
            sealed,
            head.updated_at.timestamp()
        ],
    )?;
    Ok(())
}

/// The household a record belongs to, for its checks: its latest form.
fn household_of(conn: &Connection, keys: &Keys, id: Uuid) -> Result<Household> {
    households::load(conn, keys, id, None)
}

/// Save a draft record: a new one (version 1), an edit of the current draft,
/// or the first save of a revision (version + 1 naming the final version).
/// Checked against the household's latest form; nothing is written when it
/// has a problem.
pub(crate) fn save_draft<R: FollowUpRecord>(
    tx: &Transaction<'_>,
    keys: &Keys,
    r: &R,
    staff: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let head = r.head();
    if head.status == FormStatus::Final {
        return Err(StoreError::WrongState("save a draft, then finalize it"));
    }
    let action = match latest(tx, head.id)? {
        None if head.version == 1 && head.replaces.is_none() => AuditAction::RecordCreate,
        None => return Err(StoreError::WrongState("a new record starts at version 1")),
        Some(l) if l.kind != R::KIND || l.household_id != head.household_id => {
            return Err(StoreError::WrongState(
                "a record keeps its kind and household",
            ))
        }
        Some(l) if l.version == head.version && l.status == FormStatus::Draft => {
            AuditAction::RecordEdit
        }
        Some(l) if l.version == head.version => return Err(StoreError::Immutable),
        Some(l)
            if l.status == FormStatus::Final
                && head.version == l.version + 1
                && head.replaces == Some(l.version) =>
        {
            AuditAction::RecordRevise
        }
        Some(_) => {
            return Err(StoreError::WrongState(
                "version does not follow the stored one",
            ))
        }
    };
    let household = household_of(tx, keys, head.household_id)?;
    r.check(&household, now.date_naive())
        .map_err(StoreError::FollowUp)?;
    let mut stored = r.clone();
    stored.head_mut().updated_at = now;
    write_row(tx, keys, &stored)?;
    audit::append(
        tx,
        &keys.audit,
        now,
        Some(staff),
        Some(head.household_id),
        action,
    )
}

/// Decrypt record `id` of kind `R` at `version` (the latest when `None`).
pub(crate) fn load<R: FollowUpRecord>(
    conn: &Connection,
    keys: &Keys,
    id: Uuid,
    version: Option<u32>,
) -> Result<R> {
    let l = latest(conn, id)?.ok_or(StoreError::NotFound)?;
    if l.kind != R::KIND {
        return Err(StoreError::NotFound);
    }
    let version = version.unwrap_or(l.version);
    let sealed: Vec<u8> = conn
        .query_row(
            "SELECT sealed FROM followup WHERE record_id = ?1 AND version = ?2",
            params![id.as_bytes(), version],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    open_row(conn, keys, R::KIND, l.household_id, id, version, &sealed)
}

fn open_row<R: FollowUpRecord>(
    conn: &Connection,
    keys: &Keys,
    kind: RecordKind,
    household: Uuid,
    id: Uuid,
    version: u32,
    sealed: &[u8],
) -> Result<R> {
    let key = keys.household(conn, household)?;
    open_with(&key, kind, id, version, sealed)
}

fn open_with<R: FollowUpRecord>(
    key: &SecretKey,
    kind: RecordKind,
    id: Uuid,
    version: u32,
    sealed: &[u8],
) -> Result<R> {
    let aad = RecordAad {
        table: table(kind),
        record_id: id.as_bytes(),
        version,
    };
    let json = open_record(key, aad, sealed).map_err(open_error(table(kind)))?;
    serde_json::from_slice(&json).map_err(|e| StoreError::Encoding(e.to_string()))
}

/// Finalize the current draft of record `id` (sign a plan, record a visit):
/// checked for what a final record needs, frozen, and queued for the
/// registry in the same transaction.
pub(crate) fn finalize<R: FollowUpRecord>(
    tx: &Transaction<'_>,
    keys: &Keys,
    id: Uuid,
    staff: Uuid,
    now: DateTime<Utc>,
) -> Result<R> {
    let l = latest(tx, id)?.ok_or(StoreError::NotFound)?;
    if l.kind != R::KIND {
        return Err(StoreError::NotFound);
    }
    if l.status == FormStatus::Final {
        return Err(StoreError::Immutable);
    }
    let mut r: R = load(tx, keys, id, Some(l.version))?;
    let household = household_of(tx, keys, l.household_id)?;
    r.check_final(&household, now.date_naive())
        .map_err(StoreError::FollowUp)?;
    let head = r.head_mut();
    head.status = FormStatus::Final;
    head.updated_at = now;
    let (version, replaces) = (head.version, head.replaces);
    write_row(tx, keys, &r)?;
    outbox::enqueue(tx, R::KIND.code(), id, version, replaces)?;
    audit::append(
        tx,
        &keys.audit,
        now,
        Some(staff),
        Some(l.household_id),
        AuditAction::RecordFinalize,
    )?;
    Ok(r)
}

/// Every follow-up record of a household, latest version of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpFile {
    pub plans: Vec<IntegrationPlan>,
    pub referrals: Vec<Referral>,
    pub visits: Vec<Visit>,
    pub exits: Vec<ExitRecord>,
}

pub(crate) fn file_of(conn: &Connection, keys: &Keys, household: Uuid) -> Result<FollowUpFile> {
    let key = keys.household(conn, household)?;
    file_with_key(conn, &key, household)
}

/// [`file_of`] with the household's key already unwrapped.
fn file_with_key(conn: &Connection, key: &SecretKey, household: Uuid) -> Result<FollowUpFile> {
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, version, kind, sealed FROM followup f
         WHERE household_id = ?1
           AND version = (SELECT max(version) FROM followup WHERE record_id = f.record_id)
         ORDER BY updated_at, record_id",
    )?;
    let rows = stmt.query_map([household.as_bytes()], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Vec<u8>>(3)?,
        ))
    })?;
    let mut out = FollowUpFile::default();
    for row in rows {
        let (id, version, kind, sealed) = row?;
        let id = uuid(&id)?;
        let kind = RecordKind::parse(&kind).ok_or(StoreError::Encoding("record kind".into()))?;
        match kind {
            RecordKind::Plan => out.plans.push(open_with(key, kind, id, version, &sealed)?),
            RecordKind::Referral => out
                .referrals
                .push(open_with(key, kind, id, version, &sealed)?),
            RecordKind::Visit => out.visits.push(open_with(key, kind, id, version, &sealed)?),
            RecordKind::Exit => out.exits.push(open_with(key, kind, id, version, &sealed)?),
        }
    }
    Ok(out)
}

/// The ids of every record of `household` (for the outbox when it is forgotten).
pub(crate) fn record_ids(conn: &Connection, household: Uuid) -> Result<Vec<Vec<u8>>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT record_id FROM followup WHERE household_id = ?1")?;
    let rows = stmt.query_map([household.as_bytes()], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Before a household is deleted: drop its records' unsent operations and
/// the sealed copies of the sent ones (their sequence numbers stay, the
/// registry's exactly-once key). The rows go with the household's key.
pub(crate) fn forget(tx: &Transaction<'_>, household: Uuid) -> Result<()> {
    for id in record_ids(tx, household)? {
        tx.execute(
            "DELETE FROM outbox WHERE entity_id = ?1 AND state = 'pending'",
            [&id],
        )?;
        tx.execute(
            "UPDATE outbox SET sealed = NULL WHERE entity_id = ?1",
            [&id],
        )?;
    }
    Ok(())
}

/// Whether `household` has a follow-up draft, an unacknowledged operation,
/// or one acknowledged after `cutoff`: retention must not forget it yet.
pub(crate) fn keeps_household(conn: &Connection, household: Uuid, cutoff: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM followup WHERE household_id = ?1 AND status = 'draft')
             OR EXISTS (SELECT 1 FROM outbox o JOIN followup f ON f.record_id = o.entity_id
                        WHERE f.household_id = ?1
                          AND (o.state != 'acked' OR o.acked_at IS NULL OR o.acked_at > ?2))",
        params![household.as_bytes(), cutoff],
        |r| r.get(0),
    )?)
}

/// Whether any record of `household` has an unacknowledged operation.
pub(crate) fn has_unacked(conn: &Connection, household: Uuid) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox o JOIN followup f ON f.record_id = o.entity_id
                        WHERE f.household_id = ?1 AND o.state != 'acked')",
        [household.as_bytes()],
        |r| r.get(0),
    )?)
}

// ---- settlements ------------------------------------------------------------

/// A settlement name as compared: trimmed, inner spaces collapsed, lower case
/// (Unicode), so "Жанаталап " and "жанаталап" are one village.
fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The blind index of a settlement name; `None` for a blank one.
pub(crate) fn place_blind(keys: &Keys, settlement: &str) -> Option<[u8; 32]> {
    let n = normalize(settlement);
    if n.is_empty() {
        return None;
    }
    let tag = hmac::sign(&keys.places, n.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    Some(out)
}

/// Record where household `h` lives (called whenever its form is saved).
pub(crate) fn index_place(tx: &Transaction<'_>, keys: &Keys, h: &Household) -> Result<()> {
    let blind = h
        .location
        .settlement
        .as_deref()
        .and_then(|s| place_blind(keys, s));
    tx.execute(
        "INSERT INTO household_places (household_id, settlement) VALUES (?1, ?2)
         ON CONFLICT (household_id) DO UPDATE SET settlement = excluded.settlement",
        params![h.id.as_bytes(), blind.as_ref().map(|b| &b[..])],
    )?;
    Ok(())
}

/// Index the households saved before the index existed (a database upgraded
/// from schema 3): once, when the store opens.
pub(crate) fn backfill_places(tx: &Transaction<'_>, keys: &Keys) -> Result<usize> {
    let ids: Vec<Vec<u8>> = {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT h.household_id FROM households h
             WHERE NOT EXISTS (SELECT 1 FROM household_places p WHERE p.household_id = h.household_id)",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let mut indexed = 0;
    for id in &ids {
        // A record that does not open (tampered) is left unindexed: the
        // store still opens, and the household is indexed when next saved.
        if let Ok(h) = households::load(tx, keys, uuid(id)?, None) {
            index_place(tx, keys, &h)?;
            indexed += 1;
        }
    }
    Ok(indexed)
}

/// The households whose latest form names `settlement`.
pub(crate) fn households_in(conn: &Connection, keys: &Keys, settlement: &str) -> Result<Vec<Uuid>> {
    let Some(blind) = place_blind(keys, settlement) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT household_id FROM household_places WHERE settlement = ?1 ORDER BY household_id",
    )?;
    let rows = stmt.query_map([&blind[..]], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(uuid(&r?)?);
    }
    Ok(out)
}

/// The two fields of a form the visit list reads; the rest of the JSON is
/// skipped, not built (a household's members and incomes are most of it).
#[derive(serde::Deserialize)]
struct FormDocuments {
    #[serde(default)]
    documents: Vec<crate::model::Document>,
    updated_at: DateTime<Utc>,
}

/// What the visit list needs of one household: its follow-up records, the
/// documents its form lacks, whether the registry returned it. The
/// household's key is unwrapped once for the form and every record.
pub(crate) fn case_file(
    conn: &Connection,
    keys: &Keys,
    id: Uuid,
    returned: bool,
    rescreen_changed: bool,
) -> Result<CaseFile> {
    let key = keys.household(conn, id)?;
    let json = households::latest_json(conn, &key, id)?;
    let form: FormDocuments =
        serde_json::from_slice(&json).map_err(|e| StoreError::Encoding(e.to_string()))?;
    let file = file_with_key(conn, &key, id)?;
    Ok(CaseFile {
        household_id: id,
        plans: file.plans,
        referrals: file.referrals,
        visits: file.visits,
        exits: file.exits,
        missing_documents: form
            .documents
            .iter()
            .filter(|d| d.status != DocumentStatus::Have)
            .map(|d| d.kind)
            .collect(),
        form_date: Some(form.updated_at.date_naive()),
        returned,
        rescreen_changed,
    })
}

/// The households the registry's last word on is "returned".
pub(crate) fn returned(conn: &Connection) -> Result<std::collections::HashSet<Uuid>> {
    let mut stmt = conn.prepare_cached("SELECT case_id FROM cases WHERE status = 'returned'")?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = std::collections::HashSet::new();
    for r in rows {
        out.insert(uuid(&r?)?);
    }
    Ok(out)
}
