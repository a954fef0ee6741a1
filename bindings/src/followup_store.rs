//! `KomekStore`'s calls for follow-up records and the visit list (the
//! core's `store/followup_api.rs`), each on the blocking pool (ADR 0008).

use crate::error::Result;
use crate::followup::{
    FollowUpFile, FollowUpRecord, IntegrationPlan, RecordKind, Referral, VisitNeed,
};
use crate::scalars::IsoDate;
use crate::store::KomekStore;
use komek_core::followup as core;
use komek_core::followup::visit_list::VisitListSettings;
use komek_core::store::Store;
use uuid::Uuid;

fn load(store: &Store, kind: RecordKind, id: Uuid, version: Option<u32>) -> Result<FollowUpRecord> {
    Ok(match kind {
        RecordKind::Plan => FollowUpRecord::Plan {
            plan: store
                .load_record::<core::IntegrationPlan>(id, version)?
                .into(),
        },
        RecordKind::Referral => FollowUpRecord::Referral {
            referral: store.load_record::<core::Referral>(id, version)?.into(),
        },
        RecordKind::Visit => FollowUpRecord::Visit {
            visit: store.load_record::<core::Visit>(id, version)?.into(),
        },
        RecordKind::Exit => FollowUpRecord::Exit {
            exit: store.load_record::<core::ExitRecord>(id, version)?.into(),
        },
    })
}

#[uniffi::export(async_runtime = "tokio")]
impl KomekStore {
    /// Save a follow-up record as a draft (new, edited, or the first save of
    /// a revision). Refused with `InvalidForm` naming each field and why
    /// when it does not fit its household's latest form; nothing is written.
    pub async fn save_record(&self, record: FollowUpRecord) -> Result<()> {
        self.blocking(move |s| {
            match record {
                FollowUpRecord::Plan { plan } => {
                    s.store.save_record(&core::IntegrationPlan::from(plan))?
                }
                FollowUpRecord::Referral { referral } => {
                    s.store.save_record(&core::Referral::from(referral))?
                }
                FollowUpRecord::Visit { visit } => {
                    s.store.save_record(&core::Visit::from(visit))?
                }
                FollowUpRecord::Exit { exit } => {
                    s.store.save_record(&core::ExitRecord::from(exit))?
                }
            }
            Ok(())
        })
        .await
    }

    /// Finalize the current draft of record `id` (sign the plan, record the
    /// visit or exit) and queue it for the registry; the final record.
    pub async fn finalize_record(&self, kind: RecordKind, id: Uuid) -> Result<FollowUpRecord> {
        self.blocking(move |s| {
            Ok(match kind {
                RecordKind::Plan => FollowUpRecord::Plan {
                    plan: s.store.finalize_record::<core::IntegrationPlan>(id)?.into(),
                },
                RecordKind::Referral => FollowUpRecord::Referral {
                    referral: s.store.finalize_record::<core::Referral>(id)?.into(),
                },
                RecordKind::Visit => FollowUpRecord::Visit {
                    visit: s.store.finalize_record::<core::Visit>(id)?.into(),
                },
                RecordKind::Exit => FollowUpRecord::Exit {
                    exit: s.store.finalize_record::<core::ExitRecord>(id)?.into(),
                },
            })
        })
        .await
    }

    /// Start a revision of a final record: a new draft, version + 1, naming
    /// the version it replaces, saved at once.
    pub async fn revise_record(&self, kind: RecordKind, id: Uuid) -> Result<FollowUpRecord> {
        self.blocking(move |s| {
            Ok(match kind {
                RecordKind::Plan => FollowUpRecord::Plan {
                    plan: s.store.revise_record::<core::IntegrationPlan>(id)?.into(),
                },
                RecordKind::Referral => FollowUpRecord::Referral {
                    referral: s.store.revise_record::<core::Referral>(id)?.into(),
                },
                RecordKind::Visit => FollowUpRecord::Visit {
                    visit: s.store.revise_record::<core::Visit>(id)?.into(),
                },
                RecordKind::Exit => FollowUpRecord::Exit {
                    exit: s.store.revise_record::<core::ExitRecord>(id)?.into(),
                },
            })
        })
        .await
    }

    /// Record `id` of `kind` at `version` (the latest when null).
    pub async fn load_record(
        &self,
        kind: RecordKind,
        id: Uuid,
        version: Option<u32>,
    ) -> Result<FollowUpRecord> {
        self.blocking(move |s| load(&s.store, kind, id, version))
            .await
    }

    /// Every follow-up record of a household (latest version of each).
    pub async fn follow_up_of(&self, household_id: Uuid) -> Result<FollowUpFile> {
        self.blocking(move |s| Ok(s.store.follow_up_of(household_id)?.into()))
            .await
    }

    /// The households of `settlement` to visit on `date`, most urgent first,
    /// each with its reasons (default settings: docs/case-follow-up.md).
    pub async fn visit_list(&self, settlement: String, date: IsoDate) -> Result<Vec<VisitNeed>> {
        self.blocking(move |s| {
            let list =
                s.store
                    .visit_list(&settlement, date, &VisitListSettings::default(), None)?;
            Ok(list.into_iter().map(Into::into).collect())
        })
        .await
    }

    /// A draft plan for household `household_id` from its pre-check under
    /// the active pack on `starts_on`, when TSA would be conditional; null
    /// otherwise. Not saved: edit it, then `save_record`.
    pub async fn propose_plan(
        &self,
        household_id: Uuid,
        starts_on: IsoDate,
        authority: String,
    ) -> Result<Option<IntegrationPlan>> {
        let pack = self.shared.active_pack()?;
        self.blocking(move |s| {
            let h = s.store.load(household_id)?;
            let report = komek_core::rules::evaluate(&h, &pack.pack, starts_on);
            Ok(core::propose::propose_plan(
                &h,
                &report,
                &pack.pack,
                starts_on,
                &authority,
                chrono::Utc::now(),
            )
            .map(Into::into))
        })
        .await
    }

    /// Draft referrals for the members the special-services pre-check finds
    /// likely eligible (not saved).
    pub async fn propose_referrals(
        &self,
        household_id: Uuid,
        opened_on: IsoDate,
    ) -> Result<Vec<Referral>> {
        let pack = self.shared.active_pack()?;
        self.blocking(move |s| {
            let h = s.store.load(household_id)?;
            let report = komek_core::rules::evaluate(&h, &pack.pack, opened_on);
            Ok(
                core::propose::propose_referrals(&h, &report, opened_on, chrono::Utc::now())
                    .into_iter()
                    .map(Into::into)
                    .collect(),
            )
        })
        .await
    }
}
