//! How a household becomes the plaintext of a sealed operation, and back.
//!
//! JSON (the model's own serde form, so the registry reads what the device
//! wrote, field for field) compressed with zstd before sealing: ciphertext does
//! not compress, so compression must happen here, inside the seal, to count
//! on a 2G link.

use crate::model::Household;

/// zstd level: the best ratio that still compresses a form in well under a
/// millisecond on a phone (forms are small).
const LEVEL: i32 = 19;
/// A decoded form larger than this is refused (a zip bomb, not a household).
const MAX_DECODED: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("form cannot be encoded")]
    Encode,
    #[error("form content is not valid compressed data")]
    Decompress,
    #[error("form content is not a household: {0}")]
    Decode(String),
}

pub fn encode(h: &Household) -> Result<Vec<u8>, CodecError> {
    let json = serde_json::to_vec(h).map_err(|_| CodecError::Encode)?;
    zstd::bulk::compress(&json, LEVEL).map_err(|_| CodecError::Encode)
}

pub fn decode(bytes: &[u8]) -> Result<Household, CodecError> {
    let json = zstd::bulk::decompress(bytes, MAX_DECODED).map_err(|_| CodecError::Decompress)?;
    // serde_json's message names the field and position, never the value.
    serde_json::from_slice(&json)
        .map_err(|e| CodecError::Decode(format!("line {} column {}", e.line(), e.column())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn households_round_trip_and_shrink() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        for h in crate::synth::households(7, 20, today) {
            let bytes = encode(&h).unwrap();
            assert_eq!(decode(&bytes).unwrap(), h);
            assert!(bytes.len() < serde_json::to_vec(&h).unwrap().len());
        }
        assert!(matches!(decode(b"nope"), Err(CodecError::Decompress)));
    }
}
