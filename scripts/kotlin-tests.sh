#!/usr/bin/env bash
# Builds komek-ffi for the host, generates its Kotlin and Swift bindings,
# runs the static checks of the Android and iOS files that cannot be built
# here (scripts/check-platform-files.py), and runs the Kotlin tests in
# android/src/test/kotlin on the desktop JVM. The sync tests
# start the registry binary (komek-registry, built here) on loopback; its path
# reaches them as the system property komek.registry.bin.
#
# Installs what a fresh machine lacks: JNA and JUnit from Debian, the Kotlin
# compiler from npm (into .tools/). Prints a plain "N passed, N failed" line and
# exits non-zero when a Kotlin test fails. Recipe: ../shared/design/kotlin-on-jvm.md
set -euo pipefail
cd "$(dirname "$0")/.."

J=/usr/share/java
K=.tools/npm/node_modules/kotlin-compiler
if [ ! -f "$J/jna.jar" ] || [ ! -f "$J/junit-platform-console-standalone.jar" ]; then
  echo "== installing JNA and JUnit (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjna-java junit5 >/dev/null
fi
if [ ! -x "$K/bin/kotlinc-jvm" ]; then
  echo "== installing the Kotlin compiler (npm)"
  mkdir -p .tools/npm
  npm install --no-audit --no-fund --silent --prefix .tools/npm kotlin-compiler@2.4.20 >/dev/null
fi

echo "== building komek-ffi and komek-registry, generating Kotlin and Swift"
cargo build -q -p komek-ffi
cargo build -q -p komek-registry
for lang in kotlin swift; do
  rm -rf "target/bindings/$lang"
  cargo run -q -p uniffi-bindgen -- generate --library target/debug/libkomek_ffi.so \
    --language "$lang" --no-format --out-dir "target/bindings/$lang" >/dev/null
done

echo "== static checks of the Android and iOS files"
python3 scripts/check-platform-files.py target/bindings

mkdir -p target/kotlin
CP=$J/jna.jar:$K/lib/kotlinx-coroutines-core-jvm.jar:$K/lib/kotlin-test.jar
JCP=$CP:$K/lib/kotlin-test-junit5.jar:$J/junit-jupiter-api.jar:$J/apiguardian-api.jar:$J/opentest4j.jar:$J/junit-platform-commons.jar

# kotlinc is slow (15 s for the bindings on 2 cores): recompile the bindings jar
# only when the generated sources change.
sum=$(find target/bindings/kotlin -name '*.kt' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
if [ ! -f target/kotlin/bindings.jar ] || [ "$(cat target/kotlin/bindings.sum 2>/dev/null)" != "$sum" ]; then
  echo "== compiling the generated bindings"
  "$K/bin/kotlinc-jvm" -nowarn $(find target/bindings/kotlin -name '*.kt') -cp "$CP" -d target/kotlin/bindings.jar
  echo "$sum" > target/kotlin/bindings.sum
fi

# The Android module's files that import nothing from Android (background
# sync, its state and policy, the key-wrapping format) are compiled against
# the generated bindings with the tests, so the desktop JVM checks and runs
# them too; the rest (Keystore vault, worker, logcat) needs the Android SDK.
jvm_main=$(grep -L -E '^import androidx?\.' $(find android/src/main/kotlin -name '*.kt') || true)
jvm_list=" $(echo $jvm_main) "
for f in $(find android/src/main/kotlin -name '*.kt'); do
  case "$jvm_list" in *" $f "*) ;; *) echo "   needs the Android SDK, not compiled here: $f" ;; esac
done

echo "== compiling the Kotlin tests (with $(echo $jvm_main | wc -w) Android-free main files)"
"$K/bin/kotlinc-jvm" -nowarn $(find android/src/test/kotlin -name '*.kt') $jvm_main \
  -cp "target/kotlin/bindings.jar:$JCP" -d target/kotlin/tests.jar

# KOMEK_LIB_DIR=target/mobile runs them against the size-optimized library
# that scripts/library-size.sh builds (abort on panic, see ADR 0007).
echo "== running the Kotlin tests on the JVM (library from ${KOMEK_LIB_DIR:-target/debug})"
set +e
java -Djna.library.path="${KOMEK_LIB_DIR:-target/debug}" -Dkomek.registry.bin="$PWD/target/debug/komek-registry" \
  -jar "$J/junit-platform-console-standalone.jar" \
  -cp "target/kotlin/tests.jar:target/kotlin/bindings.jar:$JCP:$K/lib/kotlin-stdlib.jar" \
  --scan-classpath target/kotlin/tests.jar --disable-banner --disable-ansi-colors \
  --details=tree > target/kotlin/junit.txt 2>&1
rc=$?
set -e
cat target/kotlin/junit.txt
passed=$(grep -Eo '[0-9]+ tests successful' target/kotlin/junit.txt | grep -Eo '^[0-9]+' || echo 0)
failed=$(grep -Eo '[0-9]+ tests failed' target/kotlin/junit.txt | grep -Eo '^[0-9]+' || echo 0)
found=$(grep -Eo '[0-9]+ tests found' target/kotlin/junit.txt | grep -Eo '^[0-9]+' || echo 0)
# JUnit silently skips a @Test whose function returns a value (an expression
# body `= runBlocking { ... }` ending in assertFailsWith): count the declared
# tests and fail when any was not run.
declared=$(grep -rhE '^\s+@Test\s*$' android/src/test/kotlin | wc -l)
echo "kotlin: $passed passed, $failed failed"
if [ "$found" -ne "$declared" ]; then
  echo "JUnit found $found of the $declared declared Kotlin tests (use runBlocking<Unit> for suspend tests)" >&2
  exit 1
fi
if [ "$rc" -ne 0 ] || [ "$passed" -eq 0 ]; then
  echo "Kotlin tests failed (junit exit $rc)" >&2
  exit 1
fi
