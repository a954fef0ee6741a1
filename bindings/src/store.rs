//! `KomekStore`: the encrypted offline store as one object apps hold.
//!
//! It wraps `komek_core::store::Store` (one per database file and process) and
//! the active rule pack. The API model (ADR 0008): every call that reads or
//! writes the database, asks the platform vault or goes to the network is an
//! `async` method (Kotlin `suspend`, Swift `async`) whose work runs on tokio's
//! blocking pool, never on the caller's thread; calls that only compute or
//! read memory (`validate`, `precheck`, `lock`, `current_staff`,
//! `active_rule_pack`) are plain and quick. So apps call the generated class
//! directly from the main thread, and neither platform layer wraps calls.
//!
//! A call whose coroutine or task is cancelled still finishes on the pool (a
//! write commits or not, as one transaction); only its answer is dropped.

use crate::enums::{Lang, Role};
use crate::error::{KomekError, Result};
use crate::household::Household;
use crate::report::{precheck, Precheck};
use crate::rescreen::Rescreen;
use crate::rule_pack::RulePack;
use crate::scalars::IsoDate;
use crate::store_types::{AuditEntry, HouseholdSummary, OutboxCounts, StaffMember, StoreConfig};
use crate::validation::{self, Problem, ValidationStage};
use crate::vault::{KeyVault, VaultAdapter};
use komek_core::model::Tiyn;
use komek_core::rules::rescreen::DEFAULT_NEAR_MARGIN;
use komek_core::store::Store;
use std::path::Path;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// What the blocking pool's tasks share with the object: the core store, the
/// active pack and the rules keys the app trusts.
pub(crate) struct Shared {
    pub(crate) store: Store,
    pub(crate) rules: RwLock<Arc<RulePack>>,
    pub(crate) trusted_rule_keys: Vec<Vec<u8>>,
}

/// The device's encrypted store and the rule pack it pre-checks with.
#[derive(uniffi::Object)]
pub struct KomekStore {
    pub(crate) shared: Arc<Shared>,
    /// One sync or enrolment at a time per store (a cancelled one finishes
    /// its step before the next starts).
    pub(crate) sync_lock: Arc<tokio::sync::Mutex<()>>,
}

fn household(h: Household) -> Result<komek_core::model::Household> {
    komek_core::model::Household::try_from(h)
}

/// Run `f` on tokio's blocking pool and wait for it without blocking the
/// caller's thread. Outside a tokio runtime (a Rust caller without one) an
/// error, not a panic.
pub(crate) async fn on_pool<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| KomekError::internal("the store's calls need a tokio runtime"))?;
    crate::sync::joined(runtime.spawn_blocking(f).await)?
}

