//! `komek registry`: run the district office's registry and set it up.
//!
//! `serve` and `add-supervisor` work on the registry's data directory (the
//! machine it runs on: keys, database); `enrol-code`, `devices` and
//! `revoke` go through the running registry's supervisor API, because a
//! device enrols over HTTP anyway and the registry then names the
//! supervisor who issued the code or revoked the device in its audit log.

use super::connect::{client_error, connect, runtime, Connection};
use super::secret;
use crate::error::CliError;
use crate::out;
use crate::text::esc;
use clap::{Args, Subcommand};
use komek_registry::scope::Scope;
use std::net::SocketAddr;
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Serve the registry from a data directory until Ctrl-C or SIGTERM.
    ///
    /// The directory is made on first start (keys and database). Prints
    /// `listening on URL` when ready, and with TLS one `tls pin sha256/…`
    /// line per pin (give the pin to field staff with the enrolment code).
    /// Without --tls-cert it serves plain HTTP: keep it on loopback, or
    /// behind a TLS-terminating proxy.
    Serve(ServeArgs),
    /// Add a supervisor, or set a new password for one.
    ///
    /// Works on the data directory (the server may be running). The
    /// password (at least 8 characters) comes from KOMEK_PASSWORD or one
    /// line on stdin, never echoed.
    AddSupervisor(AddSupervisorArgs),
    /// Copy a SQLite registry while it serves, into a new directory.
    ///
    /// The copy is itself a data directory (the key file and an online
    /// copy of the database, made with SQLite's backup API): to restore,
    /// stop the registry and serve from the copy (or copy it into place).
    /// Devices then continue exactly once. Keep the copy as secret as the
    /// data directory: it holds the registry's keys. PostgreSQL: pg_dump
    /// and the key file (docs/deployment.md).
    Backup(BackupArgs),
    /// Issue a one-time enrolment code for a field device.
    ///
    /// As a supervisor of the running registry; the code is valid 7 days and
    /// printed alone on stdout. With --centre the device joins that centre
    /// (team) and pulls the decisions on its centre's cases only.
    EnrolCode(EnrolCodeArgs),
    /// List the enrolled devices of your scope: id, state, label, centre,
    /// district.
    ///
    /// All of them, page by page; with --limit one page (--offset to go on).
    Devices(DevicesArgs),
    /// List the districts you see and their centres.
    Districts(Connection),
    /// Add a district (national supervisors).
    AddDistrict(AddDistrictArgs),
    /// Put a centre in a district, its cases with it (national supervisors).
    ///
    /// A centre not known yet is created. Its devices' cases, past and
    /// future, belong to that district: its supervisors see and decide them.
    PlaceCentre(PlaceCentreArgs),
    /// Revoke a device.
    ///
    /// The registry refuses its requests and bundles from now on; what it
    /// already stored stays.
    Revoke(RevokeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The registry's data directory: its key file, and its SQLite
    /// database unless --database names another.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Keep the data in PostgreSQL (postgres://user@host:port/db) instead
    /// of the SQLite file in --data; several registry nodes, each with a
    /// copy of the key file, may serve the same database.
    #[arg(long, value_name = "URL", env = "KOMEK_DATABASE")]
    pub database: Option<String>,
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8750", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Serve HTTPS with this certificate chain (PEM, end-entity first).
    #[arg(long, value_name = "CHAIN.pem", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "KEY.pem", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// The pin of the certificate that will replace this one: handed to
    /// devices now, so they accept the new certificate when it is served.
    #[arg(long, value_name = "PIN", requires = "tls_cert")]
    pub tls_next_pin: Option<String>,
    /// Serve Prometheus metrics at /metrics (and /healthz) on this address,
    /// plain HTTP and without authentication: keep it on loopback or a
    /// private network. Without it there is no metrics listener.
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
}

#[derive(Debug, Args)]
pub struct AddSupervisorArgs {
    /// The registry's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The registry's PostgreSQL database, if it has one (as for `serve`).
    #[arg(long, value_name = "URL", env = "KOMEK_DATABASE")]
    pub database: Option<String>,
    /// The supervisor's login name.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The supervisor sees and decides the cases of this district only
    /// (it must exist: `komek registry add-district`).
    #[arg(long, value_name = "DISTRICT", group = "scope")]
    pub district: Option<String>,
    /// The supervisor sees and decides the cases of this centre only.
    #[arg(long, value_name = "CENTRE", group = "scope")]
    pub centre: Option<String>,
    /// The supervisor sees every district. Without --district, --centre or
    /// --national a new supervisor is national and an existing one keeps
    /// their scope.
    #[arg(long, group = "scope")]
    pub national: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The registry's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Where to put the copy: a new (or empty) directory.
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
    /// A PostgreSQL registry is refused here: use pg_dump.
    #[arg(long, value_name = "URL", env = "KOMEK_DATABASE", hide = true)]
    pub database: Option<String>,
}

