//! Reaching a running registry as a supervisor.
//!
//! `--registry URL` (or `KOMEK_REGISTRY`) says where; a session token from
//! `KOMEK_TOKEN` is used when set, else the supervisor logs in with `--as
//! NAME` (or `KOMEK_SUPERVISOR`) and the password from `KOMEK_PASSWORD` or
//! stdin. An https registry is reached only with its certificate pin
//! (`--pin` or `KOMEK_REGISTRY_PIN`), as devices reach it. The registry's
//! refusals keep their stable code in the message.

use super::secret;
use crate::error::CliError;
use clap::Args;
use komek_registry::client::{ClientError, SupervisorClient};

/// Where the registry is and who is asking.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// The registry's address.
    #[arg(
        long,
        env = "KOMEK_REGISTRY",
        default_value = "http://127.0.0.1:8750",
        value_name = "URL"
    )]
    pub registry: String,
    /// The supervisor's name (the password comes from KOMEK_PASSWORD or
    /// stdin; a session from KOMEK_TOKEN is used instead when set).
    #[arg(long = "as", env = "KOMEK_SUPERVISOR", value_name = "NAME")]
    pub supervisor: Option<String>,
    /// For an https registry: the SHA-256 pin of its certificate, as
    /// `komek registry serve` prints it (`sha256/…`, base64 or hex). Repeat
    /// it (or separate with commas) to accept the next certificate too.
    #[arg(
        long = "pin",
        env = "KOMEK_REGISTRY_PIN",
        value_name = "PIN",
        value_delimiter = ','
    )]
    pub pins: Vec<String>,
}

impl Connection {
    fn is_https(&self) -> bool {
        self.registry.starts_with("https://")
    }
}

/// A registry refusal or an unreachable registry, as the command line says it.
pub fn client_error(url: &str, e: ClientError) -> CliError {
    match e {
        ClientError::Refused { code, message, .. } => CliError::Refused(format!(
            "the registry refused ({}): {}",
            crate::text::esc(&code),
            crate::text::esc(&message)
        )),
        ClientError::Network(why) => {
            CliError::Other(format!("cannot reach the registry at {url}: {why}"))
        }
        ClientError::Protocol => CliError::Other(format!(
            "the registry at {url} answered something unexpected"
        )),
        ClientError::Tls(why) => CliError::Refused(format!(
            "no trusted connection to the registry at {url}: {why} (check --pin)"
        )),
    }
}

/// A tokio runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Other(format!("cannot start: {e}")))
}

/// Log in with name and password (never the token).
pub async fn login(c: &Connection) -> Result<SupervisorClient, CliError> {
    let name = c
        .supervisor
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            CliError::Usage("give the supervisor's name with --as NAME or KOMEK_SUPERVISOR".into())
        })?;
    let password = secret::read("KOMEK_PASSWORD", "password")?;
    let client = if c.is_https() {
        SupervisorClient::login_pinned(&c.registry, name, &password, &c.pins).await
    } else {
        SupervisorClient::login(&c.registry, name, &password).await
    };
    client.map_err(|e| client_error(&c.registry, e))
}

/// The session from KOMEK_TOKEN, or a fresh login.
pub async fn connect(c: &Connection) -> Result<SupervisorClient, CliError> {
    match std::env::var("KOMEK_TOKEN") {
        Ok(token) if !token.trim().is_empty() && c.is_https() => {
            SupervisorClient::with_token_pinned(&c.registry, token.trim(), &c.pins)
                .map_err(|e| client_error(&c.registry, e))
        }
        Ok(token) if !token.trim().is_empty() => {
            Ok(SupervisorClient::with_token(&c.registry, token.trim()))
        }
        _ => login(c).await,
    }
}
