//! Helpers shared by the command-line tests: the binary, the example and
//! fixture files, and the date every expected number was computed for.
#![allow(dead_code)]

use komek_core::rules::Report;
use std::path::PathBuf;

/// The date of every hand computation: an application in 2026-Q1, so the
/// incomes of 2025-Q4 count, MRP 4,325 and Aktobe's published line 37,060.
pub const DATE: &str = "2026-02-10";

/// `komek`, with a clean language environment.
pub fn komek() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("komek"));
    cmd.env_remove("KOMEK_LANG");
    cmd
}

pub fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The built-in pack's TOML, from the core's source tree.
pub fn default_pack_toml() -> String {
    komek_core::rules::pack::DEFAULT_PACK_TOML.to_string()
}

/// `komek check FILE --date DATE --json` → the typed report.
pub fn check_json(file: &std::path::Path, extra: &[&str]) -> Report {
    let out = komek()
        .arg("check")
        .arg(file)
        .args(["--date", DATE, "--json"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("the report is JSON")
}

pub fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}
