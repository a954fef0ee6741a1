//! A sealed operation as the registry receives it: header parse, signature
//! check and opening under a fixed key (authentication fails, safely).
#![no_main]

use komek_core::crypto::seal::SealedOp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(op) = SealedOp::parse(data) {
        let _ = op.header_len();
        let _ = op.verify(&[7u8; 32]);
        let _ = op.open(&[1u8; 32], &[2u8; 32]);
    }
});
