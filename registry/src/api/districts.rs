//! District endpoints ([`crate::scope`]): list the districts and centres a
//! supervisor sees; a national supervisor adds districts and puts centres
//! in them (moving a centre moves its cases' district with it).

use super::body::JsonBody;
use super::supervisor::{check_centre, national_only, ScopedSupervisor};
use super::{blocking, now};
use crate::error::ApiErr;
use crate::scope::Scope;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use komek_core::sync::codes;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A district and its centres.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DistrictView {
    /// `""`: the default district.
    pub name: String,
    pub centres: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DistrictList {
    pub districts: Vec<DistrictView>,
}

/// `GET /v1/supervisor/districts`: every district for a national
/// supervisor; their own district (with all its centres) for a district
/// supervisor; their centre's district with that centre alone for a centre
/// supervisor.
pub async fn list(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
) -> Result<Json<DistrictList>, ApiErr> {
    blocking(&state, move |s| {
        let centres = s.storage.centres()?;
        let mut districts: Vec<DistrictView> = s
            .storage
            .districts()?
            .into_iter()
            .map(|name| DistrictView {
                centres: centres
                    .iter()
                    .filter(|c| c.district == name && sup.scope.covers(&c.name, &c.district))
                    .map(|c| c.name.clone())
                    .collect(),
                name,
            })
            .collect();
        districts.retain(|d| match &sup.scope {
            Scope::National => true,
            Scope::District(name) => &d.name == name,
            Scope::Centre(_) => !d.centres.is_empty(),
        });
        Ok(Json(DistrictList { districts }))
    })
    .await
}

/// `POST /v1/supervisor/districts` body.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDistrict {
    pub name: String,
}

/// Check a district name: a centre name's rules ([`check_centre`]), not
/// empty (the default district exists already).
pub fn check_district(name: &str) -> Result<(), ApiErr> {
    if name.is_empty() {
        return Err(ApiErr::bad_request("name: a district needs a name"));
    }
    check_centre(name).map_err(|e| {
        ApiErr::bad_request(format!(
            "name: {}",
            e.to_string().replace("centre", "district")
        ))
    })
}

/// Add a district (national supervisors only).
pub async fn add(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    JsonBody(body): JsonBody<NewDistrict>,
) -> Result<StatusCode, ApiErr> {
    blocking(&state, move |s| {
        national_only(s, &sup, "add_district")?;
        check_district(&body.name)?;
        s.storage.add_district(&body.name, &sup.name, now())?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// `POST /v1/supervisor/centres` body: put centre `name` in `district`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceCentre {
    pub name: String,
    pub district: String,
}

/// Put a centre (new or known) in a district, its cases with it
/// (national supervisors only).
pub async fn place_centre(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    JsonBody(body): JsonBody<PlaceCentre>,
) -> Result<StatusCode, ApiErr> {
    blocking(&state, move |s| {
        national_only(s, &sup, "place_centre")?;
        check_centre(&body.name).map_err(|e| ApiErr::bad_request(format!("name: {e}")))?;
        check_centre(&body.district).map_err(|e| {
            ApiErr::bad_request(format!(
                "district: {}",
                e.to_string().replace("centre", "district")
            ))
        })?;
        s.storage
            .put_centre(&body.name, &body.district, &sup.name, now())
            .map_err(|e| match e {
                crate::storage::StorageError::NotFound => {
                    ApiErr::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such district")
                }
                other => other.into(),
            })?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
