//! Komek's reference central registry.
//!
//! Field devices enrol here, push sealed forms (stored exactly once), and pull
//! supervisors' decisions, comments and new rule packs; supervisors review
//! cases. One command runs it on an embedded SQLite file ([`SqliteStorage`]);
//! the [`Storage`] trait is where PostgreSQL would plug in. The protocol is in
//! `docs/sync-protocol.md` and `docs/sync-openapi.yaml`.

pub mod api;
pub mod client;
pub mod error;
pub mod keys;
pub mod sqlite;
pub mod storage;

pub use keys::RegistryKeys;
pub use sqlite::SqliteStorage;
pub use storage::Storage;

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
}

/// The registry's state on disk: keys and database in `data_dir`.
pub fn open_state(data_dir: &Path) -> Result<Arc<AppState>, RegistryError> {
    std::fs::create_dir_all(data_dir)?;
    let keys = RegistryKeys::load_or_create(data_dir)?;
    let storage = SqliteStorage::open(&data_dir.join("registry.sqlite"))?;
    Ok(Arc::new(AppState {
        storage: Arc::new(storage),
        keys,
        tls_pins: Vec::new(),
    }))
}

/// Add (or reset the password of) a supervisor.
pub fn add_supervisor(state: &AppState, name: &str, password: &str) -> Result<(), RegistryError> {
    let hash = api::supervisor::hash_password(password).map_err(|_| RegistryError::Password)?;
    state.storage.add_supervisor(name, &hash, api::now())?;
    Ok(())
}

/// Every endpoint.
pub fn router(state: Arc<AppState>) -> Router {
    use api::{device, supervisor};
    Router::new()
        .route("/v1/info", get(device::info))
        .route("/v1/enrol", post(device::enrol))
        .route("/v1/push", post(device::push))
        .route("/v1/pull", get(device::pull))
        .route("/v1/rules/{version}", get(device::rule_pack))
        .route("/v1/supervisor/login", post(supervisor::login))
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
        .route("/v1/supervisor/audit", get(supervisor::audit))
        .route(
            "/v1/supervisor/bundles",
            post(api::bundle::import).layer(axum::extract::DefaultBodyLimit::max(
                komek_core::sync::bundle::MAX_BUNDLE_BYTES,
            )),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            komek_core::sync::wire::MAX_PUSH_BYTES,
        ))
        .with_state(state)
}

/// A registry serving on a background task (tests, the demo, the CLI).
pub struct RunningRegistry {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    pub data_dir: PathBuf,
    task: tokio::task::JoinHandle<()>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl RunningRegistry {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop at once, dropping open connections mid-request (as a crash would,
    /// short of the process dying: committed data is on disk either way).
    pub fn kill(mut self) {
        self.shutdown.take();
        self.task.abort();
    }

    /// Stop accepting and wait for open requests to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Serve the registry in `data_dir` on `listen` (port 0: any free port).
/// Must be called inside a tokio runtime.
pub async fn start(data_dir: &Path, listen: SocketAddr) -> Result<RunningRegistry, RegistryError> {
    let state = open_state(data_dir)?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            log::error!("registry stopped: {e}");
        }
    });
    Ok(RunningRegistry {
        addr,
        state,
        data_dir: data_dir.to_path_buf(),
        task,
        shutdown: Some(tx),
    })
}
