//! `komek-registry`: run the reference registry from a data directory.
//!
//! ```text
//! komek-registry serve --data DIR [--database postgres://…] [--listen 127.0.0.1:8750]
//!                      [--tls-cert CHAIN.pem --tls-key KEY.pem [--tls-next-pin PIN]]
//! komek-registry add-supervisor --data DIR [--database postgres://…] --name NAME
//!                                                        (password on stdin)
//! ```
//!
//! `--data` holds the registry's key file (and, without `--database`, its
//! SQLite database); with `--database` the data is in PostgreSQL and
//! several nodes, each with a copy of the key file, may serve it.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage:\n  komek-registry serve --data DIR [--database postgres://…] [--listen ADDR] [--tls-cert CHAIN.pem --tls-key KEY.pem [--tls-next-pin PIN]]\n  komek-registry add-supervisor --data DIR [--database postgres://…] --name NAME  (reads the password from stdin)"
    );
    ExitCode::from(2)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
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
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("cannot start: {e}");
                    return ExitCode::FAILURE;
                }
            };
            runtime.block_on(async {
                match komek_registry::start_with(&data, listen, &options).await {
                    Ok(running) => {
                        // Tests and scripts read this line to find the port.
                        println!("listening on {}", running.url());
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
        "add-supervisor" => {
            let Some(name) = arg(&args, "--name") else {
                return usage();
            };
            let mut password = String::new();
            if std::io::stdin().lock().read_line(&mut password).is_err()
                || password.trim().len() < 8
            {
                eprintln!("give a password of at least 8 characters on stdin");
                return ExitCode::from(2);
            }
            let database = arg(&args, "--database");
            let state = match komek_registry::open_state_on(&data, database.as_deref(), Vec::new())
            {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            match komek_registry::add_supervisor(&state, &name, password.trim()) {
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
