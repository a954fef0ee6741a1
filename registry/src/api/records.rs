//! Supervisor endpoints for follow-up records (`crate::followup`): list them
//! (by kind, by household), open one (its content decrypted), approve a plan.
//! Every call lands in the audit log, as for cases.

use super::body::JsonBody;
use super::supervisor::ScopedSupervisor;
use super::{blocking, now};
use crate::error::ApiErr;
use crate::followup::RecordRow;
use crate::scope::Scope;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use komek_core::followup::{ExitRecord, IntegrationPlan, RecordKind, Referral, Visit};
use komek_core::sync::codes;
use komek_core::sync::followup_codec::decode;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct RecordFilter {
    kind: Option<String>,
    household: Option<Uuid>,
}

fn not_found() -> ApiErr {
    ApiErr::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such record")
}

/// Whether `scope` covers household `household`: a follow-up record goes
/// with its household's case (that case's centre and district). A household
/// the registry holds no case for is seen by national supervisors only.
fn covers(s: &AppState, scope: &Scope, household: Uuid) -> Result<bool, ApiErr> {
    if scope.is_national() {
        return Ok(true);
    }
    Ok(match s.storage.case(household)? {
        Some((row, _)) => scope.covers(&row.centre, &row.district),
        None => false,
    })
}

/// A record outside the supervisor's scope answers as an unknown one (ids
/// cannot be probed) and the denial is audited.
fn denied(s: &AppState, who: &str, action: &str, id: Uuid) -> ApiErr {
    if let Err(e) = s.storage.audit(who, action, Some(&id.to_string()), now()) {
        log::error!("auditing a denial: {e}");
        return ApiErr::internal();
    }
    not_found()
}

/// The rows of `rows` within `scope`.
fn in_scope(s: &AppState, scope: &Scope, rows: Vec<RecordRow>) -> Result<Vec<RecordRow>, ApiErr> {
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        if covers(s, scope, row.household_id)? {
            kept.push(row);
        }
    }
    Ok(kept)
}

pub async fn records(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Query(f): Query<RecordFilter>,
) -> Result<Json<Vec<RecordRow>>, ApiErr> {
    let kind = match f.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(RecordKind::parse(k).ok_or_else(|| ApiErr::bad_request("unknown kind"))?),
    };
    blocking(&state, move |s| {
        s.storage
            .audit(&sup.name, "list_records", f.kind.as_deref(), now())?;
        let rows = s.storage.records(kind, f.household)?;
        Ok(Json(in_scope(s, &sup.scope, rows)?))
    })
    .await
}

/// A record as a supervisor reads it: its row and its decrypted content.
#[derive(Serialize, Deserialize)]
pub struct RecordView {
    #[serde(flatten)]
    pub row: RecordRow,
    pub content: serde_json::Value,
}

fn content(kind: RecordKind, plain: &[u8]) -> Result<serde_json::Value, ApiErr> {
    let bad = |_| ApiErr::internal();
    let value = match kind {
        RecordKind::Plan => serde_json::to_value(decode::<IntegrationPlan>(plain).map_err(bad)?),
        RecordKind::Referral => serde_json::to_value(decode::<Referral>(plain).map_err(bad)?),
        RecordKind::Visit => serde_json::to_value(decode::<Visit>(plain).map_err(bad)?),
        RecordKind::Exit => serde_json::to_value(decode::<ExitRecord>(plain).map_err(bad)?),
    };
    value.map_err(|_| ApiErr::internal())
}

