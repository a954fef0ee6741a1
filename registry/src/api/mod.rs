//! The HTTP endpoints: [`device`] (enrol, push, pull, rule packs),
//! [`supervisor`] (review, enrolment codes, revocation, publishing packs) and
//! [`bundle`] (offline bundles imported by a supervisor); [`ingest`] is the
//! one exactly-once path pushes and bundles share.

pub mod bundle;
pub mod device;
pub mod guard;
pub mod ingest;
pub mod supervisor;

use crate::error::ApiErr;
use crate::AppState;
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
