//! Supervisor endpoints: log in, list and open cases, decide, issue enrolment
//! codes, revoke devices, publish rule packs, read the audit log.
//!
//! Supervisors log in with a name and password (Argon2id hash) and get a
//! bearer token (random 32 bytes; only its SHA-256 is stored, valid 12 hours).
//! Every action, opening a case included, lands in the audit log.

use super::body::{self, bounded, JsonBody};
use super::guard::{too_many, Peer};
use super::{blocking, now};
use crate::error::ApiErr;
use crate::scope::{CaseCursor, CaseQuery, Scope, StatusCounts, DEFAULT_PAGE, MAX_PAGE};
use crate::storage::{AuditRow, CaseRow, Decision, StorageError};
use crate::throttle::{self, Failure};
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD};
use base64::Engine;
use komek_core::l10n::Lang;
use komek_core::model::Household;
use komek_core::rules::signing::{self, TrustedKeys};
use komek_core::rules::{self, render};
use komek_core::sync::wire::{self, CaseStatus};
use komek_core::sync::{codec, codes, inbox};
use rand::RngCore;
use ring::digest;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

const SESSION_SECS: i64 = 12 * 3600;
const CODE_SECS: i64 = 7 * 24 * 3600;

/// Hash a password for storage ([`crate::password`]).
pub fn hash_password(password: &str) -> Result<String, ApiErr> {
    crate::password::hash(password).map_err(|_| ApiErr::internal())
}

pub(super) fn token_hash(token: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, token.as_bytes()).as_ref());
    out
}

/// The supervisor behind a bearer token, as an extractor: listed before
/// any other, it answers an unauthenticated caller before the path, the
/// query or the body is looked at.
pub struct Supervisor(pub String);

impl FromRequestParts<Arc<AppState>> for Supervisor {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiErr> {
        let headers = parts.headers.clone();
        blocking(state, move |s| supervisor(s, &headers))
            .await
            .map(Supervisor)
    }
}

/// The supervisor behind a bearer token, with their scope
/// ([`crate::scope`]): what every handler that lists or opens cases,
/// devices or the audit log takes.
pub struct ScopedSupervisor {
    pub name: String,
    pub scope: Scope,
}

impl FromRequestParts<Arc<AppState>> for ScopedSupervisor {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiErr> {
        let headers = parts.headers.clone();
        blocking(state, move |s| {
            let name = supervisor(s, &headers)?;
            // A session outlives nothing: a supervisor removed from the
            // database has no scope, and no access.
            let scope = s.storage.supervisor_scope(&name)?.ok_or_else(|| {
                ApiErr::new(
                    StatusCode::UNAUTHORIZED,
                    codes::UNAUTHORIZED,
                    "session unknown or expired",
                )
            })?;
            Ok(ScopedSupervisor { name, scope })
        })
        .await
    }
}

/// The answer to a case outside the caller's scope: the very answer an
/// unknown id gets, after the denial is audited.
pub(super) fn case_denied(s: &AppState, who: &str, action: &str, id: Uuid) -> ApiErr {
    if let Err(e) = s.storage.audit(who, action, Some(&id.to_string()), now()) {
        log::error!("auditing a denial: {e}");
        return ApiErr::internal();
    }
    no_such_case()
}

pub(super) fn no_such_case() -> ApiErr {
    ApiErr::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, "no such case")
}

/// Refuse an office-wide action (districts, centres, the audit log) to a
/// supervisor who is not national; audited as `forbidden`.
pub(super) fn national_only(
    s: &AppState,
    who: &ScopedSupervisor,
    action: &str,
) -> Result<(), ApiErr> {
    if who.scope.is_national() {
        return Ok(());
    }
    s.storage
        .audit(&who.name, "forbidden", Some(action), now())?;
    Err(ApiErr::new(
        StatusCode::FORBIDDEN,
        codes::FORBIDDEN,
        "only a national supervisor may do this",
    ))
}

