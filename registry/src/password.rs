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
//!
//! Verification hashes into memory each thread keeps (`BLOCKS`), not into a
//! fresh 19 MiB vector: the allocator did not reuse those (Argon2's blocks
//! are 64-byte aligned) and each login grew the process by 19 MiB, never
//! given back. Only the login hashing threads (`api::guard`) verify, so the
//! kept memory is threads × 19 MiB.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
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
            let password =
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD_NO_PAD, random);
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

thread_local! {
    /// This thread's Argon2 memory, kept between hashes.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn verify_against(stored: &str, password: &str) -> Result<bool, PasswordError> {
    fn bad<E>(_: E) -> PasswordError {
        PasswordError::BadStoredHash
    }
    let parsed = PasswordHash::new(stored).map_err(bad)?;
    let params = Params::try_from(&parsed).map_err(bad)?;
    if params.m_cost() > MAX_MEMORY_KIB || params.t_cost() > MAX_PASSES {
        return Err(PasswordError::BadStoredHash);
    }
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(bad)?;
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .map_err(bad)?;
    let expected = parsed.hash.ok_or(PasswordError::BadStoredHash)?;
    let mut salt = [0u8; Salt::MAX_LENGTH];
    let salt = parsed
        .salt
        .ok_or(PasswordError::BadStoredHash)?
        .decode_b64(&mut salt)
        .map_err(bad)?;
    let mut out = zeroize::Zeroizing::new(vec![0u8; expected.len()]);
    let argon2 = Argon2::new(algorithm, version, params.clone());
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        if blocks.len() < params.block_count() {
            blocks.resize(params.block_count(), Block::default());
        }
        let hashed = argon2.hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut blocks[..],
        );
        // The memory holds values derived from the password.
        blocks.fill(Block::default());
        hashed.map_err(|_| PasswordError::Hashing)
    })?;
    // `Output`'s equality is constant-time.
    Ok(Output::new(&out).is_ok_and(|o| o == expected))
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

    /// Hashes made by the `argon2` crate's own hasher (as the registry made
    /// them before) still verify.
    #[test]
    fn hashes_made_by_the_crate_hasher_still_verify() {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let old = Argon2::default()
            .hash_password(b"old password", &salt)
            .unwrap()
            .to_string();
        assert!(verify(Some(&old), "old password").unwrap());
        assert!(!verify(Some(&old), "old passwore").unwrap());
        // Memory per login is measured on the running registry (see
        // docs/registry-server.md, "Measured"), not here: tests share a process.
    }
}
