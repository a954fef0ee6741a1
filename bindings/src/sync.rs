//! Enrolment and sync through the FFI: async methods of `KomekStore` (Kotlin
//! `suspend`, Swift `async`), and what sync brings back (cases, decisions,
//! comments, rule packs).
//!
//! Why this shape: the core's `enrol` and `sync` are async (HTTP on tokio) but
//! also do blocking work between awaits (SQLite with fsync, sealing). UniFFI
//! polls an exported future on the caller's thread, which may be Android's
//! main thread, so each call here spawns the core's future on the tokio
//! runtime UniFFI provides (`async_runtime = "tokio"`) and only awaits its
//! result: the caller's thread never runs a blocking step.
//!
//! Cancellation: a `SyncCancel` handle cancels the core's `CancelToken`. When
//! the Kotlin coroutine or Swift task is cancelled, UniFFI drops this future;
//! a guard then cancels the same token, so the spawned sync stops at its next
//! step exactly as with `SyncCancel` (the core's cancellation at an await
//! point: what the registry acknowledged stays acknowledged, nothing else is
//! marked, the next sync resends the same sealed bytes and the registry
//! answers `duplicate` if it had stored them). One sync or enrolment runs at a
//! time per store; a sync started after a cancelled one waits for it to stop.
//! `docs/adr/0006-ffi-sync-runs-on-tokio-and-cancels-on-drop.md` has the why.
//!
//! Received rule packs: the core keeps every pack that verified on receipt.
//! After each sync (and on `activate_received_rule_pack`) they are verified
//! again against the registry's rules key from enrolment and the newest one in
//! force on the given date becomes the pack pre-checks use, unless it was
//! issued before the active one.

use crate::error::{KomekError, Result};
use crate::rule_pack::{RulePack, RulePackInfo};
use crate::scalars::IsoDate;
use crate::store::{on_pool, KomekStore, Shared};
use crate::sync_types::{
    CaseInfo, Enrolment, ListenerAdapter, SyncCancel, SyncListener, SyncOptions, SyncReport,
};
use komek_core::rules::signing::TrustedKeys;
use komek_core::store::{Role, StoreError};
use komek_core::sync::{self as core, CancelToken, Progress, SyncConfig};
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

/// Cancels the sync's token when the FFI future is dropped before it
/// finished (the coroutine or task was cancelled).
struct CancelOnDrop(Option<CancelToken>);

impl CancelOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(token) = self.0.take() {
            log::info!("sync future dropped before it finished; cancelling");
            token.cancel();
        }
    }
}

pub(crate) fn joined<T>(r: std::result::Result<T, tokio::task::JoinError>) -> Result<T> {
    r.map_err(|e| {
        if e.is_panic() {
            log::error!("sync task panicked");
            KomekError::internal("the sync task panicked")
        } else {
            KomekError::Cancelled {
                reason: "the sync task was cancelled".into(),
            }
        }
    })
}

/// Spawn on the ambient tokio runtime: UniFFI's (`async_runtime = "tokio"`)
/// for Kotlin and Swift, the caller's in Rust. Without one, an error, not a
/// panic.
pub(crate) fn spawn<F>(future: F) -> Result<tokio::task::JoinHandle<F::Output>>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| KomekError::internal("enrol and sync need a tokio runtime"))?;
    Ok(runtime.spawn(future))
}

/// The device's local calendar date (rule packs are in force by date).
fn local_today() -> IsoDate {
    chrono::Local::now().date_naive()
}

