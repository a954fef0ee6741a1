//! Reading a password or passphrase without showing it.
//!
//! From an environment variable when set (scripts, tests), else one line of
//! stdin. On a terminal the line is read with echo turned off (`stty -echo`,
//! restored afterwards), so the password never appears on the screen.

use crate::error::CliError;
use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, Stdio};
use zeroize::Zeroizing;

fn stty(arg: &str) {
    // Best effort: without stty (not a Unix terminal) the prompt still works.
    let _ = Command::new("stty")
        .arg(arg)
        .stdin(Stdio::inherit())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The secret from `env` if set and not empty, else one line of stdin
/// (prompted with `prompt` on a terminal, echo off).
pub fn read(env: &str, prompt: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(value) = std::env::var(env) {
        if !value.is_empty() {
            return Ok(Zeroizing::new(value));
        }
    }
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    if terminal {
        eprint!("{prompt}: ");
        let _ = std::io::stderr().flush();
        stty("-echo");
    }
    let mut line = Zeroizing::new(String::new());
    let read = stdin.lock().read_line(&mut line);
    if terminal {
        stty("echo");
        eprintln!();
    }
    read.map_err(|e| CliError::read("<stdin>", e))?;
    let trimmed = line.trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        return Err(CliError::Usage(format!(
            "no {prompt}: set {env} or give it as one line on stdin"
        )));
    }
    Ok(Zeroizing::new(trimmed.to_string()))
}