#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// One page of at most this many devices (1 to 500).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: Option<u32>,
    /// Skip this many devices (with --limit).
    #[arg(long, value_name = "N", requires = "limit")]
    pub offset: Option<u64>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct AddDistrictArgs {
    /// The district's name, e.g. "Abai district": letters, digits, single
    /// spaces, - _ . (at most 64 bytes).
    #[arg(value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct PlaceCentreArgs {
    /// The centre's name (as enrolment codes name it).
    #[arg(value_name = "CENTRE")]
    pub centre: String,
    /// The district it belongs to (`""`: the default district).
    #[arg(long, value_name = "DISTRICT")]
    pub district: String,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct EnrolCodeArgs {
    /// The centre (team) the device joins, e.g. "Mobile centre 2": letters,
    /// digits, single spaces, - _ . (at most 64 bytes; no personal data).
    /// Without it: the default centre.
    #[arg(long, value_name = "NAME")]
    pub centre: Option<String>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The device's id (from `komek registry devices`).
    #[arg(value_name = "DEVICE")]
    pub device: Uuid,
    #[command(flatten)]
    pub connection: Connection,
}

pub fn run(command: RegistryCommand) -> Result<(), CliError> {
    match command {
        RegistryCommand::Serve(args) => serve(args),
        RegistryCommand::AddSupervisor(args) => add_supervisor(args),
        RegistryCommand::Backup(args) => {
            if args.database.is_some() {
                return Err(CliError::Usage(
                    "a PostgreSQL registry is backed up with pg_dump and a copy of the key file (docs/deployment.md)".into(),
                ));
            }
            komek_registry::backup::backup(&args.data, &args.to)
                .map_err(|e| CliError::Other(format!("cannot back up the registry: {e}")))?;
            out::stdout(&format!(
                "registry copied to {}; serve from it to restore\n",
                args.to.display()
            ))
        }
        RegistryCommand::EnrolCode(args) => {
            let centre = args.centre.as_deref().unwrap_or("");
            komek_registry::api::supervisor::check_centre(centre)
                .map_err(|e| CliError::Usage(format!("--centre: {e}")))?;
            runtime()?.block_on(async {
                let c = &args.connection;
                let sup = connect(c).await?;
                let code = sup
                    .enrolment_code_for_centre(centre)
                    .await
                    .map_err(|e| client_error(&c.registry, e))?;
                if centre.is_empty() {
                    eprintln!("one-time enrolment code, valid 7 days:");
                } else {
                    eprintln!("one-time enrolment code for centre {centre}, valid 7 days:");
                }
                out::stdout(&format!("{code}\n"))
            })
        }
        RegistryCommand::Devices(args) => runtime()?.block_on(async {
            let c = &args.connection;
            let sup = connect(c).await?;
            let devices = match args.limit {
                None => sup.devices().await,
                Some(limit) => {
                    sup.devices_page(limit, args.offset.unwrap_or(0))
                        .await
                        .map(|page| {
                            match page.next_offset {
                                Some(next) => eprintln!(
                                    "{} devices in all; next page: --offset {next}",
                                    page.total
                                ),
                                None => eprintln!("{} devices in all; last page", page.total),
                            }
                            page.devices
                        })
                }
            }
            .map_err(|e| client_error(&c.registry, e))?;
            let mut text = String::new();
            for d in devices {
                let state = if d.revoked { "revoked" } else { "active" };
                // Labels, centres and districts come from the registry:
                // never printed raw.
                text.push_str(&format!(
                    "{}  {state:<7}  {}  centre: {}  district: {}\n",
                    d.id,
                    esc(&d.label),
                    shown(&d.centre),
                    shown(&d.district)
                ));
            }
            out::stdout(&text)
        }),
        RegistryCommand::Districts(c) => runtime()?.block_on(async {
            let sup = connect(&c).await?;
            let districts = sup
                .districts()
                .await
                .map_err(|e| client_error(&c.registry, e))?;
            let mut text = String::new();
            for d in districts {
                let centres: Vec<String> = d.centres.iter().map(|c| shown(c)).collect();
                text.push_str(&format!(
                    "{}: {}\n",
                    shown(&d.name),
                    if centres.is_empty() {
                        "no centres".to_string()
                    } else {
                        centres.join(", ")
                    }
                ));
            }
            out::stdout(&text)
        }),
        RegistryCommand::AddDistrict(args) => runtime()?.block_on(async {
            let c = &args.connection;
            let sup = connect(c).await?;
            sup.add_district(&args.name)
                .await
                .map_err(|e| client_error(&c.registry, e))?;
            out::stdout(&format!("district {} added\n", esc(&args.name)))
        }),
        RegistryCommand::PlaceCentre(args) => {
            komek_registry::api::supervisor::check_centre(&args.centre)
                .map_err(|e| CliError::Usage(format!("CENTRE: {e}")))?;
            runtime()?.block_on(async {
                let c = &args.connection;
                let sup = connect(c).await?;
                sup.place_centre(&args.centre, &args.district)
                    .await
                    .map_err(|e| client_error(&c.registry, e))?;
                out::stdout(&format!(
                    "centre {} is in district {}\n",
                    shown(&args.centre),
                    shown(&args.district)
                ))
            })
        }
        RegistryCommand::Revoke(args) => runtime()?.block_on(async {
            let c = &args.connection;
            let sup = connect(c).await?;
            sup.revoke(args.device)
                .await
                .map_err(|e| client_error(&c.registry, e))?;
            out::stdout(&format!("revoked device {}\n", args.device))
        }),
    }
}

/// A centre or district name for a terminal: escaped; `""` is the default.
fn shown(name: &str) -> String {
    if name.is_empty() {
        "(default)".to_string()
    } else {
        esc(name)
    }
}

fn serve(args: ServeArgs) -> Result<(), CliError> {
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert_chain), Some(key)) => Some(komek_registry::TlsFiles {
            cert_chain,
            key,
            next_pin: args.tls_next_pin,
        }),
        _ => None,
    };
    if tls.is_none() && !args.listen.ip().is_loopback() {
        eprintln!(
            "komek: serving plain HTTP on {}: give --tls-cert and --tls-key, or put a TLS-terminating proxy in front of it",
            args.listen
        );
    }
    let options = komek_registry::ServeOptions {
        tls,
        database: args.database,
    };
    runtime()?.block_on(async {
        let running = komek_registry::start_serving(
            &args.data,
            args.listen,
            &options,
            komek_registry::ServerLimits::default(),
            args.metrics_listen,
        )
        .await
        .map_err(|e| CliError::Other(format!("cannot start the registry: {e}")))?;
        // Tests and scripts read these lines to find the port and the pins.
        let mut text = format!("listening on {}\n", running.url());
        if let Some(addr) = running.metrics_addr {
            text.push_str(&format!("metrics on http://{addr}/metrics\n"));
        }
        for pin in running.tls_pins() {
            text.push_str(&format!("tls pin sha256/{pin}\n"));
        }
        out::stdout(&text)?;
        shutdown_signal().await;
        running.stop().await;
        Ok(())
    })
}

