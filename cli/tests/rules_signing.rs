//! `komek rules keygen / sign / verify`, and `check --pack`: a pack signed
//! with a key is accepted by that key, refused when one byte changed or when
//! the key is not trusted, and a refused pack is never used for a report.

mod common;

use common::{default_pack_toml, example, komek, stderr_of, stdout_of, DATE};
use komek_core::model::Tiyn;
use komek_core::rules::{ProgrammeId, Report};
use std::path::{Path, PathBuf};

struct Setup {
    _dir: tempfile::TempDir,
    key: PathBuf,
    public: PathBuf,
    pack: PathBuf,
}

/// A key, and the built-in pack re-issued as kz-2026.2 with Aktobe's line
/// raised to 40,000, signed with it.
fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = dir.path().join("rules.key");
    komek()
        .args(["rules", "keygen", "--out"])
        .arg(&key)
        .assert()
        .success();
    let pack = dir.path().join("kz-2026.2.toml");
    let text = default_pack_toml()
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
        .replace("issued = 2026-01-01", "issued = 2026-02-01")
        .replacen("amount = 37060", "amount = 40000", 1);
    std::fs::write(&pack, text).expect("write pack");
    komek()
        .args(["rules", "sign"])
        .arg(&pack)
        .arg("--key")
        .arg(&key)
        .assert()
        .success();
    let public = dir.path().join("rules.key.pub");
    Setup {
        _dir: dir,
        key,
        public,
        pack,
    }
}

fn verify(pack: &Path, key: &str) -> assert_cmd::assert::Assert {
    komek()
        .args(["rules", "verify"])
        .arg(pack)
        .args(["--trusted-key", key, "--date", DATE])
        .assert()
}

#[test]
fn keygen_writes_a_private_secret_and_a_hex_public_key() {
    let s = setup();
    let public = std::fs::read_to_string(&s.public).expect("public key");
    assert_eq!(public.trim().len(), 64);
    assert!(public.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&s.key).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No silent overwrite of a key.
    let a = komek()
        .args(["rules", "keygen", "--out"])
        .arg(&s.key)
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("--force"));
}

#[test]
fn a_signed_pack_verifies_with_its_key_by_file_or_hex() {
    let s = setup();
    let a = verify(&s.pack, s.public.to_str().expect("utf-8 path")).success();
    assert!(stdout_of(&a).contains("OK:") && stdout_of(&a).contains("kz-2026.2"));
    let hex = std::fs::read_to_string(&s.public).expect("public key");
    verify(&s.pack, hex.trim()).success();
    let sig = std::fs::read_to_string(format!("{}.sig", s.pack.display())).expect("sig");
    assert_eq!(sig.trim().len(), 144, "72 bytes as hex");
}

#[test]
fn a_tampered_pack_is_refused() {
    let s = setup();
    let text = std::fs::read_to_string(&s.pack).expect("pack");
    std::fs::write(
        &s.pack,
        text.replacen("amount = 40000", "amount = 90000", 1),
    )
    .expect("write");
    let a = verify(&s.pack, s.public.to_str().expect("utf-8")).code(4);
    assert!(
        stderr_of(&a).contains("does not match its content"),
        "{}",
        stderr_of(&a)
    );
    // And check will not use it.
    let a = komek()
        .arg("check")
        .arg(example("single-parent.json"))
        .args(["--date", DATE, "--pack"])
        .arg(&s.pack)
        .arg("--trusted-key")
        .arg(&s.public)
        .assert()
        .code(4);
    assert!(stdout_of(&a).is_empty());
}

#[test]
fn a_pack_signed_by_an_untrusted_key_is_refused() {
    let s = setup();
    let other = s.key.with_file_name("other.key");
    komek()
        .args(["rules", "keygen", "--out"])
        .arg(&other)
        .assert()
        .success();
    let other_pub = format!("{}.pub", other.display());
    let a = verify(&s.pack, &other_pub).code(4);
    assert!(stderr_of(&a).contains("does not trust"));
    // A secret key is not a public key.
    let a = verify(&s.pack, s.key.to_str().expect("utf-8")).code(3);
    assert!(stderr_of(&a).contains("not a public rules key"));
}

#[test]
fn check_uses_a_verified_pack_and_names_it() {
    let s = setup();
    let a = komek()
        .arg("check")
        .arg(example("single-parent.json"))
        .args(["--date", DATE, "--json", "--pack"])
        .arg(&s.pack)
        .arg("--trusted-key")
        .arg(&s.public)
        .assert()
        .success();
    let r: Report = serde_json::from_slice(&a.get_output().stdout).expect("json");
    assert_eq!(r.pack_version, "kz-2026.2");
    // Line 40,000: margin 5,000 × 3 = 15,000 + 12,975 supplement = 27,975.
    let tsa = r
        .programme(ProgrammeId::TargetedSocialAssistance)
        .expect("tsa");
    assert_eq!(tsa.amount.map(|a| a.value), Some(Tiyn::from_tenge(27_975)));
    // Without a key there is no check, so no use.
    komek()
        .arg("check")
        .arg(example("single-parent.json"))
        .arg("--pack")
        .arg(&s.pack)
        .assert()
        .code(2);
    // A draft may be tried unsigned, loudly.
    let a = komek()
        .arg("check")
        .arg(example("single-parent.json"))
        .args(["--date", DATE, "--unsigned", "--pack"])
        .arg(&s.pack)
        .assert()
        .success();
    assert!(stderr_of(&a).contains("WITHOUT a signature check"));
}

#[test]
fn an_unreadable_pack_is_not_signed_and_an_expired_one_not_verified() {
    let s = setup();
    let bad = s.pack.with_file_name("bad.toml");
    std::fs::write(&bad, "format = 1\nversion = \"x\"\n").expect("write");
    let a = komek()
        .args(["rules", "sign"])
        .arg(&bad)
        .arg("--key")
        .arg(&s.key)
        .assert()
        .code(3);
    assert!(stderr_of(&a).contains("is not signed"));
    let a = komek()
        .args(["rules", "verify"])
        .arg(&s.pack)
        .arg("--trusted-key")
        .arg(&s.public)
        .args(["--date", "2027-01-01"])
        .assert()
        .code(4);
    assert!(stderr_of(&a).contains("expired"));
}

#[test]
fn show_reads_a_verified_pack_and_prints_its_exact_bytes() {
    let s = setup();
    let a = komek()
        .args(["rules", "show", "--date", DATE, "--pack"])
        .arg(&s.pack)
        .arg("--trusted-key")
        .arg(&s.public)
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(
        out.contains("Rule pack kz-2026.2") && out.contains("signature verified"),
        "{out}"
    );
    let aktobe = out
        .lines()
        .find(|l| l.trim_start().starts_with("Aktobe region"))
        .expect("Aktobe");
    assert!(aktobe.contains("40,000.00"), "{aktobe}");
    let a = komek()
        .args(["rules", "show", "--toml", "--pack"])
        .arg(&s.pack)
        .arg("--trusted-key")
        .arg(&s.public)
        .assert()
        .success();
    assert_eq!(a.get_output().stdout, std::fs::read(&s.pack).expect("pack"));
}
