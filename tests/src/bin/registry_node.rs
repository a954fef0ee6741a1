//! A registry node as its own process, for the multi-node test
//! (`tests/tests/multi_node.rs`), which kills it with SIGKILL mid-push.
//!
//! `registry_node DATA_DIR DATABASE_URL LISTEN_ADDR`: serves until killed and
//! prints `listening on URL` when ready. The product's way to run a node is
//! `komek registry serve --data DIR --database URL` (or `komek-registry`);
//! this binary exists because a package's tests can only find the
//! binaries of their own package.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, database, listen] = args.as_slice() else {
        eprintln!("usage: registry_node DATA_DIR DATABASE_URL LISTEN_ADDR");
        return ExitCode::from(2);
    };
    let Ok(listen) = listen.parse() else {
        eprintln!("LISTEN_ADDR must be an address such as 127.0.0.1:0");
        return ExitCode::from(2);
    };
    let Ok(runtime) = tokio::runtime::Runtime::new() else {
        return ExitCode::FAILURE;
    };
    let options = komek_registry::ServeOptions {
        database: Some(database.clone()),
        ..komek_registry::ServeOptions::default()
    };
    runtime.block_on(async {
        match komek_registry::start_with(std::path::Path::new(data), listen, &options).await {
            Ok(running) => {
                println!("listening on {}", running.url());
                std::future::pending::<()>().await;
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot start: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
