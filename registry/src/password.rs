//! Supervisors' passwords: Argon2id with parameters written down here, and a
//! check that costs the same whether or not the name exists.
//!
//! Parameters (OWASP's Argon2id minimum, 2024): 19 MiB of memory, 2 passes,
//! 1 lane — about 35 ms on one core of the office PC the registry is sized
//! for. Memory is what a flood exhausts, so the login handler runs at most
//! one hash per core at once (`api::guard`); peak memory for hashing is then
//! cores × 19 MiB, whatever the number of requests. A stored hash carries its
//! own parameters (PHC string); one whose memory or passes exceed the bounds
//! below is refused rather than verified, so a planted hash cannot make each
//! login cost a gigabyte.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

/// Memory per hash, in KiB (19 MiB).
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Passes over the memory.
pub const PASSES: u32 = 2;
/// Lanes (threads inside one hash).
pub const LANES: u32 = 1;
/// A stored hash asking for more memory than this (KiB) is refused.
pub const MAX_MEMORY_KIB: u32 = 64 * 1024;
/// A stored hash asking for more passes than this is refused.
pub const MAX_PASSES: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed")]
    Hashing,
    #[error("the stored password hash is malformed or over the cost bounds")]
    BadStoredHash,
}

fn argon2() -> Result<Argon2<'static>, PasswordError> {
    let params =
        Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|_| PasswordError::Hashing)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hash a password for storage (Argon2id, the parameters above, random salt).
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hashing)
}

/// A hash of a random password, made once: what unknown names are checked
/// against, so they cost one hash like known ones.
fn dummy() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let mut random = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
            let password = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD_NO_PAD,
                random,
            );
            hash(&password).ok()
        })
        .as_deref()
}

/// Does `password` match `stored`? With no stored hash (an unknown name) a
/// dummy hash is verified instead and the answer is `false`, so the time
/// taken does not tell whether the name exists.
pub fn verify(stored: Option<&str>, password: &str) -> Result<bool, PasswordError> {
    let Some(stored) = stored else {
        if let Some(d) = dummy() {
            // The answer is known (no such name); only the cost matters.
            let _ = verify_against(d, password);
        }
        return Ok(false);
    };
    verify_against(stored, password)
}

fn verify_against(stored: &str, password: &str) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(stored).map_err(|_| PasswordError::BadStoredHash)?;
    let params = Params::try_from(&parsed).map_err(|_| PasswordError::BadStoredHash)?;
    if params.m_cost() > MAX_MEMORY_KIB || params.t_cost() > MAX_PASSES {
        return Err(PasswordError::BadStoredHash);
    }
    Ok(argon2()?
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_names_its_parameters() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(Some(&h), "correct horse").unwrap());
        assert!(!verify(Some(&h), "wrong horse").unwrap());
        // No such name: false, after the same work.
        assert!(!verify(None, "correct horse").unwrap());
    }

    #[test]
    fn a_stored_hash_over_the_cost_bounds_is_refused() {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let greedy = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, MAX_PASSES + 1, 1, None).unwrap(),
        )
        .hash_password(b"pw", &salt)
        .unwrap()
        .to_string();
        assert!(matches!(
            verify(Some(&greedy), "pw"),
            Err(PasswordError::BadStoredHash)
        ));
        let planted = greedy.replace(&format!("m=8,t={}", MAX_PASSES + 1), "m=4194304,t=1");
        assert!(matches!(
            verify(Some(&planted), "pw"),
            Err(PasswordError::BadStoredHash)
        ));
        assert!(matches!(
            verify(Some("not a hash"), "pw"),
            Err(PasswordError::BadStoredHash)
        ));
    }
}
