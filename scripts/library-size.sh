#!/usr/bin/env bash
# Builds the mobile library for this host the way android/build-native.sh
# builds it for phones (the `mobile` profile: LTO, opt-level "z", abort on
# panic; no unwind tables; packed relocations), strips a copy and prints the
# sizes reported in docs/bindings.md ("Size") and docs/benchmarks.md.
#
# Usage: scripts/library-size.sh        (about 4 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

# With abort on panic nothing unwinds, so the unwind tables only served
# backtraces: leave them out of Rust and C code alike. RELR packs the
# relocations (glibc 2.36+; Android uses its own packing, see build-native.sh).
# Identical functions are folded (--icf=all): Rust's linker here is lld, as
# the Android NDK's is (an iOS build with Apple's ld does not fold them).
export RUSTFLAGS="-C force-unwind-tables=no -C link-arg=-Wl,-z,pack-relative-relocs -C link-arg=-Wl,--icf=all"
export CFLAGS="-fno-asynchronous-unwind-tables -fno-unwind-tables"
cargo build -q --profile mobile -p komek-ffi

lib=target/mobile/libkomek_ffi.so
out=target/mobile/stripped
mkdir -p "$out"
cp "$lib" "$out/libkomek_ffi.so"
strip "$out/libkomek_ffi.so"
bytes() { stat -c %s "$1"; }
echo "as built (symbols, UniFFI metadata): $(bytes "$lib") bytes"
echo "stripped:                            $(bytes "$out/libkomek_ffi.so") bytes"
echo "stripped, gzip -9:                   $(gzip -9 -c "$out/libkomek_ffi.so" | wc -c) bytes"