#[uniffi::export(async_runtime = "tokio")]
impl KomekStore {
    /// Enrol this device with the registry at `registry_url` using the
    /// one-time `code` a supervisor issued (`XXXXX-XXXXX`), under `label`
    /// (shown to supervisors, e.g. "Mobile centre 3, tablet 2"). Needs an
    /// unlocked supervisor. Enrolling again replaces the earlier enrolment.
    /// A wrong or used code is `KomekError.Refused` with code
    /// `bad_enrolment_code`; no link is `KomekError.Network`.
    ///
    /// For an `https://` registry, give `tls_pin`: the certificate pin the
    /// office hands out with the code (`sha256/…`, as `komek registry serve`
    /// prints it). The very first connection is then pinned. Without it the
    /// first certificate seen is trusted and must be among the pins the
    /// registry answers with (trust on first use). A certificate that matches
    /// no pin is `KomekError.Untrusted`. Plain `http://` is allowed only to
    /// a loopback address.
    #[uniffi::method(default(tls_pin = None))]
    pub async fn enrol(
        &self,
        registry_url: String,
        code: String,
        label: String,
        tls_pin: Option<String>,
    ) -> Result<Enrolment> {
        let shared = Arc::clone(&self.shared);
        crate::store::on_pool(move || shared.require_supervisor()).await?;
        let shared = Arc::clone(&self.shared);
        let lock = Arc::clone(&self.sync_lock);
        // Not cancelled when the caller goes away: a code the registry has
        // consumed must not be lost, so the enrolment finishes and is kept.
        let task = spawn(async move {
            let _one_at_a_time = lock.lock().await;
            core::enrol_with_pin(
                &shared.store,
                &registry_url,
                &code,
                &label,
                tls_pin.as_deref(),
            )
            .await
            .map(|identity| Enrolment::from(&identity))
        });
        let enrolment = joined(task?.await)??;
        log::info!(
            "enrolled as device {} of registry {}",
            enrolment.device_id,
            enrolment.registry_id
        );
        Ok(enrolment)
    }

