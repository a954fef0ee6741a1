//! A push body: the framing of sealed operations (also a bundle's body).
#![no_main]

use komek_core::sync::wire;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ops) = wire::decode_push(data) {
        assert_eq!(wire::encode_push(&ops), data);
    }
});
