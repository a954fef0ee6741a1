//! `komek rules overlay sign / verify / show`: a region's overlay signed with
//! the key the national pack names for that region is accepted and shown with
//! the line it gives; an overlay reaching outside its region is refused.

mod common;

use common::{default_pack_toml, komek};
use predicates::str::contains;
use std::path::Path;

const ASTANA_Q2: &str = r#"overlay_format = 1
region = "astana"
version = "astana-2026-Q2"
issued = 2026-04-01
valid_until = 2026-06-30

[[poverty_line]]
region = "astana"
quarter = "2026-Q2"
amount = 48000
confidence = "verified"
source = "Akimat of Astana, poverty line for Q2 2026"
"#;

fn keygen(path: &Path) -> String {
    komek()
        .args(["rules", "keygen", "--out"])
        .arg(path)
        .assert()
        .success();
    let public = std::fs::read_to_string(path.with_extension("key.pub")).expect("public key");
    public.trim().to_string()
}

#[test]
fn an_overlay_signed_by_its_regions_key_is_verified_shown_and_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let national_key = dir.path().join("national.key");
    let national_pub = keygen(&national_key);
    let astana_key = dir.path().join("astana.key");
    let astana_pub = keygen(&astana_key);

    // The national pack names Astana's key for lines and median incomes.
    let national = dir.path().join("kz-2026.2.toml");
    let text = default_pack_toml()
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
        .replace("issued = 2026-01-01", "issued = 2026-02-01")
        + &format!(
            "\n[[overlay_keys]]\nregion = \"astana\"\npublic_key = \"{astana_pub}\"\nmay_set = [\"poverty_line\", \"median_income\"]\nsource = \"test\"\n"
        );
    std::fs::write(&national, text).expect("write pack");
    komek()
        .args(["rules", "sign"])
        .arg(&national)
        .arg("--key")
        .arg(&national_key)
        .assert()
        .success();

    let overlay = dir.path().join("astana-2026-Q2.toml");
    std::fs::write(&overlay, ASTANA_Q2).expect("write overlay");
    komek()
        .args(["rules", "overlay", "sign"])
        .arg(&overlay)
        .arg("--key")
        .arg(&astana_key)
        .assert()
        .success()
        .stdout(contains("signed overlay astana-2026-Q2 of astana"));
    let check = |sub: &str, file: &Path| {
        komek()
            .args(["rules", "overlay", sub])
            .arg(file)
            .arg("--pack")
            .arg(&national)
            .args(["--trusted-key", &national_pub, "--date", "2026-05-01"])
            .assert()
    };
    check("verify", &overlay)
        .success()
        .stdout(contains("overlay astana-2026-Q2 of astana"))
        .stdout(contains("sets poverty_line"));
    check("show", &overlay)
        .success()
        .stdout(contains("2026-Q2: 48000.00 published (astana-2026-Q2)"))
        .stdout(contains("2026-Q3:"));

    // Signed by the national key (not Astana's): refused, exit code 4.
    komek()
        .args(["rules", "overlay", "sign"])
        .arg(&overlay)
        .arg("--key")
        .arg(&national_key)
        .assert()
        .success();
    check("verify", &overlay)
        .code(4)
        .stderr(contains("does not name"));

    // Astana's key signing Aktobe's line: refused.
    let outside = dir.path().join("outside.toml");
    std::fs::write(
        &outside,
        ASTANA_Q2.replace(
            "[[poverty_line]]\nregion = \"astana\"",
            "[[poverty_line]]\nregion = \"aktobe\"",
        ),
    )
    .expect("write");
    komek()
        .args(["rules", "overlay", "sign"])
        .arg(&outside)
        .arg("--key")
        .arg(&astana_key)
        .assert()
        .success();
    check("verify", &outside)
        .code(4)
        .stderr(contains("outside its region"));
}
