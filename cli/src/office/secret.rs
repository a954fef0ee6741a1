//! Reading a password or passphrase without showing it.
//!
//! From an environment variable when set (scripts, tests), else one line of
//! stdin. On a terminal the line is read by `rpassword` with echo turned off
//! through the terminal's own API (termios on Unix, the console mode on
//! Windows), so the password never appears on the screen, whether or not an
//! `stty` program exists.

use crate::error::CliError;
use std::io::{BufRead, IsTerminal};
use zeroize::Zeroizing;

/// The secret from `env` if set and not empty, else one line of stdin
/// (prompted with `prompt` on a terminal, echo off).
pub fn read(env: &str, prompt: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(value) = std::env::var(env) {
        if !value.is_empty() {
            return Ok(Zeroizing::new(value));
        }
    }
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        Zeroizing::new(
            rpassword::prompt_password(format!("{prompt}: "))
                .map_err(|e| CliError::read("<terminal>", e))?,
        )
    } else {
        let mut line = Zeroizing::new(String::new());
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::read("<stdin>", e))?;
        line
    };
    let trimmed = line.trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        return Err(CliError::Usage(format!(
            "no {prompt}: set {env} or give it as one line on stdin"
        )));
    }
    Ok(Zeroizing::new(trimmed.to_string()))
}