/// The supervisor behind a bearer token.
pub(super) fn supervisor(s: &AppState, headers: &HeaderMap) -> Result<String, ApiErr> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiErr::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                "log in first",
            )
        })?;
    s.storage
        .session(&token_hash(token), now())?
        .ok_or_else(|| {
            ApiErr::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                "session unknown or expired",
            )
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub name: String,
    pub password: String,
}

impl Login {
    /// Both within their bounds, or a 400 naming the field.
    fn check(&self) -> Result<(), ApiErr> {
        body::free_text("name", &self.name, body::MAX_NAME_BYTES, body::Lines::One)?;
        bounded("password", &self.password, body::MAX_PASSWORD_BYTES)
    }
}

#[derive(Serialize, Deserialize)]
pub struct Token {
    pub token: String,
    pub expires_at: i64,
}

/// Log in. Refused at once (429) while the name or the client's address is
/// locked after failed attempts; otherwise one password hash, at most one per
/// core at a time, also for names that do not exist ([`crate::password`]).
/// Failures and locks are audited.
pub async fn login(
    State(state): State<Arc<AppState>>,
    Peer(addr): Peer,
    JsonBody(login): JsonBody<Login>,
) -> Result<Json<Token>, Response> {
    login.check().map_err(IntoResponse::into_response)?;
    let guards = &state.guards;
    let name = throttle::name_key(&login.name);
    let started = Instant::now();
    guards
        .login_names
        .check(&name, started)
        .and_then(|()| guards.login_addrs.check(&addr, started))
        .map_err(too_many)?;
    let Login {
        name: given,
        password,
    } = login;
    let password = zeroize::Zeroizing::new(password);
    let lookup = given.clone();
    let stored = blocking(&state, move |s| Ok(s.storage.supervisor_hash(&lookup)?))
        .await
        .map_err(IntoResponse::into_response)?;
    let known = stored.is_some();
    let verified = guards
        .hash(move || crate::password::verify(stored.as_deref(), &password))
        .await
        .map_err(IntoResponse::into_response)?
        .map_err(|e| {
            log::error!("supervisor login: {e}");
            ApiErr::internal().into_response()
        })?;
    let outcome = if verified {
        let who = given.clone();
        let token = blocking(&state, move |s| {
            let mut raw = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut raw);
            let token = URL_SAFE_NO_PAD.encode(raw);
            let expires_at = now() + SESSION_SECS;
            s.storage
                .add_session(&token_hash(&token), &who, expires_at)?;
            s.storage.audit(&who, "login", None, now())?;
            Ok(Token { token, expires_at })
        })
        .await
        .map_err(IntoResponse::into_response)?;
        Ok(token)
    } else {
        Err((known, given))
    };
    match outcome {
        Ok(token) => {
            guards.login_names.succeed(&name);
            Ok(Json(token))
        }
        Err((known, given)) => {
            let at = Instant::now();
            let by_name = guards.login_names.fail(&name, at);
            let by_addr = guards.login_addrs.fail(&addr, at);
            // Only names that exist are written down: the audit log must not
            // fill with whatever a guesser types.
            let actor = if known { given } else { "unknown name".into() };
            let subject = format!("from {addr}");
            let mut audit = vec!["login_failed"];
            if matches!(by_name, Failure::Locked(_)) {
                audit.push("login_locked_name");
            }
            if matches!(by_addr, Failure::Locked(_)) {
                audit.push("login_locked_address");
            }
            let logged = blocking(&state, move |s| {
                for action in audit {
                    s.storage.audit(&actor, action, Some(&subject), now())?;
                }
                Ok(())
            })
            .await;
            if let Err(e) = logged {
                log::error!("auditing a failed login: {}", e.message);
            }
            Err(ApiErr::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                "wrong name or password",
            )
            .into_response())
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct EnrolmentCode {
    /// Ten characters from an alphabet without look-alikes, shown as XXXXX-XXXXX.
    pub code: String,
    pub expires_at: i64,
    /// The centre the device enrolled with this code joins (`""`: default).
    #[serde(default)]
    pub centre: String,
}

/// `POST /v1/supervisor/enrolment-codes` body (optional; empty or `{}`
/// means the default centre; an unknown field, e.g. `center`, is refused).
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentCodeRequest {
    #[serde(default)]
    pub centre: String,
}

/// Why a centre name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CentreError {
    #[error("a centre name is at most {max} bytes", max = wire::MAX_CENTRE_BYTES)]
    TooLong,
    #[error("a centre name holds only letters, digits, single spaces between words, and - _ .")]
    BadCharacter,
}