pub async fn record(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Path(id): Path<Uuid>,
) -> Result<Json<RecordView>, ApiErr> {
    blocking(&state, move |s| {
        let who = sup.name.clone();
        let (row, sealed) = s.storage.record(id)?.ok_or_else(not_found)?;
        if !covers(s, &sup.scope, row.household_id)? {
            return Err(denied(s, &who, "view_record_denied", id));
        }
        let op =
            komek_core::crypto::seal::SealedOp::parse(&sealed).map_err(|_| ApiErr::internal())?;
        let plain = s.keys.open(&op).map_err(|_| ApiErr::internal())?;
        let content = content(row.kind, &plain)?;
        s.storage
            .audit(&who, "view_record", Some(&id.to_string()), now())?;
        Ok(Json(RecordView { row, content }))
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    /// The version the supervisor read; the latest when absent.
    #[serde(default)]
    pub version: Option<u32>,
}

pub async fn approve_plan(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Path(id): Path<Uuid>,
    JsonBody(body): JsonBody<ApproveBody>,
) -> Result<Json<RecordRow>, ApiErr> {
    blocking(&state, move |s| {
        let who = sup.name.clone();
        let (row, _) = s.storage.record(id)?.ok_or_else(not_found)?;
        if !covers(s, &sup.scope, row.household_id)? {
            return Err(denied(s, &who, "approve_plan_denied", id));
        }
        let version = body.version.unwrap_or(row.version);
        Ok(Json(s.storage.approve_plan(id, version, &who, now())?))
    })
    .await
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    /// The day to judge by (`YYYY-MM-DD`); the registry's date when absent.
    date: Option<chrono::NaiveDate>,
}

/// A measure of a plan's latest version, planned or in progress after its
/// due date.
#[derive(Debug, Serialize, Deserialize)]
pub struct OverdueMeasure {
    pub household_id: Uuid,
    pub plan_id: Uuid,
    pub measure_id: Uuid,
    pub kind: komek_core::followup::MeasureKind,
    pub due: chrono::NaiveDate,
    pub days: i64,
}

/// A referral without an outcome.
#[derive(Debug, Serialize, Deserialize)]
pub struct OpenReferral {
    pub household_id: Uuid,
    pub referral_id: Uuid,
    pub service: komek_core::followup::Service,
    pub opened_on: chrono::NaiveDate,
    /// The last step's date, or the opening.
    pub last_activity: chrono::NaiveDate,
    pub missing_documents: u32,
}

/// What the follow-up work of the registry's households needs now.
#[derive(Debug, Serialize, Deserialize)]
pub struct Overview {
    pub date: chrono::NaiveDate,
    pub overdue_measures: Vec<OverdueMeasure>,
    pub open_referrals: Vec<OpenReferral>,
}

/// The overdue measures of every plan and the referrals with no outcome,
/// oldest first, from the latest version of each record (decrypted here).
/// A later visit's progress is not applied: the plan's own status counts
/// until the device revises the plan. Audited as `followup_overview`.
pub async fn overview(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Query(q): Query<OverviewQuery>,
) -> Result<Json<Overview>, ApiErr> {
    blocking(&state, move |s| {
        let date = q.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let open = |id: Uuid| -> Result<Vec<u8>, ApiErr> {
            let (_, sealed) = s.storage.record(id)?.ok_or_else(ApiErr::internal)?;
            let op = komek_core::crypto::seal::SealedOp::parse(&sealed)
                .map_err(|_| ApiErr::internal())?;
            Ok(s.keys.open(&op).map_err(|_| ApiErr::internal())?.to_vec())
        };
        let mut overdue_measures = Vec::new();
        let plans = s.storage.records(Some(RecordKind::Plan), None)?;
        for row in in_scope(s, &sup.scope, plans)? {
            let plan: IntegrationPlan =
                decode(&open(row.record_id)?).map_err(|_| ApiErr::internal())?;
            for m in plan.overdue(date) {
                overdue_measures.push(OverdueMeasure {
                    household_id: row.household_id,
                    plan_id: row.record_id,
                    measure_id: m.id,
                    kind: m.kind,
                    due: m.due,
                    days: (date - m.due).num_days(),
                });
            }
        }
        let mut open_referrals = Vec::new();
        let referrals = s.storage.records(Some(RecordKind::Referral), None)?;
        for row in in_scope(s, &sup.scope, referrals)? {
            let r: Referral = decode(&open(row.record_id)?).map_err(|_| ApiErr::internal())?;
            if r.outcome.is_none() {
                open_referrals.push(OpenReferral {
                    household_id: row.household_id,
                    referral_id: row.record_id,
                    service: r.service,
                    opened_on: r.opened_on,
                    last_activity: r.last_activity(),
                    missing_documents: u32::try_from(r.missing_documents().count())
                        .unwrap_or(u32::MAX),
                });
            }
        }
        overdue_measures.sort_by_key(|m| (m.due, m.household_id, m.measure_id));
        open_referrals.sort_by_key(|r| (r.last_activity, r.household_id, r.referral_id));
        s.storage.audit(
            &sup.name,
            "followup_overview",
            Some(&date.to_string()),
            now(),
        )?;
        Ok(Json(Overview {
            date,
            overdue_measures,
            open_referrals,
        }))
    })
    .await
}
