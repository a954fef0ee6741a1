//! The compact form's reader, reached directly (no zstd in front).
#![no_main]

use komek_core::sync::codec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = codec::decode_uncompressed(data) {
        // What decodes must encode again to the same bytes (canonical form).
        let again = codec::compact_uncompressed(&h);
        assert_eq!(again, data, "compact form not canonical");
    }
});