/// Check a centre (team) name, e.g. "Mobile centre 2": at most
/// [`wire::MAX_CENTRE_BYTES`] bytes of letters (any script), digits, single
/// inner spaces, `-`, `_` and `.`. It names a team, never a person. `""` is
/// the default centre.
pub fn check_centre(name: &str) -> Result<(), CentreError> {
    if name.len() > wire::MAX_CENTRE_BYTES {
        return Err(CentreError::TooLong);
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.');
    if !name.chars().all(allowed)
        || name.starts_with(' ')
        || name.ends_with(' ')
        || name.contains("  ")
    {
        return Err(CentreError::BadCharacter);
    }
    Ok(())
}

/// A code for a centre in the supervisor's scope. A district supervisor
/// naming a new centre creates it in their district; a centre supervisor
/// issues codes for their own centre only; a national one for any (a new
/// centre goes to the default district). A centre outside the scope is
/// refused as unknown (404) and audited (`enrolment_code_denied`).
pub async fn enrolment_code(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    JsonBody(req): JsonBody<EnrolmentCodeRequest>,
) -> Result<Json<EnrolmentCode>, ApiErr> {
    check_centre(&req.centre).map_err(|e| ApiErr::bad_request(format!("centre: {e}")))?;
    blocking(&state, move |s| {
        let ScopedSupervisor { name: who, scope } = sup;
        let district = s
            .storage
            .centres()?
            .into_iter()
            .find(|c| c.name == req.centre)
            .map(|c| c.district);
        let allowed = match (&scope, &district) {
            (Scope::National, _) => true,
            (_, Some(d)) => scope.covers(&req.centre, d),
            (Scope::District(d), None) => {
                s.storage.put_centre(&req.centre, d, &who, now())?;
                true
            }
            (Scope::Centre(_), None) => false,
        };
        if !allowed {
            s.storage.audit(
                &who,
                "enrolment_code_denied",
                Some(&format!("centre {:?}", req.centre)),
                now(),
            )?;
            return Err(ApiErr::new(
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                "no such centre",
            ));
        }
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut raw = [0u8; 10];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let chars: String = raw
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        let code = format!("{}-{}", &chars[..5], &chars[5..]);
        let expires_at = now() + CODE_SECS;
        s.storage.add_enrolment_code(
            &super::device::code_hash(&code),
            &req.centre,
            &who,
            now(),
            expires_at,
        )?;
        Ok(Json(EnrolmentCode {
            code,
            expires_at,
            centre: req.centre,
        }))
    })
    .await
}

/// `GET /v1/supervisor/cases` query: a status (or all), a page size and
/// where the previous page ended.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFilter {
    status: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
}

/// A page of cases in the caller's scope.
#[derive(Serialize, Deserialize)]
pub struct CasePageView {
    pub cases: Vec<CaseRow>,
    /// Cases in the caller's scope per status (whatever the filter).
    pub counts: StatusCounts,
    /// Give it as `after` for the next page; `null` on the last page.
    pub next: Option<String>,
}

/// A page size given by a client: 1 to [`MAX_PAGE`], or the default.
fn limit_param(limit: Option<u32>) -> Result<u32, ApiErr> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(ApiErr::bad_request(format!("limit: from 1 to {MAX_PAGE}"))),
    }
}

