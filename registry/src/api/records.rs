//! Supervisor endpoints for follow-up records (`crate::followup`): list them
//! (by kind, by household), open one (its content decrypted), approve a plan.
//! Every call lands in the audit log, as for cases.

use super::body::JsonBody;
use super::supervisor::Supervisor;
use super::{blocking, now};
use crate::error::ApiErr;
use crate::followup::RecordRow;
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

pub async fn records(
    State(state): State<Arc<AppState>>,
    Supervisor(who): Supervisor,
    Query(f): Query<RecordFilter>,
) -> Result<Json<Vec<RecordRow>>, ApiErr> {
    let kind = match f.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(RecordKind::parse(k).ok_or_else(|| ApiErr::bad_request("unknown kind"))?),
    };
    blocking(&state, move |s| {
        s.storage
            .audit(&who, "list_records", f.kind.as_deref(), now())?;
        Ok(Json(s.storage.records(kind, f.household)?))
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
    Supervisor(who): Supervisor,
    Path(id): Path<Uuid>,
) -> Result<Json<RecordView>, ApiErr> {
    blocking(&state, move |s| {
        let (row, sealed) = s.storage.record(id)?.ok_or_else(not_found)?;
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
    Supervisor(who): Supervisor,
    Path(id): Path<Uuid>,
    JsonBody(body): JsonBody<ApproveBody>,
) -> Result<Json<RecordRow>, ApiErr> {
    blocking(&state, move |s| {
        let version = match body.version {
            Some(v) => v,
            None => s.storage.record(id)?.ok_or_else(not_found)?.0.version,
        };
        Ok(Json(s.storage.approve_plan(id, version, &who, now())?))
    })
    .await
}
