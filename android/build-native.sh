#!/usr/bin/env bash
# Builds komek-ffi for Android and generates its Kotlin bindings, into the
# Gradle module: src/main/jniLibs/<abi>/libkomek_ffi.so for arm64-v8a,
# armeabi-v7a and x86_64, and src/main/generated/kotlin.
#
# Needs: the Android NDK (ANDROID_NDK_HOME), cargo-ndk, and the Rust targets:
#   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
#   cargo install cargo-ndk
# It cannot run on the project's Linux build machine (no NDK there); the
# desktop JVM tests use the host library instead (scripts/kotlin-tests.sh).
#
# Usage: android/build-native.sh [--debug]
set -euo pipefail
cd "$(dirname "$0")/.."

# The `mobile` profile (Cargo.toml): LTO, opt-level "z", abort on panic (ADR
# 0007). Without unwinding the unwind tables only serve backtraces: they are
# left out, and relocations are packed the Android way (API 23+), as
# scripts/library-size.sh does for the size measured on the build machine.
# Every build is linked for 16 KB pages (max-page-size=16384): Google Play
# requires it of apps targeting Android 15 and it runs on 4 KB devices too.
# The NDK links with lld: identical functions are folded (--icf=all, ~56 KB).
profile=mobile
flag="--profile mobile"
pages="-C link-arg=-Wl,-z,max-page-size=16384"
if [ "${1:-}" = "--debug" ]; then
  profile=debug; flag=
  export RUSTFLAGS="$pages"
else
  export RUSTFLAGS="-C force-unwind-tables=no -C link-arg=-Wl,--pack-dyn-relocs=android -C link-arg=-Wl,--icf=all $pages"
  export CFLAGS="-fno-asynchronous-unwind-tables -fno-unwind-tables"
fi

if [ -z "${ANDROID_NDK_HOME:-}" ]; then
  echo "ANDROID_NDK_HOME is not set: install the NDK (Android Studio, SDK Manager)" >&2
  exit 1
fi
command -v cargo-ndk >/dev/null || { echo "cargo-ndk missing: cargo install cargo-ndk" >&2; exit 1; }

# 26 matches minSdk in build.gradle.kts. cargo-ndk strips the copies it places
# in jniLibs; the unstripped libraries stay under target/<triple>/.
cargo ndk --platform 26 -t arm64-v8a -t armeabi-v7a -t x86_64 \
  -o android/src/main/jniLibs build -p komek-ffi $flag   # cargo-ndk 3.x knows custom profiles

# Bindings come from an unstripped library (the metadata is stripped away
# otherwise); any of the three ABIs gives the same Kotlin.
rm -rf android/src/main/generated/kotlin
cargo run -q -p uniffi-bindgen -- generate \
  --library "target/aarch64-linux-android/$profile/libkomek_ffi.so" \
  --language kotlin --out-dir android/src/main/generated/kotlin --no-format

# The shipped libraries are stripped; keep the unstripped ones (symbols for
# crash symbolication: upload the zip to Play Console as native debug
# symbols, or keep it with the release) as a build artefact.
symbols=android/build/native-debug-symbols
rm -rf "$symbols" && mkdir -p "$symbols"
for pair in arm64-v8a:aarch64-linux-android armeabi-v7a:armv7-linux-androideabi x86_64:x86_64-linux-android; do
  abi=${pair%%:*}; triple=${pair#*:}
  mkdir -p "$symbols/$abi"
  cp "target/$triple/$profile/libkomek_ffi.so" "$symbols/$abi/"
done
(cd "$symbols" && rm -f ../native-debug-symbols.zip && zip -qr ../native-debug-symbols.zip .)

# Every LOAD segment aligned to 16 KB (2**14), else Play refuses the app.
readelf=$(ls "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-readelf 2>/dev/null | head -n1)
for so in android/src/main/jniLibs/*/libkomek_ffi.so; do
  if [ -n "$readelf" ] && "$readelf" -lW "$so" | awk '$1 == "LOAD" && $NF != "0x4000" { bad = 1 } END { exit bad }'; then
    :
  elif [ -n "$readelf" ]; then
    echo "$so: a LOAD segment is not 16 KB aligned" >&2; exit 1
  fi
done

ls -l android/src/main/jniLibs/*/libkomek_ffi.so android/build/native-debug-symbols.zip
echo "Kotlin bindings in android/src/main/generated/kotlin; now: cd android && gradle assembleRelease"
