//! The store's calls for follow-up records and the visit list (see
//! [`crate::followup`] for the records, `followup.rs` beside this file for
//! how they are kept).

use super::error::{Result, StoreError};
use super::followup::{self, FollowUpFile};
use super::{audit, db, households, AuditAction, Store};
use crate::followup::visit_list::{visit_list, VisitListSettings, VisitNeed};
use crate::followup::FollowUpRecord;
use crate::rules::rescreen::Rescreen;
use chrono::NaiveDate;
use uuid::Uuid;

impl Store {
    /// Save a follow-up record as a draft (new, edited, or the first save of
    /// a revision). Refused with every problem, each naming its field, when
    /// it does not fit its household's latest form; nothing is written then.
    pub fn save_record<R: FollowUpRecord>(&self, record: &R) -> Result<()> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            followup::save_draft(tx, keys, record, staff, now)
        })
    }

    /// Finalize the current draft of record `id` (sign the plan, record the
    /// visit or exit) and queue it for the registry, in one transaction.
    pub fn finalize_record<R: FollowUpRecord>(&self, id: Uuid) -> Result<R> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            followup::finalize::<R>(tx, keys, id, staff, now)
        })
    }

    /// Start a revision of a final record: a new draft, version + 1, naming
    /// the version it replaces, saved at once.
    pub fn revise_record<R: FollowUpRecord>(&self, id: Uuid) -> Result<R> {
        let revised = {
            let guard = self.inner()?;
            self.session()?;
            let latest = followup::latest(&guard.conn, id)?.ok_or(StoreError::NotFound)?;
            if latest.status != crate::model::FormStatus::Final {
                return Err(StoreError::WrongState("only a final record can be revised"));
            }
            let mut r: R = followup::load(&guard.conn, &guard.keys, id, None)?;
            let head = r.head().revision(self.now());
            *r.head_mut() = head;
            r
        };
        self.save_record(&revised)?;
        Ok(revised)
    }

    /// Record `id` of kind `R` at `version` (the latest when `None`),
    /// audited as a view of its household.
    pub fn load_record<R: FollowUpRecord>(&self, id: Uuid, version: Option<u32>) -> Result<R> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        let r: R = followup::load(&inner.conn, &inner.keys, id, version)?;
        let now = self.now();
        let keys = &inner.keys;
        let household = r.head().household_id;
        db::write(&mut inner.conn, |tx| {
            audit::append(
                tx,
                &keys.audit,
                now,
                Some(staff),
                Some(household),
                AuditAction::View,
            )
        })?;
        Ok(r)
    }

    /// Record `id` at `version` for the sync client (no staff session: sync
    /// runs in the background; the export is audited when the sealed bytes
    /// are stored, as for forms).
    pub fn load_record_for_sync<R: FollowUpRecord>(&self, id: Uuid, version: u32) -> Result<R> {
        let inner = self.inner()?;
        followup::load(&inner.conn, &inner.keys, id, Some(version))
    }

    /// Every follow-up record of household `id` (latest version of each),
    /// audited as one view.
    pub fn follow_up_of(&self, id: Uuid) -> Result<FollowUpFile> {
        let mut guard = self.inner()?;
        let inner = &mut *guard;
        let (staff, _) = self.session()?;
        households::latest(&inner.conn, id)?.ok_or(StoreError::NotFound)?;
        let file = followup::file_of(&inner.conn, &inner.keys, id)?;
        let now = self.now();
        let keys = &inner.keys;
        db::write(&mut inner.conn, |tx| {
            audit::append(
                tx,
                &keys.audit,
                now,
                Some(staff),
                Some(id),
                AuditAction::View,
            )
        })?;
        Ok(file)
    }

    /// The households of `settlement` that need a visit on `date`, and why,
    /// most urgent first (see [`crate::followup::visit_list`]). `rescreen`,
    /// when given, is the re-screen after a new rule pack: its households
    /// are listed for a re-screen visit. Opens only the settlement's
    /// households (through the settlement's blind index).
    pub fn visit_list(
        &self,
        settlement: &str,
        date: NaiveDate,
        settings: &VisitListSettings,
        rescreen: Option<&Rescreen>,
    ) -> Result<Vec<VisitNeed>> {
        let guard = self.inner()?;
        self.session()?;
        let (conn, keys) = (&guard.conn, &guard.keys);
        let returned = followup::returned(conn)?;
        let changed: std::collections::HashSet<Uuid> = rescreen
            .map(|r| r.hits.iter().map(|h| h.household_id).collect())
            .unwrap_or_default();
        let mut cases = Vec::new();
        for id in followup::households_in(conn, keys, settlement)? {
            cases.push(followup::case_file(
                conn,
                keys,
                id,
                returned.contains(&id),
                changed.contains(&id),
            )?);
        }
        Ok(visit_list(&cases, date, settings))
    }
}