/// Ctrl-C, or SIGTERM (a service manager stopping it) on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn add_supervisor(args: AddSupervisorArgs) -> Result<(), CliError> {
    let name = args.name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(CliError::Usage(
            "--name must be 1 to 100 characters without control characters".into(),
        ));
    }
    let password = secret::read("KOMEK_PASSWORD", "new password")?;
    if password.chars().count() < 8 {
        return Err(CliError::Usage(
            "the password must have at least 8 characters".into(),
        ));
    }
    let state = komek_registry::open_state_on(&args.data, args.database.as_deref(), Vec::new())
        .map_err(|e| CliError::Other(format!("cannot open the registry data: {e}")))?;
    let scope = match (args.district, args.centre, args.national) {
        (Some(d), _, _) => Some(Scope::District(d)),
        (_, Some(c), _) => Some(Scope::Centre(c)),
        (_, _, true) => Some(Scope::National),
        _ => None,
    };
    komek_registry::add_supervisor_in(&state, name, &password, scope.as_ref())
        .map_err(|e| CliError::Other(format!("cannot add the supervisor: {e}")))?;
    let scope = state
        .storage
        .supervisor_scope(name)
        .map_err(|e| CliError::Other(format!("cannot read the supervisor back: {e}")))?
        .map_or_else(String::new, |s| format!(": {}", esc(&s.to_string())));
    out::stdout(&format!("supervisor {name} can log in{scope}\n"))
}
