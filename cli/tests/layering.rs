//! The product never depends on the test crate (issue 14, "Structure"): the
//! demo's simulated devices and link come from `komek-sim`, and `komek-tests`
//! may only be a dev-dependency of the CLI.

#[test]
fn the_cli_does_not_depend_on_the_test_crate() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("the CLI's manifest");
    let manifest: toml::Table = toml::from_str(&text).expect("TOML");
    let deps = manifest["dependencies"].as_table().expect("[dependencies]");
    assert!(deps.contains_key("komek-sim"));
    assert!(
        !deps.contains_key("komek-tests"),
        "komek-tests is a test crate: a dev-dependency at most"
    );
}
