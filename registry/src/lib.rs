//! Komek's reference central registry.
//!
//! Field devices enrol here, push sealed forms (stored exactly once), and pull
//! supervisors' decisions, comments and new rule packs; supervisors review
//! cases. One command runs it on an embedded SQLite file ([`SqliteStorage`]);
//! with `--database postgres://…` several registry nodes share one
//! PostgreSQL database ([`PostgresStorage`]), behind the same [`Storage`]
//! trait (docs/deployment.md). Supervisors see and decide the cases of
//! their district or centre only ([`scope`]). Given a
//! certificate it serves HTTPS with rustls ([`tls`]) and hands devices its
//! pins at enrolment. The protocol is in `docs/sync-protocol.md` and
//! `docs/sync-openapi.yaml`.

pub mod api;
pub mod backup;
pub mod client;
pub mod error;
pub mod followup;
pub mod keys;
pub mod metrics;
pub mod password;
pub mod postgres;
pub mod scope;
pub mod secrets;
pub mod serve;
pub mod sqlite;
pub mod storage;
pub mod throttle;
pub mod tls;

pub use keys::RegistryKeys;
pub use postgres::PostgresStorage;
pub use serve::ServerLimits;
pub use sqlite::SqliteStorage;
pub use storage::Storage;
pub use tls::{TlsFiles, TlsIdentity};

use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Shared by every handler.
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub keys: RegistryKeys,
    /// SHA-256 pins of the TLS certificate handed to devices at enrolment.
    pub tls_pins: Vec<String>,
    /// Throttles and the password-hashing slots ([`api::guard`]).
    pub guards: api::guard::Guards,
    /// Request, connection and ingest counters ([`metrics`]).
    pub metrics: Arc<metrics::Metrics>,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("data directory: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    #[error("password hashing failed")]
    Password,
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsSetupError),
    #[error("--database takes a postgres:// or postgresql:// URL")]
    DatabaseUrl,
    #[error("the storage could not be opened")]
    Join,
    #[error("backup: {0}")]
    Backup(&'static str),
}

/// Open the storage: PostgreSQL at `database` (a `postgres://` URL) when
/// given, else the SQLite file in `data_dir`; the secrets it keeps are
/// wrapped under `keys.storage`. Blocking (PostgreSQL
/// connects): call it outside an async context.
pub fn open_storage(
    data_dir: &Path,
    database: Option<&str>,
    keys: &RegistryKeys,
) -> Result<Arc<dyn Storage>, RegistryError> {
    match database {
        None => Ok(Arc::new(SqliteStorage::open(
            &data_dir.join("registry.sqlite"),
            keys.storage.clone(),
        )?)),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Ok(
            Arc::new(PostgresStorage::connect(url, keys.storage.clone())?),
        ),
        Some(_) => Err(RegistryError::DatabaseUrl),
    }
}

/// The registry's state on disk: keys and database in `data_dir` (made 0700,
/// its files 0600: [`secrets`]).
pub fn open_state(data_dir: &Path) -> Result<Arc<AppState>, RegistryError> {
    open_state_on(data_dir, None, Vec::new())
}

/// [`open_state`], handing devices `tls_pins` at enrolment.
pub fn open_state_with_pins(
    data_dir: &Path,
    tls_pins: Vec<String>,
) -> Result<Arc<AppState>, RegistryError> {
    open_state_on(data_dir, None, tls_pins)
}

/// The registry's state: its keys in `data_dir` (always a directory, made
/// 0700, its files 0600: [`secrets`]; on several nodes, the same key file
/// on each), its data in `database` (PostgreSQL) or else in `data_dir`
/// (SQLite). The database is bound to the key file's registry id on first
/// start; a node with another key file is refused. Blocking: call it
/// outside an async context.
pub fn open_state_on(
    data_dir: &Path,
    database: Option<&str>,
    tls_pins: Vec<String>,
) -> Result<Arc<AppState>, RegistryError> {
    secrets::private_dir(data_dir)?;
    let keys = RegistryKeys::load_or_create(data_dir)?;
    let storage = open_storage(data_dir, database, &keys)?;
    storage.claim_registry(keys.registry_id)?;
    Ok(Arc::new(AppState {
        storage,
        keys,
        tls_pins,
        guards: api::guard::Guards::default(),
        metrics: Arc::default(),
    }))
}

