//! Offline bundles (device → office) and receipts (office → device).
#![no_main]

use komek_core::sync::bundle::{Bundle, Receipt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(b) = Bundle::parse(data) {
        let _ = b.verify(&[7u8; 32]);
    }
    let _ = Receipt::read_unverified(data);
    let _ = Receipt::verify(data, &[7u8; 32]);
});
