//! The one error type apps see. Each variant is a stable code; the message is
//! safe to show and to log (it never holds names, IINs, addresses or amounts).

/// Errors of the Komek API, flat: Kotlin sees `KomekException.<Variant>`, Swift
/// `KomekError.<variant>`; `message` carries the human text.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum KomekError {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KomekError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> KomekError {
        KomekError::Internal(format!("callback failed: {}", e.reason))
    }
}
