//! `komek demo`, after the intake (docs/case-follow-up.md): a conditional-TSA
//! family's plan proposed from its pre-check and signed weeks ago, a child
//! with a disability referred, a family that left assistance three months
//! ago; synced, the plan approved by the supervisor; today the visit list of
//! each village says whom to see and why; a visit is recorded offline and
//! synced. Dates are set back in time so that "weeks later" is today.

use crate::error::CliError;
use chrono::{Days, NaiveDate};
use komek_core::followup::propose::{propose_plan, propose_referrals};
use komek_core::followup::{
    Check, ExitReason, ExitRecord, IntegrationPlan, MeasureProgress, MeasureStatus, RecordHead,
    RecordKind, Referral, Signature, SignatureMethod, Visit, VisitListSettings,
};
use komek_core::l10n::{label, LabelKind, Lang};
use komek_core::model::Household;
use komek_core::rules;
use komek_core::store::Clock;
use komek_registry::client::SupervisorClient;
use komek_registry::RunningRegistry;
use komek_sim::device::Device;
use std::collections::BTreeSet;

fn other(e: impl std::fmt::Display) -> CliError {
    CliError::Other(e.to_string())
}

/// What the follow-up part did, for the summary.
#[derive(Default)]
pub struct FollowUpSummary {
    pub plans: usize,
    pub referrals: usize,
    pub visits: usize,
    pub exits: usize,
    /// Sealed bytes of the records the registry holds (latest versions).
    pub sealed_bytes: usize,
    pub listed: usize,
}

/// Sync `device`; every operation must be stored.
async fn sync_device(device: &Device) -> Result<(), CliError> {
    let r = komek_core::sync::sync(
        &device.store,
        &komek_core::sync::SyncConfig::default(),
        None,
        &komek_core::sync::CancelToken::new(),
    )
    .await
    .map_err(other)?;
    if r.rejected.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(format!(
            "{} follow-up operations refused",
            r.rejected.len()
        )))
    }
}

fn before(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

/// Runs the follow-up part on `device` (which captured `households`).
pub async fn run(
    device: &Device,
    households: &[Household],
    today: NaiveDate,
    lang: Lang,
    sup: &SupervisorClient,
    registry: &RunningRegistry,
) -> Result<FollowUpSummary, CliError> {
    let store = &device.store;
    let now = komek_core::store::SystemClock.now();
    let mut s = FollowUpSummary::default();
    let mut ids = Vec::new();
    let mut villages = BTreeSet::new();
    let planned = before(today, 60);

    // A plan signed 60 days ago for the first conditional-TSA family.
    let plan = households.iter().find_map(|h| {
        let report = rules::evaluate(h, rules::default_pack(), planned);
        propose_plan(
            h,
            &report,
            rules::default_pack(),
            planned,
            "Career centre",
            now,
        )
        .filter(|p| !p.measures.is_empty())
        .map(|p| (h, p))
    });
    if let Some((h, mut p)) = plan {
        p.signature = Some(Signature {
            method: SignatureMethod::Paper,
            signed_on: planned,
            witness: None,
        });
        store.save_record(&p).map_err(other)?;
        store
            .finalize_record::<IntegrationPlan>(p.head.id)
            .map_err(other)?;
        s.plans += 1;
        ids.push((RecordKind::Plan, p.head.id, h.id));
        villages.extend(h.location.settlement.clone());
        println!(
            "9. A plan with {} measures proposed from the pre-check of a conditional-TSA family, signed on {planned}.",
            p.measures.len()
        );
    }
    // A referral opened 40 days ago for a child the special-services
    // pre-check finds eligible.
    let referral = households.iter().find_map(|h| {
        let opened = before(today, 40);
        let report = rules::evaluate(h, rules::default_pack(), opened);
        propose_referrals(h, &report, opened, now)
            .into_iter()
            .next()
            .map(|r| (h, r))
    });
    if let Some((h, r)) = referral {
        store.save_record(&r).map_err(other)?;
        store
            .finalize_record::<Referral>(r.head.id)
            .map_err(other)?;
        s.referrals += 1;
        ids.push((RecordKind::Referral, r.head.id, h.id));
        villages.extend(h.location.settlement.clone());
        println!(
            "   A referral to: {}, opened on {}.",
            label(LabelKind::Service, r.service.code(), lang).unwrap_or_default(),
            r.opened_on
        );
    }
    // A family that left assistance 95 days ago.
    if let Some(h) = households.last() {
        let x = ExitRecord {
            head: RecordHead::new(h.id, now),
            on: before(today, 95),
            reason: ExitReason::Employment,
            note: None,
        };
        store.save_record(&x).map_err(other)?;
        store
            .finalize_record::<ExitRecord>(x.head.id)
            .map_err(other)?;
        s.exits += 1;
        ids.push((RecordKind::Exit, x.head.id, h.id));
        villages.extend(h.location.settlement.clone());
        println!("   A family left assistance on {} (found work).", x.on);
    }
    sync_device(device).await?;
    if let Some((_, id, _)) = ids.iter().find(|(k, _, _)| *k == RecordKind::Plan) {
        sup.approve_plan(*id, None).await.map_err(other)?;
        println!("10. Synced; the supervisor approved the plan.");
    }

    // Today: the visit list of each village.
    println!("11. Today ({today}), the visit list, offline:");
    for village in &villages {
        let list = store
            .visit_list(village, today, &VisitListSettings::default(), None)
            .map_err(other)?;
        for need in &list {
            let reasons: Vec<String> = need
                .reasons
                .iter()
                .map(|r| {
                    label(LabelKind::VisitReason, r.kind.code(), lang)
                        .unwrap_or_else(|| r.kind.code().to_string())
                })
                .collect();
            println!(
                "    {village}: household {} — {}",
                &need.household_id.to_string()[..8],
                reasons.join("; ")
            );
        }
        s.listed += list.len();
    }

    // A visit to the plan's family, recorded offline, then synced.
    if let Some((_, plan_id, household)) = ids.iter().find(|(k, _, _)| *k == RecordKind::Plan) {
        let plan: IntegrationPlan = store.load_record(*plan_id, None).map_err(other)?;
        let mut v = Visit::new(RecordHead::new(*household, now), today);
        v.checked = vec![Check::PlanMeasures];
        v.progress = plan
            .measures
            .iter()
            .map(|m| MeasureProgress {
                plan: *plan_id,
                measure: m.id,
                status: MeasureStatus::InProgress,
                note: None,
            })
            .collect();
        v.next_visit = today.checked_add_days(Days::new(30));
        store.save_record(&v).map_err(other)?;
        store.finalize_record::<Visit>(v.head.id).map_err(other)?;
        ids.push((RecordKind::Visit, v.head.id, *household));
        s.visits += 1;
        sync_device(device).await?;
        println!("12. A follow-up visit recorded offline and synced; next visit in 30 days.");
    }
    for (_, id, _) in &ids {
        if let Some((_, sealed)) = registry.state.storage.record(*id).map_err(other)? {
            s.sealed_bytes += sealed.len();
        }
    }
    Ok(s)
}
