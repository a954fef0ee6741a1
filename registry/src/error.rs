//! The registry's error answers: an HTTP status and a stable code.
//!
//! Every refusal is JSON `{"code": …, "message": …}` with a code from
//! `komek_core::sync::codes`. Messages never carry personal data: the registry
//! only names devices, cases and operations by id.

use crate::storage::StorageError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use komek_core::sync::codes;
use komek_core::sync::wire::ApiError;

#[derive(Debug)]
pub struct ApiErr {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub last_seq: Option<u64>,
    /// With `replayed`: the highest operation number stored from the device.
    pub last_op_seq: Option<u64>,
}

impl ApiErr {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiErr {
        ApiErr {
            status,
            code,
            message: message.into(),
            last_seq: None,
            last_op_seq: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiErr {
        ApiErr::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }

    pub fn internal() -> ApiErr {
        ApiErr::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "internal error",
        )
    }
}

impl From<StorageError> for ApiErr {
    fn from(e: StorageError) -> ApiErr {
        match e {
            // Out of scope answers exactly as unknown: ids cannot be probed.
            StorageError::NotFound | StorageError::OutOfScope => {
                ApiErr::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, "not found")
            }
            StorageError::BadCode => ApiErr::new(
                StatusCode::FORBIDDEN,
                codes::BAD_CODE,
                "enrolment code unknown, already used or expired",
            ),
            StorageError::Replayed => ApiErr::new(
                StatusCode::CONFLICT,
                codes::REPLAYED,
                "request sequence number already used (replay)",
            ),
            StorageError::Conflict(why) => ApiErr::new(StatusCode::CONFLICT, codes::CONFLICT, why),
            StorageError::OutOfRange(what) => ApiErr::new(
                StatusCode::BAD_REQUEST,
                codes::OUT_OF_RANGE,
                format!("{what} is out of range (at most 2^63 - 1)"),
            ),
            other => {
                log::error!("storage failure: {other}");
                ApiErr::internal()
            }
        }
    }
}

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ApiError {
                code: self.code.to_string(),
                message: self.message,
                last_seq: self.last_seq,
                last_op_seq: self.last_op_seq,
            }),
        )
            .into_response()
    }
}
