//! Writing results to stdout without panicking.
//!
//! `print!` panics when stdout is closed (`komek check f.json | head`), and a
//! panic is no way to end a program that may have a household's report in
//! hand. Results go through [`stdout`]: a closed pipe ends the output quietly
//! (the reader wanted no more), any other failure is an error with its code.

use crate::error::CliError;
use std::io::Write;

/// Writes `text` to stdout and flushes it.
pub fn stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::write("<stdout>", e)),
        _ => Ok(()),
    }
}

/// Writes raw bytes (a pack's TOML) to stdout.
pub fn stdout_bytes(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::write("<stdout>", e)),
        _ => Ok(()),
    }
}