impl KomekStore {
    /// Run `f` with the shared state on the blocking pool.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Shared) -> Result<T> + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        on_pool(move || f(&shared)).await
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl KomekStore {
    /// Open the store at `path` (created on first use), unwrapping its keys
    /// with `vault`. The store starts locked. Pre-checks use the pack that was
    /// active when the store was last used (verified again against the
    /// registry's rules key and `config.trusted_rule_keys`), else the
    /// embedded default.
    #[uniffi::constructor]
    pub async fn open(
        path: String,
        vault: Arc<dyn KeyVault>,
        config: StoreConfig,
    ) -> Result<Arc<KomekStore>> {
        let shared = on_pool(move || {
            let trusted_rule_keys = config.trusted_rule_keys.clone();
            let store = Store::open(
                Path::new(&path),
                Arc::new(VaultAdapter(vault)),
                config.try_into()?,
            )?;
            let shared = Shared {
                store,
                rules: RwLock::new(RulePack::embedded()?),
                trusted_rule_keys,
            };
            shared.restore_active_pack();
            Ok(shared)
        })
        .await?;
        Ok(Arc::new(KomekStore {
            shared: Arc::new(shared),
            sync_lock: Arc::new(tokio::sync::Mutex::new(())),
        }))
    }

    // ---- staff -------------------------------------------------------------

    /// Add a staff member and return their id. The first one of a new device
    /// must be a supervisor and needs no unlock; later ones need an unlocked
    /// supervisor. PINs are 4 to 8 digits.
    pub async fn add_staff(&self, role: Role, display_name: String, pin: String) -> Result<Uuid> {
        self.blocking(move |s| Ok(s.store.add_staff(role.into(), &display_name, &pin)?))
            .await
    }

    /// Every staff member (needs an unlocked session).
    pub async fn staff(&self) -> Result<Vec<StaffMember>> {
        self.blocking(|s| Ok(s.store.staff()?.into_iter().map(Into::into).collect()))
            .await
    }

    /// Unlock as `staff_id`. Wrong PINs are counted: `WrongPin` says how many
    /// attempts are left, then `TooManyAttempts` asks to wait, then
    /// `LockedOut` needs a supervisor. A `lock()` while the PIN is checked
    /// wins: the call ends with `Locked`.
    pub async fn unlock(&self, staff_id: Uuid, pin: String) -> Result<()> {
        self.blocking(move |s| Ok(s.store.unlock(staff_id, &pin)?))
            .await
    }

    /// A supervisor sets a new PIN for `staff_id` and lifts any lock-out.
    pub async fn reset_staff(&self, staff_id: Uuid, new_pin: String) -> Result<()> {
        self.blocking(move |s| Ok(s.store.reset_staff(staff_id, &new_pin)?))
            .await
    }

    // ---- households --------------------------------------------------------

    /// Save a draft (new, edited, or a correction). Refused with
    /// `InvalidForm` when it has errors (see `validate`); nothing is written.
    pub async fn save_draft(&self, household: Household) -> Result<()> {
        let h = self::household(household)?;
        self.blocking(move |s| Ok(s.store.save_draft(&h)?)).await
    }

    /// The latest version of a household.
    pub async fn load(&self, id: Uuid) -> Result<Household> {
        self.blocking(move |s| Ok(s.store.load(id)?.into())).await
    }

    /// A given version of a household.
    pub async fn load_version(&self, id: Uuid, version: u32) -> Result<Household> {
        self.blocking(move |s| Ok(s.store.load_version(id, version)?.into()))
            .await
    }

    /// Every household, latest version, without personal data.
    pub async fn list(&self) -> Result<Vec<HouseholdSummary>> {
        self.blocking(|s| Ok(s.store.list()?.into_iter().map(Into::into).collect()))
            .await
    }

    /// The ids of households with a member whose IIN is `iin` (looked up
    /// through a blind index; the IIN is never stored in the clear).
    pub async fn find_by_iin(&self, iin: String) -> Result<Vec<Uuid>> {
        self.blocking(move |s| Ok(s.store.find_by_iin(&iin)?)).await
    }

    /// Finalize the current draft on `today` and queue it for the registry, in
    /// one transaction. Refused with `InvalidForm` when a field the
    /// pre-checks need is missing (validate with `ValidationStage.FINALIZE`).
    pub async fn finalize(&self, id: Uuid, today: IsoDate) -> Result<Household> {
        self.blocking(move |s| Ok(s.store.finalize(id, today)?.into()))
            .await
    }

    /// Start a correction of a finalized household: a new draft, version + 1,
    /// naming the version it replaces, saved at once.
    pub async fn start_correction(&self, id: Uuid) -> Result<Household> {
        self.blocking(move |s| Ok(s.store.start_correction(id)?.into()))
            .await
    }

    /// Forget a household (consent withdrawn, retention over): its data, key
    /// and index entries are deleted and the device data key is rotated, so no
    /// old copy of the database can be read for it.
    pub async fn forget(&self, id: Uuid) -> Result<()> {
        self.blocking(move |s| Ok(s.store.forget(id)?)).await
    }

    /// Whether `id` has operations the registry has not acknowledged yet.
    pub async fn has_unsynced(&self, id: Uuid) -> Result<bool> {
        self.blocking(move |s| Ok(s.store.has_unsynced(id)?)).await
    }

    // ---- rules -------------------------------------------------------------

    /// Make a verified pack the active one, kept in the store (it survives a
    /// restart). A pack issued before the active one is refused: an old pack
    /// must not roll the law back.
    pub async fn activate_rule_pack(&self, pack: Arc<RulePack>) -> Result<()> {
        self.blocking(move |s| s.activate(pack, true).map(|_| ()))
            .await
    }

    /// Evaluate every stored household under `old` and `new` on `date` and
    /// list those to revisit: outcome or amount changed, or TSA within
    /// `near_margin` of the line (default 5,000 tenge per person).
    #[uniffi::method(default(near_margin = None))]
    pub async fn rescreen(
        &self,
        old: Arc<RulePack>,
        new: Arc<RulePack>,
        date: IsoDate,
        near_margin: Option<Tiyn>,
    ) -> Result<Rescreen> {
        let margin = near_margin.unwrap_or(DEFAULT_NEAR_MARGIN);
        self.blocking(move |s| Ok(s.store.rescreen(&old.pack, &new.pack, date, margin)?.into()))
            .await
    }

    // ---- outbox and audit --------------------------------------------------

    /// How many finalized forms wait for the registry, were acknowledged or
    /// were rejected.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        self.blocking(|s| Ok(s.store.outbox_counts()?.into())).await
    }

