//! The HTTP endpoints: [`device`] (enrol, push, pull, rule packs),
//! [`supervisor`] (review, enrolment codes, revocation, publishing packs) and
//! [`bundle`] (offline bundles imported by a supervisor), [`districts`]
//! (districts and their centres); [`ingest`] is the
//! one exactly-once path pushes and bundles share; [`body`] reads request
//! bodies (after authentication, within each route's limit) and
//! [`json_refusals`] gives every refusal the API's JSON error body.

pub mod body;
pub mod bundle;
pub mod device;
pub mod districts;
pub mod guard;
pub mod ingest;
pub mod records;
pub mod supervisor;

use crate::error::ApiErr;
use crate::AppState;
use axum::response::IntoResponse;
use std::sync::Arc;

/// Run blocking work (SQLite, crypto) off the async threads.
pub async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&AppState) -> Result<T, ApiErr> + Send + 'static,
) -> Result<T, ApiErr> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|_| ApiErr::internal())?
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Give a refusal made outside the handlers (axum's own: an unknown route,
/// a wrong method, a malformed path or query) the API's JSON error body,
/// with a fixed message (axum's text can quote the request).
pub async fn json_refusals(resp: axum::response::Response) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use komek_core::sync::codes;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => (codes::NOT_FOUND, "no such endpoint"),
        StatusCode::METHOD_NOT_ALLOWED => (codes::BAD_REQUEST, "method not allowed here"),
        StatusCode::PAYLOAD_TOO_LARGE => (codes::TOO_LARGE, "the request body is too large"),
        StatusCode::UNAUTHORIZED => (codes::UNAUTHORIZED, "log in first"),
        s if s.is_server_error() => (codes::INTERNAL, "internal error"),
        _ => (
            codes::BAD_REQUEST,
            "the request's path, query or body is malformed",
        ),
    };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut err = ApiErr::new(status, code, message).into_response();
    // Keep what axum said besides the body (e.g. `Allow` on a 405).
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE {
            err.headers_mut().insert(name.clone(), value.clone());
        }
    }
    err
}
