//! Device endpoints: info, enrol, push, pull, and the public rule packs.
//!
//! A device request is accepted only with a valid signature from an enrolled,
//! unrevoked device and a request sequence number above every one seen from
//! it; the signature is checked before the sequence number is spent, so a
//! forged request cannot burn one. Each pushed operation is checked on its
//! own (signature, sender, opens, is a final form matching its header) and the valid ones
//! are stored exactly once in one transaction.

use super::guard::{too_many, Peer};
use super::{blocking, now};
use crate::error::ApiErr;
use crate::storage::DeviceRecord;
use crate::throttle::Failure;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use komek_core::sync::frames::{self, EventsPage};
use komek_core::sync::wire::{
    self, EnrolRequest, EnrolResponse, PushResponse, RegistryInfo, SignedPack,
};
use komek_core::sync::{auth, codes, inbox};
use ring::digest;
use serde::Deserialize;
use std::sync::Arc;
use uuid::Uuid;

pub async fn info(State(state): State<Arc<AppState>>) -> Json<RegistryInfo> {
    Json(RegistryInfo {
        protocol: wire::PROTOCOL.to_string(),
        registry_id: state.keys.registry_id,
        seal_key: B64.encode(state.keys.seal_public),
        rules_key: B64.encode(&state.keys.rules_public),
    })
}

pub fn code_hash(code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, normal.as_bytes()).as_ref());
    out
}

/// Enrol a device with a one-time code. While the client's address is
/// locked after failed codes the answer is 429 at once; a wrong code is
/// counted ([`crate::throttle`]) and audited.
pub async fn enrol(
    State(state): State<Arc<AppState>>,
    Peer(addr): Peer,
    body: Bytes,
) -> Result<Json<EnrolResponse>, Response> {
    state
        .guards
        .enrol_addrs
        .check(&addr, std::time::Instant::now())
        .map_err(too_many)?;
    match enrol_checked(&state, body).await {
        Err(e) if e.code == codes::BAD_CODE => {
            let failure = state
                .guards
                .enrol_addrs
                .fail(&addr, std::time::Instant::now());
            let logged = blocking(&state, move |s| {
                let subject = format!("from {addr}");
                s.storage
                    .audit("device", "enrol_failed", Some(&subject), now())?;
                if matches!(failure, Failure::Locked(_)) {
                    s.storage
                        .audit("device", "enrol_locked_address", Some(&subject), now())?;
                }
                Ok(())
            })
            .await;
            if let Err(e) = logged {
                log::error!("auditing a failed enrolment: {}", e.message);
            }
            Err(e.into_response())
        }
        other => other.map_err(IntoResponse::into_response),
    }
}

async fn enrol_checked(state: &Arc<AppState>, body: Bytes) -> Result<Json<EnrolResponse>, ApiErr> {
    let req: EnrolRequest =
        serde_json::from_slice(&body).map_err(|e| ApiErr::bad_json("enrol request", &e))?;
    let key = B64
        .decode(&req.device_key)
        .ok()
        .filter(|k| k.len() == 32)
        .ok_or_else(|| ApiErr::bad_request("device_key must be a base64 Ed25519 public key"))?;
    let eph: [u8; 32] = B64
        .decode(&req.inbox_ephemeral)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| ApiErr::bad_request("inbox_ephemeral must be a base64 X25519 public key"))?;
    if req.label.len() > 200 {
        return Err(ApiErr::bad_request("label is longer than 200 bytes"));
    }
    blocking(state, move |s| {
        let shared = s
            .keys
            .shared_secret(&eph)
            .map_err(|_| ApiErr::bad_request("inbox_ephemeral is not a usable X25519 key"))?;
        let inbox_key =
            inbox::derive_inbox_key(shared.as_ref(), &key).map_err(|_| ApiErr::internal())?;
        let device = DeviceRecord {
            id: Uuid::new_v4(),
            public_key: key,
            inbox_key: inbox_key.expose().to_vec(),
            label: req.label,
            // The code's centre; the storage takes it from the code.
            centre: String::new(),
            revoked: false,
            last_seq: 0,
        };
        s.storage.enrol(&code_hash(&req.code), &device, now())?;
        log::info!("device {} enrolled", device.id);
        Ok(Json(EnrolResponse {
            device_id: device.id,
            registry_id: s.keys.registry_id,
            seal_key: B64.encode(s.keys.seal_public),
            rules_key: B64.encode(&s.keys.rules_public),
            tls_pins: s.tls_pins.clone(),
        }))
    })
    .await
}

