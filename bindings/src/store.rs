//! `KomekStore`: the encrypted offline store as one object apps hold.
//!
//! It wraps `komek_core::store::Store` (one per database file and process) and
//! the active rule pack. Every method is a blocking call: it may fsync SQLite
//! or ask the platform vault, so Kotlin calls it on `Dispatchers.IO` and Swift
//! off the main actor (the thin platform layers do both). Calls are safe from
//! any thread; the core serializes them.
//!
//! The core store is held in an `Arc` so the async `enrol` and `sync`
//! (`crate::sync`) can move a handle into a background task.

use crate::enums::{Lang, Role};
use crate::error::{KomekError, Result};
use crate::household::Household;
use crate::report::{precheck, Precheck};
use crate::rescreen::Rescreen;
use crate::rule_pack::RulePack;
use crate::scalars::IsoDate;
use crate::store_types::{HouseholdSummary, OutboxCounts, StaffMember, StoreConfig};
use crate::validation::{self, Problem, ValidationStage};
use crate::vault::{KeyVault, VaultAdapter};
use komek_core::model::Tiyn;
use komek_core::rules::rescreen::DEFAULT_NEAR_MARGIN;
use komek_core::store::Store;
use std::path::Path;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// The device's encrypted store and the rule pack it pre-checks with.
#[derive(uniffi::Object)]
pub struct KomekStore {
    pub(crate) store: Arc<Store>,
    pub(crate) rules: RwLock<Arc<komek_core::rules::RulePack>>,
    /// One sync or enrolment at a time per store (a cancelled one finishes
    /// its step before the next starts).
    pub(crate) sync_lock: Arc<tokio::sync::Mutex<()>>,
}

fn household(h: Household) -> Result<komek_core::model::Household> {
    komek_core::model::Household::try_from(h)
}

#[uniffi::export]
impl KomekStore {
    /// Open the store at `path` (created on first use), unwrapping its keys
    /// with `vault`. The store starts locked; the active rule pack is the
    /// embedded default.
    #[uniffi::constructor]
    pub fn open(
        path: String,
        vault: Arc<dyn KeyVault>,
        config: StoreConfig,
    ) -> Result<Arc<KomekStore>> {
        let pack = komek_core::rules::pack::try_default_pack()?.clone();
        let store = Store::open(
            Path::new(&path),
            Arc::new(VaultAdapter(vault)),
            config.into(),
        )?;
        Ok(Arc::new(KomekStore {
            store: Arc::new(store),
            rules: RwLock::new(Arc::new(pack)),
            sync_lock: Arc::new(tokio::sync::Mutex::new(())),
        }))
    }

    // ---- staff -------------------------------------------------------------

    /// Add a staff member and return their id. The first one of a new device
    /// must be a supervisor and needs no unlock; later ones need an unlocked
    /// supervisor. PINs are 4 to 8 digits.
    pub fn add_staff(&self, role: Role, display_name: String, pin: String) -> Result<Uuid> {
        Ok(self.store.add_staff(role.into(), &display_name, &pin)?)
    }

