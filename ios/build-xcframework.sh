#!/usr/bin/env bash
# Builds komek-ffi as static libraries for iOS devices, the iOS simulator
# (Apple silicon and Intel) and macOS (so `swift test` runs on a Mac), wraps
# them in ios/KomekFFI.xcframework, and generates the Swift bindings into
# ios/Sources/Komek/Generated.
#
# Needs macOS with Xcode and the Rust targets:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios \
#                     aarch64-apple-darwin x86_64-apple-darwin
# Cannot run on the project's Linux build machine (no Xcode there).
#
# Usage: ios/build-xcframework.sh   then: cd ios && swift test
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(uname -s)" = Darwin ] || { echo "build-xcframework.sh needs macOS and Xcode" >&2; exit 1; }

targets="aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin"
for t in $targets; do
  cargo build --profile mobile -p komek-ffi --target "$t"   # LTO, "z", abort on panic (ADR 0007)
done

# Swift, header and module map from an unstripped library (the metadata UniFFI
# reads is stripped otherwise).
gen=target/bindings/swift
rm -rf "$gen"
cargo run -q -p uniffi-bindgen -- generate \
  --library target/aarch64-apple-darwin/mobile/libkomek_ffi.dylib \
  --language swift --out-dir "$gen"

headers=target/xcframework/headers
rm -rf "$headers" && mkdir -p "$headers"
cp "$gen/KomekFFIFFI.h" "$headers/"
cp "$gen/KomekFFIFFI.modulemap" "$headers/module.modulemap"

# One library per platform: the simulator and macOS slices are fat (arm64 + x86_64).
fat=target/xcframework/lib
mkdir -p "$fat/ios-sim" "$fat/macos"
lipo -create target/aarch64-apple-ios-sim/mobile/libkomek_ffi.a \
             target/x86_64-apple-ios/mobile/libkomek_ffi.a \
     -output "$fat/ios-sim/libkomek_ffi.a"
lipo -create target/aarch64-apple-darwin/mobile/libkomek_ffi.a \
             target/x86_64-apple-darwin/mobile/libkomek_ffi.a \
     -output "$fat/macos/libkomek_ffi.a"

rm -rf ios/KomekFFI.xcframework
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/mobile/libkomek_ffi.a -headers "$headers" \
  -library "$fat/ios-sim/libkomek_ffi.a" -headers "$headers" \
  -library "$fat/macos/libkomek_ffi.a" -headers "$headers" \
  -output ios/KomekFFI.xcframework

mkdir -p ios/Sources/Komek/Generated
cp "$gen/KomekFFI.swift" ios/Sources/Komek/Generated/
echo "ios/KomekFFI.xcframework and ios/Sources/Komek/Generated/KomekFFI.swift are ready: cd ios && swift test"
