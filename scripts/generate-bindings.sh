#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings of komek-ffi from the unstripped host
# library: one command for both languages.
#
#   ./scripts/generate-bindings.sh [--release] [OUT_DIR]
#
# Writes OUT_DIR/kotlin (package kz.komek.ffi) and OUT_DIR/swift (KomekFFI.swift,
# KomekFFIFFI.h, KomekFFIFFI.modulemap); OUT_DIR defaults to target/bindings.
# UniFFI reads the API from metadata inside the library, which a full strip
# removes: always generate from the library as cargo built it, strip copies
# afterwards. The platform builds (android/build-native.sh,
# ios/build-xcframework.sh) run the same generator on their own targets.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
flag=
if [ "${1:-}" = "--release" ]; then profile=release; flag=--release; shift; fi
out=${1:-target/bindings}

case "$(uname -s)" in
  Darwin) lib=target/$profile/libkomek_ffi.dylib ;;
  *) lib=target/$profile/libkomek_ffi.so ;;
esac

cargo build -q -p komek-ffi $flag
for lang in kotlin swift; do
  rm -rf "$out/$lang"
  cargo run -q -p uniffi-bindgen -- generate --library "$lib" \
    --language "$lang" --no-format --out-dir "$out/$lang"
done
find "$out/kotlin" "$out/swift" -type f | sort
