//! `komek-registry`: run the reference registry from a data directory.
//!
//! ```text
//! komek-registry serve --data DIR [--database postgres://…] [--listen 127.0.0.1:8750]
//!                      [--tls-cert CHAIN.pem --tls-key KEY.pem [--tls-next-pin PIN]]
//!                      [--metrics-listen 127.0.0.1:9750]
//! komek-registry add-supervisor --data DIR [--database postgres://…] --name NAME
//!                [--district DISTRICT | --centre CENTRE | --national]  (password on stdin)
//! komek-registry backup --data DIR --to NEW_DIR     (SQLite; PostgreSQL: pg_dump)
//! komek-registry add-district --data DIR [--database postgres://…] --name DISTRICT
//! komek-registry place-centre --data DIR [--database postgres://…] --centre CENTRE --district DISTRICT
//! ```
//!
//! A new supervisor without a scope is national; giving one to an existing
//! supervisor (with a new password) changes it.
//!
//! `--data` holds the registry's key file (and, without `--database`, its
//! SQLite database); with `--database` the data is in PostgreSQL and
//! several nodes, each with a copy of the key file, may serve it.

use komek_registry::scope::Scope;
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage:\n  komek-registry serve --data DIR [--database postgres://…] [--listen ADDR] [--tls-cert CHAIN.pem --tls-key KEY.pem [--tls-next-pin PIN]] [--metrics-listen ADDR]\n  komek-registry add-supervisor --data DIR [--database postgres://…] --name NAME [--district D | --centre C | --national]  (reads the password from stdin)\n  komek-registry backup --data DIR --to NEW_DIR\n  komek-registry add-district --data DIR [--database postgres://…] --name DISTRICT\n  komek-registry place-centre --data DIR [--database postgres://…] --centre CENTRE --district DISTRICT"
    );
    ExitCode::from(2)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The registry's state in `data` (and `--database`, if given).
fn open(
    args: &[String],
    data: &std::path::Path,
) -> Result<std::sync::Arc<komek_registry::AppState>, ExitCode> {
    let database = arg(args, "--database");
    komek_registry::open_state_on(data, database.as_deref(), Vec::new()).map_err(|e| {
        eprintln!("{e}");
        ExitCode::FAILURE
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        return usage();
    };
    let Some(data) = arg(&args, "--data").map(PathBuf::from) else {
        return usage();
    };
    match command.as_str() {
        "serve" => {
            let listen: SocketAddr = match arg(&args, "--listen")
                .unwrap_or_else(|| "127.0.0.1:8750".into())
                .parse()
            {
                Ok(a) => a,
                Err(_) => {
                    eprintln!("--listen must be an address such as 127.0.0.1:8750");
                    return ExitCode::from(2);
                }
            };
            let tls = match (arg(&args, "--tls-cert"), arg(&args, "--tls-key")) {
                (Some(cert), Some(key)) => Some(komek_registry::TlsFiles {
                    cert_chain: cert.into(),
                    key: key.into(),
                    next_pin: arg(&args, "--tls-next-pin"),
                }),
                (None, None) if arg(&args, "--tls-next-pin").is_none() => None,
                _ => {
                    eprintln!(
                        "--tls-cert and --tls-key go together (and --tls-next-pin needs them)"
                    );
                    return ExitCode::from(2);
                }
            };
            let options = komek_registry::ServeOptions {
                tls,
                database: arg(&args, "--database"),
            };
            let metrics_listen = match arg(&args, "--metrics-listen").map(|a| a.parse()) {
                None => None,
                Some(Ok(a)) => Some(a),
                Some(Err(_)) => {
                    eprintln!("--metrics-listen must be an address such as 127.0.0.1:9750");
                    return ExitCode::from(2);
                }
            };
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("cannot start: {e}");
                    return ExitCode::FAILURE;
                }
            };
            runtime.block_on(async {
                let limits = komek_registry::ServerLimits::default();
                match komek_registry::start_serving(&data, listen, &options, limits, metrics_listen)
                    .await
                {
                    Ok(running) => {
                        // Tests and scripts read this line to find the port.
                        println!("listening on {}", running.url());
                        if let Some(addr) = running.metrics_addr {
                            println!("metrics on http://{addr}/metrics");
                        }
                        // The office gives the first pin to devices with their
                        // enrolment codes (`enrol_with_pin`).
                        for pin in running.tls_pins() {
                            println!("tls pin sha256/{pin}");
                        }
                        let _ = tokio::signal::ctrl_c().await;
                        running.stop().await;
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("cannot start the registry: {e}");
                        ExitCode::FAILURE
                    }
                }
            })
        }
        "backup" => {
            let Some(to) = arg(&args, "--to") else {
                return usage();
            };
            if arg(&args, "--database").is_some() {
                eprintln!("a PostgreSQL registry is backed up with pg_dump and a copy of the key file (docs/deployment.md)");
                return ExitCode::from(2);
            }
            match komek_registry::backup::backup(&data, std::path::Path::new(&to)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        "add-district" | "place-centre" => {
            let state = match open(&args, &data) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let now = chrono::Utc::now().timestamp();
            let done = if command == "add-district" {
                let Some(name) = arg(&args, "--name") else {
                    return usage();
                };
                if let Err(e) = komek_registry::api::districts::check_district(&name) {
                    eprintln!("--name: {}", e.message);
                    return ExitCode::from(2);
                }
                state.storage.add_district(&name, "registry", now)
            } else {
                let (Some(centre), Some(district)) =
                    (arg(&args, "--centre"), arg(&args, "--district"))
                else {
                    return usage();
                };
                if let Err(e) = komek_registry::api::supervisor::check_centre(&centre) {
                    eprintln!("--centre: {e}");
                    return ExitCode::from(2);
                }
                state
                    .storage
                    .put_centre(&centre, &district, "registry", now)
            };
            match done {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        "add-supervisor" => {
            let Some(name) = arg(&args, "--name") else {
                return usage();
            };
            let scope = match (
                arg(&args, "--district"),
                arg(&args, "--centre"),
                args.iter().any(|a| a == "--national"),
            ) {
                (None, None, false) => None,
                (Some(d), None, false) => Some(Scope::District(d)),
                (None, Some(c), false) => Some(Scope::Centre(c)),
                (None, None, true) => Some(Scope::National),
                _ => {
                    eprintln!("give at most one of --district, --centre and --national");
                    return ExitCode::from(2);
                }
            };
            let mut password = String::new();
            if std::io::stdin().lock().read_line(&mut password).is_err()
                || password.trim().len() < 8
            {
                eprintln!("give a password of at least 8 characters on stdin");
                return ExitCode::from(2);
            }
            let state = match open(&args, &data) {
                Ok(s) => s,
                Err(code) => return code,
            };
            match komek_registry::add_supervisor_in(&state, &name, password.trim(), scope.as_ref())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => usage(),
    }
}