/// Add (or reset the password of) a supervisor; a new one is national
/// ([`add_supervisor_in`] gives a scope).
pub fn add_supervisor(state: &AppState, name: &str, password: &str) -> Result<(), RegistryError> {
    add_supervisor_in(state, name, password, None)
}

/// Add a supervisor with `scope` (a district, a centre, or national), or
/// reset the password of one (and, when `scope` is given, its scope), in
/// one transaction. The district or centre must exist.
pub fn add_supervisor_in(
    state: &AppState,
    name: &str,
    password: &str,
    scope: Option<&scope::Scope>,
) -> Result<(), RegistryError> {
    let hash = api::supervisor::hash_password(password).map_err(|_| RegistryError::Password)?;
    state
        .storage
        .add_supervisor_in(name, &hash, scope, api::now())?;
    Ok(())
}

/// Every endpoint. Bodies are read by each handler's last extractor, with
/// that route's limit, after the caller is authenticated ([`api::body`]);
/// the default limit left for anything else is the small JSON one.
pub fn router(state: Arc<AppState>) -> Router {
    use api::{device, supervisor};
    Router::new()
        .route("/healthz", get(metrics::healthz))
        .route("/v1/info", get(device::info))
        .route("/v1/enrol", post(device::enrol))
        .route("/v1/push", post(device::push))
        .route("/v1/pull", get(device::pull))
        .route("/v1/rules/{version}", get(device::rule_pack))
        .route("/v1/supervisor/login", post(supervisor::login))
        .route("/v1/supervisor/logout", post(supervisor::logout))
        .route(
            "/v1/supervisor/enrolment-codes",
            post(supervisor::enrolment_code),
        )
        .route("/v1/supervisor/cases", get(supervisor::cases))
        .route("/v1/supervisor/cases/{id}", get(supervisor::case))
        .route(
            "/v1/supervisor/cases/{id}/{action}",
            post(supervisor::decide),
        )
        .route("/v1/supervisor/devices", get(supervisor::devices))
        .route(
            "/v1/supervisor/devices/{id}/revoke",
            post(supervisor::revoke),
        )
        .route("/v1/supervisor/rules", post(supervisor::publish_rules))
        .route(
            "/v1/supervisor/rules/{version}/withdraw",
            post(supervisor::withdraw_rules),
        )
        .route("/v1/supervisor/audit", get(supervisor::audit))
        .route("/v1/supervisor/records", get(api::records::records))
        .route(
            "/v1/supervisor/records/overview",
            get(api::records::overview),
        )
        .route("/v1/supervisor/records/{id}", get(api::records::record))
        .route(
            "/v1/supervisor/records/{id}/approve",
            post(api::records::approve_plan),
        )
        .route(
            "/v1/supervisor/districts",
            get(api::districts::list).post(api::districts::add),
        )
        .route("/v1/supervisor/centres", post(api::districts::place_centre))
        .route("/v1/supervisor/bundles", post(api::bundle::import))
        .fallback(|| async {
            error::ApiErr::new(
                axum::http::StatusCode::NOT_FOUND,
                komek_core::sync::codes::NOT_FOUND,
                "no such endpoint",
            )
        })
        .layer(axum::middleware::map_response(api::json_refusals))
        .layer(axum::extract::DefaultBodyLimit::max(
            api::body::SMALL_JSON_BYTES,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// A registry serving on a background task (tests, the demo, the CLI).
pub struct RunningRegistry {
    pub addr: SocketAddr,
    /// Where `/metrics` is served, when asked ([`start_serving`]).
    pub metrics_addr: Option<SocketAddr>,
    pub state: Arc<AppState>,
    pub data_dir: PathBuf,
    https: bool,
    task: tokio::task::JoinHandle<()>,
    metrics_task: Option<tokio::task::JoinHandle<()>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl RunningRegistry {
    /// `https://ADDR` when serving TLS, `http://ADDR` otherwise.
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The pins devices receive at enrolment (empty on plain HTTP).
    pub fn tls_pins(&self) -> &[String] {
        &self.state.tls_pins
    }

    /// Stop at once, dropping open connections mid-request (as a crash would,
    /// short of the process dying: committed data is on disk either way).
    pub fn kill(mut self) {
        self.shutdown.take();
        self.task.abort();
        if let Some(t) = self.metrics_task.take() {
            t.abort();
        }
    }

    /// Stop accepting and wait for open requests to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        if let Some(t) = self.metrics_task.take() {
            t.abort();
        }
    }
}

/// How to serve, beyond the data directory and the address.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Serve HTTPS with this certificate (None: plain HTTP, for loopback
    /// or behind a TLS-terminating proxy).
    pub tls: Option<TlsFiles>,
    /// A `postgres://` URL: keep the data there instead of the SQLite file
    /// in the data directory (the keys stay in the data directory).
    pub database: Option<String>,
}

/// Serve the registry in `data_dir` on `listen` (port 0: any free port), in
/// plain HTTP. Must be called inside a tokio runtime.
pub async fn start(data_dir: &Path, listen: SocketAddr) -> Result<RunningRegistry, RegistryError> {
    start_with(data_dir, listen, &ServeOptions::default()).await
}

/// [`start`] with options: HTTPS when `options.tls` names a certificate.
pub async fn start_with(
    data_dir: &Path,
    listen: SocketAddr,
    options: &ServeOptions,
) -> Result<RunningRegistry, RegistryError> {
    start_with_limits(data_dir, listen, options, ServerLimits::default()).await
}

/// [`start_with`] and the server's timeouts and connection limit.
pub async fn start_with_limits(
    data_dir: &Path,
    listen: SocketAddr,
    options: &ServeOptions,
    limits: ServerLimits,
) -> Result<RunningRegistry, RegistryError> {
    start_serving(data_dir, listen, options, limits, None).await
}

/// [`start_with_limits`], and `/metrics` (with `/healthz`) served on
/// `metrics_listen` in plain HTTP when given: keep that address on a
/// private network ([`metrics`]).
pub async fn start_serving(
    data_dir: &Path,
    listen: SocketAddr,
    options: &ServeOptions,
    limits: ServerLimits,
    metrics_listen: Option<SocketAddr>,
) -> Result<RunningRegistry, RegistryError> {
    let identity = options.tls.as_ref().map(TlsIdentity::load).transpose()?;
    let pins = identity
        .as_ref()
        .map(|i| i.pins.clone())
        .unwrap_or_default();
    let state = {
        let (dir, database) = (data_dir.to_path_buf(), options.database.clone());
        tokio::task::spawn_blocking(move || open_state_on(&dir, database.as_deref(), pins))
            .await
            .map_err(|_| RegistryError::Join)??
    };
    let tcp = tokio::net::TcpListener::bind(listen).await?;
    let addr = tcp.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = router(state.clone());
    let shutdown = async {
        let _ = rx.await;
    };
    let (metrics_addr, metrics_task) = match metrics_listen {
        Some(listen) => {
            let tcp = tokio::net::TcpListener::bind(listen).await?;
            let addr = tcp.local_addr()?;
            let app = metrics::router(state.clone());
            let task = tokio::spawn(async move {
                if let Err(e) = axum::serve(tcp, app).await {
                    log::error!("the metrics listener stopped: {e}");
                }
            });
            (Some(addr), Some(task))
        }
        None => (None, None),
    };
    let open = state.metrics.open_connections.clone();
    let task = match &identity {
        Some(identity) => {
            let listener = tls::TlsListener::new(tcp, identity.config.clone())?;
            tokio::spawn(serve::serve_counted(listener, app, limits, open, shutdown))
        }
        None => tokio::spawn(serve::serve_counted(tcp, app, limits, open, shutdown)),
    };
    Ok(RunningRegistry {
        addr,
        metrics_addr,
        metrics_task,
        state,
        data_dir: data_dir.to_path_buf(),
        https: identity.is_some(),
        task,
        shutdown: Some(tx),
    })
}
