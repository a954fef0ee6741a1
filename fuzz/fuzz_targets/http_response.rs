//! The device's HTTP/1.1 answer parser (head, lengths, chunked bodies).
#![no_main]

use komek_core::sync::http;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = http::parse_response(data);
});
