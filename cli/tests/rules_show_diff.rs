//! `komek rules show` and `komek rules diff`: the numbers in force, and what a
//! new pack changes for whom.

mod common;

use common::{default_pack_toml, komek, stdout_of, DATE};

#[test]
fn show_lists_the_numbers_in_force_with_their_amounts() {
    let a = komek()
        .args(["rules", "show", "--date", DATE])
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(
        out.contains("Rule pack kz-2026.1 (built into this program)"),
        "{out}"
    );
    let aktobe = out
        .lines()
        .find(|l| l.trim_start().starts_with("Aktobe region"))
        .expect("an Aktobe line");
    assert!(
        aktobe.contains("37,060.00") && aktobe.contains("published"),
        "{aktobe}"
    );
    // Astana: 0.70 × 66,605 (2025-Q4) = 46,623.50, estimated.
    let astana = out
        .lines()
        .find(|l| l.trim_start().starts_with("Astana"))
        .expect("an Astana line");
    assert!(
        astana.contains("46,623.50") && astana.contains("estimated"),
        "{astana}"
    );
    // 16.03 MRP × 4,325 = 69,329.75 for four children.
    assert!(out.contains("4: 16.03 MRP (69,329.75\u{a0}₸)"), "{out}");
}

#[test]
fn show_toml_is_the_built_in_pack_byte_for_byte() {
    let a = komek().args(["rules", "show", "--toml"]).assert().success();
    assert_eq!(stdout_of(&a), default_pack_toml());
}

fn raised_pack(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("new.toml");
    let text = default_pack_toml()
        .replace("version = \"kz-2026.1\"", "version = \"kz-2026.2\"")
        .replacen("amount = 37060", "amount = 40000", 1)
        .replace("mrp = 4325", "mrp = 4400");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn diff_names_each_changed_parameter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let new = raised_pack(dir.path());
    let a = komek()
        .args(["rules", "diff", "@default"])
        .arg(&new)
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(
        out.starts_with("Rule pack kz-2026.1 (issued 2026-01-01) → kz-2026.2"),
        "{out}"
    );
    assert!(
        out.contains("changed poverty_line[aktobe 2026-Q1].amount: 37060 → 40000"),
        "{out}"
    );
    assert!(
        out.contains("changed globals[2026-01-01].mrp: 4325 → 4400"),
        "{out}"
    );
    assert!(out.contains("2 changed, 0 added, 0 removed"), "{out}");
}

#[test]
fn diff_rescreens_synthetic_households() {
    let dir = tempfile::tempdir().expect("tempdir");
    let new = raised_pack(dir.path());
    let a = komek()
        .args(["rules", "diff", "@default"])
        .arg(&new)
        .args(["--rescreen", "--households", "60", "--date", DATE, "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).expect("json");
    assert_eq!(v["changes"].as_array().map(Vec::len), Some(2));
    let r = &v["rescreen"];
    assert_eq!(r["screened"], 60);
    // A higher MRP raises every MRP-based benefit of the large families (the
    // large-family allowance at least), so some household changed.
    assert!(r["changed"].as_u64().unwrap_or(0) > 0, "{r}");
    assert!(
        r["transitions"].as_object().is_some_and(|t| t
            .keys()
            .any(|k| k.starts_with("large_family: amount changed"))),
        "{r}"
    );
    // Same pack: nothing to report.
    let a = komek()
        .args([
            "rules",
            "diff",
            "@default",
            "@default",
            "--rescreen",
            "--households",
            "12",
            "--date",
            DATE,
        ])
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(out.contains("0 changed, 0 added, 0 removed"), "{out}");
    assert!(out.contains("0 with a changed outcome or amount"), "{out}");
}
