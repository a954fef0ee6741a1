//! The messages of the sync protocol, shared by the device and the registry.
//!
//! Both ends compile this file, so they cannot disagree about a field name or a
//! frame layout. The protocol is written down for people in
//! `docs/sync-protocol.md` (and `docs/sync-openapi.yaml`); this file is what
//! the code uses. JSON for the small control messages (readable with curl),
//! a binary frame for pushes (sealed operations are bytes; base64 would add a
//! third to every form sent over 2G), and compact binary answers to push and
//! pull for devices that ask for them ([`super::frames`]).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Protocol name, in the signed request string and `GET /v1/info`.
pub const PROTOCOL: &str = "komek-sync/1";
/// Request headers of a signed device request.
pub const HEADER_DEVICE: &str = "komek-device";
pub const HEADER_SEQ: &str = "komek-seq";
pub const HEADER_SIGNATURE: &str = "komek-signature";
/// Content type of a push body.
pub const PUSH_CONTENT_TYPE: &str = "application/vnd.komek.push";
/// Content type of JSON answers (the default).
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// The compact push answer ([`super::frames::encode_results`]): a device
/// asks for it with `Accept`, the registry answers it with `Content-Type`.
pub const RESULTS_CONTENT_TYPE: &str = "application/vnd.komek.results";
/// The compact pull answer ([`super::frames::encode_events`]).
pub const EVENTS_CONTENT_TYPE: &str = "application/vnd.komek.events";
/// The longest centre (team) name of an enrolment code, in bytes.
pub const MAX_CENTRE_BYTES: usize = 64;
const PUSH_MAGIC: &[u8; 4] = b"KPB1";
/// The most operations one push may carry.
pub const MAX_OPS_PER_PUSH: usize = 500;
/// The largest sealed operation the registry accepts.
pub const MAX_OP_BYTES: usize = 64 * 1024;
/// The largest push body: a full frame of the largest operations.
pub const MAX_PUSH_BYTES: usize = 6 + MAX_OPS_PER_PUSH * (4 + MAX_OP_BYTES);

/// What anyone may learn about a registry before enrolling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryInfo {
    pub protocol: String,
    pub registry_id: Uuid,
    /// X25519 public key that forms are sealed to (base64).
    pub seal_key: String,
    /// Ed25519 public key that signs rule packs (base64).
    pub rules_key: String,
}

/// `POST /v1/enrol`: a device registers its key with a one-time code.
/// Unknown fields are refused (a misspelled field must not go unnoticed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub code: String,
    /// The device's Ed25519 public key (base64).
    pub device_key: String,
    /// An ephemeral X25519 public key (base64): with the registry's seal key it
    /// gives both sides the device's inbox key without sending it.
    pub inbox_ephemeral: String,
    /// A label for supervisors ("Mobile centre 2, tablet A"); no personal data.
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub device_id: Uuid,
    pub registry_id: Uuid,
    pub seal_key: String,
    pub rules_key: String,
    /// SHA-256 of the DER of the registry's served TLS certificate, then of
    /// the next one during a rotation (base64); empty when the registry
    /// serves plain HTTP (loopback, tests). See `sync::tls`.
    #[serde(default)]
    pub tls_pins: Vec<String>,
}

pub use crate::model::CaseStatus;

/// What the registry did with one pushed operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    /// Stored now.
    Stored,
    /// Stored before (a retry): the same result as the first time.
    Duplicate,
    /// Refused; `code` says why. The rest of the batch is unaffected.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpResult {
    pub device_seq: u64,
    pub status: OpStatus,
    /// Why it was rejected (a stable code, see [`crate::sync::codes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Accepted, but made against a case that was returned, decided or changed
    /// meanwhile: a person must look at it.
    #[serde(default)]
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<OpResult>,
}

/// One entry of the registry's event log, as a device pulls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub seq: i64,
    #[serde(flatten)]
    pub body: EventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// A case's status changed (the devices of the centre of the case's
    /// device see it; see `docs/sync-protocol.md`, section 9).
    Decision {
        case_id: Uuid,
        version: u32,
        status: CaseStatus,
        #[serde(default)]
        flagged: bool,
    },
    /// A supervisor's comment, sealed with the recipient device's inbox key
    /// (base64; see [`crate::sync::inbox`]).
    Comment {
        case_id: Uuid,
        version: u32,
        sealed: String,
    },
    /// A new rule pack is published: fetch `GET /v1/rules/{version}`.
    RulePack { version: String },
    /// An event of a kind this version of the library does not know (a
    /// newer registry): skipped, and the cursor moves past it. The registry
    /// never sends it as such.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub events: Vec<Event>,
    /// Pull again after this cursor.
    pub cursor: i64,
    /// More events wait.
    pub more: bool,
    /// The registry's current TLS pins (base64 SHA-256), on https only: a
    /// device that reached it over a pinned connection replaces its stored
    /// pins with these, so certificate rotations need no new enrolment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_pins: Vec<String>,
}