    /// Push every finalized form, then pull case decisions, supervisors'
    /// comments and rule packs. Needs an enrolled device, no unlock (it runs
    /// in the background). `listener` hears the progress; `cancel` (or
    /// cancelling the coroutine / task) stops the sync at its next step with
    /// `KomekError.Cancelled`. Safe to call again after any failure: nothing
    /// is lost and no form is stored twice. A `SyncCancel` serves one sync.
    #[uniffi::method(default(options = None, listener = None, cancel = None))]
    pub async fn sync(
        &self,
        options: Option<SyncOptions>,
        listener: Option<Arc<dyn SyncListener>>,
        cancel: Option<Arc<SyncCancel>>,
    ) -> Result<SyncReport> {
        let options = options.unwrap_or_default();
        let config = SyncConfig::try_from(&options)?;
        let token = cancel.map(|c| c.token.clone()).unwrap_or_default();
        let on_drop = token.clone();
        let shared = Arc::clone(&self.shared);
        let lock = Arc::clone(&self.sync_lock);
        let progress = listener.map(ListenerAdapter);
        let task = spawn(async move {
            let _one_at_a_time = lock.lock().await;
            let progress = progress.as_ref().map(|p| p as &dyn Progress);
            core::sync(&shared.store, &config, progress, &token).await
        })?;
        let mut guard = CancelOnDrop(Some(on_drop));
        let finished = task.await;
        guard.disarm();
        let report = joined(finished)??;
        let today = options.today.unwrap_or_else(local_today);
        let shared = Arc::clone(&self.shared);
        let activated = match crate::store::on_pool(move || shared.activate_received(today)).await {
            Ok(a) => a,
            Err(e) => {
                // The forms are synced; a pack problem must not hide that.
                log::warn!("received rule packs not activated: {}", e.code_str());
                None
            }
        };
        let report = SyncReport::from_core(report, activated);
        log::info!(
            "sync done: {} stored, {} duplicates, {} rejected, {} decisions, {} comments, {} bytes up, {} bytes down, {} requests",
            report.stored,
            report.duplicates,
            report.rejected.len(),
            report.decisions,
            report.comments,
            report.bytes_up,
            report.bytes_down,
            report.requests
        );
        Ok(report)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl KomekStore {
    /// Who this device is to its registry, or None before `enrol`.
    pub async fn enrolment(&self) -> Result<Option<Enrolment>> {
        let shared = Arc::clone(&self.shared);
        on_pool(move || Ok(shared.store.sync_identity()?.as_ref().map(Enrolment::from))).await
    }

    pub async fn is_enrolled(&self) -> Result<bool> {
        let shared = Arc::clone(&self.shared);
        on_pool(move || Ok(shared.store.sync_identity()?.is_some())).await
    }

    /// The cases of the households on this device, in the order their last
    /// decisions arrived, with status and supervisors' comments. Needs an
    /// unlocked staff member (comments are personal data). The registry
    /// tells every device the id and status of every case
    /// (docs/sync-protocol.md, "Event kinds"); the others are left out here.
    pub async fn cases(&self) -> Result<Vec<CaseInfo>> {
        let shared = Arc::clone(&self.shared);
        on_pool(move || {
            let store = &shared.store;
            let here: HashSet<Uuid> = store.list()?.into_iter().map(|h| h.id).collect();
            let mut out = Vec::new();
            for (id, _, _) in store.cases()? {
                if !here.contains(&id) {
                    continue;
                }
                if let Some(case) = store.case(id)? {
                    out.push(case.into());
                }
            }
            Ok(out)
        })
        .await
    }

    /// The registry's view of one household (None if nothing arrived yet).
    /// Needs an unlocked staff member.
    pub async fn case_info(&self, case_id: Uuid) -> Result<Option<CaseInfo>> {
        let shared = Arc::clone(&self.shared);
        on_pool(move || Ok(shared.store.case(case_id)?.map(Into::into))).await
    }

    /// The rule packs sync received, newest first, verified again against
    /// the registry's rules key and not expired on `today`. Packs that no
    /// longer verify are left out. Empty before enrolment.
    pub async fn received_rule_packs(&self, today: IsoDate) -> Result<Vec<Arc<RulePack>>> {
        let shared = Arc::clone(&self.shared);
        on_pool(move || shared.verified_received(today)).await
    }

    /// Make the newest received pack in force on `today` the active one, if
    /// it is newer than the active pack; returns it, or None when nothing
    /// changed. `sync` does this itself after every sync; the choice is kept
    /// in the store (it survives a restart).
    pub async fn activate_received_rule_pack(
        &self,
        today: IsoDate,
    ) -> Result<Option<RulePackInfo>> {
        let shared = Arc::clone(&self.shared);
        on_pool(move || shared.activate_received(today)).await
    }
}

impl Shared {
    /// Enrolment replaces the device's registry identity: a supervisor's act.
    fn require_supervisor(&self) -> Result<()> {
        let me = self.store.current_staff().ok_or(StoreError::Locked)?;
        let staff = self.store.staff()?;
        match staff.iter().find(|s| s.id == me) {
            Some(s) if s.role == Role::Supervisor => Ok(()),
            _ => Err(StoreError::NotSupervisor.into()),
        }
    }

    fn verified_received(&self, today: IsoDate) -> Result<Vec<Arc<RulePack>>> {
        let Some(identity) = self.store.sync_identity()? else {
            return Ok(Vec::new());
        };
        let trusted = TrustedKeys::new().with(&identity.rules_key);
        let mut out = Vec::new();
        for stored in self.store.rule_packs()? {
            let version = stored.version.clone();
            match RulePack::received(stored, &trusted, today) {
                Ok(pack) => out.push(pack),
                Err(e) => log::warn!("received rule pack {version} not usable: {}", e.code_str()),
            }
        }
        Ok(out)
    }

    /// The newest received pack in force on `today` becomes the active one
    /// (kept in the store) unless it is not newer than the active pack.
    pub(crate) fn activate_received(&self, today: IsoDate) -> Result<Option<RulePackInfo>> {
        let newest = self
            .verified_received(today)?
            .into_iter()
            .filter(|p| p.pack.valid_from <= today)
            .max_by_key(|p| p.pack.issued);
        let Some(newest) = newest else {
            return Ok(None);
        };
        let info = RulePack::info_of(&newest.pack);
        if !self.activate(newest, false)? {
            return Ok(None);
        }
        log::info!("rule pack {} activated from sync", info.version);
        Ok(Some(info))
    }
}
