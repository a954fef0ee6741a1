//! Importing an offline bundle: `POST /v1/supervisor/bundles`.
//!
//! A supervisor at the district office hands in the file a field device
//! wrote where no signal came (`komek bundle import`). Import is a supervisor
//! endpoint rather than a tool working on the data directory: the person is
//! authenticated and named in the audit log, nobody needs read access to the
//! registry's key file, and the registry may run on another machine. The
//! bundle's device signature is checked as a whole before anything is
//! stored (unknown or revoked device, another registry, a flipped byte:
//! refused, nothing stored); then its operations go through the same
//! exactly-once path as a push ([`super::ingest::apply_ops`]), so a second
//! import, or a later sync of the same operations, changes nothing and is
//! answered "duplicate". The answer is the receipt, signed with the rules key
//! under the receipt context (`komek_core::sync::bundle`).

use super::body::{Raw, BUNDLE_BODY_BYTES};
use super::supervisor::Supervisor;
use super::{blocking, now};
use crate::error::ApiErr;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use komek_core::sync::bundle::{sha256, Bundle, Receipt, RECEIPT_CONTENT_TYPE};
use komek_core::sync::codes;
use komek_core::sync::wire::OpStatus;
use std::sync::Arc;

fn refuse(
    s: &AppState,
    who: &str,
    status: StatusCode,
    code: &'static str,
    message: &str,
    subject: &str,
) -> ApiErr {
    // The refusal is audited too; a failure to write the entry fails the call.
    match s.storage.audit(
        who,
        "bundle_refused",
        Some(&format!("{subject}: {code}")),
        now(),
    ) {
        Ok(()) => ApiErr::new(status, code, message),
        Err(e) => e.into(),
    }
}

pub async fn import(
    State(state): State<Arc<AppState>>,
    Supervisor(who): Supervisor,
    Raw(body): Raw<{ BUNDLE_BODY_BYTES }>,
) -> Result<Response, ApiErr> {
    blocking(&state, move |s| {
        let bundle = Bundle::parse(&body).map_err(|e| {
            refuse(
                s,
                &who,
                StatusCode::BAD_REQUEST,
                codes::BAD_REQUEST,
                &e.to_string(),
                "unreadable bundle",
            )
        })?;
        let h = bundle.header;
        let subject = format!("bundle {} device {}", h.bundle_id, h.device_id);
        if h.registry_id != s.keys.registry_id {
            return Err(refuse(
                s,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::WRONG_REGISTRY,
                "the bundle was made for another registry",
                &subject,
            ));
        }
        let Some(device) = s.storage.device(h.device_id)? else {
            return Err(refuse(
                s,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::UNKNOWN_DEVICE,
                "the bundle's device is not enrolled with this registry",
                &subject,
            ));
        };
        if device.revoked {
            return Err(refuse(
                s,
                &who,
                StatusCode::FORBIDDEN,
                codes::REVOKED,
                "the bundle's device has been revoked: nothing was imported",
                &subject,
            ));
        }
        if !bundle.verify(&device.public_key) {
            return Err(refuse(
                s,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::TAMPERED,
                "the bundle's signature does not verify (altered or damaged): nothing was imported",
                &subject,
            ));
        }
        let results = super::ingest::apply_ops(s, &device, None, &bundle.ops)?;
        let count = |st: OpStatus| results.iter().filter(|r| r.status == st).count();
        s.storage.audit(
            &who,
            "bundle_import",
            Some(&format!(
                "{subject}: {} stored, {} duplicate, {} rejected",
                count(OpStatus::Stored),
                count(OpStatus::Duplicate),
                count(OpStatus::Rejected)
            )),
            now(),
        )?;
        log::info!("{subject} imported by a supervisor");
        let receipt = Receipt {
            header: h,
            bundle_hash: sha256(&body),
            imported_at: now(),
            results,
        };
        let bytes = receipt
            .encode(|m| s.keys.sign_receipt(m))
            .map_err(|_| ApiErr::internal())?;
        Ok(([(header::CONTENT_TYPE, RECEIPT_CONTENT_TYPE)], bytes).into_response())
    })
    .await
}