/// `GET /v1/rules/{version}`: a signed pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedPack {
    pub version: String,
    /// The TOML bytes (base64).
    pub toml: String,
    /// The 72-byte signature (base64; see [`crate::rules::signing`]).
    pub signature: String,
}

/// Every error answer of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// With `replayed`: the highest request number the registry has seen from
    /// the device, so a device restored from a backup can resume above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seq: Option<u64>,
    /// With `replayed`: the highest operation number (`device_seq`) the
    /// registry has stored from the device. A device restored from a backup
    /// renumbers its pending operations above it (ADR 0010).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_op_seq: Option<u64>,
}

/// Frame sealed operations into a push body: magic, count (u16), then each
/// operation as length (u32) and bytes, all big-endian.
pub fn encode_push(ops: &[&[u8]]) -> Vec<u8> {
    let len: usize = ops.iter().map(|o| o.len() + 4).sum();
    let mut out = Vec::with_capacity(PUSH_MAGIC.len() + 2 + len);
    out.extend_from_slice(PUSH_MAGIC);
    out.extend_from_slice(&(ops.len().min(u16::MAX as usize) as u16).to_be_bytes());
    for op in ops.iter().take(u16::MAX as usize) {
        out.extend_from_slice(&(op.len() as u32).to_be_bytes());
        out.extend_from_slice(op);
    }
    out
}

/// Why a push body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("not a push body")]
    BadMagic,
    #[error("push body is truncated")]
    Truncated,
    #[error("push body carries {0} operations (at most {MAX_OPS_PER_PUSH})")]
    TooMany(usize),
    #[error("an operation of {0} bytes is larger than allowed")]
    TooLarge(usize),
    #[error("push body has trailing bytes")]
    Trailing,
}

/// Split a push body into its sealed operations.
pub fn decode_push(body: &[u8]) -> Result<Vec<&[u8]>, FrameError> {
    let rest = body.strip_prefix(PUSH_MAGIC).ok_or(FrameError::BadMagic)?;
    if rest.len() < 2 {
        return Err(FrameError::Truncated);
    }
    let count = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
    if count > MAX_OPS_PER_PUSH {
        return Err(FrameError::TooMany(count));
    }
    let mut rest = &rest[2..];
    let mut ops = Vec::with_capacity(count);
    for _ in 0..count {
        if rest.len() < 4 {
            return Err(FrameError::Truncated);
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len > MAX_OP_BYTES {
            return Err(FrameError::TooLarge(len));
        }
        rest = &rest[4..];
        if rest.len() < len {
            return Err(FrameError::Truncated);
        }
        ops.push(&rest[..len]);
        rest = &rest[len..];
    }
    if !rest.is_empty() {
        return Err(FrameError::Trailing);
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_frames_round_trip_and_reject_damage() {
        let a = vec![1u8; 10];
        let b = vec![2u8; 300];
        let body = encode_push(&[&a, &b]);
        assert_eq!(decode_push(&body).unwrap(), vec![&a[..], &b[..]]);
        assert_eq!(
            decode_push(&body[..body.len() - 1]),
            Err(FrameError::Truncated)
        );
        let mut extra = body.clone();
        extra.push(0);
        assert_eq!(decode_push(&extra), Err(FrameError::Trailing));
        assert_eq!(decode_push(b"XXXX\0\0"), Err(FrameError::BadMagic));
        assert_eq!(decode_push(&encode_push(&[])).unwrap().len(), 0);
    }

    #[test]
    fn events_are_tagged_json() {
        let e = Event {
            seq: 3,
            body: EventBody::Decision {
                case_id: Uuid::nil(),
                version: 2,
                status: CaseStatus::Returned,
                flagged: false,
            },
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"kind\":\"decision\""), "{json}");
        assert!(json.contains("\"status\":\"returned\""), "{json}");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        for s in [
            "received",
            "under_review",
            "approved",
            "returned",
            "rejected",
        ] {
            assert_eq!(CaseStatus::parse(s).map(CaseStatus::as_str), Some(s));
        }
    }
}