    /// The audit trail, oldest first (needs an unlocked supervisor).
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        self.blocking(|s| {
            Ok(s.store
                .audit_entries()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Check the tamper-evident audit trail; returns the number of entries.
    pub async fn verify_audit(&self) -> Result<i64> {
        self.blocking(|s| Ok(crate::scalars::count(s.store.verify_audit()?)))
            .await
    }
}

/// The quick calls: memory only, never waiting for the database.
#[uniffi::export]
impl KomekStore {
    /// Lock now (the app went to the background, the phone is handed over).
    /// Never waits: a call already running finishes, every later one finds
    /// the store locked. Safe on the main thread.
    pub fn lock(&self) {
        self.shared.store.lock()
    }

    /// The unlocked staff member, if any. Never waits.
    pub fn current_staff(&self) -> Option<Uuid> {
        self.shared.store.current_staff()
    }

    /// Every problem of `household` on `today` (the device's local date), with
    /// messages in `lang`. Pure: needs no unlock and writes nothing.
    pub fn validate(
        &self,
        household: Household,
        today: IsoDate,
        stage: ValidationStage,
        lang: Lang,
    ) -> Result<Vec<Problem>> {
        validation::validate(household, today, stage, lang)
    }

    /// The eligibility pre-check of `household` on `date` under the active
    /// rule pack: the typed report and its text, in `lang`. Pure: needs no
    /// unlock and writes nothing.
    pub fn precheck(&self, household: Household, date: IsoDate, lang: Lang) -> Result<Precheck> {
        let h = self::household(household)?;
        let pack = self.shared.active_pack()?;
        let report = komek_core::rules::evaluate(&h, &pack.pack, date);
        Ok(precheck(&report, lang))
    }

    /// The pack `precheck` uses.
    pub fn active_rule_pack(&self) -> Result<Arc<RulePack>> {
        self.shared.active_pack()
    }
}

impl Shared {
    pub(crate) fn active_pack(&self) -> Result<Arc<RulePack>> {
        self.rules
            .read()
            .map(|p| Arc::clone(&p))
            .map_err(|_| KomekError::internal("rule pack lock poisoned"))
    }

    /// Make `pack` active unless it is older than (or the same as) the
    /// active one; keep the choice in the store. With `refuse_older`, an older
    /// pack is an error; otherwise it is ignored (`Ok(false)`).
    pub(crate) fn activate(&self, pack: Arc<RulePack>, refuse_older: bool) -> Result<bool> {
        let mut active = self
            .rules
            .write()
            .map_err(|_| KomekError::internal("rule pack lock poisoned"))?;
        if pack.pack.issued < active.pack.issued {
            if !refuse_older {
                return Ok(false);
            }
            return Err(KomekError::RulePack {
                reason: format!(
                    "the rule pack {} was issued before the active pack {}",
                    pack.pack.version, active.pack.version
                ),
            });
        }
        if pack.pack.version == active.pack.version && pack.signed == active.signed {
            return Ok(false);
        }
        self.store.set_active_rule_pack(pack.signed.as_ref())?;
        *active = pack;
        Ok(true)
    }

    /// The rules keys a kept pack is checked against: the app's and the
    /// registry's (from enrolment).
    pub(crate) fn trusted_keys(&self) -> Result<komek_core::rules::signing::TrustedKeys> {
        let mut trusted = komek_core::rules::signing::TrustedKeys::new();
        for k in &self.trusted_rule_keys {
            trusted.add(k);
        }
        if let Some(identity) = self.store.sync_identity()? {
            trusted.add(&identity.rules_key);
        }
        Ok(trusted)
    }

    /// At open: the pack kept in the store, verified again; the embedded
    /// pack when there is none or it no longer verifies (logged).
    fn restore_active_pack(&self) {
        let restored = self
            .store
            .active_rule_pack()
            .map_err(KomekError::from)
            .and_then(|kept| {
                let Some(kept) = kept else { return Ok(None) };
                RulePack::from_stored(kept, &self.trusted_keys()?).map(Some)
            });
        match restored {
            Ok(Some(pack)) => {
                log::info!(
                    "rule pack {} restored as the active pack",
                    pack.pack.version
                );
                if let Ok(mut active) = self.rules.write() {
                    *active = pack;
                }
            }
            Ok(None) => {}
            Err(e) => log::warn!(
                "the kept rule pack is not usable ({}); using the embedded pack",
                e.code_str()
            ),
        }
    }
}