    /// Every staff member (needs an unlocked session).
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        Ok(self.store.staff()?.into_iter().map(Into::into).collect())
    }

    /// Unlock as `staff_id`. Wrong PINs are counted: `WrongPin` says how many
    /// attempts are left, then `TooManyAttempts` asks to wait, then
    /// `LockedOut` needs a supervisor.
    pub fn unlock(&self, staff_id: Uuid, pin: String) -> Result<()> {
        Ok(self.store.unlock(staff_id, &pin)?)
    }

    /// Lock now (the app went to the background, the phone is handed over).
    pub fn lock(&self) {
        self.store.lock()
    }

    /// The unlocked staff member, if any.
    pub fn current_staff(&self) -> Option<Uuid> {
        self.store.current_staff()
    }

    /// A supervisor sets a new PIN for `staff_id` and lifts any lock-out.
    pub fn reset_staff(&self, staff_id: Uuid, new_pin: String) -> Result<()> {
        Ok(self.store.reset_staff(staff_id, &new_pin)?)
    }

    // ---- households --------------------------------------------------------

    /// Save a draft (new, edited, or a correction). Refused with
    /// `InvalidForm` when it has errors (see `validate`); nothing is written.
    pub fn save_draft(&self, household: Household) -> Result<()> {
        Ok(self.store.save_draft(&self::household(household)?)?)
    }

    /// The latest version of a household.
    pub fn load(&self, id: Uuid) -> Result<Household> {
        Ok(self.store.load(id)?.into())
    }

    /// A given version of a household.
    pub fn load_version(&self, id: Uuid, version: u32) -> Result<Household> {
        Ok(self.store.load_version(id, version)?.into())
    }

    /// Every household, latest version, without personal data.
    pub fn list(&self) -> Result<Vec<HouseholdSummary>> {
        Ok(self.store.list()?.into_iter().map(Into::into).collect())
    }

    /// The ids of households with a member whose IIN is `iin` (looked up
    /// through a blind index; the IIN is never stored in the clear).
    pub fn find_by_iin(&self, iin: String) -> Result<Vec<Uuid>> {
        Ok(self.store.find_by_iin(&iin)?)
    }

    /// Every problem of `household` on `today` (the device's local date), with
    /// messages in `lang`. Needs no unlock and writes nothing.
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
        let pack = self.active_pack()?;
        let report = komek_core::rules::evaluate(&h, &pack, date);
        Ok(precheck(&report, lang))
    }

    /// Finalize the current draft on `today` and queue it for the registry, in
    /// one transaction. Refused with `InvalidForm` when a field the
    /// pre-checks need is missing (validate with `ValidationStage.FINALIZE`).
    pub fn finalize(&self, id: Uuid, today: IsoDate) -> Result<Household> {
        Ok(self.store.finalize(id, today)?.into())
    }

    /// Start a correction of a finalized household: a new draft, version + 1,
    /// naming the version it replaces, saved at once.
    pub fn start_correction(&self, id: Uuid) -> Result<Household> {
        Ok(self.store.start_correction(id)?.into())
    }

    /// Forget a household (consent withdrawn, retention over): its data, key
    /// and index entries are deleted and the device data key is rotated, so no
    /// old copy of the database can be read for it.
    pub fn forget(&self, id: Uuid) -> Result<()> {
        Ok(self.store.forget(id)?)
    }

    /// Whether `id` has operations the registry has not acknowledged yet.
    pub fn has_unsynced(&self, id: Uuid) -> Result<bool> {
        Ok(self.store.has_unsynced(id)?)
    }

    // ---- rules -------------------------------------------------------------

    /// The pack `precheck` uses.
    pub fn active_rule_pack(&self) -> Result<Arc<RulePack>> {
        Ok(Arc::new(RulePack {
            pack: self.active_pack()?,
        }))
    }

    /// Make a verified pack the active one (in memory, for this process). A
    /// pack issued before the active one is refused: an old pack must not
    /// roll the law back.
    pub fn activate_rule_pack(&self, pack: Arc<RulePack>) -> Result<()> {
        let mut active = self
            .rules
            .write()
            .map_err(|_| KomekError::internal("rule pack lock poisoned"))?;
        if pack.pack.issued < active.issued {
            return Err(KomekError::RulePack {
                reason: format!(
                    "the rule pack {} was issued before the active pack {}",
                    pack.pack.version, active.version
                ),
            });
        }
        *active = Arc::clone(&pack.pack);
        Ok(())
    }

    /// Evaluate every stored household under `old` and `new` on `date` and
    /// list those to revisit: outcome or amount changed, or TSA within
    /// `near_margin` of the line (default 5,000 tenge per person).
    #[uniffi::method(default(near_margin = None))]
    pub fn rescreen(
        &self,
        old: Arc<RulePack>,
        new: Arc<RulePack>,
        date: IsoDate,
        near_margin: Option<Tiyn>,
    ) -> Result<Rescreen> {
        let margin = near_margin.unwrap_or(DEFAULT_NEAR_MARGIN);
        Ok(self
            .store
            .rescreen(&old.pack, &new.pack, date, margin)?
            .into())
    }

    // ---- outbox and audit --------------------------------------------------

    /// How many finalized forms wait for the registry, were acknowledged or
    /// were rejected.
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        Ok(self.store.outbox_counts()?.into())
    }

    /// Check the tamper-evident audit trail; returns the number of entries.
    pub fn verify_audit(&self) -> Result<u64> {
        let n = self.store.verify_audit()?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

impl KomekStore {
    pub(crate) fn active_pack(&self) -> Result<Arc<komek_core::rules::RulePack>> {
        self.rules
            .read()
            .map(|p| Arc::clone(&p))
            .map_err(|_| KomekError::internal("rule pack lock poisoned"))
    }
}
