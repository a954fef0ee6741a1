//! A sealed form's plaintext: codec byte, zstd with the dictionary, compact
//! form (or the legacy JSON + zstd).
#![no_main]

use komek_core::sync::codec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = codec::decode(data);
});