pub async fn cases(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Query(f): Query<CaseFilter>,
) -> Result<Json<CasePageView>, ApiErr> {
    let status = match f.status.as_deref() {
        None | Some("") => None,
        Some(v) => Some(CaseStatus::parse(v).ok_or_else(|| ApiErr::bad_request("unknown status"))?),
    };
    let after = match f.after.as_deref() {
        None | Some("") => None,
        Some(c) => Some(
            c.parse::<CaseCursor>()
                .map_err(|e| ApiErr::bad_request(format!("after: {e}")))?,
        ),
    };
    let limit = limit_param(f.limit)?;
    blocking(&state, move |s| {
        s.storage
            .audit(&sup.name, "list_cases", f.status.as_deref(), now())?;
        let page = s.storage.case_page(
            &sup.scope,
            &CaseQuery {
                status,
                after,
                limit,
            },
        )?;
        Ok(Json(CasePageView {
            cases: page.cases,
            counts: page.counts,
            next: page.next.map(|c| c.to_string()),
        }))
    })
    .await
}

#[derive(Serialize, Deserialize)]
pub struct CaseView {
    pub case_id: Uuid,
    pub status: CaseStatus,
    pub version: u32,
    pub device_id: Uuid,
    pub flagged: bool,
    pub household: Household,
    /// The pre-check of the latest version, as a person reads it.
    pub precheck: String,
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

pub async fn case(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Path(id): Path<Uuid>,
    Query(q): Query<LangQuery>,
) -> Result<Json<CaseView>, ApiErr> {
    blocking(&state, move |s| {
        let who = sup.name;
        let (row, sealed) = s.storage.case(id)?.ok_or_else(no_such_case)?;
        if !sup.scope.covers(&row.centre, &row.district) {
            return Err(case_denied(s, &who, "view_case_denied", id));
        }
        let op =
            komek_core::crypto::seal::SealedOp::parse(&sealed).map_err(|_| ApiErr::internal())?;
        let plain = s.keys.open(&op).map_err(|_| ApiErr::internal())?;
        let household = codec::decode(&plain).map_err(|_| ApiErr::internal())?;
        s.storage
            .audit(&who, "view_case", Some(&id.to_string()), now())?;
        let lang = q
            .lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Ru);
        let report = rules::evaluate(
            &household,
            rules::default_pack(),
            chrono::Utc::now().date_naive(),
        );
        Ok(Json(CaseView {
            case_id: row.case_id,
            status: row.status,
            version: row.version,
            device_id: row.device_id,
            flagged: row.flagged,
            precheck: render::render_text(&report, lang),
            household,
        }))
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    pub comment: Option<String>,
}

pub async fn decide(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Path((id, action)): Path<(Uuid, String)>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<CaseRow>, ApiErr> {
    let to = match action.as_str() {
        "review" => CaseStatus::UnderReview,
        "approve" => CaseStatus::Approved,
        "return" => CaseStatus::Returned,
        "reject" => CaseStatus::Rejected,
        _ => {
            return Err(ApiErr::new(
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                "unknown action",
            ))
        }
    };
    if let Some(comment) = &body.comment {
        body::free_text(
            "comment",
            comment,
            body::MAX_COMMENT_BYTES,
            body::Lines::Many,
        )?;
    }
    if to == CaseStatus::Returned && body.comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err(ApiErr::bad_request(
            "a returned case needs a comment saying what to fix",
        ));
    }
    blocking(&state, move |s| {
        let ScopedSupervisor { name: who, scope } = sup;
        let (row, _) = s.storage.case(id)?.ok_or_else(no_such_case)?;
        // Checked here before a comment is sealed, and again by the storage
        // under the decision's lock.
        if !scope.covers(&row.centre, &row.district) {
            return Err(case_denied(s, &who, "decide_denied", id));
        }
        let sealed_comment = match body.comment.as_deref().filter(|c| !c.trim().is_empty()) {
            None => None,
            Some(text) => {
                let device = s
                    .storage
                    .device(row.device_id)?
                    .ok_or_else(ApiErr::internal)?;
                let key = komek_core::crypto::SecretKey::from_bytes(&device.inbox_key)
                    .map_err(|_| ApiErr::internal())?;
                Some(
                    inbox::seal_comment(&key, id, row.version, text)
                        .map_err(|_| ApiErr::internal())?,
                )
            }
        };
        let decided = s.storage.decide_in(
            &scope,
            &Decision {
                case_id: id,
                version: row.version,
                to,
                sealed_comment,
                supervisor: who.clone(),
            },
            now(),
        );
        match decided {
            Ok(row) => Ok(Json(row)),
            Err(StorageError::OutOfScope) => Err(case_denied(s, &who, "decide_denied", id)),
            Err(StorageError::NotFound) => Err(no_such_case()),
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// Revoke a device of the caller's scope; another scope's device is
/// answered as unknown (404) and the denial audited (`revoke_denied`).
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiErr> {
    blocking(&state, move |s| {
        let who = sup.name;
        if !sup.scope.is_national() {
            let Some(device) = s.storage.device(id)? else {
                return Err(StorageError::NotFound.into());
            };
            let district = s
                .storage
                .centres()?
                .into_iter()
                .find(|c| c.name == device.centre)
                .map(|c| c.district)
                .unwrap_or_default();
            if !sup.scope.covers(&device.centre, &district) {
                s.storage
                    .audit(&who, "revoke_denied", Some(&id.to_string()), now())?;
                return Err(StorageError::NotFound.into());
            }
        }
        s.storage.revoke(id, &who, now())?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

#[derive(Serialize, Deserialize)]
pub struct DeviceView {
    pub id: Uuid,
    pub label: String,
    pub revoked: bool,
    /// The device's centre (`""`: the default centre).
    #[serde(default)]
    pub centre: String,
    /// That centre's district (`""`: the default district).
    #[serde(default)]
    pub district: String,
}

/// `GET /v1/supervisor/devices` query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceQuery {
    limit: Option<u32>,
    offset: Option<u64>,
}

/// A page of the devices in the caller's scope.
#[derive(Serialize, Deserialize)]
pub struct DevicePageView {
    pub devices: Vec<DeviceView>,
    /// Devices in the caller's scope.
    pub total: u64,
    /// The `offset` of the next page; `null` on the last page.
    pub next_offset: Option<u64>,
}

pub async fn devices(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Query(q): Query<DeviceQuery>,
) -> Result<Json<DevicePageView>, ApiErr> {
    let limit = limit_param(q.limit)?;
    let offset = q.offset.unwrap_or(0);
    if i64::try_from(offset).is_err() {
        return Err(ApiErr::bad_request("offset: at most 2^63 - 1"));
    }
    blocking(&state, move |s| {
        s.storage.audit(&sup.name, "list_devices", None, now())?;
        let page = s.storage.device_page(&sup.scope, limit, offset)?;
        let end = offset + page.devices.len() as u64;
        Ok(Json(DevicePageView {
            devices: page
                .devices
                .into_iter()
                .map(|(d, district)| DeviceView {
                    id: d.id,
                    label: d.label,
                    revoked: d.revoked,
                    centre: d.centre,
                    district,
                })
                .collect(),
            total: page.total,
            next_offset: (end < page.total).then_some(end),
        }))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// The pack's TOML (base64).
    pub toml: String,
    /// Its signature (base64); without one the registry signs with its rules key.
    #[serde(default)]
    pub signature: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub struct Published {
    pub version: String,
}

/// Publish a rule pack to every device (national supervisors: a pack
/// reaches every district).
pub async fn publish_rules(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    JsonBody(p): JsonBody<Publish, { body::PACK_BODY_BYTES }>,
) -> Result<Json<Published>, ApiErr> {
    blocking(&state, move |s| {
        national_only(s, &sup, "publish_rules")?;
        let who = sup.name;
        let toml = B64
            .decode(&p.toml)
            .map_err(|_| ApiErr::bad_request("toml is not base64"))?;
        let signature = match p.signature {
            Some(sig) => B64
                .decode(sig)
                .map_err(|_| ApiErr::bad_request("signature is not base64"))?,
            None => s.keys.rules.sign(&toml),
        };
        let trusted = TrustedKeys::new().with(&s.keys.rules_public);
        signing::verify(&toml, Some(&signature), &trusted).map_err(|e| {
            ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::TAMPERED,
                e.to_string(),
            )
        })?;
        let pack = rules::RulePack::parse(&toml).map_err(|e| {
            ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::BAD_REQUEST,
                e.to_string(),
            )
        })?;
        // The parser checked the version's grammar; checked again here
        // because the version becomes a URL path segment every device
        // fetches: a pack that could not be served is never announced.
        rules::pack::check_version(&pack.version).map_err(|e| {
            ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::BAD_REQUEST,
                e.to_string(),
            )
        })?;
        s.storage
            .publish_pack(&pack.version, &toml, &signature, &who, now())?;
        Ok(Json(Published {
            version: pack.version,
        }))
    })
    .await
}

/// `POST /v1/supervisor/rules/{version}/withdraw`: the pack is no longer
/// served and leaves later pull pages (audited). A device that already
/// activated it keeps it until a newer pack arrives: publish a corrected
/// pack under a new version.
pub async fn withdraw_rules(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Path(version): Path<String>,
) -> Result<StatusCode, ApiErr> {
    rules::pack::check_version(&version)
        .map_err(|e| ApiErr::bad_request(format!("version: {e}")))?;
    blocking(&state, move |s| {
        national_only(s, &sup, "withdraw_rules")?;
        let who = sup.name;
        s.storage
            .withdraw_pack(&version, &who, now())
            .map_err(|e| match e {
                crate::storage::StorageError::NotFound => ApiErr::new(
                    StatusCode::NOT_FOUND,
                    codes::NOT_FOUND,
                    "no published pack with this version (or already withdrawn)",
                ),
                other => other.into(),
            })?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// `POST /v1/supervisor/logout`: the token stops working at once.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    Supervisor(who): Supervisor,
    headers: HeaderMap,
) -> Result<StatusCode, ApiErr> {
    blocking(&state, move |s| {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiErr::internal)?;
        s.storage.end_session(&token_hash(token))?;
        s.storage.audit(&who, "logout", None, now())?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// `GET /v1/supervisor/audit` query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    after: Option<i64>,
    limit: Option<u32>,
}

/// A page of the audit log.
#[derive(Serialize, Deserialize)]
pub struct AuditPageView {
    pub rows: Vec<AuditRow>,
    /// Give it as `after` for the next page; `null` on the last page.
    pub next: Option<i64>,
}

/// The audit log, national supervisors only (it names every district's
/// cases and supervisors).
pub async fn audit(
    State(state): State<Arc<AppState>>,
    sup: ScopedSupervisor,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPageView>, ApiErr> {
    let limit = limit_param(q.limit)?;
    blocking(&state, move |s| {
        national_only(s, &sup, "read_audit")?;
        let page = s.storage.audit_page(q.after.unwrap_or(0), limit)?;
        Ok(Json(AuditPageView {
            rows: page.rows,
            next: page.next,
        }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centre_names_are_checked() {
        for ok in ["", "Mobile centre 2", "Жетісу-3", "north_team.a", "Ақсу 12"] {
            assert_eq!(check_centre(ok), Ok(()), "{ok}");
        }
        for bad in [
            " lead",
            "trail ",
            "two  spaces",
            "a/b",
            "tab\there",
            "x\ny",
            "<script>",
        ] {
            assert_eq!(check_centre(bad), Err(CentreError::BadCharacter), "{bad}");
        }
        assert_eq!(check_centre(&"a".repeat(64)), Ok(()));
        assert_eq!(check_centre(&"a".repeat(65)), Err(CentreError::TooLong));
        // Bytes, not characters: 33 Cyrillic letters are 66 bytes.
        assert_eq!(check_centre(&"ж".repeat(33)), Err(CentreError::TooLong));
    }
}
