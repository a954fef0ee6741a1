//! The registry's connection loop: HTTP/1.1 on hyper with a header-read
//! timeout (which also ends idle keep-alive connections), a minimum body
//! rate, and a limit on open connections.
//!
//! `axum::serve` sets none of these: a client that sent half its headers, or
//! a body at one byte per five seconds, held its connection for ever, and a
//! few hundred of them starved the service. The numbers and why they suit a
//! 2G device are in `docs/registry-server.md`. The same loop serves plain
//! HTTP and TLS (the listener hands it finished handshakes).

use crate::error::ApiErr;
use axum::body::Body;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::serve::Listener;
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use komek_core::sync::codes;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};

/// The server's timeouts and connection limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// A request's headers must arrive whole within this time, counted from
    /// the connection's start or the end of the previous answer: so it is
    /// also how long an idle keep-alive connection stays open.
    pub header_timeout: Duration,
    /// A body may take this long before its rate is counted...
    pub body_grace: Duration,
    /// ...after which it must have arrived at this many bytes per second on
    /// average since the headers (a slower one is answered 408 and closed).
    pub body_min_bytes_per_sec: u32,
    /// At most this many connections are served at once; more wait in the
    /// kernel's accept queue until one closes.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    /// The numbers of `docs/registry-server.md`.
    fn default() -> Self {
        ServerLimits {
            header_timeout: Duration::from_secs(30),
            body_grace: Duration::from_secs(30),
            body_min_bytes_per_sec: 500,
            max_connections: 512,
        }
    }
}

/// Serve `app` on `listener` until `shutdown` completes, then let open
/// requests finish. Dropping (aborting) the returned future drops every
/// connection at once.
pub async fn serve<L>(
    listener: L,
    app: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) where
    L: Listener<Addr = SocketAddr>,
{
    serve_counted(listener, app, limits, Arc::default(), shutdown).await;
}

/// [`serve`], keeping the number of open connections in `open` (for
/// `/metrics`).
pub async fn serve_counted<L>(
    mut listener: L,
    app: Router,
    limits: ServerLimits,
    open: Arc<std::sync::atomic::AtomicI64>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) where
    L: Listener<Addr = SocketAddr>,
{
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    // Owned here: dropping this future aborts every connection.
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let stop = stop_rx.clone();
        let open = open.clone();
        open.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        connections.spawn(async move {
            serve_connection(io, peer, app, limits, stop).await;
            open.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
}

async fn serve_connection<Io>(
    io: Io,
    peer: SocketAddr,
    app: Router,
    limits: ServerLimits,
    mut stop: watch::Receiver<bool>,
) where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = ConnectionService { app, peer, limits };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    let mut conn = std::pin::pin!(conn);
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    log::debug!("connection ended: {e}");
                }
                return;
            }
            changed = stop.changed() => {
                // Finish the request in flight, then close.
                conn.as_mut().graceful_shutdown();
                if changed.is_err() {
                    // The loop is gone; nothing will signal again.
                    let _ = conn.as_mut().await;
                    return;
                }
            }
        }
    }
}

/// One connection's requests into the router, with the client's address
/// and the body's minimum rate.
#[derive(Clone)]
struct ConnectionService {
    app: Router,
    peer: SocketAddr,
    limits: ServerLimits,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for ConnectionService {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, req: Request<Incoming>) -> Answer {
        let too_slow = Arc::new(AtomicBool::new(false));
        let mut req =
            req.map(|body| Body::new(MinRateBody::new(body, &self.limits, too_slow.clone())));
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let mut app = self.app.clone();
        Box::pin(async move {
            let answer = tower_service::Service::call(&mut app, req).await?;
            if too_slow.load(Ordering::SeqCst) {
                return Ok(body_too_slow());
            }
            Ok(answer)
        })
    }
}

fn body_too_slow() -> Response<Body> {
    let mut answer = ApiErr::new(
        StatusCode::REQUEST_TIMEOUT,
        codes::BAD_REQUEST,
        "the request body arrived too slowly",
    )
    .into_response();
    answer
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    answer
}

/// The body arrived slower than the minimum rate.
#[derive(Debug, thiserror::Error)]
#[error("request body too slow")]
pub struct BodyTooSlow;

/// A request body that fails once it falls behind `grace + received / rate`.
struct MinRateBody {
    inner: Incoming,
    start: Instant,
    received: u64,
    grace: Duration,
    bytes_per_sec: u64,
    deadline: Pin<Box<Sleep>>,
    too_slow: Arc<AtomicBool>,
}

impl MinRateBody {
    fn new(inner: Incoming, limits: &ServerLimits, too_slow: Arc<AtomicBool>) -> MinRateBody {
        let start = Instant::now();
        MinRateBody {
            inner,
            start,
            received: 0,
            grace: limits.body_grace,
            bytes_per_sec: u64::from(limits.body_min_bytes_per_sec.max(1)),
            deadline: Box::pin(tokio::time::sleep_until(start + limits.body_grace)),
            too_slow,
        }
    }

    fn deadline(&self) -> Instant {
        let earned = Duration::from_millis(self.received.saturating_mul(1000) / self.bytes_per_sec);
        self.start + self.grace.saturating_add(earned)
    }
}

impl http_body::Body for MinRateBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received = this.received.saturating_add(data.len() as u64);
                    let deadline = this.deadline();
                    this.deadline.as_mut().reset(deadline);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    this.too_slow.store(true, Ordering::SeqCst);
                    return Poll::Ready(Some(Err(BodyTooSlow.into())));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
