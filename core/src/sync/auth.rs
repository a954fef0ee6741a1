//! Signed device requests: who is asking, and that nobody replays them.
//!
//! Every device request carries its device id, a per-device request sequence
//! number that only grows, and an Ed25519 signature over the method, the path
//! (with query), the device id, the sequence number and the SHA-256 of the body.
//! The registry refuses a bad signature, an unknown or revoked device, and a
//! sequence number it has seen (a replay). Nothing here depends on the phone's
//! clock, which in the field is often wrong.

use crate::crypto::seal::{verify_signature, DeviceKey};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::digest;
use uuid::Uuid;

/// The exact bytes a device signs for one request.
pub fn signing_string(method: &str, path: &str, device: Uuid, seq: u64, body: &[u8]) -> Vec<u8> {
    let hash = digest::digest(&digest::SHA256, body);
    let hex: String = hash.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        super::wire::PROTOCOL,
        method.to_ascii_uppercase(),
        path,
        device,
        seq,
        hex
    )
    .into_bytes()
}

/// The signature header value for a request.
pub fn sign_request(
    key: &DeviceKey,
    method: &str,
    path: &str,
    device: Uuid,
    seq: u64,
    body: &[u8],
) -> String {
    B64.encode(key.sign(&signing_string(method, path, device, seq, body)))
}

/// Whether `signature_b64` is `device_public`'s signature of this request.
pub fn verify_request(
    device_public: &[u8],
    signature_b64: &str,
    method: &str,
    path: &str,
    device: Uuid,
    seq: u64,
    body: &[u8],
) -> bool {
    let Ok(sig) = B64.decode(signature_b64) else {
        return false;
    };
    verify_signature(
        device_public,
        &signing_string(method, path, device, seq, body),
        &sig,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_covers_method_path_device_seq_and_body() {
        let key = DeviceKey::generate().unwrap();
        let pk = key.public_key();
        let d = Uuid::new_v4();
        let sig = sign_request(&key, "POST", "/v1/push", d, 5, b"body");
        assert!(verify_request(&pk, &sig, "POST", "/v1/push", d, 5, b"body"));
        assert!(!verify_request(&pk, &sig, "GET", "/v1/push", d, 5, b"body"));
        assert!(!verify_request(
            &pk, &sig, "POST", "/v1/pull", d, 5, b"body"
        ));
        assert!(!verify_request(
            &pk,
            &sig,
            "POST",
            "/v1/push",
            Uuid::new_v4(),
            5,
            b"body"
        ));
        assert!(!verify_request(
            &pk, &sig, "POST", "/v1/push", d, 6, b"body"
        ));
        assert!(!verify_request(
            &pk, &sig, "POST", "/v1/push", d, 5, b"bodY"
        ));
        assert!(!verify_request(
            &pk,
            "not base64!",
            "POST",
            "/v1/push",
            d,
            5,
            b"body"
        ));
    }
}
