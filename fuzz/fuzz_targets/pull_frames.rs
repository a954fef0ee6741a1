//! The registry's binary answers: push results and pull pages.
#![no_main]

use komek_core::sync::frames;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = frames::decode_results(data);
    if let Ok(page) = frames::decode_events(data) {
        // A page that decodes encodes again (what the registry would send).
        let _ = frames::encode_events(&page);
    }
});
