//! What stands in front of the password and enrolment-code checks: the
//! throttles ([`crate::throttle`]) per login name and per client address, and
//! a semaphore that lets at most one password hash per core run at once.
//!
//! Without them 32 concurrent wrong logins took the registry to 4.8 GiB (each
//! Argon2 hash holds 19 MiB on its own blocking thread, and the allocator
//! keeps what each thread used) and guesses were unlimited.

use crate::error::ApiErr;
use crate::throttle::{address_key, Throttle, ThrottleConfig};
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
use tokio::sync::Semaphore;

/// How long a login waits for a free hashing slot before it is told the
/// registry is busy.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// The guards of one registry process.
#[derive(Debug)]
pub struct Guards {
    pub login_names: Throttle<[u8; 32]>,
    pub login_addrs: Throttle<IpAddr>,
    pub enrol_addrs: Throttle<IpAddr>,
    hashing: HashPool,
}

impl Default for Guards {
    fn default() -> Self {
        Guards::new(hashing_slots())
    }
}

/// One hashing thread per core the process may use.
pub fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

impl Guards {
    pub fn new(hashing_threads: usize) -> Guards {
        Guards {
            login_names: Throttle::new(ThrottleConfig::LOGIN_NAME),
            login_addrs: Throttle::new(ThrottleConfig::ADDRESS),
            enrol_addrs: Throttle::new(ThrottleConfig::ADDRESS),
            hashing: HashPool::new(hashing_threads),
        }
    }

    /// Run `hash` (a password hash) on the hashing threads, waiting at most
    /// [`HASH_QUEUE_WAIT`] for a free one (then `503 busy`).
    pub async fn hash<T: Send + 'static>(
        &self,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiErr> {
        self.hashing.run(hash).await
    }

    /// The most password hashes that ran at once since the start.
    pub fn peak_hashing(&self) -> usize {
        self.hashing.peak.load(Ordering::SeqCst)
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads that run password hashes. Not tokio's blocking
/// pool: there, each of up to 512 threads would hash in turn, and the
/// allocator keeps the 19 MiB each one used (one arena per thread), so
/// memory grew with the flood even with few hashes at once. Here the same
/// few threads reuse their memory.
#[derive(Debug)]
struct HashPool {
    jobs: std::sync::mpsc::Sender<Job>,
    slots: Arc<Semaphore>,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl HashPool {
    fn new(threads: usize) -> HashPool {
        let threads = threads.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("komek-hash-{i}"))
                .spawn(move || loop {
                    // Ends when the pool (the only sender) is dropped.
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                log::error!("cannot start a password hashing thread: {e}");
            }
        }
        HashPool {
            jobs,
            slots: Arc::new(Semaphore::new(threads)),
            running: Arc::new(AtomicUsize::new(0)),
            peak: Arc::new(AtomicUsize::new(0)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiErr> {
        let busy = || {
            ApiErr::new(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::BUSY,
                "too many logins at once: try again in a minute",
            )
        };
        let slot = tokio::time::timeout(HASH_QUEUE_WAIT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (running, peak) = (self.running.clone(), self.peak.clone());
        let job: Job = Box::new(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let out = f();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(slot);
            let _ = tx.send(out);
        });
        self.jobs.send(job).map_err(|_| ApiErr::internal())?;
        rx.await.map_err(|_| ApiErr::internal())
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
    let secs = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
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
