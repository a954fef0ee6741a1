//! A rule pack's TOML (signature checked elsewhere; parsing comes first).
#![no_main]

use komek_core::rules::RulePack;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = RulePack::parse(data);
});
