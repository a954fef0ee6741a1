//! A rule pack's version names it in a URL path and in every pull page: the
//! grammar `[a-z0-9][a-z0-9._-]{0,63}` is checked when a pack is parsed
//! (finding 1 of issue 11: a version with `/` or over 128 bytes once cut
//! every device's sync).

use komek_core::rules::pack::{check_version, DEFAULT_PACK_TOML, MAX_VERSION_BYTES};
use komek_core::rules::{PackFormatError, RulePack};

fn with_version(v: &str) -> String {
    let quoted = v.replace('\u{1b}', "\\u001B");
    DEFAULT_PACK_TOML.replace(
        "version = \"kz-2026.1\"",
        &format!("version = \"{quoted}\""),
    )
}

#[test]
fn good_versions_pass_the_grammar() {
    for ok in [
        "kz-2026.1",
        "0",
        "kz_2026.7-b",
        &"a".repeat(MAX_VERSION_BYTES),
    ] {
        assert!(check_version(ok).is_ok(), "{ok}");
    }
}

#[test]
fn versions_outside_the_grammar_are_refused_by_the_parser() {
    let long = "a".repeat(MAX_VERSION_BYTES + 1);
    let huge = "a".repeat(200);
    for bad in [
        "",
        "kz-2026.7/a",
        "../kz",
        ".hidden",
        "-kz",
        "Kz-2026.1",
        "kz 2026",
        "kz%2F1",
        "kz?x=1",
        "kz#1",
        "kz\u{1b}[2J",
        "қаз-1",
        long.as_str(),
        huge.as_str(),
    ] {
        assert!(check_version(bad).is_err(), "{bad:?}");
        let err = RulePack::parse_str(&with_version(bad)).unwrap_err();
        match err {
            PackFormatError::Invalid(m) => assert!(m.contains("version"), "{m}"),
            other => panic!("{bad:?}: {other}"),
        }
    }
    // The default pack itself passes.
    assert!(RulePack::parse_str(&with_version("kz-2026.9")).is_ok());
}
