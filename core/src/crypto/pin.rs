//! Staff PIN verifiers.
//!
//! A PIN has four to eight digits: any verifier of it can be brute-forced offline
//! in moments. So the verifier is peppered with a key derived from the device
//! data key (which only the platform vault can unwrap): with the database file
//! alone nothing can be tested, and on the device the store limits attempts.
//! PBKDF2 on top slows an attacker who has both.

use super::keys::{random_bytes, SecretKey};
use super::CryptoError;
use ring::{hmac, pbkdf2};
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// PBKDF2 iterations for PIN verifiers. Unit tests of this crate use a cheap setting.
pub const PIN_ITERATIONS: u32 = if cfg!(test) { 1_000 } else { 100_000 };

/// What the store keeps to check a staff member's PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinVerifier {
    pub salt: [u8; 16],
    pub iterations: u32,
    pub hash: [u8; 32],
}

fn peppered(pepper: &SecretKey, pin: &str) -> hmac::Tag {
    let k = hmac::Key::new(hmac::HMAC_SHA256, pepper.derive("komek/pin/v1").expose());
    hmac::sign(&k, pin.as_bytes())
}

fn iterations(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// A new verifier for `pin`.
pub fn make_verifier(pepper: &SecretKey, pin: &str) -> Result<PinVerifier, CryptoError> {
    let salt = random_bytes::<16>()?;
    let mut hash = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations(PIN_ITERATIONS),
        &salt,
        peppered(pepper, pin).as_ref(),
        &mut hash,
    );
    Ok(PinVerifier {
        salt,
        iterations: PIN_ITERATIONS,
        hash,
    })
}

/// Whether `pin` matches (constant time).
pub fn verify(pepper: &SecretKey, verifier: &PinVerifier, pin: &str) -> bool {
    pbkdf2::verify(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations(verifier.iterations),
        &verifier.salt,
        peppered(pepper, pin).as_ref(),
        &verifier.hash,
    )
    .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_pin_verifies_wrong_pin_and_wrong_pepper_do_not() {
        let pepper = SecretKey::generate().unwrap();
        let v = make_verifier(&pepper, "4821").unwrap();
        assert!(verify(&pepper, &v, "4821"));
        assert!(!verify(&pepper, &v, "4822"));
        assert!(!verify(&SecretKey::generate().unwrap(), &v, "4821"));
    }
}
