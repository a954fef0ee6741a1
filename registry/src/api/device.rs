//! Device endpoints: info, enrol, push, pull, and the public rule packs.
//!
//! A device request is accepted only with a valid signature from an enrolled,
//! unrevoked device and a request sequence number above every one seen from
//! it; the signature is checked before the sequence number is spent, so a
//! forged request cannot burn one. The headers are checked before the body
//! is read ([`SignedBy`]); an unknown device and a bad signature get the one
//! same answer, and revocation is told only to a request that verifies. Each pushed operation is checked on its
//! own (signature, sender, opens, is a final form matching its header) and the valid ones
//! are stored exactly once in one transaction.

use super::body::{self, JsonBody, Raw};
use super::guard::{too_many, Peer};
use super::{blocking, now};
use crate::error::ApiErr;
use crate::storage::DeviceRecord;
use crate::throttle::Failure;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
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
    JsonBody(req): JsonBody<EnrolRequest>,
) -> Result<Json<EnrolResponse>, Response> {
    state
        .guards
        .enrol_addrs
        .check(&addr, std::time::Instant::now())
        .map_err(too_many)?;
    match enrol_checked(&state, req).await {
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

async fn enrol_checked(
    state: &Arc<AppState>,
    req: EnrolRequest,
) -> Result<Json<EnrolResponse>, ApiErr> {
    body::free_text("code", &req.code, body::MAX_CODE_BYTES, body::Lines::One)?;
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
    body::free_text("label", &req.label, 200, body::Lines::One)?;
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

/// The one answer to a request that does not prove its device: a malformed
/// header, an unknown device id and a wrong signature all get it, so a
/// caller cannot learn which ids are enrolled.
fn not_verified() -> ApiErr {
    ApiErr::new(
        StatusCode::UNAUTHORIZED,
        codes::BAD_SIGNATURE,
        "request signature does not verify",
    )
}

/// A device request as its headers present it, before its body is read:
/// well-formed `komek-device`, `komek-seq` and `komek-signature` headers
/// naming an enrolled device. [`SignedBy::verify`] then checks the
/// signature over the body, the revocation and the sequence number.
pub struct SignedBy {
    device: DeviceRecord,
    seq: u64,
    signature: String,
    method: Method,
    path: String,
}

impl FromRequestParts<Arc<AppState>> for SignedBy {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiErr> {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let unauthorized = |m: &str| ApiErr::new(StatusCode::UNAUTHORIZED, codes::BAD_SIGNATURE, m);
        let device_id = header(wire::HEADER_DEVICE)
            .and_then(|v| Uuid::parse_str(v).ok())
            .ok_or_else(|| unauthorized("missing or malformed komek-device header"))?;
        let seq: u64 = header(wire::HEADER_SEQ)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| unauthorized("missing or malformed komek-seq header"))?;
        let signature = header(wire::HEADER_SIGNATURE)
            .ok_or_else(|| unauthorized("missing komek-signature header"))?
            .to_string();
        let device = blocking(state, move |s| Ok(s.storage.device(device_id)?))
            .await?
            .ok_or_else(not_verified)?;
        let uri = &parts.uri;
        let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
        Ok(SignedBy {
            device,
            seq,
            signature,
            method: parts.method.clone(),
            path: path.to_string(),
        })
    }
}

impl SignedBy {
    /// Check the signature over `body`, then revocation (told only to the
    /// device itself), then spend the sequence number; returns the device.
    fn verify(self, s: &AppState, body: &[u8]) -> Result<DeviceRecord, ApiErr> {
        let (device, seq) = self.check(s, body)?;
        match s.storage.bump_request_seq(device.id, seq) {
            Ok(()) => Ok(device),
            Err(crate::storage::StorageError::Replayed) => Err(replayed(s, device.id)),
            Err(e) => Err(e.into()),
        }
    }

    /// [`SignedBy::verify`] without spending the sequence number (a push
    /// spends it in the transaction that stores its forms); a number
    /// already below the device's record is refused here, before any work.
    fn check(self, s: &AppState, body: &[u8]) -> Result<(DeviceRecord, u64), ApiErr> {
        let device = self.device;
        if !auth::verify_request(
            &device.public_key,
            &self.signature,
            self.method.as_str(),
            &self.path,
            device.id,
            self.seq,
            body,
        ) {
            return Err(not_verified());
        }
        if device.revoked {
            return Err(ApiErr::new(
                StatusCode::FORBIDDEN,
                codes::REVOKED,
                "device has been revoked",
            ));
        }
        if self.seq <= device.last_seq {
            return Err(replayed(s, device.id));
        }
        Ok((device, self.seq))
    }
}

/// A replayed request number. Say where the device's numbering must resume
/// (a device restored from a backup would otherwise be stuck); the number is
/// not secret and a replayed request stays refused whatever the device does.
fn replayed(s: &AppState, device: Uuid) -> ApiErr {
    let mut e = ApiErr::new(
        StatusCode::CONFLICT,
        codes::REPLAYED,
        "request sequence number already used (replay)",
    );
    let numbers = s.storage.device(device).and_then(|d| {
        // And above which operation number its new forms must go: the
        // ones it numbered after its backup are taken (ADR 0010).
        Ok((d.map(|d| d.last_seq), s.storage.last_op_seq(device)?))
    });
    match numbers {
        Ok((last_seq, last_op_seq)) => {
            e.last_seq = last_seq;
            e.last_op_seq = Some(last_op_seq);
            e
        }
        Err(err) => err.into(),
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
    caller: SignedBy,
    headers: HeaderMap,
    Raw(body): Raw<{ body::PUSH_BODY_BYTES }>,
) -> Result<Response, ApiErr> {
    blocking(&state, move |s| {
        let (device, seq) = caller.check(s, &body)?;
        let blobs = wire::decode_push(&body).map_err(|e| ApiErr::bad_request(e.to_string()))?;
        // The request number is spent in the transaction that stores the
        // forms: one commit per push.
        let results = match super::ingest::apply_ops(s, &device, Some(seq), &blobs) {
            Err(e) if e.code == codes::REPLAYED => return Err(replayed(s, device.id)),
            other => other?,
        };
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
    caller: SignedBy,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Response, ApiErr> {
    blocking(&state, move |s| {
        let device = caller.verify(s, &[])?;
        let (mut events, cursor, more) =
            s.storage
                .events(device.id, q.after, q.limit.clamp(1, 1000))?;
        // An event no page can carry is left out, never allowed to fail the
        // page: the cursor still moves past it, so the events after it
        // arrive (the API refuses such texts now; this guards old rows).
        events.retain(|e| match e.check() {
            Ok(()) => true,
            Err(why) => {
                log::warn!(
                    "event {} left out of device {}'s page: {why}",
                    e.seq(),
                    device.id
                );
                false
            }
        });
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