/// Check a signed device request; returns the device.
fn authenticate(
    s: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<DeviceRecord, ApiErr> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let unauthorized = |m: &str| ApiErr::new(StatusCode::UNAUTHORIZED, codes::BAD_SIGNATURE, m);
    let device_id = header(wire::HEADER_DEVICE)
        .and_then(|v| Uuid::parse_str(v).ok())
        .ok_or_else(|| unauthorized("missing or malformed komek-device header"))?;
    let seq: u64 = header(wire::HEADER_SEQ)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| unauthorized("missing or malformed komek-seq header"))?;
    let signature = header(wire::HEADER_SIGNATURE)
        .ok_or_else(|| unauthorized("missing komek-signature header"))?;
    let device = s.storage.device(device_id)?.ok_or_else(|| {
        ApiErr::new(
            StatusCode::UNAUTHORIZED,
            codes::UNKNOWN_DEVICE,
            "device is not enrolled",
        )
    })?;
    if device.revoked {
        return Err(ApiErr::new(
            StatusCode::FORBIDDEN,
            codes::REVOKED,
            "device has been revoked",
        ));
    }
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    if !auth::verify_request(
        &device.public_key,
        signature,
        method.as_str(),
        path,
        device_id,
        seq,
        body,
    ) {
        return Err(unauthorized("request signature does not verify"));
    }
    match s.storage.bump_request_seq(device_id, seq) {
        Ok(()) => Ok(device),
        // Say where the device's numbering must resume (a device restored
        // from a backup would otherwise be stuck); the number is not secret
        // and a replayed request stays refused whatever the device does.
        Err(crate::storage::StorageError::Replayed) => {
            let mut e = ApiErr::new(
                StatusCode::CONFLICT,
                codes::REPLAYED,
                "request sequence number already used (replay)",
            );
            e.last_seq = s.storage.device(device_id)?.map(|d| d.last_seq);
            // And above which operation number its new forms must go: the
            // ones it numbered after its backup are taken (ADR 0008).
            e.last_op_seq = Some(s.storage.last_op_seq(device_id)?);
            Err(e)
        }
        Err(e) => Err(e.into()),
    }
}

/// A compact frame of `media` when the device asked for it, JSON otherwise
/// (curl, the OpenAPI file, devices before the frames).
fn negotiated<T: serde::Serialize>(
    headers: &HeaderMap,
    media: &'static str,
    json: impl FnOnce() -> T,
    frame: impl FnOnce() -> Result<Vec<u8>, frames::AnswerFrameError>,
) -> Result<Response, ApiErr> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if frames::accepts(accept, media) {
        let body = frame().map_err(|e| {
            log::error!("cannot frame an answer: {e}");
            ApiErr::internal()
        })?;
        Ok(([(header::CONTENT_TYPE, media)], body).into_response())
    } else {
        Ok(Json(json()).into_response())
    }
}

pub async fn push(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiErr> {
    blocking(&state, move |s| {
        let device = authenticate(s, &method, &uri, &headers, &body)?;
        let blobs = wire::decode_push(&body).map_err(|e| ApiErr::bad_request(e.to_string()))?;
        let results = super::ingest::apply_ops(s, &device, &blobs)?;
        negotiated(
            &headers,
            wire::RESULTS_CONTENT_TYPE,
            || PushResponse {
                results: results.clone(),
            },
            || frames::encode_results(&results),
        )
    })
    .await
}

#[derive(Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    after: i64,
    #[serde(default = "default_limit")]
    limit: u32,
}

fn default_limit() -> u32 {
    200
}

pub async fn pull(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Response, ApiErr> {
    blocking(&state, move |s| {
        let device = authenticate(s, &method, &uri, &headers, &[])?;
        let (events, cursor, more) =
            s.storage
                .events(device.id, q.after, q.limit.clamp(1, 1000))?;
        let page = EventsPage {
            events,
            cursor,
            more,
            tls_pins: s.tls_pins.clone(),
        };
        negotiated(
            &headers,
            wire::EVENTS_CONTENT_TYPE,
            || page.to_json(),
            || frames::encode_events(&page),
        )
    })
    .await
}

/// Public: applicants' phones fetch signed packs too.
pub async fn rule_pack(
    State(state): State<Arc<AppState>>,
    Path(version): Path<String>,
) -> Result<Json<SignedPack>, ApiErr> {
    blocking(&state, move |s| {
        let (toml, signature) = s.storage.pack(&version)?.ok_or_else(|| {
            ApiErr::new(
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                "no rule pack with this version",
            )
        })?;
        Ok(Json(SignedPack {
            version,
            toml: B64.encode(toml),
            signature: B64.encode(signature),
        }))
    })
    .await
}
