//! The command line's one error type, and the one place exit codes are decided.
//!
//! Scripts (and the tests) tell failures apart by exit code, people by the
//! message. Messages name files, field paths (`members[1].age`) and reasons,
//! never a value from a household file: ages, amounts and IINs are personal
//! data and stay out of terminals that others may read and logs that are kept.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | could not read or write a file, or another failure |
//! | 2 | wrong command line (clap's own code too) |
//! | 3 | the input is invalid: a household file, answers, a pack or a key |
//! | 4 | a rule pack was refused: unsigned, tampered, untrusted key, expired |
//! | 5 | refused: by the registry (wrong name or password, not allowed, no such case, a bundle refused) or by the device store (wrong passphrase, a receipt refused) |

use komek_core::rules::overlay::OverlayError;
use komek_core::rules::PackError;
use std::fmt;
use std::path::PathBuf;

/// One problem of an input, at a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// JSON path of the field (`members[1].age`), or `(file)` for the whole.
    pub path: String,
    /// Why, in the user's language where the core has the words.
    pub message: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file or answers that cannot be used, with every problem found.
    #[error("{heading}\n{}", list(problems))]
    InvalidInput {
        heading: String,
        problems: Vec<FieldProblem>,
    },
    /// Something on the command line that clap could not check itself.
    #[error("{0}")]
    Usage(String),
    /// A rule pack, key or signature file that cannot be read as one.
    #[error("{0}")]
    BadFile(String),
    #[error("rule pack refused: {0}")]
    PackRefused(#[from] PackError),
    #[error("regional overlay refused: {0}")]
    OverlayRefused(#[from] OverlayError),
    /// The registry, or a device store, said no; the message says why (a
    /// stable code from the registry is part of it).
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Other(String),
}

fn list(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl CliError {
    /// The process exit code for this error (table in the module doc).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Read { .. } | CliError::Write { .. } | CliError::Other(_) => 1,
            CliError::Usage(_) => 2,
            CliError::InvalidInput { .. } | CliError::BadFile(_) => 3,
            CliError::PackRefused(PackError::Format(_)) => 3,
            CliError::PackRefused(_) => 4,
            CliError::OverlayRefused(OverlayError::Format(_))
            | CliError::OverlayRefused(OverlayError::UnsupportedFormat { .. }) => 3,
            CliError::OverlayRefused(_) => 4,
            CliError::Refused(_) => 5,
        }
    }

    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Read {
            path: path.into(),
            source,
        }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Write {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_failure_has_its_own_exit_code() {
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        assert_eq!(CliError::read("a", io()).exit_code(), 1);
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
        let invalid = CliError::InvalidInput {
            heading: "bad".into(),
            problems: vec![FieldProblem {
                path: "members[0].age".into(),
                message: "why".into(),
            }],
        };
        assert_eq!(invalid.exit_code(), 3);
        assert_eq!(invalid.to_string(), "bad\n  - members[0].age: why");
        assert_eq!(CliError::from(PackError::BadSignature).exit_code(), 4);
        assert_eq!(CliError::from(PackError::UntrustedKey).exit_code(), 4);
        assert_eq!(CliError::Refused("no".into()).exit_code(), 5);
    }
}
