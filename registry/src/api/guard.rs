//! What stands in front of the password and enrolment-code checks: the
//! throttles ([`crate::throttle`]) per login name and per client address, and
//! a semaphore that lets at most one password hash per core run at once.
//!
//! Without them 32 concurrent wrong logins took the registry to 4.8 GiB (each
//! Argon2 hash holds 19 MiB on its own blocking thread, and the allocator
//! keeps what each thread used) and guesses were unlimited.

use crate::error::ApiErr;
use crate::throttle::{address_key, ThrottleConfig, Throttle};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use komek_core::sync::codes;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a login waits for a free hashing slot before it is told the
/// registry is busy.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// The guards of one registry process.
#[derive(Debug)]
pub struct Guards {
    pub login_names: Throttle<[u8; 32]>,
    pub login_addrs: Throttle<IpAddr>,
    pub enrol_addrs: Throttle<IpAddr>,
    hashing: Arc<Semaphore>,
    /// Hashes running now, and the most that ever ran at once.
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

/// A hashing slot: held while one password hash runs.
#[derive(Debug)]
pub struct HashingSlot {
    _permit: OwnedSemaphorePermit,
    running: Arc<AtomicUsize>,
}

impl Drop for HashingSlot {
    fn drop(&mut self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Default for Guards {
    fn default() -> Self {
        Guards::new(hashing_slots())
    }
}

/// One hashing slot per core the process may use.
pub fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

impl Guards {
    pub fn new(hashing_slots: usize) -> Guards {
        Guards {
            login_names: Throttle::new(ThrottleConfig::LOGIN_NAME),
            login_addrs: Throttle::new(ThrottleConfig::ADDRESS),
            enrol_addrs: Throttle::new(ThrottleConfig::ADDRESS),
            hashing: Arc::new(Semaphore::new(hashing_slots.max(1))),
            running: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The most password hashes that ran at once since the start.
    pub fn peak_hashing(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// A hashing slot, held until the permit is dropped; `busy` after
    /// [`HASH_QUEUE_WAIT`].
    pub async fn hashing_slot(&self) -> Result<HashingSlot, ApiErr> {
        let busy = || {
            ApiErr::new(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::BUSY,
                "too many logins at once: try again in a minute",
            )
        };
        let permit = tokio::time::timeout(HASH_QUEUE_WAIT, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Ok(HashingSlot {
            _permit: permit,
            running: self.running.clone(),
        })
    }
}

/// The client's address as the throttles count it (IPv6 by /64). Behind a
/// reverse proxy this is the proxy's address: `X-Forwarded-For` is not
/// trusted, since any client can send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Peer, Infallible> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(Peer(address_key(addr)))
    }
}

/// The answer while a name or address is locked: 429 with `Retry-After`.
pub fn too_many(wait: Duration) -> Response {
    let secs = wait.as_secs().saturating_add(u64::from(wait.subsec_nanos() > 0));
    let mut response = ApiErr::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::TOO_MANY_ATTEMPTS,
        format!("too many failed attempts: try again in {secs} s"),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}
